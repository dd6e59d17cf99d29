//! The server under test as its own process (`v2tim-server`, release build), so its CPU
//! and memory are measured apart from the clients'. Durable storage (a data directory)
//! unless asked otherwise: the numbers include the commit to disk.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use parking_lot::Mutex;

use crate::capi::{APP, KEY};

pub struct ServerProcess {
    child: Child,
    pub url: String,
    /// The server's own fan-out timings, from its log (`v2tim_server::fanout`).
    probes: Arc<Mutex<Vec<Probe>>>,
}

/// One fan-out as the server timed it: from the entry's commit to its last frame queued
/// and written.
#[derive(Clone, Debug)]
pub struct Probe {
    pub pos: u64,
    pub frames: u64,
    pub queued_ms: f64,
    pub written_ms: f64,
}

impl Probe {
    /// From a log line `... fan-out written pos=7 frames=10000 commit_to_last_queued_ms=..`.
    fn parse(line: &str) -> Option<Probe> {
        if !line.contains("fan-out written") {
            return None;
        }
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
                .map(|v| v.trim_matches(|c: char| !c.is_ascii_digit() && c != '.'))
        };
        Some(Probe {
            pos: field("pos")?.parse().ok()?,
            frames: field("frames")?.parse().ok()?,
            queued_ms: field("commit_to_last_queued_ms")?.parse().ok()?,
            written_ms: field("commit_to_last_written_ms")?.parse().ok()?,
        })
    }
}

/// `v2tim-server` next to this binary (both are built by `cargo build --release`).
fn server_binary() -> PathBuf {
    if let Ok(p) = std::env::var("V2TIM_SERVER_BIN") {
        return p.into();
    }
    let me = std::env::current_exe().expect("current exe");
    let p = me.with_file_name("v2tim-server");
    assert!(
        p.exists(),
        "{} missing: run `cargo build --release -p v2tim-server` (or set V2TIM_SERVER_BIN)",
        p.display()
    );
    p
}

/// Where the servers under test keep their data: SQLite in a data directory (one node), or
/// a PostgreSQL database shared by `nodes` nodes, told of each other's commits by `broker`.
#[derive(Clone, Debug, Default)]
pub struct Backend {
    pub database: Option<String>,
    pub nodes: usize,
    pub broker: Option<String>,
}

impl Backend {
    /// How the results describe it.
    pub fn describe(&self) -> String {
        match (&self.database, &self.broker) {
            (None, _) => "SQLite (WAL, synchronous=FULL), one node".into(),
            (Some(_), None) => format!("PostgreSQL, {} node(s), no broker", self.nodes.max(1)),
            (Some(_), Some(_)) => format!("PostgreSQL, {} node(s), NATS", self.nodes.max(1)),
        }
    }
}

/// The server processes of one run.
pub struct Servers {
    pub nodes: Vec<ServerProcess>,
}

impl Servers {
    /// One node on SQLite in `data_dir`, or the backend's nodes on a fresh schema of its
    /// PostgreSQL database (named after `data_dir`'s last component).
    pub fn start(data_dir: &Path, backend: &Backend) -> Servers {
        let Some(database) = &backend.database else {
            return Servers {
                nodes: vec![ServerProcess::start(data_dir)],
            };
        };
        std::fs::create_dir_all(data_dir).expect("data dir");
        let schema = format!(
            "bench_{}",
            data_dir
                .file_name()
                .map_or("run".into(), |n| n.to_string_lossy().replace('-', "_"))
        );
        reset_schema(database, &schema);
        let sep = if database.contains('?') { '&' } else { '?' };
        let url = format!("{database}{sep}options=-csearch_path%3D{schema}");
        let nodes = (0..backend.nodes.max(1))
            .map(|i| {
                let mut args: Vec<String> = vec!["--database".into(), url.clone()];
                if let Some(broker) = &backend.broker {
                    args.extend(["--broker".into(), broker.clone()]);
                }
                args.extend(["--node-id".into(), format!("bench-{i}")]);
                ServerProcess::start_with(data_dir, &args)
            })
            .collect();
        Servers { nodes }
    }

    /// Node `i` (round robin).
    pub fn url(&self, i: usize) -> &str {
        &self.nodes[i % self.nodes.len()].url
    }

    /// Every node's fan-out timings so far.
    pub fn probes(&self) -> Vec<Probe> {
        self.nodes.iter().flat_map(ServerProcess::probes).collect()
    }

    pub fn pids(&self) -> Vec<u32> {
        self.nodes.iter().map(ServerProcess::pid).collect()
    }

    /// Resident memory of all nodes, KiB.
    pub fn rss_kib(&self) -> u64 {
        self.nodes.iter().map(ServerProcess::rss_kib).sum()
    }

    pub fn stop(self) {
        for n in self.nodes {
            n.stop();
        }
    }
}

/// Drops and creates `schema` in `database`.
fn reset_schema(database: &str, schema: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(database, tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("--database: cannot connect: {e}"));
        let conn = tokio::spawn(conn);
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .await
            .expect("reset the benchmark's schema");
        drop(client);
        let _ = conn.await;
    });
}

impl ServerProcess {
    /// Starts a server on 127.0.0.1 (a free port) keeping its database in `data_dir`.
    pub fn start(data_dir: &Path) -> ServerProcess {
        let mut dir = std::ffi::OsString::from("--data-dir=");
        dir.push(data_dir);
        Self::start_with(data_dir, &[dir.to_string_lossy().into_owned()])
    }

    /// Starts a server with the storage arguments `storage`; its config file goes in
    /// `data_dir`.
    pub fn start_with(data_dir: &Path, storage: &[String]) -> ServerProcess {
        std::fs::create_dir_all(data_dir).expect("data dir");
        // Every benchmark client comes from 127.0.0.1: the per-address limits, made for
        // the open internet, would refuse most of a 10,000-member room.
        let config = data_dir.join("bench-server.toml");
        std::fs::write(
            &config,
            "[limits]\nmax_connections = 1000000\nmax_connections_per_ip = 1000000\nconnections_per_ip_per_sec = 1000000\n\
             max_unauthenticated = 1000000\nfailed_logins_per_ip_per_min = 1000000\n",
        )
        .expect("bench server config");
        let mut child = Command::new(server_binary())
            .args(["--listen", "127.0.0.1:0", "--max-devices-per-user", "10"])
            .arg("--config")
            .arg(&config)
            .args(storage)
            .arg("--app")
            .arg(format!("{APP}:{KEY}"))
            // V2TIM_BENCH_SERVER_LOG: the servers' RUST_LOG instead (it must keep the
            // fan-out timings: v2tim_server::fanout=info).
            .env(
                "RUST_LOG",
                std::env::var("V2TIM_BENCH_SERVER_LOG")
                    .unwrap_or_else(|_| "warn,v2tim_server::fanout=info".into()),
            )
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start v2tim-server");
        let out = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(out)
            .read_line(&mut line)
            .expect("server stdout");
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected server output: {line:?}"))
            .to_owned();
        // The log: fan-out timings kept, everything else passed on to our stderr.
        let probes: Arc<Mutex<Vec<Probe>>> = Arc::default();
        let err = child.stderr.take().expect("stderr");
        let kept = probes.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                match Probe::parse(&line) {
                    Some(p) => kept.lock().push(p),
                    None => eprintln!("{line}"),
                }
            }
        });
        ServerProcess {
            child,
            url: format!("ws://{addr}"),
            probes,
        }
    }

    /// The fan-outs timed so far.
    pub fn probes(&self) -> Vec<Probe> {
        self.probes.lock().clone()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory of the server process, KiB.
    pub fn rss_kib(&self) -> u64 {
        crate::report::rss_kib(self.pid())
    }

    /// SIGKILL and wait: benchmarks never need a clean shutdown, and this is quickest.
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
