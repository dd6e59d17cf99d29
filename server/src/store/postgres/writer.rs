//! The writer: group commit across a node's works, one advisory lock across nodes.

use deadpool_postgres::{Object, Pool};
use tokio::sync::mpsc;

use super::connection;
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
        let outcome = process(pool, &mut conn, &batch).await;
        let committed = std::time::Instant::now();
        let results = match outcome {
            Ok(results) => results,
            Err(e) => {
                // Nothing of this batch is durable (or it is unknown whether it is: a
                // retry with the same idempotency key then finds what committed).
                tracing::error!("storage: batch failed: {e}");
                if let Some(c) = conn.take() {
                    drop(Object::take(c));
                }
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

/// Runs and commits one batch. An error means the transaction did not commit.
async fn process<W: Work>(
    pool: &Pool,
    conn: &mut Option<Object>,
    batch: &[W],
) -> Result<Vec<Result<W::Output, W::Error>>, StoreError> {
    let client = begin(pool, conn).await?;
    let mut results = Vec::with_capacity(batch.len());
    // How the previous work's savepoint ends, sent with the next statement (one round
    // trip per work for the savepoints instead of two).
    let mut end = "";
    for work in batch {
        client.batch_execute(&format!("{end}SAVEPOINT w")).await?;
        let result = work.run(&mut PgTx { client }, now_ms()).await;
        end = if result.is_ok() {
            "RELEASE w; "
        } else {
            "ROLLBACK TO w; RELEASE w; "
        };
        results.push(result);
    }
    client.batch_execute(&format!("{end}COMMIT")).await?;
    Ok(results)
}

/// Opens the batch's transaction and takes the write lock. A kept connection that turns
/// out broken (PostgreSQL restarted, the connection was terminated) is replaced once: at
/// this point nothing of the batch has run, so trying again is safe.
async fn begin<'c>(pool: &Pool, conn: &'c mut Option<Object>) -> Result<&'c Object, StoreError> {
    let open = format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})");
    let kept = conn.is_some();
    if conn.is_none() {
        *conn = Some(connection(pool).await?);
    }
    let first = conn
        .as_ref()
        .expect("connected above")
        .batch_execute(&open)
        .await;
    if let Err(e) = first {
        if let Some(c) = conn.take() {
            drop(Object::take(c));
        }
        if !kept {
            return Err(e.into());
        }
        tracing::info!("storage: the writer's connection broke ({e}); reconnecting");
        let fresh = connection(pool).await?;
        fresh.batch_execute(&open).await?;
        *conn = Some(fresh);
    }
    Ok(conn.as_ref().expect("connected above"))
}
