//! A raw-JSON WebSocket client for the integration tests: the server is exercised through
//! the wire format exactly as documented, not through the proto crate's types.
#![allow(dead_code)]

// One log file per test for the server processes tests start (shared with the SDK's tests).
#[path = "../../../tests/common/server_log.rs"]
pub mod server_log;

pub mod attack;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use v2tim_server::{AppConfig, Server, ServerConfig};

pub const APP: u32 = 1400000001;
pub const KEY: &str = "test-secret-key";
pub const OPEN_APP: u32 = 7;

pub const WAIT: Duration = Duration::from_secs(5);

/// A server on 127.0.0.1:0 with one app checking UserSigs (APP/KEY) and one not (OPEN_APP).
pub async fn start() -> (Arc<Server>, SocketAddr) {
    start_with(ServerConfig::default()).await
}

/// A server like [`start`]'s whose database lives in `dir`.
pub async fn start_in(dir: &std::path::Path) -> (Arc<Server>, SocketAddr) {
    start_with(ServerConfig {
        data_dir: Some(dir.to_path_buf()),
        ..ServerConfig::default()
    })
    .await
}

/// A server like [`start_with`]'s, on the backend the tests run on (`V2TIM_TEST_POSTGRES`).
pub async fn start_with(mut config: ServerConfig) -> (Arc<Server>, SocketAddr) {
    if config.database_url.is_none() {
        config.database_url = postgres_url(config.data_dir.as_deref()).await;
    }
    start_as_configured(config).await
}

/// A server on exactly the storage `config` names: SQLite unless it has a `database_url`
/// (for the tests of SQLite's own files and migrations).
pub async fn start_as_configured(mut config: ServerConfig) -> (Arc<Server>, SocketAddr) {
    if config.apps.is_empty() {
        config.apps = vec![
            AppConfig::new(APP, Some(KEY.into())),
            AppConfig::new(OPEN_APP, None),
        ];
    }
    let server = Server::open(config).expect("open server");
    let addr = server
        .listen("127.0.0.1:0".parse().unwrap())
        .await
        .expect("listen");
    (server, addr)
}

/// The backend the tests run on: PostgreSQL when `V2TIM_TEST_POSTGRES` holds a database
/// URL (scripts/services.sh starts one), else SQLite.
pub fn postgres_base() -> Option<String> {
    std::env::var("V2TIM_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Under `V2TIM_TEST_POSTGRES`: a URL for a schema of the test database that belongs to
/// this server alone, created if missing. A data dir names the same schema each time (a
/// restarted server finds its data again); without one every call gets a new, empty schema,
/// as an in-memory server starts empty.
pub async fn postgres_url(dir: Option<&std::path::Path>) -> Option<String> {
    use std::hash::{Hash, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let base = postgres_base()?;
    let schema = match dir {
        Some(dir) => {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            dir.hash(&mut h);
            format!("t_dir_{:016x}", h.finish())
        }
        None => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            format!(
                "t_{}_{}_{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed),
                nanos % 1_000_000_000
            )
        }
    };
    let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("V2TIM_TEST_POSTGRES={base}: cannot connect: {e}"));
    let conn = tokio::spawn(conn);
    client
        .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
        .await
        .expect("create the test's schema");
    drop(client);
    let _ = conn.await;
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{sep}options=-csearch_path%3D{schema}"))
}

/// Under `V2TIM_TEST_POSTGRES`: a connection to the schema of the server on `dir`.
pub async fn postgres_client(dir: &std::path::Path) -> Option<tokio_postgres::Client> {
    let url = postgres_url(Some(dir)).await?;
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .expect("connect to the test database");
    tokio::spawn(conn);
    Some(client)
}

/// `--database URL` for a server binary on `dir` under `V2TIM_TEST_POSTGRES`, else
/// `--data-dir dir`.
pub async fn storage_args(dir: &std::path::Path) -> Vec<std::ffi::OsString> {
    match postgres_url(Some(dir)).await {
        Some(url) => vec!["--database".into(), url.into()],
        None => vec!["--data-dir".into(), dir.as_os_str().to_owned()],
    }
}

pub fn sig(user: &str) -> String {
    v2tim_proto::usersig::gen_user_sig(APP, KEY, user, 3600)
}

pub struct Client {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    pushes: VecDeque<Value>,
    /// Every text frame received, as sent by the server.
    pub raw: Vec<String>,
    /// Whether `push` returns the pushes of group tips messages; off by default, so tests
    /// of messages and recalls are not about membership changes.
    pub with_tips: bool,
}

/// Whether a push carries a group tips message.
pub fn is_tips(push: &Value) -> bool {
    push["event"]["msg"]["elem"]["type"] == "group_tips"
}

impl Client {
    pub async fn connect(addr: SocketAddr) -> Client {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/"))
            .await
            .expect("connect");
        Client {
            ws,
            next_id: 1,
            pushes: VecDeque::new(),
            raw: Vec::new(),
            with_tips: false,
        }
    }

    /// Connects and logs in to OPEN_APP (no UserSig check) on device `device`.
    pub async fn login_open(addr: SocketAddr, user: &str, device: &str) -> Client {
        let mut c = Client::connect(addr).await;
        let res = c.login(OPEN_APP, user, "", device).await;
        assert_eq!(res["code"], 0, "{res}");
        c
    }

    pub async fn login(&mut self, app: u32, user: &str, sig: &str, device: &str) -> Value {
        self.request(json!({
            "op": "login", "protocol": v2tim_proto::PROTOCOL_VERSION, "sdk_app_id": app, "user_id": user,
            "user_sig": sig, "device_id": device
        }))
        .await
    }

    pub async fn send_text(&mut self, text: &str) {
        self.ws
            .send(Message::Text(text.to_string()))
            .await
            .expect("send");
    }

    /// Reads the next frame as JSON (None when the connection ended).
    pub async fn read_frame(&mut self) -> Option<Value> {
        loop {
            match tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("frame within 5s")
            {
                Some(Ok(Message::Text(t))) => {
                    self.raw.push(t.to_string());
                    return Some(serde_json::from_str(&t).expect("json frame"));
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(_)) => continue,
            }
        }
    }

    /// Sends `req` (an object with `op`) with a fresh id and returns its `res` frame, keeping
    /// pushes that arrive meanwhile.
    pub async fn request(&mut self, mut req: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        req["id"] = json!(id);
        self.send_text(&req.to_string()).await;
        self.answer(id).await
    }

    /// Waits for the answer to `id`.
    pub async fn answer(&mut self, id: u64) -> Value {
        loop {
            let f = self
                .read_frame()
                .await
                .expect("connection open while waiting for an answer");
            match f["t"].as_str() {
                Some("res") if f["id"] == json!(id) => return f,
                Some("push") => {
                    if self.with_tips || !is_tips(&f["push"]) {
                        self.pushes.push_back(f["push"].clone())
                    }
                }
                _ => panic!("unexpected frame {f}"),
            }
        }
    }

    /// Sends without waiting; returns the id.
    pub async fn send_request(&mut self, mut req: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        req["id"] = json!(id);
        self.send_text(&req.to_string()).await;
        id
    }

    /// The next push (waiting up to 5 s).
    pub async fn push(&mut self) -> Value {
        if let Some(p) = self.pushes.pop_front() {
            return p;
        }
        loop {
            let f = self
                .read_frame()
                .await
                .expect("connection open while waiting for a push");
            assert_eq!(
                f["t"], "push",
                "unexpected frame while waiting for a push: {f}"
            );
            if self.with_tips || !is_tips(&f["push"]) {
                return f["push"].clone();
            }
        }
    }

    /// Asserts no push arrives: a ping round trip flushes anything already queued.
    pub async fn assert_no_push(&mut self) {
        let pong = self.request(json!({"op": "ping"})).await;
        assert_eq!(pong["code"], 0);
        assert!(
            self.pushes.is_empty(),
            "unexpected pushes {:?}",
            self.pushes
        );
    }

    pub async fn send_c2c(&mut self, to: &str, msg_id: &str, text: &str) -> Value {
        self.request(json!({
            "op": "send_message", "idem_key": format!("k-{msg_id}"), "msg_id": msg_id,
            "receiver": to, "elem": {"type": "text", "text": text}
        }))
        .await
    }

    pub async fn send_group(&mut self, group: &str, msg_id: &str, text: &str) -> Value {
        self.request(json!({
            "op": "send_message", "idem_key": format!("k-{msg_id}"), "msg_id": msg_id,
            "group_id": group, "elem": {"type": "text", "text": text}
        }))
        .await
    }

    pub async fn sync(&mut self, after: u64, limit: u32) -> Value {
        let r = self
            .request(json!({"op": "sync", "after_seq": after, "limit": limit}))
            .await;
        assert_eq!(r["code"], 0, "{r}");
        r["data"].clone()
    }
}

/// Sends `revoke_message` for `msg_id` in `conv` (a ConvRef JSON) with key `idem`.
pub async fn revoke(c: &mut Client, idem: &str, msg_id: &str, conv: Value, reason: &str) -> Value {
    c.request(json!({
        "op": "revoke_message", "idem_key": idem, "msg_id": msg_id, "conv": conv,
        "reason": reason
    }))
    .await
}

/// The `msg_id`s of a `history` answer, in its order.
pub fn history_ids(page: &Value) -> Vec<String> {
    page["data"]["messages"]
        .as_array()
        .unwrap_or_else(|| panic!("no messages: {page}"))
        .iter()
        .map(|m| m["msg_id"].as_str().unwrap().to_owned())
        .collect()
}

pub fn c2c(peer: &str) -> Value {
    json!({"kind": "c2c", "peer": peer})
}

pub fn grp(group_id: &str) -> Value {
    json!({"kind": "group", "group_id": group_id})
}

/// The `code` of an answer.
pub fn code(res: &Value) -> i64 {
    res["code"].as_i64().expect("code")
}

/// History's type filters on the server at `addr`, whatever its storage: a recalled
/// message keeps the type it was sent with; a bad filter is refused.
pub async fn check_history_type_filters(addr: SocketAddr) {
    let mut a = Client::login_open(addr, "tf_alice", "a").await;
    let mut b = Client::login_open(addr, "tf_bob", "b").await;
    let custom = |id: &str| {
        json!({
            "op": "send_message", "idem_key": format!("k-{id}"), "msg_id": id,
            "receiver": "tf_bob", "elem": {"type": "custom", "data": "AQI="}
        })
    };
    assert_eq!(a.send_c2c("tf_bob", "tf1", "one").await["code"], 0);
    assert_eq!(a.request(custom("tf2")).await["code"], 0);
    assert_eq!(a.send_c2c("tf_bob", "tf3", "three").await["code"], 0);
    assert_eq!(a.request(custom("tf4")).await["code"], 0);
    let r = revoke(&mut a, "r-tf3", "tf3", c2c("tf_bob"), "").await;
    assert_eq!(r["code"], 0, "{r}");
    let ids = |page: Value| history_ids(&page);
    let read = |types: Value, extra: Value| {
        let mut req = json!({"op": "history", "conv": c2c("tf_alice"), "count": 10,
                             "elem_types": types});
        for (k, v) in extra.as_object().unwrap() {
            req[k] = v.clone();
        }
        req
    };
    let texts = ids(b.request(read(json!([1]), json!({}))).await);
    assert_eq!(texts, ["tf3", "tf1"], "the recalled text keeps its type");
    let customs = ids(b.request(read(json!([2]), json!({}))).await);
    assert_eq!(customs, ["tf4", "tf2"]);
    let both = ids(b.request(read(json!([2, 1]), json!({"count": 3}))).await);
    assert_eq!(
        both,
        ["tf4", "tf3", "tf2"],
        "paged by count after filtering"
    );
    let newer = ids(b
        .request(read(json!([2]), json!({"newer": true, "after_seq": 1})))
        .await);
    assert_eq!(newer, ["tf2", "tf4"]);
    let tips = ids(b.request(read(json!([9]), json!({}))).await);
    assert!(tips.is_empty(), "{tips:?}");
    let all = ids(b.request(read(json!([]), json!({}))).await);
    assert_eq!(
        all,
        ["tf4", "tf3", "tf2", "tf1"],
        "an empty filter keeps all"
    );
    for bad in [
        json!([-1]),
        json!([32]),
        json!((0..33).collect::<Vec<i32>>()),
    ] {
        let r = b.request(read(bad.clone(), json!({}))).await;
        assert_eq!(
            r["code"],
            v2tim_proto::codes::ERR_SVR_COMM_INVALID_REQUEST,
            "{bad}: {r}"
        );
    }
}

/// Message extras on the server at `addr`, whatever its storage: cloudCustomData stored
/// and synced, erased by a recall, and a TUIKit reply's quote of a recalled message
/// blanked; the excluded flags kept out of unread counts and last messages.
pub async fn check_message_extras(addr: SocketAddr) {
    let mut a = Client::login_open(addr, "ex_alice", "a").await;
    let mut b = Client::login_open(addr, "ex_bob", "b").await;
    let send = |id: &str, text: &str, extra: Value| {
        let mut req = json!({
            "op": "send_message", "idem_key": format!("k-{id}"), "msg_id": id,
            "receiver": "ex_bob", "elem": {"type": "text", "text": text}
        });
        for (k, v) in extra.as_object().unwrap() {
            req[k] = v.clone();
        }
        req
    };
    let quote = json!({"messageReply": {"messageID": "ex1", "messageAbstract": "SECRET-QUOTED",
                                        "messageSender": "ex_alice", "messageType": 1,
                                        "version": 1}});
    let r = a
        .request(send(
            "ex1",
            "SECRET-QUOTED",
            json!({"cloud_custom_data": "{\"k\":1}"}),
        ))
        .await;
    assert_eq!(r["code"], 0, "{r}");
    assert_eq!(r["data"]["msg"]["cloud_custom_data"], "{\"k\":1}");
    let reply = send(
        "ex2",
        "a reply",
        json!({"cloud_custom_data": quote.to_string()}),
    );
    assert_eq!(b.request(json!({"op": "ping"})).await["code"], 0);
    let r = a.request(reply).await;
    assert_eq!(r["code"], 0, "{r}");
    let quiet = send(
        "ex3",
        "not counted",
        json!({"excluded_from_unread": true,
                                                  "excluded_from_last": true}),
    );
    let r = a.request(quiet).await;
    assert_eq!(r["code"], 0, "{r}");
    assert_eq!(r["data"]["msg"]["excluded_from_unread"], true);
    let conv = b
        .request(json!({"op": "get_conversation", "conv": c2c("ex_alice")}))
        .await;
    let c = &conv["data"]["conversation"];
    assert_eq!(c["unread_count"], 2, "{conv}");
    assert_eq!(
        c["last_message"]["msg_id"], "ex2",
        "the excluded one is never last"
    );

    // The quoted message is recalled: its own cloud data is erased, and the reply's
    // abstract is blank in history and sync.
    let r = revoke(&mut a, "r-ex1", "ex1", c2c("ex_bob"), "").await;
    assert_eq!(r["code"], 0, "{r}");
    let h = b
        .request(json!({"op": "history", "conv": c2c("ex_alice"), "count": 10}))
        .await;
    let text = h.to_string();
    assert!(!text.contains("SECRET-QUOTED"), "{h}");
    let msgs = h["data"]["messages"].as_array().unwrap();
    let by_id = |id: &str| msgs.iter().find(|m| m["msg_id"] == id).unwrap().clone();
    assert!(by_id("ex1").get("cloud_custom_data").is_none(), "{h}");
    let cloud: Value =
        serde_json::from_str(by_id("ex2")["cloud_custom_data"].as_str().unwrap()).unwrap();
    assert_eq!(cloud["messageReply"]["messageAbstract"], "");
    assert_eq!(cloud["messageReply"]["messageID"], "ex1");
    assert_eq!(by_id("ex3")["excluded_from_last"], true);
    let sync = b.sync(0, 100).await;
    assert!(!sync.to_string().contains("SECRET-QUOTED"), "{sync}");
    let r = a
        .request(send(
            "ex4",
            "x",
            json!({"cloud_custom_data": "x".repeat(12 * 1024 + 1)}),
        ))
        .await;
    assert_eq!(
        r["code"],
        v2tim_proto::codes::ERR_SVR_MSG_BODY_SIZE_LIMIT,
        "{r}"
    );
}
