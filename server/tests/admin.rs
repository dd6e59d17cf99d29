//! The admin (REST) API over real HTTP: recalls without a time limit that notify like SDK
//! recalls, credentials, the recall time limit (range, persistence), transport errors.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use v2tim_proto::codes;
use v2tim_server::{AppConfig, Server, ServerConfig};

/// One HTTP/1.1 request on a fresh connection: (status, body as JSON or Null).
async fn http(addr: SocketAddr, method: &str, path_and_query: &str, body: &[u8]) -> (u16, Value) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "{method} {path_and_query} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    // A body over the limit may be refused before it is all read.
    let _ = s.write_all(body).await;
    let mut out = Vec::new();
    tokio::time::timeout(WAIT, s.read_to_end(&mut out))
        .await
        .expect("answer within 5s")
        .ok();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status: u16 = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("bad answer {text:?}"));
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn admin_query(app: u32, sig: &str) -> String {
    format!("sdkappid={app}&identifier=administrator&usersig={sig}&random=99&contenttype=json")
}

async fn call(addr: SocketAddr, path: &str, body: Value) -> Value {
    let sig = v2tim_proto::usersig::gen_user_sig(APP, KEY, "administrator", 3600);
    let (status, v) = http(
        addr,
        "POST",
        &format!("{path}?{}", admin_query(APP, &sig)),
        body.to_string().as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    v
}

async fn login(addr: SocketAddr, user: &str, device: &str) -> Client {
    let mut c = Client::connect(addr).await;
    let r = c.login(APP, user, &sig(user), device).await;
    assert_eq!(code(&r), 0, "{r}");
    c
}

async fn start_admin(
    limit: u32,
    data_dir: Option<std::path::PathBuf>,
) -> (Arc<Server>, SocketAddr, SocketAddr) {
    let mut app = AppConfig::new(APP, Some(KEY.into()));
    app.recall_time_limit_secs = limit;
    let (server, addr) = start_with(ServerConfig {
        apps: vec![app],
        data_dir,
        ..ServerConfig::default()
    })
    .await;
    let admin = server
        .listen_admin("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    (server, addr, admin)
}

const WITHDRAW: &str = "/v4/openim/admin_msgwithdraw";
const GROUP_RECALL: &str = "/v4/group_open_http_svc/group_msg_recall";
const GET_LIMIT: &str = "/v4/v2tim/get_recall_time_limit";
const SET_LIMIT: &str = "/v4/v2tim/set_recall_time_limit";

#[tokio::test]
async fn admin_recalls_ignore_the_time_limit_and_notify_everyone() {
    let (_s, addr, admin) = start_admin(1, None).await;
    let mut a1 = login(addr, "alice", "a1").await;
    let mut a2 = login(addr, "alice", "a2").await;
    let mut b = login(addr, "bob", "b").await;
    assert_eq!(code(&a1.send_c2c("bob", "m1", "ADMIN-GONE-1").await), 0);
    let g = a1
        .request(json!({"op": "create_group", "group_type": "Public", "group_id": "g"}))
        .await;
    assert_eq!(code(&g), 0);
    assert_eq!(
        code(
            &b.request(json!({"op": "join_group", "group_id": "g"}))
                .await
        ),
        0
    );
    assert_eq!(code(&b.send_group("g", "gm1", "ADMIN-GONE-2").await), 0);
    assert_eq!(code(&b.send_group("g", "gm2", "stays").await), 0);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let late = revoke(&mut a1, "k", "m1", c2c("bob"), "").await;
    assert_eq!(code(&late), codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT as i64);

    // admin_msgwithdraw: the sender and receiver must match the message.
    let wrong = call(
        admin,
        WITHDRAW,
        json!({"From_Account": "bob", "To_Account": "alice", "MsgKey": "m1"}),
    )
    .await;
    assert_eq!(wrong["ActionStatus"], "FAIL");
    assert_eq!(wrong["ErrorCode"], codes::ERR_SVR_MSG_NOT_FOUND);
    let r = call(
        admin,
        WITHDRAW,
        json!({"From_Account": "alice", "To_Account": "bob", "MsgKey": "m1", "Reason": "policy"}),
    )
    .await;
    assert_eq!(
        r,
        json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""})
    );
    // Every device of both users is told, the sender's included.
    for cl in [&mut a1, &mut a2, &mut b] {
        let mut p = cl.push().await;
        while p["event"]["event"] == "new_message" {
            p = cl.push().await;
        }
        assert_eq!(p["event"]["event"], "message_revoked");
        assert_eq!(p["event"]["msg"]["msg_id"], "m1");
        assert_eq!(p["event"]["msg"]["revoked"]["revoker"], "administrator");
        assert_eq!(p["event"]["msg"]["revoked"]["reason"], "policy");
        assert_eq!(p["event"]["msg"]["elem"]["type"], "none");
    }
    let again = call(
        admin,
        WITHDRAW,
        json!({"From_Account": "alice", "To_Account": "bob", "MsgKey": "m1"}),
    )
    .await;
    assert_eq!(again["ErrorCode"], codes::ERR_SVR_MSG_ALREADY_REVOKED);

    // group_msg_recall: per-seq results.
    let r = call(
        admin,
        GROUP_RECALL,
        json!({"GroupId": "g", "MsgSeqList": [{"MsgSeq": 1}, {"MsgSeq": 2}, {"MsgSeq": 99}], "Reason": "spam"}),
    )
    .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    assert_eq!(
        r["RecallRetList"],
        // Seq 1 is the group tips of bob's join: never recalled.
        json!([
            {"MsgSeq": 1, "RetCode": codes::ERR_SVR_GROUP_REVOKE_MSG_DENY},
            {"MsgSeq": 2, "RetCode": 0},
            {"MsgSeq": 99, "RetCode": codes::ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND}
        ])
    );
    let r = call(
        admin,
        GROUP_RECALL,
        json!({"GroupId": "g", "MsgSeqList": [{"MsgSeq": 2}]}),
    )
    .await;
    assert_eq!(
        r["RecallRetList"][0]["RetCode"],
        codes::ERR_SVR_MSG_ALREADY_REVOKED
    );
    let r = call(
        admin,
        GROUP_RECALL,
        json!({"GroupId": "nope", "MsgSeqList": [{"MsgSeq": 1}]}),
    )
    .await;
    assert_eq!(r["ErrorCode"], codes::ERR_SVR_GROUP_NOT_FOUND);
    for cl in [&mut a1, &mut b] {
        let mut p = cl.push().await;
        while p["event"]["event"] == "new_message" {
            p = cl.push().await;
        }
        assert_eq!(p["event"]["msg"]["msg_id"], "gm1");
        assert_eq!(p["event"]["msg"]["revoked"]["reason"], "spam");
    }
    let h = a1
        .request(json!({"op": "history", "conv": grp("g"), "count": 10}))
        .await;
    assert_eq!(h["data"]["messages"][0]["elem"]["text"], "stays");
    assert_eq!(h["data"]["messages"][1]["elem"]["type"], "none");
    assert_eq!(
        h["data"]["messages"][1]["revoked"]["revoker"],
        "administrator"
    );
    a1.sync(0, 0).await;
    let sync_frame = a1.raw.last().unwrap();
    assert!(sync_frame.contains("gm2") && !sync_frame.contains("ADMIN-GONE"));
    let mut late_dev = login(addr, "bob", "b2").await;
    late_dev.sync(0, 0).await;
    assert!(!late_dev.raw.join("").contains("ADMIN-GONE"));
}

#[tokio::test]
async fn credentials_are_checked() {
    let (_s, _addr, admin) = start_admin(120, None).await;
    let good = v2tim_proto::usersig::gen_user_sig(APP, KEY, "administrator", 3600);
    let forged = v2tim_proto::usersig::gen_user_sig(APP, "other-key", "administrator", 3600);
    let bobs = v2tim_proto::usersig::gen_user_sig(APP, KEY, "bob", 3600);
    let body = b"{}";
    let q = |app: u32, id: &str, sig: &str| {
        format!(
            "{GET_LIMIT}?sdkappid={app}&identifier={id}&usersig={sig}&random=1&contenttype=json"
        )
    };
    let cases = [
        (
            q(APP, "administrator", &forged),
            codes::ERR_SVR_ACCOUNT_USERSIG_INVALID,
        ),
        (
            q(APP, "administrator", ""),
            codes::ERR_SVR_ACCOUNT_USERSIG_INVALID,
        ),
        (q(APP, "bob", &bobs), codes::ERR_SVR_ACCOUNT_USERSIG_INVALID),
        (
            q(APP, "administrator", &bobs),
            codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID,
        ),
        (
            q(12345, "administrator", &good),
            codes::ERR_SVR_ACCOUNT_INVALID_SDKAPPID,
        ),
        (
            format!("{GET_LIMIT}?identifier=administrator"),
            codes::ERR_SVR_ACCOUNT_INVALID_SDKAPPID,
        ),
    ];
    for (pq, want) in cases {
        let (status, v) = http(admin, "POST", &pq, body).await;
        assert_eq!(status, 200, "{pq}");
        assert_eq!(v["ActionStatus"], "FAIL", "{pq}: {v}");
        assert_eq!(v["ErrorCode"], want, "{pq}: {v}");
        assert!(!v["ErrorInfo"].as_str().unwrap().is_empty());
    }
    let (status, v) = http(admin, "POST", &q(APP, "administrator", &good), body).await;
    assert_eq!((status, &v["ActionStatus"]), (200, &json!("OK")), "{v}");

    // Transport-level refusals.
    let (status, _) = http(admin, "GET", &q(APP, "administrator", &good), b"").await;
    assert_eq!(status, 405);
    let (status, _) = http(admin, "POST", "/v4/nope/nothing?sdkappid=1", body).await;
    assert_eq!(status, 404);
    // Declared too large: refused before the body is sent (so no unread bytes race the
    // answer). Chunked bodies are cut off at the limit as they are read.
    let mut sock = tokio::net::TcpStream::connect(admin).await.unwrap();
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        q(APP, "administrator", &good),
        70 * 1024
    );
    sock.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 512];
    let n = tokio::time::timeout(WAIT, sock.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let (status, v) = http(
        admin,
        "POST",
        &format!("{WITHDRAW}?{}", admin_query(APP, &good)),
        b"{not json",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(v["ErrorCode"], codes::ERR_SVR_COMM_INVALID_REQUEST);
}

#[tokio::test]
async fn recall_time_limit_get_set_range_and_effect() {
    let (_s, addr, admin) = start_admin(120, None).await;
    assert_eq!(
        call(admin, GET_LIMIT, json!({})).await["RecallTimeLimitSecs"],
        120
    );
    for bad in [json!(604801), json!(-1), json!("x")] {
        let r = call(admin, SET_LIMIT, json!({"RecallTimeLimitSecs": bad})).await;
        assert_eq!(
            r["ErrorCode"],
            codes::ERR_SVR_COMM_INVALID_REQUEST,
            "{bad}: {r}"
        );
    }
    let r = call(admin, SET_LIMIT, json!({"RecallTimeLimitSecs": 604800})).await;
    assert_eq!(r["ActionStatus"], "OK");
    assert_eq!(
        call(admin, GET_LIMIT, json!({})).await["RecallTimeLimitSecs"],
        604800
    );
    // 0 switches recall off at once; back on again.
    assert_eq!(
        call(admin, SET_LIMIT, json!({"RecallTimeLimitSecs": 0})).await["ActionStatus"],
        "OK"
    );
    let mut a = login(addr, "alice", "a").await;
    assert_eq!(code(&a.send_c2c("bob", "m1", "t").await), 0);
    assert_eq!(
        code(&revoke(&mut a, "k1", "m1", c2c("bob"), "").await),
        codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT as i64
    );
    assert_eq!(
        call(admin, SET_LIMIT, json!({"RecallTimeLimitSecs": 60})).await["ActionStatus"],
        "OK"
    );
    assert_eq!(code(&revoke(&mut a, "k2", "m1", c2c("bob"), "").await), 0);
}

#[tokio::test]
async fn an_admin_set_limit_survives_restart_until_the_config_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = Some(dir.path().to_path_buf());
    let (s, _, admin) = start_admin(120, path.clone()).await;
    assert_eq!(
        call(admin, SET_LIMIT, json!({"RecallTimeLimitSecs": 30})).await["ActionStatus"],
        "OK"
    );
    s.shutdown();
    drop(s);
    let (s, _, admin) = start_admin(120, path.clone()).await;
    assert_eq!(
        call(admin, GET_LIMIT, json!({})).await["RecallTimeLimitSecs"],
        30,
        "admin value kept"
    );
    s.shutdown();
    drop(s);
    let (s, _, admin) = start_admin(45, path.clone()).await;
    assert_eq!(
        call(admin, GET_LIMIT, json!({})).await["RecallTimeLimitSecs"],
        45,
        "new config value applies"
    );
    s.shutdown();
}

#[test]
fn help_mentions_the_admin_listener() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_v2tim-server"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--admin-listen"), "{text}");
    assert!(text.contains("admin_listen"), "{text}");
    assert!(text.contains("recall_time_limit_secs"), "{text}");
}

#[tokio::test]
async fn the_binary_serves_the_admin_api_with_admin_listen() {
    use std::io::{BufRead, BufReader};
    let log = server_log::ServerLog::for_this_test();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_v2tim-server"))
        .args([
            "--in-memory",
            "--listen",
            "127.0.0.1:0",
            "--admin-listen",
            "127.0.0.1:0",
        ])
        .args(["--app", &OPEN_APP.to_string()])
        .stdout(std::process::Stdio::piped())
        .stderr(log.stdio())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("listening on "), "{first}");
    let second = lines.next().unwrap().unwrap();
    let admin: SocketAddr = second
        .strip_prefix("admin API listening on ")
        .unwrap_or_else(|| panic!("{second}"))
        .parse()
        .unwrap();
    // An app without a secret key does not check UserSigs, for the admin too.
    let (status, v) = http(
        admin,
        "POST",
        &format!("{GET_LIMIT}?{}", admin_query(OPEN_APP, "x")),
        b"{}",
    )
    .await;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200, "log: {}", log.path.display());
    assert_eq!(v["RecallTimeLimitSecs"], 120, "{v}");
}

/// `portrait_set` / `portrait_get` in V2TIM's REST shape: the tags, an unknown account's
/// result code, refusals; a change reaches the user's devices (`self_info_updated`) and
/// shows on the user's messages.
#[tokio::test]
async fn portrait_set_and_get() {
    let (_s, ws, admin) = start_admin(120, None).await;
    let mut alice = login(ws, "alice", "a1").await;
    let r = call(
        admin,
        "/v4/profile/portrait_set",
        json!({"From_Account": "alice", "ProfileItem": [
            {"Tag": "Tag_Profile_IM_Nick", "Value": "Alice"},
            {"Tag": "Tag_Profile_IM_Image", "Value": "https://example.com/a.png"},
            {"Tag": "Tag_Profile_IM_Gender", "Value": "Gender_Type_Female"},
            {"Tag": "Tag_Profile_IM_AllowType", "Value": "AllowType_Type_DenyAny"},
            {"Tag": "Tag_Profile_IM_Level", "Value": 5},
            {"Tag": "Tag_Profile_Custom_city", "Value": "Paris"}
        ]}),
    )
    .await;
    assert_eq!(
        (r["ActionStatus"].as_str(), r["ErrorCode"].as_i64()),
        (Some("OK"), Some(0)),
        "{r}"
    );
    let p = alice.push().await;
    assert_eq!(p["kind"], "self_info_updated", "{p}");
    assert_eq!(p["info"]["nick_name"], "Alice");

    let r = call(
        admin,
        "/v4/profile/portrait_get",
        json!({"To_Account": ["alice", "nobody"], "TagList": [
            "Tag_Profile_IM_Nick", "Tag_Profile_IM_Gender", "Tag_Profile_IM_AllowType",
            "Tag_Profile_IM_Level", "Tag_Profile_Custom_city", "Tag_Profile_IM_Image"
        ]}),
    )
    .await;
    assert_eq!(r["ActionStatus"], "OK", "{r}");
    let items = r["UserProfileItem"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["To_Account"], "alice");
    assert_eq!(items[0]["ResultCode"], 0);
    let got: std::collections::BTreeMap<String, Value> = items[0]["ProfileItem"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["Tag"].as_str().unwrap().to_string(), i["Value"].clone()))
        .collect();
    assert_eq!(got["Tag_Profile_IM_Nick"], "Alice");
    assert_eq!(got["Tag_Profile_IM_Gender"], "Gender_Type_Female");
    assert_eq!(got["Tag_Profile_IM_AllowType"], "AllowType_Type_DenyAny");
    assert_eq!(got["Tag_Profile_IM_Level"], 5);
    assert_eq!(got["Tag_Profile_Custom_city"], "Paris");
    assert_eq!(got["Tag_Profile_IM_Image"], "https://example.com/a.png");
    assert_eq!(items[1]["To_Account"], "nobody");
    assert_eq!(items[1]["ResultCode"], 40003);

    // The sender's nick on a message.
    let ack = alice.send_c2c("bob", "pm1", "hi").await;
    assert_eq!(ack["data"]["msg"]["nick_name"], "Alice", "{ack}");

    for (body, what) in [
        (
            json!({"From_Account": "alice", "ProfileItem": []}),
            "ProfileItem is empty",
        ),
        (
            json!({"From_Account": "alice", "ProfileItem": [{"Tag": "Tag_Nope", "Value": 1}]}),
            "unknown profile tag",
        ),
        (
            json!({"From_Account": "alice", "ProfileItem": [
                {"Tag": "Tag_Profile_IM_Gender", "Value": "Gender_Type_Robot"}]}),
            "Gender_Type_Male",
        ),
        (
            json!({"From_Account": "alice", "ProfileItem": [
                {"Tag": "Tag_Profile_IM_Nick", "Value": "x".repeat(501)}]}),
            "over 500 bytes",
        ),
    ] {
        let r = call(admin, "/v4/profile/portrait_set", body).await;
        assert_eq!(r["ActionStatus"], "FAIL", "{r}");
        assert!(r["ErrorInfo"].as_str().unwrap().contains(what), "{r}");
    }
}
