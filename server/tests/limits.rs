//! Frame size limits: an oversized frame closes only the connection that sent it.

mod common;

use common::*;
use serde_json::json;
use v2tim_proto::codes;
use v2tim_proto::limits::MAX_FRAME_BYTES;

#[tokio::test]
async fn oversized_frame_closes_only_that_connection() {
    let (_s, addr) = start().await;
    let mut bystander = Client::login_open(addr, "bob", "b").await;
    let mut big = Client::login_open(addr, "alice", "a").await;

    let frame = json!({"id": 9, "op": "ping", "pad": "x".repeat(MAX_FRAME_BYTES)}).to_string();
    // The server may close before the whole frame is written: a failed write is fine.
    let _ = futures_util::SinkExt::send(
        &mut big.ws,
        tokio_tungstenite::tungstenite::Message::Text(frame),
    )
    .await;
    let mut saw_limit_error = false;
    while let Some(f) = big.read_frame().await {
        if f["code"] == codes::ERR_SDK_NET_PKG_SIZE_LIMIT {
            saw_limit_error = true;
        }
    }
    // Whether the error frame arrives depends on TCP timing; the close always does.
    eprintln!("saw 9522 error frame: {saw_limit_error}");

    assert_eq!(code(&bystander.request(json!({"op": "ping"})).await), 0);
    let mut again = Client::login_open(addr, "alice", "a2").await;
    assert_eq!(code(&again.send_c2c("bob", "m1", "still up").await), 0);
    assert_eq!(bystander.push().await["event"]["msg"]["msg_id"], "m1");
}

#[tokio::test]
async fn frames_just_under_the_limit_are_accepted() {
    let (_s, addr) = start().await;
    let mut c = Client::login_open(addr, "alice", "a").await;
    let pad = "x".repeat(MAX_FRAME_BYTES - 100);
    let res = c.request(json!({"op": "ping", "pad": pad})).await;
    assert_eq!(code(&res), 0, "{res}");
}
