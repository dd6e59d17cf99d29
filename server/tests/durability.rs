//! The real binary, killed with SIGKILL and restarted on the same data dir: nothing
//! acknowledged is lost.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use common::*;
use serde_json::json;

struct Proc(Child, server_log::ServerLog);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        self.1.show_if_failing();
    }
}

async fn spawn_server(dir: &std::path::Path) -> (Proc, SocketAddr) {
    let log = server_log::ServerLog::for_this_test();
    let mut child = Command::new(env!("CARGO_BIN_EXE_v2tim-server"))
        .args(["--listen", "127.0.0.1:0", "--app", &OPEN_APP.to_string()])
        .args(storage_args(dir).await)
        .stdout(Stdio::piped())
        .stderr(log.stdio())
        .spawn()
        .expect("spawn v2tim-server");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read listening line");
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("bad line {line:?}"));
    (Proc(child, log), addr.parse().unwrap())
}

#[tokio::test]
async fn acknowledged_messages_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let (mut proc, addr) = spawn_server(dir.path()).await;

    let mut a = Client::login_open(addr, "alice", "a").await;
    assert_eq!(
        code(
            &a.request(json!({"op": "create_group", "group_type": "Work", "group_id": "g"}))
                .await
        ),
        0
    );
    // Pipeline many sends and kill the server as soon as half are acknowledged.
    let mut ids = Vec::new();
    for i in 0..200 {
        ids.push(
            a.send_request(
                json!({"op": "send_message", "idem_key": format!("k{i}"), "msg_id": format!("m{i}"),
                "receiver": "bob", "elem": {"type": "text", "text": format!("t{i}")}}),
            )
            .await,
        );
    }
    let mut acked = Vec::new();
    for (i, id) in ids.iter().take(100).enumerate() {
        let r = a.answer(*id).await;
        assert_eq!(code(&r), 0, "{r}");
        acked.push(format!("m{i}"));
    }
    proc.0.kill().unwrap(); // SIGKILL
    proc.0.wait().unwrap();
    drop(a);

    let (_proc2, addr2) = spawn_server(dir.path()).await;
    let mut b = Client::connect(addr2).await;
    let login = b.login(OPEN_APP, "bob", "", "b").await;
    let head = login["data"]["head_seq"].as_u64().unwrap();
    assert!(head >= 100, "head {head}");
    let mut after = 0;
    let mut seen = Vec::new();
    loop {
        let page = b.sync(after, 0).await;
        for e in page["events"].as_array().unwrap() {
            assert_eq!(e["seq"].as_u64().unwrap(), after + 1);
            after += 1;
            // Conversation seqs are gap-free too, and content is intact.
            assert_eq!(e["msg"]["seq"].as_u64().unwrap(), after);
            let id = e["msg"]["msg_id"].as_str().unwrap().to_string();
            assert_eq!(e["msg"]["elem"]["text"], format!("t{}", &id[1..]));
            seen.push(id);
        }
        if page["more"] == false {
            break;
        }
    }
    assert_eq!(after, head);
    for id in &acked {
        assert!(seen.contains(id), "acknowledged {id} lost");
    }
    // Retrying an acknowledged send after the restart still gives the original answer.
    let mut a = Client::login_open(addr2, "alice", "a").await;
    let retry = a
        .request(
            json!({"op": "send_message", "idem_key": "k0", "msg_id": "m0", "receiver": "bob",
                        "elem": {"type": "text", "text": "t0"}}),
        )
        .await;
    assert_eq!(retry["data"]["msg"]["seq"], 1);
    assert_eq!(code(&a.send_group("g", "gm", "group survived").await), 0);
}

#[tokio::test]
async fn an_acknowledged_recall_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let (mut proc, addr) = spawn_server(dir.path()).await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    assert_eq!(code(&a.send_c2c("bob", "m1", "KILL-SECRET-91").await), 0);
    let ack = a
        .request(
            json!({"op": "revoke_message", "idem_key": "r1", "msg_id": "m1",
                        "conv": {"kind": "c2c", "peer": "bob"}, "reason": "gone"}),
        )
        .await;
    assert_eq!(code(&ack), 0, "{ack}");
    proc.0.kill().unwrap(); // SIGKILL right after the acknowledgement
    proc.0.wait().unwrap();
    drop(a);

    let (_proc2, addr2) = spawn_server(dir.path()).await;
    let mut b = Client::login_open(addr2, "bob", "b").await;
    let page = b.sync(0, 0).await;
    let ev = page["events"].as_array().unwrap();
    assert_eq!(ev.len(), 2, "{page}");
    assert_eq!(ev[0]["msg"]["elem"]["type"], "none");
    assert_eq!(ev[1]["event"], "message_revoked");
    assert_eq!(ev[1]["msg"]["revoked"]["reason"], "gone");
    // The retry after the restart gets the original success.
    let mut a = Client::login_open(addr2, "alice", "a").await;
    let retry = a
        .request(
            json!({"op": "revoke_message", "idem_key": "r1", "msg_id": "m1",
                        "conv": {"kind": "c2c", "peer": "bob"}, "reason": "gone"}),
        )
        .await;
    assert_eq!(retry["data"], ack["data"]);
    assert!(!b.raw.join("").contains("KILL-SECRET"));
}
