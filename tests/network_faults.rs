//! Network faults between SDK and server, injected by the loopback [`Proxy`]: connections cut
//! mid-frame in either direction, black-holed (silent, never closed), refused, and answers
//! swallowed. Every request in flight completes exactly once (retry-safe ones succeed after
//! the reconnect; the others fail with 9508 ERR_SDK_NET_DISCONNECT, and only when the server
//! may have acted), nothing is lost or doubled, and every client ends with the server's state.

mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::chaos::*;
use common::*;
use v2tim::core::codes;

/// Runs `call` and returns its single completion, failing if a second one ever comes.
fn once<T: Send + 'static>(
    call: impl FnOnce(v2tim::core::Completion<T>),
    within: Duration,
) -> Result<T, v2tim::core::Error> {
    let (tx, rx) = mpsc::channel();
    call(Box::new(move |r| tx.send(r).unwrap()));
    let r = rx
        .recv_timeout(within)
        .expect("the callback fired (a request never silently vanishes)");
    assert!(
        rx.recv_timeout(Duration::from_millis(200)).is_err(),
        "a second callback"
    );
    r
}

#[test]
fn requests_cut_mid_frame_either_way_complete_once_and_take_effect_once() {
    let srv = LocalServer::start(None);
    let proxy = Proxy::start(&srv.url);
    let alice = login(&proxy.url, "alice");
    let alice_events = SdkEvents::attach(&alice);
    let bob = login(&srv.url, "bob");
    let bob_inbox = Inbox::attach(&bob);

    // Sends and recalls are retried on the next connection under their idempotency key.
    let mut sent = Vec::new();
    for i in 0..8i64 {
        if i % 2 == 0 {
            proxy.cut_up_after(3 + 19 * i); // the request frame never arrives whole
        } else {
            proxy.cut_down_after(3 + 19 * i); // the server acted; its answer is cut
        }
        let msg = alice.create_text_message(&format!("cut {i}")).unwrap();
        let r = once(|d| alice.send_message(&msg, "bob", "", 0, d), WAIT);
        sent.push(r.unwrap_or_else(|e| panic!("send {i} through a cut: {e:?}")));
    }
    for (i, msg) in sent.iter().enumerate().take(4) {
        if i % 2 == 0 {
            proxy.cut_up_after(7 + 13 * i as i64);
        } else {
            proxy.cut_down_after(7 + 13 * i as i64);
        }
        once(|d| alice.revoke_message(msg, "cut", d), WAIT)
            .unwrap_or_else(|e| panic!("recall {i} through a cut: {e:?}"));
        assert!(msg.is_revoked());
    }
    assert_eq!(proxy.budget_cuts(), 12, "every request was cut once");
    assert!(
        alice_events.count("connect_success") >= 12,
        "one reconnect per cut"
    );

    // A request that is not retried: cut on the way up, the server never saw it.
    let connects = alice_events.count("connect_success");
    proxy.cut_up_after(10);
    let r = once(|d| alice.create_group("Work", "cut-up", "x", d), WAIT);
    assert_eq!(r.unwrap_err().code, codes::ERR_SDK_NET_DISCONNECT);
    // The failure is reported at once; the reconnect follows. The next cut is for the
    // next request, not for that login.
    eventually("alice reconnected", || {
        alice_events.count("connect_success") > connects
    });
    let not_there = wait(|d| bob.join_group("cut-up", "", d)).unwrap_err();
    assert_eq!(not_there.code, codes::ERR_SVR_GROUP_NOT_FOUND);
    // Cut on the way back: 9508 says "may or may not have taken effect"; here it did.
    proxy.cut_down_after(10);
    let r = once(|d| alice.create_group("Meeting", "cut-down", "x", d), WAIT);
    assert_eq!(r.unwrap_err().code, codes::ERR_SDK_NET_DISCONNECT);
    wait(|d| bob.join_group("cut-down", "", d)).expect("the group was created");

    // Exactly once everywhere.
    let got = bob_inbox.wait_for(8);
    let recalls = bob_inbox.wait_recalls(4);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(bob_inbox.len(), 8, "{:?}", bob_inbox.texts());
    assert_eq!(bob_inbox.recalls().len(), 4);
    let ids: Vec<&str> = sent.iter().map(|m| m.msg_id()).collect();
    assert_eq!(got.iter().map(|m| m.msg_id()).collect::<Vec<_>>(), ids);
    assert_eq!(
        recalls
            .iter()
            .map(|r| r.msg_id.as_str())
            .collect::<Vec<_>>(),
        ids[..4]
    );
    let hist = full_history(&bob, &Conv::c2c("alice", "bob"), "bob");
    assert_eq!(hist.iter().map(|m| m.msg_id()).collect::<Vec<_>>(), ids);
    for (i, m) in hist.iter().enumerate() {
        assert_eq!(m.is_revoked(), i < 4);
        assert_eq!(got[i].is_revoked(), i < 4, "bob's copy shows the recall");
    }
}

#[test]
fn a_black_holed_connection_is_detected_by_the_heartbeat_and_recovered() {
    let srv = LocalServer::start(None);
    let proxy = Proxy::start(&srv.url);
    let alice = login(&srv.url, "alice");
    let alice_inbox = Inbox::attach(&alice);
    let bob = login(&proxy.url, "bob");
    let bob_events = SdkEvents::attach(&bob);
    let bob_inbox = Inbox::attach(&bob);
    send_text(&alice, "bob", "", "before").unwrap();
    bob_inbox.wait_for(1);
    let connects = bob_events.count("connect_success");

    proxy.stall();
    let t0 = Instant::now();
    // A request on the dead connection, and a push that falls into the hole.
    let msg = bob.create_text_message("from the black hole").unwrap();
    let (tx, rx) = mpsc::channel();
    bob.send_message(&msg, "alice", "", 0, Box::new(move |r| tx.send(r).unwrap()));
    send_text(&alice, "bob", "", "during").unwrap();

    // A request unanswered for 3 s in silence makes the SDK ping at once, and it gives up
    // 5 s later (src/core/connection.rs): well within the request's 30 s deadline.
    let deadline = Instant::now() + Duration::from_secs(90);
    while bob_events.count("connect_success") == connects {
        assert!(
            Instant::now() < deadline,
            "the black-holed connection was never detected"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let detected = t0.elapsed();
    // The send was sent again on the new connection (or, had its 30 s deadline passed
    // first, failed with 9520): exactly one callback either way.
    let r = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the in-flight send completed");
    assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
    let answered = t0.elapsed();
    match &r {
        Ok(_) => assert_eq!(alice_inbox.wait_for(1)[0].text(), "from the black hole"),
        Err(e) => assert_eq!(e.code, codes::ERR_SDK_NET_WAIT_ACK_TIMEOUT, "{e:?}"),
    }
    let got = bob_inbox.wait_for(2);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(texts(&got), ["before", "during"]);
    assert_eq!(bob_inbox.len(), 2);
    // The server dropped the dead connection when the same device logged in again.
    eventually("one connection of bob", || {
        srv.server.online_devices(APP, "bob") == 1
    });
    eprintln!(
        "black hole detected after {detected:.1?}; in-flight send answered after {answered:.1?} ({})",
        if r.is_ok() { "success" } else { "9520" }
    );
}

#[test]
fn a_workload_through_random_cuts_stalls_and_outages_converges() {
    let seed = seed_from_env("V2TIM_NET_SEED");
    let faults = env_num("V2TIM_NET_FAULTS", 30);
    let mut rng = Rng::new(seed);
    let srv = LocalServer::start(None);
    let proxy = Proxy::start(&srv.url);
    let w = Workload::setup(4, "net", |_| proxy.url.clone());
    let started = Instant::now();
    let workers = w.start(seed, 4);
    let mut kinds = [0u32; 4];
    for _ in 0..faults {
        std::thread::sleep(rng.millis(50, 400));
        kinds[inject_fault(&mut rng, &proxy)] += 1;
    }
    std::thread::sleep(Duration::from_millis(500));
    w.stop_and_drain(workers);
    w.wait_connected();
    let stored = w.verify(&srv.url);
    eprintln!(
        "seed {seed}: {faults} faults (cut up/cut down/outage/mute+cut: {kinds:?}), {} connections cut mid-stream, {} accepted, in {:.1?}; {stored} messages; {}",
        proxy.budget_cuts(),
        proxy.accepted(),
        started.elapsed(),
        w.ledger.summary()
    );
    assert!(w.ledger.acked_sends() > 0 && w.ledger.acked_recalls() > 0);
}

/// A burst of calls made at once (5,000 sends without waiting) completes, in embedded mode
/// (an in-memory pipe with 256 KB buffers) and over a socket. The server reads at most 64
/// requests of a connection ahead of their answers; the SDK keeps at most 32 in flight and
/// queues the rest, so neither side ever blocks writing while the other does.
#[test]
fn a_burst_of_calls_completes_in_embedded_mode_and_over_a_socket() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let srv = LocalServer::start(None);
    for url in [None, Some(srv.url.as_str())] {
        let app = if url.is_none() { APP + 77 } else { APP };
        let a = login_to(url, app, "alice");
        let b = login_to(url, app, "bob");
        let inbox = Inbox::attach(&b);
        const N: usize = 5000;
        let (done, ok) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let t = Instant::now();
        for i in 0..N {
            let m = a
                .create_text_message(&format!("burst {i} {}", "x".repeat(200)))
                .unwrap();
            let (d, o) = (done.clone(), ok.clone());
            a.send_message(
                &m,
                "bob",
                "",
                0,
                Box::new(move |r| {
                    if r.is_ok() {
                        o.fetch_add(1, Ordering::SeqCst);
                    }
                    d.fetch_add(1, Ordering::SeqCst);
                }),
            );
        }
        let deadline = Instant::now() + Duration::from_secs(120);
        while done.load(Ordering::SeqCst) < N {
            assert!(
                Instant::now() < deadline,
                "{url:?}: {} of {N} sends completed: stuck",
                done.load(Ordering::SeqCst)
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(ok.load(Ordering::SeqCst), N);
        eventually("bob got every message", || inbox.len() == N);
        eprintln!(
            "{url:?}: {N} sends in one burst completed in {:.1?}",
            t.elapsed()
        );
    }
}
