//! Network outages between SDK and server: the SDK reconnects by itself, logs in again,
//! catches up exactly once and in order, and requests made meanwhile complete.

mod common;

use common::*;
use v2tim::core::login_status;

#[test]
fn after_an_outage_the_sdk_reconnects_and_catches_up_exactly_once() {
    let srv = LocalServer::start(None);
    let proxy = Proxy::start(&srv.url);
    let alice = login(&srv.url, "alice");
    let bob = login(&proxy.url, "bob");
    let bob_events = SdkEvents::attach(&bob);
    let inbox = Inbox::attach(&bob);
    let alice_inbox = Inbox::attach(&alice);
    send_text(&alice, "bob", "", "before").unwrap();
    inbox.wait_for(1);
    let connects_before = bob_events.count("connect_success");

    proxy.fail();
    eventually("bob notices the outage", || {
        bob_events.count("connecting") >= 1
    });
    for i in 0..20 {
        send_text(&alice, "bob", "", &format!("during {i}")).unwrap();
    }
    // A send made while offline waits for the connection instead of failing.
    let pending = bob.create_text_message("sent while offline").unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    bob.send_message(
        &pending,
        "alice",
        "",
        0,
        Box::new(move |r| tx.send(r).unwrap()),
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        rx.try_recv().is_err(),
        "the send is still waiting for the network"
    );

    proxy.restore();
    rx.recv_timeout(WAIT).unwrap().unwrap();
    let got = inbox.wait_for(21);
    let expected: Vec<String> = std::iter::once("before".to_string())
        .chain((0..20).map(|i| format!("during {i}")))
        .collect();
    assert_eq!(texts(&got), expected);
    assert_eq!(alice_inbox.wait_for(1)[0].text(), "sent while offline");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(inbox.len(), 21, "nothing twice");
    assert_eq!(alice_inbox.len(), 1, "the queued send made one message");
    assert_eq!(bob.get_login_status(), login_status::LOGINED);
    assert!(
        bob_events.count("connect_success") > connects_before,
        "bob reconnected"
    );
}

#[test]
fn repeated_outages_lose_nothing() {
    let srv = LocalServer::start(None);
    let proxy = Proxy::start(&srv.url);
    let alice = login(&srv.url, "alice");
    let bob = login(&proxy.url, "bob");
    let inbox = Inbox::attach(&bob);
    for round in 0..5 {
        proxy.fail();
        for i in 0..5 {
            send_text(&alice, "bob", "", &format!("{round}.{i}")).unwrap();
        }
        proxy.restore();
        inbox.wait_for((round + 1) * 5);
    }
    let expected: Vec<String> = (0..5)
        .flat_map(|r| (0..5).map(move |i| format!("{r}.{i}")))
        .collect();
    assert_eq!(inbox.texts(), expected);
}
