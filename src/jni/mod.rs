//! JNI glue for the Android binding (`bindings/android`, package `io.v2tim.imsdk.v2`),
//! compiled into the same `libv2tim.so` with the `jni` feature.
//!
//! A sibling of [`crate::ffi`]: it calls the core ([`crate::core::Manager`]) directly and never
//! the `extern "C"` functions. Every `Java_io_v2tim_imsdk_v2_NativeBridge_*` function is a
//! static native of the package-private Java class `NativeBridge`; the public Java classes
//! (`V2TIMManager`, `V2TIMMessageManager`, ...) are written in Java on top of it.
//!
//! Rules every entry point follows:
//!
//! - Its body runs inside `env::entry` or `env::entry_with_callback`: a panic never
//!   unwinds into the JVM. It becomes `onError(V2TIM_ERR_PANIC, ...)` for calls with a
//!   callback, a Java `IllegalStateException` otherwise.
//! - NULL or malformed arguments are reported through the callback's `onError` with 6017
//!   (`ERR_INVALID_PARAMETERS`), posted to the SDK event thread like every other completion;
//!   never a crash.
//! - Callbacks run on the SDK event thread (`v2tim-events`), attached to the JVM once, as a
//!   daemon, for the life of the process; each delivery runs in its own JNI local frame, and
//!   a Java exception the callback throws is described (printed / logcat), logged and cleared.
//! - A callback object is held as a `GlobalRef` from the call until its one completion and
//!   released right after it; a listener's `GlobalRef` is released when the listener is
//!   removed (the core's remove guarantees no later call) or the manager is uninitialized.
//! - A Java `V2TIMMessage` owns one strong reference to the core's `Arc<MessageObj>`, as a
//!   `long` handle (`Arc::into_raw`), released by the Java side's PhantomReference cleaner
//!   through `messageRelease`. Getters read through the handle, so a message the app holds
//!   turns to its recalled form when the recall arrives, as in the C ABI.

// A native method's parameters are dictated by its Java declaration.
#![allow(clippy::too_many_arguments)]

mod callbacks;
mod conversations;
#[cfg(debug_assertions)]
mod debug;
mod env;
mod groups;
mod listeners;
mod manager;
mod message;
mod profiles;

pub use listeners::live_listener_refs;
pub use message::live_message_handles;
