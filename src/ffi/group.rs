//! Groups: create, join, quit, invite, member roles.

use std::ffi::c_char;

use crate::core::Error;

use super::callbacks::{Once, V2TIMCallback, V2TIMStringCallback};
use super::guard;
use super::manager::{manager_ref, V2TIMManager};
use super::strings::{arg_id, arg_opt_str, arg_str};

/// Creates a group (V2TIMGroupManager::CreateGroup) of type `group_type` ("Work",
/// "Public", "Meeting", "AVChatRoom" or "Community") named `group_name`, with the id
/// `group_id` (NULL or "" lets the server choose one). The creator becomes its owner.
///
/// Strings are copied. The group id goes to `callback.on_success` (borrowed for the call) on
/// the SDK event thread. Errors: `V2TIM_ERR_INVALID_PARAMETERS` (NULL manager, type or name,
/// not UTF-8), `V2TIM_ERR_SDK_NOT_LOGGED_IN`, `V2TIM_ERR_SVR_GROUP_GROUPID_IN_USED`, ...
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_create_group(
    manager: *mut V2TIMManager,
    group_type: *const c_char,
    group_id: *const c_char,
    group_name: *const c_char,
    callback: V2TIMStringCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_create_group", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, group_type, group_id, group_name) = unsafe {
            (
                manager_ref(manager)?,
                arg_id(group_type, "group_type")?,
                arg_opt_str(group_id, "group_id")?,
                arg_str(group_name, "group_name")?,
            )
        };
        m.core()
            .create_group(group_type, group_id, group_name, once.completion());
        Ok(())
    })
}

/// Joins the group `group_id` (V2TIMManager::JoinGroup); `message` is the application text
/// (NULL reads as ""). Strings are copied; the outcome goes to `callback` on the SDK event
/// thread. Errors: `V2TIM_ERR_INVALID_PARAMETERS` (NULL manager, NULL/empty group id),
/// `V2TIM_ERR_SDK_NOT_LOGGED_IN`, `V2TIM_ERR_SVR_GROUP_NOT_FOUND`, ... Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_join_group(
    manager: *mut V2TIMManager,
    group_id: *const c_char,
    message: *const c_char,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_join_group", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, group_id, message) = unsafe {
            (
                manager_ref(manager)?,
                arg_id(group_id, "group_id")?,
                arg_opt_str(message, "message")?,
            )
        };
        m.core().join_group(group_id, message, once.completion());
        Ok(())
    })
}

/// Leaves the group `group_id` (V2TIMManager::QuitGroup). The outcome goes to `callback`
/// on the SDK event thread; argument errors as `v2tim_join_group`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_quit_group(
    manager: *mut V2TIMManager,
    group_id: *const c_char,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_quit_group", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, group_id) = unsafe { (manager_ref(manager)?, arg_id(group_id, "group_id")?) };
        m.core().quit_group(group_id, once.completion());
        Ok(())
    })
}

/// Adds the `count` users of the array `user_ids` to the group `group_id`
/// (V2TIMGroupManager::InviteUserToGroup). The array and its strings are copied.
///
/// The outcome goes to `callback` on the SDK event thread. Errors:
/// `V2TIM_ERR_INVALID_PARAMETERS` (NULL manager, NULL/empty group id, `user_ids` NULL,
/// `count` 0, any entry NULL, empty or not UTF-8), `V2TIM_ERR_SVR_GROUP_PERMISSION_DENY`, ...
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_invite_user_to_group(
    manager: *mut V2TIMManager,
    group_id: *const c_char,
    user_ids: *const *const c_char,
    count: usize,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_invite_user_to_group", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, group_id) = unsafe { (manager_ref(manager)?, arg_id(group_id, "group_id")?) };
        if user_ids.is_null() {
            return Err(Error::invalid("user_ids is NULL"));
        }
        if count == 0 {
            return Err(Error::invalid("count is 0: no user to invite"));
        }
        // SAFETY: the host guarantees `count` readable entries at `user_ids`.
        let raw = unsafe { std::slice::from_raw_parts(user_ids, count) };
        let ids = raw
            .iter()
            .enumerate()
            // SAFETY: each entry is NULL or a NUL-terminated string, per the contract.
            .map(|(i, &p)| unsafe { arg_id(p, &format!("user_ids[{i}]")) }.map(str::to_owned))
            .collect::<Result<Vec<_>, _>>()?;
        m.core()
            .invite_user_to_group(group_id, ids, once.completion());
        Ok(())
    })
}

/// Sets the role of `user_id` in the group `group_id` (V2TIMGroupManager::SetGroupMemberRole):
/// `role` is a `V2TIMGroupMemberRole` (200 member, 300 admin, 400 owner: transfers
/// ownership). The outcome goes to `callback` on the SDK event thread. Errors:
/// `V2TIM_ERR_INVALID_PARAMETERS` (NULL manager, NULL/empty ids),
/// `V2TIM_ERR_SVR_GROUP_PERMISSION_DENY` (only the owner may change roles), ... Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_set_group_member_role(
    manager: *mut V2TIMManager,
    group_id: *const c_char,
    user_id: *const c_char,
    role: u32,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_set_group_member_role", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, group_id, user_id) = unsafe {
            (
                manager_ref(manager)?,
                arg_id(group_id, "group_id")?,
                arg_id(user_id, "user_id")?,
            )
        };
        m.core()
            .set_group_member_role(group_id, user_id, role, once.completion());
        Ok(())
    })
}
