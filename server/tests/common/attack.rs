//! Tools for the hardening tests (`tests/hardening.rs`): the real `v2tim-server` binary
//! under a low descriptor limit and memory cap, raw sockets from any 127.x.y.z source
//! address, hand-made WebSocket frames, and a logged-in pair of users that keeps chatting
//! while an attack runs.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, SocketAddr};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinHandle;

use super::server_log::ServerLog;
use super::{code, Client, APP, KEY, OPEN_APP};

/// A `v2tim-server` process started by `sh -c 'ulimit ...; exec ...'`.
pub struct Limited {
    child: Child,
    log: ServerLog,
    pub addr: SocketAddr,
    pub admin: Option<SocketAddr>,
    _dir: tempfile::TempDir,
}

/// How to start a [`Limited`] server.
pub struct Spawn<'a> {
    /// `ulimit -n`.
    pub fds: u64,
    /// `ulimit -v`, MiB of address space.
    pub memory_mib: u64,
    /// Extra top-level config lines (e.g. `idle_timeout_secs = 2`).
    pub top: &'a str,
    /// Lines of the `[limits]` table.
    pub limits: &'a str,
    pub admin: bool,
}

impl Default for Spawn<'_> {
    fn default() -> Self {
        Spawn {
            fds: 1024,
            memory_mib: 1024,
            top: "",
            limits: "",
            admin: false,
        }
    }
}

impl Limited {
    pub fn start(spawn: Spawn<'_>) -> Limited {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("server.toml");
        let admin = if spawn.admin {
            "admin_listen = \"127.0.0.1:0\"\n"
        } else {
            ""
        };
        let text = format!(
            "listen = \"127.0.0.1:0\"\n{admin}data_dir = {data:?}\n{top}\n[limits]\n{limits}\n\
             [[apps]]\nsdk_app_id = {OPEN_APP}\n[[apps]]\nsdk_app_id = {APP}\nsecret_key = {KEY:?}\n",
            data = dir.path().join("data"),
            top = spawn.top,
            limits = spawn.limits,
        );
        std::fs::write(&config, text).unwrap();
        let log = ServerLog::for_this_test();
        let script = format!(
            "ulimit -n {} && ulimit -v {} && exec \"$0\" \"$@\"",
            spawn.fds,
            spawn.memory_mib * 1024
        );
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg(env!("CARGO_BIN_EXE_v2tim-server"))
            .arg("--config")
            .arg(&config)
            // glibc's per-thread arenas reserve 64 MiB of address space each.
            .env("MALLOC_ARENA_MAX", "2")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(log.stdio())
            .spawn()
            .expect("spawn v2tim-server");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut read_addr = |prefix: &str| {
            let mut line = String::new();
            out.read_line(&mut line).expect("read server stdout");
            line.trim()
                .strip_prefix(prefix)
                .unwrap_or_else(|| panic!("expected {prefix:?}, got {line:?}"))
                .parse::<SocketAddr>()
                .unwrap()
        };
        let addr = read_addr("listening on ");
        let admin = spawn.admin.then(|| read_addr("admin API listening on "));
        Limited {
            child,
            log,
            addr,
            admin,
            _dir: dir,
        }
    }

    fn status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("server process status");
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("no {field} in /proc status"))
    }

    /// Resident memory now, MiB.
    pub fn rss_mib(&self) -> f64 {
        self.status_kib("VmRSS:") as f64 / 1024.0
    }

    /// Peak resident memory so far, MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        self.status_kib("VmHWM:") as f64 / 1024.0
    }

    /// Descriptors the server has open.
    pub fn open_fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .map(|d| d.count())
            .unwrap_or(0)
    }

    /// Still running (not aborted by the memory cap or anything else)?
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log.path).unwrap_or_default()
    }
}

impl Drop for Limited {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.log.show_if_failing();
    }
}

/// A TCP connection from `source` (any 127.x.y.z works on Linux's loopback), with a small
/// receive buffer when `small_rcvbuf` (so a client that does not read blocks the server's
/// writes early).
pub async fn tcp_from(
    source: IpAddr,
    to: SocketAddr,
    small_rcvbuf: bool,
) -> std::io::Result<TcpStream> {
    let sock = TcpSocket::new_v4()?;
    if small_rcvbuf {
        sock.set_recv_buffer_size(4096)?;
    }
    sock.bind(SocketAddr::new(source, 0))?;
    sock.connect(to).await
}

/// 127.0.0.`n`.
pub fn lo(n: u8) -> IpAddr {
    IpAddr::from([127, 0, 0, n])
}

/// Writes a WebSocket upgrade request and reads the answer's head; Ok only for 101.
pub async fn ws_handshake(s: &mut TcpStream) -> std::io::Result<()> {
    s.write_all(
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
          Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    )
    .await?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        head.push(byte[0]);
        if head.len() > 4096 {
            return Err(std::io::Error::other("handshake answer too long"));
        }
    }
    if head.starts_with(b"HTTP/1.1 101") {
        Ok(())
    } else {
        Err(std::io::Error::other(
            String::from_utf8_lossy(&head).into_owned(),
        ))
    }
}

/// The header of a masked client text frame announcing `len` payload bytes (mask 0, so
/// the payload goes as is).
pub fn frame_header(len: usize) -> Vec<u8> {
    let mut h = vec![0x81];
    if len < 126 {
        h.push(0x80 | len as u8);
    } else if len <= 0xffff {
        h.push(0x80 | 126);
        h.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        h.push(0x80 | 127);
        h.extend_from_slice(&(len as u64).to_be_bytes());
    }
    h.extend_from_slice(&[0, 0, 0, 0]);
    h
}

/// A whole masked text frame.
pub fn text_frame(text: &str) -> Vec<u8> {
    let mut f = frame_header(text.len());
    f.extend_from_slice(text.as_bytes());
    f
}

/// A raw login frame for OPEN_APP (no UserSig check).
pub fn login_frame(user: &str, device: &str) -> Vec<u8> {
    text_frame(
        &json!({"id": 1, "op": "login", "protocol": v2tim_proto::PROTOCOL_VERSION, "sdk_app_id": OPEN_APP,
                "user_id": user, "user_sig": "", "device_id": device})
        .to_string(),
    )
}

/// Reads (and drops) whatever arrives until the server ends the connection; the time
/// that took, or `None` if it was still open after `within`.
pub async fn until_closed(s: &mut TcpStream, within: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let left = within.checked_sub(start.elapsed())?;
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(start.elapsed()),
            Ok(Ok(_)) => continue,
        }
    }
}

/// Sends and receives between two logged-in users while an attack runs.
pub struct LegitPair {
    stop: Arc<AtomicBool>,
    task: JoinHandle<PairStats>,
}

/// What the pair saw.
#[derive(Debug)]
pub struct PairStats {
    /// When each exchange started, and its round trip (send answered and push received), ms.
    pub samples: Vec<(Instant, f64)>,
    /// Answers with a non-zero code, and pushes missing or wrong.
    pub failures: Vec<String>,
}

impl PairStats {
    /// "N exchanges, p50 X ms, max Y ms" of the exchanges started in `[from, to)`.
    pub fn summary(&self, from: Instant, to: Instant) -> String {
        let mut ms: Vec<f64> = self
            .samples
            .iter()
            .filter(|(t, _)| *t >= from && *t < to)
            .map(|(_, ms)| *ms)
            .collect();
        ms.sort_by(f64::total_cmp);
        match ms.last() {
            None => "no exchanges".into(),
            Some(max) => format!(
                "{} exchanges, p50 {:.1} ms, max {:.1} ms",
                ms.len(),
                ms[ms.len() / 2],
                max
            ),
        }
    }
}

impl LegitPair {
    /// Logs in alice and bob (from 127.0.0.1) and starts alice sending to bob every
    /// `every`, each send waited for and bob's push checked.
    pub async fn start(addr: SocketAddr, every: Duration) -> LegitPair {
        let mut alice = Client::login_open(addr, "legit-alice", "a").await;
        let mut bob = Client::login_open(addr, "legit-bob", "b").await;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let task = tokio::spawn(async move {
            let mut failures = Vec::new();
            let mut samples = Vec::new();
            let mut i = 0;
            while !flag.load(Ordering::Relaxed) {
                let id = format!("legit-{i}");
                let t = Instant::now();
                let r = alice.send_c2c("legit-bob", &id, "still here").await;
                if code(&r) != 0 {
                    failures.push(format!("send {id}: {r}"));
                }
                let p = bob.push().await;
                if p["event"]["msg"]["msg_id"] != json!(id) {
                    failures.push(format!("push for {id}: {p}"));
                }
                samples.push((t, t.elapsed().as_secs_f64() * 1000.0));
                i += 1;
                tokio::time::sleep(every).await;
            }
            PairStats { samples, failures }
        });
        LegitPair { stop, task }
    }

    /// Stops the pair; panics (the test fails) if any exchange failed or timed out.
    pub async fn finish(self) -> PairStats {
        self.stop.store(true, Ordering::Relaxed);
        let stats = self.task.await.expect(
            "the legitimate pair's exchanges (a panic here is a failed or timed-out request)",
        );
        let all = stats.summary(
            stats.samples.first().map_or_else(Instant::now, |s| s.0),
            Instant::now(),
        );
        eprintln!("legitimate pair: {all}, {} failures", stats.failures.len());
        assert!(stats.failures.is_empty(), "failures: {:?}", stats.failures);
        assert!(!stats.samples.is_empty(), "the pair exchanged nothing");
        stats
    }
}
