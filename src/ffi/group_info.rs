//! Group values lent to callbacks: members (`V2TIMGroupMemberFullInfo`), group profiles
//! (`V2TIMGroupInfo`), per-user results of invitations and removals, group tips
//! (`V2TIMGroupTipsElem`), and the group listener.

use std::ffi::{c_char, c_void, CStr, CString};
use std::sync::Arc;

use crate::core::{
    Error, GroupInfo, GroupInfoResult, GroupListener, GroupTips, ListenerKey, MemberInfo,
    MemberResult, MembersPage,
};

use super::callbacks::{host_callback, HostCallback, Once};
use super::guard;
use super::manager::{manager_ref, V2TIMManager};
use super::strings::cstring_lossy;

/// Runs a getter: NULL `p` returns `fallback` with the last error set.
fn get<T, R>(name: &'static str, p: *const T, fallback: R, f: impl FnOnce(&T) -> R) -> R {
    guard::call(
        name,
        |_| fallback,
        || {
            // SAFETY: the host passes NULL or a value lent to the running callback.
            let v = unsafe { p.as_ref() }.ok_or_else(|| Error::invalid("argument is NULL"))?;
            Ok(f(v))
        },
    )
}

/// As [`get`], for item `index` of a list.
fn get_at<T, I, R: Copy>(
    name: &'static str,
    list: *const T,
    index: usize,
    fallback: R,
    items: impl FnOnce(&T) -> &[I],
    f: impl FnOnce(&I) -> R,
) -> R {
    guard::call(
        name,
        |_| fallback,
        || {
            // SAFETY: the host passes NULL or a list lent to the running callback.
            let l = unsafe { list.as_ref() }.ok_or_else(|| Error::invalid("list is NULL"))?;
            let items = items(l);
            let item = items.get(index).ok_or_else(|| {
                Error::invalid(format!("index {index} out of range (size {})", items.len()))
            })?;
            Ok(f(item))
        },
    )
}

/// A group member (V2TIMGroupMemberFullInfo). Opaque, immutable; only ever lent to a
/// callback, valid for the duration of that call. In group tips, `role` and `join_time`
/// are 0 and the names are those of when the tips were written.
pub struct V2TIMGroupMemberFullInfo {
    role: u32,
    join_time_ms: i64,
    user_id: CString,
    nick_name: CString,
    face_url: CString,
}

impl V2TIMGroupMemberFullInfo {
    fn new(m: &MemberInfo) -> Self {
        V2TIMGroupMemberFullInfo {
            role: m.role,
            join_time_ms: m.join_time_ms,
            user_id: cstring_lossy(&m.user_id),
            nick_name: cstring_lossy(&m.nick_name),
            face_url: cstring_lossy(&m.face_url),
        }
    }
}

/// Members (V2TIMGroupMemberFullInfoVector). Opaque; lent to a callback like its items.
pub struct V2TIMGroupMemberFullInfoList {
    items: Vec<V2TIMGroupMemberFullInfo>,
}

impl V2TIMGroupMemberFullInfoList {
    fn new(members: &[MemberInfo]) -> Self {
        V2TIMGroupMemberFullInfoList {
            items: members.iter().map(V2TIMGroupMemberFullInfo::new).collect(),
        }
    }
}

/// The member's user id. Borrowed from `info`. NULL returns NULL (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_member_info_get_user_id(
    info: *const V2TIMGroupMemberFullInfo,
) -> *const c_char {
    get(
        "v2tim_group_member_info_get_user_id",
        info,
        std::ptr::null(),
        |i| i.user_id.as_ptr(),
    )
}

/// The member's nick name ("" if none). Borrowed from `info`. NULL returns NULL.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_member_info_get_nick_name(
    info: *const V2TIMGroupMemberFullInfo,
) -> *const c_char {
    get(
        "v2tim_group_member_info_get_nick_name",
        info,
        std::ptr::null(),
        |i| i.nick_name.as_ptr(),
    )
}

/// The member's face URL ("" if none). Borrowed from `info`. NULL returns NULL.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_member_info_get_face_url(
    info: *const V2TIMGroupMemberFullInfo,
) -> *const c_char {
    get(
        "v2tim_group_member_info_get_face_url",
        info,
        std::ptr::null(),
        |i| i.face_url.as_ptr(),
    )
}

/// The member's `V2TIMGroupMemberRole` (200 member, 300 admin, 400 owner; 0 in tips).
/// NULL returns 0.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_member_info_get_role(
    info: *const V2TIMGroupMemberFullInfo,
) -> u32 {
    get("v2tim_group_member_info_get_role", info, 0, |i| i.role)
}

/// When the member joined, seconds since the Unix epoch (0 in tips). NULL returns 0.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_member_info_get_join_time(
    info: *const V2TIMGroupMemberFullInfo,
) -> i64 {
    get("v2tim_group_member_info_get_join_time", info, 0, |i| {
        i.join_time_ms / 1000
    })
}

/// Number of members in `list`. NULL returns 0 (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_member_info_list_size(
    list: *const V2TIMGroupMemberFullInfoList,
) -> usize {
    get("v2tim_group_member_info_list_size", list, 0, |l| {
        l.items.len()
    })
}

/// The member at `index`. Borrowed from `list`. NULL or out of range returns NULL with
/// the last error `V2TIM_ERR_INVALID_PARAMETERS`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_member_info_list_get(
    list: *const V2TIMGroupMemberFullInfoList,
    index: usize,
) -> *const V2TIMGroupMemberFullInfo {
    get_at(
        "v2tim_group_member_info_list_get",
        list,
        index,
        std::ptr::null(),
        |l| &l.items,
        |i| i as *const _,
    )
}

/// A group's profile and the user's place in it (V2TIMGroupInfo). Opaque, immutable; lent
/// to a callback.
pub struct V2TIMGroupInfo {
    info: GroupInfo,
    strings: [CString; 7],
}

const GROUP_ID: usize = 0;
const GROUP_TYPE: usize = 1;
const GROUP_NAME: usize = 2;
const NOTIFICATION: usize = 3;
const INTRODUCTION: usize = 4;
const FACE_URL: usize = 5;
const OWNER: usize = 6;

impl V2TIMGroupInfo {
    fn new(info: GroupInfo) -> Self {
        let strings = [
            &info.group_id,
            &info.group_type,
            &info.name,
            &info.notification,
            &info.introduction,
            &info.face_url,
            &info.owner,
        ]
        .map(|s| cstring_lossy(s));
        V2TIMGroupInfo { info, strings }
    }
}

/// Profiles of groups, each with its result (V2TIMGroupInfoResultVector). Opaque; lent to a
/// callback like its items.
pub struct V2TIMGroupInfoList {
    items: Vec<(i32, CString, Option<V2TIMGroupInfo>)>,
}

impl V2TIMGroupInfoList {
    fn from_results(results: Vec<GroupInfoResult>) -> Self {
        V2TIMGroupInfoList {
            items: results
                .into_iter()
                .map(|r| {
                    (
                        r.code,
                        cstring_lossy(&r.desc),
                        r.info.map(V2TIMGroupInfo::new),
                    )
                })
                .collect(),
        }
    }

    fn from_infos(infos: Vec<GroupInfo>) -> Self {
        V2TIMGroupInfoList {
            items: infos
                .into_iter()
                .map(|i| (0, CString::default(), Some(V2TIMGroupInfo::new(i))))
                .collect(),
        }
    }
}

/// A string field of a group profile: 0 group id, 1 type, 2 name, 3 notification,
/// 4 introduction, 5 face URL, 6 owner (see the `v2tim_group_info_get_*` wrappers).
fn info_str(name: &'static str, info: *const V2TIMGroupInfo, field: usize) -> *const c_char {
    get(name, info, std::ptr::null(), |i| i.strings[field].as_ptr())
}

/// The group id. Borrowed from `info`. NULL returns NULL (last error set); so do the other
/// string getters of `V2TIMGroupInfo`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_get_group_id(
    info: *const V2TIMGroupInfo,
) -> *const c_char {
    info_str("v2tim_group_info_get_group_id", info, GROUP_ID)
}

/// "Work", "Public", "Meeting", "AVChatRoom" or "Community". Borrowed from `info`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_get_group_type(
    info: *const V2TIMGroupInfo,
) -> *const c_char {
    info_str("v2tim_group_info_get_group_type", info, GROUP_TYPE)
}

/// The group name. Borrowed from `info`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_get_group_name(
    info: *const V2TIMGroupInfo,
) -> *const c_char {
    info_str("v2tim_group_info_get_group_name", info, GROUP_NAME)
}

/// The notification ("" if none). Borrowed from `info`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_get_notification(
    info: *const V2TIMGroupInfo,
) -> *const c_char {
    info_str("v2tim_group_info_get_notification", info, NOTIFICATION)
}

/// The introduction ("" if none). Borrowed from `info`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_get_introduction(
    info: *const V2TIMGroupInfo,
) -> *const c_char {
    info_str("v2tim_group_info_get_introduction", info, INTRODUCTION)
}

/// The face URL ("" if none). Borrowed from `info`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_get_face_url(
    info: *const V2TIMGroupInfo,
) -> *const c_char {
    info_str("v2tim_group_info_get_face_url", info, FACE_URL)
}

/// The owner's user id. Borrowed from `info`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_get_owner(info: *const V2TIMGroupInfo) -> *const c_char {
    info_str("v2tim_group_info_get_owner", info, OWNER)
}

/// Members now. NULL returns 0 (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_get_member_count(info: *const V2TIMGroupInfo) -> u32 {
    get("v2tim_group_info_get_member_count", info, 0, |i| {
        i.info.member_count
    })
}

/// When the group was created, seconds since the Unix epoch. NULL returns 0.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_get_create_time(info: *const V2TIMGroupInfo) -> i64 {
    get("v2tim_group_info_get_create_time", info, 0, |i| {
        i.info.create_time_ms / 1000
    })
}

/// The user's `V2TIMGroupMemberRole` in the group (0: not a member). NULL returns 0.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_get_role(info: *const V2TIMGroupInfo) -> u32 {
    get("v2tim_group_info_get_role", info, 0, |i| i.info.role)
}

/// When the user joined, seconds since the Unix epoch (0: not a member). NULL returns 0.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_get_join_time(info: *const V2TIMGroupInfo) -> i64 {
    get("v2tim_group_info_get_join_time", info, 0, |i| {
        i.info.join_time_ms / 1000
    })
}

/// Number of groups in `list`. NULL returns 0 (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_list_size(list: *const V2TIMGroupInfoList) -> usize {
    get("v2tim_group_info_list_size", list, 0, |l| l.items.len())
}

/// Group `index`'s result code (0: its profile is there). NULL or out of range returns
/// `V2TIM_ERR_INVALID_PARAMETERS`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_list_get_result_code(
    list: *const V2TIMGroupInfoList,
    index: usize,
) -> i32 {
    get_at(
        "v2tim_group_info_list_get_result_code",
        list,
        index,
        crate::core::codes::ERR_INVALID_PARAMETERS,
        |l| &l.items,
        |i| i.0,
    )
}

/// Why group `index` has no profile ("" when it has). Borrowed from `list`. NULL or out of
/// range returns NULL (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_list_get_result_message(
    list: *const V2TIMGroupInfoList,
    index: usize,
) -> *const c_char {
    get_at(
        "v2tim_group_info_list_get_result_message",
        list,
        index,
        std::ptr::null(),
        |l| &l.items,
        |i| i.1.as_ptr(),
    )
}

/// Group `index`'s profile; NULL when its result code is not 0 (or NULL list, out of
/// range: last error set). Borrowed from `list`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_info_list_get(
    list: *const V2TIMGroupInfoList,
    index: usize,
) -> *const V2TIMGroupInfo {
    get_at(
        "v2tim_group_info_list_get",
        list,
        index,
        std::ptr::null(),
        |l| &l.items,
        |i| i.2.as_ref().map_or(std::ptr::null(), |g| g as *const _),
    )
}

/// Per-user results of an invitation or removal (V2TIMGroupMemberOperationResultVector).
/// Opaque; lent to a callback.
pub struct V2TIMGroupMemberOperationResultList {
    items: Vec<(CString, u32)>,
}

/// Number of results. NULL returns 0 (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_member_operation_result_list_size(
    list: *const V2TIMGroupMemberOperationResultList,
) -> usize {
    get(
        "v2tim_group_member_operation_result_list_size",
        list,
        0,
        |l| l.items.len(),
    )
}

/// The user id of result `index`. Borrowed from `list`. NULL or out of range returns NULL.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_member_operation_result_list_get_user_id(
    list: *const V2TIMGroupMemberOperationResultList,
    index: usize,
) -> *const c_char {
    get_at(
        "v2tim_group_member_operation_result_list_get_user_id",
        list,
        index,
        std::ptr::null(),
        |l| &l.items,
        |i| i.0.as_ptr(),
    )
}

/// The `V2TIMGroupMemberResult` of result `index`: 0 FAIL, 1 SUCC, 2 INVALID (already a
/// member / not a member / not removable by the caller), 4 OVERLIMIT (group full). NULL or
/// out of range returns 0 (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_member_operation_result_list_get_result(
    list: *const V2TIMGroupMemberOperationResultList,
    index: usize,
) -> u32 {
    get_at(
        "v2tim_group_member_operation_result_list_get_result",
        list,
        index,
        0,
        |l| &l.items,
        |i| i.1,
    )
}

/// The content of a group tips message (V2TIMGroupTipsElem): who did what to whom. Opaque;
/// borrowed from its message (`v2tim_message_get_group_tips_elem`) or lent to
/// `V2TIMGroupListener.on_group_tips`.
pub struct V2TIMGroupTipsElem {
    tips: Box<GroupTips>,
    op_member: V2TIMGroupMemberFullInfo,
    members: V2TIMGroupMemberFullInfoList,
    changes: Vec<(u32, CString)>,
}

impl V2TIMGroupTipsElem {
    pub(crate) fn new(tips: Box<GroupTips>) -> Self {
        V2TIMGroupTipsElem {
            op_member: V2TIMGroupMemberFullInfo::new(&tips.op_user),
            members: V2TIMGroupMemberFullInfoList::new(&tips.members),
            changes: tips
                .changes
                .iter()
                .map(|c| (c.kind, cstring_lossy(&c.value)))
                .collect(),
            tips,
        }
    }
}

/// The `V2TIMGroupTipsType`: 1 JOIN, 2 INVITE, 3 QUIT, 4 KICKED, 5 SET_ADMIN, 6
/// CANCEL_ADMIN, 7 GROUP_INFO_CHANGE; in `on_group_tips` also 256
/// (`V2TIM_GROUP_TIPS_TYPE_GROUP_DISMISSED`, V2TIM's onGroupDismissed; never in a message
/// the app is given). NULL returns 0 (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_tips_get_type(tips: *const V2TIMGroupTipsElem) -> u32 {
    get("v2tim_group_tips_get_type", tips, 0, |t| t.tips.tips_type)
}

/// Who did it (for JOIN and QUIT: who joined or left). Borrowed from `tips`. NULL returns
/// NULL (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_tips_get_op_member(
    tips: *const V2TIMGroupTipsElem,
) -> *const V2TIMGroupMemberFullInfo {
    get(
        "v2tim_group_tips_get_op_member",
        tips,
        std::ptr::null(),
        |t| &t.op_member as *const _,
    )
}

/// Whom it concerns (joined, invited, left, kicked, made or unmade admin). Borrowed from
/// `tips`. NULL returns NULL (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_tips_get_member_list(
    tips: *const V2TIMGroupTipsElem,
) -> *const V2TIMGroupMemberFullInfoList {
    get(
        "v2tim_group_tips_get_member_list",
        tips,
        std::ptr::null(),
        |t| &t.members as *const _,
    )
}

/// GROUP_INFO_CHANGE: how many fields changed. NULL returns 0.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_tips_get_change_info_count(
    tips: *const V2TIMGroupTipsElem,
) -> usize {
    get("v2tim_group_tips_get_change_info_count", tips, 0, |t| {
        t.changes.len()
    })
}

/// The `V2TIMGroupInfoChangeType` of change `index`: 1 NAME, 2 INTRODUCTION, 3
/// NOTIFICATION, 4 FACE_URL, 5 OWNER. NULL or out of range returns 0 (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_tips_get_change_info_type(
    tips: *const V2TIMGroupTipsElem,
    index: usize,
) -> u32 {
    get_at(
        "v2tim_group_tips_get_change_info_type",
        tips,
        index,
        0,
        |t| &t.changes,
        |c| c.0,
    )
}

/// The new value of change `index` (OWNER: the new owner's user id). Borrowed from `tips`.
/// NULL or out of range returns NULL (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_tips_get_change_info_value(
    tips: *const V2TIMGroupTipsElem,
    index: usize,
) -> *const c_char {
    get_at(
        "v2tim_group_tips_get_change_info_value",
        tips,
        index,
        std::ptr::null(),
        |t| &t.changes,
        |c| c.1.as_ptr(),
    )
}

/// Members of the group after the change. NULL returns 0.
#[no_mangle]
pub unsafe extern "C" fn v2tim_group_tips_get_member_count(tips: *const V2TIMGroupTipsElem) -> u32 {
    get("v2tim_group_tips_get_member_count", tips, 0, |t| {
        t.tips.member_count
    })
}

/// `V2TIMValueCallback<V2TIMGroupMemberOperationResultVector>`: invitations and removals.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMGroupMemberOperationResultCallback {
    pub user_data: *mut c_void,
    pub on_success: Option<
        unsafe extern "C" fn(
            user_data: *mut c_void,
            results: *const V2TIMGroupMemberOperationResultList,
        ),
    >,
    pub on_error:
        Option<unsafe extern "C" fn(user_data: *mut c_void, code: i32, desc: *const c_char)>,
}

/// `V2TIMValueCallback<V2TIMGroupMemberInfoResult>`: a page of members and the `next_seq`
/// to ask for the next (0: this was the last).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMGroupMemberInfoResultCallback {
    pub user_data: *mut c_void,
    pub on_success: Option<
        unsafe extern "C" fn(
            user_data: *mut c_void,
            members: *const V2TIMGroupMemberFullInfoList,
            next_seq: u64,
        ),
    >,
    pub on_error:
        Option<unsafe extern "C" fn(user_data: *mut c_void, code: i32, desc: *const c_char)>,
}

/// `V2TIMValueCallback<V2TIMGroupInfoResultVector>` and `<V2TIMGroupInfoVector>`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMGroupInfoListCallback {
    pub user_data: *mut c_void,
    pub on_success:
        Option<unsafe extern "C" fn(user_data: *mut c_void, groups: *const V2TIMGroupInfoList)>,
    pub on_error:
        Option<unsafe extern "C" fn(user_data: *mut c_void, code: i32, desc: *const c_char)>,
}

// SAFETY: as every callback struct (callbacks.rs): the host promises its user_data may be
// used from the SDK event thread.
unsafe impl Send for V2TIMGroupMemberOperationResultCallback {}
unsafe impl Send for V2TIMGroupMemberInfoResultCallback {}
unsafe impl Send for V2TIMGroupInfoListCallback {}

host_callback!(
    V2TIMGroupMemberOperationResultCallback,
    V2TIMGroupMemberInfoResultCallback,
    V2TIMGroupInfoListCallback
);

impl Once<V2TIMGroupMemberOperationResultCallback> {
    pub(crate) fn completion(&self) -> crate::core::Completion<Vec<MemberResult>> {
        self.completion_with(
            "V2TIMGroupMemberOperationResultCallback",
            |cb, results: Vec<MemberResult>| {
                if let Some(f) = cb.on_success {
                    let list = V2TIMGroupMemberOperationResultList {
                        items: results
                            .iter()
                            .map(|r| (cstring_lossy(&r.user_id), r.result))
                            .collect(),
                    };
                    // SAFETY: host function pointer; the list outlives the call.
                    unsafe { f(cb.user_data, &list) }
                }
            },
        )
    }
}

impl Once<V2TIMGroupMemberInfoResultCallback> {
    pub(crate) fn completion(&self) -> crate::core::Completion<MembersPage> {
        self.completion_with(
            "V2TIMGroupMemberInfoResultCallback",
            |cb, page: MembersPage| {
                if let Some(f) = cb.on_success {
                    let list = V2TIMGroupMemberFullInfoList::new(&page.members);
                    // SAFETY: host function pointer; the list outlives the call.
                    unsafe { f(cb.user_data, &list, page.next_seq) }
                }
            },
        )
    }
}

impl Once<V2TIMGroupInfoListCallback> {
    fn report(cb: V2TIMGroupInfoListCallback, list: V2TIMGroupInfoList) {
        if let Some(f) = cb.on_success {
            // SAFETY: host function pointer; the list outlives the call.
            unsafe { f(cb.user_data, &list) }
        }
    }

    pub(crate) fn results(&self) -> crate::core::Completion<Vec<GroupInfoResult>> {
        self.completion_with(
            "V2TIMGroupInfoListCallback",
            |cb, r: Vec<GroupInfoResult>| Self::report(cb, V2TIMGroupInfoList::from_results(r)),
        )
    }

    pub(crate) fn infos(&self) -> crate::core::Completion<Vec<GroupInfo>> {
        self.completion_with("V2TIMGroupInfoListCallback", |cb, r: Vec<GroupInfo>| {
            Self::report(cb, V2TIMGroupInfoList::from_infos(r))
        })
    }
}

/// Group events (V2TIMGroupListener). Register with `v2tim_add_group_listener`.
///
/// One callback for every event, as the group tips the server writes for it: each reaches
/// every device of every member once, in order (after being offline too). By
/// `v2tim_group_tips_get_type`: JOIN onMemberEnter, INVITE onMemberInvited, QUIT
/// onMemberLeave (or, when the op member is the logged-in user, onQuitFromGroup: another
/// device of the user quit), KICKED onMemberKicked, SET_ADMIN onGrantAdministrator,
/// CANCEL_ADMIN onRevokeAdministrator, GROUP_INFO_CHANGE onGroupInfoChanged,
/// GROUP_DISMISSED onGroupDismissed. The tips of every type but GROUP_DISMISSED are also
/// messages of the group (`on_recv_new_message`, history). Arguments are borrowed for the
/// call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMGroupListener {
    pub user_data: *mut c_void,
    pub on_group_tips: Option<
        unsafe extern "C" fn(
            user_data: *mut c_void,
            group_id: *const c_char,
            tips: *const V2TIMGroupTipsElem,
        ),
    >,
}

// SAFETY: as V2TIMConversationListener: the host promises user_data may be used from the
// SDK event thread.
unsafe impl Send for V2TIMGroupListener {}
unsafe impl Sync for V2TIMGroupListener {}

struct GroupAdapter(V2TIMGroupListener);

impl GroupListener for GroupAdapter {
    fn on_group_tips(&self, group_id: &str, tips: &GroupTips) {
        guard::in_callback("on_group_tips", || {
            if let Some(f) = self.0.on_group_tips {
                let id = cstring_lossy(group_id);
                let elem = V2TIMGroupTipsElem::new(Box::new(tips.clone()));
                // SAFETY: host function pointer; both arguments outlive the call.
                unsafe { f(self.0.user_data, id.as_ptr(), &elem) }
            }
        })
    }
}

const TAG_GROUP: usize = 4;

fn key(l: &V2TIMGroupListener) -> ListenerKey {
    [
        TAG_GROUP,
        l.user_data as usize,
        l.on_group_tips.map_or(0, |f| f as usize),
        0,
        0,
        0,
        0,
        0,
    ]
}

fn with_listener(
    name: &'static str,
    manager: *mut V2TIMManager,
    listener: *const V2TIMGroupListener,
    f: impl FnOnce(&V2TIMManager, V2TIMGroupListener),
) {
    guard::call(
        name,
        |_| (),
        || {
            // SAFETY: NULL or live pointers.
            let m = unsafe { manager_ref(manager) }?;
            // SAFETY: as above.
            let l =
                unsafe { listener.as_ref() }.ok_or_else(|| Error::invalid("listener is NULL"))?;
            f(m, *l);
            Ok(())
        },
    )
}

/// Registers a group listener (V2TIMManager::AddGroupListener). Same rules as
/// `v2tim_add_advanced_msg_listener`: `*listener` is copied, identified by its contents,
/// and called on the SDK event thread. NULL arguments set the last error and do nothing.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_add_group_listener(
    manager: *mut V2TIMManager,
    listener: *const V2TIMGroupListener,
) {
    with_listener("v2tim_add_group_listener", manager, listener, |m, l| {
        m.core()
            .add_group_listener(key(&l), Arc::new(GroupAdapter(l)))
    })
}

/// Unregisters the group listener whose contents equal `*listener`; it is not called again
/// once this returns. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_remove_group_listener(
    manager: *mut V2TIMManager,
    listener: *const V2TIMGroupListener,
) {
    with_listener("v2tim_remove_group_listener", manager, listener, |m, l| {
        m.core().remove_group_listener(key(&l))
    })
}
