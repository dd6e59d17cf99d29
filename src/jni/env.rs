//! The JVM, the classes native code instantiates, and the panic boundary.

use std::any::Any;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use jni::objects::{GlobalRef, JClass, JObject, JString};
use jni::{JNIEnv, JavaVM};

use crate::core::{codes, Error};

use super::callbacks::Once;

/// What native code needs on threads the JVM did not start.
pub(crate) struct Globals {
    pub vm: JavaVM,
    /// Looked up once from a Java thread: on Android, `FindClass` on a natively attached
    /// thread only sees the system class loader, not the app's classes.
    pub message_class: GlobalRef,
    pub user_info_class: GlobalRef,
    pub array_list_class: GlobalRef,
    pub conversation_class: GlobalRef,
    pub conversation_result_class: GlobalRef,
    pub long_class: GlobalRef,
}

static GLOBALS: OnceLock<Globals> = OnceLock::new();

pub(crate) fn globals() -> Option<&'static Globals> {
    GLOBALS.get()
}

/// Stores the JVM and the classes (from `NativeBridge`'s static initializer).
pub(crate) fn init(env: &mut JNIEnv) -> jni::errors::Result<()> {
    if GLOBALS.get().is_some() {
        return Ok(());
    }
    let vm = env.get_java_vm()?;
    let mut global = |name: &str| -> jni::errors::Result<GlobalRef> {
        let class = env.find_class(name)?;
        env.new_global_ref(class)
    };
    let globals = Globals {
        vm,
        message_class: global("io/v2tim/imsdk/v2/V2TIMMessage")?,
        user_info_class: global("io/v2tim/imsdk/v2/V2TIMUserFullInfo")?,
        array_list_class: global("java/util/ArrayList")?,
        conversation_class: global("io/v2tim/imsdk/v2/V2TIMConversation")?,
        conversation_result_class: global("io/v2tim/imsdk/v2/V2TIMConversationResult")?,
        long_class: global("java/lang/Long")?,
    };
    // A racing second initializer's copy is dropped (its refs are deleted; we are attached).
    let _ = GLOBALS.set(globals);
    Ok(())
}

pub(crate) fn class(global: &GlobalRef) -> &JClass<'static> {
    global.as_obj().into()
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_owned()
    }
}

fn panic_error(name: &str, payload: &(dyn Any + Send)) -> Error {
    Error::new(
        codes::V2TIM_ERR_PANIC,
        format!("internal error in {name}: {}", panic_text(payload)),
    )
}

/// A Java exception left pending by a call into Java on a native thread: printed by the JVM
/// (stderr, or logcat on Android), logged, and cleared, so the thread can go on.
pub(crate) fn clear_exception(env: &mut JNIEnv, what: &str) {
    if env.exception_check().unwrap_or(false) {
        let _ = env.exception_describe();
        let _ = env.exception_clear();
        tracing::warn!("a Java exception was thrown from {what}; it was cleared");
    }
}

thread_local! {
    static NAMED: Cell<bool> = const { Cell::new(false) };
}

/// Gives the Java view of a newly attached native thread its Rust name (`v2tim-events`),
/// instead of the JVM's `Thread-N`, once per thread.
fn name_java_thread(env: &mut JNIEnv) {
    if NAMED.with(|n| n.replace(true)) {
        return;
    }
    let name = std::thread::current()
        .name()
        .unwrap_or("v2tim-native")
        .to_owned();
    let _ = env.with_local_frame(4, |env| -> jni::errors::Result<()> {
        let thread = env
            .call_static_method(
                "java/lang/Thread",
                "currentThread",
                "()Ljava/lang/Thread;",
                &[],
            )?
            .l()?;
        let name: JObject = env.new_string(name)?.into();
        env.call_method(
            &thread,
            "setName",
            "(Ljava/lang/String;)V",
            &[jni::objects::JValue::Object(&name)],
        )?;
        Ok(())
    });
    clear_exception(env, "Thread.setName");
}

/// Runs `f` (which calls into Java) on the current native thread, in practice the SDK event
/// thread: attaches it to the JVM as a daemon on first use (it stays attached, so the JVM
/// can still exit), gives `f` a fresh local frame, and clears whatever exception it left.
/// Panics are contained.
pub(crate) fn call_java(
    what: &'static str,
    f: impl FnOnce(&mut JNIEnv) -> jni::errors::Result<()>,
) {
    let mut f = Some(f);
    call_java_dyn(what, &mut |env| f.take().map_or(Ok(()), |f| f(env)));
}

/// [`call_java`]'s body, not generic: every completion and listener event shares one copy
/// of the attach, the local frame and the two catches (the library an app ships is smaller
/// by it).
fn call_java_dyn(what: &'static str, f: &mut dyn FnMut(&mut JNIEnv) -> jni::errors::Result<()>) {
    let Some(g) = globals() else {
        tracing::error!("{what}: the JNI layer was not initialized; event dropped");
        return;
    };
    let mut env = match g.vm.attach_current_thread_as_daemon() {
        Ok(env) => env,
        Err(e) => {
            tracing::error!("{what}: cannot attach to the JVM: {e}");
            return;
        }
    };
    // The inner catch keeps the local frame balanced when `f` panics; the outer one covers
    // the rest.
    let result = catch_unwind(AssertUnwindSafe(|| {
        name_java_thread(&mut env);
        env.with_local_frame(16, |env| -> jni::errors::Result<Option<String>> {
            let r = catch_unwind(AssertUnwindSafe(|| f(env)));
            clear_exception(env, what);
            match r {
                Ok(r) => r.map(|()| None),
                Err(payload) => Ok(Some(panic_text(payload.as_ref()))),
            }
        })
    }));
    match result {
        Ok(Ok(None)) => {}
        Ok(Ok(Some(panic))) => tracing::error!("panic in {what}: {panic}"),
        Ok(Err(e)) => tracing::warn!("{what}: {e}"),
        Err(payload) => {
            clear_exception(&mut env, what);
            tracing::error!("panic in {what}: {}", panic_text(payload.as_ref()));
        }
    }
}

/// Why an entry point without a callback failed.
pub(crate) enum Fail {
    /// A JNI call failed; a Java exception may be pending and is then thrown to the caller.
    Jni(jni::errors::Error),
    /// Throw `IllegalArgumentException` with this text.
    Invalid(String),
}

impl From<jni::errors::Error> for Fail {
    fn from(e: jni::errors::Error) -> Self {
        Fail::Jni(e)
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Invalid(format!("{} ({})", e.desc, e.code))
    }
}

fn throw(env: &mut JNIEnv, class: &str, msg: &str) {
    // Never replace an exception already pending (the JVM throws that one on return).
    if !env.exception_check().unwrap_or(true) {
        let _ = env.throw_new(class, msg);
    }
}

/// The body of an entry point whose result is its return value. A failure or a panic
/// returns `fallback` with a Java exception pending (thrown when the native method returns).
pub(crate) fn entry<'l, R>(
    env: &mut JNIEnv<'l>,
    name: &'static str,
    fallback: R,
    body: impl FnOnce(&mut JNIEnv<'l>) -> Result<R, Fail>,
) -> R {
    let failure = match catch_unwind(AssertUnwindSafe(|| body(env))) {
        Ok(Ok(r)) => return r,
        Ok(Err(fail)) => Ok(fail),
        Err(payload) => Err(payload),
    };
    throw_failure(env, name, failure);
    fallback
}

/// [`entry`]'s failure path, shared by every entry point: the exception for a failure or a
/// panic.
fn throw_failure(
    env: &mut JNIEnv,
    name: &'static str,
    failure: std::result::Result<Fail, Box<dyn std::any::Any + Send>>,
) {
    match failure {
        Ok(Fail::Invalid(msg)) => throw(env, "java/lang/IllegalArgumentException", &msg),
        Ok(Fail::Jni(e)) => throw(
            env,
            "java/lang/IllegalStateException",
            &format!("{name}: JNI error: {e}"),
        ),
        Err(payload) => {
            let e = panic_error(name, payload.as_ref());
            throw(env, "java/lang/IllegalStateException", &e.desc);
        }
    }
}

/// The body of an entry point that takes a callback. An error (or a panic) goes to the
/// callback's `onError` on the event thread unless the body already handed the callback to
/// the core ([`Once`] delivers at most once), and `fallback` is returned. No Java exception
/// is left pending.
pub(crate) fn entry_with_callback<'l, R>(
    env: &mut JNIEnv<'l>,
    name: &'static str,
    once: &Once,
    fallback: R,
    body: impl FnOnce(&mut JNIEnv<'l>) -> Result<R, Error>,
) -> R {
    let failure = match catch_unwind(AssertUnwindSafe(|| body(env))) {
        Ok(Ok(r)) => return r,
        Ok(Err(e)) => Ok(e),
        Err(payload) => Err(payload),
    };
    report_failure(env, name, once, failure);
    fallback
}

/// [`entry_with_callback`]'s failure path, shared by every entry point.
fn report_failure(
    env: &mut JNIEnv,
    name: &'static str,
    once: &Once,
    failure: std::result::Result<Error, Box<dyn std::any::Any + Send>>,
) {
    let err = failure.unwrap_or_else(|payload| panic_error(name, payload.as_ref()));
    clear_exception(env, name);
    once.fail_async(err);
}

/// A `String` argument that may be null (`None`).
pub(crate) fn opt_string(
    env: &mut JNIEnv,
    s: &JString,
    what: &str,
) -> Result<Option<String>, Error> {
    if s.is_null() {
        return Ok(None);
    }
    match env.get_string(s) {
        Ok(js) => Ok(Some(js.into())),
        Err(e) => Err(Error::invalid(format!("{what} could not be read: {e}"))),
    }
}

/// A `String` argument that must not be null.
pub(crate) fn string(env: &mut JNIEnv, s: &JString, what: &str) -> Result<String, Error> {
    opt_string(env, s, what)?.ok_or_else(|| Error::invalid(format!("{what} is null")))
}

/// A null-or-empty `String` argument as "".
pub(crate) fn string_or_empty(env: &mut JNIEnv, s: &JString, what: &str) -> Result<String, Error> {
    Ok(opt_string(env, s, what)?.unwrap_or_default())
}

/// A `String[]` argument that must not be null, nor any of its elements.
pub(crate) fn string_array(
    env: &mut JNIEnv,
    arr: &jni::objects::JObjectArray,
    what: &str,
) -> Result<Vec<String>, Error> {
    if arr.is_null() {
        return Err(Error::invalid(format!("{what} is null")));
    }
    let bad = |e: jni::errors::Error| Error::invalid(format!("{what}: {e}"));
    let n = env.get_array_length(arr).map_err(bad)?;
    let mut out = Vec::with_capacity(n.max(0) as usize);
    for i in 0..n {
        let item = JString::from(env.get_object_array_element(arr, i).map_err(bad)?);
        out.push(string(env, &item, &format!("each element of {what}"))?);
        let _ = env.delete_local_ref(item);
    }
    Ok(out)
}

/// A Java string for a Rust one; null for `None`.
pub(crate) fn java_string<'l>(
    env: &mut JNIEnv<'l>,
    s: Option<&str>,
) -> jni::errors::Result<JObject<'l>> {
    match s {
        Some(s) => Ok(env.new_string(s)?.into()),
        None => Ok(JObject::null()),
    }
}
