//! The SDK's own tokio runtime, shared by every manager of the process. The host never
//! needs one, and entry points never block on it (they spawn and report via callbacks).

use once_cell::sync::Lazy;
use tokio::runtime::{Builder, Handle, Runtime};

static RUNTIME: Lazy<Runtime> = Lazy::new(|| {
    Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("v2tim-worker")
        .enable_all()
        .build()
        .expect("the SDK runtime could not start (out of threads?)")
});

pub(crate) fn handle() -> &'static Handle {
    RUNTIME.handle()
}

pub(crate) fn spawn<F>(fut: F) -> tokio::task::JoinHandle<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    handle().spawn(fut)
}
