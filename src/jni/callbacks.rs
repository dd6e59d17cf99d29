//! Java callback objects (`NativeCallback`: `onSuccess(Object)`, `onError(int, String)`) as
//! core completions.
//!
//! The Java layer wraps every public callback (`V2TIMCallback`, `V2TIMValueCallback`,
//! `V2TIMSendCallback`) in a package-private `NativeCallback`, so native code calls exactly
//! one shape; the wrapper converts the value and, if the app configured an `Executor`, hops
//! to it.

use std::sync::Arc;

use jni::objects::{GlobalRef, JObject, JValue};
use jni::JNIEnv;
use parking_lot::Mutex;

use crate::core::{Completion, Error};

use super::env;

/// Turns a completion's value into the Java object passed to `onSuccess`.
pub(crate) type ToJava<T> = for<'a> fn(&mut JNIEnv<'a>, T) -> jni::errors::Result<JObject<'a>>;

/// `onSuccess(null)`.
pub(crate) fn null<'a, T>(_: &mut JNIEnv<'a>, _: T) -> jni::errors::Result<JObject<'a>> {
    Ok(JObject::null())
}

/// A Java callback that is called at most once: by the completion the core runs, or by
/// [`Once::fail_async`] when the call failed before reaching the core. The `GlobalRef` is
/// deleted right after that one call (or when the completion is dropped unrun).
pub(crate) struct Once {
    cb: Arc<Mutex<Option<GlobalRef>>>,
}

impl Once {
    /// `cb` may be null: the outcome is then not reported.
    pub fn new(env: &mut JNIEnv, cb: &JObject) -> Once {
        let global = if cb.is_null() {
            None
        } else {
            match env.new_global_ref(cb) {
                Ok(g) => Some(g),
                Err(e) => {
                    env::clear_exception(env, "new_global_ref");
                    tracing::error!("cannot hold the callback: {e}");
                    None
                }
            }
        };
        Once {
            cb: Arc::new(Mutex::new(global)),
        }
    }

    /// The completion to hand to the core.
    pub fn completion<T: Send + 'static>(&self, to_java: ToJava<T>) -> Completion<T> {
        let cb = Arc::clone(&self.cb);
        Box::new(move |result| {
            // Taken in its own statement: the lock is not held while Java runs.
            let taken = cb.lock().take();
            if let Some(cb) = taken {
                deliver(cb, result, to_java);
            }
        })
    }

    /// Reports `err` on the event thread, unless the callback was already used.
    pub fn fail_async(&self, err: Error) {
        let taken = self.cb.lock().take();
        if let Some(cb) = taken {
            crate::core::post(move || deliver::<()>(cb, Err(err), null));
        }
    }
}

/// Calls `onSuccess`/`onError` on `cb` from the current (event) thread, then deletes the
/// global reference while the thread is attached.
fn deliver<T>(cb: GlobalRef, result: Result<T, Error>, to_java: ToJava<T>) {
    env::call_java("callback", |env| {
        match result {
            Ok(value) => {
                let obj = to_java(env, value)?;
                env.call_method(
                    cb.as_obj(),
                    "onSuccess",
                    "(Ljava/lang/Object;)V",
                    &[JValue::Object(&obj)],
                )?;
            }
            Err(e) => {
                let desc = env.new_string(&e.desc)?;
                env.call_method(
                    cb.as_obj(),
                    "onError",
                    "(ILjava/lang/String;)V",
                    &[JValue::Int(e.code), JValue::Object(&desc)],
                )?;
            }
        }
        Ok(())
    });
    drop(cb);
}
