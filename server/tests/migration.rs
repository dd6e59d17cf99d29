//! A database written by an earlier build is served correctly by this one: the server
//! migrates it in place at open, then history, sync and recall work on what it held.
//!
//! `tests/fixtures/schema-v2.db` was written by the build of schema version 2 (commit
//! 7ef2352) with [`make_fixture`]: `V2TIM_MAKE_FIXTURE=1 cargo test -p v2tim-server --test
//! migration` rewrites it with the current build first. Keep the old fixtures when the
//! schema changes and add one per version, so every upgrade path stays tested.

mod common;

use std::path::Path;

use common::*;
use serde_json::{json, Value};
use v2tim_server::DB_FILE;

const FIXTURE_V2: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-v2.db");
/// Written by the build of schema version 3 (fan-out on read).
const FIXTURE_V3: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-v3.db");
/// The fixture [`make_fixture`] writes: the current schema's.
const FIXTURE_CURRENT: &str = FIXTURE_V3;

/// What the fixture holds: alice and bob's C2C messages (c3 recalled by alice), a Work
/// group of alice, bob and carol (g2 recalled by its owner with a reason), and carol's
/// message to bob.
async fn populate(addr: std::net::SocketAddr) {
    let mut alice = Client::login_open(addr, "alice", "a").await;
    let mut bob = Client::login_open(addr, "bob", "b").await;
    for i in 1..=5 {
        assert_eq!(
            code(
                &alice
                    .send_c2c("bob", &format!("c{i}"), &format!("hello {i}"))
                    .await
            ),
            0
        );
    }
    assert_eq!(
        code(&revoke(&mut alice, "r-c3", "c3", c2c("bob"), "").await),
        0
    );
    let g = alice
        .request(
            json!({"op": "create_group", "group_type": "Work", "group_id": "team", "name": "Team"}),
        )
        .await;
    assert_eq!(code(&g), 0, "{g}");
    let inv = alice
        .request(json!({"op": "invite_to_group", "group_id": "team", "user_ids": ["bob", "carol"]}))
        .await;
    assert_eq!(code(&inv), 0, "{inv}");
    for i in 1..=3 {
        assert_eq!(
            code(
                &bob.send_group("team", &format!("g{i}"), &format!("group {i}"))
                    .await
            ),
            0
        );
    }
    assert_eq!(
        code(&revoke(&mut alice, "r-g2", "g2", grp("team"), "off topic").await),
        0
    );
    let mut carol = Client::login_open(addr, "carol", "c").await;
    assert_eq!(code(&carol.send_c2c("bob", "k1", "from carol").await), 0);
}

fn texts(page: &Value, field: &str) -> Vec<(String, String, bool)> {
    page["data"][field]
        .as_array()
        .expect("a page")
        .iter()
        .map(|m| {
            let m = if field == "events" {
                &m["body"]["msg"]
            } else {
                m
            };
            (
                m["msg_id"].as_str().unwrap_or_default().to_string(),
                m["elem"]["text"].as_str().unwrap_or_default().to_string(),
                !m["revoked"].is_null(),
            )
        })
        .collect()
}

/// Rewrites the fixture with the current build (see the module docs).
async fn make_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let (server, addr) = start_as_configured(v2tim_server::ServerConfig {
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    })
    .await;
    populate(addr).await;
    server.shutdown();
    drop(server);
    std::fs::create_dir_all(Path::new(FIXTURE_CURRENT).parent().unwrap()).unwrap();
    std::fs::copy(dir.path().join(DB_FILE), FIXTURE_CURRENT).unwrap();
    eprintln!("wrote {FIXTURE_CURRENT}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_v2_database_is_upgraded_and_served() {
    if std::env::var("V2TIM_MAKE_FIXTURE").is_ok_and(|v| v == "1") {
        make_fixture().await;
    }
    upgraded_and_served(FIXTURE_V2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_v3_database_is_served() {
    upgraded_and_served(FIXTURE_V3).await;
}

/// Opens a copy of `fixture` and checks that history, sync, idempotency and recall work
/// on what [`populate`] left in it.
async fn upgraded_and_served(fixture: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture, dir.path().join(DB_FILE)).expect("fixture");
    let (server, addr) = start_as_configured(v2tim_server::ServerConfig {
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    })
    .await;

    // A fresh device of bob: history and sync from the beginning.
    let mut bob = Client::login_open(addr, "bob", "fresh").await;
    let c2c_page = bob
        .request(json!({"op": "history", "conv": c2c("alice"), "count": 20}))
        .await;
    let hist = texts(&c2c_page, "messages");
    let expect: Vec<(String, String, bool)> = (1..=5)
        .rev()
        .map(|i| {
            let recalled = i == 3;
            let text = if recalled {
                String::new()
            } else {
                format!("hello {i}")
            };
            (format!("c{i}"), text, recalled)
        })
        .collect();
    assert_eq!(hist, expect, "{c2c_page}");
    // The migration typed the old messages: a text filter keeps the four not recalled
    // (c3 was erased before types were kept, so it is type 0).
    let typed = bob
        .request(json!({"op": "history", "conv": c2c("alice"), "count": 20, "elem_types": [1]}))
        .await;
    let ids: Vec<String> = texts(&typed, "messages").into_iter().map(|t| t.0).collect();
    assert_eq!(ids, ["c5", "c4", "c2", "c1"], "{typed}");
    let group_page = bob
        .request(json!({"op": "history", "conv": grp("team"), "count": 20}))
        .await;
    let g = texts(&group_page, "messages");
    assert_eq!(g.len(), 3, "{group_page}");
    assert_eq!(
        g[1],
        ("g2".into(), String::new(), true),
        "recalled, no content"
    );
    assert_eq!(
        group_page["data"]["messages"][1]["revoked"]["reason"],
        "off topic"
    );
    let sync = bob.sync(0, 0).await;
    let events = sync["events"].as_array().unwrap();
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "in order: {seqs:?}");
    let all = serde_json::to_string(&sync).unwrap();
    assert!(
        !all.contains("group 2") && !all.contains("hello 3"),
        "recalled content in sync"
    );
    assert!(all.contains("from carol") && all.contains("hello 5"));
    // Bob's sequence: five C2C messages and a recall, three group messages and a recall,
    // carol's message.
    assert_eq!(events.len(), 11, "{sync}");
    assert_eq!(sync["more"], false);
    // Carol joined before the group's messages: they and their recall are hers too.
    let mut carol = Client::login_open(addr, "carol", "fresh").await;
    let carol_sync = carol.sync(0, 0).await;
    assert_eq!(
        carol_sync["events"].as_array().unwrap().len(),
        5,
        "{carol_sync}"
    );

    // Retries of requests made before the upgrade get their first answers.
    let mut alice = Client::login_open(addr, "alice", "a2").await;
    let retry = alice.send_c2c("bob", "c2", "hello 2").await;
    assert_eq!(code(&retry), 0, "{retry}");
    assert_eq!(retry["data"]["msg"]["seq"], 2);
    let again = revoke(&mut alice, "r-c3", "c3", c2c("bob"), "").await;
    assert_eq!(code(&again), 0, "{again}");
    assert_eq!(again["data"]["msg"]["msg_id"], "c3");
    // A group message after the upgrade reaches the members' sequences.
    assert_eq!(code(&alice.send_group("team", "g4", "group 4").await), 0);
    let carol_after = carol
        .sync(carol_sync["head_seq"].as_u64().unwrap(), 0)
        .await;
    assert_eq!(
        carol_after["events"][0]["msg"]["msg_id"], "g4",
        "{carol_after}"
    );

    // New work on the upgraded database: a send, and an admin recall of an old message
    // (admin recalls have no time limit), pushed to bob.
    assert_eq!(
        code(&alice.send_c2c("bob", "c6", "after the upgrade").await),
        0
    );
    // The fixture's users are of OPEN_APP, whose UserSigs (the admin's too) are not checked.
    let query = format!("sdkappid={OPEN_APP}&identifier=administrator&usersig=-&random=1");
    let body = json!({"From_Account": "alice", "To_Account": "bob", "MsgKey": "c1"}).to_string();
    let r = v2tim_server::admin::execute(
        &server,
        v2tim_server::admin::PATH_MSGWITHDRAW,
        &query,
        body.as_bytes(),
    )
    .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    let page = bob
        .request(json!({"op": "history", "conv": c2c("alice"), "count": 20}))
        .await;
    let hist = texts(&page, "messages");
    assert_eq!(hist[0], ("c6".into(), "after the upgrade".into(), false));
    assert_eq!(hist.last().unwrap(), &("c1".into(), String::new(), true));
}
