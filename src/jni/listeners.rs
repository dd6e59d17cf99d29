//! Java listeners as core listeners.
//!
//! Native code holds the package-private Java bridge object (`AdvancedMsgListenerBridge`,
//! `SDKListenerBridge`) that wraps the app's listener, as a `GlobalRef` inside the core
//! listener. The core drops its `Arc` when the listener is removed (after an event of it
//! that is running), which deletes the global reference.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use jni::objects::{GlobalRef, JClass, JObject, JValue};
use jni::sys::jlong;
use jni::JNIEnv;

use crate::core::{AdvancedMsgListener, Error, Message, SdkListener, UserFullInfo};

use super::env::{self, entry};
use super::manager::{listener_key, manager, Kind};
use super::message::new_java_message;

/// Listener global references held by native code (for tests of their release).
static LIVE: AtomicI64 = AtomicI64::new(0);

/// How many Java listeners native code references right now.
pub fn live_listener_refs() -> i64 {
    LIVE.load(Ordering::SeqCst)
}

/// The global reference to a listener bridge, counted in [`LIVE`].
pub(crate) struct Held(GlobalRef);

impl Held {
    fn new(g: GlobalRef) -> Held {
        LIVE.fetch_add(1, Ordering::SeqCst);
        Held(g)
    }

    pub(crate) fn as_obj(&self) -> &JObject<'static> {
        self.0.as_obj()
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

struct JavaAdvancedMsgListener {
    bridge: Held,
}

impl AdvancedMsgListener for JavaAdvancedMsgListener {
    fn on_recv_new_message(&self, msg: &Message) {
        env::call_java("onRecvNewMessage", |env| {
            let jm = new_java_message(env, msg.clone())?;
            env.call_method(
                self.bridge.as_obj(),
                "onRecvNewMessage",
                "(Lio/v2tim/imsdk/v2/V2TIMMessage;)V",
                &[JValue::Object(&jm)],
            )?;
            Ok(())
        })
    }

    fn on_recv_message_revoked(&self, msg_id: &str, operate_user: &UserFullInfo, reason: &str) {
        env::call_java("onRecvMessageRevoked", |env| {
            let id: JObject = env.new_string(msg_id)?.into();
            let user = super::profiles::new_java_user(env, operate_user)?;
            let reason: JObject = env.new_string(reason)?.into();
            env.call_method(
                self.bridge.as_obj(),
                "onRecvMessageRevoked",
                "(Ljava/lang/String;Lio/v2tim/imsdk/v2/V2TIMUserFullInfo;Ljava/lang/String;)V",
                &[
                    JValue::Object(&id),
                    JValue::Object(&user),
                    JValue::Object(&reason),
                ],
            )?;
            Ok(())
        })
    }
}

struct JavaSdkListener {
    bridge: Held,
}

impl JavaSdkListener {
    fn plain(&self, name: &'static str) {
        env::call_java(name, |env| {
            env.call_method(self.bridge.as_obj(), name, "()V", &[])?;
            Ok(())
        })
    }
}

impl SdkListener for JavaSdkListener {
    fn on_connecting(&self) {
        self.plain("onConnecting")
    }
    fn on_connect_success(&self) {
        self.plain("onConnectSuccess")
    }
    fn on_connect_failed(&self, code: i32, desc: &str) {
        env::call_java("onConnectFailed", |env| {
            let desc: JObject = env.new_string(desc)?.into();
            env.call_method(
                self.bridge.as_obj(),
                "onConnectFailed",
                "(ILjava/lang/String;)V",
                &[JValue::Int(code), JValue::Object(&desc)],
            )?;
            Ok(())
        })
    }
    fn on_kicked_offline(&self) {
        self.plain("onKickedOffline")
    }
    fn on_user_sig_expired(&self) {
        self.plain("onUserSigExpired")
    }
    fn on_self_info_updated(&self, info: &UserFullInfo) {
        env::call_java("onSelfInfoUpdated", |env| {
            let user = super::profiles::new_java_user(env, info)?;
            env.call_method(
                self.bridge.as_obj(),
                "onSelfInfoUpdated",
                "(Lio/v2tim/imsdk/v2/V2TIMUserFullInfo;)V",
                &[JValue::Object(&user)],
            )?;
            Ok(())
        })
    }
}

pub(crate) fn add(
    env: &mut JNIEnv,
    mgr: jlong,
    kind: Kind,
    id: jlong,
    bridge: &JObject,
) -> Result<(), env::Fail> {
    if bridge.is_null() {
        return Err(Error::invalid("listener is null").into());
    }
    let m = manager(mgr)?;
    let bridge = Held::new(env.new_global_ref(bridge)?);
    let key = listener_key(kind, id);
    match kind {
        Kind::AdvancedMsg => m
            .core
            .add_advanced_msg_listener(key, Arc::new(JavaAdvancedMsgListener { bridge })),
        Kind::Sdk => m
            .core
            .add_sdk_listener(key, Arc::new(JavaSdkListener { bridge })),
        Kind::Conversation => m.core.add_conversation_listener(
            key,
            Arc::new(super::conversations::JavaConversationListener::new(bridge)),
        ),
        Kind::Group => m
            .core
            .add_group_listener(key, Arc::new(super::groups::JavaGroupListener::new(bridge))),
    }
    m.listeners.lock().insert((kind, id));
    Ok(())
}

pub(crate) fn remove(mgr: jlong, kind: Kind, id: jlong) {
    let Ok(m) = manager(mgr) else {
        return;
    };
    let key = listener_key(kind, id);
    match kind {
        Kind::AdvancedMsg => m.core.remove_advanced_msg_listener(key),
        Kind::Sdk => m.core.remove_sdk_listener(key),
        Kind::Conversation => m.core.remove_conversation_listener(key),
        Kind::Group => m.core.remove_group_listener(key),
    }
    m.listeners.lock().remove(&(kind, id));
}

/// Registers `bridge` under the registration id `id` (chosen by the Java side, unique per
/// manager); the same id again replaces it.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_addAdvancedMsgListener<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    id: jlong,
    bridge: JObject<'l>,
) {
    entry(&mut env, "addAdvancedMsgListener", (), |env| {
        add(env, mgr, Kind::AdvancedMsg, id, &bridge)
    })
}

/// After this returns the listener is not called again and its reference is released.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_removeAdvancedMsgListener<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    id: jlong,
) {
    entry(&mut env, "removeAdvancedMsgListener", (), |_| {
        remove(mgr, Kind::AdvancedMsg, id);
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_addSDKListener<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    id: jlong,
    bridge: JObject<'l>,
) {
    entry(&mut env, "addSDKListener", (), |env| {
        add(env, mgr, Kind::Sdk, id, &bridge)
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_removeSDKListener<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    id: jlong,
) {
    entry(&mut env, "removeSDKListener", (), |_| {
        remove(mgr, Kind::Sdk, id);
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_liveListenerRefs<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jlong {
    entry(
        &mut env,
        "liveListenerRefs",
        0,
        |_| Ok(live_listener_refs()),
    )
}
