//! The server acknowledges only what is committed: SIGKILL loses nothing acknowledged, and
//! clients reconnect by themselves and catch up.

mod common;

use common::*;

#[test]
fn sigkill_loses_no_acknowledged_message_and_clients_reconnect() {
    let dir = tempfile::tempdir().unwrap();
    let srv = ServerProcess::start(dir.path(), "127.0.0.1:0");
    let addr = srv.addr.clone();
    let url = srv.url();
    let alice = login(&url, "alice");
    let bob = login(&url, "bob");
    let events = SdkEvents::attach(&bob);
    let inbox = Inbox::attach(&bob);

    let mut acked = Vec::new();
    for i in 0..50 {
        acked.push(
            send_text(&alice, "bob", "", &format!("durable {i}"))
                .unwrap()
                .msg_id()
                .to_owned(),
        );
    }
    let gid = wait(|d| alice.create_group("Meeting", "", "m", d)).unwrap();
    wait(|d| bob.join_group(&gid, "", d)).unwrap();
    let group_msg = send_text(&alice, "", &gid, "group durable").unwrap();
    srv.kill9();

    // Same data dir, same address: the SDKs reconnect on their own.
    let srv = ServerProcess::start(dir.path(), &addr);
    events.wait_for("connect_success");
    eventually("bob reconnected", || {
        events.count("connect_success") >= 1 && bob.get_login_status() == 1
    });
    let after = send_text(&alice, "bob", "", "after restart").unwrap();

    let hist = wait(|d| bob.get_c2c_history_message_list("alice", 100, None, d)).unwrap();
    let ids: Vec<&str> = hist.iter().rev().map(|m| m.msg_id()).collect();
    let mut expected: Vec<&str> = acked.iter().map(String::as_str).collect();
    expected.push(after.msg_id());
    assert_eq!(
        ids, expected,
        "every acknowledged message survived, in order"
    );
    let g = wait(|d| bob.get_group_history_message_list(&gid, 10, None, d)).unwrap();
    assert_eq!(g[0].msg_id(), group_msg.msg_id());
    // Bob received each message exactly once across the restart.
    let got = inbox.wait_for(52);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(inbox.len(), 52, "{:?}", inbox.texts());
    assert_eq!(got.last().unwrap().text(), "after restart");
    drop(srv);
}

/// The checkpoint that removes recalled content from the WAL is deferred (by up to 250 ms,
/// so recalls share one); a kill inside that window must not leave the content behind: the
/// next start empties the WAL before serving.
#[test]
fn content_recalled_just_before_a_sigkill_is_gone_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let srv = ServerProcess::start(dir.path(), "127.0.0.1:0");
    let url = srv.url();
    let alice = login(&url, "alice");
    let gone = send_text(&alice, "bob", "", "KILL-ERASE-5d1e").unwrap();
    send_text(&alice, "bob", "", "KILL-KEEP-8c4b").unwrap();
    revoke(&alice, &gone, "").unwrap();
    // Right after the acknowledgement: well inside the deferral window.
    srv.kill9();
    drop(alice);

    let srv = ServerProcess::start(dir.path(), "127.0.0.1:0");
    let db = dir.path().join(v2tim_server::DB_FILE);
    let mut text = Vec::new();
    for suffix in ["", "-wal", "-journal"] {
        if let Ok(bytes) = std::fs::read(format!("{}{suffix}", db.display())) {
            text.extend(bytes);
        }
    }
    let text = String::from_utf8_lossy(&text);
    assert!(
        !text.contains("KILL-ERASE-5d1e"),
        "recalled content survived in the files"
    );
    assert!(
        text.contains("KILL-KEEP-8c4b"),
        "the test reads the right files"
    );
    drop(srv);
}
