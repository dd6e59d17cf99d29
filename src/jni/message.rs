//! Message handles and the message calls.
//!
//! A Java `V2TIMMessage` owns one strong count of the core's `Arc<MessageObj>`, stored as
//! the `long` `Arc::into_raw` gives. Java releases it (once) through `messageRelease` when
//! the object became unreachable (PhantomReference cleaner, every Android API level).
//! Natives that read a message take the Java object too, not just the handle: the local
//! reference keeps it reachable, so the cleaner cannot release the handle during the call.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use jni::objects::{JByteArray, JClass, JIntArray, JObject, JObjectArray, JString, JValue};
use jni::sys::{jboolean, jbyteArray, jint, jlong, jstring};
use jni::JNIEnv;
use v2tim_proto::model::{Elem, OfflinePushInfo};

use crate::core::{Error, HistoryOptions, Message, MessageObj};

use super::callbacks::{null, Once};
use super::env::{self, entry, entry_with_callback, string, string_array, string_or_empty};
use super::manager::manager;

/// Handles given to Java and not yet released (for tests of the cleanup).
static LIVE: AtomicI64 = AtomicI64::new(0);

/// How many message handles Java holds right now.
pub fn live_message_handles() -> i64 {
    LIVE.load(Ordering::SeqCst)
}

fn into_handle(m: Message) -> jlong {
    LIVE.fetch_add(1, Ordering::SeqCst);
    Arc::into_raw(m) as jlong
}

/// # Safety
/// `h` is 0 or a handle from [`into_handle`] not yet released.
unsafe fn release(h: jlong) {
    if h != 0 {
        // SAFETY: the caller's contract: one strong count is owned by the handle.
        drop(unsafe { Arc::from_raw(h as *const MessageObj) });
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The message behind a handle, as a new strong reference.
///
/// # Safety
/// `h` is 0 or a live handle, kept alive by its Java object for the duration of the call.
unsafe fn message(h: jlong, what: &str) -> Result<Message, Error> {
    if h == 0 {
        return Err(Error::invalid(format!("{what} is null")));
    }
    let p = h as *const MessageObj;
    // SAFETY: a live handle owns a strong count, so adding one is sound.
    unsafe {
        Arc::increment_strong_count(p);
        Ok(Arc::from_raw(p))
    }
}

/// A new Java `V2TIMMessage` owning a handle to `m`.
pub(crate) fn new_java_message<'a>(
    env: &mut JNIEnv<'a>,
    m: Message,
) -> jni::errors::Result<JObject<'a>> {
    let Some(g) = env::globals() else {
        return Err(jni::errors::Error::NullPtr("JNI layer not initialized"));
    };
    let h = into_handle(m);
    match env.new_object(env::class(&g.message_class), "(J)V", &[JValue::Long(h)]) {
        Ok(o) => Ok(o),
        Err(e) => {
            // The constructor did not take it.
            // SAFETY: `h` was made above and given to nobody.
            unsafe { release(h) };
            Err(e)
        }
    }
}

/// `onSuccess(java.util.ArrayList<V2TIMMessage>)`.
fn message_list<'a>(env: &mut JNIEnv<'a>, msgs: Vec<Message>) -> jni::errors::Result<JObject<'a>> {
    let Some(g) = env::globals() else {
        return Err(jni::errors::Error::NullPtr("JNI layer not initialized"));
    };
    let list = env.new_object(
        env::class(&g.array_list_class),
        "(I)V",
        &[JValue::Int(msgs.len() as jint)],
    )?;
    for m in msgs {
        let jm = new_java_message(env, m)?;
        env.call_method(
            &list,
            "add",
            "(Ljava/lang/Object;)Z",
            &[JValue::Object(&jm)],
        )?;
        env.delete_local_ref(jm)?;
    }
    Ok(list)
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_liveMessageHandles<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jlong {
    entry(&mut env, "liveMessageHandles", 0, |_| {
        Ok(live_message_handles())
    })
}

/// Called once per handle by the Java cleaner.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_messageRelease<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    entry(&mut env, "messageRelease", (), |_| {
        // SAFETY: the Java cleaner passes each handle of a collected message exactly once.
        unsafe { release(handle) };
        Ok(())
    })
}

/// Returns a handle, or 0 with an `IllegalStateException` (e.g. not initialized, 6013).
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_createTextMessage<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    text: JString<'l>,
) -> jlong {
    entry(&mut env, "createTextMessage", 0, |env| {
        let text = string(env, &text, "text")?;
        let m = manager(mgr)?.core.create_text_message(&text)?;
        Ok(into_handle(m))
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_createCustomMessage<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    data: JByteArray<'l>,
    description: JString<'l>,
    extension: JString<'l>,
) -> jlong {
    entry(&mut env, "createCustomMessage", 0, |env| {
        if data.is_null() {
            return Err(Error::invalid("data is null").into());
        }
        let bytes = env.convert_byte_array(&data)?;
        let description = string_or_empty(env, &description, "description")?;
        let extension = string_or_empty(env, &extension, "extension")?;
        let m = manager(mgr)?
            .core
            .create_custom_message(&bytes, &description, &extension)?;
        Ok(into_handle(m))
    })
}

/// Returns the message id (null when there is no message); the outcome goes to `cb`
/// (`onSuccess(null)`: the Java side passes its own message object on).
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_sendMessage<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    msg: JObject<'l>,
    handle: jlong,
    receiver: JString<'l>,
    group_id: JString<'l>,
    priority: jint,
    online_user_only: jboolean,
    cloud_custom_data: JString<'l>,
    excluded_from_unread: jint,
    excluded_from_last: jint,
    push_strings: JObjectArray<'l>,
    push_numbers: JIntArray<'l>,
    cb: JObject<'l>,
) -> jstring {
    let once = Once::new(&mut env, &cb);
    let mut msg_id: Option<String> = None;
    entry_with_callback(&mut env, "sendMessage", &once, (), |env| {
        let _keep_alive = &msg;
        // SAFETY: `msg` (a local ref) keeps the handle's owner alive during the call.
        let m = unsafe { message(handle, "message") }?;
        msg_id = Some(m.msg_id().to_owned());
        let mgr = manager(mgr)?;
        let receiver = string_or_empty(env, &receiver, "receiver")?;
        let group_id = string_or_empty(env, &group_id, "groupID")?;
        let cloud = (!cloud_custom_data.is_null())
            .then(|| string_or_empty(env, &cloud_custom_data, "cloudCustomData"))
            .transpose()?;
        let push = (!push_strings.is_null())
            .then(|| offline_push(env, &push_strings, &push_numbers))
            .transpose()?;
        if cloud.is_some() || excluded_from_unread >= 0 || excluded_from_last >= 0 || push.is_some()
        {
            m.set_extras(|d| {
                if push.is_some() {
                    d.offline_push = push;
                }
                if let Some(c) = cloud {
                    d.cloud_custom_data = c;
                }
                if excluded_from_unread >= 0 {
                    d.excluded_from_unread = excluded_from_unread != 0;
                }
                if excluded_from_last >= 0 {
                    d.excluded_from_last = excluded_from_last != 0;
                }
                Ok(())
            })?;
        }
        mgr.core.send_message_with(
            &m,
            &receiver,
            &group_id,
            priority,
            online_user_only != 0,
            once.completion(null),
        );
        Ok(())
    });
    env::entry(&mut env, "sendMessage", std::ptr::null_mut(), |env| {
        Ok(env::java_string(env, msg_id.as_deref())?.into_raw())
    })
}

/// V2TIMOfflinePushInfo from the table `V2TIMOfflinePushInfo.strings()` / `numbers()`
/// build (keep the orders in step).
fn offline_push(
    env: &mut JNIEnv,
    strings: &JObjectArray,
    numbers: &JIntArray,
) -> Result<OfflinePushInfo, Error> {
    let s = string_array(env, strings, "offlinePushInfo")?;
    let mut n = [0i32; 4];
    env.get_int_array_region(numbers, 0, &mut n)
        .map_err(|e| Error::invalid(format!("offlinePushInfo: {e}")))?;
    let [title, desc, ext, ios_sound, android_sound, oppo, fcm, xiaomi, huawei, honor]: [String;
        10] = s
        .try_into()
        .map_err(|_| Error::invalid("offlinePushInfo: 10 strings expected"))?;
    Ok(OfflinePushInfo {
        title,
        desc,
        ext,
        disable_push: n[0] != 0,
        ios_sound,
        ignore_ios_badge: n[1] != 0,
        ios_push_type: n[2],
        android_sound,
        android_oppo_channel_id: oppo,
        android_fcm_channel_id: fcm,
        android_xiaomi_channel_id: xiaomi,
        android_vivo_classification: n[3],
        android_huawei_category: huawei,
        android_honor_importance: honor,
    })
}

/// V2TIMMessageManager.revokeMessage, with v2tim's optional reason (null = none).
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_revokeMessage<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    msg: JObject<'l>,
    handle: jlong,
    reason: JString<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "revokeMessage", &once, (), |env| {
        let _keep_alive = &msg;
        // SAFETY: `msg` keeps the handle's owner alive during the call.
        let m = unsafe { message(handle, "message") }?;
        let reason = string_or_empty(env, &reason, "reason")?;
        manager(mgr)?
            .core
            .revoke_message(&m, &reason, once.completion(null));
        Ok(())
    })
}

/// C2C history when `user_id` is non-empty, group history when `group_id` is; newest first,
/// older than `last_msg` (may be null). `onSuccess(ArrayList<V2TIMMessage>)`.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_getHistoryMessageList<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    user_id: JString<'l>,
    group_id: JString<'l>,
    get_type: jint,
    count: jint,
    last_msg: JObject<'l>,
    last_handle: jlong,
    last_msg_seq: jlong,
    time_begin: jlong,
    time_period: jlong,
    message_types: JIntArray<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "getHistoryMessageList", &once, (), |env| {
        let m = manager(mgr)?;
        let user_id = string_or_empty(env, &user_id, "userID")?;
        let group_id = string_or_empty(env, &group_id, "groupID")?;
        let _keep_alive = &last_msg;
        let last = match last_handle {
            0 => None,
            // SAFETY: `last_msg` keeps the handle's owner alive during the call.
            h => Some(unsafe { message(h, "lastMsg") }?),
        };
        let unsigned = |v: jlong, what: &str| {
            u64::try_from(v).map_err(|_| Error::invalid(format!("{what} must not be negative")))
        };
        let mut types = Vec::new();
        if !message_types.is_null() {
            let n = env
                .get_array_length(&message_types)
                .map_err(|e| Error::invalid(e.to_string()))?;
            types = vec![0; n.max(0) as usize];
            env.get_int_array_region(&message_types, 0, &mut types)
                .map_err(|e| Error::invalid(e.to_string()))?;
        }
        let given = |s: String| (!s.is_empty()).then_some(s);
        let options = HistoryOptions {
            get_type,
            user_id: given(user_id),
            group_id: given(group_id),
            count,
            last_msg: last,
            last_msg_seq: unsigned(last_msg_seq, "lastMsgSeq")?,
            time_begin,
            time_period: unsigned(time_period, "getTimePeriod")?,
            message_types: types,
        };
        m.core
            .get_history_message_list(&options, once.completion(message_list));
        Ok(())
    })
}

// Fields for `messageString` (keep in step with V2TIMMessage.java).
const S_MSG_ID: jint = 0;
const S_SENDER: jint = 1;
const S_USER_ID: jint = 2;
const S_GROUP_ID: jint = 3;
const S_TEXT: jint = 4;
const S_CUSTOM_DESCRIPTION: jint = 5;
const S_CUSTOM_EXTENSION: jint = 6;
const S_REVOKER: jint = 7;
const S_REVOKE_REASON: jint = 8;
const S_NICK_NAME: jint = 9;
const S_FACE_URL: jint = 10;
const S_REVOKER_NICK: jint = 11;
const S_REVOKER_FACE: jint = 12;
const S_CLOUD_CUSTOM_DATA: jint = 13;

// Fields for `messageLong`.
const L_TIMESTAMP: jint = 0;
const L_SEQ: jint = 1;
const L_STATUS: jint = 2;
const L_IS_SELF: jint = 3;
const L_ELEM_TYPE: jint = 4;
const L_PRIORITY: jint = 5;
const L_TIMESTAMP_MS: jint = 6;
const L_IS_REVOKED: jint = 7;
const L_EXCLUDED_FROM_UNREAD: jint = 8;
const L_EXCLUDED_FROM_LAST: jint = 9;

/// A string field; null where V2TIM gives null (userID of a group message, groupID of a
/// C2C message, revoker and reason of a message that was not recalled, text of a message
/// that is not a text message).
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_messageString<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    msg: JObject<'l>,
    handle: jlong,
    field: jint,
) -> jstring {
    entry(&mut env, "messageString", std::ptr::null_mut(), |env| {
        let _keep_alive = &msg;
        // SAFETY: `msg` keeps the handle's owner alive during the call.
        let m = unsafe { message(handle, "message") }?;
        let value: Option<String> = m.with(|d| {
            let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_owned());
            let revoked = d.revoked.as_ref();
            match field {
                S_MSG_ID => Some(d.msg_id.clone()),
                S_SENDER => Some(d.sender.clone()),
                S_USER_ID => non_empty(&d.user_id),
                S_GROUP_ID => non_empty(&d.group_id),
                S_TEXT => match &d.elem {
                    Elem::Text { text } => Some(text.clone()),
                    _ => None,
                },
                S_CUSTOM_DESCRIPTION => match &d.elem {
                    Elem::Custom { description, .. } => Some(description.clone()),
                    _ => None,
                },
                S_CUSTOM_EXTENSION => match &d.elem {
                    Elem::Custom { extension, .. } => Some(extension.clone()),
                    _ => None,
                },
                S_REVOKER => revoked.map(|r| r.revoker.clone()),
                S_REVOKE_REASON => revoked.map(|r| r.reason.clone()),
                S_NICK_NAME => Some(d.nick_name.clone()),
                S_FACE_URL => Some(d.face_url.clone()),
                S_REVOKER_NICK => revoked.map(|r| r.revoker_nick.clone()),
                S_REVOKER_FACE => revoked.map(|r| r.revoker_face.clone()),
                S_CLOUD_CUSTOM_DATA => Some(d.cloud_custom_data.clone()),
                _ => None,
            }
        });
        Ok(env::java_string(env, value.as_deref())?.into_raw())
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_messageLong<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    msg: JObject<'l>,
    handle: jlong,
    field: jint,
) -> jlong {
    entry(&mut env, "messageLong", 0, |_| {
        let _keep_alive = &msg;
        // SAFETY: `msg` keeps the handle's owner alive during the call.
        let m = unsafe { message(handle, "message") }?;
        Ok(m.with(|d| match field {
            L_TIMESTAMP => d.timestamp_ms / 1000,
            L_SEQ => d.seq as i64,
            L_STATUS => d.status as i64,
            L_IS_SELF => d.is_self as i64,
            L_ELEM_TYPE => d.elem.elem_type() as i64,
            L_PRIORITY => d.priority as i64,
            L_TIMESTAMP_MS => d.timestamp_ms,
            L_IS_REVOKED => d.revoked.is_some() as i64,
            L_EXCLUDED_FROM_UNREAD => d.excluded_from_unread as i64,
            L_EXCLUDED_FROM_LAST => d.excluded_from_last as i64,
            _ => 0,
        }))
    })
}

/// The bytes of a custom message; null for other kinds and once recalled.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_messageCustomData<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    msg: JObject<'l>,
    handle: jlong,
) -> jbyteArray {
    entry(&mut env, "messageCustomData", std::ptr::null_mut(), |env| {
        let _keep_alive = &msg;
        // SAFETY: `msg` keeps the handle's owner alive during the call.
        let m = unsafe { message(handle, "message") }?;
        let data = m.with(|d| match &d.elem {
            Elem::Custom { data, .. } => Some(data.clone()),
            _ => None,
        });
        let Some(data) = data else {
            return Ok(std::ptr::null_mut());
        };
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap_or_default();
        Ok(env.byte_array_from_slice(&bytes)?.into_raw())
    })
}

/// The group tips of a group tips message as a table (`GroupTable.java`); null for other
/// kinds.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_messageGroupTips<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    msg: JObject<'l>,
    handle: jlong,
) -> jni::sys::jobject {
    entry(&mut env, "messageGroupTips", std::ptr::null_mut(), |env| {
        let _keep_alive = &msg;
        // SAFETY: `msg` keeps the handle's owner alive during the call.
        let m = unsafe { message(handle, "message") }?;
        let tips = m.group_tips();
        Ok(super::groups::tips_of(env, tips.as_deref())?.into_raw())
    })
}
