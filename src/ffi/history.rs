//! History of one-to-one and group conversations.

use std::ffi::c_char;

use crate::core::Message;

use super::callbacks::{Once, V2TIMMessageListCallback};
use super::guard;
use super::manager::{manager_ref, V2TIMManager};
use super::message::V2TIMMessage;
use super::strings::arg_id;

/// `last_msg` as the core wants it: NULL means "start from the newest".
///
/// # Safety
/// NULL or a live handle.
unsafe fn last(last_msg: *const V2TIMMessage) -> Option<Message> {
    // SAFETY: the caller's contract.
    unsafe { last_msg.as_ref() }.map(|h| h.core().clone())
}

/// Reads the one-to-one history with `user_id`
/// (V2TIMMessageManager::GetC2CHistoryMessageList): the `count` newest messages older than
/// `last_msg`, or the newest when `last_msg` is NULL; newest first. Page by passing the last
/// message of one page as `last_msg` of the next. Recalled messages appear in place with
/// status 6 and empty content.
///
/// `last_msg` is only read during the call. The result goes to `callback` (copied) on the
/// SDK event thread; the list is borrowed for the duration of `on_success`. Errors:
/// `V2TIM_ERR_INVALID_PARAMETERS` (NULL manager, NULL/empty/non-UTF-8 user id, count out of
/// range), `V2TIM_ERR_SDK_NOT_LOGGED_IN`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_get_c2c_history_message_list(
    manager: *mut V2TIMManager,
    user_id: *const c_char,
    count: i32,
    last_msg: *const V2TIMMessage,
    callback: V2TIMMessageListCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_get_c2c_history_message_list", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, user_id, last) = unsafe {
            (
                manager_ref(manager)?,
                arg_id(user_id, "user_id")?,
                last(last_msg),
            )
        };
        m.core()
            .get_c2c_history_message_list(user_id, count, last.as_ref(), once.completion());
        Ok(())
    })
}

/// Reads the history of the group `group_id`
/// (V2TIMMessageManager::GetGroupHistoryMessageList); otherwise as
/// `v2tim_get_c2c_history_message_list`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_get_group_history_message_list(
    manager: *mut V2TIMManager,
    group_id: *const c_char,
    count: i32,
    last_msg: *const V2TIMMessage,
    callback: V2TIMMessageListCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_get_group_history_message_list", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, group_id, last) = unsafe {
            (
                manager_ref(manager)?,
                arg_id(group_id, "group_id")?,
                last(last_msg),
            )
        };
        m.core()
            .get_group_history_message_list(group_id, count, last.as_ref(), once.completion());
        Ok(())
    })
}
