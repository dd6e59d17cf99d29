//! Profiles over the wire, on the backend the tests run on: set_self_info (only what is
//! named changes; the caller's other devices are told), get_users_info, and the names on
//! messages: the sender's on a send, history and sync, the revoker's on a recall.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn profiles_and_the_names_on_messages() {
    let (_s, addr) = start().await;
    let mut a1 = Client::login_open(addr, "alice", "a1").await;
    let mut a2 = Client::login_open(addr, "alice", "a2").await;
    let mut b = Client::login_open(addr, "bob", "b").await;
    let r = a1
        .request(json!({"op": "set_self_info", "changes": {
            "nick_name": "Alice", "face_url": "https://example.com/a.png", "gender": 2,
            "custom_info": {"city": "UGFyaXM="}}}))
        .await;
    assert_eq!(code(&r), 0, "{r}");
    assert_eq!(r["data"]["info"]["nick_name"], "Alice");
    let p = a2.push().await;
    assert_eq!(p["kind"], "self_info_updated");
    assert_eq!(p["info"]["face_url"], "https://example.com/a.png");
    a1.assert_no_push().await;

    let r = a1
        .request(json!({"op": "set_self_info", "changes": {"self_signature": "hi"}}))
        .await;
    assert_eq!(
        r["data"]["info"]["nick_name"], "Alice",
        "unnamed fields stay"
    );
    let r = b
        .request(json!({"op": "get_users_info", "user_ids": ["alice", "ghost"]}))
        .await;
    assert_eq!(code(&r), 0, "{r}");
    let users = r["data"]["users"].as_array().unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["user_id"], "alice");
    assert_eq!(users[0]["self_signature"], "hi");
    assert_eq!(users[0]["custom_info"]["city"], "UGFyaXM=");

    for bad in [
        json!({"op": "set_self_info", "changes": {"gender": 9}}),
        json!({"op": "set_self_info", "changes": {"custom_info": {"a b": "AA=="}}}),
        json!({"op": "set_self_info", "changes": {"custom_info": {"k": "***"}}}),
        json!({"op": "get_users_info", "user_ids": []}),
    ] {
        let r = a1.request(bad.clone()).await;
        assert_ne!(code(&r), 0, "{bad} -> {r}");
    }

    let ack = a1.send_c2c("bob", "n1", "hello").await;
    assert_eq!(ack["data"]["msg"]["nick_name"], "Alice", "{ack}");
    let p = b.push().await;
    assert_eq!(p["event"]["msg"]["nick_name"], "Alice");
    let r = b
        .request(json!({"op": "history", "conv": c2c("alice"), "count": 10}))
        .await;
    assert_eq!(
        r["data"]["messages"][0]["face_url"],
        "https://example.com/a.png"
    );
    let r = revoke(&mut a1, "rk", "n1", c2c("bob"), "").await;
    assert_eq!(code(&r), 0, "{r}");
    assert_eq!(r["data"]["msg"]["revoked"]["revoker_nick"], "Alice");
    let page = b.sync(0, 100).await;
    let events = page["events"].as_array().unwrap();
    let recall = events
        .iter()
        .find(|e| e["event"] == "message_revoked")
        .unwrap();
    assert_eq!(
        recall["msg"]["revoked"]["revoker_nick"], "Alice",
        "{recall}"
    );
    assert_eq!(recall["msg"]["nick_name"], "Alice");
}
