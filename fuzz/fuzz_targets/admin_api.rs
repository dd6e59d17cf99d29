//! The admin (REST) API's JSON bodies and query strings through the code the HTTP handler
//! runs (`server/src/admin.rs`) once its transport checks have passed (known path, POST,
//! body within `MAX_BODY_BYTES`):
//!
//! - `admin::parse_credentials` (query-string decoding) and `admin::check_body` (the
//!   command's JSON parsed and validated), pure;
//! - `admin::execute`: credentials checked, body parsed, the command run on the storage
//!   thread of an in-memory server, the JSON answer built. The server serves app 1 without a
//!   secret key and app 2 with one (a valid administrator UserSig for it is generated once).
//!
//! Before the first input, `alice` logs in to app 1 over the wire protocol, creates the
//! Public group `g1`, sends it 8 messages (`g-m1`..`g-m8`, seqs 1..8) and sends `bob` 8
//! (`c-m1`..`c-m8`), so that recalls can find real messages (each once: then they are
//! recalled).
//!
//! Input: byte 0 picks the command (and whether the query is fuzzed); with a fuzzed query
//! the bytes up to the first `\n` are the query, the rest is the body.
//! Checked: no panic, the answer is JSON with `ActionStatus` OK (code 0) or FAIL (non-zero
//! code and a description), and the pure checks agree with `execute` about the body.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use v2tim_proto::usersig::gen_user_sig;
use v2tim_server::admin::{self, MAX_BODY_BYTES};
use v2tim_server::{AppConfig, Server, ServerConfig};

struct Env {
    rt: tokio::runtime::Runtime,
    server: Arc<Server>,
    keyed_query: String,
}

fn env() -> &'static Env {
    static E: OnceLock<Env> = OnceLock::new();
    E.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let config = ServerConfig {
            apps: vec![
                AppConfig::new(1, None),
                AppConfig::new(2, Some("fuzz-admin-key".into())),
            ],
            ..ServerConfig::default()
        };
        let server = rt.block_on(async { Server::open(config) }).unwrap();
        rt.block_on(populate(&server));
        let sig = gen_user_sig(2, "fuzz-admin-key", "administrator", 86400 * 365);
        Env {
            rt,
            server,
            keyed_query: format!(
                "sdkappid=2&identifier=administrator&usersig={sig}&random=7&contenttype=json"
            ),
        }
    })
}

/// Sends `frames` over one connection and waits for an answer to each; all must succeed.
async fn populate(server: &Arc<Server>) {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let (client, served) = tokio::io::duplex(1 << 20);
    tokio::spawn(server.clone().serve_stream(served));
    let (mut ws, _) = tokio_tungstenite::client_async("ws://embedded/", client)
        .await
        .unwrap();
    let mut frames = vec![
        format!(
            r#"{{"id":1,"op":"login","protocol":{},"sdk_app_id":1,"user_id":"alice","user_sig":"","device_id":"d"}}"#,
            v2tim_proto::PROTOCOL_VERSION
        ),
        r#"{"id":2,"op":"create_group","group_type":"Public","group_id":"g1","name":"fuzz"}"#
            .to_string(),
    ];
    for i in 1..=8 {
        frames.push(format!(
            r#"{{"id":{},"op":"send_message","idem_key":"kg{i}","msg_id":"g-m{i}","group_id":"g1","elem":{{"type":"text","text":"hi {i}"}}}}"#,
            10 + i
        ));
        frames.push(format!(
            r#"{{"id":{},"op":"send_message","idem_key":"kc{i}","msg_id":"c-m{i}","receiver":"bob","elem":{{"type":"custom","data":"aGk=","description":"d","extension":"e"}}}}"#,
            20 + i
        ));
    }
    for f in frames {
        let id = serde_json::from_str::<serde_json::Value>(&f).unwrap()["id"].clone();
        ws.send(Message::Text(f)).await.unwrap();
        loop {
            let Some(Ok(Message::Text(t))) = ws.next().await else {
                panic!("connection ended during setup")
            };
            let v: serde_json::Value = serde_json::from_str(&t).unwrap();
            if v["t"] == "res" && v["id"] == id {
                assert_eq!(v["code"], 0, "setup request {id} refused: {t}");
                break;
            }
        }
    }
}

const PATHS: [&str; 4] = [
    admin::PATH_MSGWITHDRAW,
    admin::PATH_GROUP_RECALL,
    admin::PATH_GET_LIMIT,
    admin::PATH_SET_LIMIT,
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    if rest.len() > MAX_BODY_BYTES {
        return;
    }
    let e = env();
    let path = PATHS[usize::from(sel & 3)];
    let (query, body): (String, &[u8]) = match (sel >> 2) & 3 {
        0 => ("sdkappid=1&identifier=administrator&usersig=x".into(), rest),
        1 => (e.keyed_query.clone(), rest),
        _ => {
            let cut = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            (
                String::from_utf8_lossy(&rest[..cut]).into_owned(),
                rest.get(cut + 1..).unwrap_or(&[]),
            )
        }
    };
    let creds = admin::parse_credentials(&query);
    let parsed = admin::check_body(path, body);
    let answer = e.rt.block_on(admin::execute(&e.server, path, &query, body));
    let status = answer["ActionStatus"].as_str().expect("ActionStatus");
    let code = answer["ErrorCode"].as_i64().expect("ErrorCode");
    assert!(answer["ErrorInfo"].is_string());
    match status {
        "OK" => {
            assert_eq!(code, 0);
            assert!(creds.is_ok(), "OK with unreadable credentials");
            if path != admin::PATH_GET_LIMIT {
                assert!(parsed.is_ok(), "OK for a body check_body refuses");
            }
        }
        "FAIL" => {
            assert_ne!(code, 0);
            assert!(!answer["ErrorInfo"].as_str().unwrap().is_empty());
        }
        s => panic!("ActionStatus {s:?}"),
    }
    // Serialized as the handler does.
    let _ = answer.to_string();
});
