//! Footprint: server memory per idle connection at 1,000 and 10,000 connections; SDK RSS
//! after login; stripped library size.
//!
//! Server memory is the server process's VmRSS with N logged-in, idle SDK clients minus its
//! VmRSS before the first one, over N. SDK memory comes from a small C program
//! (`bench/c/sdk_rss.c`) linked against `libv2tim.so`, so it is what a C app pays, without
//! this benchmark's own Rust code and allocations in the way.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use v2tim_bench::capi::{APP, KEY};
use v2tim_bench::crowd;
use v2tim_bench::report;
use v2tim_bench::server::ServerProcess;

#[derive(clap::Args)]
pub struct Args {
    /// Idle connection counts to measure, one server each.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
    connections: Vec<usize>,
    /// Seconds to leave the clients idle before reading the server's memory.
    #[arg(long, default_value_t = 5)]
    idle_secs: u64,
    /// Runs of the C program per case (login to the server, embedded).
    #[arg(long, default_value_t = 3)]
    sdk_runs: usize,
}

/// The repository root (the bench crate sits one below it).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bench/ has a parent")
        .to_path_buf()
}

/// The directory of this binary, where cargo also puts libv2tim.so and v2tim-server.
fn release_dir() -> PathBuf {
    std::env::current_exe()
        .expect("current exe")
        .parent()
        .expect("exe dir")
        .to_path_buf()
}

pub fn run(ctx: &super::Ctx, args: Args) {
    let load_before = report::loadavg();
    let nofile = raise_nofile(args.connections.iter().copied().max().unwrap_or(0));
    let mut per_conn = Vec::new();
    for &n in &args.connections {
        per_conn.push(idle_connections(ctx, n, args.idle_secs, nofile));
    }
    let sdk = sdk_rss(ctx, args.sdk_runs);
    let sizes = stripped_sizes(ctx);

    println!("footprint:");
    for r in &per_conn {
        println!(
            "  {} idle connections: server +{} KiB = {:.1} KiB/connection (RSS {} -> {} KiB); bench process {:.1} KiB/client; logins took {:.1} s",
            r["connections"],
            r["server_delta_kib"],
            r["server_kib_per_connection"].as_f64().unwrap_or(f64::NAN),
            r["server_rss_before_kib"],
            r["server_rss_idle_kib"],
            r["bench_kib_per_client"].as_f64().unwrap_or(f64::NAN),
            r["login_all_s"].as_f64().unwrap_or(f64::NAN),
        );
    }
    for case in ["remote", "embedded"] {
        let c = &sdk[case]["median_kib"];
        println!(
            "  C app, {case}: VmRSS start {} / after init {} / after login {} / 1 s later {} KiB",
            c["start"], c["init"], c["login"], c["login_settled"]
        );
    }
    for (name, s) in sizes.as_object().into_iter().flatten() {
        println!(
            "  {name}: {} bytes, stripped {} bytes",
            s["bytes"], s["stripped_bytes"]
        );
    }

    let notes = format!(
        "Server: v2tim-server process (release, durable SQLite in a fresh data dir), VmRSS \
         read 1 s after start, then N distinct users logged in through the C ABI from this \
         process (64 logins in flight), left idle {idle} s (the SDK's keep-alives still \
         run), VmRSS read again; per connection = delta / N, which includes the server's \
         SQLite page cache growing by N account rows. open_fds = entries of the server's \
         /proc/<pid>/fd, as a check that all N connections were open. Bench process: the same \
         delta for this process, which holds N SDK instances (one shared SDK runtime of 2 \
         worker threads and one event thread). SDK RSS: bench/c/sdk_rss.c (gcc -O2, linked \
         against target/release/libv2tim.so), VmRSS at start, after v2tim_manager_create + \
         v2tim_init_sdk, right after the login callback, and 1 s later; 'remote' logs in to \
         a v2tim-server process, 'embedded' to the in-process server (NULL url: it includes \
         that server and its in-memory SQLite). Sizes: release profile (Cargo.toml: \
         lto = \"thin\", codegen-units = 4, panic = \"unwind\" so the C boundary can catch \
         panics, debug = false), copies stripped with `strip` (.so, binary) and \
         `strip --strip-unneeded` (.a). RLIMIT_NOFILE soft limit {nofile}. 2 shared cores, \
         loadavg before {load_before}.",
        idle = args.idle_secs,
    );
    report::write(
        ctx.out(),
        "footprint",
        json!({
            "workload": "footprint",
            "idle_connections": per_conn,
            "sdk_rss_kib": sdk,
            "sizes": sizes,
            "loadavg_before": load_before,
            "notes": notes,
        }),
    );
}

/// Each connection costs a descriptor here and one in the server, which inherits our limit.
fn raise_nofile(connections: usize) -> u64 {
    let want = connections as u64 + 1024;
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 0;
        }
        if lim.rlim_cur < want {
            let new = libc::rlimit {
                rlim_cur: want.min(lim.rlim_max),
                rlim_max: lim.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &new) == 0 {
                lim.rlim_cur = new.rlim_cur;
            }
        }
        if lim.rlim_cur < want {
            eprintln!(
                "warning: RLIMIT_NOFILE is {} (hard {}), {connections} connections need about {want}",
                lim.rlim_cur, lim.rlim_max
            );
        }
        lim.rlim_cur
    }
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

fn idle_connections(ctx: &super::Ctx, n: usize, idle_secs: u64, nofile: u64) -> Value {
    let dir = ctx.fresh_data_dir(&format!("footprint-{n}"));
    let server = ServerProcess::start(&dir);
    std::thread::sleep(Duration::from_secs(1));
    let me = std::process::id();
    let server_before = server.rss_kib();
    let bench_before = report::rss_kib(me);
    let users: Vec<String> = (0..n).map(|i| format!("fp{n}-{i}")).collect();
    let t = Instant::now();
    let clients = crowd::login_all(&server.url, &users, |_| None);
    let login_s = t.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_secs(idle_secs));
    let server_idle = server.rss_kib();
    let bench_idle = report::rss_kib(me);
    let fds = open_fds(server.pid());
    drop(clients);
    std::thread::sleep(Duration::from_secs(2));
    let server_after = server.rss_kib();
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
    let delta = server_idle.saturating_sub(server_before);
    let bench_delta = bench_idle.saturating_sub(bench_before);
    println!(
        "{n} idle connections: server {server_before} -> {server_idle} KiB ({:.1} KiB each), {fds} fds; bench {bench_before} -> {bench_idle} KiB",
        delta as f64 / n as f64
    );
    json!({
        "connections": n,
        "login_all_s": login_s,
        "logins_per_s": n as f64 / login_s,
        "idle_s": idle_secs,
        "server_rss_before_kib": server_before,
        "server_rss_idle_kib": server_idle,
        "server_delta_kib": delta,
        "server_kib_per_connection": delta as f64 / n as f64,
        "server_rss_after_disconnect_kib": server_after,
        "server_open_fds": fds,
        "bench_rss_before_kib": bench_before,
        "bench_rss_idle_kib": bench_idle,
        "bench_kib_per_client": bench_delta as f64 / n as f64,
        "rlimit_nofile": nofile,
    })
}

/// Builds bench/c/sdk_rss next to libv2tim.so (via its Makefile).
fn build_sdk_rss() -> PathBuf {
    let lib_dir = release_dir();
    let lib = lib_dir.join("libv2tim.so");
    assert!(
        lib.exists(),
        "{} missing: run `cargo build --release -p v2tim` (the bench build does not place the cdylib)",
        lib.display()
    );
    let out = lib_dir.join("sdk_rss");
    let status = Command::new("make")
        .arg("-s")
        .arg("-C")
        .arg(repo_root().join("bench/c"))
        .arg(format!("ROOT={}", repo_root().display()))
        .arg(format!("LIBDIR={}", lib_dir.display()))
        .arg(format!("OUT={}", out.display()))
        .status()
        .expect("run make (is it installed?)");
    assert!(status.success(), "building bench/c/sdk_rss failed");
    out
}

/// Runs sdk_rss once; its "<stage> <KiB>" lines as a map.
fn sdk_rss_once(exe: &Path, url: &str, user: &str) -> serde_json::Map<String, Value> {
    let app = APP.to_string();
    let out = Command::new(exe)
        .args([url, user, app.as_str(), KEY])
        .output()
        .expect("run sdk_rss");
    assert!(
        out.status.success(),
        "sdk_rss {url} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(' ')?;
            Some((k.to_owned(), json!(v.trim().parse::<u64>().ok()?)))
        })
        .collect()
}

fn sdk_rss(ctx: &super::Ctx, runs: usize) -> Value {
    let exe = build_sdk_rss();
    let dir = ctx.fresh_data_dir("footprint-sdk");
    let server = ServerProcess::start(&dir);
    let mut result = serde_json::Map::new();
    for (case, url) in [("remote", server.url.as_str()), ("embedded", "-")] {
        let samples: Vec<_> = (0..runs.max(1))
            .map(|i| sdk_rss_once(&exe, url, &format!("sdk-rss-{i}")))
            .collect();
        let mut median = serde_json::Map::new();
        for stage in ["start", "init", "login", "login_settled"] {
            let mut v: Vec<u64> = samples
                .iter()
                .filter_map(|s| s.get(stage)?.as_u64())
                .collect();
            v.sort_unstable();
            if !v.is_empty() {
                median.insert(stage.to_owned(), json!(v[v.len() / 2]));
            }
        }
        result.insert(
            case.to_owned(),
            json!({"median_kib": median, "runs": samples}),
        );
    }
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
    result.into()
}

/// Sizes of the release artifacts and of stripped copies (the originals stay as built).
fn stripped_sizes(ctx: &super::Ctx) -> Value {
    let dir = ctx.fresh_data_dir("footprint-strip");
    let rel = release_dir();
    let mut out = serde_json::Map::new();
    for (name, flags) in [
        ("libv2tim.so", &[][..]),
        ("libv2tim.a", &["--strip-unneeded"][..]),
        ("v2tim-server", &[][..]),
    ] {
        let src = rel.join(name);
        let Ok(meta) = std::fs::metadata(&src) else {
            out.insert(
                name.to_owned(),
                json!({"missing": src.display().to_string()}),
            );
            continue;
        };
        let dst = dir.join(name);
        let stripped = Command::new("strip")
            .args(flags)
            .arg("-o")
            .arg(&dst)
            .arg(&src)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        let stripped_bytes = std::fs::metadata(&dst)
            .ok()
            .filter(|_| stripped)
            .map(|m| m.len());
        out.insert(
            name.to_owned(),
            json!({
                "bytes": meta.len(),
                "stripped_bytes": stripped_bytes,
                "strip": format!("strip {}", flags.join(" ")).trim().to_owned(),
            }),
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    out.into()
}
