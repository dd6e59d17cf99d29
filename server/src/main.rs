//! `v2tim-server`: the chat server as a process. See `--help`.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use v2tim_server::config::DEFAULT_LISTEN;
use v2tim_server::{load_config, parse_app_arg, Server, ServerConfig, ServerError};

const LONG_ABOUT: &str = "\
The v2tim chat server: accounts per SDKAppID, one-to-one (C2C) and group conversations,
durable message storage (SQLite, one file), push to online devices and sync for devices that
were offline. Clients speak the protocol of docs/PROTOCOL.md (JSON frames over WebSocket).

Settings come from the config file (--config), then the flags below override or add to it.
At least one app must be configured. After binding, the line `listening on <addr>` is
printed to stdout (use --listen 127.0.0.1:0 to pick a free port and read it from there),
then, with --admin-listen, the line `admin API listening on <addr>`. Logs go to stderr; set RUST_LOG (e.g. RUST_LOG=debug) for more.

TLS: with --tls-cert and --tls-key (or tls_cert/tls_key in the config file) the server
speaks wss:// (TLS 1.2/1.3, rustls); without them plain ws://, for loopback or behind a TLS
terminator.

Admin API: with --admin-listen ADDR (or admin_listen in the config file) the server also
serves HTTP+JSON in V2TIM's REST shapes (docs/ADMIN_API.md), authenticated as the
`administrator` identity with its UserSig: recall a C2C message (admin_msgwithdraw), recall
group messages (group_msg_recall), read and set the recall time limit. Admin recalls have no
time limit. Keep this port private (loopback or an internal network).

Recall time limit: each app's limit is stored in the database, seeded from the config file's
recall_time_limit_secs (default 120). A value set through the admin API survives restarts;
changing recall_time_limit_secs in the config file applies the new file value at the next
start (whichever changed last wins).

Stops cleanly on Ctrl-C or SIGTERM. Every acknowledged request is already committed to disk
(WAL, synchronous=FULL), so a hard kill loses nothing that was acknowledged.";

const CONFIG_HELP: &str = "\
CONFIG FILE (TOML), every key optional:

    # Address to listen on (default 127.0.0.1:9000; --listen overrides).
    listen = \"0.0.0.0:9000\"
    # Directory of the database file v2tim.db (--data-dir overrides). Default: ./v2tim-data
    data_dir = \"/var/lib/v2tim\"
    # Distinct devices a user may have online at once; one more signs out the oldest.
    max_devices_per_user = 10
    # Seconds without any frame from a logged-in client before its connection is closed
    # (the SDK pings after 15 s of silence; 0 = never).
    idle_timeout_secs = 60
    # wss://: PEM certificate chain and key (--tls-cert/--tls-key override). Both or none.
    tls_cert = \"/etc/v2tim/cert.pem\"
    tls_key = \"/etc/v2tim/key.pem\"
    # Admin (REST) API over HTTP (--admin-listen overrides). Default: none.
    admin_listen = \"127.0.0.1:9001\"

    # One [[apps]] table per SDKAppID served.
    [[apps]]
    sdk_app_id = 1400000001
    # Key UserSigs (TLSSigAPIv2) are checked against. Omit it to switch checks off
    # (only for local testing: anyone can then log in as anyone).
    secret_key = \"5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e\"
    # Seconds after sending during which a message may be recalled; 0 = recall off,
    # at most 604800 (7 days). Default 120. Stored in the database: the admin API may
    # change it; a changed value here applies at the next start.
    recall_time_limit_secs = 120

EXAMPLES:

    v2tim-server --config /etc/v2tim/server.toml
    v2tim-server --listen 127.0.0.1:0 --data-dir /tmp/v2tim --app 1400000001:mysecretkey
    v2tim-server --in-memory --app 1400000001      # no UserSig checks, nothing kept";

#[derive(Parser, Debug)]
#[command(name = "v2tim-server", version, about = "The v2tim chat server", long_about = LONG_ABOUT, after_long_help = CONFIG_HELP)]
struct Args {
    /// TOML configuration file (format: see --help).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Address to listen on, e.g. 127.0.0.1:9000 or 0.0.0.0:9000; port 0 picks a free port.
    /// Default: the config file's `listen`, else 127.0.0.1:9000.
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,

    /// Also serve the admin (REST) API over HTTP on ADDR (docs/ADMIN_API.md), e.g.
    /// 127.0.0.1:9001. Default: the config file's `admin_listen`, else no admin API.
    #[arg(long, value_name = "ADDR")]
    admin_listen: Option<SocketAddr>,

    /// Directory holding the database file v2tim.db (created if missing).
    /// Default: the config file's `data_dir`, else ./v2tim-data.
    #[arg(long, value_name = "DIR", conflicts_with = "in_memory")]
    data_dir: Option<PathBuf>,

    /// Keep everything in memory (lost on exit): for demos and tests.
    #[arg(long)]
    in_memory: bool,

    /// Serve an app: `<sdkappid>:<secretkey>`, or `<sdkappid>` alone to skip UserSig checks.
    /// Repeatable; adds to (or replaces the same id of) the config file's apps.
    #[arg(long = "app", value_name = "SDKAPPID:SECRETKEY")]
    apps: Vec<String>,

    /// Distinct devices a user may have online at once (default 10).
    #[arg(long, value_name = "N")]
    max_devices_per_user: Option<usize>,

    /// PEM certificate chain for wss:// (needs --tls-key).
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<PathBuf>,

    /// PEM private key of --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

fn build_config(args: &Args) -> Result<ServerConfig, ServerError> {
    let mut config = match &args.config {
        Some(path) => load_config(path)?,
        None => ServerConfig::default(),
    };
    for spec in &args.apps {
        let app = parse_app_arg(spec)?;
        config.apps.retain(|a| a.sdk_app_id != app.sdk_app_id);
        config.apps.push(app);
    }
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        config.tls_cert = Some(cert.clone());
        config.tls_key = Some(key.clone());
    }
    if let Some(n) = args.max_devices_per_user {
        config.max_devices_per_user = n;
    }
    if args.in_memory {
        config.data_dir = None;
    } else if let Some(dir) = &args.data_dir {
        config.data_dir = Some(dir.clone());
    } else if config.data_dir.is_none() {
        config.data_dir = Some(PathBuf::from("v2tim-data"));
    }
    if let Some(addr) = args.listen {
        config.listen = Some(addr);
    }
    if let Some(addr) = args.admin_listen {
        config.admin_listen = Some(addr);
    }
    if config.listen.is_none() {
        config.listen = DEFAULT_LISTEN.parse().ok();
    }
    if config.apps.is_empty() {
        return Err(ServerError::new_public(
            "no app configured: pass --app <sdkappid>:<secretkey> or a --config file with [[apps]]",
        ));
    }
    config.validate()?;
    Ok(config)
}

fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("v2tim-server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let config = build_config(&args)?;
    // Before the server sizes its connection cap from the limit.
    v2tim_server::limits::raise_fd_limit();
    let listen = config.listen.ok_or("no listen address")?;
    let admin_listen = config.admin_listen;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let server = Server::open(config)?;
    runtime.block_on(async {
        let addr = server
            .listen(listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        // Tests and scripts read the port from this line.
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {addr}")?;
        if let Some(admin) = admin_listen {
            let bound = server
                .listen_admin(admin)
                .await
                .map_err(|e| format!("cannot listen on {admin} (admin API): {e}"))?;
            writeln!(out, "admin API listening on {bound}")?;
        }
        out.flush()?;
        drop(out);
        wait_for_stop_signal().await;
        tracing::info!("stop signal received");
        Ok::<(), Box<dyn std::error::Error>>(())
    })?;
    server.shutdown();
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    Ok(())
}

async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
