//! The conversation list through real SDK instances and a real server: last message,
//! unread counts and their listeners, around recall, on every device of every participant.
//! Each case is one of the bugs other chat SDKs' users report: a stale preview after a
//! recall, an unread count a recall does not lower, a refresh reported twice, read state
//! not shared between a user's devices, an offline device's list not catching up.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use parking_lot::{Condvar, Mutex};
use v2tim::core::{codes, Conversation, ConversationListener, Manager};

#[derive(Default)]
struct Seen {
    new: Vec<Conversation>,
    changed: Vec<Conversation>,
    totals: Vec<u64>,
}

/// Everything a conversation listener was told.
#[derive(Default)]
struct ConvEvents {
    seen: Mutex<Seen>,
    cv: Condvar,
}

impl ConversationListener for ConvEvents {
    fn on_new_conversation(&self, c: &[Conversation]) {
        self.seen.lock().new.extend_from_slice(c);
        self.cv.notify_all();
    }
    fn on_conversation_changed(&self, c: &[Conversation]) {
        self.seen.lock().changed.extend_from_slice(c);
        self.cv.notify_all();
    }
    fn on_total_unread_message_count_changed(&self, total: u64) {
        self.seen.lock().totals.push(total);
        self.cv.notify_all();
    }
}

impl ConvEvents {
    fn attach(m: &Manager) -> Arc<ConvEvents> {
        let l = Arc::new(ConvEvents::default());
        m.add_conversation_listener([Arc::as_ptr(&l) as usize, 7, 0, 0, 0, 0, 0, 0], l.clone());
        l
    }

    /// Waits until `f` holds of what was seen; panics after the test timeout.
    fn until(&self, what: &str, f: impl Fn(&Seen) -> bool) {
        let deadline = Instant::now() + WAIT;
        let mut seen = self.seen.lock();
        while !f(&seen) {
            if self.cv.wait_until(&mut seen, deadline).timed_out() {
                panic!("timed out waiting for {what}");
            }
        }
    }

    /// What was seen after a pause long enough for a duplicate to show.
    fn settled(&self) -> parking_lot::MutexGuard<'_, Seen> {
        std::thread::sleep(Duration::from_millis(300));
        self.seen.lock()
    }

    fn clear(&self) {
        *self.seen.lock() = Seen::default();
    }
}

fn list(m: &Manager) -> Vec<Conversation> {
    wait(|d| m.get_conversation_list(0, 100, d)).unwrap().0
}

fn conv(m: &Manager, id: &str) -> Conversation {
    wait(|d| m.get_conversation(id, d)).unwrap()
}

fn total(m: &Manager) -> u64 {
    wait(|d| m.get_total_unread_message_count(d)).unwrap()
}

fn last_text(c: &Conversation) -> String {
    c.last_message
        .as_ref()
        .map(|m| m.text())
        .unwrap_or_default()
}

#[test]
fn the_list_shows_last_message_and_unread_and_follows_new_messages() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let carol = login(&srv.url, "carol");
    send_text(&alice, "bob", "", "hi bob").unwrap();
    send_text(&carol, "bob", "", "bob?").unwrap();
    send_text(&carol, "bob", "", "are you there").unwrap();

    let bob = login(&srv.url, "bob");
    let events = ConvEvents::attach(&bob);
    let l = list(&bob);
    let ids: Vec<&str> = l.iter().map(|c| c.conversation_id.as_str()).collect();
    assert_eq!(ids, ["c2c_carol", "c2c_alice"], "newest activity first");
    assert_eq!(
        (l[0].unread_count, last_text(&l[0]), l[0].user_id.as_str()),
        (2, "are you there".to_string(), "carol")
    );
    assert_eq!((l[0].conv_type, l[0].show_name.as_str()), (1, "carol"));
    assert_eq!((l[1].unread_count, last_text(&l[1])), (1, "hi bob".into()));
    assert_eq!(total(&bob), 3);
    // The sender's own messages are not unread for them.
    assert_eq!(conv(&alice, "c2c_bob").unread_count, 0);

    send_text(&alice, "bob", "", "lunch?").unwrap();
    events.until("alice's conversation to change", |s| {
        s.changed.iter().any(|c| last_text(c) == "lunch?")
    });
    let seen = events.settled();
    assert_eq!(seen.changed.len(), 1, "one change per message");
    assert_eq!(seen.changed[0].unread_count, 2);
    assert_eq!(seen.totals, [4]);
    assert!(seen.new.is_empty());
    drop(seen);
    assert_eq!(
        list(&bob)[0].conversation_id,
        "c2c_alice",
        "moved to the top"
    );

    // A conversation the list did not hold is new.
    let dave = login(&srv.url, "dave");
    send_text(&dave, "bob", "", "hello from dave").unwrap();
    events.until("dave's new conversation", |s| {
        s.new.iter().any(|c| c.conversation_id == "c2c_dave")
    });
    let c = conv(&bob, "c2c_dave");
    assert_eq!(
        (c.unread_count, last_text(&c)),
        (1, "hello from dave".into())
    );
    assert_eq!(total(&bob), 5);
}

#[test]
fn recalling_the_last_message_changes_every_participants_every_device_once() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let alice2 = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let bob2 = login(&srv.url, "bob");
    // The lists are read before anything happens: what follows are changes.
    let devices = [&alice, &alice2, &bob, &bob2];
    for m in devices {
        assert!(list(m).is_empty());
    }
    let events: Vec<_> = devices.iter().map(|m| ConvEvents::attach(m)).collect();
    send_text(&alice, "bob", "", "first").unwrap();
    let msg = send_text(&alice, "bob", "", "meant for someone else").unwrap();
    for e in &events {
        e.until("the second message", |s| {
            s.new
                .iter()
                .chain(&s.changed)
                .any(|c| last_text(c) == "meant for someone else")
        });
    }
    assert_eq!(conv(&bob, "c2c_alice").unread_count, 2);
    for e in &events[2..] {
        e.until("two unread", |s| s.totals.last() == Some(&2));
    }
    for e in &events {
        e.clear();
    }

    revoke(&alice, &msg, "").unwrap();
    for (i, e) in events.iter().enumerate() {
        e.until("the recall", |s| {
            s.changed.iter().any(|c| {
                c.last_message
                    .as_ref()
                    .is_some_and(|m| m.is_revoked() && m.msg_id() == msg.msg_id())
            })
        });
        let seen = e.settled();
        assert_eq!(seen.changed.len(), 1, "device {i}: reported once");
        assert!(seen.new.is_empty());
        let c = &seen.changed[0];
        let last = c.last_message.as_ref().unwrap();
        assert_eq!(last.status(), 6, "device {i}: recalled form");
        assert_eq!(last.text(), "", "device {i}: no content left");
        assert_eq!(
            last.data().revoked.map(|r| r.revoker),
            Some("alice".to_string())
        );
        if i >= 2 {
            // The recalled message no longer counts: bob's unread goes 2 -> 1.
            assert_eq!(c.unread_count, 1, "device {i}");
            assert_eq!(seen.totals, [1], "device {i}");
        } else {
            assert_eq!(c.unread_count, 0, "device {i}");
            assert!(seen.totals.is_empty(), "device {i}");
        }
    }
    assert_eq!(total(&bob2), 1);
    // A fresh read of the list agrees with what was reported.
    let fresh = login(&srv.url, "bob");
    let c = conv(&fresh, "c2c_alice");
    assert_eq!(c.unread_count, 1);
    assert!(c.last_message.unwrap().is_revoked());
}

#[test]
fn read_positions_are_the_users_on_every_device() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let bob2 = login(&srv.url, "bob");
    let _ = (list(&bob), list(&bob2));
    let on_bob2 = ConvEvents::attach(&bob2);
    for i in 0..3 {
        send_text(&alice, "bob", "", &format!("m{i}")).unwrap();
    }
    on_bob2.until("three unread", |s| s.totals.last() == Some(&3));
    // Up to seq 2 first, then all.
    wait(|d| bob.clean_conversation_unread_message_count("c2c_alice", 0, 2, d)).unwrap();
    assert_eq!(conv(&bob, "c2c_alice").unread_count, 1);
    on_bob2.until("the other device's read", |s| s.totals.last() == Some(&1));
    wait(|d| bob.mark_c2c_message_as_read("alice", d)).unwrap();
    on_bob2.until("all read", |s| s.totals.last() == Some(&0));
    assert_eq!(conv(&bob2, "c2c_alice").unread_count, 0);
    assert_eq!(total(&bob), 0);
    // A read position never moves back.
    wait(|d| bob.clean_conversation_unread_message_count("c2c_alice", 0, 1, d)).unwrap();
    assert_eq!(conv(&bob, "c2c_alice").unread_count, 0);
    // By time: a message sent later is unread again, the earlier ones are not.
    let later = send_text(&alice, "bob", "", "later").unwrap();
    on_bob2.until("the later message", |s| s.totals.last() == Some(&1));
    let secs = (later.data().timestamp_ms / 1000) as u64;
    wait(|d| bob2.clean_conversation_unread_message_count("c2c_alice", secs, 0, d)).unwrap();
    assert_eq!(conv(&bob2, "c2c_alice").unread_count, 0);

    let bad = wait(|d| bob.clean_conversation_unread_message_count("alice", 0, 0, d)).unwrap_err();
    assert_eq!(bad.code, codes::ERR_INVALID_PARAMETERS);
    assert!(bad.desc.contains("c2c_"), "{}", bad.desc);
    let none =
        wait(|d| bob.clean_conversation_unread_message_count("c2c_zoe", 0, 0, d)).unwrap_err();
    assert!(none.desc.contains("no such conversation"), "{}", none.desc);
}

#[test]
fn an_offline_device_catches_up_on_its_list() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let bob = login(&srv.url, "bob");
    let inbox = Inbox::attach(&bob);
    send_text(&alice, "bob", "", "one").unwrap();
    let two = send_text(&alice, "bob", "", "two").unwrap();
    inbox.wait_for(2);
    assert_eq!(conv(&bob, "c2c_alice").unread_count, 2);
    wait(|d| bob.logout(d)).unwrap();

    // While bob is away: a recall of the last message, and a new conversation.
    revoke(&alice, &two, "").unwrap();
    let carol = login(&srv.url, "carol");
    send_text(&carol, "bob", "", "from carol").unwrap();

    wait(|d| bob.login("bob", &sig("bob"), d)).unwrap();
    let l = list(&bob);
    let ids: Vec<&str> = l.iter().map(|c| c.conversation_id.as_str()).collect();
    assert_eq!(ids, ["c2c_carol", "c2c_alice"]);
    assert!(l[1].last_message.as_ref().unwrap().is_revoked());
    assert_eq!(l[1].unread_count, 1);
    assert_eq!(total(&bob), 2);
}

#[test]
fn a_reconnecting_device_reports_what_changed_while_it_was_away() {
    let srv = LocalServer::start(None);
    let proxy = Proxy::start(&srv.url);
    let alice = login(&srv.url, "alice");
    let bob = login(&proxy.url, "bob");
    let bob_here = login(&srv.url, "bob");
    send_text(&alice, "bob", "", "one").unwrap();
    let two = send_text(&alice, "bob", "", "two").unwrap();
    let three = send_text(&alice, "bob", "", "three").unwrap();
    let _ = list(&bob);
    let deadline = Instant::now() + WAIT;
    while conv(&bob, "c2c_alice").unread_count != 3 {
        assert!(Instant::now() < deadline, "bob's list did not follow");
        std::thread::sleep(Duration::from_millis(20));
    }
    let events = ConvEvents::attach(&bob);
    // bob's connection is down while alice recalls the last message and bob reads up to
    // seq 1 on his other device.
    proxy.fail();
    revoke(&alice, &three, "").unwrap();
    wait(|d| bob_here.clean_conversation_unread_message_count("c2c_alice", 0, 1, d)).unwrap();
    assert!(
        events.seen.lock().changed.is_empty(),
        "nothing came while away"
    );
    proxy.restore();
    events.until("the changes after reconnecting", |s| {
        s.totals.last() == Some(&1)
    });
    let seen = events.settled();
    let c = seen.changed.last().unwrap();
    assert!(c.last_message.as_ref().unwrap().is_revoked());
    assert_eq!(c.unread_count, 1, "only \"two\" is unread");
    assert!(seen.new.is_empty());
    let _ = two;
}

#[test]
fn group_conversations_count_only_what_came_after_joining() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let gid = wait(|d| alice.create_group("Public", "g1", "Lunch club", d)).unwrap();
    send_text(&alice, "", &gid, "before you came").unwrap();
    let bob = login(&srv.url, "bob");
    let _ = list(&bob);
    let events = ConvEvents::attach(&bob);
    wait(|d| bob.join_group(&gid, "", d)).unwrap();
    events.until("the group's conversation", |s| {
        s.new.iter().any(|c| c.conversation_id == "group_g1")
    });
    let c = conv(&bob, "group_g1");
    assert_eq!((c.conv_type, c.group_id.as_str()), (2, "g1"));
    assert_eq!(
        (c.show_name.as_str(), c.group_type.as_str()),
        ("Lunch club", "Public")
    );
    assert_eq!(
        c.unread_count, 0,
        "messages from before the join are not unread"
    );
    let m = send_text(&alice, "", &gid, "welcome").unwrap();
    events.until("the group message", |s| {
        s.changed
            .iter()
            .any(|c| c.unread_count == 1 && last_text(c) == "welcome")
    });
    revoke(&alice, &m, "").unwrap();
    events.until("the group recall", |s| {
        s.changed.iter().any(|c| c.unread_count == 0)
    });
    assert!(conv(&bob, "group_g1").last_message.unwrap().is_revoked());
    // The group's creator has the conversation from its creation on.
    assert_eq!(conv(&alice, "group_g1").unread_count, 0);
}

#[test]
fn the_list_pages_newest_first() {
    let srv = LocalServer::start(None);
    let bob = login(&srv.url, "bob");
    let peers: Vec<String> = (0..7).map(|i| format!("peer{i}")).collect();
    for p in &peers {
        let m = login(&srv.url, p);
        send_text(&m, "bob", "", p).unwrap();
    }
    // bob's list was read at login: these came as changes and are in it.
    let deadline = Instant::now() + WAIT;
    while total(&bob) < 7 {
        assert!(Instant::now() < deadline, "the list did not fill");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut got = Vec::new();
    let mut next = 0;
    loop {
        let (page, n, finished) = wait(|d| bob.get_conversation_list(next, 3, d)).unwrap();
        got.extend(page.into_iter().map(|c| c.user_id));
        if finished {
            break;
        }
        next = n;
    }
    let mut expected = peers.clone();
    expected.reverse();
    assert_eq!(got, expected);
    let e = wait(|d| bob.get_conversation_list(0, 0, d)).unwrap_err();
    assert_eq!(e.code, codes::ERR_INVALID_PARAMETERS);
    let logged_out = Manager::new();
    let e = wait(|d| logged_out.get_conversation_list(0, 10, d)).unwrap_err();
    assert_eq!(e.code, codes::ERR_SDK_NOT_INITIALIZED);
}
