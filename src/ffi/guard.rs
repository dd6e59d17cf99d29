//! The one panic boundary of the C ABI.
//!
//! Every exported function runs its body through [`call`] (plain returns) or
//! [`call_with_callback`] (functions taking a callback struct); every adapter that calls a
//! host function pointer from the event thread runs through [`in_callback`]. Nothing else in
//! `ffi` catches unwinds, so there is exactly one place deciding what a panic turns into.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::core::Error;

use super::callbacks::{HostCallback, Once};
use super::codes::V2TIM_ERR_PANIC;
use super::error;

fn panic_text(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "unknown panic payload"
    }
}

fn panic_error(name: &str, payload: &(dyn Any + Send)) -> Error {
    Error::new(
        V2TIM_ERR_PANIC,
        format!("internal error in {name}: {}", panic_text(payload)),
    )
}

/// The failure path of every entry point, not generic so that they share one copy: the
/// error (or the panic turned into one), set as the thread's last error.
fn failed(name: &'static str, outcome: Result<Error, Box<dyn Any + Send>>) -> Error {
    let err = outcome.unwrap_or_else(|payload| panic_error(name, payload.as_ref()));
    error::set(&err);
    err
}

/// Runs the body of an entry point whose result is its return value. An error or a panic
/// sets the thread's last error and returns `fail(&error)` (NULL, 0, false, or the code).
pub(crate) fn call<R>(
    name: &'static str,
    fail: impl FnOnce(&Error) -> R,
    body: impl FnOnce() -> Result<R, Error>,
) -> R {
    error::clear();
    let err = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(r)) => return r,
        Ok(Err(e)) => failed(name, Ok(e)),
        Err(payload) => failed(name, Err(payload)),
    };
    // `fail` only builds a constant from the error; guard it anyway so that no code path of
    // an entry point can unwind.
    catch_unwind(AssertUnwindSafe(|| fail(&err))).unwrap_or_else(|_| std::process::abort())
}

/// Runs the body of an entry point that takes a callback struct. An error or a panic sets
/// the thread's last error, goes to the callback's `on_error` on the event thread (unless the
/// body already handed the callback to the core and it has run: [`Once`] calls it at most
/// once), and returns `fallback`.
pub(crate) fn call_with_callback<C: HostCallback, R>(
    name: &'static str,
    once: &Once<C>,
    fallback: R,
    body: impl FnOnce() -> Result<R, Error>,
) -> R {
    error::clear();
    let err = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(r)) => return r,
        Ok(Err(e)) => failed(name, Ok(e)),
        Err(payload) => failed(name, Err(payload)),
    };
    once.fail_async(err);
    fallback
}

/// Runs adapter code that calls into the host (completions, listener events) on the event
/// thread. A panic on the Rust side of the adapter is logged and swallowed so that it cannot
/// kill the event thread; the host's own code cannot unwind into Rust (C has no unwinding,
/// and a C++ exception escaping an `extern "C"` callback is the host's undefined behaviour).
pub(crate) fn in_callback(name: &'static str, f: impl FnOnce()) {
    if let Err(payload) = catch_unwind(AssertUnwindSafe(f)) {
        tracing::error!("panic in {name} adapter: {}", panic_text(payload.as_ref()));
    }
}

/// Posts `f` to the SDK event thread; false if the core could not take it (it panicked), in
/// which case `f` was dropped unrun.
pub(crate) fn post(f: impl FnOnce() + Send + 'static) -> bool {
    match catch_unwind(AssertUnwindSafe(move || crate::core::post(f))) {
        Ok(()) => true,
        Err(payload) => {
            tracing::error!(
                "cannot post to the event thread: {}",
                panic_text(payload.as_ref())
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::{c_char, c_void, CStr};
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;
    use crate::ffi::callbacks::V2TIMCallback;
    use crate::ffi::error::{v2tim_last_error_code, v2tim_last_error_desc};

    #[test]
    fn a_panic_becomes_an_error_code() {
        let r: *const u8 = call("test_fn", |_| std::ptr::null(), || panic!("boom"));
        assert!(r.is_null());
        assert_eq!(v2tim_last_error_code(), V2TIM_ERR_PANIC);
        // SAFETY: never NULL, valid until the next call on this thread.
        let desc = unsafe { CStr::from_ptr(v2tim_last_error_desc()) }
            .to_str()
            .unwrap();
        assert!(desc.contains("test_fn") && desc.contains("boom"), "{desc}");
        assert_eq!(call("test_fn", |e| e.code, || Ok(7)), 7);
        assert_eq!(v2tim_last_error_code(), 0);
    }

    unsafe extern "C" fn on_error(ud: *mut c_void, code: i32, _desc: *const c_char) {
        // SAFETY: the test passes a live Sender.
        let tx = unsafe { &*(ud as *const mpsc::Sender<(i32, bool)>) };
        let _ = tx.send((code, crate::core::is_event_thread()));
    }

    #[test]
    fn a_panic_with_a_callback_goes_to_on_error_on_the_event_thread() {
        let (tx, rx) = mpsc::channel::<(i32, bool)>();
        let cb = V2TIMCallback {
            user_data: &tx as *const _ as *mut c_void,
            on_success: None,
            on_error: Some(on_error),
        };
        let once = Once::new(cb);
        call_with_callback("test_fn", &once, (), || panic!("boom"));
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(10)).unwrap(),
            (V2TIM_ERR_PANIC, true)
        );
        assert_eq!(v2tim_last_error_code(), V2TIM_ERR_PANIC);
        // A completion that runs after the error was reported finds the callback used up.
        once.completion()(Ok(()));
        assert!(rx.recv_timeout(Duration::from_millis(100)).is_err());
    }

    #[test]
    fn a_panicking_adapter_is_contained() {
        in_callback("test", || panic!("adapter bug"));
    }
}
