//! `latency`: N clients online (N/2 sender/receiver pairs); cycles (cycle.rs) start at a
//! steady total rate, round-robin over the senders, whatever the answers do (open loop, so
//! a slow answer cannot hide later ones). Latencies are timed from the C calls to the C
//! callbacks.

use std::time::{Duration, Instant};

use serde_json::json;
use v2tim_bench::report;
use v2tim_bench::server::ServerProcess;

use super::{cycle, pairs::merge};

#[derive(clap::Args)]
pub struct Args {
    /// Clients online: half send, half receive.
    #[arg(long, default_value_t = 100)]
    clients: usize,
    /// Cycles (one send and its recall) started per second, over all senders.
    #[arg(long, default_value_t = 200.0)]
    rate: f64,
    /// Measured seconds.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Seconds run before measuring (not recorded).
    #[arg(long, default_value_t = 5)]
    warmup: u64,
}

pub fn run(ctx: &super::Ctx, a: Args) {
    assert!(a.clients >= 2 && a.rate > 0.0, "need 2+ clients and a rate");
    let pairs = a.clients / 2;
    let server = ServerProcess::start(&ctx.fresh_data_dir("latency"));
    let tracker = cycle::setup(&server.url, &server.url, "l", pairs, false);
    let start = Instant::now();
    let from = start + Duration::from_secs(a.warmup);
    let to = from + Duration::from_secs(a.seconds);
    let interval = Duration::from_secs_f64(1.0 / a.rate);
    let mut k: u64 = 0;
    loop {
        let due = start + interval.mul_f64(k as f64);
        if due >= to {
            break;
        }
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        tracker.start((k % pairs as u64) as usize);
        k += 1;
    }
    let open = tracker.drain(Duration::from_secs(15));
    let r = tracker.results(from, to);
    let (cycles, lost) = (r.cycles, r.lost);
    let (errors, first_error) = tracker.errors();
    println!(
        "v2tim latency clients={} rate={}/s seconds={}: {cycles} cycles, {errors} errors, \
         {lost} unfinished ({open} open at the end)",
        a.clients, a.rate, a.seconds
    );
    r.print();
    let mut v = json!({
        "system": "v2tim",
        "version": cycle::version(),
        "workload": "latency",
        "clients": a.clients,
        "pairs": pairs,
        "rate_per_s": a.rate,
        "seconds": a.seconds,
        "warmup_s": a.warmup,
        "cycles": cycles,
        "errors": errors + lost as u64,
        "first_error": first_error,
        "server_rss_kib": server.rss_kib(),
    });
    merge(&mut v, r.json());
    report::write(&ctx.out, &format!("v2tim-latency-{}", a.clients), v);
    server.stop();
}
