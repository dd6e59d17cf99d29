//! Callback structs (`#[repr(C)]`: a `user_data` pointer and function pointers) and the
//! adapters that turn them into core completions.
//!
//! The SDK copies a callback struct when it receives it (by value, or from the pointer given
//! to `v2tim_add_*_listener`); the host's struct may be reused or freed right after the call.
//! Every function pointer may be NULL (that event is then not delivered). `user_data` is
//! passed back verbatim and never dereferenced by the SDK; since callbacks run on the SDK
//! event thread, whatever it points to must be usable from that thread.

use std::ffi::{c_char, c_void, CStr};
use std::sync::Arc;

use parking_lot::Mutex;

use crate::core::{Completion, Error, Message};

use super::conversation::{V2TIMConversation, V2TIMConversationList};
use super::guard;
use super::list::V2TIMMessageList;
use super::message::V2TIMMessage;
use super::strings::cstring_lossy;
use super::user_info::{V2TIMUserFullInfo, V2TIMUserFullInfoList};

/// Completion of a call without a result (V2TIMCallback).
///
/// Exactly one of `on_success` / `on_error` is called, once, on the SDK event thread, after
/// the call that took the struct returned (also for errors detected before the request
/// started, such as NULL arguments). `desc` is borrowed for the duration of `on_error` only.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMCallback {
    pub user_data: *mut c_void,
    pub on_success: Option<unsafe extern "C" fn(user_data: *mut c_void)>,
    pub on_error:
        Option<unsafe extern "C" fn(user_data: *mut c_void, code: i32, desc: *const c_char)>,
}

/// Completion of a call whose result is a string (V2TIMValueCallback<V2TIMString>).
///
/// As `V2TIMCallback`; `value` is borrowed for the duration of `on_success` only (copy it to
/// keep it).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMStringCallback {
    pub user_data: *mut c_void,
    pub on_success: Option<unsafe extern "C" fn(user_data: *mut c_void, value: *const c_char)>,
    pub on_error:
        Option<unsafe extern "C" fn(user_data: *mut c_void, code: i32, desc: *const c_char)>,
}

/// Completion of `v2tim_send_message` (V2TIMSendCallback).
///
/// `on_success` receives the very `V2TIMMessage` pointer that was passed to
/// `v2tim_send_message`, now carrying the server's seq and timestamp; the SDK holds a
/// reference to it until the callback returned, so it is valid during the call even if the
/// host released its own reference after sending. `on_progress` is reserved for media
/// messages and not called for text or custom messages.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMSendCallback {
    pub user_data: *mut c_void,
    pub on_success:
        Option<unsafe extern "C" fn(user_data: *mut c_void, message: *const V2TIMMessage)>,
    pub on_error:
        Option<unsafe extern "C" fn(user_data: *mut c_void, code: i32, desc: *const c_char)>,
    pub on_progress: Option<unsafe extern "C" fn(user_data: *mut c_void, progress: u32)>,
}

/// Completion of the history calls (V2TIMValueCallback<V2TIMMessageVector>).
///
/// `messages` and the messages in it are borrowed for the duration of `on_success`; keep a
/// message beyond it with `v2tim_message_retain`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMMessageListCallback {
    pub user_data: *mut c_void,
    pub on_success:
        Option<unsafe extern "C" fn(user_data: *mut c_void, messages: *const V2TIMMessageList)>,
    pub on_error:
        Option<unsafe extern "C" fn(user_data: *mut c_void, code: i32, desc: *const c_char)>,
}

/// Completion of `v2tim_get_conversation_list` (V2TIMValueCallback<V2TIMConversationResult>).
///
/// As `V2TIMCallback`; `conversations` (and every conversation in it) is borrowed for the
/// duration of `on_success`. `next_seq` is the `next_seq` of the next page; `is_finished`
/// says this page is the last.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMConversationResultCallback {
    pub user_data: *mut c_void,
    pub on_success: Option<
        unsafe extern "C" fn(
            user_data: *mut c_void,
            conversations: *const V2TIMConversationList,
            next_seq: u64,
            is_finished: bool,
        ),
    >,
    pub on_error:
        Option<unsafe extern "C" fn(user_data: *mut c_void, code: i32, desc: *const c_char)>,
}

/// Completion of `v2tim_get_conversation` (V2TIMValueCallback<V2TIMConversation>).
///
/// As `V2TIMCallback`; `conversation` is borrowed for the duration of `on_success`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMConversationCallback {
    pub user_data: *mut c_void,
    pub on_success: Option<
        unsafe extern "C" fn(user_data: *mut c_void, conversation: *const V2TIMConversation),
    >,
    pub on_error:
        Option<unsafe extern "C" fn(user_data: *mut c_void, code: i32, desc: *const c_char)>,
}

/// Completion of a call whose result is a number (V2TIMValueCallback<uint64_t>), such as
/// `v2tim_get_total_unread_message_count`. As `V2TIMCallback`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMUint64Callback {
    pub user_data: *mut c_void,
    pub on_success: Option<unsafe extern "C" fn(user_data: *mut c_void, value: u64)>,
    pub on_error:
        Option<unsafe extern "C" fn(user_data: *mut c_void, code: i32, desc: *const c_char)>,
}

/// Completion of `v2tim_get_users_info` (V2TIMValueCallback<V2TIMUserFullInfoVector>).
///
/// As `V2TIMCallback`; `infos` (and every profile in it) is borrowed for the duration of
/// `on_success`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMUserFullInfoListCallback {
    pub user_data: *mut c_void,
    pub on_success:
        Option<unsafe extern "C" fn(user_data: *mut c_void, infos: *const V2TIMUserFullInfoList)>,
    pub on_error:
        Option<unsafe extern "C" fn(user_data: *mut c_void, code: i32, desc: *const c_char)>,
}

/// The SDK's log (V2TIMLogListener), for `v2tim_set_log_listener`.
///
/// `on_log` runs on the SDK event thread, one line per call, `text` borrowed for the call.
/// `level` is V2TIM's: `V2TIM_LOG_DEBUG` (3), `_INFO` (4), `_WARN` (5), `_ERROR` (6).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMLogListener {
    pub user_data: *mut c_void,
    pub on_log:
        Option<unsafe extern "C" fn(user_data: *mut c_void, level: i32, text: *const c_char)>,
}

/// Conversation list events (V2TIMConversationListener). Register with
/// `v2tim_add_conversation_listener`.
///
/// Same rules as `V2TIMAdvancedMsgListener`: every pointer argument is borrowed for the
/// call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMConversationListener {
    pub user_data: *mut c_void,
    /// Conversations the list did not hold before.
    pub on_new_conversation: Option<
        unsafe extern "C" fn(user_data: *mut c_void, conversations: *const V2TIMConversationList),
    >,
    /// Conversations whose last message (or its recall), unread count, order or name
    /// changed: each once per change.
    pub on_conversation_changed: Option<
        unsafe extern "C" fn(user_data: *mut c_void, conversations: *const V2TIMConversationList),
    >,
    /// The sum of every conversation's unread count changed.
    pub on_total_unread_message_count_changed:
        Option<unsafe extern "C" fn(user_data: *mut c_void, total_unread_count: u64)>,
}

/// Message events (V2TIMAdvancedMsgListener). Register with `v2tim_add_advanced_msg_listener`.
///
/// Every pointer argument is borrowed for the duration of the call: keep a message with
/// `v2tim_message_retain`, copy strings. Events run on the SDK event thread, in order, never
/// under an internal lock, so a handler may call any v2tim function.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMAdvancedMsgListener {
    pub user_data: *mut c_void,
    /// A message arrived in one of the user's conversations (including messages the user
    /// sent from another device).
    pub on_recv_new_message:
        Option<unsafe extern "C" fn(user_data: *mut c_void, message: *const V2TIMMessage)>,
    /// The message `msg_id` was recalled by `operate_user`, with `reason` ("" if none).
    pub on_recv_message_revoked: Option<
        unsafe extern "C" fn(
            user_data: *mut c_void,
            msg_id: *const c_char,
            operate_user: *const V2TIMUserFullInfo,
            reason: *const c_char,
        ),
    >,
}

/// Connection and session events (V2TIMSDKListener). Register with `v2tim_add_sdk_listener`.
///
/// Same rules as `V2TIMAdvancedMsgListener`; `desc` is borrowed for the call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMSDKListener {
    pub user_data: *mut c_void,
    /// Connecting (or reconnecting) to the server.
    pub on_connecting: Option<unsafe extern "C" fn(user_data: *mut c_void)>,
    /// Connected.
    pub on_connect_success: Option<unsafe extern "C" fn(user_data: *mut c_void)>,
    /// Connecting failed with `code`; the SDK retries by itself while logged in.
    pub on_connect_failed:
        Option<unsafe extern "C" fn(user_data: *mut c_void, code: i32, desc: *const c_char)>,
    /// Signed out by the server (e.g. logged in elsewhere); the SDK does not reconnect.
    pub on_kicked_offline: Option<unsafe extern "C" fn(user_data: *mut c_void)>,
    /// The UserSig expired while logged in; log in again with a new one.
    pub on_user_sig_expired: Option<unsafe extern "C" fn(user_data: *mut c_void)>,
    /// The logged-in user's profile changed (by this device or another); `info` is all of
    /// it, borrowed for the call.
    pub on_self_info_updated:
        Option<unsafe extern "C" fn(user_data: *mut c_void, info: *const V2TIMUserFullInfo)>,
}

// SAFETY (all five): the structs hold only the host's `user_data`, which the SDK never
// dereferences, and function pointers. The header documents that they are called on the SDK
// event thread, so the host vouches that `user_data` may be used from there.
unsafe impl Send for V2TIMCallback {}
unsafe impl Send for V2TIMStringCallback {}
unsafe impl Send for V2TIMSendCallback {}
unsafe impl Send for V2TIMMessageListCallback {}
unsafe impl Send for V2TIMAdvancedMsgListener {}
unsafe impl Sync for V2TIMAdvancedMsgListener {}
unsafe impl Send for V2TIMSDKListener {}
unsafe impl Sync for V2TIMSDKListener {}
unsafe impl Send for V2TIMConversationResultCallback {}
unsafe impl Send for V2TIMConversationCallback {}
unsafe impl Send for V2TIMUint64Callback {}
unsafe impl Send for V2TIMUserFullInfoListCallback {}
unsafe impl Send for V2TIMLogListener {}
unsafe impl Sync for V2TIMLogListener {}
unsafe impl Send for V2TIMConversationListener {}
unsafe impl Sync for V2TIMConversationListener {}

/// The part every completion struct shares: its `on_error`.
pub(crate) trait HostCallback: Copy + Send + 'static {
    fn error(&self, code: i32, desc: &CStr);
}

macro_rules! host_callback {
    ($($t:ty),*) => {$(
        impl HostCallback for $t {
            fn error(&self, code: i32, desc: &CStr) {
                if let Some(f) = self.on_error {
                    // SAFETY: host-supplied function pointer, called with its own user_data
                    // and a string that outlives the call, as the header documents.
                    unsafe { f(self.user_data, code, desc.as_ptr()) }
                }
            }
        }
    )*};
}
pub(crate) use host_callback;

host_callback!(
    V2TIMCallback,
    V2TIMStringCallback,
    V2TIMSendCallback,
    V2TIMMessageListCallback,
    V2TIMConversationResultCallback,
    V2TIMConversationCallback,
    V2TIMUint64Callback,
    V2TIMUserFullInfoListCallback
);

/// A completion struct that can be used at most once. The entry point's error path and the
/// completion handed to the core share it, so whichever reports first wins and the host
/// never hears twice about one call.
pub(crate) struct Once<C>(Arc<Mutex<Option<C>>>);

impl<C> Clone for Once<C> {
    fn clone(&self) -> Self {
        Once(self.0.clone())
    }
}

impl<C: HostCallback> Once<C> {
    pub(crate) fn new(cb: C) -> Self {
        Once(Arc::new(Mutex::new(Some(cb))))
    }

    fn take(&self) -> Option<C> {
        // The lock is released before the host is called: the guard is a temporary.
        self.0.lock().take()
    }

    /// Reports `err` on the calling thread (which is the event thread for completions).
    fn fail_now(&self, err: &Error) {
        if let Some(cb) = self.take() {
            cb.error(err.code, &cstring_lossy(&err.desc));
        }
    }

    /// Reports `err` from the event thread, after everything already posted, so that host
    /// code always runs on one thread and never inside the call that failed.
    pub(crate) fn fail_async(&self, err: Error) {
        let me = self.clone();
        let e = err.clone();
        let posted = guard::post(move || guard::in_callback("on_error", || me.fail_now(&e)));
        if !posted {
            // The event thread could not take it (only if the core itself is broken): an
            // error reported on the wrong thread beats an error lost.
            self.fail_now(&err);
        }
    }

    /// A completion that ends in `on_error`, or in `success` with the callback.
    pub(crate) fn completion_with<T: Send + 'static>(
        &self,
        name: &'static str,
        success: impl FnOnce(C, T) + Send + 'static,
    ) -> Completion<T> {
        let me = self.clone();
        Box::new(move |res| {
            guard::in_callback(name, || match res {
                Ok(v) => {
                    if let Some(cb) = me.take() {
                        success(cb, v)
                    }
                }
                Err(e) => me.fail_now(&e),
            })
        })
    }
}

impl Once<V2TIMCallback> {
    pub(crate) fn completion(&self) -> Completion<()> {
        self.completion_with("V2TIMCallback", |cb, ()| {
            if let Some(f) = cb.on_success {
                // SAFETY: host function pointer with its own user_data.
                unsafe { f(cb.user_data) }
            }
        })
    }
}

impl Once<V2TIMStringCallback> {
    pub(crate) fn completion(&self) -> Completion<String> {
        self.completion_with("V2TIMStringCallback", |cb, value: String| {
            if let Some(f) = cb.on_success {
                let value = cstring_lossy(&value);
                // SAFETY: host function pointer; `value` outlives the call.
                unsafe { f(cb.user_data, value.as_ptr()) }
            }
        })
    }
}

impl Once<V2TIMMessageListCallback> {
    pub(crate) fn completion(&self) -> Completion<Vec<Message>> {
        self.completion_with("V2TIMMessageListCallback", |cb, msgs: Vec<Message>| {
            if let Some(f) = cb.on_success {
                let list = V2TIMMessageList::new(msgs);
                // SAFETY: host function pointer; the list (and its messages) outlive the call.
                unsafe { f(cb.user_data, &list) }
            }
        })
    }
}

impl Once<V2TIMSendCallback> {
    /// `handle` is the host's message: `on_success` gets that same pointer back.
    pub(crate) fn completion(&self, handle: Arc<V2TIMMessage>) -> Completion<Message> {
        self.completion_with("V2TIMSendCallback", move |cb, _sent: Message| {
            if let Some(f) = cb.on_success {
                // SAFETY: host function pointer; `handle` keeps the message alive for the call.
                unsafe { f(cb.user_data, Arc::as_ptr(&handle)) }
            }
        })
    }
}

impl Once<V2TIMUserFullInfoListCallback> {
    pub(crate) fn completion(&self) -> Completion<Vec<crate::core::UserFullInfo>> {
        self.completion_with(
            "V2TIMUserFullInfoListCallback",
            |cb, infos: Vec<crate::core::UserFullInfo>| {
                if let Some(f) = cb.on_success {
                    let list = V2TIMUserFullInfoList::new(&infos);
                    // SAFETY: host function pointer; the list outlives the call.
                    unsafe { f(cb.user_data, &list) }
                }
            },
        )
    }
}
