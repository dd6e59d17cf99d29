//! Reader threads: works that only read ([`Work::read_only`]) run on read-only connections
//! of the database file, each in a transaction of its own (one snapshot per work), beside
//! the writer instead of queued behind its batches. WAL lets them read while it writes;
//! they see what the writer committed.

use std::path::Path;
use std::sync::{mpsc, Arc};

use parking_lot::Mutex;
use rusqlite::{Connection, OpenFlags};

use super::tx::SqliteTx;
use super::writer::now;
use super::Msg;
use crate::clock::now_ms;
use crate::error::ServerError;
use crate::store::{StoreError, Work};

/// Opens a read-only connection to the database at `path`.
pub(super) fn open(path: &Path) -> Result<Connection, ServerError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| ServerError::new(format!("cannot open {} to read: {e}", path.display())))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.set_prepared_statement_cache_capacity(super::schema::STATEMENT_CACHE);
    Ok(conn)
}

/// Runs works from the shared queue until it closes or says stop.
pub(super) fn run<W: Work>(
    mut conn: Connection,
    rx: Arc<Mutex<mpsc::Receiver<Msg<W>>>>,
    env: W::Env,
) {
    loop {
        // One reader takes a work at a time; the lock is held only while waiting for it.
        let msg = rx.lock().recv();
        let work = match msg {
            Ok(Msg::Work(w)) => *w,
            Ok(Msg::Stop) | Err(_) => break,
        };
        let result = read(&mut conn, &work);
        work.finish(&env, result, std::time::Instant::now());
    }
}

fn read<W: Work>(conn: &mut Connection, work: &W) -> Result<W::Output, W::Error> {
    conn.execute_batch("BEGIN")
        .map_err(|e| W::Error::from(StoreError::from(e)))?;
    let result = now(work.run(&mut SqliteTx { conn }, now_ms()));
    // Nothing to keep: a read-only transaction ends the same either way.
    let _ = conn.execute_batch("ROLLBACK");
    result
}
