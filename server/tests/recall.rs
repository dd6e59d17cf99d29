//! Message recall: the permission matrix, time limits, not-found and double recall,
//! idempotent retries, sync and history in recalled form, and erasure from the database.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use v2tim_proto::codes;
use v2tim_server::{AppConfig, ServerConfig};

fn c(v: i32) -> i64 {
    v as i64
}

/// Every raw frame the client received so far, joined.
fn raw(cl: &Client) -> String {
    cl.raw.join("\n")
}

#[tokio::test]
async fn c2c_sender_only_and_everyone_told() {
    let (_s, addr) = start().await;
    let mut a1 = Client::login_open(addr, "alice", "a1").await;
    let mut a2 = Client::login_open(addr, "alice", "a2").await;
    let mut b = Client::login_open(addr, "bob", "b").await;
    let mut x = Client::login_open(addr, "carol", "x").await;

    assert_eq!(code(&a1.send_c2c("bob", "m1", "take me back").await), 0);
    assert_eq!(b.push().await["event"]["event"], "new_message");
    assert_eq!(a2.push().await["event"]["event"], "new_message");

    // The peer is not the sender; a third party is not in the conversation at all and
    // learns nothing (same answer as an unknown id); a wrong conversation is not found.
    let r = revoke(&mut b, "kb", "m1", c2c("alice"), "").await;
    assert_eq!(code(&r), c(codes::V2TIM_ERR_REVOKE_NOT_SENDER), "{r}");
    let third = revoke(&mut x, "kx", "m1", c2c("alice"), "").await;
    let unknown = revoke(&mut x, "kx2", "nope", c2c("alice"), "").await;
    assert_eq!(code(&third), c(codes::ERR_SVR_MSG_NOT_FOUND));
    assert_eq!(code(&unknown), c(codes::ERR_SVR_MSG_NOT_FOUND));
    assert_eq!(
        third["desc"].as_str().unwrap().replace("m1", "ID"),
        unknown["desc"].as_str().unwrap().replace("nope", "ID"),
        "no difference between a message elsewhere and none"
    );
    assert_eq!(
        code(&revoke(&mut a1, "k0", "m1", c2c("carol"), "").await),
        c(codes::ERR_SVR_MSG_NOT_FOUND)
    );
    assert_eq!(
        code(&revoke(&mut a1, "k00", "m1", grp("g"), "").await),
        c(codes::ERR_SVR_GROUP_NOT_FOUND)
    );

    let ack = revoke(&mut a1, "k1", "m1", c2c("bob"), "typo").await;
    assert_eq!(code(&ack), 0, "{ack}");
    let msg = &ack["data"]["msg"];
    assert_eq!(msg["msg_id"], "m1");
    assert_eq!(msg["elem"], json!({"type": "none"}));
    assert_eq!(msg["revoked"]["revoker"], "alice");
    assert_eq!(msg["revoked"]["reason"], "typo");
    assert!(msg["revoked"]["time_ms"].as_i64().unwrap() >= msg["timestamp_ms"].as_i64().unwrap());

    // The receiver, the sender's other device and the recalling connection itself (after
    // the push of the message) are told, once.
    assert_eq!(a1.push().await["event"]["event"], "new_message");
    for cl in [&mut b, &mut a2, &mut a1] {
        let p = cl.push().await;
        assert_eq!(p["event"]["event"], "message_revoked");
        assert_eq!(p["event"]["seq"], 2);
        assert_eq!(p["prev"], 1);
        assert_eq!(&p["event"]["msg"], msg);
        cl.assert_no_push().await;
    }
    x.assert_no_push().await;

    // Twice: refused, nothing changes, no event.
    let again = revoke(&mut a1, "k2", "m1", c2c("bob"), "").await;
    assert_eq!(code(&again), c(codes::ERR_SVR_MSG_ALREADY_REVOKED));
    assert!(!again["desc"].as_str().unwrap().is_empty());
    b.assert_no_push().await;
    a2.assert_no_push().await;
    assert_eq!(b.sync(0, 0).await["head_seq"], 2);
}

#[tokio::test]
async fn idempotent_retry_answers_the_same_and_makes_one_event() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    let mut b = Client::login_open(addr, "bob", "b").await;
    let send = json!({"op": "send_message", "idem_key": "s1", "msg_id": "m1", "receiver": "bob",
                      "elem": {"type": "text", "text": "secret-idem"}});
    assert_eq!(code(&a.request(send.clone()).await), 0);
    let first = revoke(&mut a, "r1", "m1", c2c("bob"), "why").await;
    let retry = revoke(&mut a, "r1", "m1", c2c("bob"), "why").await;
    assert_eq!(code(&first), 0);
    assert_eq!(
        first,
        json!({"t": "res", "id": first["id"], "code": 0, "desc": "", "data": first["data"]})
    );
    assert_eq!(retry["code"], 0, "{retry}");
    assert_eq!(first["data"], retry["data"]);
    // A retried send after the recall does not bring the content back.
    let resend = a.request(send).await;
    assert_eq!(resend["data"]["msg"]["elem"]["type"], "none");
    assert_eq!(b.push().await["event"]["event"], "new_message");
    assert_eq!(b.push().await["event"]["event"], "message_revoked");
    b.assert_no_push().await;
    let events = b.sync(0, 0).await["events"].clone();
    assert_eq!(events.as_array().unwrap().len(), 2);
    // The same key for another message is a different request: refused.
    assert_eq!(code(&a.send_c2c("bob", "m2", "x").await), 0);
    assert_eq!(
        code(&revoke(&mut a, "r1", "m2", c2c("bob"), "").await),
        c(codes::ERR_SVR_COMM_INVALID_REQUEST)
    );
    // Only the first send's answer and its push to the sender's connection carried it.
    assert!(raw(&a).matches("secret-idem").count() <= 2);
    assert!(!raw(&b).contains("secret-idem") || raw(&b).matches("secret-idem").count() == 1);
}

/// One cell of the matrix: `author` sends, `recaller` recalls.
struct Cell {
    recaller: &'static str,
    author: &'static str,
    want: i32,
}

#[tokio::test]
async fn group_permission_matrix_every_type() {
    let (_s, addr) = start().await;
    let names = ["owner", "admin", "admin2", "member", "member2", "outsider"];
    let mut cl = Vec::new();
    for n in names {
        cl.push(Client::login_open(addr, n, n).await);
    }
    let idx = |n: &str| names.iter().position(|x| *x == n).unwrap();
    let deny = codes::ERR_SVR_GROUP_PERMISSION_DENY;
    // recaller {sender, other member, admin, owner, non-member} × author {member, admin, owner}
    let cells = [
        Cell {
            recaller: "member",
            author: "member",
            want: 0,
        },
        Cell {
            recaller: "member2",
            author: "member",
            want: deny,
        },
        Cell {
            recaller: "admin",
            author: "member",
            want: 0,
        },
        Cell {
            recaller: "owner",
            author: "member",
            want: 0,
        },
        Cell {
            recaller: "outsider",
            author: "member",
            want: deny,
        },
        Cell {
            recaller: "admin",
            author: "admin",
            want: 0,
        },
        Cell {
            recaller: "member",
            author: "admin",
            want: deny,
        },
        Cell {
            recaller: "admin2",
            author: "admin",
            want: deny,
        },
        Cell {
            recaller: "owner",
            author: "admin",
            want: 0,
        },
        Cell {
            recaller: "outsider",
            author: "admin",
            want: deny,
        },
        Cell {
            recaller: "owner",
            author: "owner",
            want: 0,
        },
        Cell {
            recaller: "member",
            author: "owner",
            want: deny,
        },
        Cell {
            recaller: "admin",
            author: "owner",
            want: deny,
        },
        Cell {
            recaller: "outsider",
            author: "owner",
            want: deny,
        },
    ];
    for ty in v2tim_proto::model::GROUP_TYPES {
        let g = format!("g-{ty}");
        let r = cl[0]
            .request(json!({"op": "create_group", "group_type": ty, "group_id": g}))
            .await;
        assert_eq!(code(&r), 0, "{r}");
        let inv = json!({"op": "invite_to_group", "group_id": g,
                         "user_ids": ["admin", "admin2", "member", "member2"]});
        assert_eq!(code(&cl[0].request(inv).await), 0);
        for a in ["admin", "admin2"] {
            let set = json!({"op": "set_member_role", "group_id": g, "user_id": a, "role": 300});
            assert_eq!(code(&cl[0].request(set).await), 0);
        }
        let mut kept = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            let id = format!("{ty}-{i}");
            let text = format!("text-{id}");
            let sent = cl[idx(cell.author)].send_group(&g, &id, &text).await;
            assert_eq!(code(&sent), 0, "{sent}");
            let r = revoke(
                &mut cl[idx(cell.recaller)],
                &format!("rk-{id}"),
                &id,
                grp(&g),
                "",
            )
            .await;
            assert_eq!(
                code(&r),
                c(cell.want),
                "{ty}: {} recalling {}'s message: {r}",
                cell.recaller,
                cell.author
            );
            if cell.want == 0 {
                assert_eq!(r["data"]["msg"]["revoked"]["revoker"], cell.recaller);
            } else {
                kept.push(text);
            }
        }
        // Refused recalls changed nothing.
        let h = cl[0]
            .request(json!({"op": "history", "conv": grp(&g), "count": 100}))
            .await;
        let msgs = h["data"]["messages"].as_array().unwrap();
        let texts: Vec<_> = msgs
            .iter()
            .filter_map(|m| m["elem"]["text"].as_str())
            .map(str::to_string)
            .collect();
        let mut want = kept.clone();
        want.sort();
        let mut got = texts.clone();
        got.sort();
        assert_eq!(got, want, "{ty}");
        // An unknown id, and a message of another conversation, look the same: 10030.
        let unknown = revoke(&mut cl[idx("member")], "u1", "nope", grp(&g), "").await;
        assert_eq!(code(&unknown), c(codes::ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND));
    }
    // A message of group A asked for through group B: not found.
    let other = revoke(&mut cl[0], "x1", "Work-1", grp("g-Public"), "").await;
    assert_eq!(code(&other), c(codes::ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND));
}

#[tokio::test]
async fn roles_are_read_at_recall_time() {
    let (_s, addr) = start().await;
    let mut o = Client::login_open(addr, "owner", "o").await;
    let mut a = Client::login_open(addr, "adm", "a").await;
    let mut m = Client::login_open(addr, "mem", "m").await;
    let set = |u: &str, r: u32| json!({"op": "set_member_role", "group_id": "g", "user_id": u, "role": r});
    assert_eq!(
        code(
            &o.request(json!({"op": "create_group", "group_type": "Public", "group_id": "g"}))
                .await
        ),
        0
    );
    for cl in [&mut a, &mut m] {
        assert_eq!(
            code(
                &cl.request(json!({"op": "join_group", "group_id": "g"}))
                    .await
            ),
            0
        );
    }
    assert_eq!(code(&o.request(set("adm", 300)).await), 0);
    assert_eq!(code(&m.send_group("g", "m1", "one").await), 0);
    assert_eq!(code(&m.send_group("g", "m2", "two").await), 0);
    assert_eq!(code(&m.send_group("g", "m3", "three").await), 0);
    // The author is promoted to admin: an admin may no longer recall it.
    assert_eq!(code(&o.request(set("mem", 300)).await), 0);
    assert_eq!(
        code(&revoke(&mut a, "k1", "m1", grp("g"), "").await),
        c(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
    // The author left: counts as a plain member, the admin may recall; the author may not.
    assert_eq!(
        code(
            &m.request(json!({"op": "quit_group", "group_id": "g"}))
                .await
        ),
        0
    );
    assert_eq!(code(&revoke(&mut a, "k2", "m1", grp("g"), "spam").await), 0);
    assert_eq!(
        code(&revoke(&mut m, "k3", "m2", grp("g"), "").await),
        c(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
    // The recaller demoted: no longer allowed.
    assert_eq!(code(&o.request(set("adm", 200)).await), 0);
    assert_eq!(
        code(&revoke(&mut a, "k4", "m2", grp("g"), "").await),
        c(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
    assert_eq!(code(&revoke(&mut o, "k5", "m2", grp("g"), "").await), 0);
}

#[tokio::test]
async fn time_limit_edges_in_milliseconds() {
    let mut short = AppConfig::new(OPEN_APP, None);
    short.recall_time_limit_secs = 2;
    let mut off = AppConfig::new(8, None);
    off.recall_time_limit_secs = 0;
    let (_s, addr) = start_with(ServerConfig {
        apps: vec![short, off],
        ..ServerConfig::default()
    })
    .await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    assert_eq!(
        code(
            &a.request(json!({"op": "create_group", "group_type": "Work", "group_id": "g"}))
                .await
        ),
        0
    );
    let t0 = std::time::Instant::now();
    for id in ["c1", "c2"] {
        assert_eq!(code(&a.send_c2c("bob", id, "t").await), 0);
    }
    for id in ["g1", "g2"] {
        assert_eq!(code(&a.send_group("g", id, "t").await), 0);
    }
    tokio::time::sleep(Duration::from_millis(500).saturating_sub(t0.elapsed())).await;
    assert_eq!(code(&revoke(&mut a, "k1", "c1", c2c("bob"), "").await), 0);
    assert_eq!(code(&revoke(&mut a, "k2", "g1", grp("g"), "").await), 0);
    tokio::time::sleep(Duration::from_millis(2500).saturating_sub(t0.elapsed())).await;
    let late = revoke(&mut a, "k3", "c2", c2c("bob"), "").await;
    assert_eq!(
        code(&late),
        c(codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT),
        "{late}"
    );
    assert!(late["desc"].as_str().unwrap().contains("2 s"), "{late}");
    assert_eq!(
        code(&revoke(&mut a, "k4", "g2", grp("g"), "").await),
        c(codes::ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT)
    );

    // Limit 0: recall switched off.
    let mut z = Client::connect(addr).await;
    assert_eq!(code(&z.login(8, "zed", "", "z").await), 0);
    assert_eq!(
        code(
            &z.request(json!({"op": "create_group", "group_type": "Public", "group_id": "g"}))
                .await
        ),
        0
    );
    assert_eq!(code(&z.send_c2c("bob", "z1", "t").await), 0);
    assert_eq!(code(&z.send_group("g", "z2", "t").await), 0);
    assert_eq!(
        code(&revoke(&mut z, "k1", "z1", c2c("bob"), "").await),
        c(codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT)
    );
    assert_eq!(
        code(&revoke(&mut z, "k2", "z2", grp("g"), "").await),
        c(codes::ERR_SVR_GROUP_REVOKE_MSG_DENY)
    );
}

#[tokio::test]
async fn sync_and_history_never_serve_recalled_content() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    assert_eq!(code(&a.send_c2c("bob", "m1", "SECRET-c2c-1").await), 0);
    assert_eq!(code(&a.send_c2c("bob", "m2", "kept text").await), 0);
    assert_eq!(
        code(&revoke(&mut a, "k1", "m1", c2c("bob"), "oops").await),
        0
    );
    assert_eq!(
        code(
            &a.request(json!({"op": "create_group", "group_type": "Public", "group_id": "g"}))
                .await
        ),
        0
    );
    assert_eq!(code(&a.send_group("g", "gm1", "SECRET-group-1").await), 0);
    assert_eq!(code(&revoke(&mut a, "k2", "gm1", grp("g"), "").await), 0);

    // bob was offline for both message and recall: sync gives the message in recalled form,
    // then the recall, once, in order.
    let mut b = Client::login_open(addr, "bob", "b").await;
    let page = b.sync(0, 0).await;
    let ev = page["events"].as_array().unwrap();
    let kinds: Vec<_> = ev
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap(),
                e["msg"]["msg_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("new_message", "m1"),
            ("new_message", "m2"),
            ("message_revoked", "m1")
        ]
    );
    assert_eq!(ev[0]["msg"]["elem"]["type"], "none");
    assert_eq!(ev[0]["msg"]["revoked"]["reason"], "oops");
    assert_eq!(ev[2]["msg"]["revoked"]["revoker"], "alice");
    assert_eq!(ev[1]["msg"]["elem"]["text"], "kept text");
    let h = b
        .request(json!({"op": "history", "conv": c2c("alice"), "count": 10}))
        .await;
    let msgs = h["data"]["messages"].as_array().unwrap();
    assert_eq!(msgs[1]["msg_id"], "m1");
    assert_eq!(msgs[1]["elem"], json!({"type": "none"}));
    assert_eq!(msgs[1]["revoked"]["revoker"], "alice");
    // A late joiner of the group reads history: recalled form only.
    assert_eq!(
        code(
            &b.request(json!({"op": "join_group", "group_id": "g"}))
                .await
        ),
        0
    );
    let gh = b
        .request(json!({"op": "history", "conv": grp("g"), "count": 10}))
        .await;
    // Newest first: the tips of b's join, then the recalled message.
    assert_eq!(gh["data"]["messages"][0]["elem"]["type"], "group_tips");
    assert_eq!(gh["data"]["messages"][1]["elem"]["type"], "none");
    // The sender's own fresh device resyncs: no content either.
    let mut a2 = Client::login_open(addr, "alice", "a2").await;
    a2.sync(0, 0).await;
    a2.request(json!({"op": "history", "conv": c2c("bob"), "count": 10}))
        .await;
    a2.request(json!({"op": "history", "conv": grp("g"), "count": 10}))
        .await;
    for cl in [&b, &a2] {
        let all = raw(cl);
        assert!(
            !all.contains("SECRET"),
            "recalled content in a raw frame: {all}"
        );
        assert!(all.contains("kept text"));
    }
}

#[tokio::test]
async fn recall_in_the_same_batch_as_new_messages_is_delivered_in_order() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    let mut b = Client::login_open(addr, "bob", "b").await;
    for round in 0..20 {
        // Pipelined without waiting: these land in one storage batch most of the time.
        let m1 = format!("r{round}-1");
        let m2 = format!("r{round}-2");
        let ids = [
            a.send_request(
                json!({"op": "send_message", "idem_key": format!("s{m1}"), "msg_id": m1,
                "receiver": "bob", "elem": {"type": "text", "text": "x"}}),
            )
            .await,
            a.send_request(
                json!({"op": "revoke_message", "idem_key": format!("r{m1}"), "msg_id": m1,
                "conv": c2c("bob")}),
            )
            .await,
            a.send_request(
                json!({"op": "send_message", "idem_key": format!("s{m2}"), "msg_id": m2,
                "receiver": "bob", "elem": {"type": "text", "text": "y"}}),
            )
            .await,
        ];
        for id in ids {
            let r = a.answer(id).await;
            assert_eq!(code(&r), 0, "{r}");
        }
        let mut got = Vec::new();
        for _ in 0..3 {
            let p = b.push().await;
            got.push((
                p["event"]["event"].as_str().unwrap().to_string(),
                p["event"]["msg"]["msg_id"].as_str().unwrap().to_string(),
                p["event"]["seq"].as_u64().unwrap(),
            ));
        }
        let base = round * 3;
        assert_eq!(
            got,
            vec![
                ("new_message".to_string(), m1.clone(), base + 1),
                ("message_revoked".to_string(), m1.clone(), base + 2),
                ("new_message".to_string(), m2.clone(), base + 3),
            ]
        );
    }
    b.assert_no_push().await;
}

/// What the recalls of `recalled_content_is_gone_from_the_database_files` erase.
const ERASED: [&str; 7] = [
    "ERASE-ME-7f3a9c",
    "RVJBU0UtQ1VTVE9NLTQ0",
    "ERASE-DESC-55",
    "ERASE-EXT-66",
    // m1's cloud data and offline push title, and the quote of m1 in m4.
    "ERASE-CLOUD-88",
    "ERASE-PUSH-99",
    "ERASE-QUOTE-77",
];

/// PostgreSQL keeps a recalled row's old version until the server's VACUUM after the
/// recall (store/postgres/eraser.rs, within ERASE_DELAY, 1 s); the table's files on disk
/// change at the next checkpoint, which the test forces (it is the cluster's superuser). The
/// WAL still holds the content until its segments are recycled: docs/SCALING.md §2.
async fn recalled_content_leaves_the_postgres_table_files(pg: &tokio_postgres::Client) {
    let rows = pg
        .query(
            "SELECT elem_json, revoked_by FROM messages ORDER BY seq",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, &str>(0), r#"{"type":"none"}"#);
    assert_eq!(rows[1].get::<_, &str>(0), r#"{"type":"none"}"#);
    assert_eq!(rows[0].get::<_, Option<&str>>(1), Some("alice"));
    assert!(rows[2].get::<_, &str>(0).contains("KEEP-ME-1b2c"));
    let where_ = pg
        .query_one(
            "SELECT current_setting('data_directory'), pg_relation_filepath(c.oid),
                    pg_relation_filepath(NULLIF(c.reltoastrelid, 0))
             FROM pg_class c WHERE c.oid = 'messages'::regclass",
            &[],
        )
        .await
        .expect("the test database's superuser reads where the table's files are");
    let data: String = where_.get(0);
    let files: Vec<String> = [where_.get::<_, Option<String>>(1), where_.get(2)]
        .into_iter()
        .flatten()
        .map(|f| format!("{data}/{f}"))
        .collect();
    let files_text = || {
        let mut all = Vec::new();
        for f in &files {
            all.extend(std::fs::read(f).unwrap_or_else(|e| panic!("read {f}: {e}")));
        }
        String::from_utf8_lossy(&all).into_owned()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        pg.batch_execute("CHECKPOINT").await.unwrap();
        let text = files_text();
        assert!(
            text.contains("KEEP-ME-1b2c"),
            "the test reads the right files"
        );
        if !ERASED.iter().any(|g| text.contains(g)) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "recalled content still in the table's files after 10 s: {:?}",
            ERASED
                .iter()
                .filter(|g| text.contains(*g))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn recalled_content_is_gone_from_the_database_files() {
    let dir = tempfile::tempdir().unwrap();
    let (server, addr) = start_in(dir.path()).await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    let m1 = json!({"op": "send_message", "idem_key": "s1", "msg_id": "m1", "receiver": "bob",
        "elem": {"type": "text", "text": "ERASE-ME-7f3a9c"}, "cloud_custom_data": "ERASE-CLOUD-88",
        "offline_push": {"title": "ERASE-PUSH-99", "android_oppo_channel_id": "chan"}});
    assert_eq!(code(&a.request(m1).await), 0);
    let custom = json!({"op": "send_message", "idem_key": "s2", "msg_id": "m2", "receiver": "bob",
        "elem": {"type": "custom", "data": "RVJBU0UtQ1VTVE9NLTQ0", "description": "ERASE-DESC-55",
                 "extension": "ERASE-EXT-66"}});
    assert_eq!(code(&a.request(custom).await), 0);
    let m3 = json!({"op": "send_message", "idem_key": "s3", "msg_id": "m3", "receiver": "bob",
        "elem": {"type": "text", "text": "KEEP-ME-1b2c"},
        "offline_push": {"title": "KEEP-PUSH-3", "ios_push_type": 1}});
    assert_eq!(code(&a.request(m3).await), 0);
    let quote = json!({"messageReply": {"messageID": "m1", "messageAbstract": "ERASE-QUOTE-77"}});
    let m4 = json!({"op": "send_message", "idem_key": "s4", "msg_id": "m4", "receiver": "bob",
        "elem": {"type": "text", "text": "a reply"}, "cloud_custom_data": quote.to_string()});
    assert_eq!(code(&a.request(m4).await), 0);
    assert_eq!(code(&revoke(&mut a, "k1", "m1", c2c("bob"), "").await), 0);
    assert_eq!(code(&revoke(&mut a, "k2", "m2", c2c("bob"), "").await), 0);
    if let Some(pg) = postgres_client(dir.path()).await {
        return recalled_content_leaves_the_postgres_table_files(&pg).await;
    }

    let db = dir.path().join(v2tim_server::DB_FILE);
    let files_text = || {
        let mut all = Vec::new();
        for suffix in ["", "-wal", "-journal"] {
            let p = format!("{}{suffix}", db.display());
            if let Ok(bytes) = std::fs::read(&p) {
                all.extend(bytes);
            }
        }
        String::from_utf8_lossy(&all).into_owned()
    };
    let check = |text: &str| {
        for gone in ERASED {
            assert!(!text.contains(gone), "{gone} still in the database files");
        }
    };
    // While running: the table and the files.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let rows: Vec<(String, String, Option<String>)> = conn
            .prepare("SELECT msg_id, elem_json, revoked_by FROM messages ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows[0].1, r#"{"type":"none"}"#);
        assert_eq!(rows[1].1, r#"{"type":"none"}"#);
        assert_eq!(rows[0].2.as_deref(), Some("alice"));
        assert!(rows[2].1.contains("KEEP-ME-1b2c"));
        // Offline push info is kept for a push service, as sent; the recall erased m1's.
        let push: Vec<Option<String>> = conn
            .prepare("SELECT offline_push FROM messages ORDER BY seq")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(push[0], None);
        assert_eq!(
            push[2].as_deref(),
            Some(r#"{"title":"KEEP-PUSH-3","ios_push_type":1}"#)
        );
        let dump: String = conn
            .prepare(
                "SELECT group_concat(elem_json || cloud_custom_data || \
                 COALESCE(offline_push, ''), ' ') FROM messages",
            )
            .unwrap()
            .query_row([], |r| r.get(0))
            .unwrap();
        check(&dump);
    }
    // The WAL keeps the pre-recall page images until the checkpoint that follows recalls
    // (deferred by at most ERASE_CHECKPOINT_DELAY, 250 ms); wait for it, generously.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while ERASED.iter().any(|g| files_text().contains(g)) && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    check(&files_text());
    server.shutdown();
    let text = files_text();
    check(&text);
    assert!(
        text.contains("KEEP-ME-1b2c"),
        "the test reads the right file"
    );
}

#[tokio::test]
async fn group_recall_reaches_every_member_device_once() {
    let (_s, addr) = start().await;
    let mut o = Client::login_open(addr, "owner", "o").await;
    let mut m1 = Client::login_open(addr, "mem", "m1").await;
    let mut m2 = Client::login_open(addr, "mem", "m2").await;
    let mut other = Client::login_open(addr, "other", "x").await;
    let mut leaver = Client::login_open(addr, "leaver", "l").await;
    assert_eq!(
        code(
            &o.request(json!({"op": "create_group", "group_type": "AVChatRoom", "group_id": "g"}))
                .await
        ),
        0
    );
    for cl in [&mut m1, &mut other, &mut leaver] {
        assert_eq!(
            code(
                &cl.request(json!({"op": "join_group", "group_id": "g"}))
                    .await
            ),
            0
        );
    }
    assert_eq!(code(&m1.send_group("g", "gm", "GROUP-SECRET-3").await), 0);
    for cl in [&mut o, &mut m1, &mut m2, &mut other, &mut leaver] {
        assert_eq!(cl.push().await["event"]["event"], "new_message");
    }
    // leaver quits after receiving the message: it is still told of the recall.
    assert_eq!(
        code(
            &leaver
                .request(json!({"op": "quit_group", "group_id": "g"}))
                .await
        ),
        0
    );
    let ack = revoke(&mut o, "k", "gm", grp("g"), "off-topic").await;
    assert_eq!(code(&ack), 0, "{ack}");
    let mut at = None;
    for cl in [&mut o, &mut m1, &mut m2, &mut other, &mut leaver] {
        let p = cl.push().await;
        assert_eq!(p["event"]["event"], "message_revoked");
        assert_eq!(p["event"]["msg"]["revoked"]["revoker"], "owner");
        assert_eq!(p["event"]["msg"]["revoked"]["reason"], "off-topic");
        // One entry of the log, at one stream position, for everyone.
        assert_eq!(
            *at.get_or_insert(p["event"]["seq"].clone()),
            p["event"]["seq"]
        );
        cl.assert_no_push().await;
    }
    // The owner's own sequence holds the recall too (for its other devices).
    let page = o.sync(0, 0).await;
    let last = page["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event"], "message_revoked");
    assert_eq!(last["msg"]["msg_id"], "gm");
}

#[tokio::test]
async fn a_device_offline_during_the_recall_gets_it_once_and_never_the_content_again() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    let mut b = Client::login_open(addr, "bob", "b").await;
    assert_eq!(code(&a.send_c2c("bob", "m1", "OFFLINE-SECRET").await), 0);
    let p = b.push().await;
    assert_eq!(p["event"]["seq"], 1);
    drop(b); // offline, having applied seq 1
    assert_eq!(code(&revoke(&mut a, "k", "m1", c2c("bob"), "").await), 0);
    assert_eq!(code(&a.send_c2c("bob", "m2", "after").await), 0);

    let mut b = Client::connect(addr).await;
    let login = b
        .request(
            json!({"op": "login", "protocol": v2tim_proto::PROTOCOL_VERSION, "sdk_app_id": OPEN_APP, "user_id": "bob",
                        "user_sig": "", "device_id": "b", "last_seq": 1}),
        )
        .await;
    assert_eq!(login["data"]["head_seq"], 3);
    let page = b.sync(1, 0).await;
    let ev = page["events"].as_array().unwrap();
    assert_eq!(ev.len(), 2);
    assert_eq!(
        (ev[0]["seq"].as_u64(), ev[0]["event"].as_str()),
        (Some(2), Some("message_revoked"))
    );
    assert_eq!(
        (ev[1]["seq"].as_u64(), ev[1]["event"].as_str()),
        (Some(3), Some("new_message"))
    );
    // A full resync and a history read: recalled form only.
    let full = b.sync(0, 0).await;
    assert_eq!(full["events"][0]["msg"]["elem"]["type"], "none");
    b.request(json!({"op": "history", "conv": c2c("alice"), "count": 0}))
        .await;
    assert!(!raw(&b).contains("OFFLINE-SECRET"));
    b.assert_no_push().await;
}
