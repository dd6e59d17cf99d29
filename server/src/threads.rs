//! Threads that run async work on a tokio runtime of their own (the PostgreSQL storage,
//! the cluster's broker connection), so a server opened outside any runtime, or inside one
//! it must not block, works the same.

use std::future::Future;
use std::thread::JoinHandle;

use crate::error::ServerError;

/// Starts thread `name`, which runs the future `make` returns to completion on a
/// current-thread runtime built here (a failure to build it is returned, not logged).
pub(crate) fn spawn_with_runtime<F, Fut>(name: &str, make: F) -> Result<JoinHandle<()>, ServerError>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ServerError::new(format!("cannot start the {name} runtime: {e}")))?;
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || runtime.block_on(make()))
        .map_err(|e| ServerError::new(format!("cannot start the {name} thread: {e}")))
}
