//! After a recall, `VACUUM` on the messages table: a recall's UPDATE erased the content
//! from the row, but PostgreSQL keeps the old row version (content included) in the table
//! until a vacuum removes it. Recalls within [`ERASE_DELAY`] share one vacuum. It runs on
//! a connection of its own and takes no lock that blocks writes (SHARE UPDATE EXCLUSIVE),
//! so writers never wait for it. What it does not reach (free space inside pages, the WAL,
//! backups) is in docs/SCALING.md §2.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::Pool;
use tokio::sync::Notify;

use super::connection;

/// How long the old versions of recalled rows may wait for their vacuum.
pub(crate) const ERASE_DELAY: Duration = Duration::from_secs(1);

/// Index entries of the removed versions are left to autovacuum: they hold keys (ids,
/// positions), not content, and cleaning them means reading every index whole.
const VACUUM: &str = "VACUUM (INDEX_CLEANUP OFF) messages";

#[derive(Default)]
pub(super) struct Eraser {
    due: AtomicBool,
    wake: Notify,
}

impl Eraser {
    /// A recall committed: its old row versions are to be vacuumed.
    pub(super) fn due(&self) {
        self.due.store(true, Ordering::Release);
        self.wake.notify_one();
    }

    /// Vacuums [`ERASE_DELAY`] after each first recall, for ever (until aborted).
    pub(super) async fn run(self: Arc<Self>, pool: Pool) {
        loop {
            self.wake.notified().await;
            tokio::time::sleep(ERASE_DELAY).await;
            self.run_if_due(&pool).await;
        }
    }

    /// Vacuums now if a recall is waiting for it.
    pub(super) async fn run_if_due(&self, pool: &Pool) {
        if !self.due.swap(false, Ordering::AcqRel) {
            return;
        }
        let result = match connection(pool).await {
            Ok(client) => client.batch_execute(VACUUM).await.map_err(|e| e.into()),
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            let e: crate::store::StoreError = e;
            tracing::warn!("storage: vacuum after recall failed (autovacuum will do it): {e}");
        }
    }
}
