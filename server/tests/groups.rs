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
    assert_eq!(ack["data"]["msg"]["seq"], 1);
    // Every member connection, the sender's own too (its push comes before its answer).
    for cl in [&mut a1, &mut a2, &mut b] {
        let p = cl.push().await;
        assert_eq!(p["event"]["msg"]["msg_id"], "gm1");
        assert_eq!(p["event"]["seq"], 1);
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
