//! Fan-out on read: a group message or recall is stored once, in its conversation's log,
//! and each user's sequence is read from the logs of the conversations the user is (or
//! was) in, within each membership's span. These tests pin down who sees what, that
//! pushes and sync agree (`prev`), and that the writes do not grow with the group.

mod common;

use std::path::Path;

use common::*;
use serde_json::json;
use v2tim_server::DB_FILE;

async fn join(c: &mut Client, group: &str) {
    let r = c
        .request(json!({"op": "join_group", "group_id": group}))
        .await;
    assert_eq!(code(&r), 0, "{r}");
}

async fn quit(c: &mut Client, group: &str) {
    let r = c
        .request(json!({"op": "quit_group", "group_id": group}))
        .await;
    assert_eq!(code(&r), 0, "{r}");
}

async fn create_public(owner: &mut Client, group: &str) {
    let r = owner
        .request(
            json!({"op": "create_group", "group_type": "Public", "group_id": group, "name": "G"}),
        )
        .await;
    assert_eq!(code(&r), 0, "{r}");
}

/// (event kind, msg_id) of each event of a sync page.
fn kinds_and_ids(page: &serde_json::Value) -> Vec<(String, String)> {
    page["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["msg"]["elem"]["type"] != "group_tips")
        .map(|e| {
            (
                e["event"].as_str().unwrap().to_string(),
                e["msg"]["msg_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// (event kind, msg_id) of each event of the user's whole sequence.
async fn sequence(c: &mut Client) -> Vec<(String, String)> {
    let page = c.sync(0, 0).await;
    assert_eq!(page["more"], false, "{page}");
    kinds_and_ids(&page)
}

fn ev(kind: &str, id: &str) -> (String, String) {
    let kind = if kind == "new" {
        "new_message"
    } else {
        "message_revoked"
    };
    (kind.to_string(), id.to_string())
}

#[tokio::test]
async fn members_see_their_span_late_joiners_and_leavers_get_only_their_recalls() {
    let (_s, addr) = start().await;
    let mut owner = Client::login_open(addr, "owner", "o").await;
    let mut dave = Client::login_open(addr, "dave", "d").await;
    create_public(&mut owner, "g").await;
    join(&mut dave, "g").await;
    assert_eq!(code(&owner.send_group("g", "m1", "one").await), 0);
    assert_eq!(dave.push().await["event"]["msg"]["msg_id"], "m1");

    // dave leaves; m2 is not his. carol joins after m1 and m2.
    quit(&mut dave, "g").await;
    assert_eq!(code(&owner.send_group("g", "m2", "two").await), 0);
    dave.assert_no_push().await;
    let mut carol = Client::login_open(addr, "carol", "c").await;
    join(&mut carol, "g").await;
    carol.assert_no_push().await;

    // The recall of m1 reaches dave (he had it) and carol (a member now); the recall of m2
    // reaches carol only.
    assert_eq!(code(&revoke(&mut owner, "r1", "m1", grp("g"), "").await), 0);
    assert_eq!(
        dave.push().await["event"]["event"],
        "message_revoked",
        "a former member is told of the recall of what he received"
    );
    assert_eq!(carol.push().await["event"]["msg"]["msg_id"], "m1");
    assert_eq!(code(&revoke(&mut owner, "r2", "m2", grp("g"), "").await), 0);
    dave.assert_no_push().await;
    assert_eq!(carol.push().await["event"]["msg"]["msg_id"], "m2");

    // dave comes back: m3 is his again. Quitting and joining with nothing in between, twice.
    join(&mut dave, "g").await;
    quit(&mut dave, "g").await;
    join(&mut dave, "g").await;
    assert_eq!(code(&owner.send_group("g", "m3", "three").await), 0);
    assert_eq!(dave.push().await["event"]["msg"]["msg_id"], "m3");

    // Sync says exactly what the pushes said, for every device that starts from zero.
    assert_eq!(
        sequence(&mut dave).await,
        vec![ev("new", "m1"), ev("rev", "m1"), ev("new", "m3")]
    );
    assert_eq!(
        sequence(&mut carol).await,
        vec![ev("rev", "m1"), ev("rev", "m2"), ev("new", "m3")]
    );
    assert_eq!(
        sequence(&mut owner).await,
        vec![
            ev("new", "m1"),
            ev("new", "m2"),
            ev("rev", "m1"),
            ev("rev", "m2"),
            ev("new", "m3")
        ]
    );
    // A former member cannot read the group's history while out, as before.
    quit(&mut carol, "g").await;
    let h = carol
        .request(json!({"op": "history", "conv": grp("g"), "count": 10}))
        .await;
    assert_ne!(code(&h), 0);
    let after_left = carol.sync(0, 0).await;
    assert_eq!(kinds_and_ids(&after_left).len(), 3);
}

/// A former member's sync goes through a group's later recalls (none of them its own)
/// page by page: every page moves its cursor on, even an empty one.
#[tokio::test]
async fn a_former_members_sync_advances_past_recalls_it_does_not_get() {
    let (_s, addr) = start().await;
    let mut owner = Client::login_open(addr, "owner", "o").await;
    let mut dave = Client::login_open(addr, "dave", "d").await;
    create_public(&mut owner, "g").await;
    join(&mut dave, "g").await;
    assert_eq!(code(&owner.send_group("g", "m0", "his").await), 0);
    quit(&mut dave, "g").await;
    for i in 1..=7 {
        let id = format!("m{i}");
        assert_eq!(code(&owner.send_group("g", &id, "not his").await), 0);
        let r = revoke(&mut owner, &format!("r{i}"), &id, grp("g"), "").await;
        assert_eq!(code(&r), 0, "{r}");
    }
    assert_eq!(code(&revoke(&mut owner, "r0", "m0", grp("g"), "").await), 0);
    let mut after = 0;
    let mut got = Vec::new();
    for _ in 0..20 {
        let page = dave.sync(after, 2).await;
        let head = page["head_seq"].as_u64().unwrap();
        assert!(
            head > after || page["more"] == false,
            "stuck at {after}: {page}"
        );
        got.extend(kinds_and_ids(&page));
        after = head;
        if page["more"] == false {
            break;
        }
    }
    assert_eq!(got, vec![ev("new", "m0"), ev("rev", "m0")]);
}

/// Each push's `prev` is the position of the push before it on that connection (the login
/// head for the first), whatever traffic of other conversations comes in between; and the
/// positions a sync gives are the pushed ones.
#[tokio::test]
async fn prev_chains_each_connection_through_other_conversations_traffic() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    let mut b = Client::login_open(addr, "bob", "b").await;
    let mut x = Client::login_open(addr, "xavier", "x").await;
    // Online, so the noise below is pushed to someone.
    let _y = Client::login_open(addr, "yvonne", "y").await;
    // Something before bob's second device logs in: its chain starts at that head.
    assert_eq!(code(&x.send_c2c("yvonne", "x0", "noise").await), 0);
    let mut b2 = Client::connect(addr).await;
    let login = b2.login(OPEN_APP, "bob", "", "b2").await;
    let head = login["data"]["head_seq"].as_u64().unwrap();
    assert_eq!(head, 1);

    let mut pushed_b = Vec::new();
    let mut prev_b2 = head;
    for i in 0..6 {
        assert_eq!(
            code(&x.send_c2c("yvonne", &format!("n{i}"), "noise").await),
            0
        );
        assert_eq!(code(&a.send_c2c("bob", &format!("m{i}"), "hi").await), 0);
        for (cl, prev) in [(&mut b, None), (&mut b2, Some(&mut prev_b2))] {
            let p = cl.push().await;
            let seq = p["event"]["seq"].as_u64().unwrap();
            if let Some(prev) = prev {
                assert_eq!(p["prev"].as_u64().unwrap(), *prev, "{p}");
                *prev = seq;
            } else {
                pushed_b.push((p["prev"].as_u64().unwrap(), seq));
            }
        }
    }
    // bob's first device logged in at 0 and saw only its own pushes since.
    assert_eq!(pushed_b[0].0, 0);
    for w in pushed_b.windows(2) {
        assert_eq!(w[1].0, w[0].1, "chained: {pushed_b:?}");
    }
    let page = b.sync(0, 0).await;
    let synced: Vec<u64> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(
        synced,
        pushed_b.iter().map(|p| p.1).collect::<Vec<_>>(),
        "sync and pushes agree"
    );
    assert_eq!(page["more"], false);
    assert!(page["head_seq"].as_u64().unwrap() >= *synced.last().unwrap());
}

/// Rows of every table of the database of the server on `dir`.
async fn row_counts(dir: &Path) -> Vec<(String, i64)> {
    if let Some(pg) = postgres_client(dir).await {
        let tables: Vec<String> = pg
            .query(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_name != 'v2tim_schema'
                 ORDER BY table_name",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut out = Vec::new();
        for t in tables {
            let n: i64 = pg
                .query_one(&format!("SELECT count(*) FROM \"{t}\""), &[])
                .await
                .unwrap()
                .get(0);
            out.push((t, n));
        }
        return out;
    }
    let db = rusqlite::Connection::open_with_flags(
        dir.join(DB_FILE),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let n: i64 = db
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .unwrap();
            (t, n)
        })
        .collect()
}

/// Rows a group send and its recall add, in a group of `members`.
async fn rows_added_by_send_and_recall(members: usize) -> Vec<(String, i64)> {
    let dir = tempfile::tempdir().unwrap();
    let (server, addr) = start_in(dir.path()).await;
    let mut owner = Client::login_open(addr, "owner", "o").await;
    let r = owner
        .request(json!({"op": "create_group", "group_type": "Work", "group_id": "g", "name": "G"}))
        .await;
    assert_eq!(code(&r), 0, "{r}");
    let users: Vec<String> = (1..members).map(|i| format!("member{i}")).collect();
    for chunk in users.chunks(100) {
        let r = owner
            .request(json!({"op": "invite_to_group", "group_id": "g", "user_ids": chunk}))
            .await;
        assert_eq!(code(&r), 0, "{r}");
    }
    // Warm-up: the conversation's own row exists before counting.
    assert_eq!(code(&owner.send_group("g", "m0", "first").await), 0);
    let before = row_counts(dir.path()).await;
    assert_eq!(code(&owner.send_group("g", "m1", "hello").await), 0);
    assert_eq!(code(&revoke(&mut owner, "r1", "m1", grp("g"), "").await), 0);
    let after = row_counts(dir.path()).await;
    server.shutdown();
    before
        .iter()
        .zip(&after)
        .map(|((t, b), (_, a))| (t.clone(), a - b))
        .filter(|(_, d)| *d != 0)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_message_and_its_recall_write_the_same_rows_whatever_the_group_size() {
    let small = rows_added_by_send_and_recall(2).await;
    let large = rows_added_by_send_and_recall(300).await;
    assert_eq!(
        small, large,
        "rows added: 2 members {small:?}, 300 {large:?}"
    );
    let expect: Vec<(String, i64)> = vec![("conv_log".into(), 2), ("messages".into(), 1)];
    assert_eq!(small, expect);
}
