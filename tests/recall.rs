//! Message recall through real SDK instances and a real server: rules, notification on every
//! device, sync, history, and the failure modes other chat products are known for.

mod common;

use common::*;
use v2tim::core::{codes, Manager};

const REVOKED: i32 = 6;

fn assert_recalled(m: &v2tim::core::Message, by: &str, reason: &str) {
    let d = m.data();
    assert_eq!(d.status, REVOKED, "status is LOCAL_REVOKED");
    assert!(m.is_revoked());
    assert_eq!(m.text(), "", "content is gone");
    let r = d.revoked.expect("revoke info");
    assert_eq!((r.revoker.as_str(), r.reason.as_str()), (by, reason));
}

#[test]
fn c2c_recall_reaches_the_receiver_and_every_view_shows_it() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let bob_inbox = Inbox::attach(&bob);
    let alice_inbox = Inbox::attach(&alice);

    let msg = send_text(&alice, "bob", "", "oops, wrong chat").unwrap();
    let bobs_copy = bob_inbox.wait_for(1)[0].clone();
    revoke(&alice, &msg, "typo").unwrap();
    assert_recalled(&msg, "alice", "typo");

    let r = bob_inbox.wait_recalls(1);
    assert_eq!(
        r[0],
        Recall {
            msg_id: msg.msg_id().into(),
            operator: "alice".into(),
            reason: "typo".into()
        }
    );
    // The message object bob already holds shows the recall too.
    assert_recalled(&bobs_copy, "alice", "typo");
    // History on both sides: in place, flagged, no content.
    for (m, peer) in [(&alice, "bob"), (&bob, "alice")] {
        let h = wait(|d| m.get_c2c_history_message_list(peer, 10, None, d)).unwrap();
        assert_eq!(h.len(), 1);
        assert_recalled(&h[0], "alice", "typo");
        let json: serde_json::Value = serde_json::from_str(&h[0].to_json()).unwrap();
        assert_eq!(
            (json["isRevoked"].as_bool(), json["status"].as_i64()),
            (Some(true), Some(6))
        );
        assert_eq!(json["revokerInfo"]["userID"], "alice");
        assert_eq!(json["text"], "");
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(bob_inbox.recalls().len(), 1, "exactly once");
    assert!(
        alice_inbox.recalls().is_empty(),
        "the recalling device learns from its callback"
    );
}

#[test]
fn c2c_rules_sender_only_once_and_known_ids() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let carol = login(&srv.url, "carol");
    let inbox = Inbox::attach(&bob);
    let msg = send_text(&alice, "bob", "", "mine").unwrap();
    let bobs = inbox.wait_for(1)[0].clone();

    let err = revoke(&bob, &bobs, "").unwrap_err();
    assert_eq!(err.code, codes::V2TIM_ERR_REVOKE_NOT_SENDER, "{err}");
    let err = wait(|d| carol.revoke_message_by_id("alice", "", msg.msg_id(), "", d)).unwrap_err();
    assert_eq!(
        err.code,
        codes::ERR_SVR_MSG_NOT_FOUND,
        "a third party learns nothing: {err}"
    );
    let err =
        wait(|d| alice.revoke_message_by_id("bob", "", "no-such-message-id", "", d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SVR_MSG_NOT_FOUND, "{err}");
    assert_eq!(bobs.text(), "mine", "refusals change nothing");

    revoke(&alice, &msg, "").unwrap();
    inbox.wait_recalls(1);
    // A second recall from another device of alice (not a retry of the first) is refused.
    let alice2 = login(&srv.url, "alice");
    let err = wait(|d| alice2.revoke_message_by_id("bob", "", msg.msg_id(), "", d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SVR_MSG_ALREADY_REVOKED, "{err}");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(inbox.recalls().len(), 1);
}

#[test]
fn the_senders_other_devices_are_told_both_ways() {
    let srv = LocalServer::start(None);
    let phone = login(&srv.url, "alice");
    let laptop = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let (phone_in, laptop_in, bob_in) = (
        Inbox::attach(&phone),
        Inbox::attach(&laptop),
        Inbox::attach(&bob),
    );

    let m1 = send_text(&phone, "bob", "", "from phone").unwrap();
    let laptop_copy = laptop_in.wait_for(1)[0].clone();
    // Recalled by the device that did not send it: the phone hears of it.
    revoke(&laptop, &laptop_copy, "").unwrap();
    assert_eq!(phone_in.wait_recalls(1)[0].msg_id, m1.msg_id());
    assert_recalled(&m1, "alice", "");
    assert_eq!(bob_in.wait_recalls(1)[0].operator, "alice");

    let m2 = send_text(&phone, "bob", "", "again").unwrap();
    laptop_in.wait_for(2);
    revoke(&phone, &m2, "").unwrap();
    assert_eq!(laptop_in.wait_recalls(1)[0].msg_id, m2.msg_id());
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(
        phone_in.recalls().len(),
        1,
        "the phone's own recall is not echoed to it"
    );
    assert_eq!(
        laptop_in.recalls().len(),
        1,
        "the laptop's own recall is not echoed to it"
    );
}

#[test]
fn an_offline_device_gets_the_recall_once_after_the_message_and_never_the_content() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let inbox = Inbox::attach(&bob);
    let seen = send_text(&alice, "bob", "", "seen before going offline").unwrap();
    inbox.wait_for(1);

    wait(|d| bob.logout(d)).unwrap();
    revoke(&alice, &seen, "r1").unwrap();
    let unseen = send_text(&alice, "bob", "", "secret sent while offline").unwrap();
    revoke(&alice, &unseen, "r2").unwrap();
    let kept = send_text(&alice, "bob", "", "kept").unwrap();
    wait(|d| bob.login("bob", &sig("bob"), d)).unwrap();

    let recalls = inbox.wait_recalls(2);
    let msgs = inbox.wait_for(3);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(inbox.recalls().len(), 2, "each recall exactly once");
    assert_eq!(recalls[0].msg_id, seen.msg_id());
    assert_eq!(recalls[1].msg_id, unseen.msg_id());
    // The message sent and recalled while offline arrives only in its recalled form.
    assert_eq!(msgs[1].msg_id(), unseen.msg_id());
    assert_recalled(&msgs[1], "alice", "r2");
    assert_eq!(msgs[2].msg_id(), kept.msg_id());
    assert_eq!(msgs[2].text(), "kept");
    assert!(msgs.iter().all(|m| !m.text().contains("secret")));
}

#[test]
fn recall_by_id_for_apps_with_their_own_store() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let inbox = Inbox::attach(&bob);
    let id = send_text(&alice, "bob", "", "by id")
        .unwrap()
        .msg_id()
        .to_owned();
    inbox.wait_for(1);
    // The app dropped the SDK object; it recalls by conversation and id.
    wait(|d| alice.revoke_message_by_id("bob", "", &id, "cleanup", d)).unwrap();
    assert_eq!(
        inbox.wait_recalls(1)[0],
        Recall {
            msg_id: id,
            operator: "alice".into(),
            reason: "cleanup".into()
        }
    );
}

#[test]
fn a_group_admin_recalls_a_members_message_with_a_reason() {
    let srv = LocalServer::start(None);
    let owner = login(&srv.url, "owner");
    let admin = login(&srv.url, "admin");
    let member = login(&srv.url, "member");
    let gid = wait(|d| owner.create_group("Public", "", "g", d)).unwrap();
    for m in [&admin, &member] {
        wait(|d| m.join_group(&gid, "", d)).unwrap();
    }
    wait(|d| owner.set_group_member_role(&gid, "admin", 300, d)).unwrap();
    let (oi, mi) = (Inbox::attach(&owner), Inbox::attach(&member));
    let admin_in = Inbox::attach(&admin);

    let spam = send_text(&member, "", &gid, "buy my stuff").unwrap();
    let admins_copy = admin_in.wait_for(1)[0].clone();
    revoke(&admin, &admins_copy, "spam").unwrap();
    for inbox in [&oi, &mi] {
        assert_eq!(
            inbox.wait_recalls(1)[0],
            Recall {
                msg_id: spam.msg_id().into(),
                operator: "admin".into(),
                reason: "spam".into()
            }
        );
    }
    assert_recalled(&spam, "admin", "spam");
    let h = wait(|d| owner.get_group_history_message_list(&gid, 10, None, d)).unwrap();
    assert_recalled(&h[0], "admin", "spam");
}

/// Recaller x author x conversation kind, with the exact outcome of every cell (SPEC §2).
#[test]
fn the_whole_permission_matrix() {
    let srv = LocalServer::start(None);
    let users = [
        "owner", "admin1", "admin2", "member1", "member2", "outsider",
    ];
    let m: std::collections::HashMap<&str, Manager> =
        users.iter().map(|u| (*u, login(&srv.url, u))).collect();
    let deny = codes::ERR_SVR_GROUP_PERMISSION_DENY;
    let mut cells = 0;
    for ty in ["Work", "Public", "Meeting", "AVChatRoom", "Community"] {
        let gid = format!("matrix-{ty}");
        wait(|d| m["owner"].create_group(ty, &gid, ty, d)).unwrap();
        let others: Vec<String> = users[1..5].iter().map(|u| u.to_string()).collect();
        wait(|d| m["owner"].invite_user_to_group(&gid, others, d)).unwrap();
        for a in ["admin1", "admin2"] {
            wait(|d| m["owner"].set_group_member_role(&gid, a, 300, d)).unwrap();
        }
        // (author, recaller, expected code): "sender" is the author itself.
        let table: [(&str, &str, i32); 15] = [
            ("member1", "member1", 0),
            ("member1", "member2", deny),
            ("member1", "admin2", 0),
            ("member1", "owner", 0),
            ("member1", "outsider", deny),
            ("admin1", "admin1", 0),
            ("admin1", "member2", deny),
            ("admin1", "admin2", deny),
            ("admin1", "owner", 0),
            ("admin1", "outsider", deny),
            ("owner", "owner", 0),
            ("owner", "owner", codes::ERR_SVR_MSG_ALREADY_REVOKED),
            ("owner", "member2", deny),
            ("owner", "admin2", deny),
            ("owner", "outsider", deny),
        ];
        for (author, recaller, expected) in table {
            // A fresh message per cell, except the double recall which reuses the last one.
            let msg = if expected == codes::ERR_SVR_MSG_ALREADY_REVOKED {
                let h =
                    wait(|d| m["owner"].get_group_history_message_list(&gid, 1, None, d)).unwrap();
                h[0].clone()
            } else {
                send_text(&m[author], "", &gid, &format!("{author} in {ty}")).unwrap()
            };
            let got = if recaller == author {
                revoke(&m[recaller], &msg, "")
            } else {
                wait(|d| m[recaller].revoke_message_by_id("", &gid, msg.msg_id(), "", d))
            };
            let code = got.err().map(|e| e.code).unwrap_or(0);
            assert_eq!(
                code, expected,
                "{ty}: {recaller} recalling {author}'s message"
            );
            cells += 1;
        }
    }
    // C2C: only the sender; the peer is refused; anyone else finds nothing.
    let msg = send_text(&m["member1"], "member2", "", "c2c").unwrap();
    let by = |who: &str, peer: &str| {
        wait(|d| m[who].revoke_message_by_id(peer, "", msg.msg_id(), "", d))
            .err()
            .map(|e| e.code)
    };
    assert_eq!(
        by("member2", "member1"),
        Some(codes::V2TIM_ERR_REVOKE_NOT_SENDER)
    );
    assert_eq!(
        by("outsider", "member1"),
        Some(codes::ERR_SVR_MSG_NOT_FOUND)
    );
    assert_eq!(by("member1", "member2"), None);
    assert_eq!(cells, 75);
}

#[test]
fn the_time_limit_holds_at_its_edge_and_zero_switches_recall_off() {
    let srv = LocalServer::start_config(|c| c.apps[0].recall_time_limit_secs = 2);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let gid = wait(|d| alice.create_group("Public", "", "g", d)).unwrap();
    wait(|d| bob.join_group(&gid, "", d)).unwrap();

    let c2c_early = send_text(&alice, "bob", "", "early").unwrap();
    let c2c_late = send_text(&alice, "bob", "", "late").unwrap();
    let g_early = send_text(&alice, "", &gid, "early").unwrap();
    let g_late = send_text(&alice, "", &gid, "late").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    revoke(&alice, &c2c_early, "").unwrap();
    revoke(&alice, &g_early, "").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2000));
    assert_eq!(
        revoke(&alice, &c2c_late, "").unwrap_err().code,
        codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT
    );
    assert_eq!(
        revoke(&alice, &g_late, "").unwrap_err().code,
        codes::ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT
    );
    assert_eq!(c2c_late.text(), "late", "a refused recall changes nothing");

    let off = LocalServer::start_config(|c| c.apps[0].recall_time_limit_secs = 0);
    let alice = login(&off.url, "alice");
    let gid = wait(|d| alice.create_group("Public", "", "g", d)).unwrap();
    let c2c = send_text(&alice, "bob", "", "x").unwrap();
    let g = send_text(&alice, "", &gid, "x").unwrap();
    assert_eq!(
        revoke(&alice, &c2c, "").unwrap_err().code,
        codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT
    );
    assert_eq!(
        revoke(&alice, &g, "").unwrap_err().code,
        codes::ERR_SVR_GROUP_REVOKE_MSG_DENY
    );
}

#[test]
fn recalls_racing_new_messages_in_one_batch_are_all_delivered() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let inbox = Inbox::attach(&bob);
    let first: Vec<_> = (0..20)
        .map(|i| send_text(&alice, "bob", "", &format!("a{i}")).unwrap())
        .collect();
    inbox.wait_for(20);
    // Recalls and new sends in flight together: the server commits them in shared batches.
    let (tx, rx) = std::sync::mpsc::channel();
    for (i, msg) in first.iter().enumerate() {
        let t = tx.clone();
        alice.revoke_message(msg, "", Box::new(move |r| t.send(r.map(|_| ())).unwrap()));
        let next = alice.create_text_message(&format!("b{i}")).unwrap();
        let t = tx.clone();
        alice.send_message(
            &next,
            "bob",
            "",
            0,
            Box::new(move |r| t.send(r.map(|_| ())).unwrap()),
        );
    }
    for _ in 0..40 {
        rx.recv_timeout(WAIT).unwrap().unwrap();
    }
    let recalls = inbox.wait_recalls(20);
    inbox.wait_for(40);
    let ids: std::collections::HashSet<_> = recalls.iter().map(|r| r.msg_id.clone()).collect();
    assert_eq!(ids.len(), 20);
    assert!(first.iter().all(|m| ids.contains(m.msg_id())));
}

#[test]
fn a_recall_whose_answer_was_lost_is_retried_once_and_succeeds() {
    let srv = LocalServer::start(None);
    let proxy = Proxy::start(&srv.url);
    let alice = login(&proxy.url, "alice");
    let bob = login(&srv.url, "bob");
    let inbox = Inbox::attach(&bob);
    let msg = send_text(&alice, "bob", "", "retry me").unwrap();
    inbox.wait_for(1);

    // The server gets the recall and acts on it; its answer never reaches alice.
    proxy.mute();
    let (tx, rx) = std::sync::mpsc::channel();
    alice.revoke_message(&msg, "", Box::new(move |r| tx.send(r).unwrap()));
    inbox.wait_recalls(1);
    // The connection dies; the SDK reconnects and sends the same request again.
    proxy.fail();
    proxy.restore();
    rx.recv_timeout(WAIT)
        .unwrap()
        .expect("the retried recall reports success");
    assert_recalled(&msg, "alice", "");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(inbox.recalls().len(), 1, "one recall event, not two");
}

#[test]
fn tombstones_stay_through_history_resync_and_restart() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let inbox = Inbox::attach(&bob);
    let msg = send_text(&alice, "bob", "", "gone for good").unwrap();
    let held = inbox.wait_for(1)[0].clone();
    revoke(&alice, &msg, "").unwrap();
    inbox.wait_recalls(1);
    for _ in 0..3 {
        let h = wait(|d| bob.get_c2c_history_message_list("alice", 10, None, d)).unwrap();
        assert!(h[0].is_revoked() && h[0].text().is_empty());
        assert!(
            std::sync::Arc::ptr_eq(&h[0], &held),
            "one object per message"
        );
    }
    // A full resync (log out, back in) does not bring anything back.
    wait(|d| bob.logout(d)).unwrap();
    wait(|d| bob.login("bob", &sig("bob"), d)).unwrap();
    let h = wait(|d| bob.get_c2c_history_message_list("alice", 10, None, d)).unwrap();
    assert!(h[0].is_revoked() && h[0].text().is_empty());
    assert_eq!(held.text(), "");
    assert_eq!(inbox.recalls().len(), 1);
}

/// POSTs a V2TIM REST command to the admin listener and returns the JSON answer.
fn admin_post(addr: std::net::SocketAddr, path: &str, body: &str) -> serde_json::Value {
    use std::io::{Read, Write};
    let sig = v2tim::core::gen_user_sig(APP, KEY, "administrator", 3600);
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    // UserSigs use only [A-Za-z0-9*_-]: nothing to percent-encode.
    write!(
        s,
        "POST {path}?sdkappid={APP}&identifier=administrator&usersig={sig}&random=7&contenttype=json HTTP/1.1\r\n\
         Host: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let json = answer.split("\r\n\r\n").nth(1).expect("an HTTP body");
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {answer}"))
}

#[test]
fn an_admin_api_recall_past_the_time_limit_reaches_sdk_devices() {
    let srv = LocalServer::start_config(|c| c.apps[0].recall_time_limit_secs = 1);
    let admin = srv
        .rt
        .block_on(srv.server.listen_admin("127.0.0.1:0".parse().unwrap()))
        .unwrap();
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let (ai, bi) = (Inbox::attach(&alice), Inbox::attach(&bob));
    let c2c = send_text(&alice, "bob", "", "reported content").unwrap();
    let gid = wait(|d| alice.create_group("Public", "", "g", d)).unwrap();
    wait(|d| bob.join_group(&gid, "", d)).unwrap();
    let g = send_text(&bob, "", &gid, "reported in group").unwrap();
    ai.wait_for(1);
    std::thread::sleep(std::time::Duration::from_millis(1200));
    assert_eq!(
        revoke(&alice, &c2c, "").unwrap_err().code,
        codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT
    );

    let body = format!(
        r#"{{"From_Account":"alice","To_Account":"bob","MsgKey":"{}","Reason":"abuse report"}}"#,
        c2c.msg_id()
    );
    let r = admin_post(admin, "/v4/openim/admin_msgwithdraw", &body);
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    let heard = Recall {
        msg_id: c2c.msg_id().into(),
        operator: "administrator".into(),
        reason: "abuse report".into(),
    };
    assert_eq!(bi.wait_recalls(1)[0], heard);
    assert_eq!(
        ai.wait_recalls(1)[0],
        heard,
        "the sender's device hears of an admin recall too"
    );
    assert_recalled(&c2c, "administrator", "abuse report");

    let seq = g.with(|d| d.seq);
    let body =
        format!(r#"{{"GroupId":"{gid}","MsgSeqList":[{{"MsgSeq":{seq}}}],"Reason":"off-topic"}}"#);
    let r = admin_post(admin, "/v4/group_open_http_svc/group_msg_recall", &body);
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    assert_eq!(ai.wait_recalls(2)[1].msg_id, g.msg_id());
    let h = wait(|d| alice.get_group_history_message_list(&gid, 10, None, d)).unwrap();
    assert_recalled(&h[0], "administrator", "off-topic");
}
