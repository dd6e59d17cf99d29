//! One login session: a task that owns the WebSocket, matches answers to requests, applies
//! the user's sync sequence strictly in order, and reconnects (with backoff) and logs in
//! again when the connection drops.
//!
//! Sync algorithm: the session keeps `last_seq`, the stream position up to which it has
//! applied everything of the user's sync sequence (positions increase along the sequence
//! but have gaps: they belong to other conversations). Pushed events with `seq <= last_seq`
//! are duplicates and dropped; an event whose `prev` (what the server had already sent
//! this connection) is at most `last_seq` is applied at once; anything else waits in a
//! buffer while a `sync` request fills the gap. A sync page holds everything of the sequence
//! up to its `head_seq`, so it moves `last_seq` there. After every (re)login the session syncs from `last_seq`,
//! so nothing sent while it was away is missed and nothing is applied twice.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::pin::Pin;
use std::sync::Weak;
use std::time::Duration;

use futures_util::{Sink, SinkExt, Stream, StreamExt};
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_rustls::TlsConnector;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Error as WsError, Message as WsMessage};
use tokio_tungstenite::{client_async_with_config, WebSocketStream};
use v2tim_proto::{
    codes, limits, ClientFrame, ConvRef, Event, LoginAck, Push, Request, ServerFrame, SyncPage,
};

use super::embedded;
use super::error::{Error, Result};
use super::runtime;
use super::tls;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const LOGIN_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request may wait for its answer, across reconnects, before it fails.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// An idle connection (nothing in flight) is pinged after this much silence: the one
/// wake-up per interval a phone pays for staying reachable (docs/INTEGRATION.md).
pub(crate) const HEARTBEAT: Duration = Duration::from_secs(30);
/// A request unanswered for this long with nothing at all heard meanwhile: the
/// connection is probed with a ping at once, without waiting for the heartbeat.
const PROBE_AFTER: Duration = Duration::from_secs(3);
/// A ping unanswered (nothing heard) for this long: the connection is dead. With
/// [`PROBE_AFTER`], a black hole under a request is noticed within 8 s.
const PING_TIMEOUT: Duration = Duration::from_secs(5);
/// While calls wait for answers or their turn, their 30 s deadlines are checked this often;
/// an idle connection has no such timer.
const EXPIRY_CHECK: Duration = Duration::from_secs(1);
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);
const LOGOUT_GRACE: Duration = Duration::from_secs(2);
/// Requests sent on a connection and not yet answered; later ones wait their turn. Under
/// the server's per-connection limit (64), so the server always reads what this session
/// writes, and a burst of calls never fills the socket's send buffer while its answers
/// fill the other direction (both sides blocked writing: a deadlock).
const MAX_IN_FLIGHT: usize = 32;

/// Where the server is.
#[derive(Clone)]
pub(crate) enum Endpoint {
    /// One or more `ws://` / `wss://` URLs of servers sharing one database (a cluster);
    /// the session moves to the next when one cannot be reached.
    Remote(Vec<String>),
    Embedded(embedded::Handle),
}

impl Endpoint {
    /// Server `i`, for logs.
    fn describe(&self, i: usize) -> &str {
        match self {
            Endpoint::Remote(urls) => urls.get(i).map_or("?", String::as_str),
            Endpoint::Embedded(_) => "the embedded server",
        }
    }

    /// How many servers there are to try.
    fn servers(&self) -> usize {
        match self {
            Endpoint::Remote(urls) => urls.len(),
            Endpoint::Embedded(_) => 1,
        }
    }
}

/// Parses `server_url`: one URL, or several separated by commas (whitespace around each
/// is ignored). Each must be `ws://` or `wss://`.
pub(crate) fn parse_server_urls(s: &str) -> std::result::Result<Vec<String>, String> {
    let urls: Vec<String> = s.split(',').map(|u| u.trim().to_string()).collect();
    for u in &urls {
        if u.is_empty() {
            return Err(format!("server_url has an empty entry: {s:?}"));
        }
        if !(u.starts_with("ws://") || u.starts_with("wss://")) {
            return Err(format!(
                "server_url must start with ws:// or wss:// (each of a comma-separated list), got {u:?}"
            ));
        }
    }
    Ok(urls)
}

/// Why a session ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum End {
    Logout,
    /// The manager dropped the session (uninit, destroy, or a login as another user).
    Closed,
    LoginFailed,
    Kicked,
    SigExpired,
    /// A re-login was refused (e.g. the account's key changed).
    Refused,
}

/// What the session reports to its manager. Called on runtime threads, never under the
/// session's own state; implementations post host callbacks to the event thread.
pub(crate) trait SessionHost: Send + Sync {
    fn connecting(&self);
    fn connect_failed(&self, err: &Error);
    /// The first login of the session finished (success or failure).
    fn login_finished(&self, session: u64, result: Result<()>);
    fn connected(&self, ack: &LoginAck);
    /// Events in sync order; `last_seq` is the newest applied once these are.
    fn apply_events(&self, user_id: &str, events: Vec<Event>, last_seq: u64);
    /// Another device of the user read `conv` (its unread count changed).
    fn conversation_read(&self, conv: ConvRef);
    /// Another device of the user changed the user's profile.
    fn self_info_updated(&self, info: v2tim_proto::UserProfile);
    /// A message sent online-only reached this device (outside the sync sequence).
    fn online_message(&self, user_id: &str, msg: v2tim_proto::MessageInfo);
    fn ended(&self, session: u64, end: End);
}

pub(crate) struct SessionParams {
    pub id: u64,
    pub endpoint: Endpoint,
    pub sdk_app_id: u32,
    pub user_id: String,
    pub user_sig: String,
    pub device_id: String,
    pub last_seq: Option<u64>,
}

pub(crate) type WsSink = Pin<Box<dyn Sink<WsMessage, Error = WsError> + Send>>;
pub(crate) type WsStream =
    Pin<Box<dyn Stream<Item = std::result::Result<WsMessage, WsError>> + Send>>;

struct Call {
    /// Boxed: queued and kept in flight by the hundred, and most requests are small.
    req: Box<Request>,
    reply: oneshot::Sender<Result<v2tim_proto::AnswerData>>,
    deadline: Instant,
}

enum Cmd {
    Call(Call),
    Logout(oneshot::Sender<()>),
}

/// Requests whose answers matter. Ping and logout answers are not waited for: they fall
/// through as answers to unknown ids.
enum InFlight {
    Call(Call),
    Sync,
}

/// What a connected phase ended with.
enum Flow {
    Reconnect,
    End(End),
}

/// The manager's handle on a running session. Dropping it ends the session.
pub(crate) struct SessionHandle {
    tx: mpsc::UnboundedSender<Cmd>,
}

impl SessionHandle {
    pub fn spawn(params: SessionParams, host: Weak<dyn SessionHost>) -> SessionHandle {
        let (tx, rx) = mpsc::unbounded_channel();
        let actor = Actor {
            last_seq: params.last_seq,
            p: params,
            host,
            rx,
            next_id: 0,
            waiting: VecDeque::new(),
            in_flight: HashMap::new(),
            buffer: BTreeMap::new(),
            syncing: false,
            logout_done: None,
            server: 0,
        };
        runtime::spawn(actor.run());
        SessionHandle { tx }
    }

    /// Sends `req` and resolves with the answer's data, or the server's error.
    pub fn call(
        &self,
        req: Request,
    ) -> impl std::future::Future<Output = Result<v2tim_proto::AnswerData>> + Send + 'static {
        let (reply, rx) = oneshot::channel();
        let sent = self.tx.send(Cmd::Call(Call {
            req: Box::new(req),
            reply,
            deadline: Instant::now() + REQUEST_TIMEOUT,
        }));
        async move {
            sent.map_err(|_| Error::not_logged_in())?;
            rx.await.unwrap_or_else(|_| Err(Error::not_logged_in()))
        }
    }

    /// Asks the server to end the session; resolves once the session has ended.
    pub fn logout(&self) -> oneshot::Receiver<()> {
        let (tx, rx) = oneshot::channel();
        let _ = self.tx.send(Cmd::Logout(tx));
        rx
    }
}

struct Actor {
    p: SessionParams,
    host: Weak<dyn SessionHost>,
    rx: mpsc::UnboundedReceiver<Cmd>,
    next_id: u64,
    /// Calls not yet sent on the current connection, oldest first.
    waiting: VecDeque<Call>,
    in_flight: HashMap<u64, InFlight>,
    last_seq: Option<u64>,
    /// Pushed events that arrived ahead of a gap.
    /// Pushed events waiting for a sync, by position, with their `prev`.
    buffer: BTreeMap<u64, (u64, Event)>,
    syncing: bool,
    logout_done: Option<oneshot::Sender<()>>,
    /// Index of the server (of a comma-separated `server_url`) to connect to next.
    server: usize,
}

pub(crate) fn ws_config() -> WebSocketConfig {
    WebSocketConfig {
        max_message_size: Some(limits::MAX_FRAME_BYTES),
        max_frame_size: Some(limits::MAX_FRAME_BYTES),
        ..WebSocketConfig::default()
    }
}

pub(crate) fn net_error(code: i32, what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(code, format!("{what}: {e}"))
}

async fn open(endpoint: &Endpoint, server: usize) -> Result<(WsSink, WsStream)> {
    match endpoint {
        Endpoint::Remote(urls) => {
            let url = &urls[server % urls.len()];
            tokio::time::timeout(CONNECT_TIMEOUT, connect_remote(url))
                .await
                .map_err(|_| {
                    Error::new(
                        codes::ERR_SDK_NET_CONN_TIMEOUT,
                        format!("connecting to {url} timed out"),
                    )
                })?
                .map_err(|e| {
                    net_error(
                        codes::ERR_SDK_NET_CONN_REFUSE,
                        &format!("cannot connect to {url}"),
                        e,
                    )
                })
        }
        Endpoint::Embedded(server) => embedded::connect(server).await,
    }
}

/// A WebSocket connection to `url` (`ws://` or `wss://`, with TLS from [`tls`]); the
/// English reason when there is none.
async fn connect_remote(url: &str) -> std::result::Result<(WsSink, WsStream), String> {
    let request = url.into_client_request().map_err(|e| e.to_string())?;
    let uri = request.uri().clone();
    let secure = match uri.scheme_str() {
        Some("wss") => true,
        Some("ws") => false,
        _ => return Err("the URL is neither ws:// nor wss://".into()),
    };
    let host = uri.host().ok_or("the URL names no host")?;
    // An IPv6 literal comes bracketed; sockets and TLS want it bare.
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(if secure { 443 } else { 80 });
    let tcp = TcpStream::connect((host, port))
        .await
        .map_err(|e| e.to_string())?;
    // Frames are small and latency matters more than packet count.
    tcp.set_nodelay(true).map_err(|e| e.to_string())?;
    if !secure {
        let (ws, _) = client_async_with_config(request, tcp, Some(ws_config()))
            .await
            .map_err(|e| e.to_string())?;
        return Ok(boxed(ws));
    }
    let name = ServerName::try_from(host.to_owned()).map_err(|e| e.to_string())?;
    let stream = TlsConnector::from(tls::client_config()?)
        .connect(name, tcp)
        .await
        .map_err(|e| format!("TLS: {e}"))?;
    let (ws, _) = client_async_with_config(request, stream, Some(ws_config()))
        .await
        .map_err(|e| e.to_string())?;
    Ok(boxed(ws))
}

fn boxed<S>(ws: WebSocketStream<S>) -> (WsSink, WsStream)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sink, stream) = ws.split();
    (Box::pin(sink), Box::pin(stream))
}

/// Requests that may be sent again after a lost connection: reads, and writes the server
/// deduplicates by idempotency key.
fn is_retry_safe(req: &Request) -> bool {
    matches!(
        req,
        Request::SendMessage {
            online_only: false,
            ..
        } | Request::RevokeMessage { .. }
            | Request::Sync { .. }
            | Request::History { .. }
            | Request::GetGroupMembers { .. }
            | Request::Ping
    )
}

/// Codes that mean the server could not be reached or the connection broke: another
/// server of the list may do better.
fn is_network_error(code: i32) -> bool {
    matches!(
        code,
        codes::ERR_SDK_NET_CONN_REFUSE
            | codes::ERR_SDK_NET_CONN_TIMEOUT
            | codes::ERR_SDK_NET_DISCONNECT
            | codes::ERR_SDK_NET_WAIT_ACK_TIMEOUT
    )
}

/// Codes that mean "do not try this login again".
fn is_auth_refusal(code: i32) -> bool {
    matches!(
        code,
        codes::ERR_SVR_ACCOUNT_USERSIG_EXPIRED
            | codes::ERR_SVR_ACCOUNT_USERSIG_INVALID
            | codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID
            | codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID
            | codes::ERR_SVR_ACCOUNT_INVALID_SDKAPPID
            | codes::ERR_SDK_COMM_INVALID_IDENTIFIER
            | codes::V2TIM_ERR_PROTOCOL_VERSION
    )
}

impl Actor {
    fn host(&self, f: impl FnOnce(&dyn SessionHost)) -> bool {
        match self.host.upgrade() {
            Some(h) => {
                f(&*h);
                true
            }
            None => false,
        }
    }

    fn take_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    async fn run(mut self) {
        let mut first_login = true;
        let mut backoff = FIRST_BACKOFF;
        // Servers that failed in a row: the backoff grows only once every one did.
        let mut failed_in_a_row = 0;
        let end = loop {
            if !self.host(|h| h.connecting()) {
                break End::Closed;
            }
            match self.connect().await {
                Ok((sink, stream, ack)) => {
                    tracing::info!(
                        "connected to {} as {}",
                        self.p.endpoint.describe(self.server),
                        self.p.user_id
                    );
                    backoff = FIRST_BACKOFF;
                    failed_in_a_row = 0;
                    if first_login {
                        first_login = false;
                        let id = self.p.id;
                        self.host(|h| h.login_finished(id, Ok(())));
                    }
                    self.host(|h| h.connected(&ack));
                    match self.serve(sink, stream).await {
                        Flow::Reconnect => {}
                        Flow::End(end) => break end,
                    }
                }
                Err(e) => {
                    let unreachable = is_network_error(e.code);
                    if unreachable {
                        failed_in_a_row += 1;
                        self.server = (self.server + 1) % self.p.endpoint.servers();
                    }
                    let servers_left = failed_in_a_row < self.p.endpoint.servers();
                    if first_login && unreachable && servers_left {
                        tracing::info!("{}; trying the next server", e.desc);
                        continue;
                    }
                    if first_login {
                        let id = self.p.id;
                        self.host(|h| h.login_finished(id, Err(e)));
                        break End::LoginFailed;
                    }
                    self.host(|h| h.connect_failed(&e));
                    if e.code == codes::ERR_SVR_ACCOUNT_USERSIG_EXPIRED {
                        break End::SigExpired;
                    }
                    if is_auth_refusal(e.code) {
                        break End::Refused;
                    }
                }
            }
            let round_done = failed_in_a_row == 0 || failed_in_a_row >= self.p.endpoint.servers();
            if let Some(end) = self
                .pause(if round_done { backoff } else { FIRST_BACKOFF })
                .await
            {
                break end;
            }
            if round_done {
                backoff = (backoff * 2).min(MAX_BACKOFF);
                failed_in_a_row = 0;
            }
        };
        self.finish(end);
    }

    /// Fails what is left, tells the manager, and releases a waiting logout.
    fn finish(mut self, end: End) {
        let err = match end {
            End::Kicked => Error::new(
                codes::ERR_LOGIN_KICKED_OFF_BY_OTHER,
                "this device was signed out by the server",
            ),
            End::SigExpired => Error::new(
                codes::ERR_USER_SIG_EXPIRED,
                "the UserSig expired; log in again",
            ),
            End::Closed => Error::shutdown(),
            _ => Error::not_logged_in(),
        };
        for call in self.waiting.drain(..) {
            let _ = call.reply.send(Err(err.clone()));
        }
        for (_, f) in self.in_flight.drain() {
            if let InFlight::Call(call) = f {
                let _ = call.reply.send(Err(err.clone()));
            }
        }
        let id = self.p.id;
        self.host(|h| h.ended(id, end));
        if let Some(done) = self.logout_done.take() {
            let _ = done.send(());
        }
    }

    async fn connect(&mut self) -> Result<(WsSink, WsStream, LoginAck)> {
        let (mut sink, mut stream) = open(&self.p.endpoint, self.server).await?;
        let id = self.take_id();
        let login = ClientFrame {
            id,
            req: Request::Login {
                protocol: v2tim_proto::PROTOCOL_VERSION,
                sdk_app_id: self.p.sdk_app_id,
                user_id: self.p.user_id.clone(),
                user_sig: self.p.user_sig.clone(),
                device_id: self.p.device_id.clone(),
                last_seq: self.last_seq,
            },
        };
        sink.send(WsMessage::Text(login.encode()))
            .await
            .map_err(|e| net_error(codes::ERR_SDK_NET_DISCONNECT, "sending login failed", e))?;
        let answer = async {
            while let Some(frame) = stream.next().await {
                let WsMessage::Text(text) = frame
                    .map_err(|e| net_error(codes::ERR_SDK_NET_DISCONNECT, "login failed", e))?
                else {
                    continue;
                };
                if let Ok(ServerFrame::Res {
                    id: rid,
                    code,
                    desc,
                    data,
                }) = ServerFrame::decode(&text)
                {
                    if rid == id {
                        if code != codes::SUCC {
                            return Err(Error::new(code, desc));
                        }
                        return v2tim_proto::decode_data::<LoginAck>(&data).map_err(|e| {
                            Error::new(codes::ERR_PARSE_RESPONSE_FAILED, e.to_string())
                        });
                    }
                }
            }
            Err(Error::new(
                codes::ERR_SDK_NET_DISCONNECT,
                "the server closed the connection during login",
            ))
        };
        let ack = tokio::time::timeout(LOGIN_TIMEOUT, answer)
            .await
            .map_err(|_| {
                Error::new(
                    codes::ERR_SDK_NET_WAIT_ACK_TIMEOUT,
                    "the server did not answer the login",
                )
            })??;
        if self.last_seq.is_none() {
            // A device that never synced starts at the present; the past is history.
            self.last_seq = Some(ack.head_seq);
        }
        Ok((sink, stream, ack))
    }

    /// Waits `d` before the next connection attempt, still taking commands.
    async fn pause(&mut self, d: Duration) -> Option<End> {
        self.expire(Instant::now());
        let sleep = tokio::time::sleep(d);
        tokio::pin!(sleep);
        loop {
            tokio::select! {
                _ = &mut sleep => return None,
                cmd = self.rx.recv() => match cmd {
                    Some(Cmd::Call(call)) => self.waiting.push_back(call),
                    Some(Cmd::Logout(done)) => {
                        self.logout_done = Some(done);
                        return Some(End::Logout);
                    }
                    None => return Some(End::Closed),
                },
            }
        }
    }

    async fn serve(&mut self, mut sink: WsSink, mut stream: WsStream) -> Flow {
        if let Err(flow) = self.resume(&mut sink).await {
            if matches!(flow, Flow::Reconnect) {
                self.requeue_in_flight();
            }
            return flow;
        }
        let mut last_heard = Instant::now();
        let mut ping_sent: Option<Instant> = None;
        // Since when something has been in flight with nothing heard.
        let mut awaiting_since: Option<Instant> = None;
        // One timer for the whole connection, moved only when its deadline changes: a
        // new timer per frame would cost a timer-wheel insert and removal each.
        let timer = tokio::time::sleep_until(self.next_wake(last_heard, ping_sent, awaiting_since));
        tokio::pin!(timer);
        loop {
            let wake = self.next_wake(last_heard, ping_sent, awaiting_since);
            if timer.deadline() != wake {
                timer.as_mut().reset(wake);
            }
            let step = tokio::select! {
                cmd = self.rx.recv() => self.on_command(&mut sink, cmd).await,
                frame = stream.next() => {
                    last_heard = Instant::now();
                    ping_sent = None;
                    awaiting_since = None;
                    self.on_frame(&mut sink, frame).await
                }
                _ = &mut timer => {
                    let now = Instant::now();
                    self.expire(now);
                    let probe_due = awaiting_since.is_some_and(|t| now >= t + PROBE_AFTER)
                        || now >= last_heard + HEARTBEAT;
                    if ping_sent.is_some_and(|t| now >= t + PING_TIMEOUT) {
                        tracing::info!("no answer from the server for {:?}; reconnecting", now - last_heard);
                        Err(Flow::Reconnect)
                    } else if ping_sent.is_none() && probe_due {
                        ping_sent = Some(now);
                        let id = self.take_id();
                        self.send(&mut sink, ClientFrame { id, req: Request::Ping }).await
                    } else {
                        Ok(())
                    }
                }
            };
            if awaiting_since.is_none() && !self.in_flight.is_empty() {
                awaiting_since = Some(Instant::now());
            }
            if let Err(flow) = step {
                if matches!(flow, Flow::Reconnect) {
                    self.requeue_in_flight();
                }
                let _ = sink.close().await;
                return flow;
            }
        }
    }

    /// When the session must next look at its timers: the ping's deadline, else the next
    /// probe (a request unanswered in silence) or heartbeat, and the calls' deadlines while
    /// there are calls. Nothing else wakes an idle connection.
    fn next_wake(
        &self,
        last_heard: Instant,
        ping_sent: Option<Instant>,
        awaiting_since: Option<Instant>,
    ) -> Instant {
        let probe = match ping_sent {
            Some(t) => t + PING_TIMEOUT,
            None => {
                let heartbeat = last_heard + HEARTBEAT;
                awaiting_since.map_or(heartbeat, |t| heartbeat.min(t + PROBE_AFTER))
            }
        };
        if self.in_flight.is_empty() && self.waiting.is_empty() {
            probe
        } else {
            probe.min(Instant::now() + EXPIRY_CHECK)
        }
    }

    /// After a (re)login: send what waited, then catch up on the sync sequence.
    async fn resume(&mut self, sink: &mut WsSink) -> std::result::Result<(), Flow> {
        self.syncing = false;
        self.send_waiting(sink).await?;
        self.request_sync(sink).await
    }

    fn calls_in_flight(&self) -> usize {
        self.in_flight
            .values()
            .filter(|f| matches!(f, InFlight::Call(_)))
            .count()
    }

    /// Sends waiting calls, oldest first, while fewer than [`MAX_IN_FLIGHT`] are in flight.
    async fn send_waiting(&mut self, sink: &mut WsSink) -> std::result::Result<(), Flow> {
        while self.calls_in_flight() < MAX_IN_FLIGHT {
            let Some(call) = self.waiting.pop_front() else {
                break;
            };
            self.send_call(sink, call).await?;
        }
        Ok(())
    }

    async fn send(
        &mut self,
        sink: &mut WsSink,
        frame: ClientFrame,
    ) -> std::result::Result<(), Flow> {
        sink.send(WsMessage::Text(frame.encode()))
            .await
            .map_err(|_| Flow::Reconnect)
    }

    async fn send_call(&mut self, sink: &mut WsSink, call: Call) -> std::result::Result<(), Flow> {
        let id = self.take_id();
        let frame = ClientFrame {
            id,
            req: (*call.req).clone(),
        };
        let text = frame.encode();
        if text.len() > limits::MAX_FRAME_BYTES {
            let _ = call.reply.send(Err(Error::new(
                codes::ERR_SDK_NET_PKG_SIZE_LIMIT,
                format!(
                    "the request is {} bytes; the limit is {} bytes",
                    text.len(),
                    limits::MAX_FRAME_BYTES
                ),
            )));
            return Ok(());
        }
        self.in_flight.insert(id, InFlight::Call(call));
        sink.send(WsMessage::Text(text))
            .await
            .map_err(|_| Flow::Reconnect)
    }

    async fn request_sync(&mut self, sink: &mut WsSink) -> std::result::Result<(), Flow> {
        if self.syncing {
            return Ok(());
        }
        self.syncing = true;
        let id = self.take_id();
        self.in_flight.insert(id, InFlight::Sync);
        let after_seq = self.last_seq.unwrap_or(0);
        self.send(
            sink,
            ClientFrame {
                id,
                req: Request::Sync {
                    after_seq,
                    limit: limits::MAX_SYNC_PAGE,
                },
            },
        )
        .await
    }

    async fn on_command(
        &mut self,
        sink: &mut WsSink,
        cmd: Option<Cmd>,
    ) -> std::result::Result<(), Flow> {
        match cmd {
            Some(Cmd::Call(call)) => {
                self.waiting.push_back(call);
                self.send_waiting(sink).await
            }
            Some(Cmd::Logout(done)) => {
                self.logout_done = Some(done);
                let id = self.take_id();
                // Best effort: the session ends whether or not the server hears it.
                let _ = tokio::time::timeout(
                    LOGOUT_GRACE,
                    sink.send(WsMessage::Text(
                        ClientFrame {
                            id,
                            req: Request::Logout,
                        }
                        .encode(),
                    )),
                )
                .await;
                Err(Flow::End(End::Logout))
            }
            None => Err(Flow::End(End::Closed)),
        }
    }

    async fn on_frame(
        &mut self,
        sink: &mut WsSink,
        frame: Option<std::result::Result<WsMessage, WsError>>,
    ) -> std::result::Result<(), Flow> {
        let text = match frame {
            Some(Ok(WsMessage::Text(text))) => text,
            Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => return Err(Flow::Reconnect),
            Some(Ok(_)) => return Ok(()),
        };
        match ServerFrame::decode(&text) {
            Ok(ServerFrame::Res {
                id,
                code,
                desc,
                data,
            }) => self.on_answer(sink, id, code, desc, data).await,
            Ok(ServerFrame::Push {
                push: Push::Event { event, prev },
            }) => self.on_push(sink, event, prev).await,
            Ok(ServerFrame::Push {
                push: Push::Kicked { reason },
            }) => {
                tracing::info!("signed out by the server: {reason}");
                Err(Flow::End(End::Kicked))
            }
            Ok(ServerFrame::Push {
                push: Push::UserSigExpired,
            }) => Err(Flow::End(End::SigExpired)),
            Ok(ServerFrame::Push {
                push: Push::ConversationRead { conv },
            }) => {
                self.host(|h| h.conversation_read(conv));
                Ok(())
            }
            Ok(ServerFrame::Push {
                push: Push::SelfInfoUpdated { info },
            }) => {
                self.host(|h| h.self_info_updated(info));
                Ok(())
            }
            Ok(ServerFrame::Push {
                push: Push::OnlineMessage { msg },
            }) => {
                let user = self.p.user_id.clone();
                self.host(|h| h.online_message(&user, msg));
                Ok(())
            }
            Err(e) => {
                tracing::warn!("ignoring an undecodable frame: {e}");
                Ok(())
            }
        }
    }

    async fn on_answer(
        &mut self,
        sink: &mut WsSink,
        id: u64,
        code: i32,
        desc: String,
        data: v2tim_proto::AnswerData,
    ) -> std::result::Result<(), Flow> {
        match self.in_flight.remove(&id) {
            Some(InFlight::Call(call)) => {
                let result = if code == codes::SUCC {
                    Ok(data)
                } else {
                    Err(Error::new(code, desc))
                };
                let _ = call.reply.send(result);
                self.send_waiting(sink).await
            }
            Some(InFlight::Sync) => {
                self.syncing = false;
                if code != codes::SUCC {
                    tracing::warn!("sync refused: {desc} ({code})");
                    return Err(Flow::Reconnect);
                }
                let page: SyncPage =
                    v2tim_proto::decode_data(&data).map_err(|_| Flow::Reconnect)?;
                let last = self.last_seq.unwrap_or(0);
                let fresh: Vec<Event> = page.events.into_iter().filter(|e| e.seq > last).collect();
                // The page holds everything of the sequence up to its head.
                let upto = fresh.last().map_or(last, |e| e.seq).max(page.head_seq);
                self.apply(fresh, upto);
                self.drain_buffer();
                if page.more || !self.buffer.is_empty() {
                    self.request_sync(sink).await?;
                }
                Ok(())
            }
            None => Ok(()),
        }
    }

    async fn on_push(
        &mut self,
        sink: &mut WsSink,
        event: Event,
        prev: u64,
    ) -> std::result::Result<(), Flow> {
        let last = self.last_seq.unwrap_or(0);
        if event.seq <= last {
            return Ok(());
        }
        if prev <= last && !self.syncing {
            let seq = event.seq;
            self.apply(vec![event], seq);
            self.drain_buffer();
            return Ok(());
        }
        self.buffer.insert(event.seq, (prev, event));
        self.request_sync(sink).await
    }

    /// Applies the buffered events that now follow `last_seq`, in order.
    fn drain_buffer(&mut self) {
        let mut ready = Vec::new();
        let mut last = self.last_seq.unwrap_or(0);
        while let Some(entry) = self.buffer.first_entry() {
            if *entry.key() <= last {
                entry.remove();
            } else if entry.get().0 <= last {
                last = *entry.key();
                ready.push(entry.remove().1);
            } else {
                break;
            }
        }
        self.apply(ready, last);
    }

    /// Applies events that directly follow `last_seq`, in order, and moves `last_seq` to
    /// `upto` (the newest of them, or further when the sequence has nothing in between).
    fn apply(&mut self, events: Vec<Event>, upto: u64) {
        if self.last_seq.is_some_and(|l| l >= upto) && events.is_empty() {
            return;
        }
        self.last_seq = Some(upto);
        let user = self.p.user_id.clone();
        self.host(|h| h.apply_events(&user, events, upto));
    }

    /// On a lost connection: keep what can safely be sent again, fail the rest (the server
    /// may or may not have acted on it, and the caller must know).
    fn requeue_in_flight(&mut self) {
        let mut calls: Vec<(u64, Call)> = self
            .in_flight
            .drain()
            .filter_map(|(id, f)| match f {
                InFlight::Call(c) => Some((id, c)),
                _ => None,
            })
            .collect();
        calls.sort_by_key(|(id, _)| *id);
        for (_, call) in calls.into_iter().rev() {
            if is_retry_safe(&call.req) {
                self.waiting.push_front(call);
            } else {
                let _ = call.reply.send(Err(Error::new(
                    codes::ERR_SDK_NET_DISCONNECT,
                    "the connection was lost before the server answered; the request may or may not have taken effect",
                )));
            }
        }
    }

    fn expire(&mut self, now: Instant) {
        let timeout = || {
            Error::new(
                codes::ERR_SDK_NET_WAIT_ACK_TIMEOUT,
                "the server did not answer in time",
            )
        };
        let (late, keep): (VecDeque<Call>, VecDeque<Call>) =
            self.waiting.drain(..).partition(|c| c.deadline <= now);
        self.waiting = keep;
        for call in late {
            let _ = call.reply.send(Err(timeout()));
        }
        let late: Vec<u64> = self
            .in_flight
            .iter()
            .filter_map(|(id, f)| {
                matches!(f, InFlight::Call(c) if c.deadline <= now).then_some(*id)
            })
            .collect();
        for id in late {
            if let Some(InFlight::Call(call)) = self.in_flight.remove(&id) {
                let _ = call.reply.send(Err(timeout()));
            }
        }
    }
}
