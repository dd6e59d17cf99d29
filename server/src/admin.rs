//! The admin ("REST") API: HTTP/1.1 + JSON on its own listener, shaped after V2TIM's REST
//! API. Every call is `POST /v4/<service>/<command>?sdkappid=..&identifier=administrator&
//! usersig=..&random=..&contenttype=json` and answers HTTP 200 with
//! `{"ActionStatus":"OK"|"FAIL","ErrorCode":n,"ErrorInfo":"..."}` plus the command's fields,
//! as V2TIM does (also for refused credentials). Only transport-level problems get another
//! status: 404 unknown path, 405 not POST, 413 body over [`MAX_BODY_BYTES`], 408 body not
//! received within `limits.admin_body_timeout_secs`. `docs/ADMIN_API.md` describes the
//! commands.
//!
//! Nothing is read of a body before its credentials (in the query string) are checked; a
//! refused request is answered and its connection closed. The listener takes at most
//! `limits.admin_max_connections` connections; heads must arrive within
//! `limits.admin_header_timeout_secs` (idle keep-alive connections included), bodies
//! within `limits.admin_body_timeout_secs`, and a body is copied out of the read buffer
//! as it arrives, so a body trickled in byte by byte holds its bytes, not a buffer each.
//!
//! The commands run on the storage thread like client requests (same transaction rules,
//! same pushes), on behalf of `administrator`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONNECTION, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use v2tim_proto::codes;
use v2tim_proto::ServerFrame;

use crate::config::MAX_RECALL_TIME_LIMIT_SECS;
use crate::handlers::{AdminOp, Cmd, Ctx, Op};
use crate::outbox::Outbound;
use crate::rules::{self, Refusal};
use crate::Server;

/// Largest request body accepted: a group recall of a few thousand sequence numbers.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Largest request head (request line and headers); the longest V2TIM admin URL with a
/// UserSig is well under 1 KiB.
const MAX_HEAD_BYTES: usize = 8 * 1024;
/// hyper's read buffer per connection (its least allowed value).
const READ_BUFFER_BYTES: usize = 8 * 1024;

/// Path of `portrait_set` (a user's profile, V2TIM's REST shape).
pub const PATH_PORTRAIT_SET: &str = "/v4/profile/portrait_set";
/// Path of `portrait_get`.
pub const PATH_PORTRAIT_GET: &str = "/v4/profile/portrait_get";
/// Path of `admin_msgwithdraw` (C2C recall).
pub const PATH_MSGWITHDRAW: &str = "/v4/openim/admin_msgwithdraw";
/// Path of `group_msg_recall`.
pub const PATH_GROUP_RECALL: &str = "/v4/group_open_http_svc/group_msg_recall";
/// Path of `destroy_group` (dismisses any group, Work groups included).
pub const PATH_DESTROY_GROUP: &str = "/v4/group_open_http_svc/destroy_group";
/// Path of `get_recall_time_limit`.
pub const PATH_GET_LIMIT: &str = "/v4/v2tim/get_recall_time_limit";
/// Path of `set_recall_time_limit`.
pub const PATH_SET_LIMIT: &str = "/v4/v2tim/set_recall_time_limit";

/// Accepts admin connections until the server shuts down.
pub(crate) async fn listen(server: &Arc<Server>, addr: SocketAddr) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let mut stop = server.shutdown_signal();
    let weak: Weak<Server> = Arc::downgrade(server);
    tokio::spawn(async move {
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, peer)) => {
                        let Some(server) = weak.upgrade() else { break };
                        // Over the cap: closed at once, costing an accept and a close.
                        let Ok(slot) = server.admin_slots().clone().try_acquire_owned() else {
                            tracing::debug!(%peer, "admin connection refused: too many open");
                            continue;
                        };
                        let limits = server.config().limits.clone();
                        drop(server);
                        let weak = weak.clone();
                        tokio::spawn(async move {
                            let _slot = slot;
                            let body_timeout = Duration::from_secs(limits.admin_body_timeout_secs);
                            let service = hyper::service::service_fn(move |req| {
                                let weak = weak.clone();
                                async move { Ok::<_, Infallible>(handle(weak, req, body_timeout).await) }
                            });
                            let conn = hyper::server::conn::http1::Builder::new()
                                .timer(TokioTimer::new())
                                .header_read_timeout(Duration::from_secs(limits.admin_header_timeout_secs))
                                .max_buf_size(READ_BUFFER_BYTES.max(MAX_HEAD_BYTES))
                                .serve_connection(TokioIo::new(stream), service);
                            if let Err(e) = conn.await {
                                tracing::debug!("admin connection: {e}");
                            }
                        });
                    }
                    Err(e) => {
                        tracing::warn!("admin accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
                changed = stop.changed() => {
                    if changed.is_err() || *stop.borrow() {
                        break;
                    }
                }
            }
        }
        tracing::debug!(%local, "admin listener stopped");
    });
    tracing::info!(%local, "admin API listening");
    Ok(local)
}

fn reply(status: StatusCode, body: Value) -> Response<Full<Bytes>> {
    let mut res = Response::new(Full::new(Bytes::from(body.to_string())));
    *res.status_mut() = status;
    res.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    res
}

/// `res` with `Connection: close`: its request's body was not read.
fn closing(mut res: Response<Full<Bytes>>) -> Response<Full<Bytes>> {
    res.headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    res
}

fn fail(code: i32, info: impl Into<String>) -> Value {
    json!({"ActionStatus": "FAIL", "ErrorCode": code, "ErrorInfo": info.into()})
}

fn ok_with(extra: Value) -> Value {
    let mut body = json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""});
    if let (Some(b), Value::Object(extra)) = (body.as_object_mut(), extra) {
        b.extend(extra);
    }
    body
}

/// `%XX` and `+` decoding of one query-string value.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then(|| percent_decode(v))
    })
}

#[derive(Deserialize)]
struct MsgWithdraw {
    #[serde(rename = "From_Account")]
    from: String,
    #[serde(rename = "To_Account")]
    to: String,
    #[serde(rename = "MsgKey")]
    msg_key: String,
    #[serde(rename = "Reason", default)]
    reason: String,
}

#[derive(Deserialize)]
struct SeqItem {
    #[serde(rename = "MsgSeq")]
    seq: u64,
}

#[derive(Deserialize)]
struct GroupRecall {
    #[serde(rename = "GroupId")]
    group_id: String,
    #[serde(rename = "MsgSeqList")]
    seqs: Vec<SeqItem>,
    #[serde(rename = "Reason", default)]
    reason: String,
}

#[derive(Deserialize)]
struct DestroyGroup {
    #[serde(rename = "GroupId")]
    group_id: String,
}

#[derive(Deserialize)]
struct SetLimit {
    #[serde(rename = "RecallTimeLimitSecs")]
    secs: u64,
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(|e| Refusal::invalid(format!("bad request body: {e}")))
}

async fn handle(
    server: Weak<Server>,
    req: Request<Incoming>,
    body_timeout: Duration,
) -> Response<Full<Bytes>> {
    let path = req.uri().path().to_string();
    if ![
        PATH_MSGWITHDRAW,
        PATH_GROUP_RECALL,
        PATH_GET_LIMIT,
        PATH_SET_LIMIT,
        PATH_PORTRAIT_SET,
        PATH_PORTRAIT_GET,
        PATH_DESTROY_GROUP,
    ]
    .contains(&path.as_str())
    {
        return closing(reply(
            StatusCode::NOT_FOUND,
            fail(
                codes::ERR_SVR_COMM_INVALID_REQUEST,
                format!("no admin command at {path}"),
            ),
        ));
    }
    if req.method() != Method::POST {
        return closing(reply(
            StatusCode::METHOD_NOT_ALLOWED,
            fail(
                codes::ERR_SVR_COMM_INVALID_REQUEST,
                "admin commands are POST",
            ),
        ));
    }
    let too_large = || {
        closing(reply(
            StatusCode::PAYLOAD_TOO_LARGE,
            fail(
                codes::ERR_SVR_COMM_INVALID_REQUEST,
                format!("request body over {MAX_BODY_BYTES} bytes (or unreadable)"),
            ),
        ))
    };
    // A declared length over the limit is refused before reading any of the body.
    let declared = req
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    let Some(server) = server.upgrade() else {
        return closing(reply(
            StatusCode::SERVICE_UNAVAILABLE,
            fail(codes::V2TIM_ERR_SHUTDOWN, "the server is shutting down"),
        ));
    };
    let query = req.uri().query().unwrap_or("").to_string();
    // Credentials first: without them, not a byte of the body is read.
    let app = match authenticate(&server, &query) {
        Ok(app) => app,
        Err(r) => return closing(reply(StatusCode::OK, fail(r.code, r.desc))),
    };
    let body = match tokio::time::timeout(body_timeout, read_body(req.into_body())).await {
        Ok(Some(body)) => body,
        Ok(None) => return too_large(),
        Err(_) => {
            return closing(reply(
                StatusCode::REQUEST_TIMEOUT,
                fail(
                    codes::ERR_SVR_COMM_INVALID_REQUEST,
                    format!("request body not received within {body_timeout:?}"),
                ),
            ))
        }
    };
    let answer = match run_command(&server, app, &path, &body).await {
        Ok(extra) => ok_with(extra),
        Err(r) => fail(r.code, r.desc),
    };
    reply(StatusCode::OK, answer)
}

/// The body, copied out of hyper's buffers chunk by chunk (a chunk would otherwise pin
/// the whole read buffer it came in); `None` past [`MAX_BODY_BYTES`] or on a read error.
async fn read_body(mut body: Incoming) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.ok()?;
        if let Some(data) = frame.data_ref() {
            if out.len() + data.len() > MAX_BODY_BYTES {
                return None;
            }
            out.extend_from_slice(data);
        }
    }
    Some(out)
}

/// Runs one admin command as the HTTP handler does once the transport checks (path known,
/// POST, body within [`MAX_BODY_BYTES`]) have passed: credentials from `query`, the body
/// parsed and validated for `path`, the command run on the storage thread. Answers the JSON
/// body the handler sends with HTTP 200 (`ActionStatus` OK or FAIL). An unknown `path` is
/// taken as `set_recall_time_limit`, as in the handler after its path check. Public for the
/// fuzz targets (`fuzz/`) and tests; the HTTP handler calls nothing else.
pub async fn execute(server: &Arc<Server>, path: &str, query: &str, body: &[u8]) -> Value {
    match run(server, path, query, body).await {
        Ok(extra) => ok_with(extra),
        Err(r) => fail(r.code, r.desc),
    }
}

/// The credentials of an admin call, read from its query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub sdk_app_id: u32,
    pub identifier: String,
    pub user_sig: String,
}

/// Reads `sdkappid`, `identifier` and `usersig` from a query string (percent-decoded), as
/// the handler does before checking them with [`rules::check_admin`]. Public for fuzzing.
pub fn parse_credentials(query: &str) -> Result<Credentials, Refusal> {
    let sdk_app_id: u32 = query_param(query, "sdkappid")
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            Refusal::new(
                codes::ERR_SVR_ACCOUNT_INVALID_SDKAPPID,
                "sdkappid is missing or not a number",
            )
        })?;
    Ok(Credentials {
        sdk_app_id,
        identifier: query_param(query, "identifier").unwrap_or_default(),
        user_sig: query_param(query, "usersig").unwrap_or_default(),
    })
}

/// Parses and validates the JSON body of the command at `path` (unknown paths are taken as
/// `set_recall_time_limit`, as in the handler after its path check), without running it.
/// The handler runs exactly this before submitting the command. Public for fuzzing.
pub fn check_body(path: &str, body: &[u8]) -> Result<(), Refusal> {
    parse_op(path, body).map(|_| ())
}

async fn run(server: &Arc<Server>, path: &str, query: &str, body: &[u8]) -> Result<Value, Refusal> {
    let app = authenticate(server, query)?;
    run_command(server, app, path, body).await
}

/// Checks the credentials of `query`; answers the SDKAppID they are good for.
fn authenticate(server: &Server, query: &str) -> Result<u32, Refusal> {
    let Credentials {
        sdk_app_id,
        identifier,
        user_sig,
    } = parse_credentials(query)?;
    rules::check_admin(
        server.config().app(sdk_app_id),
        sdk_app_id,
        &identifier,
        &user_sig,
    )?;
    Ok(sdk_app_id)
}

/// Parses, validates and runs an authenticated command of `app`.
async fn run_command(
    server: &Arc<Server>,
    app: u32,
    path: &str,
    body: &[u8],
) -> Result<Value, Refusal> {
    let op = parse_op(path, body)?;
    let data = submit(server, app, op).await?;
    Ok(match path {
        // V2TIM answers these with the status alone.
        PATH_MSGWITHDRAW | PATH_SET_LIMIT | PATH_PORTRAIT_SET | PATH_DESTROY_GROUP => json!({}),
        PATH_PORTRAIT_GET => {
            let asked: crate::portrait::PortraitGet = parse(body)?;
            let found: Vec<v2tim_proto::UserProfile> =
                serde_json::from_value(data["users"].clone()).unwrap_or_default();
            crate::portrait::profile_items(&asked.to, &asked.tags, &found)
        }
        _ => data,
    })
}

fn parse_op(path: &str, body: &[u8]) -> Result<AdminOp, Refusal> {
    Ok(match path {
        PATH_MSGWITHDRAW => {
            let b: MsgWithdraw = parse(body)?;
            AdminOp::RecallC2c {
                from: b.from,
                to: b.to,
                msg_id: b.msg_key,
                reason: b.reason,
            }
        }
        PATH_GROUP_RECALL => {
            let b: GroupRecall = parse(body)?;
            AdminOp::RecallGroup {
                group_id: b.group_id,
                seqs: b.seqs.into_iter().map(|s| s.seq).collect(),
                reason: b.reason,
            }
        }
        PATH_GET_LIMIT => AdminOp::GetRecallLimit,
        PATH_DESTROY_GROUP => {
            let b: DestroyGroup = parse(body)?;
            AdminOp::DestroyGroup {
                group_id: b.group_id,
            }
        }
        PATH_PORTRAIT_SET => {
            let b: crate::portrait::PortraitSet = parse(body)?;
            AdminOp::PortraitSet {
                changes: b.changes()?,
                user: b.from,
            }
        }
        PATH_PORTRAIT_GET => {
            let b: crate::portrait::PortraitGet = parse(body)?;
            b.check()?;
            AdminOp::PortraitGet { users: b.to }
        }
        _ => {
            let b: SetLimit = parse(body)?;
            if b.secs > u64::from(MAX_RECALL_TIME_LIMIT_SECS) {
                return Err(Refusal::invalid(format!(
                    "RecallTimeLimitSecs must be 0 (recall off) to {MAX_RECALL_TIME_LIMIT_SECS} (7 days)"
                )));
            }
            AdminOp::SetRecallLimit(b.secs as u32)
        }
    })
}

/// Runs an admin command on the storage thread and waits for its answer.
async fn submit(server: &Arc<Server>, app: u32, op: AdminOp) -> Result<Value, Refusal> {
    let (outbox, mut rx) = server.buffers().outbox();
    let ctx = Ctx {
        app,
        user: rules::ADMIN_IDENTIFIER.to_string(),
        // No connection has id 0: the pushes of an admin recall go to every device.
        conn_id: 0,
        outbox,
    };
    let shutting_down = || Refusal::new(codes::V2TIM_ERR_SHUTDOWN, "the server is shutting down");
    server
        .storage()
        .submit(Cmd {
            ctx,
            req_id: 0,
            op: Op::Admin(op),
            slot: None,
            writes: None,
            writing: None,
        })
        .map_err(|_| shutting_down())?;
    let Some(Outbound::Text(text)) = rx.recv().await else {
        return Err(shutting_down());
    };
    match ServerFrame::decode(&text) {
        Ok(ServerFrame::Res { code: 0, data, .. }) => {
            serde_json::from_str(data.json()).map_err(|_| {
                Refusal::new(
                    codes::ERR_SVR_COMM_INTERNAL,
                    "unreadable answer from storage",
                )
            })
        }
        Ok(ServerFrame::Res { code, desc, .. }) => Err(Refusal::new(code, desc)),
        _ => Err(Refusal::new(
            codes::ERR_SVR_COMM_INTERNAL,
            "unexpected answer from storage",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_decoded() {
        let q = "sdkappid=7&identifier=administrator&usersig=a%2Ab%2Bc*d&random=1&x";
        assert_eq!(query_param(q, "sdkappid").as_deref(), Some("7"));
        assert_eq!(query_param(q, "usersig").as_deref(), Some("a*b+c*d"));
        assert_eq!(query_param(q, "x").as_deref(), Some(""));
        assert_eq!(query_param(q, "nope"), None);
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%41+b"), "A b");
    }

    #[test]
    fn credentials_and_bodies_are_checked_without_a_server() {
        let c = parse_credentials("sdkappid=7&identifier=administrator&usersig=a%2Ab").unwrap();
        assert_eq!(
            c,
            Credentials {
                sdk_app_id: 7,
                identifier: "administrator".into(),
                user_sig: "a*b".into(),
            }
        );
        assert_eq!(
            parse_credentials("sdkappid=x").unwrap_err().code,
            codes::ERR_SVR_ACCOUNT_INVALID_SDKAPPID
        );
        let withdraw = br#"{"From_Account":"a","To_Account":"b","MsgKey":"m"}"#;
        assert!(check_body(PATH_MSGWITHDRAW, withdraw).is_ok());
        assert!(check_body(PATH_MSGWITHDRAW, b"{}").is_err());
        assert!(check_body(
            PATH_GROUP_RECALL,
            br#"{"GroupId":"g","MsgSeqList":[{"MsgSeq":1}]}"#
        )
        .is_ok());
        assert!(check_body(PATH_GET_LIMIT, b"not json").is_ok());
        assert!(check_body(PATH_SET_LIMIT, br#"{"RecallTimeLimitSecs":604800}"#).is_ok());
        assert!(check_body(PATH_SET_LIMIT, br#"{"RecallTimeLimitSecs":604801}"#).is_err());
    }
}
