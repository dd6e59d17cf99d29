//! `pairs`: P sender/receiver pairs, each in a closed send-then-recall loop (cycle.rs), the
//! workload bench/peers runs on Synapse and Prosody. Cycles/s is the throughput of whole
//! user-visible recalls; the latencies are per step.

use std::time::{Duration, Instant};

use serde_json::json;
use v2tim_bench::report;

use super::cycle;

#[derive(clap::Args)]
pub struct Args {
    /// Sender/receiver pairs.
    #[arg(long, default_value_t = 10)]
    pairs: usize,
    /// Measured seconds.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Seconds run before measuring (not recorded).
    #[arg(long, default_value_t = 5)]
    warmup: u64,
}

pub fn run(ctx: &super::Ctx, a: Args) {
    let servers = ctx.servers("pairs");
    // With several nodes every recall crosses from the sender's node to the receiver's.
    let tracker = cycle::setup(servers.url(0), servers.url(1), "p", a.pairs, true);
    let start = Instant::now();
    for pair in 0..a.pairs {
        tracker.start(pair);
    }
    let from = start + Duration::from_secs(a.warmup);
    let to = from + Duration::from_secs(a.seconds);
    std::thread::sleep(to - Instant::now());
    tracker.stop();
    let open = tracker.drain(Duration::from_secs(15));
    let r = tracker.results(from, to);
    let (cycles, lost) = (r.cycles, r.lost);
    let (errors, first_error) = tracker.errors();
    let per_s = cycles as f64 / a.seconds as f64;
    println!(
        "v2tim pairs={} seconds={}: {cycles} cycles, {per_s:.1} cycles/s, {errors} errors, \
         {lost} unfinished ({open} open at the end)",
        a.pairs, a.seconds
    );
    r.print();
    let mut v = json!({
        "system": "v2tim",
        "version": cycle::version(),
        "workload": "pairs",
        "pairs": a.pairs,
        "seconds": a.seconds,
        "warmup_s": a.warmup,
        "cycles": cycles,
        "cycles_per_s": per_s,
        "errors": errors + lost as u64,
        "first_error": first_error,
        "server_rss_kib": servers.rss_kib(),
        "backend": ctx.backend.describe(),
        "nodes": servers.nodes.len(),
        "notes": "C ABI clients (one SDK instance per user, all in the benchmark process, \
                  sharing its SDK event thread) against v2tim-server processes with durable \
                  storage (backend: see `backend`; group commit). A recall erases the \
                  content on the server in the same transaction. With several nodes each \
                  sender is on node 0 and its receiver on node 1.",
    });
    merge(&mut v, r.json());
    report::write(&ctx.out, &ctx.result_name(&format!("pairs-{}", a.pairs)), v);
    servers.stop();
}

/// Adds the keys of `extra` to `v`.
pub fn merge(v: &mut serde_json::Value, extra: serde_json::Value) {
    if let (Some(o), serde_json::Value::Object(e)) = (v.as_object_mut(), extra) {
        o.extend(e);
    }
}
