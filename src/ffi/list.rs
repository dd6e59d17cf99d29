//! `V2TIMMessageList`: the messages of a history page, lent to a callback.

use std::ffi::c_char;
use std::sync::Arc;

use crate::core::{Error, Message};

use super::guard;
use super::message::V2TIMMessage;
use super::strings::to_owned_c;

/// A list of messages (V2TIMMessageVector). Opaque; only ever lent to a callback, valid for
/// the duration of that call. Keep a message beyond it with `v2tim_message_retain`.
pub struct V2TIMMessageList {
    items: Vec<Arc<V2TIMMessage>>,
}

impl V2TIMMessageList {
    pub(crate) fn new(msgs: Vec<Message>) -> Self {
        V2TIMMessageList {
            items: msgs.into_iter().map(V2TIMMessage::new_arc).collect(),
        }
    }
}

/// # Safety
/// NULL or a live list.
unsafe fn list_ref<'a>(p: *const V2TIMMessageList) -> Result<&'a V2TIMMessageList, Error> {
    // SAFETY: the caller's contract.
    unsafe { p.as_ref() }.ok_or_else(|| Error::invalid("list is NULL"))
}

/// Number of messages in `list`. NULL returns 0 (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_list_size(list: *const V2TIMMessageList) -> usize {
    // SAFETY: NULL or a live list.
    guard::call(
        "v2tim_message_list_size",
        |_| 0,
        || Ok(unsafe { list_ref(list) }?.items.len()),
    )
}

/// The message at `index` (0-based). Borrowed: valid while `list` is (during the callback);
/// `v2tim_message_retain` it to keep it. NULL list or index out of range returns NULL with
/// the last error `V2TIM_ERR_INVALID_PARAMETERS`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_list_get(
    list: *const V2TIMMessageList,
    index: usize,
) -> *const V2TIMMessage {
    guard::call(
        "v2tim_message_list_get",
        |_| std::ptr::null(),
        || {
            // SAFETY: NULL or a live list.
            let l = unsafe { list_ref(list) }?;
            let item = l.items.get(index).ok_or_else(|| {
                Error::invalid(format!(
                    "index {index} out of range (size {})",
                    l.items.len()
                ))
            })?;
            Ok(Arc::as_ptr(item))
        },
    )
}

/// The whole list as a JSON array of messages (as `v2tim_message_to_json`).
///
/// Owned: free with `v2tim_string_free`. NULL returns NULL (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_message_list_to_json(list: *const V2TIMMessageList) -> *mut c_char {
    guard::call(
        "v2tim_message_list_to_json",
        |_| std::ptr::null_mut(),
        || {
            // SAFETY: NULL or a live list.
            let l = unsafe { list_ref(list) }?;
            let items: Vec<String> = l.items.iter().map(|h| h.core().to_json()).collect();
            Ok(to_owned_c(&format!("[{}]", items.join(","))))
        },
    )
}
