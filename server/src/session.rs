//! One connection: WebSocket handshake, login, then requests in and frames out until the
//! connection ends.
//!
//! The session task reads the socket and keeps the connection's deadlines (login, idle,
//! UserSig expiry); a writer task of its own drains the connection's [`Outbox`] queue to
//! the socket. So a client that does not read can block only the writer: its deadlines
//! still fire, and the writer itself gives up after `limits.write_timeout_secs` without
//! progress. Requests that touch state go to the storage thread, whose answers (and
//! pushes from other connections' requests) come back through the queue, so everything
//! the client receives is in commit order.

use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;
use v2tim_proto::codes;
use v2tim_proto::frames::Pong;
use v2tim_proto::limits::MAX_FRAME_BYTES;
use v2tim_proto::{ClientFrame, Push, Request, ServerFrame};

use crate::admission::Ticket;
use crate::clock::{now_ms, now_secs};
use crate::handlers::{Cmd, Ctx, Op, Writes};
use crate::metered::{self, Metered};
use crate::outbox::{Outbound, Outbox, OutboxRx};
use crate::rules;
use crate::Server;

/// Requests of one connection queued for storage and not yet answered. At the limit the
/// session stops reading the socket until an answer is queued, so a client that floods
/// requests is slowed down by TCP instead of filling the storage queue ahead of everyone
/// else's requests (which are served in arrival order).
pub(crate) const MAX_IN_FLIGHT: usize = 64;
/// How long a closing connection's writer may take for its last frames and the close.
const CLOSE_GRACE: Duration = Duration::from_secs(2);
/// tungstenite buffers this much before writing to the socket (its default is 128 KiB);
/// the writer flushes whenever its queue is empty, so this is per-connection memory only.
const WRITE_BUFFER_BYTES: usize = 16 * 1024;

/// Incoming frames above [`MAX_FRAME_BYTES`] fail the read (tungstenite checks the header
/// before buffering the payload), which closes only this connection. Before login the
/// pre-login byte budget ([`metered`]) is far lower.
pub(crate) fn ws_config() -> WebSocketConfig {
    WebSocketConfig {
        max_message_size: Some(MAX_FRAME_BYTES),
        max_frame_size: Some(MAX_FRAME_BYTES),
        write_buffer_size: WRITE_BUFFER_BYTES,
        ..WebSocketConfig::default()
    }
}

struct LoggedIn {
    app: u32,
    user: String,
    /// When the UserSig expires (None when the app does not check UserSigs).
    sig_deadline: Option<Instant>,
}

struct Session {
    server: Arc<Server>,
    conn_id: u64,
    outbox: Outbox,
    login: Option<LoggedIn>,
    /// Set once logout was requested: later requests are refused.
    closing: bool,
    /// The connection's in-flight budget, and the slot held for the next request read.
    in_flight: Arc<Semaphore>,
    slot: Option<OwnedSemaphorePermit>,
    /// The admission slot of a connection accepted by a listener (none in embedded mode).
    ticket: Option<Ticket>,
    prelogin: metered::Budget,
    /// Set when a login was refused for too many failed logins from the address.
    refused_for_rate: bool,
    /// Writes submitted and not yet answered (reads wait behind them, see `Writes`).
    writes: Writes,
}

/// Why the session loop ended early: what to tell the client before closing.
enum Ending {
    /// Frame too large: error answer plus close code 1009.
    TooLarge,
    SigExpired,
    LoginTimeout,
    /// Nothing heard for `idle_timeout_secs`.
    Idle,
    /// Too many failed logins from the address.
    LoginRate,
    Shutdown,
}

/// Serves one connection whose login must be answered by `deadline` (counted from the
/// accept, so TLS and WebSocket handshakes are inside it).
pub(crate) async fn run<S>(
    server: Arc<Server>,
    stream: S,
    ticket: Option<Ticket>,
    deadline: Instant,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut shutdown = server.shutdown_signal();
    if *shutdown.borrow() {
        return;
    }
    let limits = &server.config().limits;
    let prelogin = metered::Budget::new(limits.prelogin_max_bytes);
    let write_timeout = limits.write_timeout();
    let stream = Metered::new(stream, prelogin.clone());
    let accept = tokio_tungstenite::accept_async_with_config(stream, Some(ws_config()));
    let ws = match tokio::time::timeout_at(deadline, accept).await {
        Ok(Ok(ws)) => ws,
        Ok(Err(e)) => {
            tracing::debug!("websocket handshake failed: {e}");
            return;
        }
        Err(_) => {
            tracing::debug!("websocket handshake timed out");
            return;
        }
    };
    let (sink, mut incoming_frames) = ws.split();
    let (outbox, out_rx) = server.buffers().outbox();
    let mut writer = tokio::spawn(write_frames(sink, out_rx, write_timeout));
    let mut s = Session {
        conn_id: server.next_conn_id(),
        server,
        outbox,
        login: None,
        closing: false,
        in_flight: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
        slot: None,
        ticket,
        prelogin,
        refused_for_rate: false,
        writes: Writes::default(),
    };
    let idle_timeout = match s.server.config().idle_timeout_secs {
        0 => None,
        secs => Some(Duration::from_secs(secs)),
    };
    let mut last_heard = Instant::now();
    let mut writer_done = false;

    let ending = loop {
        let deadline = match &s.login {
            None => Some(deadline),
            Some(l) => l.sig_deadline,
        };
        // Only while a frame may be read: a client held back by its in-flight limit is
        // waiting for us, not idle.
        let idle_deadline = idle_timeout
            .filter(|_| s.login.is_some() && s.slot.is_some())
            .map(|t| last_heard + t);
        tokio::select! {
            // The writer ended: the socket failed, the client stopped reading, or a close
            // (logout, kick, cut-off) was written.
            _ = &mut writer => {
                writer_done = true;
                break None;
            }
            // A frame is read only with a free in-flight slot in hand.
            slot = s.in_flight.clone().acquire_owned(), if s.slot.is_none() => {
                s.slot = slot.ok();
                last_heard = Instant::now();
            }
            incoming = incoming_frames.next(), if s.slot.is_some() => {
                // Any frame counts, pings included.
                last_heard = Instant::now();
                match incoming {
                    None => break None,
                    Some(Ok(Message::Text(t))) => {
                        s.on_text(&t).await;
                        if s.refused_for_rate {
                            break Some(Ending::LoginRate);
                        }
                    }
                    Some(Ok(Message::Binary(_))) => s.reply_err(
                        0,
                        codes::ERR_SVR_COMM_INVALID_REQUEST,
                        "binary frames are not supported; send JSON in text frames",
                    ),
                    // Ping/pong are answered by tungstenite; a close is answered on the next poll,
                    // which then ends the stream.
                    Some(Ok(_)) => {}
                    Some(Err(WsError::Capacity(e))) => {
                        tracing::info!(conn = s.conn_id, "closing connection: {e}");
                        break Some(Ending::TooLarge);
                    }
                    Some(Err(e)) => {
                        tracing::debug!(conn = s.conn_id, "connection ended: {e}");
                        break None;
                    }
                }
            }
            _ = sleep_until_opt(deadline), if deadline.is_some() => {
                break Some(if s.login.is_some() { Ending::SigExpired } else { Ending::LoginTimeout });
            }
            _ = sleep_until_opt(idle_deadline), if idle_deadline.is_some() => {
                tracing::info!(conn = s.conn_id, "closing connection: nothing heard for {:?}", idle_timeout.unwrap_or_default());
                break Some(Ending::Idle);
            }
            _ = shutdown.changed() => break Some(Ending::Shutdown),
        }
    };
    if let Some(l) = &s.login {
        s.server.registry().unregister(l.app, &l.user, s.conn_id);
    }
    if let Some(ending) = ending {
        let _ = s.outbox.send(closing(ending));
    } else {
        s.outbox.cut_off();
    }
    // The writer gets a moment for the last frames; a client that does not read them
    // does not keep the connection open.
    if !writer_done
        && tokio::time::timeout(CLOSE_GRACE, &mut writer)
            .await
            .is_err()
    {
        writer.abort();
        // Its socket half and queue are gone before the connection's slot is given back.
        let _ = writer.await;
    }
}

async fn sleep_until_opt(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// What the writer sends before closing a connection the session ended.
fn closing(ending: Ending) -> Outbound {
    let (frame, code, reason) = match ending {
        Ending::TooLarge => (
            Some(ServerFrame::err(
                0,
                codes::ERR_SDK_NET_PKG_SIZE_LIMIT,
                format!("frame larger than {MAX_FRAME_BYTES} bytes; connection closed"),
            )),
            CloseCode::Size,
            "frame too large",
        ),
        Ending::SigExpired => (
            Some(ServerFrame::Push {
                push: Push::UserSigExpired,
            }),
            CloseCode::Policy,
            "UserSig expired",
        ),
        Ending::LoginTimeout => (None, CloseCode::Policy, "no login in time"),
        Ending::Idle => (None, CloseCode::Away, "nothing heard for too long"),
        Ending::LoginRate => (None, CloseCode::Policy, "too many failed logins"),
        Ending::Shutdown => (None, CloseCode::Away, "server shutting down"),
    };
    Outbound::Close {
        last: frame.map(|f| f.encode()),
        code: Some((code, reason)),
    }
}

type Sink<S> = SplitSink<WebSocketStream<Metered<S>>, Message>;

/// Writes the connection's queue to the socket until a close, a failed or stalled write,
/// or a cut-off. Frames are flushed whenever the queue is empty.
async fn write_frames<S>(mut sink: Sink<S>, mut rx: OutboxRx, write_timeout: Duration)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let cut = rx.cut_signal();
    loop {
        let out = tokio::select! {
            biased;
            _ = cut.cut() => return,
            out = rx.recv() => out,
        };
        // A fan-out's probe is dropped once its frame is written (or the write failed).
        let mut _probe = None;
        let (message, then_close) = match out {
            None => return,
            Some(Outbound::Text(t)) => (Message::Text(t), None),
            Some(Outbound::Tracked(t, probe)) => {
                _probe = Some(probe);
                (Message::Text(t), None)
            }
            Some(Outbound::Close { last, code }) => {
                if let Some(t) = last {
                    if sink.feed(Message::Text(t)).await.is_err() {
                        return;
                    }
                }
                let close = code.map(|(code, reason)| CloseFrame {
                    code,
                    reason: reason.into(),
                });
                (Message::Close(close), Some(()))
            }
        };
        let write = async {
            sink.feed(message).await?;
            if then_close.is_some() || rx.is_empty() {
                sink.flush().await?;
            }
            Ok::<(), WsError>(())
        };
        let written = tokio::select! {
            biased;
            _ = cut.cut() => return,
            w = tokio::time::timeout(write_timeout, write) => w,
        };
        match written {
            Ok(Ok(())) if then_close.is_none() => {}
            Ok(Ok(())) => return,
            Ok(Err(e)) => {
                tracing::debug!("write failed: {e}");
                return;
            }
            Err(_) => {
                tracing::info!("closing connection: the client read nothing for {write_timeout:?}");
                return;
            }
        }
    }
}

impl Session {
    fn reply(&self, frame: ServerFrame) {
        let _ = self.outbox.send(Outbound::Text(frame.encode()));
    }

    fn reply_err(&self, id: u64, code: i32, desc: impl Into<String>) {
        self.reply(ServerFrame::err(id, code, desc));
    }

    async fn on_text(&mut self, text: &str) {
        let frame = match ClientFrame::decode(text) {
            Ok(f) => f,
            Err(e) => {
                // Answer under the request's id when it can be read at all.
                let id = serde_json::from_str::<serde_json::Value>(text)
                    .ok()
                    .and_then(|v| v.get("id").and_then(serde_json::Value::as_u64))
                    .unwrap_or(0);
                self.reply_err(id, codes::ERR_SVR_COMM_INVALID_REQUEST, e.to_string());
                return;
            }
        };
        let id = frame.id;
        if self.closing {
            self.reply_err(id, codes::V2TIM_ERR_BAD_STATE, "the session is logging out");
            return;
        }
        match (&self.login, frame.req) {
            (
                None,
                Request::Login {
                    protocol,
                    sdk_app_id,
                    user_id,
                    user_sig,
                    device_id,
                    last_seq,
                },
            ) => {
                self.login(
                    id, protocol, sdk_app_id, user_id, user_sig, device_id, last_seq,
                )
                .await
            }
            (None, req) => self.reply_err(
                id,
                codes::V2TIM_ERR_BAD_STATE,
                format!("{} before login: the first request must be login", req.op()),
            ),
            (Some(_), Request::Login { .. }) => self.reply_err(
                id,
                codes::V2TIM_ERR_BAD_STATE,
                "already logged in on this connection",
            ),
            (Some(_), Request::Ping) => self.reply(ServerFrame::ok(
                id,
                &Pong {
                    server_time_ms: now_ms(),
                },
            )),
            (Some(l), Request::Logout) => {
                // Out of the registry first, so no push follows the logout answer.
                self.server
                    .registry()
                    .unregister(l.app, &l.user, self.conn_id);
                self.closing = true;
                self.submit(id, Op::Logout);
            }
            (Some(_), req) => self.submit(id, Op::Request(req)),
        }
    }

    fn ctx(&self) -> Option<Ctx> {
        let l = self.login.as_ref()?;
        Some(Ctx {
            app: l.app,
            user: l.user.clone(),
            conn_id: self.conn_id,
            outbox: self.outbox.clone(),
        })
    }

    fn submit(&mut self, req_id: u64, op: Op) {
        let Some(ctx) = self.ctx() else { return };
        let writing = (!op.is_read()).then(|| self.writes.start());
        if self
            .server
            .storage()
            .submit(Cmd {
                ctx,
                req_id,
                op,
                slot: self.slot.take(),
                writes: Some(self.writes.clone()),
                writing,
            })
            .is_err()
        {
            self.reply_err(
                req_id,
                codes::V2TIM_ERR_SHUTDOWN,
                "the server is shutting down",
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn login(
        &mut self,
        id: u64,
        protocol: u32,
        sdk_app_id: u32,
        user_id: String,
        user_sig: String,
        device_id: String,
        last_seq: Option<u64>,
    ) {
        if let Some(t) = &self.ticket {
            if !t.admission().login_allowed(t) {
                tracing::info!(conn = self.conn_id, user = %user_id, "login refused: too many failed logins from this address");
                self.reply_err(
                    id,
                    codes::ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT,
                    "too many failed logins from this address; try again in a minute",
                );
                self.refused_for_rate = true;
                return;
            }
        }
        let app = self.server.config().app(sdk_app_id);
        let sig_expire_at = match rules::check_login(
            app, protocol, sdk_app_id, &user_id, &user_sig, &device_id,
        ) {
            Ok(at) => at,
            Err(r) => {
                tracing::info!(conn = self.conn_id, user = %user_id, code = r.code, "login refused: {}", r.desc);
                if let Some(t) = &self.ticket {
                    t.admission().login_failed(t);
                }
                self.reply_err(id, r.code, r.desc);
                return;
            }
        };
        let (done, done_rx) = oneshot::channel();
        let ctx = Ctx {
            app: sdk_app_id,
            user: user_id.clone(),
            conn_id: self.conn_id,
            outbox: self.outbox.clone(),
        };
        let device_id = (!device_id.is_empty()).then_some(device_id);
        let op = Op::Login {
            device_id,
            sig_expire_at,
            done,
        };
        if self
            .server
            .storage()
            .submit(Cmd {
                ctx,
                req_id: id,
                op,
                slot: self.slot.take(),
                writes: None,
                writing: None,
            })
            .is_err()
        {
            self.reply_err(id, codes::V2TIM_ERR_SHUTDOWN, "the server is shutting down");
            return;
        }
        match done_rx.await {
            Ok(true) => {
                tracing::info!(conn = self.conn_id, app = sdk_app_id, user = %user_id, ?last_seq, "logged in");
                let sig_deadline = (sig_expire_at > 0).then(|| {
                    let left = u64::try_from(sig_expire_at - now_secs()).unwrap_or(0);
                    Instant::now() + Duration::from_secs(left)
                });
                self.prelogin.lift();
                if let Some(t) = &mut self.ticket {
                    t.logged_in();
                }
                self.login = Some(LoggedIn {
                    app: sdk_app_id,
                    user: user_id,
                    sig_deadline,
                });
            }
            Ok(false) => {}
            Err(_) => self.reply_err(id, codes::V2TIM_ERR_SHUTDOWN, "the server is shutting down"),
        }
    }
}
