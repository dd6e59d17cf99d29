//! V2TIM's `V2TIMOfflinePushInfo`, attached to a message before it is sent.

use std::ffi::c_char;

use v2tim_proto::OfflinePushInfo;

use crate::core::Error;

use super::message::{set, V2TIMMessage};
use super::strings::arg_opt_str;

/// V2TIM's `V2TIMOfflinePushInfo`: how a push service should announce the message to a
/// receiver's device that is offline. Strings are NULL (none) or NUL-terminated UTF-8, read
/// during `v2tim_message_set_offline_push_info` only.
#[repr(C)]
pub struct V2TIMOfflinePushInfo {
    pub title: *const c_char,
    pub desc: *const c_char,
    pub ext: *const c_char,
    pub disable_push: bool,
    pub ios_sound: *const c_char,
    pub ignore_ios_badge: bool,
    pub ios_push_type: i32,
    pub android_sound: *const c_char,
    pub android_oppo_channel_id: *const c_char,
    pub android_fcm_channel_id: *const c_char,
    pub android_xiaomi_channel_id: *const c_char,
    pub android_vivo_classification: i32,
    pub android_huawei_category: *const c_char,
    pub android_honor_importance: *const c_char,
}

/// # Safety
/// `p`'s strings are NULL or valid for the call.
unsafe fn read(p: &V2TIMOfflinePushInfo) -> Result<OfflinePushInfo, Error> {
    // SAFETY: the caller's contract.
    let s = |ptr, what| unsafe { arg_opt_str(ptr, what) }.map(str::to_owned);
    Ok(OfflinePushInfo {
        title: s(p.title, "title")?,
        desc: s(p.desc, "desc")?,
        ext: s(p.ext, "ext")?,
        disable_push: p.disable_push,
        ios_sound: s(p.ios_sound, "ios_sound")?,
        ignore_ios_badge: p.ignore_ios_badge,
        ios_push_type: p.ios_push_type,
        android_sound: s(p.android_sound, "android_sound")?,
        android_oppo_channel_id: s(p.android_oppo_channel_id, "android_oppo_channel_id")?,
        android_fcm_channel_id: s(p.android_fcm_channel_id, "android_fcm_channel_id")?,
        android_xiaomi_channel_id: s(p.android_xiaomi_channel_id, "android_xiaomi_channel_id")?,
        android_vivo_classification: p.android_vivo_classification,
        android_huawei_category: s(p.android_huawei_category, "android_huawei_category")?,
        android_honor_importance: s(p.android_honor_importance, "android_honor_importance")?,
    })
}

/// Attaches offline push info to an unsent message (SendMessage's `offlinePushInfo`):
/// copied, sent with the message and kept by the server with it for a push service (v2tim
/// has none built in; no request reads it back; a recall erases it). NULL `info` removes
/// it. At most 4 KB as stored. Returns `V2TIM_SUCC` or an error code with the last error
/// set (`V2TIM_ERR_INVALID_PARAMETERS`: NULL message, a string not UTF-8, already sent;
/// `V2TIM_ERR_SDK_MSG_BODY_SIZE_LIMIT`: too long). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_set_offline_push_info(
    message: *mut V2TIMMessage,
    info: *const V2TIMOfflinePushInfo,
) -> i32 {
    set("v2tim_message_set_offline_push_info", message, |d| {
        // SAFETY: NULL or a struct valid for the call, per the contract.
        d.offline_push = match unsafe { info.as_ref() } {
            // SAFETY: as above, for its strings. All defaults is none at all.
            Some(i) => Some(unsafe { read(i) }?).filter(|p| *p != OfflinePushInfo::default()),
            None => None,
        };
        Ok(())
    })
}
