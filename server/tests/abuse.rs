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
use v2tim_proto::codes;
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
    let (_s, addr) = start_in(dir.path()).await;
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
    // Reads run beside the writer (store/sqlite/reader.rs): not behind the flood's batches.
    let mut reads = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let r = slow_request(
            &mut bob,
            json!({"op": "history", "conv": {"kind": "c2c", "peer": "carol"}, "count": 20}),
        )
        .await;
        assert_eq!(code(&r), 0, "{r}");
        reads.push(t.elapsed());
    }
    eprintln!(
        "bob's history round trip during the flood: median {:.2?} / max {:.2?}",
        median(reads.clone()),
        reads.iter().max().unwrap()
    );
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

/// Every text frame `c` received so far, joined.
fn seen(c: &Client) -> String {
    c.raw.join("\n")
}

#[tokio::test]
async fn another_users_idempotency_keys_and_message_ids_reveal_and_change_nothing() {
    let (_s, addr) = start().await;
    let mut alice = Client::login_open(addr, "alice", "a").await;
    let mut bob = Client::login_open(addr, "bob", "b").await;
    let mut mallory = Client::login_open(addr, "mallory", "m").await;
    assert_eq!(code(&alice.send_c2c("bob", "m1", "alice-secret").await), 0);
    assert_eq!(
        code(&revoke(&mut alice, "r1", "m1", c2c("bob"), "oops").await),
        0
    );
    assert_eq!(
        code(&alice.send_c2c("bob", "m2", "alice-secret-2").await),
        0
    );

    // Alice's idempotency keys are hers: replayed by mallory they are new requests, never
    // alice's recorded answers.
    let r = mallory
        .request(
            json!({"op": "send_message", "idem_key": "k-m2", "msg_id": "m2",
                         "receiver": "bob", "elem": {"type": "text", "text": "hijack"}}),
        )
        .await;
    assert_eq!(code(&r), codes::V2TIM_ERR_DUPLICATE_MSG_ID as i64, "{r}");
    let r = revoke(&mut mallory, "r1", "m1", c2c("bob"), "").await;
    assert_eq!(code(&r), codes::ERR_SVR_MSG_NOT_FOUND as i64, "{r}");
    let r = mallory
        .request(
            json!({"op": "send_message", "idem_key": "k-m2", "msg_id": "m9",
                         "receiver": "bob", "elem": {"type": "text", "text": "mine"}}),
        )
        .await;
    assert_eq!(code(&r), 0, "a key is per user: {r}");
    assert_eq!(r["data"]["msg"]["sender"], "mallory");
    assert!(
        !seen(&mallory).contains("alice-secret"),
        "{}",
        seen(&mallory)
    );

    // Bob's view of alice's messages did not change.
    let h = bob
        .request(json!({"op": "history", "conv": c2c("alice"), "count": 10}))
        .await;
    let msgs = h["data"]["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 2, "{h}");
    assert_eq!(msgs[0]["msg_id"], "m2");
    assert_eq!(msgs[0]["elem"]["text"], "alice-secret-2");
    assert_eq!(msgs[1]["msg_id"], "m1");
    assert_eq!(msgs[1]["revoked"]["revoker"], "alice");
}

#[tokio::test]
async fn recall_and_history_by_id_across_conversations_reveal_nothing() {
    let (_s, addr) = start().await;
    let mut alice = Client::login_open(addr, "alice", "a").await;
    let mut bob = Client::login_open(addr, "bob", "b").await;
    let mut mallory = Client::login_open(addr, "mallory", "m").await;
    let create =
        |id: &str| json!({"op": "create_group", "group_type": "Work", "group_id": id, "name": "n"});
    assert_eq!(code(&alice.request(create("g1")).await), 0);
    assert_eq!(
        code(
            &alice
                .request(json!({"op": "invite_to_group", "group_id": "g1", "user_ids": ["bob"]}))
                .await
        ),
        0
    );
    assert_eq!(
        code(&alice.send_group("g1", "gm1", "group-secret").await),
        0
    );
    assert_eq!(code(&alice.send_c2c("bob", "cm1", "c2c-secret").await), 0);
    // Mallory owns a group of her own and talks to bob.
    assert_eq!(code(&mallory.request(create("g2")).await), 0);
    assert_eq!(code(&mallory.send_c2c("bob", "mm1", "hi bob").await), 0);

    // Owner of g2, mallory names g1's message through g2: not found, worded as for an id
    // that does not exist.
    let through_own = revoke(&mut mallory, "x1", "gm1", grp("g2"), "").await;
    let unknown = revoke(&mut mallory, "x2", "zz9", grp("g2"), "").await;
    assert_eq!(
        code(&through_own),
        codes::ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND as i64,
        "{through_own}"
    );
    assert_eq!(code(&unknown), code(&through_own));
    assert_eq!(
        through_own["desc"].as_str().unwrap().replace("gm1", "ID"),
        unknown["desc"].as_str().unwrap().replace("zz9", "ID")
    );
    // The same through g1 itself, where she is no member: refused.
    let r = revoke(&mut mallory, "x3", "gm1", grp("g1"), "").await;
    assert_eq!(code(&r), codes::ERR_SVR_GROUP_PERMISSION_DENY as i64, "{r}");
    // Alice's C2C message to bob, named through mallory's own conversation with bob.
    let through_c2c = revoke(&mut mallory, "x4", "cm1", c2c("bob"), "").await;
    let unknown = revoke(&mut mallory, "x5", "zz8", c2c("bob"), "").await;
    assert_eq!(code(&through_c2c), codes::ERR_SVR_MSG_NOT_FOUND as i64);
    assert_eq!(
        through_c2c["desc"].as_str().unwrap().replace("cm1", "ID"),
        unknown["desc"].as_str().unwrap().replace("zz8", "ID")
    );
    // A group message named as a C2C one, and the other way round.
    let r = revoke(&mut mallory, "x6", "gm1", c2c("alice"), "").await;
    assert_eq!(code(&r), codes::ERR_SVR_MSG_NOT_FOUND as i64, "{r}");
    let r = revoke(&mut alice, "x7", "cm1", grp("g1"), "").await;
    assert_eq!(
        code(&r),
        codes::ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND as i64,
        "{r}"
    );

    // History: mallory's C2C history "with bob" is her own conversation only, and g1's is
    // refused.
    let h = mallory
        .request(json!({"op": "history", "conv": c2c("bob"), "count": 100}))
        .await;
    let ids = history_ids(&h);
    assert_eq!(ids, ["mm1"], "{h}");
    let h = mallory
        .request(json!({"op": "history", "conv": grp("g1"), "count": 100}))
        .await;
    assert_eq!(code(&h), codes::ERR_SVR_GROUP_PERMISSION_DENY as i64);
    assert!(!seen(&mallory).contains("secret"), "{}", seen(&mallory));

    // Nothing was recalled by any of it.
    let h = bob
        .request(json!({"op": "history", "conv": grp("g1"), "count": 10}))
        .await;
    assert_eq!(h["data"]["messages"][0]["elem"]["text"], "group-secret");
    let h = bob
        .request(json!({"op": "history", "conv": c2c("alice"), "count": 10}))
        .await;
    assert_eq!(h["data"]["messages"][0]["elem"]["text"], "c2c-secret");
}

/// A client that vanished without a FIN or RST (a black hole) sends nothing, not even the
/// SDK's ping after 15 s of silence: the server closes such a connection after
/// `idle_timeout_secs` instead of keeping it registered for the kernel's lifetime of it. A
/// client that keeps talking (here: a ping every 200 ms) is not touched.
#[tokio::test]
async fn a_silent_logged_in_connection_is_closed_and_a_talking_one_is_not() {
    let (_s, addr) = start_with(ServerConfig {
        idle_timeout_secs: 1,
        ..ServerConfig::default()
    })
    .await;
    let mut silent = Client::login_open(addr, "ghost", "g").await;
    let mut talker = Client::login_open(addr, "talker", "t").await;
    let started = Instant::now();
    while started.elapsed() < Duration::from_millis(2500) {
        let r = talker.request(json!({"op": "ping"})).await;
        assert_eq!(code(&r), 0, "{r}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The silent one was closed (its next read ends), the talker still gets answers.
    assert_eq!(silent.read_frame().await, None);
    let r = talker.request(json!({"op": "ping"})).await;
    assert_eq!(code(&r), 0, "{r}");
}
