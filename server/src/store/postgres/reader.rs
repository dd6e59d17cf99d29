//! Readers: works that only read ([`Work::read_only`]) run on their own pooled
//! connections, at most [`READERS`] at once, each in a read-only REPEATABLE READ
//! transaction: one snapshot per work, as on SQLite's read-only connections.

use std::sync::Arc;

use deadpool_postgres::Pool;
use tokio::sync::{mpsc, Semaphore};

use super::tx::PgTx;
use super::{begin_on_pooled, READERS};
use crate::clock::now_ms;
use crate::store::Work;

/// Runs works from the queue until it closes, then waits for those still running.
pub(super) async fn run<W: Work>(pool: Pool, mut rx: mpsc::UnboundedReceiver<W>, env: W::Env) {
    let slots = Arc::new(Semaphore::new(READERS));
    while let Some(work) = rx.recv().await {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            break;
        };
        let (pool, env) = (pool.clone(), env.clone());
        tokio::spawn(async move {
            let result = read(&pool, &work).await;
            work.finish(&env, result, std::time::Instant::now());
            drop(slot);
        });
    }
    // Every slot back: nothing is still reading.
    let _ = slots.acquire_many(READERS as u32).await;
}

async fn read<W: Work>(pool: &Pool, work: &W) -> Result<W::Output, W::Error> {
    const BEGIN: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    let client = begin_on_pooled(pool, BEGIN, "a reader").await?;
    let result = work.run(&mut PgTx { client: &client }, now_ms()).await;
    if let Err(e) = client.batch_execute("ROLLBACK").await {
        // The connection is in an unknown state: it must not go back to the pool.
        tracing::warn!("storage: ending a read failed: {e}");
        drop(deadpool_postgres::Object::take(client));
    }
    result
}
