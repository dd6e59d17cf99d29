//! SDK <-> server over real sockets: C2C and group exchange, multi-device, offline sync,
//! history paging, authentication and group permissions.

mod common;

use common::*;
use v2tim::core::{codes, login_status, Manager, SdkConfig};

#[test]
fn c2c_exchange_and_history_on_a_real_socket() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let bob_inbox = Inbox::attach(&bob);
    let alice_inbox = Inbox::attach(&alice);

    let sent = send_text(&alice, "bob", "", "hi bob").unwrap();
    assert_eq!(sent.status(), 2, "sent message has status SEND_SUCC");
    assert!(sent.with(|d| d.seq) > 0 && sent.with(|d| d.timestamp_ms) > 0);
    let got = bob_inbox.wait_for(1);
    assert_eq!(got[0].msg_id(), sent.msg_id());
    assert_eq!(got[0].text(), "hi bob");
    assert_eq!(
        got[0].with(|d| (d.sender.clone(), d.user_id.clone(), d.is_self)),
        ("alice".into(), "alice".into(), false)
    );

    send_text(&bob, "alice", "", "hi alice").unwrap();
    assert_eq!(alice_inbox.wait_for(1)[0].text(), "hi alice");
    // The sender's only device does not "receive" its own message.
    assert_eq!(bob_inbox.len(), 1);

    for i in 0..5 {
        send_text(&alice, "bob", "", &format!("m{i}")).unwrap();
    }
    let page1 = wait(|d| bob.get_c2c_history_message_list("alice", 4, None, d)).unwrap();
    assert_eq!(texts(&page1), ["m4", "m3", "m2", "m1"]);
    let page2 = wait(|d| bob.get_c2c_history_message_list("alice", 4, page1.last(), d)).unwrap();
    assert_eq!(texts(&page2), ["m0", "hi alice", "hi bob"]);
    let seqs: Vec<u64> = page1
        .iter()
        .chain(&page2)
        .map(|m| m.with(|d| d.seq))
        .collect();
    assert!(
        seqs.windows(2).all(|w| w[0] == w[1] + 1),
        "one gap-free sequence per conversation: {seqs:?}"
    );
    // The same conversation seen from the other side.
    let alice_view = wait(|d| alice.get_c2c_history_message_list("bob", 100, None, d)).unwrap();
    assert_eq!(alice_view.len(), 7);
}

#[test]
fn group_exchange_roles_and_history() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let carol = login(&srv.url, "carol");
    let gid = wait(|d| alice.create_group("Public", "", "friends", d)).unwrap();
    assert!(!gid.is_empty());
    wait(|d| bob.join_group(&gid, "let me in", d)).unwrap();
    let bob_inbox = Inbox::attach(&bob);
    let carol_inbox = Inbox::attach(&carol);

    send_text(&alice, "", &gid, "welcome").unwrap();
    let got = bob_inbox.wait_for(1);
    assert_eq!(got[0].text(), "welcome");
    assert_eq!(got[0].with(|d| d.group_id.clone()), gid);

    // Carol is not a member: she can neither send nor read, and receives nothing.
    let err = send_text(&carol, "", &gid, "sneaky").unwrap_err();
    assert_eq!(err.code, codes::ERR_SVR_GROUP_PERMISSION_DENY, "{err}");
    let err = wait(|d| carol.get_group_history_message_list(&gid, 10, None, d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SVR_GROUP_PERMISSION_DENY, "{err}");
    assert_eq!(carol_inbox.len(), 0);

    // Roles: only the owner sets them.
    let err = wait(|d| bob.set_group_member_role(&gid, "alice", 200, d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SVR_GROUP_PERMISSION_DENY);
    wait(|d| alice.set_group_member_role(&gid, "bob", 300, d)).unwrap();
    let members = wait(|d| alice.get_group_member_list(&gid, 0, 0, d))
        .unwrap()
        .members;
    let role = |u: &str| members.iter().find(|m| m.user_id == u).map(|m| m.role);
    assert_eq!((role("alice"), role("bob")), (Some(400), Some(300)));

    send_text(&bob, "", &gid, "thanks").unwrap();
    let hist = wait(|d| alice.get_group_history_message_list(&gid, 10, None, d)).unwrap();
    // Newest first, with the group tips of bob's role and of his joining.
    let kinds: Vec<u32> = hist
        .iter()
        .filter_map(|m| m.group_tips().map(|t| t.tips_type))
        .collect();
    assert_eq!(kinds, [5, 1], "SET_ADMIN, then JOIN");
    let hist: Vec<_> = hist
        .into_iter()
        .filter(|m| m.group_tips().is_none())
        .collect();
    assert_eq!(texts(&hist), ["thanks", "welcome"]);

    // Work groups are invite-only.
    let work = wait(|d| alice.create_group("Work", "work-1", "team", d)).unwrap();
    assert_eq!(work, "work-1");
    let err = wait(|d| carol.join_group("work-1", "", d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SVR_GROUP_PERMISSION_DENY);
    wait(|d| alice.invite_user_to_group("work-1", vec!["carol".into()], d)).unwrap();
    send_text(&alice, "", "work-1", "standup").unwrap();
    assert_eq!(carol_inbox.wait_for(1)[0].text(), "standup");
}

#[test]
fn every_group_type_can_be_created_and_used() {
    let srv = LocalServer::start(None);
    let owner = login(&srv.url, "owner");
    let member = login(&srv.url, "member");
    let inbox = Inbox::attach(&member);
    for (i, ty) in ["Work", "Public", "Meeting", "AVChatRoom", "Community"]
        .iter()
        .enumerate()
    {
        let gid = wait(|d| owner.create_group(ty, &format!("g-{ty}"), ty, d)).unwrap();
        if *ty == "Work" {
            wait(|d| owner.invite_user_to_group(&gid, vec!["member".into()], d)).unwrap();
        } else {
            wait(|d| member.join_group(&gid, "", d)).unwrap();
        }
        send_text(&owner, "", &gid, ty).unwrap();
        assert_eq!(inbox.wait_for(i + 1)[i].text(), *ty);
    }
    let err = wait(|d| owner.create_group("Private", "", "x", d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SVR_GROUP_INVALID_PARAMETERS);
    let err = wait(|d| owner.create_group("Public", "g-Public", "again", d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SVR_GROUP_GROUPID_IN_USED);
}

#[test]
fn both_devices_of_a_user_receive_and_the_senders_other_device_sees_its_message() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob_phone = login(&srv.url, "bob");
    let bob_laptop = login(&srv.url, "bob");
    let phone = Inbox::attach(&bob_phone);
    let laptop = Inbox::attach(&bob_laptop);
    let alice_inbox = Inbox::attach(&alice);

    send_text(&alice, "bob", "", "to both").unwrap();
    assert_eq!(phone.wait_for(1)[0].text(), "to both");
    assert_eq!(laptop.wait_for(1)[0].text(), "to both");

    // Bob answers from the phone: the laptop sees the phone's message, the phone does not
    // get its own message back, alice gets it.
    let sent = send_text(&bob_phone, "alice", "", "from phone").unwrap();
    let l = laptop.wait_for(2);
    assert_eq!(l[1].msg_id(), sent.msg_id());
    assert!(
        l[1].with(|d| d.is_self),
        "the laptop's copy is bob's own message"
    );
    assert_eq!(
        l[1].with(|d| d.user_id.clone()),
        "alice",
        "the conversation is with alice"
    );
    assert_eq!(alice_inbox.wait_for(1)[0].text(), "from phone");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(
        phone.len(),
        1,
        "the sending device does not receive its own message"
    );
}

#[test]
fn a_device_offline_during_100_messages_gets_all_in_order_exactly_once() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let inbox = Inbox::attach(&bob);
    send_text(&alice, "bob", "", "before").unwrap();
    inbox.wait_for(1);

    wait(|d| bob.logout(d)).unwrap();
    assert_eq!(bob.get_login_status(), login_status::LOGOUT);
    for i in 0..100 {
        send_text(&alice, "bob", "", &format!("offline {i}")).unwrap();
    }
    wait(|d| bob.login("bob", &sig("bob"), d)).unwrap();
    let got = inbox.wait_for(101);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(inbox.len(), 101, "nothing delivered twice");
    let expected: Vec<String> = std::iter::once("before".to_string())
        .chain((0..100).map(|i| format!("offline {i}")))
        .collect();
    assert_eq!(texts(&got), expected);
}

#[test]
fn a_fresh_device_with_a_data_dir_resumes_after_restart() {
    let srv = LocalServer::start(None);
    let dir = tempfile::tempdir().unwrap();
    let alice = login(&srv.url, "alice");
    let make_bob = || {
        let m = Manager::new();
        let cfg = SdkConfig {
            server_url: Some(srv.url.clone()),
            data_dir: Some(dir.path().into()),
            ..Default::default()
        };
        m.init_sdk(APP, cfg).unwrap();
        m
    };
    let bob = make_bob();
    let inbox = Inbox::attach(&bob);
    wait(|d| bob.login("bob", &sig("bob"), d)).unwrap();
    send_text(&alice, "bob", "", "one").unwrap();
    inbox.wait_for(1);
    bob.uninit_sdk();
    drop(bob);

    send_text(&alice, "bob", "", "two").unwrap();
    send_text(&alice, "bob", "", "three").unwrap();
    // A new instance (as after an app restart) on the same data dir picks up where the
    // old one stopped: it gets exactly the two it missed.
    let bob = make_bob();
    let inbox = Inbox::attach(&bob);
    wait(|d| bob.login("bob", &sig("bob"), d)).unwrap();
    assert_eq!(texts(&inbox.wait_for(2)), ["two", "three"]);
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(inbox.len(), 2);
}

#[test]
fn forged_expired_and_mismatched_user_sigs_are_refused() {
    let srv = LocalServer::start(None);
    let m = Manager::new();
    m.init_sdk(
        APP,
        SdkConfig {
            server_url: Some(srv.url.clone()),
            ..Default::default()
        },
    )
    .unwrap();

    let forged = v2tim::core::gen_user_sig(APP, "not-the-key", "mallory", 3600);
    let err = wait(|d| m.login("mallory", &forged, d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SVR_ACCOUNT_USERSIG_INVALID, "{err}");

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let expired = v2tim_proto::usersig::gen_user_sig_at(APP, KEY, "mallory", 60, now - 3600);
    let err = wait(|d| m.login("mallory", &expired, d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SVR_ACCOUNT_USERSIG_EXPIRED, "{err}");

    let others = sig("alice");
    let err = wait(|d| m.login("mallory", &others, d)).unwrap_err();
    assert_eq!(
        err.code,
        codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID,
        "{err}"
    );

    let err = wait(|d| m.login("mallory", "garbage", d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SVR_ACCOUNT_USERSIG_INVALID, "{err}");
    assert_eq!(m.get_login_status(), login_status::LOGOUT);
    assert!(!err.desc.is_empty());
}

#[test]
fn wrong_state_and_bad_arguments_get_v2tim_codes() {
    let m = Manager::new();
    assert_eq!(
        m.create_text_message("x").unwrap_err().code,
        codes::ERR_SDK_NOT_INITIALIZED
    );
    let err = wait(|d| m.login("bob", "sig", d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SDK_NOT_INITIALIZED);

    m.init_sdk(1_400_000_101, SdkConfig::default()).unwrap();
    let msg = m.create_text_message("x").unwrap();
    let err = wait(|d| m.send_message(&msg, "bob", "", 0, d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SDK_NOT_LOGGED_IN);
    let err = wait(|d| m.get_c2c_history_message_list("bob", 10, None, d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SDK_NOT_LOGGED_IN);

    let err = wait(|d| m.login("has space", "sig", d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SDK_COMM_INVALID_IDENTIFIER);
    let err = wait(|d| m.login(&"x".repeat(33), "sig", d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SDK_COMM_INVALID_IDENTIFIER);

    let big = "x".repeat(12 * 1024 + 1);
    assert_eq!(
        m.create_text_message(&big).unwrap_err().code,
        codes::ERR_SDK_MSG_BODY_SIZE_LIMIT
    );
    assert!(m.create_text_message(&"x".repeat(12 * 1024)).is_ok());

    wait(|d| {
        m.login(
            "bob",
            "anything: the embedded server of this test has no key",
            d,
        )
    })
    .unwrap();
    let err = wait(|d| m.send_message(&msg, "alice", "g1", 0, d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_INVALID_PARAMETERS);
    let err = wait(|d| m.send_message(&msg, "", "", 0, d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_INVALID_PARAMETERS);
    let err = wait(|d| m.get_c2c_history_message_list("alice", 0, None, d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_INVALID_PARAMETERS);
}

#[test]
fn embedded_mode_two_managers_share_one_in_process_server() {
    const EMBEDDED_APP: u32 = 1_400_000_102;
    let alice = login_to(None, EMBEDDED_APP, "alice");
    let bob = login_to(None, EMBEDDED_APP, "bob");
    let inbox = Inbox::attach(&bob);
    let custom = alice
        .create_custom_message(&[0, 1, 2, 255], "desc", "ext")
        .unwrap();
    wait(|d| alice.send_message(&custom, "bob", "", 0, d)).unwrap();
    let got = inbox.wait_for(1);
    assert_eq!(got[0].elem_type(), 2);
    let json: serde_json::Value = serde_json::from_str(&got[0].to_json()).unwrap();
    assert_eq!(json["customData"], "AAEC/w==");
    assert_eq!(json["sender"], "alice");
    assert_eq!(alice.get_login_user(), "alice");
    assert!((alice.get_server_time() - bob.get_server_time()).abs() <= 1);
}

#[test]
fn a_listener_removed_is_never_called_again() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let inbox = Inbox::attach(&bob);
    send_text(&alice, "bob", "", "first").unwrap();
    inbox.wait_for(1);
    inbox.detach(&bob);
    let probe = Inbox::attach(&bob);
    send_text(&alice, "bob", "", "second").unwrap();
    probe.wait_for(1);
    assert_eq!(inbox.len(), 1);
}
