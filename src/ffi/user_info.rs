//! `V2TIMUserFullInfo`: a user's profile, lent to callbacks; lists of them; setting one's
//! own profile and reading others'.

use std::ffi::{c_char, CString};

use crate::core::{Error, ProfileChanges, UserFullInfo};

use super::callbacks::{Once, V2TIMCallback, V2TIMUserFullInfoListCallback};
use super::guard;
use super::manager::{manager_ref, V2TIMManager};
use super::strings::{arg_id, arg_str, cstring_lossy, to_owned_c};

/// A user's profile (V2TIMUserFullInfo). Opaque, immutable; only ever lent to a callback
/// (e.g. `operate_user` of `on_recv_message_revoked`), valid for the duration of that call.
pub struct V2TIMUserFullInfo {
    info: UserFullInfo,
    user_id: CString,
    nick_name: CString,
    face_url: CString,
    self_signature: CString,
    custom_keys: Vec<CString>,
}

impl V2TIMUserFullInfo {
    pub(crate) fn new(info: &UserFullInfo) -> Self {
        V2TIMUserFullInfo {
            user_id: cstring_lossy(&info.user_id),
            nick_name: cstring_lossy(&info.nick_name),
            face_url: cstring_lossy(&info.face_url),
            self_signature: cstring_lossy(&info.self_signature),
            custom_keys: info.custom_info.keys().map(|k| cstring_lossy(k)).collect(),
            info: info.clone(),
        }
    }
}

/// Profiles (V2TIMUserFullInfoVector). Opaque; only ever lent to a callback, valid for the
/// duration of that call, like the profiles in it.
pub struct V2TIMUserFullInfoList {
    items: Vec<V2TIMUserFullInfo>,
}

impl V2TIMUserFullInfoList {
    pub(crate) fn new(infos: &[UserFullInfo]) -> Self {
        V2TIMUserFullInfoList {
            items: infos.iter().map(V2TIMUserFullInfo::new).collect(),
        }
    }
}

fn get<R>(
    name: &'static str,
    info: *const V2TIMUserFullInfo,
    fallback: R,
    f: impl FnOnce(&V2TIMUserFullInfo) -> R,
) -> R {
    guard::call(
        name,
        |_| fallback,
        || {
            // SAFETY: the host passes NULL or an info lent to the running callback.
            let i = unsafe { info.as_ref() }.ok_or_else(|| Error::invalid("info is NULL"))?;
            Ok(f(i))
        },
    )
}

/// The user id. Borrowed from `info` (valid while it is). NULL returns NULL (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_get_user_id(
    info: *const V2TIMUserFullInfo,
) -> *const c_char {
    get(
        "v2tim_user_full_info_get_user_id",
        info,
        std::ptr::null(),
        |i| i.user_id.as_ptr(),
    )
}

/// The nickname ("" if unknown). Borrowed from `info`. NULL returns NULL (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_get_nick_name(
    info: *const V2TIMUserFullInfo,
) -> *const c_char {
    get(
        "v2tim_user_full_info_get_nick_name",
        info,
        std::ptr::null(),
        |i| i.nick_name.as_ptr(),
    )
}

/// The avatar URL ("" if unknown). Borrowed from `info`. NULL returns NULL (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_get_face_url(
    info: *const V2TIMUserFullInfo,
) -> *const c_char {
    get(
        "v2tim_user_full_info_get_face_url",
        info,
        std::ptr::null(),
        |i| i.face_url.as_ptr(),
    )
}

/// The profile as a JSON object (userID, nickName, faceURL). Owned: free with
/// `v2tim_string_free`. NULL returns NULL (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_to_json(
    info: *const V2TIMUserFullInfo,
) -> *mut c_char {
    get(
        "v2tim_user_full_info_to_json",
        info,
        std::ptr::null_mut(),
        |i| {
            let json = serde_json::json!({
                "userID": i.info.user_id,
                "nickName": i.info.nick_name,
                "faceURL": i.info.face_url,
                "selfSignature": i.info.self_signature,
                "gender": i.info.gender,
                "role": i.info.role,
                "level": i.info.level,
                "birthday": i.info.birthday,
                "allowType": i.info.allow_type,
            });
            to_owned_c(&json.to_string())
        },
    )
}

/// The self signature ("" if none). Borrowed from `info`. NULL returns NULL.
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_get_self_signature(
    info: *const V2TIMUserFullInfo,
) -> *const c_char {
    get(
        "v2tim_user_full_info_get_self_signature",
        info,
        std::ptr::null(),
        |i| i.self_signature.as_ptr(),
    )
}

/// `V2TIM_GENDER_UNKNOWN` (0), `_MALE` (1) or `_FEMALE` (2); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_get_gender(info: *const V2TIMUserFullInfo) -> i32 {
    get("v2tim_user_full_info_get_gender", info, 0, |i| {
        i.info.gender
    })
}

/// The role (app-defined); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_get_role(info: *const V2TIMUserFullInfo) -> u32 {
    get("v2tim_user_full_info_get_role", info, 0, |i| i.info.role)
}

/// The level (app-defined); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_get_level(info: *const V2TIMUserFullInfo) -> u32 {
    get("v2tim_user_full_info_get_level", info, 0, |i| i.info.level)
}

/// The birthday as the app encodes it (V2TIM: e.g. 19991231); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_get_birthday(info: *const V2TIMUserFullInfo) -> u32 {
    get("v2tim_user_full_info_get_birthday", info, 0, |i| {
        i.info.birthday
    })
}

/// Friend requests: `V2TIM_FRIEND_ALLOW_ANY` (0), `_NEED_CONFIRM` (1), `_DENY_ANY` (2).
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_get_allow_type(
    info: *const V2TIMUserFullInfo,
) -> i32 {
    get("v2tim_user_full_info_get_allow_type", info, 0, |i| {
        i.info.allow_type
    })
}

/// How many custom fields the profile has; 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_get_custom_info_count(
    info: *const V2TIMUserFullInfo,
) -> usize {
    get("v2tim_user_full_info_get_custom_info_count", info, 0, |i| {
        i.custom_keys.len()
    })
}

/// The key of custom field `index` (keys in ascending order), borrowed from `info`, and its
/// value: `*value` and `*length` are set to the raw bytes (borrowed from `info`). Returns
/// NULL (last error set) for a NULL info or pointer, or an index out of range.
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_get_custom_info(
    info: *const V2TIMUserFullInfo,
    index: usize,
    value: *mut *const u8,
    length: *mut usize,
) -> *const c_char {
    guard::call(
        "v2tim_user_full_info_get_custom_info",
        |_| std::ptr::null(),
        || {
            // SAFETY: NULL or an info lent to the running callback.
            let i = unsafe { info.as_ref() }.ok_or_else(|| Error::invalid("info is NULL"))?;
            if value.is_null() || length.is_null() {
                return Err(Error::invalid("value and length must not be NULL"));
            }
            let key = i.custom_keys.get(index).ok_or_else(|| {
                Error::invalid(format!(
                    "index {index} out of range (count {})",
                    i.custom_keys.len()
                ))
            })?;
            let bytes = i
                .info
                .custom_info
                .values()
                .nth(index)
                .map_or(&[][..], Vec::as_slice);
            // SAFETY: both checked non-NULL; the host owns them for the call.
            unsafe {
                *value = bytes.as_ptr();
                *length = bytes.len();
            }
            Ok(key.as_ptr())
        },
    )
}

/// # Safety
/// NULL or a live list.
unsafe fn list_ref<'a>(
    p: *const V2TIMUserFullInfoList,
) -> Result<&'a V2TIMUserFullInfoList, Error> {
    // SAFETY: the caller's contract.
    unsafe { p.as_ref() }.ok_or_else(|| Error::invalid("list is NULL"))
}

/// Number of profiles in `list`. NULL returns 0 (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_list_size(
    list: *const V2TIMUserFullInfoList,
) -> usize {
    guard::call(
        "v2tim_user_full_info_list_size",
        |_| 0,
        // SAFETY: NULL or a live list.
        || Ok(unsafe { list_ref(list) }?.items.len()),
    )
}

/// The profile at `index` (0-based), borrowed from `list`. NULL list or index out of range
/// returns NULL with the last error `V2TIM_ERR_INVALID_PARAMETERS`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_user_full_info_list_get(
    list: *const V2TIMUserFullInfoList,
    index: usize,
) -> *const V2TIMUserFullInfo {
    guard::call(
        "v2tim_user_full_info_list_get",
        |_| std::ptr::null(),
        || {
            // SAFETY: NULL or a live list.
            let l = unsafe { list_ref(list) }?;
            l.items
                .get(index)
                .map(|i| i as *const V2TIMUserFullInfo)
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "index {index} out of range (size {})",
                        l.items.len()
                    ))
                })
        },
    )
}

/// Which fields of `V2TIMSelfInfo` `v2tim_set_self_info_fields` changes (V2TIM's
/// V2TIMUserFullInfo::modifyFlag), OR-ed together.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum V2TIMUserInfoModifyFlag {
    V2TIM_USER_INFO_MODIFY_FLAG_NICK = 1,
    V2TIM_USER_INFO_MODIFY_FLAG_FACE_URL = 2,
    V2TIM_USER_INFO_MODIFY_FLAG_GENDER = 4,
    V2TIM_USER_INFO_MODIFY_FLAG_BIRTHDAY = 8,
    V2TIM_USER_INFO_MODIFY_FLAG_SELF_SIGNATURE = 16,
    V2TIM_USER_INFO_MODIFY_FLAG_ALLOW_TYPE = 32,
    V2TIM_USER_INFO_MODIFY_FLAG_LEVEL = 64,
    V2TIM_USER_INFO_MODIFY_FLAG_ROLE = 128,
    V2TIM_USER_INFO_MODIFY_FLAG_CUSTOM = 256,
}

/// The profile fields `v2tim_set_self_info_fields` sets: those named in `modify_flag`. Read
/// during the call only. Custom fields: `custom_info_count` keys (NUL-terminated) with their
/// values (`custom_info_values[i]`, `custom_info_lengths[i]` bytes), each set on its own
/// (other keys keep their values).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMSelfInfo {
    pub modify_flag: u32,
    pub nick_name: *const c_char,
    pub face_url: *const c_char,
    pub self_signature: *const c_char,
    pub gender: i32,
    pub role: u32,
    pub level: u32,
    pub birthday: u32,
    pub allow_type: i32,
    pub custom_info_keys: *const *const c_char,
    pub custom_info_values: *const *const u8,
    pub custom_info_lengths: *const usize,
    pub custom_info_count: usize,
}

/// # Safety
/// `info`'s pointers are NULL or valid for the fields its flags name.
unsafe fn changes_of(info: &V2TIMSelfInfo) -> Result<ProfileChanges, Error> {
    use V2TIMUserInfoModifyFlag as F;
    let has = |f: F| info.modify_flag & f as u32 != 0;
    let text = |p: *const c_char, name: &str| -> Result<String, Error> {
        // SAFETY: the caller's contract.
        unsafe { arg_str(p, name) }.map(str::to_owned)
    };
    let mut c = ProfileChanges::default();
    if has(F::V2TIM_USER_INFO_MODIFY_FLAG_NICK) {
        c.nick_name = Some(text(info.nick_name, "nick_name")?);
    }
    if has(F::V2TIM_USER_INFO_MODIFY_FLAG_FACE_URL) {
        c.face_url = Some(text(info.face_url, "face_url")?);
    }
    if has(F::V2TIM_USER_INFO_MODIFY_FLAG_SELF_SIGNATURE) {
        c.self_signature = Some(text(info.self_signature, "self_signature")?);
    }
    // Ranges are checked with the rest of the change (`ProfileChanges::check`).
    if has(F::V2TIM_USER_INFO_MODIFY_FLAG_GENDER) {
        c.gender = Some(info.gender);
    }
    if has(F::V2TIM_USER_INFO_MODIFY_FLAG_ALLOW_TYPE) {
        c.allow_type = Some(info.allow_type);
    }
    if has(F::V2TIM_USER_INFO_MODIFY_FLAG_BIRTHDAY) {
        c.birthday = Some(info.birthday);
    }
    if has(F::V2TIM_USER_INFO_MODIFY_FLAG_LEVEL) {
        c.level = Some(info.level);
    }
    if has(F::V2TIM_USER_INFO_MODIFY_FLAG_ROLE) {
        c.role = Some(info.role);
    }
    if has(F::V2TIM_USER_INFO_MODIFY_FLAG_CUSTOM) && info.custom_info_count > 0 {
        let n = info.custom_info_count;
        if n > v2tim_proto::limits::MAX_PROFILE_CUSTOM_KEYS {
            return Err(Error::invalid("too many custom info fields"));
        }
        if info.custom_info_keys.is_null()
            || info.custom_info_values.is_null()
            || info.custom_info_lengths.is_null()
        {
            return Err(Error::invalid(
                "custom_info_keys, custom_info_values and custom_info_lengths must not be NULL",
            ));
        }
        for i in 0..n {
            // SAFETY: the caller's contract: three arrays of `n` elements.
            let (k, v, len) = unsafe {
                (
                    *info.custom_info_keys.add(i),
                    *info.custom_info_values.add(i),
                    *info.custom_info_lengths.add(i),
                )
            };
            let key = text(k, "custom info key")?;
            let bytes: &[u8] = if len == 0 {
                &[]
            } else if v.is_null() {
                return Err(Error::invalid(format!(
                    "the value of custom key {key:?} is NULL"
                )));
            } else {
                // SAFETY: the caller's contract: `len` readable bytes.
                unsafe { std::slice::from_raw_parts(v, len) }
            };
            c.set_custom(&key, bytes);
        }
    }
    Ok(c)
}

/// Changes the logged-in user's nick name and face URL (V2TIMManager::SetSelfInfo); NULL
/// leaves that field unchanged. Every device of the user then hears
/// `on_self_info_updated`. Both strings are read during the call only. Errors (to
/// `on_error`): `V2TIM_ERR_INVALID_PARAMETERS` (NULL manager, bad UTF-8, over 500 bytes),
/// `V2TIM_ERR_SDK_NOT_LOGGED_IN`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_set_self_info(
    manager: *mut V2TIMManager,
    nick_name: *const c_char,
    face_url: *const c_char,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_set_self_info", &once, (), || {
        // SAFETY: NULL or live pointers.
        let m = unsafe { manager_ref(manager) }?;
        let opt = |p: *const c_char, name: &str| -> Result<Option<String>, Error> {
            if p.is_null() {
                Ok(None)
            } else {
                // SAFETY: non-NULL: a string the host lends for the call.
                unsafe { arg_str(p, name) }.map(|s| Some(s.to_owned()))
            }
        };
        let changes = ProfileChanges {
            nick_name: opt(nick_name, "nick_name")?,
            face_url: opt(face_url, "face_url")?,
            ..ProfileChanges::default()
        };
        m.core().set_self_info(changes, once.completion());
        Ok(())
    })
}

/// Changes the fields of the logged-in user's profile that `info->modify_flag` names (the
/// whole V2TIMUserFullInfo of V2TIM's SetSelfInfo). `*info` and what it points to are read
/// during the call only. Errors as `v2tim_set_self_info`, and 6017 for a gender or
/// allow_type out of range, a NULL string a flag names, or a bad custom key. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_set_self_info_fields(
    manager: *mut V2TIMManager,
    info: *const V2TIMSelfInfo,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_set_self_info_fields", &once, (), || {
        // SAFETY: NULL or live pointers.
        let m = unsafe { manager_ref(manager) }?;
        // SAFETY: as above.
        let info = unsafe { info.as_ref() }.ok_or_else(|| Error::invalid("info is NULL"))?;
        // SAFETY: the host's contract for the pointers inside.
        let changes = unsafe { changes_of(info) }?;
        m.core().set_self_info(changes, once.completion());
        Ok(())
    })
}

/// Profiles of `count` (1 to 100) users (V2TIMManager::GetUsersInfo); users without an
/// account are left out. `user_ids` (an array of `count` strings) is read during the call
/// only; the list is lent to `on_success`. Errors: `V2TIM_ERR_INVALID_PARAMETERS` (NULL
/// manager or array or id, bad UTF-8, count out of range), 7003 (a malformed id),
/// `V2TIM_ERR_SDK_NOT_LOGGED_IN`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_get_users_info(
    manager: *mut V2TIMManager,
    user_ids: *const *const c_char,
    count: usize,
    callback: V2TIMUserFullInfoListCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_get_users_info", &once, (), || {
        // SAFETY: NULL or live pointers.
        let m = unsafe { manager_ref(manager) }?;
        if count == 0 || count > v2tim_proto::limits::MAX_USERS_INFO {
            return Err(Error::invalid(format!(
                "count must be 1 to {}",
                v2tim_proto::limits::MAX_USERS_INFO
            )));
        }
        if user_ids.is_null() {
            return Err(Error::invalid("user_ids is NULL"));
        }
        let mut ids = Vec::with_capacity(count);
        for i in 0..count {
            // SAFETY: the host's contract: an array of `count` strings.
            let id = unsafe { arg_id(*user_ids.add(i), "each user id") }?;
            ids.push(id.to_owned());
        }
        m.core().get_users_info(ids, once.completion());
        Ok(())
    })
}
