//! `v2tim-bench`: load benchmarks of v2tim through its C ABI against a `v2tim-server`
//! process with durable storage. Each subcommand prints its numbers and writes them to
//! `bench/results/<name>.json`; bench/README.md says what each one measures.

mod cmd;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "v2tim load benchmarks (bench/README.md)")]
struct Cli {
    /// Directory for the result JSON files.
    #[arg(long, global = true, default_value = "bench/results")]
    out: PathBuf,
    /// Scratch directory for server databases (wiped per run unless a command says so).
    #[arg(long, global = true, default_value = "target/bench-data")]
    data: PathBuf,
    /// Servers on PostgreSQL instead of SQLite: a database URL (each run gets a fresh
    /// schema of it). pairs, throughput and fanout only.
    #[arg(long, global = true, value_name = "URL")]
    database: Option<String>,
    /// Server processes sharing --database; clients are spread over them (pairs: each
    /// receiver on another node than its sender).
    #[arg(long, global = true, default_value_t = 1, requires = "database")]
    nodes: usize,
    /// NATS server the nodes use (--broker of v2tim-server).
    #[arg(long, global = true, value_name = "URL", requires = "database")]
    broker: Option<String>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Closed loop per sender/receiver pair: send, receiver gets it, recall, receiver
    /// notified, repeat (the workload the peers run too).
    Pairs(cmd::pairs::Args),
    /// Open loop: N clients (N/2 pairs), sends at a steady total rate, each recalled as soon
    /// as its receiver has it; send and recall latency percentiles.
    Latency(cmd::latency::Args),
    /// Sends, then recalls, as fast as the server acknowledges them (durable).
    Throughput(cmd::throughput::Args),
    /// One message and its recall in an AVChatRoom with M online members.
    Fanout(cmd::fanout::Args),
    /// 20 newest messages of a one-to-one conversation of 1,000,000, cold and warm.
    History(cmd::history::Args),
    /// Server memory per idle connection, SDK memory after login, library size.
    Footprint(cmd::footprint::Args),
}

fn main() {
    let cli = Cli::parse();
    let ctx = cmd::Ctx {
        out: cli.out,
        data: cli.data,
        backend: v2tim_bench::server::Backend {
            database: cli.database,
            nodes: cli.nodes,
            broker: cli.broker,
        },
    };
    match cli.cmd {
        Cmd::Pairs(a) => cmd::pairs::run(&ctx, a),
        Cmd::Latency(a) => cmd::latency::run(&ctx, a),
        Cmd::Throughput(a) => cmd::throughput::run(&ctx, a),
        Cmd::Fanout(a) => cmd::fanout::run(&ctx, a),
        Cmd::History(a) => cmd::history::run(&ctx, a),
        Cmd::Footprint(a) => cmd::footprint::run(&ctx, a),
    }
}
