//! Durable state: one SQLite database owned by one storage thread.
//!
//! Sessions submit [`Cmd`]s over a channel; the thread runs whatever is pending as one
//! transaction (group commit: one fsync for many requests), each command inside its own
//! savepoint so a refused or failing command leaves the others intact, commits, and only
//! then answers and pushes, in commit order (see `writer.rs`).

pub(crate) mod queries;
pub(crate) mod schema;
mod writer;

pub(crate) use writer::Done;

use std::path::Path;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;

use parking_lot::Mutex;
use rusqlite::Connection;
use tokio::sync::oneshot;
use v2tim_proto::Request;

use crate::config::AppConfig;
use crate::error::ServerError;
use crate::outbox::Outbox;
use crate::registry::Registry;

/// Name of the database file inside the data directory.
pub const DB_FILE: &str = "v2tim.db";

/// Who is asking, and where the answer goes.
pub(crate) struct Ctx {
    pub app: u32,
    pub user: String,
    pub conn_id: u64,
    pub outbox: Outbox,
}

pub(crate) enum Op {
    /// The storage half of a login whose credentials were already checked: create the
    /// account, read the head, queue the `LoginAck`, then register the connection for pushes.
    /// Doing the last two on the storage thread means every event after the reported head is
    /// pushed, and none before the `LoginAck`. `done` learns whether it worked.
    Login {
        device_id: Option<String>,
        sig_expire_at: i64,
        done: oneshot::Sender<bool>,
    },
    /// Answers after every earlier command of the connection, then closes it.
    Logout,
    Request(Request),
    /// A request of the admin API, on behalf of `administrator`.
    Admin(AdminOp),
}

/// What the admin API asks of storage.
pub(crate) enum AdminOp {
    /// `admin_msgwithdraw`: a C2C message sent `from` → `to`.
    RecallC2c {
        from: String,
        to: String,
        msg_id: String,
        reason: String,
    },
    /// `group_msg_recall`: messages of a group by conversation seq.
    RecallGroup {
        group_id: String,
        seqs: Vec<u64>,
        reason: String,
    },
    GetRecallLimit,
    SetRecallLimit(u32),
}

pub(crate) struct Cmd {
    pub ctx: Ctx,
    pub req_id: u64,
    pub op: Op,
    /// A slot of the connection's in-flight budget, freed once the answer is queued (see
    /// `session::MAX_IN_FLIGHT`); `None` for the admin API.
    pub slot: Option<tokio::sync::OwnedSemaphorePermit>,
}

enum Msg {
    Cmd(Box<Cmd>),
    Stop,
}

/// Handle to the storage thread.
pub(crate) struct Storage {
    tx: Mutex<Option<mpsc::Sender<Msg>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Storage {
    /// Opens `<dir>/v2tim.db` (or an in-memory database), migrates it and starts the thread.
    pub(crate) fn open(
        dir: Option<&Path>,
        apps: &[AppConfig],
        registry: Arc<Registry>,
    ) -> Result<Storage, ServerError> {
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
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("v2tim-storage".into())
            .spawn(move || writer::run(conn, rx, registry))
            .map_err(|e| ServerError::new(format!("cannot start the storage thread: {e}")))?;
        Ok(Storage {
            tx: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Queues a command. Gives it back when storage has stopped.
    pub(crate) fn submit(&self, cmd: Cmd) -> Result<(), Box<Cmd>> {
        let guard = self.tx.lock();
        let Some(tx) = guard.as_ref() else {
            return Err(Box::new(cmd));
        };
        tx.send(Msg::Cmd(Box::new(cmd))).map_err(|e| match e.0 {
            Msg::Cmd(c) => c,
            Msg::Stop => unreachable!("only stop() sends Stop"),
        })
    }

    /// Lets the thread finish (and commit) what was queued, then joins it. Idempotent.
    pub(crate) fn stop(&self) {
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
