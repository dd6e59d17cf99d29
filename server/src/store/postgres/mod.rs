//! The PostgreSQL backend: one database shared by every node of a cluster (SPEC §4.1).
//!
//! Each node runs its storage on a thread of its own ("v2tim-postgres", with its own tokio
//! runtime, so a server opened outside any runtime works the same), over a pool of
//! connections:
//!
//! - one writer (`writer.rs`) runs whatever is pending as one transaction (group commit),
//!   each work in its own savepoint, and finishes the works after COMMIT, in commit order;
//! - every write transaction first takes one transaction-scoped advisory lock, so the
//!   writes of all nodes commit one after another: stream positions are given in commit
//!   order (a reader that sees position `p` sees everything before it), and two nodes'
//!   works never deadlock on each other's rows;
//! - works that only read run on up to [`READERS`] other connections (`reader.rs`), each in
//!   a read-only REPEATABLE READ transaction (one snapshot per work), beside the writer;
//! - after a recall, `VACUUM` removes the dead row versions that still hold the erased
//!   content (`eraser.rs`; docs/SCALING.md §2 says what it can and cannot erase).
//!
//! The schema and its migrations are in `schema.rs`; SQL in `tx.rs`.

mod eraser;
mod reader;
mod schema;
mod tx;
mod writer;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use parking_lot::Mutex;
use tokio::sync::mpsc;

use crate::config::AppConfig;
use crate::error::ServerError;
use crate::store::{StoreError, Work};

/// Read-only connections per node.
pub(crate) const READERS: usize = 4;
/// Connections in the pool: the writer, the readers and the eraser.
const POOL_SIZE: usize = READERS + 2;

/// How long opening a connection, or waiting for a free one, may take before the work
/// fails with a storage error instead of waiting on.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Handle to a node's PostgreSQL storage thread, which runs works of type `W`.
pub(crate) struct PgStore<W: Work> {
    write_tx: Mutex<Option<mpsc::UnboundedSender<W>>>,
    read_tx: Mutex<Option<mpsc::UnboundedSender<W>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    /// Works sent to the readers so far (diagnostics and tests).
    reads: AtomicU64,
}

impl<W: Work> PgStore<W> {
    /// Connects to `url`, migrates the schema, seeds the apps' settings and starts the
    /// storage thread. Blocks until the database answered (or failed to).
    /// `node_id` names the node's connections (`application_name` = `v2tim-server
    /// <node_id>`), so an operator can tell the nodes apart in `pg_stat_activity`.
    pub(crate) fn open(
        url: &str,
        node_id: &str,
        apps: &[AppConfig],
        env: W::Env,
    ) -> Result<Self, ServerError> {
        let mut pg: tokio_postgres::Config = url.parse().map_err(|e| {
            // Not the URL itself: it may hold a password.
            ServerError::new(format!("database_url is not a PostgreSQL URL: {e}"))
        })?;
        if pg.get_connect_timeout().is_none() {
            pg.connect_timeout(CONNECT_TIMEOUT);
        }
        pg.application_name(format!("v2tim-server {node_id}"));
        let apps: Vec<(u32, u32)> = apps
            .iter()
            .map(|a| (a.sdk_app_id, a.recall_time_limit_secs))
            .collect();
        let (write_tx, write_rx) = mpsc::unbounded_channel();
        let (read_tx, read_rx) = mpsc::unbounded_channel();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = crate::threads::spawn_with_runtime("v2tim-postgres", move || async move {
            let pool = match start(pg, &apps).await {
                Ok(pool) => pool,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            let _ = ready_tx.send(Ok(()));
            serve(pool, write_rx, read_rx, env).await;
        })?;
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let _ = thread.join();
                return Err(e);
            }
            Err(_) => {
                let _ = thread.join();
                return Err(ServerError::new("the PostgreSQL storage thread stopped"));
            }
        }
        Ok(PgStore {
            write_tx: Mutex::new(Some(write_tx)),
            read_tx: Mutex::new(Some(read_tx)),
            thread: Mutex::new(Some(thread)),
            reads: AtomicU64::new(0),
        })
    }

    /// Queues a work. Gives it back when storage has stopped.
    pub(crate) fn submit(&self, work: W) -> Result<(), Box<W>> {
        let queue = if work.read_only() {
            self.reads.fetch_add(1, Ordering::Relaxed);
            &self.read_tx
        } else {
            &self.write_tx
        };
        match queue.lock().as_ref() {
            Some(tx) => tx.send(work).map_err(|e| Box::new(e.0)),
            None => Err(Box::new(work)),
        }
    }

    /// Works sent to the read-only connections so far.
    pub(crate) fn reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }

    /// Lets the writer commit what was queued and the readers answer theirs, then joins
    /// the thread. Idempotent.
    pub(crate) fn stop(&self) {
        drop(self.read_tx.lock().take());
        drop(self.write_tx.lock().take());
        if let Some(handle) = self.thread.lock().take() {
            if handle.join().is_err() {
                tracing::error!("PostgreSQL storage thread panicked");
            }
        }
    }
}

/// Builds the pool, migrates and seeds: everything that must succeed before the server
/// may say it is open.
async fn start(pg: tokio_postgres::Config, apps: &[(u32, u32)]) -> Result<Pool, ServerError> {
    let manager = Manager::from_config(
        pg,
        tokio_postgres::NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let pool = Pool::builder(manager)
        .max_size(POOL_SIZE)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(CONNECT_TIMEOUT))
        .create_timeout(Some(CONNECT_TIMEOUT))
        .build()
        .map_err(|e| ServerError::new(format!("cannot create the PostgreSQL pool: {e}")))?;
    let mut client = pool
        .get()
        .await
        .map_err(|e| ServerError::new(format!("cannot connect to PostgreSQL: {e}")))?;
    schema::migrate(&mut client)
        .await
        .map_err(|e| ServerError::new(format!("storage: {e}")))?;
    schema::seed_recall_limits(&client, apps)
        .await
        .map_err(|e| ServerError::new(format!("storage: {e}")))?;
    Ok(pool)
}

/// Runs the writer, the readers and the eraser until both queues close, then finishes.
async fn serve<W: Work>(
    pool: Pool,
    write_rx: mpsc::UnboundedReceiver<W>,
    read_rx: mpsc::UnboundedReceiver<W>,
    env: W::Env,
) {
    let eraser = Arc::new(eraser::Eraser::default());
    let erasing = tokio::spawn(eraser.clone().run(pool.clone()));
    let readers = tokio::spawn(reader::run(pool.clone(), read_rx, env.clone()));
    writer::run(&pool, write_rx, &env, &eraser).await;
    if readers.await.is_err() {
        tracing::error!("PostgreSQL readers panicked");
    }
    erasing.abort();
    // Recalls whose VACUUM was still due: run it now rather than leave it to autovacuum.
    eraser.run_if_due(&pool).await;
    pool.close();
    tracing::debug!("PostgreSQL storage stopped");
}

/// A connection from the pool, or the storage error that says why there is none.
async fn connection(pool: &Pool) -> Result<deadpool_postgres::Object, StoreError> {
    pool.get()
        .await
        .map_err(|e| StoreError(format!("postgres: no connection: {e}")))
}

/// A connection from the pool on which `begin` (the statements opening a transaction)
/// succeeded. A pooled connection can be dead without the pool knowing yet
/// (`pg_terminate_backend`, a PostgreSQL restart: the pool only checks `is_closed`), and
/// then all of them may be: each one that fails is dropped from the pool and the next
/// tried, up to one more than the pool holds (the last one newly connected). Nothing of
/// the caller's work has run, so trying again is safe.
async fn begin_on_pooled(
    pool: &Pool,
    begin: &str,
    who: &str,
) -> Result<deadpool_postgres::Object, StoreError> {
    let mut attempt = 0;
    loop {
        let client = connection(pool).await?;
        match client.batch_execute(begin).await {
            Ok(()) => return Ok(client),
            Err(e) => {
                drop(deadpool_postgres::Object::take(client));
                attempt += 1;
                if attempt > POOL_SIZE {
                    return Err(e.into());
                }
                tracing::info!("storage: {who}'s connection broke ({e}); reconnecting");
            }
        }
    }
}
