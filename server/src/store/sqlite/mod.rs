//! The SQLite backend: one database file owned by one storage thread.
//!
//! Works are submitted over a channel; the thread runs whatever is pending as one
//! transaction (group commit: one fsync for many requests), each work inside its own
//! savepoint so a refused or failing one leaves the others intact, commits, and only then
//! finishes them, in commit order (see `writer.rs`). Works that only read run on
//! [`READERS`] read-only connections instead (`reader.rs`), so history, sync and member
//! lists never wait behind writes; an in-memory database has no readers (nothing else can
//! open it) and reads there run on the writer.

pub(crate) mod queries;
mod reader;
pub(crate) mod schema;
mod tx;
mod writer;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;

use parking_lot::Mutex;
use rusqlite::Connection;

use crate::config::AppConfig;
use crate::error::ServerError;
use crate::store::Work;

/// Name of the database file inside the data directory.
pub const DB_FILE: &str = "v2tim.db";

/// Read-only connections (one thread each) of a database on disk.
pub(crate) const READERS: usize = 2;

enum Msg<W> {
    Work(Box<W>),
    Stop,
}

/// Handle to the storage thread, which runs works of type `W`.
pub(crate) struct SqliteStore<W: Work> {
    tx: Mutex<Option<mpsc::Sender<Msg<W>>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    /// The readers' queue (`None` in memory, or once stopped) and threads.
    read_tx: Mutex<Option<mpsc::Sender<Msg<W>>>>,
    readers: Mutex<Vec<JoinHandle<()>>>,
    /// Works sent to the readers so far (diagnostics and tests).
    reads: AtomicU64,
}

impl<W: Work> SqliteStore<W> {
    /// Opens `<dir>/v2tim.db` (or an in-memory database), migrates it and starts the thread.
    pub(crate) fn open(
        dir: Option<&Path>,
        apps: &[AppConfig],
        env: W::Env,
    ) -> Result<Self, ServerError> {
        let mut conn = match dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| {
                    ServerError::new(format!("cannot create data dir {}: {e}", dir.display()))
                })?;
                let path = dir.join(DB_FILE);
                Connection::open(&path)
                    .map_err(|e| ServerError::new(format!("cannot open {}: {e}", path.display())))?
            }
            None => Connection::open_in_memory()?,
        };
        schema::prepare(&mut conn, dir.is_some())?;
        {
            let tx = conn.transaction()?;
            for app in apps {
                queries::seed_recall_limit(&tx, app.sdk_app_id, app.recall_time_limit_secs)?;
            }
            tx.commit()?;
        }
        if dir.is_some() {
            // A kill may have come before a recall's deferred checkpoint
            // (writer::ERASE_CHECKPOINT_DELAY): empty the WAL now, erased content with it.
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        }
        let mut readers = Vec::new();
        let mut read_tx = None;
        if let Some(dir) = dir {
            let (tx, rx) = mpsc::channel();
            let rx = Arc::new(Mutex::new(rx));
            for i in 0..READERS {
                let conn = reader::open(&dir.join(DB_FILE))?;
                let (rx, env) = (rx.clone(), env.clone());
                let thread = std::thread::Builder::new()
                    .name(format!("v2tim-reader-{i}"))
                    .spawn(move || reader::run(conn, rx, env))
                    .map_err(|e| ServerError::new(format!("cannot start a reader thread: {e}")))?;
                readers.push(thread);
            }
            read_tx = Some(tx);
        }
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("v2tim-storage".into())
            .spawn(move || writer::run(conn, rx, env))
            .map_err(|e| ServerError::new(format!("cannot start the storage thread: {e}")))?;
        Ok(SqliteStore {
            tx: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
            read_tx: Mutex::new(read_tx),
            readers: Mutex::new(readers),
            reads: AtomicU64::new(0),
        })
    }

    /// Queues a work. Gives it back when storage has stopped.
    pub(crate) fn submit(&self, work: W) -> Result<(), Box<W>> {
        if work.read_only() {
            if let Some(tx) = self.read_tx.lock().as_ref() {
                self.reads.fetch_add(1, Ordering::Relaxed);
                return tx.send(Msg::Work(Box::new(work))).map_err(|e| match e.0 {
                    Msg::Work(w) => w,
                    Msg::Stop => unreachable!("only stop() sends Stop"),
                });
            }
        }
        let guard = self.tx.lock();
        let Some(tx) = guard.as_ref() else {
            return Err(Box::new(work));
        };
        tx.send(Msg::Work(Box::new(work))).map_err(|e| match e.0 {
            Msg::Work(w) => w,
            Msg::Stop => unreachable!("only stop() sends Stop"),
        })
    }

    /// Works sent to the read-only connections so far.
    pub(crate) fn reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }

    /// Lets the thread finish (and commit) what was queued, then joins it. Idempotent.
    pub(crate) fn stop(&self) {
        if let Some(tx) = self.read_tx.lock().take() {
            for _ in 0..READERS {
                let _ = tx.send(Msg::Stop);
            }
        }
        for handle in self.readers.lock().drain(..) {
            if handle.join().is_err() {
                tracing::error!("storage reader thread panicked");
            }
        }
        if let Some(tx) = self.tx.lock().take() {
            let _ = tx.send(Msg::Stop);
        }
        if let Some(handle) = self.thread.lock().take() {
            if handle.join().is_err() {
                tracing::error!("storage thread panicked");
            }
        }
    }
}
