//! The writer: group commit across a node's works, one advisory lock across nodes.

use deadpool_postgres::{Object, Pool};
use tokio::sync::mpsc;

use super::begin_on_pooled;
use super::eraser::Eraser;
use super::tx::PgTx;
use crate::clock::now_ms;
use crate::store::{finish_batch, StoreError, Work};

/// Most works per transaction, so one huge burst still answers its first requests soon.
const MAX_BATCH: usize = 512;

/// The advisory lock every write transaction of every node takes first (an arbitrary
/// constant: "v2tim" in ASCII). Held until COMMIT, it orders the nodes' commits, so stream
/// positions (`streams.head`) are handed out in commit order.
pub(super) const WRITE_LOCK: i64 = 0x0076_3274_696d;

/// Runs batches until the queue closes and is empty.
pub(super) async fn run<W: Work>(
    pool: &Pool,
    mut rx: mpsc::UnboundedReceiver<W>,
    env: &W::Env,
    eraser: &Eraser,
) {
    // Kept between batches; dropped (and replaced) after a failure.
    let mut conn: Option<Object> = None;
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(w) => batch.push(w),
                Err(_) => break,
            }
        }
        let mut outcome = process(pool, &mut conn, &batch).await;
        if let Err(Failed::Unsent(e)) = &outcome {
            // The connection died under the batch before its COMMIT left: nothing of it
            // committed, so it runs again, once, on another connection.
            tracing::info!("storage: the writer's connection broke in a batch ({e}); retrying it");
            drop_connection(&mut conn);
            outcome = process(pool, &mut conn, &batch).await;
        }
        let committed = std::time::Instant::now();
        let results = match outcome {
            Ok(results) => results,
            Err(Failed::Unsent(e) | Failed::Unknown(e)) => {
                // Nothing of this batch is durable (or it is unknown whether it is: a
                // retry with the same idempotency key then finds what committed).
                tracing::error!("storage: batch failed: {e}");
                drop_connection(&mut conn);
                let failure = W::Error::from(e);
                batch.iter().map(|_| Err(failure.clone())).collect()
            }
        };
        if finish_batch(batch, results, env, committed) {
            eraser.due();
        }
    }
    tracing::debug!("PostgreSQL writer stopped");
}

/// Why a batch did not commit.
enum Failed {
    /// Its connection closed before the COMMIT was sent: nothing of it is durable.
    Unsent(StoreError),
    /// Anything else, including a COMMIT whose answer was lost: a retry with the same
    /// idempotency key then finds what committed.
    Unknown(StoreError),
}

/// Sorts an error of the batch's connection `client` (before its COMMIT was sent).
fn failed(client: &Object, e: tokio_postgres::Error) -> Failed {
    if client.is_closed() || e.is_closed() {
        Failed::Unsent(e.into())
    } else {
        Failed::Unknown(e.into())
    }
}

fn drop_connection(conn: &mut Option<Object>) {
    if let Some(c) = conn.take() {
        drop(Object::take(c));
    }
}

/// Runs and commits one batch. An error means the transaction did not commit.
async fn process<W: Work>(
    pool: &Pool,
    conn: &mut Option<Object>,
    batch: &[W],
) -> Result<Vec<Result<W::Output, W::Error>>, Failed> {
    let client = begin(pool, conn).await.map_err(Failed::Unknown)?;
    let mut results = Vec::with_capacity(batch.len());
    // How the previous work's savepoint ends, sent with the next statement (one round
    // trip per work for the savepoints instead of two).
    let mut end = "";
    for work in batch {
        client
            .batch_execute(&format!("{end}SAVEPOINT w"))
            .await
            .map_err(|e| failed(client, e))?;
        let result = work.run(&mut PgTx { client }, now_ms()).await;
        end = if result.is_ok() {
            "RELEASE w; "
        } else {
            "ROLLBACK TO w; RELEASE w; "
        };
        results.push(result);
    }
    if client.is_closed() {
        return Err(Failed::Unsent(StoreError(
            "postgres: the connection closed before COMMIT".into(),
        )));
    }
    client
        .batch_execute(&format!("{end}COMMIT"))
        .await
        .map_err(|e| Failed::Unknown(e.into()))?;
    Ok(results)
}

/// Opens the batch's transaction and takes the write lock, on the kept connection or, when
/// there is none or it turns out broken, on one from the pool (`begin_on_pooled`).
async fn begin<'c>(pool: &Pool, conn: &'c mut Option<Object>) -> Result<&'c Object, StoreError> {
    let open = format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})");
    if let Some(kept) = conn.take() {
        match kept.batch_execute(&open).await {
            Ok(()) => return Ok(conn.insert(kept)),
            Err(e) => {
                drop(Object::take(kept));
                tracing::info!("storage: the writer's connection broke ({e}); reconnecting");
            }
        }
    }
    let fresh = begin_on_pooled(pool, &open, "the writer").await?;
    Ok(conn.insert(fresh))
}
