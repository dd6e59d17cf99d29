//! The v2tim chat server: accounts per SDKAppID, C2C and group conversations, durable
//! message storage with per-conversation and per-user sequences, push to online devices,
//! and sync for devices that were offline. The wire protocol is `v2tim-proto`'s frames over
//! WebSocket; `docs/PROTOCOL.md` describes it.
//!
//! The server runs as the `v2tim-server` binary, or in-process: the SDK's embedded mode opens
//! a [`Server`] and hands it one end of a `tokio::io::duplex` pipe via
//! [`Server::serve_stream`].
//!
//! TLS: with `tls_cert` and `tls_key` configured, [`Server::listen`] accepts wss:// (rustls);
//! without them it speaks plain ws:// (for loopback, or behind a TLS terminator).
//! [`Server::serve_stream`] takes any byte stream, so other transports wrap it the same way.
//!
//! Layout: `session` (one connection: reader, writer task and deadlines), `admission`,
//! `metered`, `outbox` and `limits` (the bounds of `[limits]`), `registry` (who is online,
//! push delivery), `handlers` (the requests: `messages`, `groups`, `recall`, written once
//! against the storage interface), `rules` (validation and permissions), `store` (the
//! storage interface `Tx`/`Work`, and its backend `store::sqlite`: `schema`, `writer`,
//! `queries`, `tx`; and `store::postgres`), `config`, and `admin` (the HTTP admin API of `docs/ADMIN_API.md`,
//! bound with [`Server::listen_admin`]). Dependencies point one way: handlers → store;
//! storage never calls back into the handlers.

pub mod admin;
mod admission;
mod clock;
mod cluster;
pub mod config;
mod error;
mod fanout;
mod handlers;
pub mod limits;
mod metered;
mod outbox;
mod portrait;
mod registry;
pub mod rules;
mod session;
mod store;
#[cfg(feature = "postgres")]
mod threads;
mod tls;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::time::Instant;

pub use config::{load_config, parse_app_arg, parse_config, AppConfig, ServerConfig};
pub use error::ServerError;
pub use limits::Limits;
pub use store::sqlite::DB_FILE;

use admission::Admission;
use cluster::relay::Relay;
#[cfg(feature = "postgres")]
use cluster::Cluster;
use handlers::{Cmd, Delivery};
#[cfg(feature = "postgres")]
use handlers::{Ctx, Op};
use outbox::Buffers;
use registry::Registry;
use store::Storage;

/// A running server: storage thread plus the sessions it serves.
pub struct Server {
    config: ServerConfig,
    registry: Arc<Registry>,
    storage: Arc<Storage<Cmd>>,
    /// The broker connection and poll of a node sharing its database (`None`: SQLite).
    #[cfg(feature = "postgres")]
    cluster: Option<Arc<Cluster>>,
    next_conn: AtomicU64,
    /// Flips to true once on shutdown; listeners and sessions watch it.
    shutdown: watch::Sender<bool>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    /// Caps and rates of the client listeners' connections.
    admission: Arc<Admission>,
    /// Every connection's outbound queue and their common byte budget.
    buffers: Arc<Buffers>,
    /// Slots of the admin API's connections.
    admin_slots: Arc<Semaphore>,
}

impl Server {
    /// Opens (creates/migrates) storage and starts the storage thread. No network. Callable
    /// inside or outside a tokio runtime.
    pub fn open(config: ServerConfig) -> Result<Arc<Server>, ServerError> {
        config.validate()?;
        let tls = match (&config.tls_cert, &config.tls_key) {
            (Some(cert), Some(key)) => Some(tls::acceptor(cert, key)?),
            (None, None) => None,
            _ => {
                return Err(ServerError::new_public(
                    "TLS needs both tls_cert and tls_key",
                ))
            }
        };
        let registry = Arc::new(Registry::new(config.max_devices_per_user));
        let limits = &config.limits;
        let buffers = Buffers::new(limits);
        // Nodes sharing a database push each other's commits too, in order.
        let relay = config
            .database_url
            .is_some()
            .then(|| Relay::new(registry.clone()));
        let delivery = Arc::new(Delivery {
            registry: registry.clone(),
            relay: relay.clone(),
        });
        let node_id = config.node_id.clone().unwrap_or_else(default_node_id);
        let storage = Arc::new(Storage::open(&config, &node_id, delivery)?);
        #[cfg(feature = "postgres")]
        let cluster = match &relay {
            Some(relay) => Some(start_cluster(&config, &node_id, relay, &storage, &buffers)?),
            None => None,
        };
        let (shutdown, _) = watch::channel(false);
        let max_connections =
            limits::effective_max_connections(limits, limits::current_fd_limits());
        let admission = Admission::new(limits, max_connections);
        let admin_slots = Arc::new(Semaphore::new(limits.admin_max_connections));
        tracing::info!(
            apps = config.apps.len(),
            data_dir = ?config.data_dir,
            postgres = config.database_url.is_some(),
            broker = config.broker_url.is_some(),
            "v2tim server storage open"
        );
        Ok(Arc::new(Server {
            config,
            registry,
            storage,
            #[cfg(feature = "postgres")]
            cluster,
            next_conn: AtomicU64::new(1),
            shutdown,
            tls,
            admission,
            buffers,
            admin_slots,
        }))
    }

    /// Runs the WebSocket handshake (server side) and the whole session on any byte stream
    /// (a TcpStream, a TLS stream, or a `tokio::io::DuplexStream` for the in-process
    /// embedded mode). Returns when the connection ends.
    ///
    /// Such a stream is not counted against the connection caps (the caller admitted it),
    /// but everything else holds: login deadline, pre-login byte budget, write deadline.
    pub async fn serve_stream<S>(self: Arc<Self>, stream: S)
    where
        S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let deadline = Instant::now() + self.config.limits.login_timeout();
        session::run(self, stream, None, deadline).await
    }

    /// Binds a TCP listener and accepts connections in a spawned task (each served by
    /// [`Server::serve_stream`] in its own task). Returns the bound address (port 0 allowed).
    /// Must be called inside a tokio runtime.
    pub async fn listen(self: &Arc<Self>, addr: SocketAddr) -> std::io::Result<SocketAddr> {
        if *self.shutdown.borrow() {
            return Err(std::io::Error::other("the server is shut down"));
        }
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let mut stop = self.shutdown.subscribe();
        // Weak: an accept loop alone does not keep a dropped server alive.
        let weak: Weak<Server> = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    accepted = listener.accept() => match accepted {
                        Ok((stream, peer)) => {
                            let Some(server) = weak.upgrade() else { break };
                            server.accepted(stream, peer);
                        }
                        Err(e) => {
                            // Typically out of file descriptors: back off instead of spinning.
                            tracing::warn!("accept failed: {e}");
                            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        }
                    },
                    changed = stop.changed() => {
                        if changed.is_err() || *stop.borrow() {
                            break;
                        }
                    }
                }
            }
            tracing::debug!(%local, "listener stopped");
        });
        tracing::info!(%local, tls = self.tls.is_some(), "listening");
        self.log_connection_cap();
        Ok(local)
    }

    /// Says how many connections the listeners take, and why fewer than configured.
    fn log_connection_cap(&self) {
        let limits = &self.config.limits;
        let cap = self.admission.max_connections();
        let fd = limits::current_fd_limits();
        if cap < limits.max_connections {
            tracing::warn!(
                configured = limits.max_connections,
                used = cap,
                fd_soft_limit = fd.map(|f| f.soft),
                fd_reserve = limits.fd_reserve,
                admin_max_connections = limits.admin_max_connections,
                "max_connections lowered to fit the open-file limit"
            );
        } else {
            tracing::info!(
                max_connections = cap,
                fd_soft_limit = fd.map(|f| f.soft),
                "connection cap"
            );
        }
    }

    /// Admits (or at once closes) a connection a listener accepted, and serves it in a task
    /// of its own: TLS handshake (if configured) and session, within the login deadline.
    fn accepted(self: Arc<Self>, stream: tokio::net::TcpStream, peer: SocketAddr) {
        let deadline = Instant::now() + self.config.limits.login_timeout();
        let ticket = match self.admission.admit(peer.ip()) {
            Ok(t) => t,
            Err(why) => {
                tracing::debug!(%peer, ?why, "connection refused");
                return;
            }
        };
        let _ = stream.set_nodelay(true);
        tracing::debug!(%peer, "accepted");
        let ticket = Some(ticket);
        match self.tls.clone() {
            None => drop(tokio::spawn(session::run(self, stream, ticket, deadline))),
            Some(tls) => drop(tokio::spawn(async move {
                match tokio::time::timeout_at(deadline, tls.accept(stream)).await {
                    Ok(Ok(stream)) => session::run(self, stream, ticket, deadline).await,
                    Ok(Err(e)) => tracing::debug!(%peer, "TLS handshake failed: {e}"),
                    Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                }
            })),
        }
    }

    /// Binds the admin (REST) API's HTTP listener (`docs/ADMIN_API.md`) and serves it in a
    /// spawned task until shutdown. Returns the bound address (port 0 allowed). Must be
    /// called inside a tokio runtime.
    pub async fn listen_admin(self: &Arc<Self>, addr: SocketAddr) -> std::io::Result<SocketAddr> {
        if *self.shutdown.borrow() {
            return Err(std::io::Error::other("the server is shut down"));
        }
        admin::listen(self, addr).await
    }

    /// Stops accepting, closes sessions, then lets storage commit what was queued and stops
    /// the storage thread. Idempotent. Blocks briefly for the last commit.
    pub fn shutdown(&self) {
        let first = !self.shutdown.send_replace(true);
        self.registry.close_all();
        self.storage.stop();
        #[cfg(feature = "postgres")]
        if let Some(cluster) = &self.cluster {
            cluster.stop();
        }
        if first {
            tracing::info!("v2tim server stopped");
        }
    }

    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// Number of connections of a user currently logged in (for tests and diagnostics).
    pub fn online_devices(&self, sdk_app_id: u32, user_id: &str) -> usize {
        self.registry.online(sdk_app_id, user_id)
    }

    /// Client connections open on the listeners (logged in or not), for tests and
    /// diagnostics.
    pub fn open_connections(&self) -> usize {
        self.admission.open()
    }

    /// Requests served by the database's read-only connections instead of the writer, for
    /// tests and diagnostics (0 for an in-memory server).
    pub fn reads_beside_writes(&self) -> u64 {
        self.storage.reads()
    }

    /// Bytes queued for all connections and not yet written, for tests and diagnostics.
    pub fn queued_bytes(&self) -> usize {
        self.buffers.total()
    }

    pub(crate) fn buffers(&self) -> &Arc<Buffers> {
        &self.buffers
    }

    pub(crate) fn admin_slots(&self) -> &Arc<Semaphore> {
        &self.admin_slots
    }

    pub(crate) fn registry(&self) -> &Registry {
        &self.registry
    }

    pub(crate) fn storage(&self) -> &Arc<Storage<Cmd>> {
        &self.storage
    }

    pub(crate) fn next_conn_id(&self) -> u64 {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }
}

/// A node's name when the configuration gives none: `node-<pid>-<random>`.
fn default_node_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("node-{}-{:08x}", std::process::id(), nanos)
}

/// How long a node waits at start for the database to say where each app's log stands.
#[cfg(feature = "postgres")]
const RELAY_START_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Connects the relay to storage (its reads of the log) and to a new cluster thread (the
/// broker's notices and the poll), and learns where each app's log stands.
#[cfg(feature = "postgres")]
fn start_cluster(
    config: &ServerConfig,
    node_id: &str,
    relay: &Arc<Relay>,
    storage: &Arc<Storage<Cmd>>,
    buffers: &Arc<Buffers>,
) -> Result<Arc<Cluster>, ServerError> {
    let cluster = Cluster::start(
        relay.clone(),
        config.broker_url.clone(),
        node_id.to_string(),
    )?;
    // Weak: the relay lives inside storage's delivery; strong links would be a cycle.
    let (weak_storage, weak_relay) = (Arc::downgrade(storage), Arc::downgrade(relay));
    let buffers = buffers.clone();
    let read_log = Box::new(move |app: u32, after: Option<u64>| {
        let (outbox, _unread) = buffers.outbox();
        let cmd = Cmd {
            ctx: Ctx {
                app,
                user: String::new(),
                conn_id: 0,
                outbox,
            },
            req_id: 0,
            op: Op::Relay { after },
            slot: None,
            writes: None,
            writing: None,
        };
        let submitted = weak_storage
            .upgrade()
            .is_some_and(|s| s.submit(cmd).is_ok());
        if !submitted {
            if let Some(relay) = weak_relay.upgrade() {
                relay.read_failed(app);
            }
        }
    });
    let weak_cluster = Arc::downgrade(&cluster);
    let announce = Box::new(move |app: u32, head: u64| {
        if let Some(cluster) = weak_cluster.upgrade() {
            cluster.announce(app, head);
        }
    });
    let weak_cluster = Arc::downgrade(&cluster);
    let tell = Box::new(move |app: u32, user: &str, frame: &str| {
        if let Some(cluster) = weak_cluster.upgrade() {
            cluster.tell(app, user, frame);
        }
    });
    relay.connect(read_log, announce, tell);
    let apps: Vec<u32> = config.apps.iter().map(|a| a.sdk_app_id).collect();
    if !relay.start(&apps, RELAY_START_TIMEOUT) {
        cluster.stop();
        storage.stop();
        return Err(ServerError::new(
            "cluster: the database did not say where the log stands within 30 s",
        ));
    }
    tracing::info!(
        node_id,
        broker = config.broker_url.is_some(),
        "cluster node started"
    );
    Ok(cluster)
}

impl Drop for Server {
    /// Dropping the last handle flushes storage like [`Server::shutdown`].
    fn drop(&mut self) {
        self.shutdown();
    }
}
