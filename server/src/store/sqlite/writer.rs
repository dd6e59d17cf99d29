//! The storage thread: group commit, savepoint per work, finished after COMMIT.

use std::future::Future;
use std::pin::pin;
use std::sync::mpsc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::tx::SqliteTx;
use super::Msg;
use crate::clock::now_ms;
use crate::store::{finish_batch, StoreError, Work};

/// Most works per transaction, so one huge burst still answers its first requests soon.
const MAX_BATCH: usize = 512;

/// How long erased content may stay in the WAL file after its recall committed. The
/// checkpoint that removes it blocks this thread (it copies pages and syncs the database
/// file), so doing it after every recall made the next request wait for it: 16 ms median
/// send latency instead of 0.8 ms in `v2tim-bench pairs --pairs 1` (docs/PERFORMANCE.md).
/// Recalls within this window share one checkpoint.
pub(crate) const ERASE_CHECKPOINT_DELAY: Duration = Duration::from_millis(250);

pub(super) fn run<W: Work>(mut conn: Connection, rx: mpsc::Receiver<Msg<W>>, env: W::Env) {
    // When recalled content still sits in the WAL: the time its checkpoint is due.
    let mut erase_due: Option<Instant> = None;
    loop {
        let first = match erase_due {
            None => rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
            Some(due) => rx.recv_timeout(due.saturating_duration_since(Instant::now())),
        };
        let mut batch = match first {
            Ok(Msg::Work(w)) => vec![*w],
            Err(mpsc::RecvTimeoutError::Timeout) => {
                erase_due = retry_unless(erase_checkpoint(&conn));
                continue;
            }
            Ok(Msg::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let mut stop = false;
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(Msg::Work(w)) => batch.push(*w),
                Ok(Msg::Stop) => {
                    stop = true;
                    break;
                }
                Err(_) => break,
            }
        }
        if process(&mut conn, batch, &env) && erase_due.is_none() {
            erase_due = Some(Instant::now() + ERASE_CHECKPOINT_DELAY);
        }
        // Under steady load the queue never runs dry: check the deadline after each batch too.
        if erase_due.is_some_and(|due| Instant::now() >= due) {
            erase_due = retry_unless(erase_checkpoint(&conn));
        }
        if stop {
            break;
        }
    }
    // Checkpoint so the main file holds everything (the WAL would be replayed anyway), and
    // no erased content is left in the WAL.
    if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)") {
        tracing::warn!("storage: final checkpoint failed: {e}");
    }
    tracing::debug!("storage thread stopped");
}

/// Copies the pages written since recalls into the database file (where `secure_delete`
/// zeroed the old bytes) and empties the WAL, which still holds the page images from before
/// the recall: erased content is then gone from the files too. False if it could not (a
/// reader still on the WAL past the busy timeout, or an error).
fn erase_checkpoint(conn: &Connection) -> bool {
    let t = Instant::now();
    match conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(busy) => {
            tracing::debug!(
                busy,
                micros = t.elapsed().as_micros() as u64,
                "storage: erase checkpoint"
            );
            busy == 0
        }
        Err(e) => {
            tracing::warn!("storage: checkpoint after recall failed: {e}");
            false
        }
    }
}

/// The next erase deadline: none once the WAL was emptied, another delay if it was not.
fn retry_unless(emptied: bool) -> Option<Instant> {
    (!emptied).then(|| Instant::now() + ERASE_CHECKPOINT_DELAY)
}

/// Runs and commits one batch, then finishes its works; true if one erased message content.
fn process<W: Work>(conn: &mut Connection, batch: Vec<W>, env: &W::Env) -> bool {
    let mut results = Vec::with_capacity(batch.len());
    let committed = conn.execute_batch("BEGIN").and_then(|()| {
        for work in &batch {
            results.push(run_one(conn, work));
        }
        conn.execute_batch("COMMIT")
    });
    if let Err(e) = committed {
        // Nothing of this batch is durable: every success becomes a failure, and answers
        // computed from uncommitted state (reads) are withdrawn too.
        tracing::error!("storage: commit failed: {e}");
        if !conn.is_autocommit() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        let failure = W::Error::from(StoreError::from(e));
        results = batch.iter().map(|_| Err(failure.clone())).collect();
    }
    finish_batch(batch, results, env, std::time::Instant::now())
}

/// One work in its own savepoint: a refused or failing work leaves no trace.
fn run_one<W: Work>(conn: &mut Connection, work: &W) -> Result<W::Output, W::Error> {
    let sql = |conn: &Connection, sql: &str| {
        // Cached: parsing these anew for every work showed in the writer's profile.
        conn.prepare_cached(sql)
            .and_then(|mut s| s.execute([]))
            .map_err(|e| W::Error::from(e.into()))
    };
    sql(conn, "SAVEPOINT work")?;
    let result = now(work.run(&mut SqliteTx { conn }, now_ms()));
    if result.is_err() {
        sql(conn, "ROLLBACK TO work")?;
    }
    sql(conn, "RELEASE work")?;
    result
}

/// The output of a future that never waits: every [`SqliteTx`] call completes at once, so
/// a work's future is ready on its first poll.
pub(super) fn now<T, E: From<StoreError>>(fut: impl Future<Output = Result<T, E>>) -> Result<T, E> {
    match pin!(fut).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(r) => r,
        Poll::Pending => Err(StoreError("a SQLite work waited on something".into()).into()),
    }
}
