//! Attacks from clients without credentials (and clients that do not read), each while a
//! logged-in pair of users keeps chatting: the pair must see no failure, the server must
//! stay within a stated memory bound and under its descriptor limit, and the attacking
//! connections must be closed within their deadlines. `docs/RELIABILITY.md` ("Exhaustion")
//! has the table of attacks, limits and results.
//!
//! Scaled down for CI (a few hundred connections, `ulimit -n 256`, small queues). With
//! `V2TIM_ATTACK_FULL=1` the same tests run the full-size attacks (20,000 connections,
//! 2,000 trickled 1 MiB frames, 3,000 slow admin bodies, 9,000 × 12 KiB to 10 devices that
//! never read): `scripts/attack-full.sh`.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::attack::*;
use common::*;
use futures_util::future::join_all;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use v2tim_server::{Limits, ServerConfig};

/// Whether to run the full-size attacks.
fn full() -> bool {
    std::env::var("V2TIM_ATTACK_FULL").is_ok_and(|v| v == "1")
}

/// Room for a loaded 2-core machine on top of each deadline.
const SLACK: Duration = Duration::from_secs(5);
const PAIR_EVERY: Duration = Duration::from_millis(100);

fn raise_own_fd_limit() {
    let _ = v2tim_server::limits::raise_fd_limit();
}

/// Opens `per_address` connections from each of `addresses` at once; each does the
/// WebSocket handshake. Answers the open ones (with their source address index and when
/// they connected) and how many were refused.
async fn flood(
    addr: SocketAddr,
    addresses: std::ops::RangeInclusive<u8>,
    per_address: usize,
) -> (Vec<(u8, Instant, TcpStream)>, usize) {
    let attempts = addresses.flat_map(|a| std::iter::repeat_n(a, per_address));
    let results = join_all(attempts.map(|a| async move {
        let start = Instant::now();
        let mut s = tcp_from(lo(a), addr, false).await?;
        tokio::time::timeout(Duration::from_secs(10), ws_handshake(&mut s))
            .await
            .map_err(|_| std::io::Error::other("handshake timed out"))??;
        Ok::<_, std::io::Error>((a, start, s))
    }))
    .await;
    let refused = results.iter().filter(|r| r.is_err()).count();
    (results.into_iter().flatten().collect(), refused)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_connections_that_never_log_in_stays_under_the_descriptor_limit() {
    raise_own_fd_limit();
    // Full size: 20,040 attempts against a cap of 16,312 (the test process itself must
    // hold what gets in).
    let (fds, addresses, per_address, per_ip) = if full() {
        (16_384, 3..=22, 950, 1_000)
    } else {
        (256, 3..=14, 50, 60)
    };
    let limits = format!(
        "max_connections_per_ip = {per_ip}\nconnections_per_ip_per_sec = 100000\n\
         login_timeout_secs = 3\nadmin_max_connections = 8"
    );
    let mut server = Limited::start(Spawn {
        fds,
        limits: &limits,
        ..Spawn::default()
    });
    // What the server may give clients: its limit less the reserve and the admin API's.
    let cap = fds as usize - Limits::default().fd_reserve as usize - 8;
    assert!(
        server.log_text().contains("max_connections lowered"),
        "the cap follows the descriptor limit"
    );
    let pair = LegitPair::start(server.addr, PAIR_EVERY).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let attack_start = Instant::now();

    // One address alone gets at most its own cap.
    let (one, _) = flood(server.addr, 2..=2, per_ip + 40).await;
    assert!(
        one.len() <= per_ip,
        "{} connections from one address, cap {per_ip}",
        one.len()
    );
    let (many, refused) = flood(server.addr, addresses, per_address).await;
    let open = one.len() + many.len();
    let fds_used = server.open_fds();
    eprintln!(
        "flood: {open} connections open, {refused} refused; server holds {fds_used} of {fds} descriptors (cap {cap})"
    );
    assert!(open + 2 <= cap, "{open} attack connections, cap {cap}");
    assert!(refused > 0, "the flood was larger than the cap");
    assert!(
        fds_used as u64 + Limits::default().fd_reserve / 2 <= fds,
        "{fds_used} descriptors used: the reserve is not free"
    );
    // Meanwhile the pair's sends are written to storage: the reserve keeps SQLite working.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let attack_end = Instant::now();

    // Every attacking connection is closed by the login deadline (3 s from its accept).
    let deadline = Duration::from_secs(3) + SLACK;
    let closes = join_all(
        one.into_iter()
            .chain(many)
            .map(|(_, start, mut s)| async move {
                let left = deadline.saturating_sub(start.elapsed());
                until_closed(&mut s, left).await.map(|_| start.elapsed())
            }),
    )
    .await;
    let still_open = closes.iter().filter(|c| c.is_none()).count();
    let slowest = closes.iter().flatten().max().copied().unwrap_or_default();
    eprintln!("attack connections closed after at most {slowest:?}; {still_open} still open");
    assert_eq!(still_open, 0, "connections open past the login deadline");

    // Room again for new users.
    let mut late = Client::login_open(server.addr, "late", "l").await;
    assert_eq!(code(&late.request(json!({"op": "ping"})).await), 0);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let stats = pair.finish().await;
    report(&stats, attack_start, attack_end);
    let peak = server.peak_rss_mib();
    eprintln!("server peak RSS {peak:.1} MiB");
    assert!(server.alive());
    assert!(
        peak < if full() { 512.0 } else { 64.0 },
        "peak RSS {peak:.1} MiB"
    );
}

fn report(stats: &PairStats, attack_start: Instant, attack_end: Instant) {
    let first = stats.samples.first().map_or(attack_start, |s| s.0);
    eprintln!(
        "legitimate latency: before {}; during {}; after {}",
        stats.summary(first, attack_start),
        stats.summary(attack_start, attack_end),
        stats.summary(attack_end, Instant::now())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn big_frames_trickled_before_login_hold_no_more_than_the_prelogin_budget() {
    raise_own_fd_limit();
    let (conns, memory_mib, bound_mib) = if full() {
        (2_000, 3072, 256.0)
    } else {
        (300, 1024, 64.0)
    };
    let mut server = Limited::start(Spawn {
        fds: 8192,
        memory_mib,
        limits: "login_timeout_secs = 3\nconnections_per_ip_per_sec = 100000",
        ..Spawn::default()
    });
    let pair = LegitPair::start(server.addr, PAIR_EVERY).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let base = server.rss_mib();
    let attack_start = Instant::now();
    let per_address = conns / 4;
    let (open, refused) = flood(server.addr, 2..=5, per_address).await;
    assert_eq!(refused, 0);
    // Three of four stay under the budget (12 KiB of a frame announced as 1 MiB - 1) and
    // stall; one in four sends 64 KiB of it, over the budget.
    let sent = join_all(
        open.into_iter()
            .enumerate()
            .map(|(i, (_, start, mut s))| async move {
                let over = i % 4 == 0;
                let body = vec![b'x'; if over { 64 * 1024 } else { 12 * 1024 }];
                let mut bytes = frame_header(1024 * 1024 - 1);
                bytes.extend_from_slice(&body);
                let _ = s.write_all(&bytes).await;
                (over, start, s)
            }),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let during = server.rss_mib();
    let attack_end = Instant::now();
    let closes = join_all(sent.into_iter().map(|(over, start, mut s)| async move {
        let left = (Duration::from_secs(3) + SLACK).saturating_sub(start.elapsed());
        (
            over,
            until_closed(&mut s, left).await.map(|_| start.elapsed()),
        )
    }))
    .await;
    let still_open = closes.iter().filter(|(_, c)| c.is_none()).count();
    let over_max = closes
        .iter()
        .filter(|(o, _)| *o)
        .filter_map(|(_, c)| *c)
        .max()
        .unwrap_or_default();
    let under_max = closes
        .iter()
        .filter(|(o, _)| !*o)
        .filter_map(|(_, c)| *c)
        .max()
        .unwrap_or_default();
    eprintln!(
        "trickles: over the budget closed within {over_max:?}, under it within {under_max:?} (login deadline 3 s); {still_open} still open"
    );
    assert_eq!(still_open, 0);
    let stats = pair.finish().await;
    report(&stats, attack_start, attack_end);
    let peak = server.peak_rss_mib();
    eprintln!("server RSS: {base:.1} MiB before, {during:.1} MiB during, peak {peak:.1} MiB");
    assert!(server.alive(), "the server survived");
    assert!(
        peak - base < bound_mib,
        "peak RSS {peak:.1} MiB, {base:.1} before"
    );
}

/// Polls until the in-process server has `n` connections open; how long that took.
async fn until_open_connections(
    server: &v2tim_server::Server,
    n: usize,
    within: Duration,
) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < within {
        if server.open_connections() == n {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

/// Waits until `f` answers the same for 500 ms; answers that.
async fn until_stable(f: impl Fn() -> usize) -> usize {
    let mut last = f();
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = f();
        if now == last {
            return now;
        }
        last = now;
    }
}

/// A raw connection that logs in (reading the answer), from a socket with a small receive
/// buffer.
async fn raw_logged_in(addr: SocketAddr, user: &str) -> TcpStream {
    let mut s = tcp_from(lo(1), addr, true).await.unwrap();
    ws_handshake(&mut s).await.unwrap();
    s.write_all(&login_frame(user, "d")).await.unwrap();
    let mut buf = [0u8; 512];
    let n = s.read(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(text.contains("\"code\":0"), "login answer {text}");
    s
}

/// Writes `n` pings as fast as the socket takes them, never reading.
fn pipeline_pings(mut s: TcpStream, n: usize) -> tokio::task::JoinHandle<TcpStream> {
    tokio::spawn(async move {
        let ping = text_frame(&json!({"id": 2, "op": "ping"}).to_string());
        let batch: Vec<u8> = ping
            .iter()
            .copied()
            .cycle()
            .take(ping.len() * 1000)
            .collect();
        for _ in 0..n / 1000 {
            if s.write_all(&batch).await.is_err() {
                break;
            }
        }
        s
    })
}

fn blocked_writes_config(limits: Limits, idle_timeout_secs: u64) -> ServerConfig {
    ServerConfig {
        idle_timeout_secs,
        limits: Limits {
            // Only the deadline under test may end the connection.
            max_queued_frames_per_conn: usize::MAX / 2,
            max_queued_bytes_per_conn: usize::MAX / 2,
            max_queued_bytes_total: usize::MAX / 2,
            ..limits
        },
        ..ServerConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_deadline_fires_while_the_clients_reads_are_stalled() {
    let (server, addr) = start_with(blocked_writes_config(
        Limits {
            login_timeout_secs: 2,
            prelogin_max_bytes: 256 << 20,
            write_timeout_secs: 600,
            ..Limits::default()
        },
        60,
    ))
    .await;
    let start = Instant::now();
    let mut s = tcp_from(lo(1), addr, true).await.unwrap();
    ws_handshake(&mut s).await.unwrap();
    // Requests before login are answered with errors, which pile up unread.
    let writer = pipeline_pings(s, 300_000);
    let closed = until_open_connections(&server, 0, Duration::from_secs(2) + SLACK).await;
    eprintln!(
        "closed after {:?} (login deadline 2 s)",
        closed.map(|_| start.elapsed())
    );
    assert!(
        closed.is_some(),
        "the connection outlived its login deadline"
    );
    writer.abort();
    assert_eq!(server.queued_bytes(), 0, "its queue left with it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_idle_timeout_fires_while_writes_to_the_client_are_blocked() {
    let (server, addr) = start_with(blocked_writes_config(
        Limits {
            write_timeout_secs: 600,
            ..Limits::default()
        },
        2,
    ))
    .await;
    let s = raw_logged_in(addr, "mallory").await;
    let s = pipeline_pings(s, 100_000).await.unwrap();
    // The client is silent from here; the server is done reading once its queue (whose
    // writes are blocked) stops growing.
    let blocked = until_stable(|| server.queued_bytes()).await;
    let silent_since = Instant::now();
    let closed = until_open_connections(&server, 0, Duration::from_secs(2) + SLACK).await;
    eprintln!(
        "{blocked} bytes queued unwritten; closed {:?} after the client went silent (idle timeout 2 s)",
        closed.map(|_| silent_since.elapsed())
    );
    assert!(blocked > 0, "the server's writes were not blocked");
    assert!(closed.is_some(), "the connection outlived its idle timeout");
    assert_eq!(server.queued_bytes(), 0);
    drop(s);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_does_not_read_is_dropped_after_the_write_deadline() {
    let (server, addr) = start_with(blocked_writes_config(
        Limits {
            write_timeout_secs: 2,
            ..Limits::default()
        },
        600,
    ))
    .await;
    let s = raw_logged_in(addr, "mallory").await;
    let mut s = pipeline_pings(s, 100_000).await.unwrap();
    // The server has read the burst once its queue stops growing; its writes have been
    // blocked since before then.
    let blocked = until_stable(|| server.queued_bytes()).await;
    let burst_end = Instant::now();
    // It keeps talking (so it is not idle), and never reads.
    let talker = tokio::spawn(async move {
        let ping = text_frame(&json!({"id": 3, "op": "ping"}).to_string());
        while s.write_all(&ping).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    let closed = until_open_connections(&server, 0, Duration::from_secs(2) + SLACK).await;
    eprintln!(
        "{blocked} bytes queued unwritten; closed {:?} after the burst was read (write deadline 2 s)",
        closed.map(|_| burst_end.elapsed())
    );
    assert!(blocked > 0, "the server's writes were not blocked");
    assert!(
        closed.is_some(),
        "the connection outlived its write deadline"
    );
    assert_eq!(server.queued_bytes(), 0);
    talker.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_user_sig_expiry_fires_while_writes_to_the_client_are_blocked() {
    let (server, addr) = start_with(blocked_writes_config(
        Limits {
            write_timeout_secs: 600,
            ..Limits::default()
        },
        600,
    ))
    .await;
    let mut s = tcp_from(lo(1), addr, true).await.unwrap();
    ws_handshake(&mut s).await.unwrap();
    let sig = v2tim_proto::usersig::gen_user_sig(APP, KEY, "mallory", 3);
    let login = json!({"id": 1, "op": "login", "protocol": v2tim_proto::PROTOCOL_VERSION, "sdk_app_id": APP,
                       "user_id": "mallory", "user_sig": sig, "device_id": "d"});
    s.write_all(&text_frame(&login.to_string())).await.unwrap();
    let logged_in = Instant::now();
    let mut buf = [0u8; 512];
    let n = s.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).contains("\"code\":0"));
    // It keeps the server busy writing to it and never reads.
    let writer = pipeline_pings(s, 1_000_000);
    let closed = until_open_connections(&server, 0, Duration::from_secs(3) + SLACK).await;
    eprintln!(
        "closed {:?} after login (UserSig valid for 3 s)",
        closed.map(|_| logged_in.elapsed())
    );
    assert!(closed.is_some(), "the connection outlived its UserSig");
    writer.abort();
}

/// An admin request head for `path` with `query`, announcing `len` body bytes.
fn admin_head(path: &str, query: &str, len: usize) -> Vec<u8> {
    format!("POST {path}?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {len}\r\n\r\n").into_bytes()
}

fn admin_query(sig: &str) -> String {
    format!("sdkappid={APP}&identifier=administrator&usersig={sig}&random=1&contenttype=json")
}

/// Everything the server sends until it closes, within `within`.
async fn answer_and_close<R: tokio::io::AsyncRead + Unpin>(
    s: &mut R,
    within: Duration,
) -> Option<String> {
    let mut out = Vec::new();
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        let left = within.checked_sub(start.elapsed())?;
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&out).into_owned()),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_admin_bodies_are_refused_unread_or_cut_at_their_deadline() {
    raise_own_fd_limit();
    let (anonymous, insiders, bound_mib) = if full() {
        (3_000, 64, 128.0)
    } else {
        (200, 16, 48.0)
    };
    let limits = format!(
        "admin_max_connections = {insiders}\nadmin_body_timeout_secs = 2\nadmin_header_timeout_secs = 2"
    );
    let mut server = Limited::start(Spawn {
        fds: 8192,
        limits: &limits,
        admin: true,
        ..Spawn::default()
    });
    let admin = server.admin.unwrap();
    let pair = LegitPair::start(server.addr, PAIR_EVERY).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let base = server.rss_mib();
    let attack_start = Instant::now();

    // Without credentials: answered (or, over the connection cap, closed) at once, the
    // body never read, while the trickle goes on.
    let path = "/v4/openim/admin_msgwithdraw";
    let outcomes = join_all((0..anonymous).map(|i| async move {
        let mut s = tcp_from(lo(2 + (i % 50) as u8), admin, false).await.ok()?;
        s.set_nodelay(true).unwrap();
        let start = Instant::now();
        s.write_all(&admin_head(path, &admin_query("forged"), 60_000))
            .await
            .ok()?;
        let (mut rd, mut wr) = s.into_split();
        let trickle = tokio::spawn(async move {
            while wr.write_all(b"x").await.is_ok() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        });
        let answer = answer_and_close(&mut rd, Duration::from_secs(2) + SLACK).await;
        let closed = answer.as_ref().map(|_| start.elapsed());
        trickle.abort();
        Some((
            answer.is_some_and(|a| a.contains("\"ActionStatus\":\"FAIL\"")),
            closed,
        ))
    }))
    .await;
    let connected: Vec<_> = outcomes.into_iter().flatten().collect();
    let still_open = connected.iter().filter(|(_, c)| c.is_none()).count();
    let refused_unread = connected.iter().filter(|(fail, _)| *fail).count();
    let slowest = connected
        .iter()
        .filter_map(|(_, c)| *c)
        .max()
        .unwrap_or_default();
    eprintln!(
        "anonymous slow bodies: {} connected, {refused_unread} answered FAIL unread, the rest closed at once; all closed within {slowest:?}; {still_open} still open",
        connected.len()
    );
    assert_eq!(still_open, 0);
    assert!(refused_unread > 0);

    // With credentials (a leaked admin sig): the body is cut at its deadline, and a body
    // sent one byte per segment costs its bytes, not a read buffer each.
    let sig = v2tim_proto::usersig::gen_user_sig(APP, KEY, "administrator", 3600);
    let query = admin_query(&sig);
    // The anonymous connections' slots come free a moment after their sockets close: a
    // connection closed without a byte (over the cap) tries again.
    let cut = join_all((0..insiders).map(|_| {
        let query = query.clone();
        async move {
            loop {
                let mut s = tcp_from(lo(1), admin, false).await.unwrap();
                s.set_nodelay(true).unwrap();
                let start = Instant::now();
                s.write_all(&admin_head(path, &query, 60_000))
                    .await
                    .unwrap();
                let (mut rd, mut wr) = s.into_split();
                let trickle = tokio::spawn(async move {
                    let mut sent = 0usize;
                    while sent < 60_000 && wr.write_all(b" ").await.is_ok() {
                        sent += 1;
                        tokio::time::sleep(Duration::from_micros(200)).await;
                    }
                    sent
                });
                let answer = answer_and_close(&mut rd, Duration::from_secs(2) + SLACK).await;
                trickle.abort();
                if answer.as_deref() == Some("") && start.elapsed() < Duration::from_secs(1) {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
                let closed = answer.as_ref().map(|_| start.elapsed());
                break (
                    answer.is_some_and(|a| a.starts_with("HTTP/1.1 408")),
                    closed,
                );
            }
        }
    }))
    .await;
    let during = server.peak_rss_mib();
    let attack_end = Instant::now();
    let timed_out = cut.iter().filter(|(t, _)| *t).count();
    let slowest = cut.iter().filter_map(|(_, c)| *c).max().unwrap_or_default();
    eprintln!("authenticated slow bodies: {timed_out} of {insiders} answered 408, closed within {slowest:?}");
    assert_eq!(
        timed_out, insiders,
        "every slow body is cut at its deadline"
    );

    // A slow head is closed at its deadline too.
    let mut s = tcp_from(lo(1), admin, false).await.unwrap();
    let start = Instant::now();
    for b in b"POST /v4/openim/admin_msgwithdraw" {
        if s.write_all(&[*b]).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        if start.elapsed() > Duration::from_secs(2) + SLACK {
            break;
        }
    }
    let head_closed = answer_and_close(&mut s, SLACK)
        .await
        .map(|_| start.elapsed());
    eprintln!("slow head closed after {head_closed:?} (deadline 2 s)");
    assert!(head_closed.is_some_and(|t| t <= Duration::from_secs(2) + SLACK));

    // And the admin API still works.
    let mut s = tcp_from(lo(1), admin, false).await.unwrap();
    s.write_all(&admin_head("/v4/v2tim/get_recall_time_limit", &query, 2))
        .await
        .unwrap();
    s.write_all(b"{}").await.unwrap();
    let mut buf = [0u8; 4096];
    let n = s.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).contains("\"ActionStatus\":\"OK\""));

    let stats = pair.finish().await;
    report(&stats, attack_start, attack_end);
    eprintln!("server RSS {base:.1} MiB before, peak {during:.1} MiB");
    assert!(server.alive());
    assert!(
        during - base < bound_mib,
        "peak RSS {during:.1} MiB, {base:.1} before"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_that_never_read_are_cut_off_by_queued_bytes() {
    raise_own_fd_limit();
    let (messages, limits, bound_mib) = if full() {
        (9_000, String::new(), 256.0)
    } else {
        (
            1_000,
            "max_queued_bytes_per_conn = 524288\nmax_queued_bytes_total = 2097152".to_string(),
            64.0,
        )
    };
    let mut server = Limited::start(Spawn {
        limits: &limits,
        top: "max_devices_per_user = 10",
        ..Spawn::default()
    });
    let pair = LegitPair::start(server.addr, PAIR_EVERY).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let base = server.rss_mib();
    let attack_start = Instant::now();
    let mut devices = Vec::new();
    for d in 0..10 {
        let mut s = tcp_from(lo(2), server.addr, true).await.unwrap();
        ws_handshake(&mut s).await.unwrap();
        s.write_all(&login_frame("mallory", &format!("d{d}")))
            .await
            .unwrap();
        devices.push(s);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut eve = Client::login_open(server.addr, "eve", "e").await;
    let text = "x".repeat(12_000);
    for i in 0..messages {
        let r = eve.send_c2c("mallory", &format!("big{i}"), &text).await;
        assert_eq!(code(&r), 0, "{r}");
    }
    let attack_end = Instant::now();
    let peak = server.peak_rss_mib();
    let closes = join_all(devices.iter_mut().map(|s| until_closed(s, SLACK))).await;
    let still_open = closes.iter().filter(|c| c.is_none()).count();
    eprintln!(
        "{messages} × 12 KB sent; devices that never read: {} closed, {still_open} still open",
        closes.len() - still_open
    );
    assert_eq!(still_open, 0, "every device that did not read was cut off");
    let stats = pair.finish().await;
    report(&stats, attack_start, attack_end);
    eprintln!("server RSS {base:.1} MiB before, peak {peak:.1} MiB");
    assert!(server.alive());
    assert!(
        peak - base < bound_mib,
        "peak RSS {peak:.1} MiB, {base:.1} before"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_rate_and_failed_logins_are_limited_per_address() {
    let (_server, addr) = start_with(ServerConfig {
        limits: Limits {
            connections_per_ip_per_sec: 10,
            failed_logins_per_ip_per_min: 5,
            ..Limits::default()
        },
        ..ServerConfig::default()
    })
    .await;
    // A burst of 60 from one address: twice the rate (20) get in, the rest are closed.
    let (open, refused) = flood(addr, 2..=2, 60).await;
    eprintln!("burst of 60: {} in, {refused} refused", open.len());
    assert!(
        open.len() >= 20 && open.len() < 30,
        "{} admitted",
        open.len()
    );
    drop(open);
    // Other addresses are not affected.
    let (others, refused) = flood(addr, 3..=3, 10).await;
    assert_eq!((others.len(), refused), (10, 0));

    // Five failed logins from 127.0.0.4 spend its budget: even a good UserSig is then
    // refused (7008) and the connection closed, while 127.0.0.5 logs in.
    let login = |sig: String, id: u64| {
        json!({"id": id, "op": "login", "protocol": v2tim_proto::PROTOCOL_VERSION, "sdk_app_id": APP, "user_id": "alice",
               "user_sig": sig, "device_id": "d"})
        .to_string()
    };
    let (mut conns, _) = flood(addr, 4..=4, 1).await;
    let (_, _, mut s) = conns.pop().unwrap();
    let mut buf = [0u8; 1024];
    for i in 0..5 {
        s.write_all(&text_frame(&login("forged".into(), i)))
            .await
            .unwrap();
        let n = s.read(&mut buf).await.unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).contains("70003"));
    }
    s.write_all(&text_frame(&login(sig("alice"), 9)))
        .await
        .unwrap();
    let answer = answer_and_close(&mut s, SLACK).await.expect("closed");
    assert!(answer.contains("7008"), "{answer}");
    let (mut conns, _) = flood(addr, 5..=5, 1).await;
    let (_, _, mut s) = conns.pop().unwrap();
    s.write_all(&text_frame(&login(sig("alice"), 1)))
        .await
        .unwrap();
    let n = s.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).contains("\"code\":0"));
}
