//! What only the PostgreSQL backend has: several servers on one database, its schema
//! versions, an unreachable database. The rest of the server suite runs on PostgreSQL too
//! (scripts/test.sh, step tests-postgres). These tests need `V2TIM_TEST_POSTGRES`
//! (scripts/services.sh starts a database), so they are ignored in the SQLite run and run
//! with `--include-ignored` in that step.

mod common;

use std::collections::HashSet;

use common::*;
use serde_json::{json, Value};
use v2tim_server::{AppConfig, Server, ServerConfig};

const NEEDS: &str = "needs V2TIM_TEST_POSTGRES (scripts/services.sh; apt-get install postgresql)";

/// A schema of the test database for servers that share it, and its URL.
async fn shared_database() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = postgres_url(Some(dir.path()))
        .await
        .unwrap_or_else(|| panic!("{NEEDS}"));
    (dir, url)
}

fn config(url: &str) -> ServerConfig {
    ServerConfig {
        database_url: Some(url.to_string()),
        apps: vec![AppConfig::new(OPEN_APP, None)],
        ..ServerConfig::default()
    }
}

#[tokio::test]
#[ignore = "needs V2TIM_TEST_POSTGRES: runs in scripts/test.sh's tests-postgres step"]
async fn nodes_starting_together_migrate_once_and_a_newer_schema_is_refused() {
    let (dir, url) = shared_database().await;
    let opened: Vec<_> = (0..3)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || Server::open(config(&url)))
        })
        .collect();
    let servers: Vec<_> = opened
        .into_iter()
        .map(|t| t.join().unwrap().expect("every node opens"))
        .collect();
    for s in &servers {
        s.shutdown();
    }
    let pg = postgres_client(dir.path()).await.unwrap();
    let version: i64 = pg
        .query_one("SELECT version FROM v2tim_schema", &[])
        .await
        .unwrap()
        .get(0);
    // Every migration of server/src/store/postgres/schema.rs ran, once (6: cloud data).
    assert_eq!(version, 6);
    let rows: i64 = pg
        .query_one("SELECT count(*) FROM v2tim_schema", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(rows, 1);
    pg.batch_execute("UPDATE v2tim_schema SET version = 99")
        .await
        .unwrap();
    let err = Server::open(config(&url))
        .err()
        .expect("a newer schema is refused");
    assert!(err.to_string().contains("newer"), "{err}");
}

#[tokio::test]
#[ignore = "needs V2TIM_TEST_POSTGRES: runs in scripts/test.sh's tests-postgres step"]
async fn an_unreachable_database_is_an_error_not_a_hang() {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    let started = std::time::Instant::now();
    let err = Server::open(config("postgres://v2tim@127.0.0.1:1/v2tim"))
        .err()
        .expect("no database, no server");
    assert!(err.to_string().contains("PostgreSQL"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    let err = Server::open(config("mysql://nope")).err().unwrap();
    assert!(err.to_string().contains("database_url"), "{err}");
}

#[tokio::test]
#[ignore = "needs V2TIM_TEST_POSTGRES: runs in scripts/test.sh's tests-postgres step"]
async fn two_nodes_write_one_log_in_commit_order() {
    let (_dir, url) = shared_database().await;
    let (node_a, addr_a) = start_with(config(&url)).await;
    let (node_b, addr_b) = start_with(config(&url)).await;
    let mut owner = Client::login_open(addr_a, "owner", "o").await;
    let r = owner
        .request(json!({"op": "create_group", "group_type": "Work", "group_id": "g"}))
        .await;
    assert_eq!(code(&r), 0, "{r}");
    let mut senders = Vec::new();
    for i in 0..4 {
        let user = format!("u{i}");
        let r = owner
            .request(json!({"op": "invite_to_group", "group_id": "g", "user_ids": [user]}))
            .await;
        assert_eq!(code(&r), 0, "{r}");
        // Half the senders on each node.
        let addr = if i % 2 == 0 { addr_a } else { addr_b };
        senders.push(Client::login_open(addr, &user, "d").await);
    }
    // Every sender pipelines its sends; both nodes' writers run at once.
    const EACH: usize = 40;
    let tasks: Vec<_> = senders
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for n in 0..EACH {
                    let msg = format!("m{i}-{n}");
                    ids.push(
                        c.send_request(json!({"op": "send_message", "idem_key": msg,
                            "msg_id": msg, "group_id": "g",
                            "elem": {"type": "text", "text": "x"}}))
                            .await,
                    );
                }
                for id in ids {
                    let r = c.answer(id).await;
                    assert_eq!(code(&r), 0, "{r}");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    // The owner's sync from node B: every message once, in position order, each
    // conversation seq used once.
    let mut reader = Client::login_open(addr_b, "owner", "o2").await;
    let page = reader.sync(0, 0).await;
    assert_eq!(page["more"], false, "{page}");
    let all = page["events"].as_array().unwrap();
    // Besides the messages, the group tips of the four invitations.
    let events: Vec<&Value> = all
        .iter()
        .filter(|e| e["msg"]["elem"]["type"] != "group_tips")
        .collect();
    assert_eq!(all.len() - events.len(), 4);
    assert_eq!(events.len(), 4 * EACH);
    let positions: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    let mut seqs: Vec<u64> = events
        .iter()
        .map(|e| e["msg"]["seq"].as_u64().unwrap())
        .collect();
    seqs.sort_unstable();
    // Seqs 1 to 4 are the tips.
    assert_eq!(seqs, (5..=(4 * EACH) as u64 + 4).collect::<Vec<_>>());
    let ids: HashSet<&str> = events
        .iter()
        .map(|e| e["msg"]["msg_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 4 * EACH);
    // A message sent on A is recalled on B, and history on A says so.
    let mut u0_on_a = Client::login_open(addr_a, "u0", "d2").await;
    assert_eq!(code(&u0_on_a.send_group("g", "late", "RECALL-ME").await), 0);
    let mut u0_on_b = Client::login_open(addr_b, "u0", "d3").await;
    let r = revoke(&mut u0_on_b, "rk", "late", grp("g"), "").await;
    assert_eq!(code(&r), 0, "{r}");
    let h = u0_on_a
        .request(json!({"op": "history", "conv": grp("g"), "count": 1}))
        .await;
    let newest = &h["data"]["messages"][0];
    assert_eq!(newest["msg_id"], "late", "{h}");
    assert_eq!(newest["elem"]["type"], "none", "{h}");
    node_a.shutdown();
    node_b.shutdown();
}

#[tokio::test]
#[ignore = "needs V2TIM_TEST_POSTGRES: runs in scripts/test.sh's tests-postgres step"]
async fn a_node_outlives_its_database_connections_being_terminated() {
    let (dir, url) = shared_database().await;
    let node_id = format!("term-{}", std::process::id());
    let (node, addr) = start_with(ServerConfig {
        node_id: Some(node_id.clone()),
        ..config(&url)
    })
    .await;
    let mut alice = Client::login_open(addr, "alice", "a").await;
    let mut bob = Client::login_open(addr, "bob", "b").await;
    assert_eq!(code(&alice.send_c2c("bob", "m1", "before").await), 0);
    assert_eq!(bob.push().await["event"]["msg"]["msg_id"], "m1");
    // What an operator's pg_terminate_backend, or a PostgreSQL restart, does to the node.
    let pg = postgres_client(dir.path()).await.unwrap();
    let killed = pg
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            &[&format!("v2tim-server {node_id}")],
        )
        .await
        .unwrap();
    assert!(killed >= 1, "the node's connections are named after it");
    // The writer and the readers reconnect: the next write and read just work.
    assert_eq!(code(&alice.send_c2c("bob", "m2", "after").await), 0);
    assert_eq!(bob.push().await["event"]["msg"]["msg_id"], "m2");
    let h = bob
        .request(json!({"op": "history", "conv": c2c("alice"), "count": 10}))
        .await;
    let ids = history_ids(&h);
    assert_eq!(ids, ["m2", "m1"]);
    node.shutdown();
}

#[tokio::test]
#[ignore = "needs V2TIM_TEST_POSTGRES: runs in scripts/test.sh's tests-postgres step"]
async fn history_reads_newer_messages_and_time_ranges_on_postgresql() {
    let (_dir, url) = shared_database().await;
    let (node, addr) = start_with(config(&url)).await;
    let mut alice = Client::login_open(addr, "alice", "a").await;
    let mut bob = Client::login_open(addr, "bob", "b").await;
    for i in 1..=4 {
        assert_eq!(code(&alice.send_c2c("bob", &format!("m{i}"), "x").await), 0);
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    let seqs = |p: &serde_json::Value| -> Vec<u64> {
        p["data"]["messages"]
            .as_array()
            .unwrap_or_else(|| panic!("{p}"))
            .iter()
            .map(|m| m["seq"].as_u64().unwrap())
            .collect()
    };
    let newer = bob
        .request(json!({"op": "history", "conv": c2c("alice"), "count": 2, "newer": true, "after_seq": 1}))
        .await;
    assert_eq!(seqs(&newer), vec![2, 3]);
    let all = bob
        .request(json!({"op": "history", "conv": c2c("alice"), "count": 10}))
        .await;
    let ts: Vec<i64> = all["data"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["timestamp_ms"].as_i64().unwrap())
        .collect();
    // Newest first: ts[0] is seq 4. The range of seqs 2..=3 by their send times.
    let (from, to) = (ts[2], ts[1]);
    let ranged = bob
        .request(json!({"op": "history", "conv": c2c("alice"), "count": 10, "time_from_ms": from, "time_to_ms": to}))
        .await;
    let got = seqs(&ranged);
    assert!(
        got.contains(&3) && got.contains(&2) && !got.contains(&4),
        "{got:?}"
    );
    node.shutdown();
}

#[tokio::test]
#[ignore = "needs V2TIM_TEST_POSTGRES: runs in scripts/test.sh's tests-postgres step"]
async fn history_filters_by_element_type_on_postgresql() {
    let (_dir, url) = shared_database().await;
    let (node, addr) = start_with(config(&url)).await;
    check_history_type_filters(addr).await;
    node.shutdown();
}

#[tokio::test]
#[ignore = "needs V2TIM_TEST_POSTGRES: runs in scripts/test.sh's tests-postgres step"]
async fn message_extras_on_postgresql() {
    let (_dir, url) = shared_database().await;
    let (node, addr) = start_with(config(&url)).await;
    check_message_extras(addr).await;
    node.shutdown();
}
