//! Manager instances (by id), SDK lifecycle, login and the group calls.
//!
//! Java holds a manager as a `long` id into a registry, not as a pointer: a call on a
//! destroyed manager finds nothing and fails cleanly (6013) instead of touching freed memory.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use jni::objects::{JClass, JObject, JObjectArray, JString};
use jni::sys::{jint, jlong, jstring};
use jni::JNIEnv;
use once_cell::sync::Lazy;
use parking_lot::Mutex;

use crate::core::{Error, ListenerKey, Manager, SdkConfig};

use super::callbacks::{null, Once};
use super::env::{self, entry, entry_with_callback, opt_string, string, string_or_empty};

/// Kinds of listeners, kept apart in keys and in [`JniManager::listeners`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum Kind {
    AdvancedMsg = 1,
    Sdk = 2,
    Conversation = 3,
    Group = 4,
}

/// The core key of the Java listener registration `id` (ids come from the Java side, one per
/// listener object and manager).
pub(crate) fn listener_key(kind: Kind, id: i64) -> ListenerKey {
    [
        kind as usize,
        id as usize,
        (id >> 32) as usize,
        0,
        0,
        0,
        0,
        0,
    ]
}

pub(crate) struct JniManager {
    pub core: Manager,
    /// Listener registrations made through JNI, so uninit can remove (and release) them all.
    pub listeners: Mutex<HashSet<(Kind, i64)>>,
}

impl JniManager {
    /// Removes every listener registered through JNI: their global refs are released once
    /// the core let go of them (immediately, or after an event of theirs that is running).
    pub fn remove_all_listeners(&self) {
        let all: Vec<_> = self.listeners.lock().drain().collect();
        for (kind, id) in all {
            let key = listener_key(kind, id);
            match kind {
                Kind::AdvancedMsg => self.core.remove_advanced_msg_listener(key),
                Kind::Sdk => self.core.remove_sdk_listener(key),
                Kind::Conversation => self.core.remove_conversation_listener(key),
                Kind::Group => self.core.remove_group_listener(key),
            }
        }
    }
}

static MANAGERS: Lazy<Mutex<HashMap<i64, Arc<JniManager>>>> =
    Lazy::new(|| Mutex::new(HashMap::new()));
static NEXT_ID: AtomicI64 = AtomicI64::new(1);

pub(crate) fn manager(id: jlong) -> Result<Arc<JniManager>, Error> {
    MANAGERS.lock().get(&id).cloned().ok_or_else(|| {
        Error::new(
            crate::core::codes::ERR_SDK_NOT_INITIALIZED,
            "this V2TIMManager was destroyed",
        )
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_nativeInit<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) {
    entry(&mut env, "nativeInit", (), |env| Ok(env::init(env)?))
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_createManager<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jlong {
    entry(&mut env, "createManager", 0, |_| {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let m = Arc::new(JniManager {
            core: Manager::new(),
            listeners: Mutex::new(HashSet::new()),
        });
        MANAGERS.lock().insert(id, m);
        Ok(id)
    })
}

/// Uninitializes the manager, removes its listeners and forgets the id.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_destroyManager<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
) {
    entry(&mut env, "destroyManager", (), |_| {
        let m = MANAGERS.lock().remove(&mgr);
        if let Some(m) = m {
            m.core.uninit_sdk();
            m.remove_all_listeners();
        }
        Ok(())
    })
}

/// Returns 0 or the error code (6017 for bad arguments).
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_initSDK<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    sdk_app_id: jint,
    server_url: JString<'l>,
    secret_key: JString<'l>,
    init_path: JString<'l>,
    log_level: jint,
) -> jint {
    entry(
        &mut env,
        "initSDK",
        crate::core::codes::ERR_INVALID_PARAMETERS,
        |env| {
            let mut run = || -> Result<(), Error> {
                let m = manager(mgr)?;
                if sdk_app_id <= 0 {
                    return Err(Error::invalid("sdkAppID must be positive"));
                }
                let non_empty = |s: Option<String>| s.filter(|s| !s.is_empty());
                let config = SdkConfig {
                    server_url: non_empty(opt_string(env, &server_url, "serverURL")?),
                    secret_key: non_empty(opt_string(env, &secret_key, "secretKey")?),
                    data_dir: non_empty(opt_string(env, &init_path, "initPath")?)
                        .map(PathBuf::from),
                    log_level,
                };
                m.core.init_sdk(sdk_app_id as u32, config)
            };
            Ok(match run() {
                Ok(()) => 0,
                Err(e) => {
                    tracing::warn!("initSDK: {e}");
                    e.code
                }
            })
        },
    )
}

/// Uninitializes; also removes (and releases) every listener registered through JNI.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_unInitSDK<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
) {
    entry(&mut env, "unInitSDK", (), |_| {
        if let Ok(m) = manager(mgr) {
            m.core.uninit_sdk();
            m.remove_all_listeners();
        }
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_login<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    user_id: JString<'l>,
    user_sig: JString<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "login", &once, (), |env| {
        let m = manager(mgr)?;
        let user_id = string(env, &user_id, "userID")?;
        let user_sig = string(env, &user_sig, "userSig")?;
        m.core.login(&user_id, &user_sig, once.completion(null));
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_logout<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "logout", &once, (), |_| {
        manager(mgr)?.core.logout(once.completion(null));
        Ok(())
    })
}

/// The logged-in user, or null.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_getLoginUser<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
) -> jstring {
    entry(&mut env, "getLoginUser", std::ptr::null_mut(), |env| {
        let user = manager(mgr)
            .map(|m| m.core.get_login_user())
            .unwrap_or_default();
        let user = (!user.is_empty()).then_some(user.as_str());
        Ok(env::java_string(env, user)?.into_raw())
    })
}

/// 1 logged in, 2 logging in, 3 logged out (V2TIM_STATUS_*).
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_getLoginStatus<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
) -> jint {
    entry(&mut env, "getLoginStatus", 3, |_| {
        Ok(manager(mgr)
            .map(|m| m.core.get_login_status())
            .unwrap_or(crate::core::login_status::LOGOUT))
    })
}

/// Server time in seconds.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_getServerTime<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
) -> jlong {
    entry(&mut env, "getServerTime", 0, |_| {
        Ok(manager(mgr).map(|m| m.core.get_server_time()).unwrap_or(0))
    })
}

/// `onSuccess(String groupID)`.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_createGroup<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    group_type: JString<'l>,
    group_id: JString<'l>,
    group_name: JString<'l>,
    cb: JObject<'l>,
) {
    fn group_id_value<'a>(env: &mut JNIEnv<'a>, id: String) -> jni::errors::Result<JObject<'a>> {
        Ok(env.new_string(id)?.into())
    }
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "createGroup", &once, (), |env| {
        let m = manager(mgr)?;
        let group_type = string(env, &group_type, "groupType")?;
        let group_id = string_or_empty(env, &group_id, "groupID")?;
        let group_name = string_or_empty(env, &group_name, "groupName")?;
        m.core.create_group(
            &group_type,
            &group_id,
            &group_name,
            once.completion(group_id_value),
        );
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_joinGroup<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    group_id: JString<'l>,
    message: JString<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "joinGroup", &once, (), |env| {
        let m = manager(mgr)?;
        let group_id = string(env, &group_id, "groupID")?;
        let message = string_or_empty(env, &message, "message")?;
        m.core
            .join_group(&group_id, &message, once.completion(null));
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_quitGroup<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    group_id: JString<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "quitGroup", &once, (), |env| {
        let m = manager(mgr)?;
        let group_id = string(env, &group_id, "groupID")?;
        m.core.quit_group(&group_id, once.completion(null));
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_inviteUserToGroup<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    group_id: JString<'l>,
    user_ids: JObjectArray<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "inviteUserToGroup", &once, (), |env| {
        let m = manager(mgr)?;
        let group_id = string(env, &group_id, "groupID")?;
        let users = env::string_array(env, &user_ids, "userList")?;
        m.core
            .invite_user_to_group(&group_id, users, super::groups::invite_completion(&once));
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_setGroupMemberRole<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    group_id: JString<'l>,
    user_id: JString<'l>,
    role: jint,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "setGroupMemberRole", &once, (), |env| {
        let m = manager(mgr)?;
        let group_id = string(env, &group_id, "groupID")?;
        let user_id = string(env, &user_id, "userID")?;
        let role =
            u32::try_from(role).map_err(|_| Error::invalid("role must be 200, 300 or 400"))?;
        m.core
            .set_group_member_role(&group_id, &user_id, role, once.completion(null));
        Ok(())
    })
}

/// An argument error found on the Java side, reported like the native ones: `onError` on
/// the event thread.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_postError<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    cb: JObject<'l>,
    code: jint,
    desc: JString<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "postError", &once, (), |env| {
        let desc = string_or_empty(env, &desc, "desc")?;
        Err(Error::new(code, desc))
    })
}
