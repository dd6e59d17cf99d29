//! V2TIMSDKListener events: connecting / connect success, kicked offline, UserSig expiry.

mod common;

use common::*;
use v2tim::core::{codes, login_status, Manager, SdkConfig};

fn manager(url: &str) -> Manager {
    let m = Manager::new();
    m.init_sdk(
        APP,
        SdkConfig {
            server_url: Some(url.into()),
            ..Default::default()
        },
    )
    .unwrap();
    m
}

#[test]
fn connect_events_come_in_order_around_login() {
    let srv = LocalServer::start(None);
    let m = manager(&srv.url);
    let events = SdkEvents::attach(&m);
    wait(|d| m.login("alice", &sig("alice"), d)).unwrap();
    events.wait_for("connect_success");
    let ev = events.events.lock().clone();
    assert_eq!(
        ev[..2],
        ["connecting".to_string(), "connect_success".to_string()]
    );
    assert_eq!(m.get_login_status(), login_status::LOGINED);
}

#[test]
fn the_oldest_device_is_kicked_when_a_user_has_too_many() {
    let srv = LocalServer::start_config(|c| c.max_devices_per_user = 1);
    let first = manager(&srv.url);
    let events = SdkEvents::attach(&first);
    wait(|d| first.login("bob", &sig("bob"), d)).unwrap();
    let second = login(&srv.url, "bob");

    events.wait_for("kicked");
    eventually("the kicked device is logged out", || {
        first.get_login_status() == login_status::LOGOUT
    });
    let msg = first.create_text_message("still there?").unwrap();
    let err = wait(|d| first.send_message(&msg, "alice", "", 0, d)).unwrap_err();
    assert_eq!(err.code, codes::ERR_SDK_NOT_LOGGED_IN);
    // It does not come back by itself, and the newer device is unaffected.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(events.count("connect_success"), 1);
    assert_eq!(second.get_login_status(), login_status::LOGINED);
    send_text(&second, "alice", "", "I am the one").unwrap();
}

#[test]
fn an_expiring_user_sig_ends_the_session_with_user_sig_expired() {
    let srv = LocalServer::start(None);
    let m = manager(&srv.url);
    let events = SdkEvents::attach(&m);
    let short = v2tim::core::gen_user_sig(APP, KEY, "carol", 2);
    wait(|d| m.login("carol", &short, d)).unwrap();
    events.wait_for("sig_expired");
    eventually("logged out after expiry", || {
        m.get_login_status() == login_status::LOGOUT
    });
    // A fresh sig logs in again.
    wait(|d| m.login("carol", &sig("carol"), d)).unwrap();
    assert_eq!(m.get_login_status(), login_status::LOGINED);
}
