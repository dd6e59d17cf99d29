//! `throughput`: C senders, each to its own online receiver, keep `window` sends in flight
//! (a completion starts the next) for `seconds`; then the same for recalls of what they
//! sent. Every acknowledgement means the server committed the change to disk (SQLite WAL,
//! synchronous=FULL) and pushed it: the server's storage thread commits many requests per
//! transaction (group commit, up to 512 per fsync), so throughput grows with concurrency
//! while one fsync is paid per batch, not per message.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde_json::json;
use v2tim_bench::capi::{Client, Msg};
use v2tim_bench::crowd;
use v2tim_bench::report;
use v2tim_bench::server::Servers;
use v2tim_bench::stats::Samples;

use super::cycle;

#[derive(clap::Args)]
pub struct Args {
    /// Sending clients (each with its own receiver online).
    #[arg(long, default_value_t = 10)]
    clients: usize,
    /// Requests in flight per sender (the SDK sends up to 32 at once and queues the rest).
    #[arg(long, default_value_t = 32)]
    window: usize,
    /// Measured seconds per phase (send, then recall; recall must happen within 120 s of
    /// the send, so keep warmup + seconds well under 60).
    #[arg(long, default_value_t = 15)]
    seconds: u64,
    /// Seconds per phase before measuring.
    #[arg(long, default_value_t = 3)]
    warmup: u64,
}

/// What one phase counts.
#[derive(Default)]
struct Phase {
    running: AtomicBool,
    window: Mutex<Option<(Instant, Instant)>>,
    acks: AtomicU64,
    errors: AtomicU64,
    first_error: Mutex<Option<String>>,
    latency: Mutex<Samples>,
    /// CPU cores the benchmark process (every client SDK instance) used meanwhile.
    client_cpu: Mutex<f64>,
}

impl Phase {
    fn record(&self, started: Instant, r: Result<(), v2tim_bench::capi::CError>) -> bool {
        let now = Instant::now();
        match r {
            Ok(()) => {
                if let Some((from, to)) = *self.window.lock() {
                    if now >= from && now < to {
                        self.acks.fetch_add(1, Ordering::Relaxed);
                        self.latency.lock().push(now - started);
                    }
                }
                true
            }
            Err(e) => {
                self.errors.fetch_add(1, Ordering::Relaxed);
                self.first_error.lock().get_or_insert_with(|| e.to_string());
                false
            }
        }
    }
}

struct Lane {
    client: Client,
    to: String,
    sent: Mutex<Vec<Arc<Msg>>>,
}

fn pump_send(lane: Arc<Lane>, phase: Arc<Phase>) {
    if !phase.running.load(Ordering::Relaxed) {
        return;
    }
    let msg = Arc::new(lane.client.create_text("throughput"));
    let started = Instant::now();
    let (l, p, m) = (lane.clone(), phase.clone(), msg.clone());
    lane.client.send(&msg, &lane.to, "", move |r| {
        if p.record(started, r) {
            l.sent.lock().push(m);
        }
        pump_send(l, p);
    });
}

fn pump_recall(lane: Arc<Lane>, phase: Arc<Phase>) {
    if !phase.running.load(Ordering::Relaxed) {
        return;
    }
    // Newest first: the oldest are the closest to the recall time limit.
    let Some(msg) = lane.sent.lock().pop() else {
        return;
    };
    let started = Instant::now();
    let (l, p) = (lane.clone(), phase.clone());
    lane.client.revoke(&msg, move |r| {
        p.record(started, r);
        pump_recall(l, p);
    });
}

/// Runs one phase over every lane; returns acknowledgements per second.
fn phase(
    lanes: &[Arc<Lane>],
    a: &Args,
    servers: &Servers,
    pump: fn(Arc<Lane>, Arc<Phase>),
) -> (Arc<Phase>, f64, f64) {
    let p = Arc::new(Phase::default());
    p.running.store(true, Ordering::Relaxed);
    let start = Instant::now();
    let from = start + Duration::from_secs(a.warmup);
    let to = from + Duration::from_secs(a.seconds);
    *p.window.lock() = Some((from, to));
    for lane in lanes {
        for _ in 0..a.window {
            pump(lane.clone(), p.clone());
        }
    }
    std::thread::sleep(from - Instant::now());
    let servers_cpu = || servers.pids().into_iter().map(cpu_seconds).sum::<f64>();
    let (cpu0, mine0) = (servers_cpu(), cpu_seconds(std::process::id()));
    std::thread::sleep(to - Instant::now());
    let cpu = servers_cpu() - cpu0;
    *p.client_cpu.lock() = (cpu_seconds(std::process::id()) - mine0) / a.seconds as f64;
    p.running.store(false, Ordering::Relaxed);
    // Let what is in flight finish before the next phase.
    std::thread::sleep(Duration::from_secs(2));
    let per_s = p.acks.load(Ordering::Relaxed) as f64 / a.seconds as f64;
    (p, per_s, cpu / a.seconds as f64)
}

/// User + system CPU time of process `pid`, seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the ")" that ends the command name: utime and stime are 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (ticks(11) + ticks(12)) / hz
}

pub fn run(ctx: &super::Ctx, a: Args) {
    let servers = ctx.servers("throughput");
    let receivers: Vec<String> = (0..a.clients).map(|i| format!("t-r{i}")).collect();
    let senders: Vec<String> = (0..a.clients).map(|i| format!("t-s{i}")).collect();
    // Receivers are online so every message and recall is also pushed; they only listen.
    let rx = crowd::login_all(servers.url(1), &receivers, |_| {
        Some(Arc::new(v2tim_bench::capi::NoEvents) as _)
    });
    let lanes: Vec<Arc<Lane>> = crowd::login_all(servers.url(0), &senders, |_| None)
        .into_iter()
        .zip(&receivers)
        .map(|(client, to)| {
            Arc::new(Lane {
                client,
                to: to.clone(),
                sent: Mutex::new(Vec::new()),
            })
        })
        .collect();
    let (sends, send_rate, send_cpu) = phase(&lanes, &a, &servers, pump_send);
    let (recalls, recall_rate, recall_cpu) = phase(&lanes, &a, &servers, pump_recall);
    let line = |what: &str, p: &Phase, rate: f64, cpu: f64| {
        println!(
            "{what:<7} {rate:>9.0}/s  server CPU {:.0}%  clients' CPU {:.0}%  errors {}",
            cpu * 100.0,
            *p.client_cpu.lock() * 100.0,
            p.errors.load(Ordering::Relaxed)
        );
        cycle::print_line("  ack", &p.latency.lock());
    };
    println!(
        "v2tim throughput clients={} window={} seconds={}:",
        a.clients, a.window, a.seconds
    );
    line("sends", &sends, send_rate, send_cpu);
    line("recalls", &recalls, recall_rate, recall_cpu);
    let json_phase = |p: &Phase, rate: f64, cpu: f64| {
        json!({
            "per_s": rate,
            "server_cpu_cores": cpu,
            "clients_cpu_cores": *p.client_cpu.lock(),
            "errors": p.errors.load(Ordering::Relaxed),
            "first_error": p.first_error.lock().clone(),
            "ack_ms": p.latency.lock().summary(),
        })
    };
    let v = json!({
        "system": "v2tim",
        "version": cycle::version(),
        "workload": "throughput",
        "clients": a.clients,
        "window": a.window,
        "seconds": a.seconds,
        "warmup_s": a.warmup,
        "sends": json_phase(&sends, send_rate, send_cpu),
        "recalls": json_phase(&recalls, recall_rate, recall_cpu),
        "server_rss_kib": servers.rss_kib(),
        "backend": ctx.backend.describe(),
        "nodes": servers.nodes.len(),
        "notes": "Each acknowledgement is after the server's COMMIT (durable; backend: see \
                  `backend`) and push to the online receiver. Clients and server share the \
                  machine. With several nodes senders are on node 0, receivers on node 1; \
                  server CPU is all nodes'.",
    });
    report::write(
        &ctx.out,
        &ctx.result_name(&format!("throughput-{}", a.clients)),
        v,
    );
    drop(rx);
    servers.stop();
}
