//! Groups: creation, join rules, invitations, roles, membership checks on send and history.

mod common;

use common::*;
use serde_json::{json, Value};
use v2tim_proto::codes;

async fn create(c: &mut Client, ty: &str, id: &str) -> Value {
    c.request(json!({"op": "create_group", "group_type": ty, "group_id": id, "name": "n"}))
        .await
}

async fn members(c: &mut Client, g: &str) -> Vec<(String, u64)> {
    let r = c
        .request(json!({"op": "get_group_members", "group_id": g}))
        .await;
    assert_eq!(code(&r), 0, "{r}");
    r["data"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["user_id"].as_str().unwrap().to_string(),
                m["role"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn c(v: i32) -> i64 {
    v as i64
}

#[tokio::test]
async fn group_send_reaches_every_member_device_and_refuses_outsiders() {
    let (_s, addr) = start().await;
    let mut a1 = Client::login_open(addr, "alice", "a1").await;
    let mut a2 = Client::login_open(addr, "alice", "a2").await;
    let mut b = Client::login_open(addr, "bob", "b").await;
    let mut x = Client::login_open(addr, "mallory", "x").await;

    assert_eq!(code(&create(&mut a1, "Public", "g1").await), 0);
    assert_eq!(
        code(
            &b.request(json!({"op": "join_group", "group_id": "g1"}))
                .await
        ),
        0
    );

    let ack = a1.send_group("g1", "gm1", "hi all").await;
    assert_eq!(code(&ack), 0, "{ack}");
    assert_eq!(ack["data"]["msg"]["group_id"], "g1");
    assert_eq!(ack["data"]["msg"]["receiver"], "");
    // Seq 1 (and stream position 1) is the tips message of bob's join.
    assert_eq!(ack["data"]["msg"]["seq"], 2);
    // Every member connection, the sender's own too (its push comes before its answer).
    for cl in [&mut a1, &mut a2, &mut b] {
        let p = cl.push().await;
        assert_eq!(p["event"]["msg"]["msg_id"], "gm1");
        assert_eq!(p["event"]["seq"], 2);
        cl.assert_no_push().await;
    }
    x.assert_no_push().await;

    // Outsiders can neither send nor read; unknown groups say so.
    assert_eq!(
        code(&x.send_group("g1", "xm", "let me in").await),
        c(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
    let hist = json!({"op": "history", "conv": {"kind": "group", "group_id": "g1"}, "count": 10});
    assert_eq!(
        code(&x.request(hist.clone()).await),
        c(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
    assert_eq!(
        code(
            &x.request(json!({"op": "get_group_members", "group_id": "g1"}))
                .await
        ),
        c(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
    assert_eq!(
        code(&x.send_group("nope", "xm2", "?").await),
        c(codes::ERR_SVR_GROUP_NOT_FOUND)
    );
    let h = b.request(hist).await;
    assert_eq!(h["data"]["messages"][0]["elem"]["text"], "hi all");

    // After quitting, bob is an outsider too.
    assert_eq!(
        code(
            &b.request(json!({"op": "quit_group", "group_id": "g1"}))
                .await
        ),
        0
    );
    assert_eq!(
        code(&b.send_group("g1", "bm", "bye").await),
        c(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
}

#[tokio::test]
async fn create_rules() {
    let (_s, addr) = start().await;
    let mut a = Client::login_open(addr, "alice", "a").await;
    assert_eq!(
        code(&create(&mut a, "Private", "").await),
        c(codes::ERR_SVR_GROUP_INVALID_PARAMETERS)
    );
    assert_eq!(
        code(&create(&mut a, "Work", "bad id").await),
        c(codes::ERR_SVR_GROUP_INVALID_PARAMETERS)
    );
    assert_eq!(
        code(&create(&mut a, "Work", "@TGS#mine").await),
        c(codes::ERR_SVR_GROUP_INVALID_PARAMETERS)
    );
    let gen = create(&mut a, "Meeting", "").await;
    assert_eq!(code(&gen), 0);
    let gid = gen["data"]["group_id"].as_str().unwrap().to_string();
    assert!(gid.starts_with("@TGS#"), "{gid}");
    assert_eq!(
        members(&mut a, &gid).await,
        vec![("alice".to_string(), 400)]
    );
    assert_eq!(code(&create(&mut a, "Work", "taken").await), 0);
    let mut b = Client::login_open(addr, "bob", "b").await;
    assert_eq!(
        code(&create(&mut b, "Public", "taken").await),
        c(codes::ERR_SVR_GROUP_GROUPID_IN_USED)
    );
    for ty in ["AVChatRoom", "Community"] {
        assert_eq!(code(&create(&mut b, ty, "").await), 0, "{ty}");
    }
}

#[tokio::test]
async fn join_and_invite_rules() {
    let (_s, addr) = start().await;
    let mut owner = Client::login_open(addr, "owner", "o").await;
    let mut m = Client::login_open(addr, "member", "m").await;
    let mut out = Client::login_open(addr, "outsider", "x").await;

    // Work: invite-only, but any member may invite.
    assert_eq!(code(&create(&mut owner, "Work", "w").await), 0);
    let join_w = out
        .request(json!({"op": "join_group", "group_id": "w"}))
        .await;
    assert_eq!(code(&join_w), c(codes::ERR_SVR_GROUP_PERMISSION_DENY));
    assert!(join_w["desc"].as_str().unwrap().contains("invite-only"));
    let inv = json!({"op": "invite_to_group", "group_id": "w", "user_ids": ["member"]});
    assert_eq!(code(&owner.request(inv).await), 0);
    let inv2 =
        json!({"op": "invite_to_group", "group_id": "w", "user_ids": ["outsider", "newcomer"]});
    assert_eq!(code(&m.request(inv2).await), 0);
    let ms = members(&mut owner, "w").await;
    assert_eq!(ms.len(), 4);
    assert!(ms
        .iter()
        .all(|(u, r)| (u == "owner") == (*r == 400) && (*r == 400 || *r == 200)));

    // Public: free join; only owner/admin invite; no double membership.
    assert_eq!(code(&create(&mut owner, "Public", "p").await), 0);
    assert_eq!(
        code(
            &m.request(json!({"op": "join_group", "group_id": "p"}))
                .await
        ),
        0
    );
    assert_eq!(
        code(
            &m.request(json!({"op": "join_group", "group_id": "p"}))
                .await
        ),
        c(codes::ERR_SVR_GROUP_ALLREADY_MEMBER)
    );
    let inv3 = json!({"op": "invite_to_group", "group_id": "p", "user_ids": ["outsider"]});
    assert_eq!(
        code(&m.request(inv3.clone()).await),
        c(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
    assert_eq!(
        code(&out.request(inv3.clone()).await),
        c(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
    let promote =
        json!({"op": "set_member_role", "group_id": "p", "user_id": "member", "role": 300});
    assert_eq!(code(&owner.request(promote).await), 0);
    assert_eq!(code(&m.request(inv3).await), 0, "admins may invite");
    assert_eq!(
        code(
            &out.request(json!({"op": "join_group", "group_id": "missing"}))
                .await
        ),
        c(codes::ERR_SVR_GROUP_NOT_FOUND)
    );
}

#[tokio::test]
async fn roles_and_ownership() {
    let (_s, addr) = start().await;
    let mut o = Client::login_open(addr, "owner", "o").await;
    let mut m = Client::login_open(addr, "member", "m").await;
    let mut n = Client::login_open(addr, "other", "n").await;
    assert_eq!(code(&create(&mut o, "Public", "g").await), 0);
    for cl in [&mut m, &mut n] {
        assert_eq!(
            code(
                &cl.request(json!({"op": "join_group", "group_id": "g"}))
                    .await
            ),
            0
        );
    }
    let set = |user: &str, role: u32| json!({"op": "set_member_role", "group_id": "g", "user_id": user, "role": role});

    assert_eq!(
        code(&m.request(set("other", 300)).await),
        c(codes::ERR_SVR_GROUP_PERMISSION_DENY),
        "only the owner"
    );
    assert_eq!(
        code(&o.request(set("other", 100)).await),
        c(codes::ERR_SVR_GROUP_INVALID_PARAMETERS)
    );
    assert_eq!(
        code(&o.request(set("stranger", 300)).await),
        c(codes::ERR_SVR_GROUP_INVALID_PARAMETERS)
    );
    assert_eq!(
        code(&o.request(set("owner", 200)).await),
        c(codes::ERR_SVR_GROUP_INVALID_PARAMETERS)
    );
    assert_eq!(code(&o.request(set("member", 300)).await), 0);
    assert_eq!(code(&o.request(set("member", 200)).await), 0);

    // The owner cannot leave before handing over.
    let quit = json!({"op": "quit_group", "group_id": "g"});
    assert_eq!(
        code(&o.request(quit.clone()).await),
        c(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
    assert_eq!(code(&o.request(set("member", 400)).await), 0);
    let ms = members(&mut m, "g").await;
    let role_of = |u: &str| ms.iter().find(|(x, _)| x == u).unwrap().1;
    assert_eq!(role_of("member"), 400);
    assert_eq!(role_of("owner"), 200);
    // The former owner lost its rights; the new one has them.
    assert_eq!(
        code(&o.request(set("other", 300)).await),
        c(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
    assert_eq!(code(&m.request(set("other", 300)).await), 0);
    assert_eq!(code(&o.request(quit.clone()).await), 0);
    assert_eq!(
        code(&o.request(quit).await),
        c(codes::ERR_SVR_GROUP_PERMISSION_DENY),
        "no longer a member"
    );
}

/// The next push, which must carry a group tips message (of a client `with_tips`).
async fn tips_push(c: &mut Client) -> Value {
    let p = c.push().await;
    assert!(is_tips(&p), "expected group tips, got {p}");
    p["event"]["msg"].clone()
}

#[tokio::test]
async fn every_membership_change_is_a_tips_message_for_every_member() {
    let (_s, addr) = start().await;
    let mut o = Client::login_open(addr, "owner", "o").await;
    let mut a = Client::login_open(addr, "ann", "a").await;
    let mut b1 = Client::login_open(addr, "ben", "b1").await;
    let mut b2 = Client::login_open(addr, "ben", "b2").await;
    for cl in [&mut o, &mut a, &mut b1, &mut b2] {
        cl.with_tips = true;
    }
    let nick = o
        .request(json!({"op": "set_self_info", "changes": {"nick_name": "The Owner"}}))
        .await;
    assert_eq!(code(&nick), 0);

    // Created with a profile and a first member: INVITE tips for both, not unread.
    let r = o
        .request(
            json!({"op": "create_group", "group_type": "Public", "group_id": "t",
            "name": "T", "profile": {"notification": "hello"}, "member_ids": ["ann"]}),
        )
        .await;
    assert_eq!(code(&r), 0, "{r}");
    for cl in [&mut o, &mut a] {
        let m = tips_push(cl).await;
        assert_eq!(m["elem"]["tips_type"], 2);
        assert_eq!(m["elem"]["op_user"]["user_id"], "owner");
        assert_eq!(m["elem"]["op_user"]["nick_name"], "The Owner");
        assert_eq!(m["elem"]["members"][0]["user_id"], "ann");
        assert_eq!(m["elem"]["member_count"], 2);
        assert_eq!(m["excluded_from_unread"], true);
        assert!(m["msg_id"].as_str().unwrap().starts_with("@TIPS#"));
    }
    let conv = a
        .request(json!({"op": "get_conversation", "conv": {"kind": "group", "group_id": "t"}}))
        .await;
    assert_eq!(conv["data"]["conversation"]["unread_count"], 0, "{conv}");
    assert_eq!(
        conv["data"]["conversation"]["last_message"]["elem"]["type"],
        "group_tips"
    );

    // Per-user invite results; ben's two devices hear his invitation.
    let r = o
        .request(json!({"op": "invite_to_group", "group_id": "t", "user_ids": ["ann", "ben"]}))
        .await;
    assert_eq!(
        r["data"]["results"],
        json!([{"user_id": "ann", "result": 2}, {"user_id": "ben", "result": 1}])
    );
    for cl in [&mut o, &mut a, &mut b1, &mut b2] {
        assert_eq!(tips_push(cl).await["elem"]["members"][0]["user_id"], "ben");
    }

    // Admin granted, profile changed (only what differs), ownership transferred.
    assert_eq!(
        code(
            &o.request(
                json!({"op": "set_member_role", "group_id": "t", "user_id": "ann", "role": 300})
            )
            .await
        ),
        0
    );
    for cl in [&mut o, &mut a, &mut b1, &mut b2] {
        assert_eq!(tips_push(cl).await["elem"]["tips_type"], 5);
    }
    let r = a
        .request(json!({"op": "set_group_info", "group_id": "t",
            "changes": {"name": "T2", "notification": "hello"}}))
        .await;
    assert_eq!(code(&r), 0, "{r}");
    let mut m = Value::Null;
    for cl in [&mut o, &mut a, &mut b1, &mut b2] {
        m = tips_push(cl).await;
        assert_eq!(m["elem"]["tips_type"], 7);
        assert_eq!(m["elem"]["changes"], json!([{"kind": 1, "value": "T2"}]));
    }
    let r = b1
        .request(json!({"op": "set_group_info", "group_id": "t", "changes": {"name": "mine"}}))
        .await;
    assert_eq!(code(&r), c(codes::ERR_SVR_GROUP_PERMISSION_DENY));

    // Profiles with their own results; joined groups; members filtered and paged.
    let r = b1
        .request(json!({"op": "get_groups_info", "group_ids": ["t", "none"]}))
        .await;
    let res = &r["data"]["results"];
    assert_eq!(res[0]["info"]["name"], "T2");
    assert_eq!(res[0]["info"]["notification"], "hello");
    assert_eq!(res[0]["info"]["member_count"], 3);
    assert_eq!(res[0]["info"]["role"], 200);
    assert_eq!(res[1]["code"], c(codes::ERR_SVR_GROUP_NOT_FOUND));
    let r = a.request(json!({"op": "get_joined_groups"})).await;
    assert_eq!(r["data"]["groups"][0]["group_id"], "t");
    let r = b1
        .request(json!({"op": "get_group_members", "group_id": "t", "filter": 4, "count": 1}))
        .await;
    assert_eq!(r["data"]["members"][0]["user_id"], "ben");
    assert_eq!(r["data"]["next_seq"], 0);
    let r = b1
        .request(json!({"op": "get_group_members", "group_id": "t", "count": 2}))
        .await;
    assert_eq!(r["data"]["members"].as_array().unwrap().len(), 2);
    assert_eq!(r["data"]["next_seq"], 2);
    let all = b1
        .request(json!({"op": "get_group_members", "group_id": "t"}))
        .await;
    let owner = all["data"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user_id"] == "owner")
        .cloned()
        .unwrap();
    assert_eq!(owner["nick_name"], "The Owner", "members carry their names");
    assert_eq!(owner["role"], 400);

    // Kicked by the admin: ben's devices hear it, then hear nothing more.
    let r = a
        .request(json!({"op": "kick_from_group", "group_id": "t", "user_ids": ["ben", "owner"]}))
        .await;
    assert_eq!(
        r["data"]["results"],
        json!([{"user_id": "ben", "result": 1}, {"user_id": "owner", "result": 2}])
    );
    for cl in [&mut o, &mut a, &mut b1, &mut b2] {
        let m = tips_push(cl).await;
        assert_eq!(m["elem"]["tips_type"], 4);
        assert_eq!(m["elem"]["member_count"], 2);
    }
    // Tips are never recalled.
    let r = revoke(&mut o, "k", m["msg_id"].as_str().unwrap(), grp("t"), "").await;
    assert_eq!(code(&r), c(codes::ERR_SVR_GROUP_REVOKE_MSG_DENY));

    // Clients cannot forge tips ids or elements.
    let r = o.send_group("t", "@TIPS#999", "forged").await;
    assert_eq!(code(&r), c(codes::ERR_SVR_COMM_INVALID_REQUEST), "{r}");

    // Dismissed by the owner: everyone left is told, the group is gone, its id taken.
    assert_eq!(
        code(
            &o.request(json!({"op": "dismiss_group", "group_id": "t"}))
                .await
        ),
        0
    );
    for cl in [&mut o, &mut a] {
        assert_eq!(tips_push(cl).await["elem"]["tips_type"], 256);
    }
    b1.assert_no_push().await;
    let r = a
        .request(json!({"op": "join_group", "group_id": "t"}))
        .await;
    assert_eq!(code(&r), c(codes::ERR_SVR_GROUP_NOT_FOUND));
    assert_eq!(
        code(&create(&mut a, "Public", "t").await),
        c(codes::ERR_SVR_GROUP_GROUPID_IN_USED)
    );
    let r = a.request(json!({"op": "get_joined_groups"})).await;
    assert_eq!(r["data"]["groups"], json!([]));
}

#[tokio::test]
async fn work_groups_are_not_dismissed_by_their_owner() {
    let (_s, addr) = start().await;
    let mut o = Client::login_open(addr, "owner", "o").await;
    assert_eq!(code(&create(&mut o, "Work", "w").await), 0);
    let r = o
        .request(json!({"op": "dismiss_group", "group_id": "w"}))
        .await;
    assert_eq!(code(&r), c(codes::ERR_SVR_GROUP_PERMISSION_DENY));
    assert!(r["desc"].as_str().unwrap().contains("destroy_group"), "{r}");
}
