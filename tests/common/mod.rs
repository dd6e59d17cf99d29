//! Helpers shared by the integration tests: real servers (in-process on 127.0.0.1:0, or a
//! separate `v2tim-server` process), real SDK managers, and blocking waits with timeouts.
#![allow(dead_code)]

pub mod chaos;
pub mod server_log;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};
use v2tim::core::{
    AdvancedMsgListener, Completion, Error, Manager, Message, SdkConfig, SdkListener, UserFullInfo,
};

pub const APP: u32 = 1_400_000_001;
pub const KEY: &str = "test-secret-key-0123456789";
pub const WAIT: Duration = Duration::from_secs(15);

/// Runs an SDK call and waits for its completion.
pub fn wait<T: Send + 'static>(call: impl FnOnce(Completion<T>)) -> Result<T, Error> {
    let (tx, rx) = std::sync::mpsc::channel();
    call(Box::new(move |r| {
        let _ = tx.send(r);
    }));
    rx.recv_timeout(WAIT)
        .expect("the SDK did not complete the call in time")
}

pub fn sig(user: &str) -> String {
    v2tim::core::gen_user_sig(APP, KEY, user, 3600)
}

/// A manager logged in as `user` on `url` (None = embedded server of app `app`).
pub fn login_to(url: Option<&str>, app: u32, user: &str) -> Manager {
    let m = Manager::new();
    let config = SdkConfig {
        server_url: url.map(str::to_owned),
        secret_key: Some(KEY.into()),
        ..SdkConfig::default()
    };
    m.init_sdk(app, config).expect("init");
    let s = v2tim::core::gen_user_sig(app, KEY, user, 3600);
    wait(|d| m.login(user, &s, d)).unwrap_or_else(|e| panic!("login {user}: {e}"));
    m
}

pub fn login(url: &str, user: &str) -> Manager {
    login_to(Some(url), APP, user)
}

pub fn revoke(m: &Manager, msg: &Message, reason: &str) -> Result<(), Error> {
    wait(|d| m.revoke_message(msg, reason, d))
}

pub fn send_text(m: &Manager, to: &str, group: &str, text: &str) -> Result<Message, Error> {
    let msg = m.create_text_message(text)?;
    wait(|d| m.send_message(&msg, to, group, 0, d))
}

/// One `on_recv_message_revoked` as heard by a listener.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recall {
    pub msg_id: String,
    pub operator: String,
    pub reason: String,
}

/// Records what a listener receives, and lets a test wait for it.
#[derive(Default)]
pub struct Inbox {
    items: Mutex<Vec<Message>>,
    recalls: Mutex<Vec<Recall>>,
    cv: Condvar,
}

impl Inbox {
    pub fn attach(m: &Manager) -> Arc<Inbox> {
        let inbox = Arc::new(Inbox::default());
        m.add_advanced_msg_listener(inbox.key(), inbox.clone());
        inbox
    }

    pub fn detach(&self, m: &Manager) {
        m.remove_advanced_msg_listener(self.key());
    }

    fn key(&self) -> v2tim::core::ListenerKey {
        [self as *const Inbox as usize, 0, 0, 0, 0, 0, 0, 0]
    }

    /// Waits until at least `n` messages arrived; returns them all.
    pub fn wait_for(&self, n: usize) -> Vec<Message> {
        let deadline = Instant::now() + WAIT;
        let mut items = self.items.lock();
        while items.len() < n {
            if self.cv.wait_until(&mut items, deadline).timed_out() {
                panic!(
                    "expected {n} messages, got {}: {:?}",
                    items.len(),
                    texts(&items)
                );
            }
        }
        items.clone()
    }

    pub fn texts(&self) -> Vec<String> {
        texts(&self.items.lock())
    }

    pub fn len(&self) -> usize {
        self.items.lock().len()
    }

    /// Waits until at least `n` recalls were reported; returns them all.
    pub fn wait_recalls(&self, n: usize) -> Vec<Recall> {
        let deadline = Instant::now() + WAIT;
        let mut recalls = self.recalls.lock();
        while recalls.len() < n {
            if self.cv.wait_until(&mut recalls, deadline).timed_out() {
                panic!("expected {n} recalls, got {:?}", *recalls);
            }
        }
        recalls.clone()
    }

    pub fn recalls(&self) -> Vec<Recall> {
        self.recalls.lock().clone()
    }
}

pub fn texts(msgs: &[Message]) -> Vec<String> {
    msgs.iter().map(|m| m.text()).collect()
}

impl AdvancedMsgListener for Inbox {
    /// Group tips (the server's notes of membership changes) are left out: the tests of
    /// them (tests/groups.rs) listen for them.
    fn on_recv_new_message(&self, msg: &Message) {
        if msg.group_tips().is_some() {
            return;
        }
        self.items.lock().push(msg.clone());
        self.cv.notify_all();
    }
    fn on_recv_message_revoked(&self, msg_id: &str, operator: &UserFullInfo, reason: &str) {
        self.recalls.lock().push(Recall {
            msg_id: msg_id.into(),
            operator: operator.user_id.clone(),
            reason: reason.into(),
        });
        self.cv.notify_all();
    }
}

/// Records SDK listener events by name.
#[derive(Default)]
pub struct SdkEvents {
    pub events: Mutex<Vec<String>>,
    cv: Condvar,
}

impl SdkEvents {
    pub fn attach(m: &Manager) -> Arc<SdkEvents> {
        let e = Arc::new(SdkEvents::default());
        m.add_sdk_listener([Arc::as_ptr(&e) as usize, 1, 0, 0, 0, 0, 0, 0], e.clone());
        e
    }

    fn push(&self, what: String) {
        self.events.lock().push(what);
        self.cv.notify_all();
    }

    pub fn wait_for(&self, what: &str) {
        let deadline = Instant::now() + WAIT;
        let mut ev = self.events.lock();
        while !ev.iter().any(|e| e == what) {
            if self.cv.wait_until(&mut ev, deadline).timed_out() {
                panic!("no {what} event; got {:?}", *ev);
            }
        }
    }

    pub fn count(&self, what: &str) -> usize {
        self.events.lock().iter().filter(|e| *e == what).count()
    }
}

impl SdkListener for SdkEvents {
    fn on_connecting(&self) {
        self.push("connecting".into())
    }
    fn on_connect_success(&self) {
        self.push("connect_success".into())
    }
    fn on_connect_failed(&self, code: i32, _: &str) {
        self.push(format!("connect_failed:{code}"))
    }
    fn on_kicked_offline(&self) {
        self.push("kicked".into())
    }
    fn on_user_sig_expired(&self) {
        self.push("sig_expired".into())
    }
}

/// A server in this process, on 127.0.0.1 with an OS-chosen port.
pub struct LocalServer {
    pub url: String,
    pub server: Arc<v2tim_server::Server>,
    /// The runtime the server and its listeners run on.
    pub rt: tokio::runtime::Runtime,
}

impl LocalServer {
    pub fn start(data_dir: Option<&Path>) -> LocalServer {
        Self::start_with(data_dir, KEY)
    }

    pub fn start_with(data_dir: Option<&Path>, key: &str) -> LocalServer {
        Self::start_config(|c| {
            c.apps[0].secret_key = Some(key.into());
            c.data_dir = data_dir.map(Path::to_path_buf);
        })
    }

    /// A server whose default config (app `APP` with key `KEY`, in memory) `tune` adjusts.
    pub fn start_config(tune: impl FnOnce(&mut v2tim_server::ServerConfig)) -> LocalServer {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mut config = v2tim_server::ServerConfig {
            apps: vec![v2tim_server::AppConfig {
                sdk_app_id: APP,
                secret_key: Some(KEY.into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        tune(&mut config);
        let server = v2tim_server::Server::open(config).expect("server opens");
        let addr = rt
            .block_on(server.listen("127.0.0.1:0".parse().unwrap()))
            .expect("listen");
        LocalServer {
            url: format!("ws://{addr}"),
            server,
            rt,
        }
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.server.shutdown();
    }
}

/// The `v2tim-server` binary next to the test executable (cargo builds it for the
/// workspace's tests).
pub fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let bin = dir.join("v2tim-server");
    if !bin.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "v2tim-server", "--bin", "v2tim-server"])
            .status()
            .unwrap();
        assert!(status.success(), "building v2tim-server failed");
    }
    bin
}

/// A `v2tim-server` process; its log goes to the test's [`server_log::ServerLog`].
pub struct ServerProcess {
    pub child: Child,
    pub addr: String,
    log: server_log::ServerLog,
}

impl ServerProcess {
    /// Starts the binary on `listen` ("127.0.0.1:0" for any port) and waits for its
    /// "listening on ADDR" line.
    pub fn start(data_dir: &Path, listen: &str) -> ServerProcess {
        Self::start_args(
            listen,
            [std::ffi::OsStr::new("--data-dir"), data_dir.as_os_str()],
        )
    }

    /// A node of a cluster: its storage in the PostgreSQL database `database_url`, its
    /// notices through the NATS server `broker_url`.
    pub fn start_node(
        listen: &str,
        database_url: &str,
        broker_url: &str,
        node_id: &str,
    ) -> ServerProcess {
        Self::start_args(
            listen,
            [
                "--database",
                database_url,
                "--broker",
                broker_url,
                "--node-id",
                node_id,
            ],
        )
    }

    /// Starts the binary on `listen` with the storage arguments `storage`.
    pub fn start_args<I, S>(listen: &str, storage: I) -> ServerProcess
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let log = server_log::ServerLog::for_this_test();
        let mut child = Command::new(server_binary())
            .args(["--listen", listen])
            .args(storage)
            .args(["--app", &format!("{APP}:{KEY}")])
            .stdout(Stdio::piped())
            .stderr(log.stdio())
            .spawn()
            .expect("start v2tim-server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| {
                panic!(
                    "unexpected first line {line:?}; log: {}",
                    log.path.display()
                )
            })
            .to_string();
        ServerProcess { child, addr, log }
    }

    pub fn url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// SIGKILL: no chance to flush anything.
    pub fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.log.show_if_failing();
    }
}

/// Polls `cond` until it holds or `WAIT` passes.
pub fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A TCP proxy on 127.0.0.1 in front of a server, that can cut every connection through
/// it and refuse new ones: a network outage a test controls.
pub struct Proxy {
    pub url: String,
    down: Arc<std::sync::atomic::AtomicBool>,
    /// While set, bytes from the server are swallowed: answers get "lost".
    muted: Arc<std::sync::atomic::AtomicBool>,
    cut: tokio::sync::watch::Sender<u64>,
    faults: Arc<Faults>,
    _rt: tokio::runtime::Runtime,
}

/// Faults the [`Proxy`] injects on request, beyond outages and muting.
struct Faults {
    /// Bytes client -> server still forwarded before the connection carrying the next one
    /// is cut (after forwarding the allowed prefix of its chunk); negative: no limit.
    up_budget: std::sync::atomic::AtomicI64,
    /// The same, server -> client.
    down_budget: std::sync::atomic::AtomicI64,
    /// Connections numbered below this are black-holed: bytes both ways are read and
    /// dropped, and the sockets stay open (no FIN, no RST).
    stall_below: std::sync::atomic::AtomicU64,
    /// Connections accepted so far.
    accepted: std::sync::atomic::AtomicU64,
    /// Connections cut by a byte budget so far.
    budget_cuts: std::sync::atomic::AtomicU64,
}

impl Faults {
    fn new() -> Faults {
        Faults {
            up_budget: (-1).into(),
            down_budget: (-1).into(),
            stall_below: 0.into(),
            accepted: 0.into(),
            budget_cuts: 0.into(),
        }
    }
}

/// Forwards `r` to `w` until either side ends, honoring mute, stall and byte budget.
async fn pump(
    mut r: tokio::net::tcp::OwnedReadHalf,
    mut w: tokio::net::tcp::OwnedWriteHalf,
    muted: Option<Arc<std::sync::atomic::AtomicBool>>,
    faults: Arc<Faults>,
    up: bool,
    conn_no: u64,
) {
    use std::sync::atomic::Ordering;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match r.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if conn_no < faults.stall_below.load(Ordering::SeqCst) {
            continue;
        }
        if muted.as_ref().is_some_and(|m| m.load(Ordering::SeqCst)) {
            continue;
        }
        let budget = if up {
            &faults.up_budget
        } else {
            &faults.down_budget
        };
        let left = budget.load(Ordering::SeqCst);
        if left >= 0 {
            if n as i64 > left {
                budget.store(-1, Ordering::SeqCst);
                faults.budget_cuts.fetch_add(1, Ordering::SeqCst);
                let _ = w.write_all(&buf[..left as usize]).await;
                let _ = w.flush().await;
                return; // ends the connection: both sockets are dropped
            }
            budget.fetch_sub(n as i64, Ordering::SeqCst);
        }
        if w.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

impl Proxy {
    pub fn start(target_url: &str) -> Proxy {
        use std::sync::atomic::{AtomicBool, Ordering};
        let target = target_url.trim_start_matches("ws://").to_string();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("ws://{}", listener.local_addr().unwrap());
        let down = Arc::new(AtomicBool::new(false));
        let muted = Arc::new(AtomicBool::new(false));
        let (cut, cut_rx) = tokio::sync::watch::channel(0u64);
        let (down2, muted2) = (down.clone(), muted.clone());
        let faults = Arc::new(Faults::new());
        let faults2 = faults.clone();
        rt.spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                if down2.load(Ordering::SeqCst) {
                    continue; // dropping the socket refuses the connection
                }
                let target = target.clone();
                let mut cut_rx = cut_rx.clone();
                cut_rx.mark_unchanged();
                let muted = muted2.clone();
                let faults = faults2.clone();
                let conn_no = faults.accepted.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let Ok(server) = tokio::net::TcpStream::connect(&target).await else {
                        return;
                    };
                    let (cr, cw) = client.into_split();
                    let (sr, sw) = server.into_split();
                    let up = pump(cr, sw, None, faults.clone(), true, conn_no);
                    let down = pump(sr, cw, Some(muted), faults, false, conn_no);
                    tokio::select! {
                        _ = up => {}
                        _ = down => {}
                        _ = cut_rx.changed() => {}
                    }
                });
            }
        });
        Proxy {
            url,
            down,
            muted,
            cut,
            faults,
            _rt: rt,
        }
    }

    /// Lets the next `bytes` bytes from clients through, then cuts the connection that
    /// carries more, right after forwarding its first `bytes` (mid-frame for a small
    /// `bytes`). One cut per call.
    pub fn cut_up_after(&self, bytes: i64) {
        self.faults
            .up_budget
            .store(bytes, std::sync::atomic::Ordering::SeqCst);
    }

    /// The same for bytes from the server: an answer or push cut mid-frame.
    pub fn cut_down_after(&self, bytes: i64) {
        self.faults
            .down_budget
            .store(bytes, std::sync::atomic::Ordering::SeqCst);
    }

    /// Black-holes every connection open now: both directions are silently dropped and the
    /// sockets stay open, as when a network path dies without a FIN or RST. New
    /// connections pass normally.
    pub fn stall(&self) {
        use std::sync::atomic::Ordering;
        let n = self.faults.accepted.load(Ordering::SeqCst);
        self.faults.stall_below.store(n, Ordering::SeqCst);
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> u64 {
        self.faults
            .accepted
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Connections cut by [`Proxy::cut_up_after`] / [`Proxy::cut_down_after`] so far.
    pub fn budget_cuts(&self) -> u64 {
        self.faults
            .budget_cuts
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Swallows everything the server sends until the next [`Proxy::fail`].
    pub fn mute(&self) {
        self.muted.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Cuts every open connection and refuses new ones until [`Proxy::restore`].
    pub fn fail(&self) {
        self.muted.store(false, std::sync::atomic::Ordering::SeqCst);
        self.down.store(true, std::sync::atomic::Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    pub fn restore(&self) {
        self.down.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}
