//! The SDK event thread: runs completions and listener callbacks in order.

/// True on the SDK event thread (where callbacks run).
pub fn is_event_thread() -> bool {
    false
}

/// Runs `f` on the SDK event thread, after everything posted before it.
pub fn post(f: impl FnOnce() + Send + 'static) {
    let _ = f;
    unimplemented!()
}
