//! Groups: create, join, quit, invite, kick, dismiss, member roles, profiles, member
//! lists.

use std::ffi::c_char;

use crate::core::{Error, GroupChanges, GroupProfile};

use super::callbacks::{Once, V2TIMCallback, V2TIMStringCallback};
use super::group_info::{
    V2TIMGroupInfoListCallback, V2TIMGroupMemberInfoResultCallback,
    V2TIMGroupMemberOperationResultCallback,
};
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
    callback: V2TIMGroupMemberOperationResultCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_invite_user_to_group", &once, (), || {
        // SAFETY: the host passes NULL or live pointers, `count` entries at `user_ids`.
        let (m, group_id, ids) = unsafe {
            (
                manager_ref(manager)?,
                arg_id(group_id, "group_id")?,
                arg_ids(user_ids, count, "user_ids")?,
            )
        };
        m.core()
            .invite_user_to_group(group_id, ids, once.completion());
        Ok(())
    })
}

/// Copies `count` ids at `ids` (each NUL-terminated UTF-8, non-empty).
///
/// # Safety
/// `ids` is NULL or points to `count` entries, each NULL or a NUL-terminated string.
pub(crate) unsafe fn arg_ids(
    ids: *const *const c_char,
    count: usize,
    name: &str,
) -> Result<Vec<String>, Error> {
    if ids.is_null() {
        return Err(Error::invalid(format!("{name} is NULL")));
    }
    if count == 0 {
        return Err(Error::invalid(format!("{name} is empty (count is 0)")));
    }
    // SAFETY: the caller's contract.
    let raw = unsafe { std::slice::from_raw_parts(ids, count) };
    raw.iter()
        .enumerate()
        // SAFETY: each entry is NULL or a NUL-terminated string, per the contract.
        .map(|(i, &p)| unsafe { arg_id(p, &format!("{name}[{i}]")) }.map(str::to_owned))
        .collect()
}

/// Removes members from the group (V2TIMGroupManager::KickGroupMember): the owner removes
/// anyone, an admin ordinary members. The array and strings are copied; `reason` may be
/// NULL. `callback.on_success` gets one result per user (INVALID: not a member, or not
/// removable by the caller); the removed get KICKED tips. Errors:
/// `V2TIM_ERR_INVALID_PARAMETERS` (as `v2tim_invite_user_to_group`),
/// `V2TIM_ERR_SVR_GROUP_PERMISSION_DENY` (an ordinary member), ... Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_kick_group_member(
    manager: *mut V2TIMManager,
    group_id: *const c_char,
    user_ids: *const *const c_char,
    count: usize,
    reason: *const c_char,
    callback: V2TIMGroupMemberOperationResultCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_kick_group_member", &once, (), || {
        // SAFETY: the host passes NULL or live pointers, `count` entries at `user_ids`.
        let (m, group_id, ids, reason) = unsafe {
            (
                manager_ref(manager)?,
                arg_id(group_id, "group_id")?,
                arg_ids(user_ids, count, "user_ids")?,
                arg_opt_str(reason, "reason")?,
            )
        };
        m.core()
            .kick_group_member(group_id, ids, reason, once.completion());
        Ok(())
    })
}

/// Dismisses the group (V2TIMManager::DismissGroup): its owner, any type but Work (V2TIM's
/// rule: a Work group is dismissed with the admin API's `destroy_group`). Every member's
/// devices get `on_group_tips` of type GROUP_DISMISSED. Errors:
/// `V2TIM_ERR_INVALID_PARAMETERS`, `V2TIM_ERR_SVR_GROUP_PERMISSION_DENY`,
/// `V2TIM_ERR_SVR_GROUP_NOT_FOUND`, ... Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_dismiss_group(
    manager: *mut V2TIMManager,
    group_id: *const c_char,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_dismiss_group", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, group_id) = unsafe { (manager_ref(manager)?, arg_id(group_id, "group_id")?) };
        m.core().dismiss_group(group_id, once.completion());
        Ok(())
    })
}

/// A group's profile as the host gives it (V2TIMGroupInfo's settable fields): every string
/// NULL or NUL-terminated UTF-8, copied by the call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMGroupInfoParam {
    /// "Work", "Public", "Meeting", "AVChatRoom" or "Community" (creation only).
    pub group_type: *const c_char,
    /// NULL or "" at creation lets the server choose.
    pub group_id: *const c_char,
    pub group_name: *const c_char,
    pub notification: *const c_char,
    pub introduction: *const c_char,
    pub face_url: *const c_char,
}

/// # Safety
/// NULL or a live struct whose strings are NULL or NUL-terminated.
unsafe fn info_strings(
    info: *const V2TIMGroupInfoParam,
) -> Result<(&'static str, &'static str, &'static str, GroupProfile), Error> {
    // SAFETY: the caller's contract.
    let i = unsafe { info.as_ref() }.ok_or_else(|| Error::invalid("info is NULL"))?;
    // SAFETY: as above; the strings are copied before the call returns.
    unsafe {
        Ok((
            arg_opt_str(i.group_type, "info.group_type")?,
            arg_opt_str(i.group_id, "info.group_id")?,
            arg_opt_str(i.group_name, "info.group_name")?,
            GroupProfile {
                notification: arg_opt_str(i.notification, "info.notification")?.to_owned(),
                introduction: arg_opt_str(i.introduction, "info.introduction")?.to_owned(),
                face_url: arg_opt_str(i.face_url, "info.face_url")?.to_owned(),
            },
        ))
    }
}

/// Creates a group from `*info` (V2TIMGroupManager::CreateGroup(info, memberList)) with the
/// first members `member_ids` (NULL with `count` 0: none; they get INVITE tips). The
/// creator is the owner. The group id goes to `callback.on_success`. Errors: as
/// `v2tim_create_group`, and `V2TIM_ERR_INVALID_PARAMETERS` for a NULL `info` or a bad
/// member id. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_create_group_with_info(
    manager: *mut V2TIMManager,
    info: *const V2TIMGroupInfoParam,
    member_ids: *const *const c_char,
    count: usize,
    callback: V2TIMStringCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_create_group_with_info", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, (group_type, group_id, name, profile)) =
            unsafe { (manager_ref(manager)?, info_strings(info)?) };
        if group_type.is_empty() {
            return Err(Error::invalid("info.group_type is NULL or empty"));
        }
        let members = if count == 0 {
            Vec::new()
        } else {
            // SAFETY: `count` entries at `member_ids`, per the contract.
            unsafe { arg_ids(member_ids, count, "member_ids")? }
        };
        m.core().create_group_with(
            group_type,
            group_id,
            name,
            profile,
            members,
            once.completion(),
        );
        Ok(())
    })
}

/// Changes the profile of the group `info->group_id` (V2TIMGroupManager::SetGroupInfo):
/// the fields whose `V2TIMGroupInfoModifyFlag` bit is set in `modify_flags` (NULL strings
/// read as ""). The owner and admins may, or any member of a Work group; every member gets
/// GROUP_INFO_CHANGE tips naming what changed. Errors: `V2TIM_ERR_INVALID_PARAMETERS` (NULL
/// `info`, no flag, a value over its limit), `V2TIM_ERR_SVR_GROUP_PERMISSION_DENY`, ...
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_set_group_info(
    manager: *mut V2TIMManager,
    info: *const V2TIMGroupInfoParam,
    modify_flags: u32,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_set_group_info", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, (_, group_id, name, profile)) =
            unsafe { (manager_ref(manager)?, info_strings(info)?) };
        use super::enums::V2TIMGroupInfoModifyFlag as F;
        let pick = |bit: F, v: &str| (modify_flags & bit as u32 != 0).then(|| v.to_owned());
        let changes = GroupChanges {
            name: pick(F::V2TIM_GROUP_INFO_MODIFY_FLAG_GROUP_NAME, name),
            notification: pick(
                F::V2TIM_GROUP_INFO_MODIFY_FLAG_NOTIFICATION,
                &profile.notification,
            ),
            introduction: pick(
                F::V2TIM_GROUP_INFO_MODIFY_FLAG_INTRODUCTION,
                &profile.introduction,
            ),
            face_url: pick(F::V2TIM_GROUP_INFO_MODIFY_FLAG_FACE_URL, &profile.face_url),
        };
        m.core()
            .set_group_info(group_id, changes, once.completion());
        Ok(())
    })
}

/// Profiles of up to 100 groups (V2TIMGroupManager::GetGroupsInfo), each with its own
/// result code (`v2tim_group_info_list_get_result_code`; 10010 for a group that does not
/// exist). Ids are copied. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_get_groups_info(
    manager: *mut V2TIMManager,
    group_ids: *const *const c_char,
    count: usize,
    callback: V2TIMGroupInfoListCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_get_groups_info", &once, (), || {
        // SAFETY: the host passes NULL or live pointers, `count` entries at `group_ids`.
        let (m, ids) = unsafe {
            (
                manager_ref(manager)?,
                arg_ids(group_ids, count, "group_ids")?,
            )
        };
        m.core().get_groups_info(ids, once.results());
        Ok(())
    })
}

/// The groups the user is a member of (V2TIMGroupManager::GetJoinedGroupList); every
/// result code is 0. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_get_joined_group_list(
    manager: *mut V2TIMManager,
    callback: V2TIMGroupInfoListCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_get_joined_group_list", &once, (), || {
        // SAFETY: the host passes NULL or a live manager.
        let m = unsafe { manager_ref(manager)? };
        m.core().get_joined_group_list(once.infos());
        Ok(())
    })
}

/// A page of the group's members in join order (V2TIMGroupManager::GetGroupMemberList):
/// `filter` a V2TIMGroupMemberFilter combination (0 all, 1 owner, 2 admins, 4 ordinary
/// members), `next_seq` 0 for the first page, then what the previous page's `on_success`
/// gave, until it gives 0. Members only. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_get_group_member_list(
    manager: *mut V2TIMManager,
    group_id: *const c_char,
    filter: u32,
    next_seq: u64,
    callback: V2TIMGroupMemberInfoResultCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_get_group_member_list", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, group_id) = unsafe { (manager_ref(manager)?, arg_id(group_id, "group_id")?) };
        m.core()
            .get_group_member_list(group_id, filter, next_seq, once.completion());
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
