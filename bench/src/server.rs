//! The server under test as its own process (`v2tim-server`, release build), so its CPU
//! and memory are measured apart from the clients'. Durable storage (a data directory)
//! unless asked otherwise: the numbers include the commit to disk.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::capi::{APP, KEY};

pub struct ServerProcess {
    child: Child,
    pub url: String,
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

impl ServerProcess {
    /// Starts a server on 127.0.0.1 (a free port) keeping its database in `data_dir`.
    pub fn start(data_dir: &Path) -> ServerProcess {
        std::fs::create_dir_all(data_dir).expect("data dir");
        // Every benchmark client comes from 127.0.0.1: the per-address limits, made for
        // the open internet, would refuse most of a 10,000-member room.
        let config = data_dir.join("bench-server.toml");
        std::fs::write(
            &config,
            "[limits]\nmax_connections_per_ip = 1000000\nconnections_per_ip_per_sec = 1000000\n\
             max_unauthenticated = 1000000\nfailed_logins_per_ip_per_min = 1000000\n",
        )
        .expect("bench server config");
        let mut child = Command::new(server_binary())
            .args(["--listen", "127.0.0.1:0", "--max-devices-per-user", "10"])
            .arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--app")
            .arg(format!("{APP}:{KEY}"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
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
        ServerProcess {
            child,
            url: format!("ws://{addr}"),
        }
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
