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

Limits: connections are capped in all, per source address and before login, new
connections and failed logins are rate-limited per address, a connection must log in
within 10 s and may send only 16 KiB before that, and a client that does not read is
closed after 30 s without progress or 4 MiB queued. Each limit is a key of the config
file's [limits] table (below, with its default); docs/RELIABILITY.md lists the attack
each one stops.

Stops cleanly on Ctrl-C or SIGTERM. Every acknowledged request is already committed to disk
(WAL, synchronous=FULL), so a hard kill loses nothing that was acknowledged.";

const CONFIG_HELP: &str = "\
CONFIG FILE (TOML), every key optional:

    # Address to listen on (default 127.0.0.1:9000; --listen overrides).
    listen = \"0.0.0.0:9000\"
    # Directory of the database file v2tim.db (--data-dir overrides). Default: ./v2tim-data
    data_dir = \"/var/lib/v2tim\"
    # PostgreSQL instead of SQLite (--database overrides; data_dir is then unused). Every
    # node of a cluster names the same database. Default: none (SQLite).
    # database_url = \"postgres://v2tim@db.internal:5432/v2tim\"
    # Cluster: a NATS server that tells the nodes on database_url what changed (--broker
    # overrides), and this node's name (--node-id). Default: no broker (nodes poll the
    # database every 200 ms); node-<pid>-<random>.
    # broker_url = \"nats://nats.internal:4222\"
    # node_id = \"node-1\"
    # Distinct devices a user may have online at once; one more signs out the oldest.
    max_devices_per_user = 10
    # Seconds without any frame from a logged-in client before its connection is closed
    # (the SDK pings after 30 s of silence; 0 = never).
    idle_timeout_secs = 90
    # wss://: PEM certificate chain and key (--tls-cert/--tls-key override). Both or none.
    tls_cert = \"/etc/v2tim/cert.pem\"
    tls_key = \"/etc/v2tim/key.pem\"
    # Admin (REST) API over HTTP (--admin-listen overrides). Default: none.
    admin_listen = \"127.0.0.1:9001\"

    # Bounds that keep anyone without credentials (or a client that does not read) from
    # exhausting the server. Every key optional; the values shown are the defaults.
    [limits]
    # Client connections open at once, logged in or not. Lowered at start to fit the
    # open-file limit (raised to its hard limit at start; both are logged) less fd_reserve
    # and admin_max_connections. Over it, new connections are closed at once.
    max_connections = 100000
    # Client connections from one address (IPv6: one /64). Phones behind a carrier NAT
    # share an address: raise it when serving such networks.
    max_connections_per_ip = 1000
    # Client connections that have not logged in yet.
    max_unauthenticated = 10000
    # Descriptors never given to clients (database, WAL and temporary files, logs).
    fd_reserve = 64
    # New connections per second from one address (bursts of twice as many).
    connections_per_ip_per_sec = 100
    # Refused logins per minute from one address; past it, logins from there are refused
    # with 7008 (without checking the UserSig) and the connection is closed.
    failed_logins_per_ip_per_min = 30
    # Seconds from accept to an answered login (TLS and WebSocket handshakes included).
    login_timeout_secs = 10
    # Bytes a connection may send before its login (handshake and login frame).
    prelogin_max_bytes = 16384
    # Seconds a write to a client may make no progress before the connection is closed.
    write_timeout_secs = 30
    # Frames and bytes queued for one connection before it is closed as not reading
    # (it catches up by sync when it reconnects).
    max_queued_frames_per_conn = 8192
    max_queued_bytes_per_conn = 4194304
    # Bytes queued for all connections together; past it the slowest reader is closed.
    max_queued_bytes_total = 536870912
    # Admin API: open connections (more are closed at once), and seconds for a request's
    # head and then its body. Credentials are checked before any of the body is read.
    admin_max_connections = 64
    admin_header_timeout_secs = 10
    admin_body_timeout_secs = 10

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

    /// Store in PostgreSQL instead of SQLite: postgres://USER[:PASSWORD]@HOST:PORT/DB
    /// (every node of a cluster names the same database). Default: the config file's
    /// `database_url`, else SQLite in --data-dir.
    #[arg(long = "database", value_name = "URL", conflicts_with_all = ["in_memory", "data_dir"])]
    database_url: Option<String>,

    /// Cluster: a NATS server telling the nodes on the same --database what changed, e.g.
    /// nats://127.0.0.1:4222. Default: the config file's `broker_url`, else none (nodes
    /// poll the database).
    #[arg(long = "broker", value_name = "URL")]
    broker_url: Option<String>,

    /// Cluster: this node's name (default: the config file's `node_id`, else
    /// node-<pid>-<random>).
    #[arg(long, value_name = "ID")]
    node_id: Option<String>,

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
    if let Some(url) = &args.database_url {
        config.database_url = Some(url.clone());
    }
    if let Some(url) = &args.broker_url {
        config.broker_url = Some(url.clone());
    }
    if let Some(id) = &args.node_id {
        config.node_id = Some(id.clone());
    }
    if config.database_url.is_some() || args.in_memory {
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

#[cfg(test)]
mod tests {
    use super::*;
    use v2tim_server::Limits;

    /// The config file shown by `--help`, as TOML.
    fn help_example() -> String {
        let body = CONFIG_HELP
            .split_once("CONFIG FILE (TOML), every key optional:")
            .and_then(|(_, rest)| rest.split_once("EXAMPLES:"))
            .map(|(example, _)| example)
            .expect("CONFIG_HELP has its example");
        body.lines()
            .map(|l| l.strip_prefix("    ").unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_help_example_parses_and_shows_the_defaults() {
        let c = v2tim_server::parse_config(&help_example()).expect("the --help example parses");
        assert_eq!(
            c.limits,
            Limits::default(),
            "[limits] in --help shows the defaults"
        );
        assert_eq!(
            c.idle_timeout_secs,
            v2tim_server::config::DEFAULT_IDLE_TIMEOUT_SECS
        );
        assert_eq!(
            c.max_devices_per_user,
            v2tim_server::config::DEFAULT_MAX_DEVICES_PER_USER
        );
    }
}
