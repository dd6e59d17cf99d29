//! The conversation list: its listener and calls, with conversations handed to Java as
//! `V2TIMConversation` objects (values, plus the live last message).

use jni::objects::{JClass, JObject, JString, JValue};
use jni::sys::{jint, jlong};
use jni::JNIEnv;

use crate::core::{Conversation, ConversationListener, ConversationResult};

use super::callbacks::{null, Once};
use super::env::{self, entry, entry_with_callback, string};
use super::listeners::{self, Held};
use super::manager::{manager, Kind};
use super::message::new_java_message;

fn not_ready() -> jni::errors::Error {
    jni::errors::Error::NullPtr("JNI layer not initialized")
}

/// A new Java `V2TIMConversation`.
fn java_conversation<'a>(
    env: &mut JNIEnv<'a>,
    c: Conversation,
) -> jni::errors::Result<JObject<'a>> {
    let g = env::globals().ok_or_else(not_ready)?;
    let last = match c.last_message {
        Some(m) => new_java_message(env, m)?,
        None => JObject::null(),
    };
    let strings = [
        c.conversation_id,
        c.user_id,
        c.group_id,
        c.group_type,
        c.show_name,
        c.face_url,
    ];
    let mut objs = Vec::with_capacity(strings.len());
    for s in &strings {
        objs.push(JObject::from(env.new_string(s)?));
    }
    let obj = env.new_object(
        env::class(&g.conversation_class),
        "(ILjava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;\
         Ljava/lang/String;Ljava/lang/String;JJLio/v2tim/imsdk/v2/V2TIMMessage;)V",
        &[
            JValue::Int(c.conv_type),
            JValue::Object(&objs[0]),
            JValue::Object(&objs[1]),
            JValue::Object(&objs[2]),
            JValue::Object(&objs[3]),
            JValue::Object(&objs[4]),
            JValue::Object(&objs[5]),
            JValue::Long(i64::try_from(c.unread_count).unwrap_or(i64::MAX)),
            JValue::Long(i64::try_from(c.order_key).unwrap_or(i64::MAX)),
            JValue::Object(&last),
        ],
    )?;
    for o in objs {
        env.delete_local_ref(o)?;
    }
    if !last.is_null() {
        env.delete_local_ref(last)?;
    }
    Ok(obj)
}

/// A `java.util.ArrayList<V2TIMConversation>`.
fn java_list<'a>(env: &mut JNIEnv<'a>, convs: &[Conversation]) -> jni::errors::Result<JObject<'a>> {
    let g = env::globals().ok_or_else(not_ready)?;
    let list = env.new_object(
        env::class(&g.array_list_class),
        "(I)V",
        &[JValue::Int(convs.len() as jint)],
    )?;
    for c in convs {
        let jc = java_conversation(env, c.clone())?;
        env.call_method(
            &list,
            "add",
            "(Ljava/lang/Object;)Z",
            &[JValue::Object(&jc)],
        )?;
        env.delete_local_ref(jc)?;
    }
    Ok(list)
}

fn java_result<'a>(
    env: &mut JNIEnv<'a>,
    r: ConversationResult,
) -> jni::errors::Result<JObject<'a>> {
    let g = env::globals().ok_or_else(not_ready)?;
    let (convs, next_seq, finished) = r;
    let list = java_list(env, &convs)?;
    env.new_object(
        env::class(&g.conversation_result_class),
        "(JZLjava/util/List;)V",
        &[
            JValue::Long(i64::try_from(next_seq).unwrap_or(i64::MAX)),
            JValue::Bool(u8::from(finished)),
            JValue::Object(&list),
        ],
    )
}

fn java_long<'a>(env: &mut JNIEnv<'a>, v: u64) -> jni::errors::Result<JObject<'a>> {
    let g = env::globals().ok_or_else(not_ready)?;
    env.new_object(
        env::class(&g.long_class),
        "(J)V",
        &[JValue::Long(i64::try_from(v).unwrap_or(i64::MAX))],
    )
}

/// The app's conversation listener (through its `ConversationListenerBridge`).
pub(crate) struct JavaConversationListener {
    bridge: Held,
}

impl JavaConversationListener {
    pub(crate) fn new(bridge: Held) -> Self {
        JavaConversationListener { bridge }
    }

    fn list(&self, name: &'static str, convs: &[Conversation]) {
        env::call_java(name, |env| {
            let list = java_list(env, convs)?;
            env.call_method(
                self.bridge.as_obj(),
                name,
                "(Ljava/util/List;)V",
                &[JValue::Object(&list)],
            )?;
            Ok(())
        })
    }
}

impl ConversationListener for JavaConversationListener {
    fn on_new_conversation(&self, convs: &[Conversation]) {
        self.list("onNewConversation", convs)
    }
    fn on_conversation_changed(&self, convs: &[Conversation]) {
        self.list("onConversationChanged", convs)
    }
    fn on_total_unread_message_count_changed(&self, total: u64) {
        env::call_java("onTotalUnreadMessageCountChanged", |env| {
            env.call_method(
                self.bridge.as_obj(),
                "onTotalUnreadMessageCountChanged",
                "(J)V",
                &[JValue::Long(i64::try_from(total).unwrap_or(i64::MAX))],
            )?;
            Ok(())
        })
    }
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_addConversationListener<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    id: jlong,
    bridge: JObject<'l>,
) {
    entry(&mut env, "addConversationListener", (), |env| {
        listeners::add(env, mgr, Kind::Conversation, id, &bridge)
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_removeConversationListener<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    id: jlong,
) {
    entry(&mut env, "removeConversationListener", (), |_| {
        listeners::remove(mgr, Kind::Conversation, id);
        Ok(())
    })
}

/// `onSuccess(V2TIMConversationResult)`. `next_seq` and `count` are Java's signed types;
/// negative values are refused as the core refuses a count out of range.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_getConversationList<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    next_seq: jlong,
    count: jint,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "getConversationList", &once, (), |_| {
        let m = manager(mgr)?;
        let next_seq = u64::try_from(next_seq)
            .map_err(|_| crate::core::Error::invalid("nextSeq must not be negative"))?;
        let count = u32::try_from(count).unwrap_or(0);
        m.core
            .get_conversation_list(next_seq, count, once.completion(java_result));
        Ok(())
    })
}

/// `onSuccess(V2TIMConversation)`.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_getConversation<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    conversation_id: JString<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "getConversation", &once, (), |env| {
        let m = manager(mgr)?;
        let id = string(env, &conversation_id, "conversationID")?;
        m.core
            .get_conversation(&id, once.completion(java_conversation));
        Ok(())
    })
}

/// `onSuccess(java.lang.Long)`.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_getTotalUnreadMessageCount<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "getTotalUnreadMessageCount", &once, (), |_| {
        let m = manager(mgr)?;
        m.core
            .get_total_unread_message_count(once.completion(java_long));
        Ok(())
    })
}

/// `onSuccess(null)`. Negative timestamps or sequences are refused.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_cleanConversationUnreadMessageCount<
    'l,
>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    conversation_id: JString<'l>,
    clean_timestamp: jlong,
    clean_sequence: jlong,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(
        &mut env,
        "cleanConversationUnreadMessageCount",
        &once,
        (),
        |env| {
            let m = manager(mgr)?;
            let id = string(env, &conversation_id, "conversationID")?;
            let (Ok(ts), Ok(seq)) = (
                u64::try_from(clean_timestamp),
                u64::try_from(clean_sequence),
            ) else {
                return Err(crate::core::Error::invalid(
                    "cleanTimestamp and cleanSequence must not be negative",
                ));
            };
            m.core
                .clean_conversation_unread_message_count(&id, ts, seq, once.completion(null));
            Ok(())
        },
    )
}

/// `onSuccess(null)`; `user_id` xor `group_id` (the other null).
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_markMessageAsRead<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    user_id: JString<'l>,
    group_id: JString<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "markMessageAsRead", &once, (), |env| {
        let m = manager(mgr)?;
        if group_id.is_null() {
            let user = string(env, &user_id, "userID")?;
            m.core
                .mark_c2c_message_as_read(&user, once.completion(null));
        } else {
            let group = string(env, &group_id, "groupID")?;
            m.core
                .mark_group_message_as_read(&group, once.completion(null));
        }
        Ok(())
    })
}
