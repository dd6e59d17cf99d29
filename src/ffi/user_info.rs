//! `V2TIMUserFullInfo`: a user's profile, lent to callbacks.

use std::ffi::{c_char, CString};

use crate::core::{Error, UserFullInfo};

use super::guard;
use super::strings::{cstring_lossy, to_owned_c};

/// A user's profile (V2TIMUserFullInfo). Opaque, immutable; only ever lent to a callback
/// (e.g. `operate_user` of `on_recv_message_revoked`), valid for the duration of that call.
pub struct V2TIMUserFullInfo {
    info: UserFullInfo,
    user_id: CString,
    nick_name: CString,
    face_url: CString,
}

impl V2TIMUserFullInfo {
    pub(crate) fn new(info: &UserFullInfo) -> Self {
        V2TIMUserFullInfo {
            user_id: cstring_lossy(&info.user_id),
            nick_name: cstring_lossy(&info.nick_name),
            face_url: cstring_lossy(&info.face_url),
            info: info.clone(),
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
            });
            to_owned_c(&json.to_string())
        },
    )
}
