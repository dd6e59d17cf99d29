//! Debug builds only: a native that panics on purpose, so the tests can show that no panic
//! reaches the JVM (release builds do not export it; calling it there throws
//! `UnsatisfiedLinkError`).

use jni::objects::{JClass, JObject};
use jni::sys::jint;
use jni::JNIEnv;

use crate::core::Completion;

use super::callbacks::{null, Once};
use super::env::{self, entry, entry_with_callback};

/// `mode` 0: panic in an entry point with a callback (`onError(200001, ...)`); 1: panic in
/// one without (`IllegalStateException`); 2: panic while delivering on the event thread,
/// then `onSuccess(null)` from that same thread (it survived).
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_debugPanic<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mode: jint,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    match mode {
        0 => entry_with_callback(&mut env, "debugPanic", &once, (), |_| {
            panic!("deliberate test panic (entry point with a callback)")
        }),
        1 => entry(&mut env, "debugPanic", (), |_| {
            panic!("deliberate test panic (entry point without a callback)")
        }),
        _ => {
            crate::core::post(|| {
                env::call_java("debugPanic", |_| {
                    panic!("deliberate test panic (event thread)")
                })
            });
            let done: Completion<()> = once.completion(null);
            crate::core::post(move || done(Ok(())));
        }
    }
}
