//! `server_url` naming several servers (comma-separated, the servers of one cluster): the
//! SDK moves on to the next one when one cannot be reached, at login and when the server
//! it is on goes away.

mod common;

use common::*;
use v2tim::core::{codes, Manager, SdkConfig};

/// A ws:// URL on which nothing listens.
fn dead_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("ws://{addr}/")
}

#[test]
fn login_moves_past_an_unreachable_server() {
    let srv = LocalServer::start(None);
    let alice = login(&srv.url, "alice");
    let list = format!("{}, {} ,{}", dead_url(), dead_url(), srv.url);
    let bob = login(&list, "bob");
    // The server registers the connection just after it answers the login.
    eventually("bob online", || srv.server.online_devices(APP, "bob") == 1);
    let inbox = Inbox::attach(&bob);
    send_text(&alice, "bob", "", "found you").unwrap();
    assert_eq!(inbox.wait_for(1)[0].text(), "found you");
    send_text(&bob, "alice", "", "and back").unwrap();
}

#[test]
fn a_login_fails_once_every_server_was_tried() {
    let m = Manager::new();
    let list = format!("{},{}", dead_url(), dead_url());
    let config = SdkConfig {
        server_url: Some(list),
        ..SdkConfig::default()
    };
    m.init_sdk(APP, config).unwrap();
    let err = wait(|d| m.login("bob", &sig("bob"), d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SDK_NET_CONN_REFUSE, "{err:?}");
}

#[test]
fn a_session_moves_to_the_next_server_when_its_server_goes_away() {
    let a = LocalServer::start(None);
    let b = LocalServer::start(None);
    let bob = login(&format!("{},{}", a.url, b.url), "bob");
    eventually("bob online on the first server", || {
        a.server.online_devices(APP, "bob") == 1
    });
    let inbox = Inbox::attach(&bob);
    // Stops listening and closes its sessions, as a killed node would.
    a.server.shutdown();
    eventually("bob is on the second server", || {
        b.server.online_devices(APP, "bob") == 1
    });
    let carol = login(&b.url, "carol");
    send_text(&carol, "bob", "", "on the second server").unwrap();
    assert_eq!(inbox.wait_for(1)[0].text(), "on the second server");
    send_text(&bob, "carol", "", "still here").unwrap();
}

#[test]
fn malformed_server_lists_are_refused() {
    for bad in [
        "ws://127.0.0.1:1,,ws://127.0.0.1:2",
        "ws://127.0.0.1:1, http://127.0.0.1:2",
        ",",
        " , ",
    ] {
        let m = Manager::new();
        let config = SdkConfig {
            server_url: Some(bad.into()),
            ..SdkConfig::default()
        };
        let err = m.init_sdk(APP, config).unwrap_err();
        assert_eq!(err.code, codes::ERR_INVALID_PARAMETERS, "{bad:?}: {err:?}");
        assert!(err.desc.contains("server_url"), "{err:?}");
    }
}
