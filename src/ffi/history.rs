//! History of one-to-one and group conversations.

use std::ffi::c_char;

use crate::core::{Error, HistoryOptions, Message};

use super::callbacks::{Once, V2TIMMessageListCallback};
use super::guard;
use super::manager::{manager_ref, V2TIMManager};
use super::message::V2TIMMessage;
use super::strings::{arg_id, arg_opt_str};

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

/// V2TIM's `V2TIMMessageListGetOption`, as `v2tim_get_history_message_list` reads it. Read
/// during the call only; strings NULL or NUL-terminated UTF-8.
#[repr(C)]
pub struct V2TIMMessageListGetOption {
    /// `V2TIMMessageGetType`: 1 cloud older, 2 cloud newer, 3 local older, 4 local newer
    /// (the LOCAL types read the server too: the SDK keeps no message store).
    pub get_type: i32,
    /// Exactly one of `user_id` (one-to-one history) and `group_id` (a group's).
    pub user_id: *const c_char,
    pub group_id: *const c_char,
    pub count: i32,
    /// The start, not included; NULL for none. Takes precedence over `last_msg_seq`.
    pub last_msg: *const V2TIMMessage,
    /// Groups only: the start, included; 0 for none.
    pub last_msg_seq: u64,
    /// Seconds since the epoch; 0 is now. Older reads `[begin - period, begin]`, newer
    /// `[begin, begin + period]`.
    pub get_time_begin: i64,
    /// Seconds; 0 is no limit.
    pub get_time_period: u64,
    /// `V2TIMElemType`s to keep (`message_type_count` of them, at most 32, each 0 to 31); a
    /// recalled message keeps the type it was sent with. A count of 0 keeps all types.
    pub message_types: *const i32,
    pub message_type_count: usize,
}

/// Reads history as `*option` says (V2TIMMessageManager::GetHistoryMessageList): older
/// messages newest first, newer messages oldest first, from `last_msg` (excluded) or, in a
/// group, `last_msg_seq` (included), within the time range when one is given (the
/// intersection of start and range), of the listed element types only when there are any.
/// Recalled messages appear in place, as in
/// `v2tim_get_c2c_history_message_list`.
///
/// `*option` and what it points to are only read during the call. The result goes to
/// `callback` on the SDK event thread; the list is borrowed for `on_success`. Errors:
/// `V2TIM_ERR_INVALID_PARAMETERS` with the reason (NULL manager or option, not exactly one
/// of the ids, a get type outside 1 to 4, `last_msg_seq` for a one-to-one history, a
/// negative time, a bad element type), `V2TIM_ERR_SDK_NOT_LOGGED_IN`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_get_history_message_list(
    manager: *mut V2TIMManager,
    option: *const V2TIMMessageListGetOption,
    callback: V2TIMMessageListCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_get_history_message_list", &once, (), || {
        // SAFETY: the host passes NULL or live pointers, valid during the call.
        let (m, o) = unsafe {
            (
                manager_ref(manager)?,
                option
                    .as_ref()
                    .ok_or_else(|| Error::invalid("option is NULL"))?,
            )
        };
        // SAFETY: as above, for the option's own pointers.
        let options = unsafe { options(o) }?;
        m.core()
            .get_history_message_list(&options, once.completion());
        Ok(())
    })
}

/// # Safety
/// `o`'s pointers are NULL or valid for the call; `message_types` holds
/// `message_type_count` values.
unsafe fn options(o: &V2TIMMessageListGetOption) -> Result<HistoryOptions, Error> {
    // SAFETY: the caller's contract.
    let (user_id, group_id) = unsafe {
        (
            arg_opt_str(o.user_id, "user_id")?,
            arg_opt_str(o.group_id, "group_id")?,
        )
    };
    let given = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let message_types = if o.message_type_count == 0 {
        Vec::new()
    } else if o.message_types.is_null() {
        return Err(Error::invalid("message_types is NULL"));
    } else {
        // SAFETY: the caller's contract.
        unsafe { std::slice::from_raw_parts(o.message_types, o.message_type_count) }.to_vec()
    };
    Ok(HistoryOptions {
        get_type: o.get_type,
        user_id: given(user_id),
        group_id: given(group_id),
        count: o.count,
        // SAFETY: the caller's contract.
        last_msg: unsafe { last(o.last_msg) },
        last_msg_seq: o.last_msg_seq,
        time_begin: o.get_time_begin,
        time_period: o.get_time_period,
        message_types,
    })
}
