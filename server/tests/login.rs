//! Login: UserSig checks, state rules, devices.

mod common;

use common::*;
use serde_json::json;
use v2tim_proto::codes;
use v2tim_proto::usersig::gen_user_sig_at;
use v2tim_server::ServerConfig;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn login_accepts_a_genuine_usersig() {
    let (_s, addr) = start().await;
    let mut c = Client::connect(addr).await;
    let res = c.login(APP, "alice", &sig("alice"), "d1").await;
    assert_eq!(code(&res), 0, "{res}");
    assert_eq!(res["data"]["head_seq"], 0);
    assert!(res["data"]["sig_expire_at"].as_i64().unwrap() > now());
    assert!(res["data"]["server_time_ms"].as_i64().unwrap() > 0);
    let pong = c.request(json!({"op": "ping"})).await;
    assert_eq!(code(&pong), 0);
    assert!(pong["data"]["server_time_ms"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn login_refusals_have_v2tim_codes() {
    let (_s, addr) = start().await;
    let mut c = Client::connect(addr).await;
    let cases = [
        (
            APP,
            "alice",
            "garbage".to_string(),
            codes::ERR_SVR_ACCOUNT_USERSIG_INVALID,
        ),
        (
            APP,
            "alice",
            gen_user_sig_at(APP, "other-key", "alice", 3600, now()),
            codes::ERR_SVR_ACCOUNT_USERSIG_INVALID,
        ),
        (
            APP,
            "alice",
            gen_user_sig_at(APP, KEY, "alice", 10, now() - 100),
            codes::ERR_SVR_ACCOUNT_USERSIG_EXPIRED,
        ),
        (
            APP,
            "alice",
            sig("bob"),
            codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID,
        ),
        (
            APP,
            "alice",
            gen_user_sig_at(APP + 1, KEY, "alice", 3600, now()),
            codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID,
        ),
        (
            99,
            "alice",
            sig("alice"),
            codes::ERR_SVR_ACCOUNT_INVALID_SDKAPPID,
        ),
        (
            APP,
            "bad id",
            sig("bad id"),
            codes::ERR_SDK_COMM_INVALID_IDENTIFIER,
        ),
    ];
    for (app, user, s, want) in cases {
        let res = c.login(app, user, &s, "d").await;
        assert_eq!(code(&res), want as i64, "{user} {res}");
        assert!(
            !res["desc"].as_str().unwrap().is_empty(),
            "every error has a description"
        );
    }
    // Failed logins leave the connection usable for a correct one.
    let res = c.login(APP, "alice", &sig("alice"), "d").await;
    assert_eq!(code(&res), 0, "{res}");
}

#[tokio::test]
async fn protocol_version_and_state_rules() {
    let (_s, addr) = start().await;
    let mut c = Client::connect(addr).await;
    let res = c.request(json!({"op": "ping"})).await;
    assert_eq!(code(&res), codes::V2TIM_ERR_BAD_STATE as i64);
    let res = c
        .request(json!({"op": "sync", "after_seq": 0, "limit": 10}))
        .await;
    assert_eq!(code(&res), codes::V2TIM_ERR_BAD_STATE as i64);
    let res = c
        .request(json!({"op": "login", "protocol": 1, "sdk_app_id": OPEN_APP, "user_id": "a", "user_sig": "", "device_id": "d"}))
        .await;
    assert_eq!(code(&res), codes::V2TIM_ERR_PROTOCOL_VERSION as i64);
    assert_eq!(code(&c.login(OPEN_APP, "a", "", "d").await), 0);
    assert_eq!(
        code(&c.login(OPEN_APP, "a", "", "d").await),
        codes::V2TIM_ERR_BAD_STATE as i64
    );
}

#[tokio::test]
async fn undecodable_frames_get_an_error_answer() {
    let (_s, addr) = start().await;
    let mut c = Client::login_open(addr, "alice", "d").await;
    c.send_text("{not json").await;
    let f = c.read_frame().await.unwrap();
    assert_eq!(f["id"], 0);
    assert_eq!(f["code"], codes::ERR_SVR_COMM_INVALID_REQUEST);
    c.send_text(r#"{"id": 42, "op": "no_such_op"}"#).await;
    let f = c.answer(42).await;
    assert_eq!(f["code"], codes::ERR_SVR_COMM_INVALID_REQUEST);
    assert!(!f["desc"].as_str().unwrap().is_empty());
    // Still alive.
    assert_eq!(code(&c.request(json!({"op": "ping"})).await), 0);
}

#[tokio::test]
async fn same_device_replaces_the_older_connection() {
    let (s, addr) = start().await;
    let mut first = Client::login_open(addr, "alice", "phone").await;
    let _second = Client::login_open(addr, "alice", "phone").await;
    let p = first.push().await;
    assert_eq!(p["kind"], "kicked", "{p}");
    assert!(
        first.read_frame().await.is_none(),
        "kicked connection is closed"
    );
    assert_eq!(s.online_devices(OPEN_APP, "alice"), 1);
}

#[tokio::test]
async fn too_many_devices_kicks_the_oldest() {
    let (s, addr) = start_with(ServerConfig {
        max_devices_per_user: 2,
        ..ServerConfig::default()
    })
    .await;
    let mut d1 = Client::login_open(addr, "alice", "d1").await;
    let mut d2 = Client::login_open(addr, "alice", "d2").await;
    let _d3 = Client::login_open(addr, "alice", "d3").await;
    assert_eq!(d1.push().await["kind"], "kicked");
    d2.assert_no_push().await;
    assert_eq!(s.online_devices(OPEN_APP, "alice"), 2);
}

#[tokio::test]
async fn expiring_usersig_is_pushed_then_closed() {
    let (_s, addr) = start().await;
    let mut c = Client::connect(addr).await;
    let short = gen_user_sig_at(APP, KEY, "alice", 2, now());
    assert_eq!(code(&c.login(APP, "alice", &short, "d").await), 0);
    let p = c.push().await;
    assert_eq!(p["kind"], "user_sig_expired", "{p}");
    assert!(c.read_frame().await.is_none());
}

#[tokio::test]
async fn logout_answers_then_closes() {
    let (s, addr) = start().await;
    let mut c = Client::login_open(addr, "alice", "d").await;
    assert_eq!(code(&c.request(json!({"op": "logout"})).await), 0);
    assert!(c.read_frame().await.is_none());
    assert_eq!(s.online_devices(OPEN_APP, "alice"), 0);
}

#[tokio::test]
async fn embedded_mode_over_a_duplex_pipe() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let server = v2tim_server::Server::open(ServerConfig::embedded(5)).unwrap();
    let (client_io, server_io) = tokio::io::duplex(64 * 1024);
    tokio::spawn(server.clone().serve_stream(server_io));
    let (mut ws, _) = tokio_tungstenite::client_async("ws://embedded/", client_io)
        .await
        .unwrap();
    let login = json!({"id": 1, "op": "login", "protocol": v2tim_proto::PROTOCOL_VERSION, "sdk_app_id": 5, "user_id": "u",
                       "user_sig": "", "device_id": "d"});
    ws.send(Message::Text(login.to_string())).await.unwrap();
    let Some(Ok(Message::Text(t))) = ws.next().await else {
        panic!("no answer")
    };
    let v: serde_json::Value = serde_json::from_str(&t).unwrap();
    assert_eq!(v["code"], 0, "{v}");
    assert_eq!(v["data"]["sig_expire_at"], 0);
    server.shutdown();
    server.shutdown();
}
