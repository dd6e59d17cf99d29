//! Abuse from clients the server cannot trust. Most refusals are tested where the feature
//! lives (see docs/RELIABILITY.md, "Security and abuse", for the whole table); this file
//! adds what was missing: a flood of requests from one connection, replayed idempotency
//! keys and message ids of another user, and recall or history by id across conversations.

mod common;

use std::time::{Duration, Instant};

use common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;
use v2tim_server::ServerConfig;

/// Generous: on a loaded 2-core machine a flood may slow others down, never stop them.
const PATIENCE: Duration = Duration::from_secs(120);

/// Sends `req` and waits (up to [`PATIENCE`]) for its answer, ignoring pushes.
async fn slow_request(c: &mut Client, req: Value) -> Value {
    let id = c.send_request(req).await;
    loop {
        let f = tokio::time::timeout(PATIENCE, c.ws.next())
            .await
            .expect("an answer while the server is flooded")
            .expect("connection open")
            .expect("frame");
        let Message::Text(t) = f else { continue };
        let v: Value = serde_json::from_str(&t).unwrap();
        if v["t"] == "res" && v["id"] == json!(id) {
            return v;
        }
    }
}

fn send_req(to: &str, msg_id: &str) -> Value {
    json!({"op": "send_message", "idem_key": format!("k-{msg_id}"), "msg_id": msg_id,
           "receiver": to, "elem": {"type": "text", "text": "flood"}})
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_from_one_connection_leaves_the_server_responsive_for_others() {
    let dir = tempfile::tempdir().unwrap();
    let (_s, addr) = start_with(ServerConfig {
        data_dir: Some(dir.path().to_path_buf()),
        ..ServerConfig::default()
    })
    .await;
    let mut bob = Client::login_open(addr, "bob", "b").await;
    let mut base = Vec::new();
    for i in 0..20 {
        let t = Instant::now();
        let r = slow_request(&mut bob, send_req("carol", &format!("base{i}"))).await;
        assert_eq!(code(&r), 0, "{r}");
        base.push(t.elapsed());
    }

    // Mallory writes N sends as fast as the socket takes them and reads every answer (so
    // the outbound-queue limit, which cuts off clients that do not read, does not apply).
    const N: usize = 20_000;
    let flooder = Client::login_open(addr, "mallory", "m").await;
    let (mut sink, mut stream) = flooder.ws.split();
    let flood_start = Instant::now();
    let writer = tokio::spawn(async move {
        for i in 0..N {
            let mut r = send_req("carol", &format!("f{i}"));
            r["id"] = json!(i + 1);
            sink.feed(Message::Text(r.to_string())).await.unwrap();
        }
        sink.flush().await.unwrap();
        flood_start.elapsed()
    });
    let reader = tokio::spawn(async move {
        let mut answered = 0;
        while answered < N {
            match tokio::time::timeout(PATIENCE, stream.next()).await {
                Ok(Some(Ok(Message::Text(_)))) => answered += 1,
                Ok(Some(Ok(_))) => {}
                _ => break,
            }
        }
        (answered, flood_start.elapsed())
    });

    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut during = Vec::new();
    for i in 0..10 {
        let t = Instant::now();
        let r = slow_request(&mut bob, send_req("carol", &format!("during{i}"))).await;
        assert_eq!(code(&r), 0, "{r}");
        during.push(t.elapsed());
        if i == 0 {
            eprintln!(
                "bob's first send during the flood is event {} of carol's sequence",
                r["data"]["msg"]["seq"]
            );
        }
    }
    eprintln!("bob's round trips during the flood: {during:.1?}");
    let written = writer.await.unwrap();
    let (answered, flood_done) = reader.await.unwrap();
    eprintln!(
        "flood of {N} sends: written in {written:.2?}, {answered} answered in {flood_done:.2?}; \
         bob's send round trip: median {:.2?} before, median {:.2?} / max {:.2?} during",
        median(base),
        median(during.clone()),
        during.iter().max().unwrap()
    );
    // Still serving everyone afterwards.
    let mut carol = Client::login_open(addr, "carol", "c").await;
    assert_eq!(code(&carol.request(json!({"op": "ping"})).await), 0);
}
