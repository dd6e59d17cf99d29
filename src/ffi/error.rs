//! The per-thread last error, and static descriptions of the error codes.

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};

use crate::core::Error;

use super::codes::*;
use super::strings::cstring_lossy;

thread_local! {
    /// Code and description of the last failed call on this thread; `(0, None)` after a call
    /// that succeeded.
    static LAST: RefCell<(i32, Option<CString>)> = const { RefCell::new((0, None)) };
}

/// Forgets the last error; every entry point except the two readers calls this first.
pub(crate) fn clear() {
    // `try_with`: during thread teardown the slot may be gone; there is nothing to clear then.
    let _ = LAST.try_with(|l| *l.borrow_mut() = (0, None));
}

pub(crate) fn set(err: &Error) {
    let desc = cstring_lossy(&err.desc);
    let _ = LAST.try_with(|l| *l.borrow_mut() = (err.code, Some(desc)));
}

/// The error code of the last v2tim call on the calling thread that failed synchronously
/// (NULL/0/false return, or an error code return), or `V2TIM_SUCC` (0) if the last call
/// succeeded. Calls with a callback struct set it too when they detect an error before the
/// request starts (the same error also goes to the callback's `on_error`).
///
/// Reading it does not change it. Thread-safe: each thread has its own last error.
#[no_mangle]
pub extern "C" fn v2tim_last_error_code() -> i32 {
    LAST.try_with(|l| l.borrow().0).unwrap_or(0)
}

/// The English description of the last error on the calling thread ("" when there is none).
///
/// Borrowed: valid until the next v2tim call on this thread other than
/// `v2tim_last_error_code` / `v2tim_last_error_desc`. Never NULL.
#[no_mangle]
pub extern "C" fn v2tim_last_error_desc() -> *const c_char {
    LAST.try_with(|l| match &l.borrow().1 {
        // The CString's buffer is heap-allocated and stays put until `clear`/`set` replace it.
        Some(s) => s.as_ptr(),
        None => c"".as_ptr(),
    })
    .unwrap_or(c"".as_ptr())
}

/// A static English description of `code` (any code v2tim reports), or "unknown error".
///
/// Static: never freed, valid for the life of the process, never NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn v2tim_error_desc(code: i32) -> *const c_char {
    describe(code).as_ptr()
}

fn describe(code: i32) -> &'static CStr {
    match code {
        V2TIM_SUCC => c"success",
        V2TIM_ERR_PARSE_RESPONSE_FAILED => c"the server's answer could not be parsed",
        V2TIM_ERR_SDK_NOT_INITIALIZED => c"the SDK is not initialized",
        V2TIM_ERR_SDK_NOT_LOGGED_IN => c"not logged in",
        V2TIM_ERR_IN_PROGESS => c"the same operation is already in progress",
        V2TIM_ERR_INVALID_PARAMETERS => c"invalid parameters (NULL, not UTF-8, empty or malformed)",
        V2TIM_ERR_IO_OPERATION_FAILED => c"local storage operation failed",
        V2TIM_ERR_USER_SIG_EXPIRED => c"the UserSig expired while logged in",
        V2TIM_ERR_LOGIN_KICKED_OFF_BY_OTHER => c"signed out: the account logged in elsewhere",
        V2TIM_ERR_SDK_COMM_INVALID_IDENTIFIER => c"invalid user id",
        V2TIM_ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT => c"too many calls; try again later",
        V2TIM_ERR_SDK_ACCOUNT_LOGIN_IN_PROCESS => c"a login is already in progress",
        V2TIM_ERR_SDK_MSG_BODY_SIZE_LIMIT => c"message body larger than 12 KB",
        V2TIM_ERR_SDK_GROUP_INVALID_ID => c"invalid group id",
        V2TIM_ERR_SDK_NET_DISCONNECT => c"the connection to the server was lost",
        V2TIM_ERR_SDK_NET_CONN_TIMEOUT => c"connecting to the server timed out",
        V2TIM_ERR_SDK_NET_CONN_REFUSE => c"the server refused the connection",
        V2TIM_ERR_SDK_NET_WAIT_ACK_TIMEOUT => c"the server did not answer in time",
        V2TIM_ERR_SDK_NET_PKG_SIZE_LIMIT => c"request too large",
        V2TIM_ERR_SVR_COMM_INVALID_REQUEST => c"the server refused the request as invalid",
        V2TIM_ERR_SVR_COMM_INTERNAL => c"internal server error",
        V2TIM_ERR_SVR_ACCOUNT_USERSIG_EXPIRED => c"the UserSig has expired",
        V2TIM_ERR_SVR_ACCOUNT_USERSIG_INVALID => c"the UserSig is invalid (forged or malformed)",
        V2TIM_ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID => c"the UserSig was issued for another user",
        V2TIM_ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID => {
            c"the UserSig was issued for another SDKAppID"
        }
        V2TIM_ERR_SVR_ACCOUNT_INVALID_SDKAPPID => c"unknown SDKAppID",
        V2TIM_ERR_SVR_MSG_INVALID_TOACCOUNT => c"the receiver does not exist",
        V2TIM_ERR_SVR_MSG_REVOKE_TIME_LIMIT => c"the message is too old to be recalled",
        V2TIM_ERR_SVR_MSG_NOT_FOUND => c"message not found",
        V2TIM_ERR_SVR_MSG_ALREADY_REVOKED => c"the message was already recalled",
        V2TIM_ERR_SVR_MSG_BODY_SIZE_LIMIT => c"message body too large",
        V2TIM_ERR_SVR_GROUP_INVALID_PARAMETERS => c"invalid group parameters",
        V2TIM_ERR_SVR_GROUP_PERMISSION_DENY => c"permission denied in this group",
        V2TIM_ERR_SVR_GROUP_NOT_FOUND => c"group not found",
        V2TIM_ERR_SVR_GROUP_ALLREADY_MEMBER => c"already a member of the group",
        V2TIM_ERR_SVR_GROUP_GROUPID_IN_USED => c"the group id is already used",
        V2TIM_ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND => c"group message to recall not found",
        V2TIM_ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT => c"the group message is too old to be recalled",
        V2TIM_ERR_SVR_GROUP_REVOKE_MSG_DENY => c"recall is switched off for this group",
        V2TIM_ERR_PANIC => c"internal error (a panic was caught at the C boundary)",
        V2TIM_ERR_REVOKE_NOT_SENDER => c"only the sender may recall a one-to-one message",
        V2TIM_ERR_DUPLICATE_MSG_ID => c"the message id is already used by another message",
        V2TIM_ERR_PROTOCOL_VERSION => c"the server does not support this SDK's protocol version",
        V2TIM_ERR_BAD_STATE => c"request not valid in the connection's current state",
        V2TIM_ERR_STORAGE => c"storage failed; the request had no effect",
        V2TIM_ERR_SHUTDOWN => c"the SDK was shut down before the request finished",
        V2TIM_ERR_NO_EMBEDDED_SERVER => {
            c"no server_url, and this build has no embedded server: set server_url"
        }
        _ => c"unknown error",
    }
}

/// Reports an error found by the host's own layer (say, a C++ or Swift wrapper checking its
/// arguments) the way the SDK reports its own: `on_error(user_data, code, desc)` is called
/// once, on the SDK event thread, after everything already posted there, never on the calling
/// thread. Every callback struct's `on_error` has this signature, so any of them can be
/// failed this way. `desc` is copied during the call (NULL reads as ""), before anything
/// else, so it may be the string of `v2tim_last_error_desc` (which this call then clears);
/// NULL `on_error` does nothing. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_post_error(
    user_data: *mut std::ffi::c_void,
    on_error: Option<
        unsafe extern "C" fn(user_data: *mut std::ffi::c_void, code: i32, desc: *const c_char),
    >,
    code: i32,
    desc: *const c_char,
) {
    let cb = super::callbacks::V2TIMCallback {
        user_data,
        on_success: None,
        on_error,
    };
    let once = super::callbacks::Once::new(cb);
    // Copied before the guard clears the last error, which `desc` may be.
    // SAFETY: NULL or a NUL-terminated string the host lends for the call.
    let text = unsafe { super::strings::arg_opt_str(desc, "desc") }.map(str::to_owned);
    super::guard::call(
        "v2tim_post_error",
        |_| (),
        || {
            once.fail_async(crate::core::Error::new(code, text?));
            Ok(())
        },
    )
}

/// Sends the SDK's log to `*listener` (copied; NULL stops it): each line of level
/// `min_level` and above (`V2TIM_LOG_DEBUG` 3 to `V2TIM_LOG_ERROR` 6; `V2TIM_LOG_NONE` 0:
/// nothing), on the SDK event thread, for every manager of the process. A process that
/// installed its own `tracing` subscriber before keeps it (and the listener is not called).
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_set_log_listener(
    listener: *const super::callbacks::V2TIMLogListener,
    min_level: i32,
) {
    super::guard::call(
        "v2tim_set_log_listener",
        |_| (),
        || {
            // SAFETY: NULL or a live struct, copied here.
            let sink: Option<crate::core::LogSink> = match unsafe { listener.as_ref() } {
                None => None,
                Some(l) => {
                    let l = *l;
                    Some(std::sync::Arc::new(move |level: i32, text: &str| {
                        // The whole struct (Send + Sync), not its raw pointer field.
                        let l = &l;
                        super::guard::in_callback("on_log", || {
                            if let Some(f) = l.on_log {
                                let text = super::strings::cstring_lossy(text);
                                // SAFETY: host function pointer with its own user_data; `text`
                                // outlives the call.
                                unsafe { f(l.user_data, level, text.as_ptr()) }
                            }
                        })
                    }))
                }
            };
            crate::core::set_log_listener(sink, min_level);
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_description() {
        for &code in ALL_CODES {
            assert_ne!(describe(code), c"unknown error", "code {code}");
        }
    }
}
