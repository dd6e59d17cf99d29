//! The SDK's own tokio runtime, shared by every manager of the process. The host never
//! needs one, and entry points never block on it (they spawn and report via callbacks).
//!
//! The library apps ship (no embedded server) runs its connections on one thread, as chat
//! SDKs do: a client's work is a few frames a second, and tokio's work-stealing scheduler
//! would cost more code than the whole group API. With the embedded server (desktop apps,
//! demos, tests), the server's sessions share the runtime, so it gets two worker threads.

use once_cell::sync::Lazy;
use tokio::runtime::{Builder, Handle};

const THREAD_NAME: &str = "v2tim-worker";

#[cfg(feature = "embedded")]
fn start() -> Handle {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(THREAD_NAME)
        .enable_all()
        .build()
        .expect("the SDK runtime could not start (out of threads?)");
    let handle = rt.handle().clone();
    // The runtime lives as long as the process, like the static it used to be.
    std::mem::forget(rt);
    handle
}

#[cfg(not(feature = "embedded"))]
fn start() -> Handle {
    let rt = Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the SDK runtime could not start");
    let handle = rt.handle().clone();
    // The thread drives every task spawned through the handle, from any thread, for the
    // life of the process.
    std::thread::Builder::new()
        .name(THREAD_NAME.into())
        .spawn(move || rt.block_on(std::future::pending::<()>()))
        .expect("the SDK runtime thread could not start (out of threads?)");
    handle
}

static HANDLE: Lazy<Handle> = Lazy::new(start);

pub(crate) fn handle() -> &'static Handle {
    &HANDLE
}

pub(crate) fn spawn<F>(fut: F) -> tokio::task::JoinHandle<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    handle().spawn(fut)
}
