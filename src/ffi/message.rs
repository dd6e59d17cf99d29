//! `V2TIMMessage`: a reference-counted handle on a core message, with the strings its
//! getters lend out.

use std::ffi::{c_char, CString};
use std::sync::Arc;

use base64::Engine;
use parking_lot::Mutex;
use v2tim_proto::model::Elem;

use crate::core::{Error, Message, MessageData};

use super::callbacks::{Once, V2TIMSendCallback};
use super::codes::V2TIM_ERR_PARSE_RESPONSE_FAILED;
use super::enums::V2TIMSendFlag;
use super::guard;
use super::manager::{manager_ref, V2TIMManager};
use super::strings::{arg_opt_str, arg_str, cstring_lossy, to_owned_c};

/// A message (V2TIMMessage). Opaque, reference counted, thread-safe.
///
/// Made by `v2tim_create_text_message` / `v2tim_create_custom_message` (owned: one reference,
/// give it back with `v2tim_message_release`) or lent to callbacks (borrowed for the call;
/// `v2tim_message_retain` takes a reference of your own). Every holder sees the same state:
/// a message you hold turns to its recalled form when a recall arrives.
///
/// Strings returned by getters are borrowed from the handle and stay valid, unchanged, as long
/// as the handle lives, even if the message changes later (a later call may return a new
/// pointer with the new value; the old one stays valid).
pub struct V2TIMMessage {
    msg: Message,
    interned: Mutex<Interned>,
}

/// The borrowed getters, one slot each.
#[derive(Clone, Copy)]
enum Field {
    MsgId,
    Sender,
    UserId,
    GroupId,
    Receiver,
    Text,
    Revoker,
    RevokeReason,
    CustomDescription,
    CustomExtension,
    NickName,
    FaceUrl,
    RevokerNick,
    RevokerFace,
    CloudCustomData,
}
const FIELDS: usize = 15;

#[derive(Default)]
struct Interned {
    current: [Option<CString>; FIELDS],
    data: Option<Box<[u8]>>,
    /// Values handed out before that have changed since. The host may still hold pointers
    /// into them, so they live as long as the handle (moving a CString or a Box does not move
    /// its heap buffer, so pointers into them stay valid).
    retired: Vec<CString>,
    retired_data: Vec<Box<[u8]>>,
    /// A group tips message's content, made at the first ask (tips never change).
    tips: Option<Box<super::group_info::V2TIMGroupTipsElem>>,
}

impl V2TIMMessage {
    pub(crate) fn new_arc(msg: Message) -> Arc<V2TIMMessage> {
        Arc::new(V2TIMMessage {
            msg,
            interned: Mutex::new(Interned::default()),
        })
    }

    pub(crate) fn core(&self) -> &Message {
        &self.msg
    }

    /// A pointer to `value` that stays valid as long as `self`; the same pointer as last
    /// time when the value did not change.
    fn intern(&self, field: Field, value: &str) -> *const c_char {
        let mut guard = self.interned.lock();
        let i = &mut *guard;
        let slot = &mut i.current[field as usize];
        // The common case, an unchanged value, allocates nothing (the getters' cost was two
        // allocations per call: benches/c_abi.rs).
        if let Some(cur) = slot {
            if cur.as_bytes() == value.as_bytes() {
                return cur.as_ptr();
            }
        }
        let fresh = cstring_lossy(value);
        if let Some(cur) = slot {
            // A value with a NUL: compare what the host was given.
            if cur.as_bytes() == fresh.as_bytes() {
                return cur.as_ptr();
            }
        }
        let ptr = fresh.as_ptr();
        if let Some(old) = slot.replace(fresh) {
            i.retired.push(old);
        }
        ptr
    }

    fn intern_data(&self, value: Vec<u8>) -> *const u8 {
        let mut guard = self.interned.lock();
        let i = &mut *guard;
        if let Some(cur) = &i.data {
            if **cur == *value {
                return cur.as_ptr();
            }
        }
        let fresh = value.into_boxed_slice();
        let ptr = fresh.as_ptr();
        if let Some(old) = i.data.replace(fresh) {
            i.retired_data.push(old);
        }
        ptr
    }

    fn tips_ptr(&self) -> *const super::group_info::V2TIMGroupTipsElem {
        let mut i = self.interned.lock();
        if i.tips.is_none() {
            let Some(t) = self.msg.group_tips() else {
                return std::ptr::null();
            };
            i.tips = Some(Box::new(super::group_info::V2TIMGroupTipsElem::new(t)));
        }
        i.tips
            .as_deref()
            .map_or(std::ptr::null(), |t| t as *const _)
    }

    pub(crate) fn msg_id_ptr(&self) -> *const c_char {
        self.intern(Field::MsgId, self.msg.msg_id())
    }
}

/// Borrows the handle behind a host pointer.
///
/// # Safety
/// `p` is NULL or a live `V2TIMMessage` pointer.
pub(crate) unsafe fn message_ref<'a>(p: *const V2TIMMessage) -> Result<&'a V2TIMMessage, Error> {
    // SAFETY: the caller guarantees p is NULL or points to a live handle.
    unsafe { p.as_ref() }.ok_or_else(|| Error::invalid("message is NULL"))
}

/// A reference of our own to the handle behind a host pointer.
///
/// # Safety
/// As [`message_ref`].
pub(crate) unsafe fn message_arc(p: *const V2TIMMessage) -> Result<Arc<V2TIMMessage>, Error> {
    if p.is_null() {
        return Err(Error::invalid("message is NULL"));
    }
    // SAFETY: every V2TIMMessage pointer the SDK hands out comes from an Arc (into_raw or
    // as_ptr) and the host's reference keeps it alive during this call.
    unsafe {
        Arc::increment_strong_count(p);
        Ok(Arc::from_raw(p))
    }
}

fn into_host(msg: Message) -> *mut V2TIMMessage {
    Arc::into_raw(V2TIMMessage::new_arc(msg)) as *mut V2TIMMessage
}

/// Creates a text message (V2TIMMessageManager::CreateTextMessage).
///
/// Returns an owned message (one reference: release it with `v2tim_message_release`), or
/// NULL with the last error set: `V2TIM_ERR_INVALID_PARAMETERS` (NULL manager or text, text not
/// UTF-8), `V2TIM_ERR_SDK_NOT_INITIALIZED`, `V2TIM_ERR_SDK_MSG_BODY_SIZE_LIMIT` (over 12 KB).
/// `text` is copied. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_create_text_message(
    manager: *mut V2TIMManager,
    text: *const c_char,
) -> *mut V2TIMMessage {
    guard::call(
        "v2tim_create_text_message",
        |_| std::ptr::null_mut(),
        || {
            // SAFETY: the host passes NULL or live pointers.
            let (m, text) = unsafe { (manager_ref(manager)?, arg_str(text, "text")?) };
            Ok(into_host(m.core().create_text_message(text)?))
        },
    )
}

/// Creates a custom message (V2TIMMessageManager::CreateCustomMessage) carrying `len` bytes
/// of `data` (copied; NULL is allowed when `len` is 0), plus a `description` and an
/// `extension` (UTF-8, copied; NULL reads as "").
///
/// Returns an owned message (release with `v2tim_message_release`), or NULL with the last
/// error set, as `v2tim_create_text_message`. Data + description + extension count against
/// the 12 KB limit. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_create_custom_message(
    manager: *mut V2TIMManager,
    data: *const u8,
    len: usize,
    description: *const c_char,
    extension: *const c_char,
) -> *mut V2TIMMessage {
    guard::call(
        "v2tim_create_custom_message",
        |_| std::ptr::null_mut(),
        || {
            // SAFETY: the host passes NULL or live pointers.
            let m = unsafe { manager_ref(manager) }?;
            let bytes: &[u8] = match (data.is_null(), len) {
                (_, 0) => &[],
                (true, _) => return Err(Error::invalid("data is NULL but len is not 0")),
                // SAFETY: the host guarantees `data` points to `len` readable bytes.
                (false, _) => unsafe { std::slice::from_raw_parts(data, len) },
            };
            // SAFETY: NULL or NUL-terminated strings, per the contract.
            let (desc, ext) = unsafe {
                (
                    arg_opt_str(description, "description")?,
                    arg_opt_str(extension, "extension")?,
                )
            };
            Ok(into_host(m.core().create_custom_message(bytes, desc, ext)?))
        },
    )
}

/// Sends `message` (V2TIMMessageManager::SendMessage) to the user `receiver` (one-to-one) or
/// to the group `group_id`: exactly one of the two must be non-empty (NULL reads as "").
/// `priority` is a `V2TIMMessagePriority` (group messages).
///
/// Returns the message id, borrowed from `message` (valid while the message lives); NULL
/// only when there is no message to take it from or an argument is NULL-where-required or
/// not UTF-8. The outcome goes to `callback` (copied) on the SDK
/// event thread: `on_success` with the same `message` pointer, now carrying the server's seq
/// and timestamp, or `on_error` (also for NULL manager / message, invalid strings, no or two
/// targets: `V2TIM_ERR_INVALID_PARAMETERS`; `V2TIM_ERR_SDK_NOT_LOGGED_IN`; server errors). The SDK
/// holds its own reference to `message` until the callback has run, so the host may release
/// its reference right after this call. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_send_message(
    manager: *mut V2TIMManager,
    message: *mut V2TIMMessage,
    receiver: *const c_char,
    group_id: *const c_char,
    priority: i32,
    callback: V2TIMSendCallback,
) -> *const c_char {
    // SAFETY: the same contract.
    unsafe {
        send_message(
            "v2tim_send_message",
            manager,
            message,
            receiver,
            group_id,
            priority,
            0,
            callback,
        )
    }
}

/// As `v2tim_send_message`, with `flags` (`V2TIMSendFlag` bits):
/// `V2TIM_SEND_FLAG_ONLINE_USER_ONLY` is V2TIM's `onlineUserOnly` (SendMessage's
/// `onlineUserOnly = true`): the message reaches the receiver's (or the group members')
/// devices online now, and the sender's other devices, as `on_recv_new_message`; it is never
/// stored, so it is not in history or sync, counts as no unread, changes no conversation,
/// keeps seq 0 and cannot be recalled. A lost connection fails it
/// (`V2TIM_ERR_SDK_NET_*`) rather than sending it twice. Unknown bits:
/// `V2TIM_ERR_INVALID_PARAMETERS`. Ownership, threading and errors as
/// `v2tim_send_message`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_send_message_with_flags(
    manager: *mut V2TIMManager,
    message: *mut V2TIMMessage,
    receiver: *const c_char,
    group_id: *const c_char,
    priority: i32,
    flags: u32,
    callback: V2TIMSendCallback,
) -> *const c_char {
    // SAFETY: the same contract.
    unsafe {
        send_message(
            "v2tim_send_message_with_flags",
            manager,
            message,
            receiver,
            group_id,
            priority,
            flags,
            callback,
        )
    }
}

/// # Safety
/// As `v2tim_send_message`.
#[allow(clippy::too_many_arguments)]
unsafe fn send_message(
    name: &'static str,
    manager: *mut V2TIMManager,
    message: *mut V2TIMMessage,
    receiver: *const c_char,
    group_id: *const c_char,
    priority: i32,
    flags: u32,
    callback: V2TIMSendCallback,
) -> *const c_char {
    const KNOWN: u32 = V2TIMSendFlag::V2TIM_SEND_FLAG_ONLINE_USER_ONLY as u32;
    let once = Once::new(callback);
    guard::call_with_callback(name, &once, std::ptr::null(), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, handle, receiver, group_id) = unsafe {
            (
                manager_ref(manager)?,
                message_arc(message)?,
                arg_opt_str(receiver, "receiver")?,
                arg_opt_str(group_id, "group_id")?,
            )
        };
        if flags & !KNOWN != 0 {
            return Err(Error::invalid(format!(
                "flags has bits that are not V2TIMSendFlags: {:#x}",
                flags & !KNOWN
            )));
        }
        // The core checks the target and reports through the callback; like V2TIM's
        // SendMessage, the id is returned whenever there is a message to return it from.
        let id = handle.msg_id_ptr();
        let msg = handle.core().clone();
        m.core().send_message_with(
            &msg,
            receiver,
            group_id,
            priority,
            flags & KNOWN != 0,
            once.completion(handle),
        );
        Ok(id)
    })
}

/// Takes a reference to `message` (e.g. to keep a message lent to a callback). Returns the
/// same pointer, now owned once more by the caller: give it back with
/// `v2tim_message_release`. NULL returns NULL (last error set). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_retain(message: *const V2TIMMessage) -> *mut V2TIMMessage {
    guard::call(
        "v2tim_message_retain",
        |_| std::ptr::null_mut(),
        || {
            // SAFETY: NULL or a live handle, per the contract.
            let arc = unsafe { message_arc(message) }?;
            Ok(Arc::into_raw(arc) as *mut V2TIMMessage)
        },
    )
}

/// Gives back one reference to `message` (from a create function or
/// `v2tim_message_retain`); the message and every string borrowed from it are freed with the
/// last reference. NULL is a no-op. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_release(message: *mut V2TIMMessage) {
    guard::call(
        "v2tim_message_release",
        |_| (),
        || {
            if !message.is_null() {
                // SAFETY: the host gives back a reference it owns, once; all our pointers are Arcs.
                drop(unsafe { Arc::from_raw(message as *const V2TIMMessage) });
            }
            Ok(())
        },
    )
}

/// Runs a getter: NULL `message` gives `fallback` and sets the last error.
fn get<R>(
    name: &'static str,
    message: *const V2TIMMessage,
    fallback: R,
    f: impl FnOnce(&V2TIMMessage) -> Result<R, Error>,
) -> R {
    // SAFETY: getters take NULL or a live handle, per the contract.
    guard::call(name, |_| fallback, || f(unsafe { message_ref(message) }?))
}

/// Runs a borrowed-string getter.
fn get_str(
    name: &'static str,
    message: *const V2TIMMessage,
    field: Field,
    value: impl FnOnce(&MessageData) -> String,
) -> *const c_char {
    get(name, message, std::ptr::null(), |h| {
        let v = h.msg.with(value);
        Ok(h.intern(field, &v))
    })
}

fn text_of(d: &MessageData) -> String {
    match &d.elem {
        Elem::Text { text } => text.clone(),
        _ => String::new(),
    }
}

/// (description, extension) of a custom message.
fn custom_of(d: &MessageData) -> (String, String) {
    match &d.elem {
        Elem::Custom {
            description,
            extension,
            ..
        } => (description.clone(), extension.clone()),
        _ => Default::default(),
    }
}

/// The message id (unique, chosen by the sending SDK).
///
/// Borrowed from `message`: valid as long as the message lives (see `V2TIMMessage`). NULL
/// `message` returns NULL (last error `V2TIM_ERR_INVALID_PARAMETERS`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_msg_id(message: *const V2TIMMessage) -> *const c_char {
    // The id never changes: no need to read it under the message's lock.
    get("v2tim_message_get_msg_id", message, std::ptr::null(), |h| {
        Ok(h.msg_id_ptr())
    })
}

/// The user id of the sender.
///
/// Borrowed from `message`: valid as long as the message lives (see `V2TIMMessage`). NULL
/// `message` returns NULL (last error `V2TIM_ERR_INVALID_PARAMETERS`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_sender(message: *const V2TIMMessage) -> *const c_char {
    get_str("v2tim_message_get_sender", message, Field::Sender, |d| {
        d.sender.clone()
    })
}

/// The sender's nick name (V2TIMMessage::nickName): the sender's profile as the server
/// last reported it with this message; "" when the sender has none.
///
/// Borrowed from `message`: valid as long as the message lives (see `V2TIMMessage`). NULL
/// `message` returns NULL (last error `V2TIM_ERR_INVALID_PARAMETERS`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_nick_name(
    message: *const V2TIMMessage,
) -> *const c_char {
    get_str(
        "v2tim_message_get_nick_name",
        message,
        Field::NickName,
        |d| d.nick_name.clone(),
    )
}

/// The sender's face URL (V2TIMMessage::faceURL); "" when none. Borrowed as
/// `v2tim_message_get_nick_name`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_face_url(message: *const V2TIMMessage) -> *const c_char {
    get_str("v2tim_message_get_face_url", message, Field::FaceUrl, |d| {
        d.face_url.clone()
    })
}

/// One-to-one messages: the other user of the conversation, seen from the logged-in
/// user (V2TIM's userID); "" for group messages.
///
/// Borrowed from `message`: valid as long as the message lives (see `V2TIMMessage`). NULL
/// `message` returns NULL (last error `V2TIM_ERR_INVALID_PARAMETERS`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_user_id(message: *const V2TIMMessage) -> *const c_char {
    get_str("v2tim_message_get_user_id", message, Field::UserId, |d| {
        d.user_id.clone()
    })
}

/// Group messages: the group id; "" for one-to-one messages.
///
/// Borrowed from `message`: valid as long as the message lives (see `V2TIMMessage`). NULL
/// `message` returns NULL (last error `V2TIM_ERR_INVALID_PARAMETERS`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_group_id(message: *const V2TIMMessage) -> *const c_char {
    get_str("v2tim_message_get_group_id", message, Field::GroupId, |d| {
        d.group_id.clone()
    })
}

/// One-to-one messages: the user the sender addressed; "" for group messages.
///
/// Borrowed from `message`: valid as long as the message lives (see `V2TIMMessage`). NULL
/// `message` returns NULL (last error `V2TIM_ERR_INVALID_PARAMETERS`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_receiver(message: *const V2TIMMessage) -> *const c_char {
    get_str(
        "v2tim_message_get_receiver",
        message,
        Field::Receiver,
        |d| d.receiver.clone(),
    )
}

/// The text of a text message; "" for other kinds and once recalled.
///
/// Borrowed from `message`: valid as long as the message lives (see `V2TIMMessage`). NULL
/// `message` returns NULL (last error `V2TIM_ERR_INVALID_PARAMETERS`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_text(message: *const V2TIMMessage) -> *const c_char {
    get_str("v2tim_message_get_text", message, Field::Text, |d| {
        text_of(d)
    })
}

/// The content of a group tips message (element type 9, `V2TIM_ELEM_TYPE_GROUP_TIPS`:
/// written by the server for a change of the group's members or profile); NULL for other
/// kinds (no error) and for NULL `message` (last error `V2TIM_ERR_INVALID_PARAMETERS`).
///
/// Borrowed from `message`: valid as long as the message lives. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_group_tips_elem(
    message: *const V2TIMMessage,
) -> *const super::group_info::V2TIMGroupTipsElem {
    guard::call(
        "v2tim_message_get_group_tips_elem",
        |_| std::ptr::null(),
        || {
            // SAFETY: NULL or a live handle.
            let m = unsafe { message_ref(message) }?;
            Ok(m.tips_ptr())
        },
    )
}

/// The user id of whoever recalled the message; "" if not recalled.
///
/// Borrowed from `message`: valid as long as the message lives (see `V2TIMMessage`). NULL
/// `message` returns NULL (last error `V2TIM_ERR_INVALID_PARAMETERS`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_revoker(message: *const V2TIMMessage) -> *const c_char {
    get_str("v2tim_message_get_revoker", message, Field::Revoker, |d| {
        d.revoked
            .as_ref()
            .map(|r| r.revoker.clone())
            .unwrap_or_default()
    })
}

/// The revoker's nick name ("" if none or not recalled), so an app can show "Alice
/// recalled a message". Borrowed as `v2tim_message_get_revoker`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_revoker_nick_name(
    message: *const V2TIMMessage,
) -> *const c_char {
    get_str(
        "v2tim_message_get_revoker_nick_name",
        message,
        Field::RevokerNick,
        |d| {
            d.revoked
                .as_ref()
                .map(|r| r.revoker_nick.clone())
                .unwrap_or_default()
        },
    )
}

/// The revoker's face URL ("" if none or not recalled). Borrowed as
/// `v2tim_message_get_revoker`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_revoker_face_url(
    message: *const V2TIMMessage,
) -> *const c_char {
    get_str(
        "v2tim_message_get_revoker_face_url",
        message,
        Field::RevokerFace,
        |d| {
            d.revoked
                .as_ref()
                .map(|r| r.revoker_face.clone())
                .unwrap_or_default()
        },
    )
}

/// The reason given for the recall; "" if none or not recalled.
///
/// Borrowed from `message`: valid as long as the message lives (see `V2TIMMessage`). NULL
/// `message` returns NULL (last error `V2TIM_ERR_INVALID_PARAMETERS`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_revoke_reason(
    message: *const V2TIMMessage,
) -> *const c_char {
    get_str(
        "v2tim_message_get_revoke_reason",
        message,
        Field::RevokeReason,
        |d| {
            d.revoked
                .as_ref()
                .map(|r| r.reason.clone())
                .unwrap_or_default()
        },
    )
}

/// Custom messages: the description; "" otherwise.
///
/// Borrowed from `message`: valid as long as the message lives (see `V2TIMMessage`). NULL
/// `message` returns NULL (last error `V2TIM_ERR_INVALID_PARAMETERS`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_custom_description(
    message: *const V2TIMMessage,
) -> *const c_char {
    get_str(
        "v2tim_message_get_custom_description",
        message,
        Field::CustomDescription,
        |d| custom_of(d).0,
    )
}

/// Custom messages: the extension; "" otherwise.
///
/// Borrowed from `message`: valid as long as the message lives (see `V2TIMMessage`). NULL
/// `message` returns NULL (last error `V2TIM_ERR_INVALID_PARAMETERS`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_custom_extension(
    message: *const V2TIMMessage,
) -> *const c_char {
    get_str(
        "v2tim_message_get_custom_extension",
        message,
        Field::CustomExtension,
        |d| custom_of(d).1,
    )
}

/// Custom messages: the data bytes, with their count stored in `*len`.
///
/// Borrowed from `message`, valid as long as it lives. NULL with `*len` = 0 when there is no
/// data (not a custom message, empty data, recalled). NULL `message` or `len` returns NULL
/// (last error `V2TIM_ERR_INVALID_PARAMETERS`; `*len` = 0 if `len` is not NULL). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_custom_data(
    message: *const V2TIMMessage,
    len: *mut usize,
) -> *const u8 {
    let set_len = |n: usize| {
        if !len.is_null() {
            // SAFETY: the host passes NULL or a writable size_t.
            unsafe { *len = n }
        }
    };
    set_len(0);
    get(
        "v2tim_message_get_custom_data",
        message,
        std::ptr::null(),
        |h| {
            if len.is_null() {
                return Err(Error::invalid("len is NULL"));
            }
            let encoded = h.msg.with(|d| match &d.elem {
                Elem::Custom { data, .. } => data.clone(),
                _ => String::new(),
            });
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|e| {
                    Error::new(
                        V2TIM_ERR_PARSE_RESPONSE_FAILED,
                        format!("custom data is not base64: {e}"),
                    )
                })?;
            if bytes.is_empty() {
                return Ok(std::ptr::null());
            }
            set_len(bytes.len());
            Ok(h.intern_data(bytes))
        },
    )
}

/// The status, a `V2TIMMessageStatus` (6 = recalled). NULL returns 0. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_status(message: *const V2TIMMessage) -> i32 {
    get("v2tim_message_get_status", message, 0, |h| {
        Ok(h.msg.status())
    })
}

/// The content kind, a `V2TIMElemType` (`V2TIM_ELEM_TYPE_NONE` once recalled). NULL returns
/// 0. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_elem_type(message: *const V2TIMMessage) -> i32 {
    get("v2tim_message_get_elem_type", message, 0, |h| {
        Ok(h.msg.elem_type())
    })
}

/// True once the message is recalled (status 6). NULL returns false. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_is_revoked(message: *const V2TIMMessage) -> bool {
    get("v2tim_message_is_revoked", message, false, |h| {
        Ok(h.msg.is_revoked())
    })
}

/// V2TIM's `cloudCustomData`: the sender's own data, stored and synced with the message
/// (TUIKit keeps a reply's quote here); "" when none and once recalled. When the message a
/// reply quotes (`{"messageReply": {"messageID", "messageAbstract", ...}}`) is recalled,
/// its `messageAbstract` is blanked everywhere, in this message too.
///
/// Borrowed from `message`: valid as long as the message lives. NULL `message` returns
/// NULL (last error `V2TIM_ERR_INVALID_PARAMETERS`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_cloud_custom_data(
    message: *const V2TIMMessage,
) -> *const c_char {
    get_str(
        "v2tim_message_get_cloud_custom_data",
        message,
        Field::CloudCustomData,
        |d| d.cloud_custom_data.clone(),
    )
}

/// Runs a setter of what is sent with a message: `V2TIM_SUCC`, or the error code (last
/// error set) for NULL `message`, a message already sent, or data over its limit.
pub(super) fn set(
    name: &'static str,
    message: *mut V2TIMMessage,
    f: impl FnOnce(&mut MessageData) -> Result<(), Error>,
) -> i32 {
    guard::call(
        name,
        |e| e.code,
        || {
            // SAFETY: setters take NULL or a live handle, per the contract.
            let h = unsafe { message_ref(message) }?;
            h.msg.set_extras(f).map(|()| 0)
        },
    )
}

/// Sets `cloudCustomData` (V2TIMMessage::cloudCustomData), UTF-8, copied, at most 12 KB;
/// NULL reads as "". Only before the message is sent. Returns `V2TIM_SUCC` or an error
/// code (`V2TIM_ERR_INVALID_PARAMETERS`: NULL message, not UTF-8, already sent;
/// `V2TIM_ERR_SDK_MSG_BODY_SIZE_LIMIT`: too long). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_set_cloud_custom_data(
    message: *mut V2TIMMessage,
    data: *const c_char,
) -> i32 {
    set("v2tim_message_set_cloud_custom_data", message, |d| {
        // SAFETY: NULL or NUL-terminated, per the contract.
        d.cloud_custom_data = unsafe { arg_opt_str(data, "data") }?.to_owned();
        Ok(())
    })
}

/// V2TIM's `isExcludedFromUnreadCount`: the message counts in no unread count. NULL
/// returns false. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_is_excluded_from_unread_count(
    message: *const V2TIMMessage,
) -> bool {
    get(
        "v2tim_message_is_excluded_from_unread_count",
        message,
        false,
        |h| Ok(h.msg.with(|d| d.excluded_from_unread)),
    )
}

/// Sets `isExcludedFromUnreadCount`, only before the message is sent. Returns as
/// `v2tim_message_set_cloud_custom_data`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_set_excluded_from_unread_count(
    message: *mut V2TIMMessage,
    excluded: bool,
) -> i32 {
    set(
        "v2tim_message_set_excluded_from_unread_count",
        message,
        |d| {
            d.excluded_from_unread = excluded;
            Ok(())
        },
    )
}

/// V2TIM's `isExcludedFromLastMessage`: the message is never a conversation's last
/// message. NULL returns false. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_is_excluded_from_last_message(
    message: *const V2TIMMessage,
) -> bool {
    get(
        "v2tim_message_is_excluded_from_last_message",
        message,
        false,
        |h| Ok(h.msg.with(|d| d.excluded_from_last)),
    )
}

/// Sets `isExcludedFromLastMessage`, only before the message is sent. Returns as
/// `v2tim_message_set_cloud_custom_data`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_set_excluded_from_last_message(
    message: *mut V2TIMMessage,
    excluded: bool,
) -> i32 {
    set(
        "v2tim_message_set_excluded_from_last_message",
        message,
        |d| {
            d.excluded_from_last = excluded;
            Ok(())
        },
    )
}

/// True if the logged-in user sent the message. NULL returns false. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_is_self(message: *const V2TIMMessage) -> bool {
    get("v2tim_message_is_self", message, false, |h| {
        Ok(h.msg.with(|d| d.is_self))
    })
}

/// Server time of acceptance in seconds since the Unix epoch; 0 before the server accepted
/// it. NULL returns 0. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_timestamp(message: *const V2TIMMessage) -> i64 {
    get("v2tim_message_get_timestamp", message, 0, |h| {
        Ok(h.msg.with(|d| d.timestamp_ms / 1000))
    })
}

/// Position in its conversation (from 1, assigned by the server); 0 before the server
/// accepted it. NULL returns 0. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_seq(message: *const V2TIMMessage) -> u64 {
    get("v2tim_message_get_seq", message, 0, |h| {
        Ok(h.msg.with(|d| d.seq))
    })
}

/// The priority, a `V2TIMMessagePriority`. NULL returns 0. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_get_priority(message: *const V2TIMMessage) -> i32 {
    get("v2tim_message_get_priority", message, 0, |h| {
        Ok(h.msg.with(|d| d.priority))
    })
}

/// The whole message as a JSON object (msgID, seq, sender, userID, groupID, timestamp,
/// status, isRevoked, revokerInfo, revokeReason, elemType, text, custom fields).
///
/// Owned: free with `v2tim_string_free`. NULL `message` returns NULL (last error set).
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_to_json(message: *const V2TIMMessage) -> *mut c_char {
    get(
        "v2tim_message_to_json",
        message,
        std::ptr::null_mut(),
        |h| Ok(to_owned_c(&h.msg.to_json())),
    )
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::*;
    use crate::core::MessageObj;

    #[test]
    fn borrowed_strings_outlive_changes_of_the_message() {
        let msg = MessageObj::new_local(
            "id1".into(),
            "alice".into(),
            Elem::Text { text: "hi".into() },
        );
        let h = Arc::into_raw(V2TIMMessage::new_arc(msg.clone()));
        unsafe {
            let t1 = v2tim_message_get_text(h);
            // Unchanged value: the same pointer, nothing reallocated.
            assert_eq!(t1, v2tim_message_get_text(h));
            assert_eq!(v2tim_message_get_msg_id(h), v2tim_message_get_msg_id(h));
            msg.update(|d| d.elem = Elem::None);
            let t2 = v2tim_message_get_text(h);
            assert_ne!(t1, t2);
            assert_eq!(CStr::from_ptr(t2).to_bytes(), b"");
            // The string handed out before the change is still there, unchanged.
            assert_eq!(CStr::from_ptr(t1).to_bytes(), b"hi");
            v2tim_message_release(h as *mut V2TIMMessage);
        }
    }

    #[test]
    fn custom_data_round_trips() {
        let data = base64::engine::general_purpose::STANDARD.encode([0u8, 1, 2, 255]);
        let elem = Elem::Custom {
            data,
            description: "d".into(),
            extension: "e".into(),
        };
        let msg = MessageObj::new_local("id2".into(), "alice".into(), elem);
        let h = Arc::into_raw(V2TIMMessage::new_arc(msg));
        unsafe {
            let mut len = 0usize;
            let p = v2tim_message_get_custom_data(h, &mut len);
            assert_eq!(std::slice::from_raw_parts(p, len), &[0u8, 1, 2, 255]);
            assert_eq!(p, v2tim_message_get_custom_data(h, &mut len));
            assert_eq!(
                CStr::from_ptr(v2tim_message_get_custom_description(h)).to_bytes(),
                b"d"
            );
            assert_eq!(
                CStr::from_ptr(v2tim_message_get_custom_extension(h)).to_bytes(),
                b"e"
            );
            let again = v2tim_message_retain(h);
            assert_eq!(again as *const V2TIMMessage, h);
            v2tim_message_release(again);
            v2tim_message_release(h as *mut V2TIMMessage);
        }
    }
}
