//! Profiles through real SDK instances and a real server: setting one's own, reading
//! others', the sender's nick name on every message (push, sync, history, conversation
//! list), and the revoker's nick name and face URL on a recall, so an app can show
//! "Alice recalled a message".

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use parking_lot::Mutex;
use v2tim::core::{
    codes, AdvancedMsgListener, Manager, Message, ProfileChanges, SdkListener, UserFullInfo,
};

#[derive(Default)]
struct Heard {
    revokers: Mutex<Vec<UserFullInfo>>,
    messages: Mutex<Vec<Message>>,
    self_infos: Mutex<Vec<UserFullInfo>>,
}

impl AdvancedMsgListener for Heard {
    fn on_recv_new_message(&self, m: &Message) {
        self.messages.lock().push(m.clone());
    }
    fn on_recv_message_revoked(&self, _id: &str, op: &UserFullInfo, _reason: &str) {
        self.revokers.lock().push(op.clone());
    }
}

impl SdkListener for Heard {
    fn on_self_info_updated(&self, info: &UserFullInfo) {
        self.self_infos.lock().push(info.clone());
    }
}

fn attach(m: &Manager) -> Arc<Heard> {
    let h = Arc::new(Heard::default());
    let key = [Arc::as_ptr(&h) as usize, 11, 0, 0, 0, 0, 0, 0];
    m.add_advanced_msg_listener(key, h.clone());
    m.add_sdk_listener(key, h.clone());
    h
}

fn until(what: &str, f: impl Fn() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn set(m: &Manager, nick: &str, face: &str) {
    let changes = ProfileChanges {
        nick_name: Some(nick.into()),
        face_url: Some(face.into()),
        ..ProfileChanges::default()
    };
    wait(|d| m.set_self_info(changes, d)).unwrap();
}

#[test]
fn set_self_info_and_get_users_info() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let alice2 = login(&srv.url, "alice");
    let on_alice = attach(&alice);
    let on_alice2 = attach(&alice2);
    let mut changes = ProfileChanges {
        nick_name: Some("Alice".into()),
        face_url: Some("https://example.com/a.png".into()),
        self_signature: Some("hi there".into()),
        gender: Some(2),
        role: Some(7),
        level: Some(3),
        birthday: Some(19_991_231),
        allow_type: Some(1),
        ..ProfileChanges::default()
    };
    changes.set_custom("city", b"Paris\0bytes");
    wait(|d| alice.set_self_info(changes, d)).unwrap();
    // Every device hears it, this one included.
    until("both devices", || {
        !on_alice.self_infos.lock().is_empty() && !on_alice2.self_infos.lock().is_empty()
    });
    assert_eq!(on_alice2.self_infos.lock()[0].nick_name, "Alice");

    let bob = login(&srv.url, "bob");
    let got = wait(|d| {
        bob.get_users_info(
            vec!["alice".into(), "nobody-here".into(), "alice".into()],
            d,
        )
    })
    .unwrap();
    assert_eq!(got.len(), 1, "unknown users are left out, repeats once");
    let a = &got[0];
    assert_eq!(
        (
            a.user_id.as_str(),
            a.nick_name.as_str(),
            a.face_url.as_str()
        ),
        ("alice", "Alice", "https://example.com/a.png")
    );
    assert_eq!(a.self_signature, "hi there");
    assert_eq!(
        (a.gender, a.role, a.level, a.birthday, a.allow_type),
        (2, 7, 3, 19_991_231, 1)
    );
    assert_eq!(
        a.custom_info.get("city").map(Vec::as_slice),
        Some(&b"Paris\0bytes"[..])
    );

    // Only what is named changes.
    let only_nick = ProfileChanges {
        nick_name: Some("Alice L.".into()),
        ..ProfileChanges::default()
    };
    wait(|d| alice.set_self_info(only_nick, d)).unwrap();
    let a = wait(|d| bob.get_users_info(vec!["alice".into()], d))
        .unwrap()
        .remove(0);
    assert_eq!(
        (a.nick_name.as_str(), a.self_signature.as_str()),
        ("Alice L.", "hi there")
    );
    assert_eq!(a.custom_info.len(), 1);

    // Refusals, with what was wrong.
    let long = ProfileChanges {
        nick_name: Some("x".repeat(501)),
        ..ProfileChanges::default()
    };
    let e = wait(|d| alice.set_self_info(long, d)).unwrap_err();
    assert_eq!(e.code, codes::ERR_INVALID_PARAMETERS);
    assert!(e.desc.contains("nick_name"), "{}", e.desc);
    let e = wait(|d| bob.get_users_info(Vec::new(), d)).unwrap_err();
    assert!(e.desc.contains("1 to 100"), "{}", e.desc);
    let many: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    assert!(wait(|d| bob.get_users_info(many, d)).is_err());
    let e = wait(|d| bob.get_users_info(vec!["a b".into()], d)).unwrap_err();
    assert_eq!(e.code, codes::ERR_SDK_COMM_INVALID_IDENTIFIER);
}

#[test]
fn messages_carry_the_senders_nick_and_recalls_the_revokers() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    set(&alice, "Alice", "https://example.com/a.png");
    let on_bob = attach(&bob);
    let msg = send_text(&alice, "bob", "", "hello").unwrap();
    assert_eq!(msg.data().nick_name, "Alice", "the sender's own copy");
    until("bob's copy", || !on_bob.messages.lock().is_empty());
    let pushed = on_bob.messages.lock()[0].data();
    assert_eq!(
        (pushed.nick_name.as_str(), pushed.face_url.as_str()),
        ("Alice", "https://example.com/a.png")
    );
    let h = wait(|d| bob.get_c2c_history_message_list("alice", 10, None, d)).unwrap();
    assert_eq!(h[0].data().nick_name, "Alice");
    let conv = wait(|d| bob.get_conversation("c2c_alice", d)).unwrap();
    assert_eq!(conv.last_message.unwrap().data().nick_name, "Alice");

    // A recall names the revoker with the revoker's current profile.
    set(&alice, "Alice Liddell", "https://example.com/a2.png");
    revoke(&alice, &msg, "").unwrap();
    until("the recall", || !on_bob.revokers.lock().is_empty());
    let op = on_bob.revokers.lock()[0].clone();
    assert_eq!(
        (
            op.user_id.as_str(),
            op.nick_name.as_str(),
            op.face_url.as_str()
        ),
        ("alice", "Alice Liddell", "https://example.com/a2.png")
    );
    let shown = format!("{} recalled a message", op.nick_name);
    assert_eq!(shown, "Alice Liddell recalled a message");
    let r = pushed_revoker(&on_bob.messages.lock()[0]);
    assert_eq!(r, ("alice".into(), "Alice Liddell".into()));
    let json: serde_json::Value =
        serde_json::from_str(&on_bob.messages.lock()[0].to_json()).unwrap();
    assert_eq!(json["revokerInfo"]["nickName"], "Alice Liddell");

    // A device that syncs later sees the same.
    let bob2 = login(&srv.url, "bob");
    let h = wait(|d| bob2.get_c2c_history_message_list("alice", 10, None, d)).unwrap();
    assert_eq!(
        pushed_revoker(&h[0]),
        ("alice".into(), "Alice Liddell".into())
    );
    assert_eq!(
        h[0].data().nick_name,
        "Alice Liddell",
        "the sender's current nick"
    );
}

fn pushed_revoker(m: &Message) -> (String, String) {
    let r = m.data().revoked.expect("recalled");
    (r.revoker, r.revoker_nick)
}

#[test]
fn a_c2c_conversation_shows_the_peers_nick_name() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    set(&alice, "Alice", "https://example.com/a.png");
    let bob = login(&srv.url, "bob");
    let _ = wait(|d| bob.get_conversation_list(0, 10, d)).unwrap();
    let on_bob = attach(&bob);
    send_text(&alice, "bob", "", "hi").unwrap();
    until("the message", || !on_bob.messages.lock().is_empty());
    let c = wait(|d| bob.get_conversation("c2c_alice", d)).unwrap();
    assert_eq!(
        (
            c.show_name.as_str(),
            c.face_url.as_str(),
            c.user_id.as_str()
        ),
        ("Alice", "https://example.com/a.png", "alice")
    );
}
