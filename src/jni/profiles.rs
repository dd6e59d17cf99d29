//! Profiles: `V2TIMUserFullInfo` objects for Java, setting one's own, reading others'.

use jni::objects::{JByteArray, JClass, JObject, JObjectArray, JString, JValue};
use jni::sys::{jint, jlong};
use jni::JNIEnv;

use crate::core::{Error, ProfileChanges, UserFullInfo};

use super::callbacks::{null, Once};
use super::env::{self, entry_with_callback, opt_string};
use super::manager::manager;

/// A new Java `V2TIMUserFullInfo` with every field of `u`.
pub(crate) fn new_java_user<'a>(
    env: &mut JNIEnv<'a>,
    u: &UserFullInfo,
) -> jni::errors::Result<JObject<'a>> {
    let g = env::globals().ok_or(jni::errors::Error::NullPtr("JNI layer not initialized"))?;
    let string_class = env.find_class("java/lang/String")?;
    let keys = env.new_object_array(u.custom_info.len() as i32, &string_class, JObject::null())?;
    let byte_array_class = env.find_class("[B")?;
    let values = env.new_object_array(
        u.custom_info.len() as i32,
        &byte_array_class,
        JObject::null(),
    )?;
    for (i, (k, v)) in u.custom_info.iter().enumerate() {
        let key = env.new_string(k)?;
        env.set_object_array_element(&keys, i as i32, &key)?;
        let value = env.byte_array_from_slice(v)?;
        env.set_object_array_element(&values, i as i32, &value)?;
    }
    let texts = [&u.user_id, &u.nick_name, &u.face_url, &u.self_signature];
    let mut objs = Vec::with_capacity(texts.len());
    for t in texts {
        objs.push(JObject::from(env.new_string(t)?));
    }
    env.new_object(
        env::class(&g.user_info_class),
        "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;IIIJI\
         [Ljava/lang/String;[[B)V",
        &[
            JValue::Object(&objs[0]),
            JValue::Object(&objs[1]),
            JValue::Object(&objs[2]),
            JValue::Object(&objs[3]),
            JValue::Int(u.gender),
            JValue::Int(u.role as i32),
            JValue::Int(u.level as i32),
            JValue::Long(i64::from(u.birthday)),
            JValue::Int(u.allow_type),
            JValue::Object(&keys),
            JValue::Object(&values),
        ],
    )
}

/// `onSuccess(java.util.ArrayList<V2TIMUserFullInfo>)`.
fn java_users<'a>(
    env: &mut JNIEnv<'a>,
    users: Vec<UserFullInfo>,
) -> jni::errors::Result<JObject<'a>> {
    let g = env::globals().ok_or(jni::errors::Error::NullPtr("JNI layer not initialized"))?;
    let list = env.new_object(
        env::class(&g.array_list_class),
        "(I)V",
        &[JValue::Int(users.len() as jint)],
    )?;
    for u in &users {
        let ju = new_java_user(env, u)?;
        env.call_method(
            &list,
            "add",
            "(Ljava/lang/Object;)Z",
            &[JValue::Object(&ju)],
        )?;
        env.delete_local_ref(ju)?;
    }
    Ok(list)
}

// V2TIMUserFullInfo's modify flags (the C ABI's V2TIMSelfInfo.modify_flag).
const NICK: jint = 1;
const FACE_URL: jint = 2;
const GENDER: jint = 4;
const BIRTHDAY: jint = 8;
const SELF_SIGNATURE: jint = 16;
const ALLOW_TYPE: jint = 32;
const LEVEL: jint = 64;
const ROLE: jint = 128;
const CUSTOM: jint = 256;

/// The fields `flags` names, changed; `onSuccess(null)`.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_setSelfInfo<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    flags: jint,
    nick_name: JString<'l>,
    face_url: JString<'l>,
    self_signature: JString<'l>,
    gender: jint,
    role: jint,
    level: jint,
    birthday: jlong,
    allow_type: jint,
    custom_keys: JObjectArray<'l>,
    custom_values: JObjectArray<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "setSelfInfo", &once, (), |env| {
        let m = manager(mgr)?;
        let has = |f: jint| flags & f != 0;
        // A flagged text that is null is set to "" (V2TIM clears it).
        let mut text = |s: &JString, what: &str| -> Result<String, Error> {
            Ok(opt_string(env, s, what)?.unwrap_or_default())
        };
        let mut c = ProfileChanges::default();
        if has(NICK) {
            c.nick_name = Some(text(&nick_name, "nickName")?);
        }
        if has(FACE_URL) {
            c.face_url = Some(text(&face_url, "faceUrl")?);
        }
        if has(SELF_SIGNATURE) {
            c.self_signature = Some(text(&self_signature, "selfSignature")?);
        }
        let unsigned = |v: i64, what: &str| {
            u32::try_from(v).map_err(|_| Error::invalid(format!("{what} must be 0 to 2^32-1")))
        };
        if has(GENDER) {
            c.gender = Some(gender);
        }
        if has(ALLOW_TYPE) {
            c.allow_type = Some(allow_type);
        }
        if has(ROLE) {
            c.role = Some(unsigned(i64::from(role), "role")?);
        }
        if has(LEVEL) {
            c.level = Some(unsigned(i64::from(level), "level")?);
        }
        if has(BIRTHDAY) {
            c.birthday = Some(unsigned(birthday, "birthday")?);
        }
        if has(CUSTOM) {
            let keys = env::string_array(env, &custom_keys, "customInfo keys")?;
            let bad = |e: jni::errors::Error| Error::invalid(format!("customInfo: {e}"));
            for (i, key) in keys.iter().enumerate() {
                let value = JByteArray::from(
                    env.get_object_array_element(&custom_values, i as i32)
                        .map_err(bad)?,
                );
                let bytes = env.convert_byte_array(&value).map_err(bad)?;
                c.set_custom(key, &bytes);
                let _ = env.delete_local_ref(value);
            }
        }
        m.core.set_self_info(c, once.completion(null));
        Ok(())
    })
}

/// `onSuccess(ArrayList<V2TIMUserFullInfo>)`.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_getUsersInfo<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    user_ids: JObjectArray<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "getUsersInfo", &once, (), |env| {
        let m = manager(mgr)?;
        let ids = env::string_array(env, &user_ids, "userIDList")?;
        m.core.get_users_info(ids, once.completion(java_users));
        Ok(())
    })
}

/// The process's log listener: `onLog(int, String)` of `listener` (a `V2TIMLogListener`,
/// held as a global reference until replaced), on the SDK event thread; null stops it.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_setLogListener<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    listener: JObject<'l>,
    min_level: jint,
) {
    env::entry(&mut env, "setLogListener", (), |env| {
        if listener.is_null() {
            crate::core::set_log_listener(None, min_level);
            return Ok(());
        }
        let held = env.new_global_ref(&listener)?;
        let sink: crate::core::LogSink = std::sync::Arc::new(move |level: i32, text: &str| {
            env::call_java("onLog", |env| {
                let text: JObject = env.new_string(text)?.into();
                env.call_method(
                    held.as_obj(),
                    "onLog",
                    "(ILjava/lang/String;)V",
                    &[JValue::Int(level), JValue::Object(&text)],
                )?;
                Ok(())
            })
        });
        crate::core::set_log_listener(Some(sink), min_level);
        Ok(())
    })
}
