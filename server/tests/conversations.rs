//! The conversation list and read positions over the wire, on the backend the tests run on:
//! last message, unread counts, order, recall, groups joined late, read positions shared
//! by a user's devices.

mod common;

use common::*;
use serde_json::{json, Value};

async fn list(c: &mut Client) -> Vec<Value> {
    let r = c
        .request(json!({"op": "get_conversation_list", "count": 0}))
        .await;
    assert_eq!(code(&r), 0, "{r}");
    r["data"]["conversations"].as_array().unwrap().clone()
}

async fn one(c: &mut Client, conv: Value) -> Value {
    let r = c
        .request(json!({"op": "get_conversation", "conv": conv}))
        .await;
    assert_eq!(code(&r), 0, "{r}");
    r["data"]["conversation"].clone()
}

#[tokio::test]
async fn conversations_carry_last_message_unread_and_order() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    let mut c = Client::login_open(addr, "carol", "c").await;
    let mut b = Client::login_open(addr, "bob", "b").await;
    a.send_c2c("bob", "m1", "hi").await;
    c.send_c2c("bob", "m2", "yo").await;
    c.send_c2c("bob", "m3", "there?").await;
    let l = list(&mut b).await;
    assert_eq!(l.len(), 2);
    assert_eq!(l[0]["conv"], c2c("carol"));
    assert_eq!(l[0]["unread_count"], 2);
    assert_eq!(l[0]["last_message"]["msg_id"], "m3");
    assert_eq!(l[1]["conv"], c2c("alice"));
    assert_eq!(l[1]["unread_count"], 1);
    assert!(l[0]["order_key"].as_u64() > l[1]["order_key"].as_u64());
    assert!(l[0]["as_of"].as_u64() >= l[0]["order_key"].as_u64());
    // Paging below the first one's order.
    let r = b
        .request(json!({"op": "get_conversation_list", "count": 1}))
        .await;
    assert_eq!(r["data"]["more"], true);
    let before = r["data"]["conversations"][0]["order_key"].clone();
    let r = b
        .request(json!({"op": "get_conversation_list", "count": 1, "before_order": before}))
        .await;
    assert_eq!(r["data"]["more"], false);
    assert_eq!(r["data"]["conversations"][0]["conv"], c2c("alice"));
    // The sender's side: nothing unread.
    assert_eq!(one(&mut c, c2c("bob")).await["unread_count"], 0);

    // A recall: the last message in its recalled form, and no longer unread.
    let r = revoke(&mut c, "k1", "m3", c2c("bob"), "").await;
    assert_eq!(code(&r), 0, "{r}");
    let conv = one(&mut b, c2c("carol")).await;
    assert_eq!(conv["unread_count"], 1);
    assert_eq!(conv["last_message"]["msg_id"], "m3");
    assert_eq!(conv["last_message"]["elem"]["type"], "none");
    assert_eq!(conv["last_message"]["revoked"]["revoker"], "carol");
}

#[tokio::test]
async fn read_positions_are_shared_by_devices_and_never_move_back() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    let mut b1 = Client::login_open(addr, "bob", "b1").await;
    let mut b2 = Client::login_open(addr, "bob", "b2").await;
    for i in 1..=3 {
        a.send_c2c("bob", &format!("m{i}"), "x").await;
    }
    let r = b1
        .request(json!({"op": "mark_conversation_read", "conv": c2c("alice"), "upto_seq": 2}))
        .await;
    assert_eq!(code(&r), 0, "{r}");
    assert_eq!(r["data"]["conversation"]["unread_count"], 1);
    assert_eq!(r["data"]["conversation"]["read_seq"], 2);
    // The other device is told; the one that read is not.
    let mut told = false;
    for _ in 0..8 {
        let p = b2.push().await;
        if p["kind"] == "conversation_read" {
            assert_eq!(p["conv"], c2c("alice"));
            told = true;
            break;
        }
    }
    assert!(told, "bob's other device heard of the read");
    assert_eq!(one(&mut b2, c2c("alice")).await["unread_count"], 1);
    let r = b1
        .request(json!({"op": "mark_conversation_read", "conv": c2c("alice"), "upto_seq": 1}))
        .await;
    assert_eq!(r["data"]["conversation"]["read_seq"], 2, "never back");
    let r = b1
        .request(json!({"op": "mark_conversation_read", "conv": c2c("alice")}))
        .await;
    assert_eq!(r["data"]["conversation"]["unread_count"], 0);
    assert_eq!(r["data"]["conversation"]["read_seq"], 3);
    // By time: everything sent up to now.
    a.send_c2c("bob", "m4", "x").await;
    let r = b1
        .request(json!({"op": "mark_conversation_read", "conv": c2c("alice"),
                        "upto_time_ms": 4_000_000_000_000i64}))
        .await;
    assert_eq!(r["data"]["conversation"]["read_seq"], 4);
    // Not a conversation of the caller's.
    let r = b1
        .request(json!({"op": "mark_conversation_read", "conv": c2c("zoe")}))
        .await;
    assert_ne!(code(&r), 0);
    assert!(r["desc"].as_str().unwrap().contains("no such conversation"));
}

#[tokio::test]
async fn a_group_joined_late_counts_only_what_came_after() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    let mut b = Client::login_open(addr, "bob", "b").await;
    let r = a
        .request(
            json!({"op": "create_group", "group_type": "Public", "group_id": "g1",
                        "name": "Lunch"}),
        )
        .await;
    assert_eq!(code(&r), 0, "{r}");
    // The creator has the conversation before any message.
    let conv = one(&mut a, grp("g1")).await;
    assert_eq!(conv["group_name"], "Lunch");
    assert!(conv["last_message"].is_null());
    a.send_group("g1", "g-m1", "before").await;
    let r = b
        .request(json!({"op": "join_group", "group_id": "g1"}))
        .await;
    assert_eq!(code(&r), 0, "{r}");
    let conv = one(&mut b, grp("g1")).await;
    assert_eq!(conv["unread_count"], 0);
    assert_eq!(conv["group_type"], "Public");
    a.send_group("g1", "g-m2", "after").await;
    let conv = one(&mut b, grp("g1")).await;
    assert_eq!(conv["unread_count"], 1);
    assert_eq!(conv["last_message"]["msg_id"], "g-m2");
    // An outsider has no such conversation.
    let mut x = Client::login_open(addr, "mallory", "x").await;
    let r = x
        .request(json!({"op": "get_conversation", "conv": grp("g1")}))
        .await;
    assert_ne!(code(&r), 0);
    assert!(list(&mut x).await.is_empty());
}
