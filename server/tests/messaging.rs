//! Sending, pushes, idempotency, sync and history.

mod common;

use common::*;
use serde_json::json;
use v2tim_proto::codes;

#[tokio::test]
async fn c2c_send_reaches_receiver_and_senders_other_device() {
    let (_s, addr) = start().await;
    let mut a1 = Client::login_open(addr, "alice", "a1").await;
    let mut a2 = Client::login_open(addr, "alice", "a2").await;
    let mut b = Client::login_open(addr, "bob", "b1").await;

    let ack = a1.send_c2c("bob", "m1", "hello").await;
    assert_eq!(code(&ack), 0, "{ack}");
    let msg = &ack["data"]["msg"];
    assert_eq!(msg["seq"], 1);
    assert_eq!(msg["sender"], "alice");
    assert_eq!(msg["receiver"], "bob");
    assert_eq!(msg["elem"], json!({"type": "text", "text": "hello"}));
    assert!(msg["timestamp_ms"].as_i64().unwrap() > 0);
    assert!(msg.get("revoked").is_none());

    // The sending connection too: every connection of the user gets the whole sequence.
    for c in [&mut b, &mut a2, &mut a1] {
        let p = c.push().await;
        assert_eq!(p["kind"], "event");
        assert_eq!(p["event"]["seq"], 1);
        assert_eq!(p["prev"], 0);
        assert_eq!(p["event"]["event"], "new_message");
        assert_eq!(&p["event"]["msg"], msg);
        c.assert_no_push().await;
    }

    // The reply continues the same conversation's numbering.
    let reply = b.send_c2c("alice", "m2", "hi back").await;
    assert_eq!(reply["data"]["msg"]["seq"], 2);
    assert_eq!(a1.push().await["event"]["seq"], 2);
    assert_eq!(a2.push().await["event"]["seq"], 2);

    // Both users' sync sequences hold both messages.
    for c in [&mut a1, &mut b] {
        let page = c.sync(0, 10).await;
        let ids: Vec<_> = page["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["msg"]["msg_id"].clone())
            .collect();
        assert_eq!(ids, vec![json!("m1"), json!("m2")]);
        assert_eq!(page["head_seq"], 2);
        assert_eq!(page["more"], false);
    }
}

#[tokio::test]
async fn receiver_that_never_logged_in_gets_it_on_sync() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    assert_eq!(code(&a.send_c2c("carol", "m1", "are you there").await), 0);
    let mut c = Client::connect(addr).await;
    let res = c.login(OPEN_APP, "carol", "", "c").await;
    assert_eq!(res["data"]["head_seq"], 1, "{res}");
    let page = c.sync(0, 0).await;
    assert_eq!(page["events"][0]["msg"]["elem"]["text"], "are you there");
}

#[tokio::test]
async fn idempotent_retry_returns_the_original_answer_once() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    let mut b = Client::login_open(addr, "bob", "b").await;
    let req = json!({"op": "send_message", "idem_key": "idem-1", "msg_id": "m1", "receiver": "bob",
                     "elem": {"type": "text", "text": "once"}});
    let first = a.request(req.clone()).await;
    let retry = a.request(req.clone()).await;
    assert_eq!(code(&first), 0);
    assert_eq!(first["data"], retry["data"]);
    assert_eq!(b.push().await["event"]["seq"], 1);
    b.assert_no_push().await;
    let page = b.sync(0, 10).await;
    assert_eq!(page["events"].as_array().unwrap().len(), 1);
    assert_eq!(page["head_seq"], 1);

    // Same msg_id under another key is a different message: refused.
    let dup = a
        .request(
            json!({"op": "send_message", "idem_key": "idem-2", "msg_id": "m1", "receiver": "bob",
                        "elem": {"type": "text", "text": "again"}}),
        )
        .await;
    assert_eq!(code(&dup), codes::V2TIM_ERR_DUPLICATE_MSG_ID as i64);
}

#[tokio::test]
async fn send_validation() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    let send = |extra: serde_json::Value| {
        let mut r = json!({"op": "send_message", "idem_key": "k", "msg_id": "m", "elem": {"type": "text", "text": "x"}});
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        r
    };
    let both = a
        .request(send(json!({"receiver": "bob", "group_id": "g"})))
        .await;
    assert_eq!(code(&both), codes::ERR_SVR_COMM_INVALID_REQUEST as i64);
    let neither = a.request(send(json!({}))).await;
    assert_eq!(code(&neither), codes::ERR_SVR_COMM_INVALID_REQUEST as i64);
    let bad_id = a
        .request(send(json!({"receiver": "bob", "msg_id": ""})))
        .await;
    assert_eq!(code(&bad_id), codes::ERR_SVR_COMM_INVALID_REQUEST as i64);
    let bad_rcv = a.request(send(json!({"receiver": "b o b"}))).await;
    assert_eq!(code(&bad_rcv), codes::ERR_SVR_MSG_INVALID_TOACCOUNT as i64);
    let big = a
        .request(send(
            json!({"receiver": "bob", "elem": {"type": "text", "text": "x".repeat(12 * 1024 + 1)}}),
        ))
        .await;
    assert_eq!(code(&big), codes::ERR_SVR_MSG_BODY_SIZE_LIMIT as i64);
    let b64 = a
        .request(send(
            json!({"receiver": "bob", "elem": {"type": "custom", "data": "%%%"}}),
        ))
        .await;
    assert_eq!(code(&b64), codes::ERR_SVR_COMM_INVALID_REQUEST as i64);
    let custom = a
        .request(send(json!({"receiver": "bob", "elem": {"type": "custom", "data": "AAEC", "description": "d"}})))
        .await;
    assert_eq!(code(&custom), 0, "{custom}");
    assert_eq!(custom["data"]["msg"]["elem"]["data"], "AAEC");
    // Refused sends left nothing behind: the accepted one got conversation seq 1.
    assert_eq!(custom["data"]["msg"]["seq"], 1);
}

#[tokio::test]
async fn sync_pages_in_order() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    for i in 1..=7 {
        assert_eq!(
            code(&a.send_c2c("bob", &format!("m{i}"), &format!("t{i}")).await),
            0
        );
    }
    let mut b = Client::login_open(addr, "bob", "b").await;
    let mut after = 0;
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let page = b.sync(after, 3).await;
        pages += 1;
        for e in page["events"].as_array().unwrap() {
            let seq = e["seq"].as_u64().unwrap();
            assert_eq!(seq, after + 1, "ascending, nothing left out");
            after = seq;
            seen.push(e["msg"]["elem"]["text"].as_str().unwrap().to_string());
        }
        // Each page is complete up to its head_seq: the last event, and 7 at the end.
        assert_eq!(page["head_seq"].as_u64().unwrap(), after, "{page}");
        assert_eq!(page["more"], after < 7);
        if page["more"] == false {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, (1..=7).map(|i| format!("t{i}")).collect::<Vec<_>>());
    let empty = b.sync(7, 3).await;
    assert_eq!(empty["events"], json!([]));
    assert_eq!(empty["more"], false);
}

#[tokio::test]
async fn history_pages_newest_first() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    let mut b = Client::login_open(addr, "bob", "b").await;
    for i in 1..=5 {
        let c = if i % 2 == 0 { &mut b } else { &mut a };
        let to = if i % 2 == 0 { "alice" } else { "bob" };
        assert_eq!(code(&c.send_c2c(to, &format!("m{i}"), "x").await), 0);
    }
    let page = |before: Option<u64>| json!({"op": "history", "conv": {"kind": "c2c", "peer": "alice"}, "before_seq": before, "count": 2});
    let p1 = b.request(page(None)).await;
    let seqs = |p: &serde_json::Value| -> Vec<u64> {
        p["data"]["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["seq"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(seqs(&p1), vec![5, 4]);
    assert_eq!(seqs(&b.request(page(Some(4))).await), vec![3, 2]);
    assert_eq!(seqs(&b.request(page(Some(2))).await), vec![1]);
    assert_eq!(seqs(&b.request(page(Some(1))).await), Vec::<u64>::new());
    // Alice sees the same conversation from her side.
    let mine = a
        .request(json!({"op": "history", "conv": {"kind": "c2c", "peer": "bob"}, "count": 10}))
        .await;
    assert_eq!(seqs(&mine), vec![5, 4, 3, 2, 1]);
    // A third user's view of "alice" is a different (empty) conversation.
    let mut c = Client::login_open(addr, "carol", "c").await;
    let other = c
        .request(json!({"op": "history", "conv": {"kind": "c2c", "peer": "alice"}, "count": 10}))
        .await;
    assert_eq!(seqs(&other), Vec::<u64>::new());
}

#[tokio::test]
async fn pushes_follow_sync_order_under_concurrency() {
    let (_s, addr) = start().await;
    let mut b = Client::login_open(addr, "bob", "b").await;
    let mut senders = Vec::new();
    for s in 0..4 {
        senders.push(tokio::spawn(async move {
            let mut c = Client::login_open(addr, &format!("s{s}"), "d").await;
            let mut ids = Vec::new();
            for i in 0..25 {
                ids.push(
                    c.send_request(json!({"op": "send_message", "idem_key": format!("{s}-{i}"),
                        "msg_id": format!("{s}-{i}"), "receiver": "bob", "elem": {"type": "text", "text": "x"}}))
                        .await,
                );
            }
            for id in ids {
                assert_eq!(c.answer(id).await["code"], 0);
            }
        }));
    }
    for t in senders {
        t.await.unwrap();
    }
    for want in 1..=100u64 {
        assert_eq!(b.push().await["event"]["seq"], want);
    }
}

#[tokio::test]
async fn pages_stay_under_the_frame_limit() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    let body = "y".repeat(12 * 1024);
    for i in 0..100 {
        assert_eq!(code(&a.send_c2c("bob", &format!("m{i}"), &body).await), 0);
    }
    let mut b = Client::login_open(addr, "bob", "b").await;
    let page = b.sync(0, 0).await;
    let n = page["events"].as_array().unwrap().len();
    assert!(n > 0 && n < 100, "{n} events in one page");
    assert_eq!(page["more"], true);
    assert!(page.to_string().len() < v2tim_proto::limits::MAX_FRAME_BYTES);
    let hist = b
        .request(json!({"op": "history", "conv": {"kind": "c2c", "peer": "alice"}, "count": 100}))
        .await;
    let n = hist["data"]["messages"].as_array().unwrap().len();
    assert!(n > 0 && n < 100, "{n} messages in one page");
    assert_eq!(hist["data"]["messages"][0]["seq"], 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_run_beside_writes_and_a_client_reads_its_own_pipelined_write() {
    let dir = tempfile::tempdir().unwrap();
    let (server, addr) = start_with(v2tim_server::ServerConfig {
        data_dir: Some(dir.path().to_path_buf()),
        ..v2tim_server::ServerConfig::default()
    })
    .await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    // Pipelined: the history is asked before the send is answered, and must include it.
    for i in 0..20 {
        let send = a
            .send_request(json!({"op": "send_message", "idem_key": format!("k{i}"),
                "msg_id": format!("m{i}"), "receiver": "bob",
                "elem": {"type": "text", "text": format!("t{i}")}}))
            .await;
        let hist = a
            .send_request(json!({"op": "history", "conv": c2c("bob"), "count": 1}))
            .await;
        assert_eq!(code(&a.answer(send).await), 0);
        let page = a.answer(hist).await;
        assert_eq!(
            page["data"]["messages"][0]["msg_id"],
            format!("m{i}"),
            "a pipelined read sees the write before it: {page}"
        );
    }
    // With nothing of its own in flight, a connection's reads go to the read-only
    // connections, and see what was committed.
    let before = server.reads_beside_writes();
    for _ in 0..10 {
        let page = a
            .request(json!({"op": "history", "conv": c2c("bob"), "count": 20}))
            .await;
        assert_eq!(page["data"]["messages"].as_array().unwrap().len(), 20);
        let sync = a.sync(0, 0).await;
        assert_eq!(sync["events"].as_array().unwrap().len(), 20);
    }
    assert!(
        server.reads_beside_writes() >= before + 20,
        "reads went to the writer"
    );
}

#[tokio::test]
async fn message_extras_are_kept_and_quotes_of_recalled_messages_blanked() {
    let (_s, addr) = start().await;
    check_message_extras(addr).await;
}

#[tokio::test]
async fn history_filters_by_element_type() {
    let (_s, addr) = start().await;
    check_history_type_filters(addr).await;
}

#[tokio::test]
async fn history_reads_newer_messages_and_time_ranges() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    let mut b = Client::login_open(addr, "bob", "b").await;
    for i in 1..=6 {
        assert_eq!(code(&a.send_c2c("bob", &format!("m{i}"), "x").await), 0);
        // Distinct milliseconds, so that a time range can split the conversation.
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    let conv = json!({"kind": "c2c", "peer": "alice"});
    let read = |extra: serde_json::Value| {
        let mut req = json!({"op": "history", "conv": conv.clone(), "count": 10});
        for (k, v) in extra.as_object().unwrap() {
            req[k] = v.clone();
        }
        req
    };
    let seqs = |p: &serde_json::Value| -> Vec<u64> {
        p["data"]["messages"]
            .as_array()
            .unwrap_or_else(|| panic!("no messages: {p}"))
            .iter()
            .map(|m| m["seq"].as_u64().unwrap())
            .collect()
    };
    // Newer: oldest first after the start, exclusive; paged by count.
    let p = b
        .request(read(json!({"newer": true, "after_seq": 2, "count": 3})))
        .await;
    assert_eq!(seqs(&p), vec![3, 4, 5]);
    let p = b
        .request(read(json!({"newer": true, "after_seq": 5})))
        .await;
    assert_eq!(seqs(&p), vec![6]);
    // Newer with no start and no range: nothing is newer than the newest.
    let p = b.request(read(json!({"newer": true}))).await;
    assert_eq!(seqs(&p), Vec::<u64>::new());

    // Time ranges, inclusive, in both directions, also with a start.
    let all = b.request(read(json!({}))).await;
    let times: Vec<(u64, i64)> = all["data"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["seq"].as_u64().unwrap(),
                m["timestamp_ms"].as_i64().unwrap(),
            )
        })
        .collect();
    let ts = |seq: u64| times.iter().find(|(s, _)| *s == seq).unwrap().1;
    let (from, to) = (ts(2), ts(4));
    let within = |pred: &dyn Fn(u64) -> bool| -> Vec<u64> {
        let mut v: Vec<u64> = times
            .iter()
            .filter(|(s, t)| *t >= from && *t <= to && pred(*s))
            .map(|(s, _)| *s)
            .collect();
        v.sort_unstable();
        v
    };
    let range = json!({"time_from_ms": from, "time_to_ms": to});
    let mut older = seqs(&b.request(read(range.clone())).await);
    older.reverse();
    assert_eq!(older, within(&|_| true));
    assert!(older.contains(&2) && older.contains(&4) && !older.contains(&6));
    let mut newer_req = range.clone();
    newer_req["newer"] = json!(true);
    assert_eq!(seqs(&b.request(read(newer_req)).await), within(&|_| true));
    let mut started = range.clone();
    started["before_seq"] = json!(4);
    let mut got = seqs(&b.request(read(started)).await);
    got.reverse();
    assert_eq!(got, within(&|s| s < 4));

    // Contradictions are refused, never guessed.
    for bad in [
        json!({"newer": true, "before_seq": 3}),
        json!({"after_seq": 3}),
        json!({"time_from_ms": 10, "time_to_ms": 5}),
    ] {
        let r = b.request(read(bad.clone())).await;
        assert_eq!(
            code(&r),
            i64::from(codes::ERR_SVR_COMM_INVALID_REQUEST),
            "{bad}: {r}"
        );
    }
}

#[tokio::test]
async fn online_only_messages_reach_the_devices_online_and_nothing_else() {
    let (_s, addr) = start().await;
    let mut a1 = Client::login_open(addr, "alice", "a1").await;
    let mut a2 = Client::login_open(addr, "alice", "a2").await;
    let mut b = Client::login_open(addr, "bob", "b1").await;
    let online = |id: &str, to: serde_json::Value| {
        let mut req = json!({
            "op": "send_message", "idem_key": format!("k-{id}"), "msg_id": id,
            "elem": {"type": "text", "text": "typing..."}, "online_only": true
        });
        for (k, v) in to.as_object().unwrap() {
            req[k] = v.clone();
        }
        req
    };
    let r = a1.request(online("on1", json!({"receiver": "bob"}))).await;
    assert_eq!(code(&r), 0, "{r}");
    assert_eq!(r["data"]["msg"]["seq"], 0, "never stored: no seq");
    for device in [&mut b, &mut a2] {
        let p = device.push().await;
        assert_eq!(p["kind"], "online_message", "{p}");
        assert_eq!(p["msg"]["msg_id"], "on1");
        assert_eq!(p["msg"]["sender"], "alice");
        assert_eq!(p["msg"]["seq"], 0);
        assert_eq!(p["msg"]["elem"]["text"], "typing...");
    }
    a1.assert_no_push().await;

    // Nothing was written: no history, no sync event, no conversation, nothing later.
    let h = b
        .request(json!({"op": "history", "conv": c2c("alice"), "count": 10}))
        .await;
    assert_eq!(h["data"]["messages"], json!([]), "{h}");
    assert_eq!(b.sync(0, 100).await["events"], json!([]));
    let list = b
        .request(json!({"op": "get_conversation_list", "count": 0}))
        .await;
    assert_eq!(list["data"]["conversations"], json!([]), "{list}");
    let mut later = Client::login_open(addr, "bob", "b2").await;
    later.assert_no_push().await;
    assert_eq!(later.sync(0, 100).await["events"], json!([]));

    // Groups: under the rules of a stored message, to the members online.
    let g = a1
        .request(
            json!({"op": "create_group", "group_type": "Public", "group_id": "og",
                        "member_ids": ["bob", "carol"]}),
        )
        .await;
    assert_eq!(code(&g), 0, "{g}");
    let before = b.sync(0, 100).await["head_seq"].as_u64().unwrap();
    let r = a1.request(online("on2", json!({"group_id": "og"}))).await;
    assert_eq!(code(&r), 0, "{r}");
    for device in [&mut b, &mut later, &mut a2] {
        let p = device.push().await;
        assert_eq!(p["kind"], "online_message", "{p}");
        assert_eq!(p["msg"]["group_id"], "og");
    }
    assert_eq!(b.sync(before, 100).await["events"], json!([]));
    let mut carol = Client::login_open(addr, "carol", "c").await;
    carol.assert_no_push().await;
    let h = carol
        .request(json!({"op": "history", "conv": grp("og"), "count": 10}))
        .await;
    let ids = history_ids(&h);
    assert!(!ids.iter().any(|id| id == "on2"), "{h}");
    let mut dave = Client::login_open(addr, "dave", "d").await;
    let r = dave.request(online("on3", json!({"group_id": "og"}))).await;
    assert_eq!(
        code(&r),
        i64::from(codes::ERR_SVR_GROUP_PERMISSION_DENY),
        "{r}"
    );
    // The ids of stored messages stay theirs.
    assert_eq!(code(&a1.send_c2c("bob", "st1", "stored").await), 0);
    let r = a1.request(online("st1", json!({"receiver": "bob"}))).await;
    assert_eq!(
        code(&r),
        i64::from(codes::V2TIM_ERR_DUPLICATE_MSG_ID),
        "{r}"
    );
}
