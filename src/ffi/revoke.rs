//! Message recall (revoke).

use std::ffi::c_char;

use super::callbacks::{Once, V2TIMCallback};
use super::guard;
use super::manager::{manager_ref, V2TIMManager};
use super::message::{message_ref, V2TIMMessage};
use super::strings::{arg_id, arg_opt_str};

/// Recalls `message` (V2TIMMessageManager::RevokeMessage): the sender's own message, or, in
/// a group, a message the caller may recall as owner (anyone's) or admin (ordinary
/// members'). Within the app's time limit (default 120 s from the server timestamp).
///
/// On success `message` (and every other handle on the same message) reads as recalled:
/// status `V2TIM_MSG_STATUS_LOCAL_REVOKED` (6), `v2tim_message_is_revoked` true, text "",
/// revoker readable. Every other device of every participant gets
/// `on_recv_message_revoked`. `message` is only read during the call. The result goes to
/// `callback` (copied) on the SDK event thread. Errors: `V2TIM_ERR_INVALID_PARAMETERS`
/// (NULL, a message never sent), `V2TIM_ERR_SDK_NOT_LOGGED_IN`,
/// `V2TIM_ERR_SVR_MSG_REVOKE_TIME_LIMIT` / `V2TIM_ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT`,
/// `V2TIM_ERR_SVR_MSG_NOT_FOUND` / `V2TIM_ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND`,
/// `V2TIM_ERR_SVR_MSG_ALREADY_REVOKED`, `V2TIM_ERR_REVOKE_NOT_SENDER` (C2C, the peer's
/// message), `V2TIM_ERR_SVR_GROUP_PERMISSION_DENY`, `V2TIM_ERR_SVR_GROUP_REVOKE_MSG_DENY`
/// (recall switched off). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_revoke_message(
    manager: *mut V2TIMManager,
    message: *const V2TIMMessage,
    callback: V2TIMCallback,
) {
    // SAFETY: forwarded contract; NULL reason means none.
    unsafe { v2tim_revoke_message_with_reason(manager, message, std::ptr::null(), callback) }
}

/// As `v2tim_revoke_message`, with a `reason` every participant reads with the recall
/// (`on_recv_message_revoked`, `v2tim_message_get_revoke_reason`). NULL or "" = none.
/// `reason` is copied. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_revoke_message_with_reason(
    manager: *mut V2TIMManager,
    message: *const V2TIMMessage,
    reason: *const c_char,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_revoke_message_with_reason", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, msg, reason) = unsafe {
            (
                manager_ref(manager)?,
                message_ref(message)?,
                arg_opt_str(reason, "reason")?,
            )
        };
        m.core()
            .revoke_message(msg.core(), reason, once.completion());
        Ok(())
    })
}

/// Recalls the message `msg_id` of the one-to-one conversation with `user_id` xor of the
/// group `group_id` (the other one NULL or ""), for apps that keep their own message store
/// and no longer hold the SDK's `V2TIMMessage`. Same rules, results and errors as
/// `v2tim_revoke_message_with_reason`; a handle the SDK gave out for that message turns to
/// the recalled form too. All strings are copied. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_revoke_message_by_id(
    manager: *mut V2TIMManager,
    user_id: *const c_char,
    group_id: *const c_char,
    msg_id: *const c_char,
    reason: *const c_char,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_revoke_message_by_id", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, user_id, group_id, msg_id, reason) = unsafe {
            (
                manager_ref(manager)?,
                arg_opt_str(user_id, "user_id")?,
                arg_opt_str(group_id, "group_id")?,
                arg_id(msg_id, "msg_id")?,
                arg_opt_str(reason, "reason")?,
            )
        };
        m.core()
            .revoke_message_by_id(user_id, group_id, msg_id, reason, once.completion());
        Ok(())
    })
}
