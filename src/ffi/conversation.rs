//! The conversation list (V2TIMConversationManager): listener, list pages, one
//! conversation, unread counts and marking read, and the getters of `V2TIMConversation`.

use std::ffi::{c_char, c_void, CString};
use std::sync::Arc;

use crate::core::{Conversation, ConversationListener, Error, ListenerKey};

use super::callbacks::{
    HostCallback, Once, V2TIMCallback, V2TIMConversationCallback, V2TIMConversationListener,
    V2TIMConversationResultCallback, V2TIMUint64Callback,
};
use super::guard;
use super::manager::{manager_ref, V2TIMManager};
use super::message::V2TIMMessage;
use super::strings::{arg_id, arg_str, cstring_lossy};

/// A conversation (V2TIMConversation). Opaque; only ever lent to a callback, valid for the
/// duration of that call, like the strings its getters return. Its last message is the live
/// message: `v2tim_message_retain` it to keep it.
pub struct V2TIMConversation {
    conv: Conversation,
    conversation_id: CString,
    user_id: CString,
    group_id: CString,
    show_name: CString,
    face_url: CString,
    group_type: CString,
    last_message: Option<Arc<V2TIMMessage>>,
}

impl V2TIMConversation {
    pub(crate) fn new(conv: Conversation) -> Self {
        V2TIMConversation {
            conversation_id: cstring_lossy(&conv.conversation_id),
            user_id: cstring_lossy(&conv.user_id),
            group_id: cstring_lossy(&conv.group_id),
            show_name: cstring_lossy(&conv.show_name),
            face_url: cstring_lossy(&conv.face_url),
            group_type: cstring_lossy(&conv.group_type),
            last_message: conv.last_message.clone().map(V2TIMMessage::new_arc),
            conv,
        }
    }
}

/// Conversations (V2TIMConversationVector). Opaque; only ever lent to a callback, valid for
/// the duration of that call.
pub struct V2TIMConversationList {
    items: Vec<V2TIMConversation>,
}

impl V2TIMConversationList {
    pub(crate) fn new(convs: &[Conversation]) -> Self {
        V2TIMConversationList {
            items: convs.iter().cloned().map(V2TIMConversation::new).collect(),
        }
    }
}

impl Once<V2TIMConversationResultCallback> {
    pub(crate) fn completion(&self) -> crate::core::Completion<crate::core::ConversationResult> {
        self.completion_with(
            "V2TIMConversationResultCallback",
            |cb, (convs, next_seq, finished): crate::core::ConversationResult| {
                if let Some(f) = cb.on_success {
                    let list = V2TIMConversationList::new(&convs);
                    // SAFETY: host function pointer; the list outlives the call.
                    unsafe { f(cb.user_data, &list, next_seq, finished) }
                }
            },
        )
    }
}

impl Once<V2TIMConversationCallback> {
    pub(crate) fn completion(&self) -> crate::core::Completion<Conversation> {
        self.completion_with("V2TIMConversationCallback", |cb, conv: Conversation| {
            if let Some(f) = cb.on_success {
                let c = V2TIMConversation::new(conv);
                // SAFETY: host function pointer; the conversation outlives the call.
                unsafe { f(cb.user_data, &c) }
            }
        })
    }
}

impl Once<V2TIMUint64Callback> {
    pub(crate) fn completion(&self) -> crate::core::Completion<u64> {
        self.completion_with("V2TIMUint64Callback", |cb, v: u64| {
            if let Some(f) = cb.on_success {
                // SAFETY: host function pointer with its own user_data.
                unsafe { f(cb.user_data, v) }
            }
        })
    }
}

/// The host's conversation listener, as a core listener.
struct ConversationAdapter(V2TIMConversationListener);

type ListFn = unsafe extern "C" fn(*mut c_void, *const V2TIMConversationList);

impl ConversationAdapter {
    fn list(&self, name: &'static str, f: Option<ListFn>, convs: &[Conversation]) {
        guard::in_callback(name, || {
            if let Some(f) = f {
                let list = V2TIMConversationList::new(convs);
                // SAFETY: host function pointer; the list outlives the call.
                unsafe { f(self.0.user_data, &list) }
            }
        })
    }
}

impl ConversationListener for ConversationAdapter {
    fn on_new_conversation(&self, convs: &[Conversation]) {
        self.list("on_new_conversation", self.0.on_new_conversation, convs)
    }
    fn on_conversation_changed(&self, convs: &[Conversation]) {
        self.list(
            "on_conversation_changed",
            self.0.on_conversation_changed,
            convs,
        )
    }
    fn on_total_unread_message_count_changed(&self, total: u64) {
        guard::in_callback("on_total_unread_message_count_changed", || {
            if let Some(f) = self.0.on_total_unread_message_count_changed {
                // SAFETY: host function pointer with its own user_data.
                unsafe { f(self.0.user_data, total) }
            }
        })
    }
}

const TAG_CONVERSATION: usize = 3;

fn key(l: &V2TIMConversationListener) -> ListenerKey {
    [
        TAG_CONVERSATION,
        l.user_data as usize,
        l.on_new_conversation.map_or(0, |f| f as usize),
        l.on_conversation_changed.map_or(0, |f| f as usize),
        l.on_total_unread_message_count_changed
            .map_or(0, |f| f as usize),
        0,
        0,
        0,
    ]
}

/// # Safety
/// NULL or live pointers.
unsafe fn listener_args<'a>(
    manager: *mut V2TIMManager,
    listener: *const V2TIMConversationListener,
) -> Result<(&'a V2TIMManager, V2TIMConversationListener), Error> {
    // SAFETY: the caller's contract.
    let m = unsafe { manager_ref(manager) }?;
    // SAFETY: as above.
    let l = unsafe { listener.as_ref() }.ok_or_else(|| Error::invalid("listener is NULL"))?;
    Ok((m, *l))
}

/// Registers a conversation listener (V2TIMConversationManager::AddConversationListener).
///
/// Same rules as `v2tim_add_advanced_msg_listener`: `*listener` is copied, identified by its
/// contents, and called on the SDK event thread. Changes are reported from the end of the
/// first read of the list after login on (`v2tim_get_conversation_list` answers that read):
/// `on_new_conversation` for a conversation the list did not hold, `on_conversation_changed`
/// once per change of a conversation's last message (a recall included), unread count,
/// order or name, `on_total_unread_message_count_changed` when the sum of unread counts
/// changes. NULL arguments set the last error and do nothing. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_add_conversation_listener(
    manager: *mut V2TIMManager,
    listener: *const V2TIMConversationListener,
) {
    guard::call(
        "v2tim_add_conversation_listener",
        |_| (),
        || {
            // SAFETY: NULL or live pointers.
            let (m, l) = unsafe { listener_args(manager, listener) }?;
            m.core()
                .add_conversation_listener(key(&l), Arc::new(ConversationAdapter(l)));
            Ok(())
        },
    )
}

/// Unregisters the conversation listener whose contents equal `*listener`. Same rules as
/// `v2tim_remove_advanced_msg_listener`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_remove_conversation_listener(
    manager: *mut V2TIMManager,
    listener: *const V2TIMConversationListener,
) {
    guard::call(
        "v2tim_remove_conversation_listener",
        |_| (),
        || {
            // SAFETY: NULL or live pointers.
            let (m, l) = unsafe { listener_args(manager, listener) }?;
            m.core().remove_conversation_listener(key(&l));
            Ok(())
        },
    )
}

/// A page of the conversation list (V2TIMConversationManager::GetConversationList), newest
/// activity first: `next_seq` 0 for the first page, then the `next_seq` the previous page's
/// `on_success` gave, until `is_finished`. `count` 1 to 100.
///
/// After login the SDK reads the list from the server; until that read ends the call waits
/// for it. The list and the conversations in it are borrowed for the duration of
/// `on_success`. Errors (to `on_error`, on the SDK event thread): `V2TIM_ERR_INVALID_PARAMETERS`
/// (NULL manager, count out of range), `V2TIM_ERR_SDK_NOT_LOGGED_IN`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_get_conversation_list(
    manager: *mut V2TIMManager,
    next_seq: u64,
    count: u32,
    callback: V2TIMConversationResultCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_get_conversation_list", &once, (), || {
        // SAFETY: NULL or a live manager.
        let m = unsafe { manager_ref(manager) }?;
        m.core()
            .get_conversation_list(next_seq, count, once.completion());
        Ok(())
    })
}

/// One conversation (V2TIMConversationManager::GetConversation) by its id, "c2c_<userID>"
/// or "group_<groupID>". The conversation is borrowed for the duration of `on_success`.
/// Errors: `V2TIM_ERR_INVALID_PARAMETERS` (NULL manager, NULL or malformed id, a
/// conversation the user is not in or that has no message yet), `V2TIM_ERR_SDK_NOT_LOGGED_IN`.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_get_conversation(
    manager: *mut V2TIMManager,
    conversation_id: *const c_char,
    callback: V2TIMConversationCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_get_conversation", &once, (), || {
        // SAFETY: NULL or live pointers.
        let (m, id) = unsafe {
            (
                manager_ref(manager)?,
                arg_id(conversation_id, "conversation_id")?,
            )
        };
        m.core().get_conversation(id, once.completion());
        Ok(())
    })
}

/// The sum of every conversation's unread count
/// (V2TIMConversationManager::GetTotalUnreadMessageCount). Errors as
/// `v2tim_get_conversation_list`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_get_total_unread_message_count(
    manager: *mut V2TIMManager,
    callback: V2TIMUint64Callback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_get_total_unread_message_count", &once, (), || {
        // SAFETY: NULL or a live manager.
        let m = unsafe { manager_ref(manager) }?;
        m.core().get_total_unread_message_count(once.completion());
        Ok(())
    })
}

/// Marks a conversation read for every device of the user
/// (V2TIMConversationManager::CleanConversationUnreadMessageCount): up to the message of
/// seq `clean_sequence` when it is not 0; else up to the newest message sent at or before
/// `clean_timestamp` (server time, seconds) when that is not 0; else all of it. A read
/// position never moves back. The user's other devices report the new unread count to
/// their conversation listeners. Errors: `V2TIM_ERR_INVALID_PARAMETERS` (NULL manager, NULL
/// or malformed id), 60003 (not a conversation of the user's),
/// `V2TIM_ERR_SDK_NOT_LOGGED_IN`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_clean_conversation_unread_message_count(
    manager: *mut V2TIMManager,
    conversation_id: *const c_char,
    clean_timestamp: u64,
    clean_sequence: u64,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback(
        "v2tim_clean_conversation_unread_message_count",
        &once,
        (),
        || {
            // SAFETY: NULL or live pointers.
            let (m, id) = unsafe {
                (
                    manager_ref(manager)?,
                    arg_str(conversation_id, "conversation_id")?,
                )
            };
            m.core().clean_conversation_unread_message_count(
                id,
                clean_timestamp,
                clean_sequence,
                once.completion(),
            );
            Ok(())
        },
    )
}

/// Marks the C2C conversation with `user_id` read (V2TIMMessageManager::MarkC2CMessageAsRead,
/// deprecated in V2TIM for `v2tim_clean_conversation_unread_message_count`). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_mark_c2c_message_as_read(
    manager: *mut V2TIMManager,
    user_id: *const c_char,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_mark_c2c_message_as_read", &once, (), || {
        // SAFETY: NULL or live pointers.
        let (m, id) = unsafe { (manager_ref(manager)?, arg_id(user_id, "user_id")?) };
        m.core().mark_c2c_message_as_read(id, once.completion());
        Ok(())
    })
}

/// Marks the conversation of group `group_id` read
/// (V2TIMMessageManager::MarkGroupMessageAsRead, deprecated in V2TIM). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_mark_group_message_as_read(
    manager: *mut V2TIMManager,
    group_id: *const c_char,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_mark_group_message_as_read", &once, (), || {
        // SAFETY: NULL or live pointers.
        let (m, id) = unsafe { (manager_ref(manager)?, arg_id(group_id, "group_id")?) };
        m.core().mark_group_message_as_read(id, once.completion());
        Ok(())
    })
}

/// # Safety
/// NULL or a live list.
unsafe fn list_ref<'a>(
    p: *const V2TIMConversationList,
) -> Result<&'a V2TIMConversationList, Error> {
    // SAFETY: the caller's contract.
    unsafe { p.as_ref() }.ok_or_else(|| Error::invalid("list is NULL"))
}

/// # Safety
/// NULL or a live conversation.
unsafe fn conv_ref<'a>(p: *const V2TIMConversation) -> Result<&'a V2TIMConversation, Error> {
    // SAFETY: the caller's contract.
    unsafe { p.as_ref() }.ok_or_else(|| Error::invalid("conversation is NULL"))
}

/// Number of conversations in `list`. NULL returns 0 (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_conversation_list_size(list: *const V2TIMConversationList) -> usize {
    guard::call(
        "v2tim_conversation_list_size",
        |_| 0,
        // SAFETY: NULL or a live list.
        || Ok(unsafe { list_ref(list) }?.items.len()),
    )
}

/// The conversation at `index` (0-based), borrowed from `list`. NULL list or index out of
/// range returns NULL with the last error `V2TIM_ERR_INVALID_PARAMETERS`.
#[no_mangle]
pub unsafe extern "C" fn v2tim_conversation_list_get(
    list: *const V2TIMConversationList,
    index: usize,
) -> *const V2TIMConversation {
    guard::call(
        "v2tim_conversation_list_get",
        |_| std::ptr::null(),
        || {
            // SAFETY: NULL or a live list.
            let l = unsafe { list_ref(list) }?;
            l.items
                .get(index)
                .map(|c| c as *const V2TIMConversation)
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "index {index} out of range (size {})",
                        l.items.len()
                    ))
                })
        },
    )
}

/// A borrowed string field of a conversation: "" (static) for a NULL conversation.
///
/// # Safety
/// NULL or a live conversation.
unsafe fn text(
    name: &'static str,
    c: *const V2TIMConversation,
    field: impl FnOnce(&V2TIMConversation) -> &CString,
) -> *const c_char {
    guard::call(
        name,
        |_| c"".as_ptr(),
        // SAFETY: NULL or a live conversation.
        || Ok(field(unsafe { conv_ref(c) }?).as_ptr()),
    )
}

/// The conversation's id: "c2c_<userID>" or "group_<groupID>". Borrowed from the
/// conversation; "" for NULL (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_conversation_get_conversation_id(
    conversation: *const V2TIMConversation,
) -> *const c_char {
    // SAFETY: NULL or a live conversation.
    unsafe {
        text(
            "v2tim_conversation_get_conversation_id",
            conversation,
            |c| &c.conversation_id,
        )
    }
}

/// `V2TIM_C2C` (1) or `V2TIM_GROUP` (2); 0 for NULL (last error set).
#[no_mangle]
pub unsafe extern "C" fn v2tim_conversation_get_type(
    conversation: *const V2TIMConversation,
) -> i32 {
    guard::call(
        "v2tim_conversation_get_type",
        |_| 0,
        // SAFETY: NULL or a live conversation.
        || Ok(unsafe { conv_ref(conversation) }?.conv.conv_type),
    )
}

/// C2C: the other user's id; "" for a group conversation. Borrowed from the conversation.
#[no_mangle]
pub unsafe extern "C" fn v2tim_conversation_get_user_id(
    conversation: *const V2TIMConversation,
) -> *const c_char {
    // SAFETY: NULL or a live conversation.
    unsafe {
        text("v2tim_conversation_get_user_id", conversation, |c| {
            &c.user_id
        })
    }
}

/// Group conversations: the group's id; "" for C2C. Borrowed from the conversation.
#[no_mangle]
pub unsafe extern "C" fn v2tim_conversation_get_group_id(
    conversation: *const V2TIMConversation,
) -> *const c_char {
    // SAFETY: NULL or a live conversation.
    unsafe {
        text("v2tim_conversation_get_group_id", conversation, |c| {
            &c.group_id
        })
    }
}

/// The name to show: C2C the other user's id, a group its name (its id when unnamed).
/// Borrowed from the conversation.
#[no_mangle]
pub unsafe extern "C" fn v2tim_conversation_get_show_name(
    conversation: *const V2TIMConversation,
) -> *const c_char {
    // SAFETY: NULL or a live conversation.
    unsafe {
        text("v2tim_conversation_get_show_name", conversation, |c| {
            &c.show_name
        })
    }
}

/// The picture to show; "" when there is none. Borrowed from the conversation.
#[no_mangle]
pub unsafe extern "C" fn v2tim_conversation_get_face_url(
    conversation: *const V2TIMConversation,
) -> *const c_char {
    // SAFETY: NULL or a live conversation.
    unsafe {
        text("v2tim_conversation_get_face_url", conversation, |c| {
            &c.face_url
        })
    }
}

/// Group conversations: the group type ("Work", "Public", "Meeting", "AVChatRoom",
/// "Community"); "" for C2C. Borrowed from the conversation.
#[no_mangle]
pub unsafe extern "C" fn v2tim_conversation_get_group_type(
    conversation: *const V2TIMConversation,
) -> *const c_char {
    // SAFETY: NULL or a live conversation.
    unsafe {
        text("v2tim_conversation_get_group_type", conversation, |c| {
            &c.group_type
        })
    }
}

/// Messages from others after the user's read position, not recalled. 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn v2tim_conversation_get_unread_count(
    conversation: *const V2TIMConversation,
) -> u64 {
    guard::call(
        "v2tim_conversation_get_unread_count",
        |_| 0,
        // SAFETY: NULL or a live conversation.
        || Ok(unsafe { conv_ref(conversation) }?.conv.unread_count),
    )
}

/// The conversation's order in the list: larger is more recent activity. 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn v2tim_conversation_get_order_key(
    conversation: *const V2TIMConversation,
) -> u64 {
    guard::call(
        "v2tim_conversation_get_order_key",
        |_| 0,
        // SAFETY: NULL or a live conversation.
        || Ok(unsafe { conv_ref(conversation) }?.conv.order_key),
    )
}

/// The newest message, borrowed from the conversation (`v2tim_message_retain` it to keep
/// it); NULL when the conversation has none (or for a NULL conversation: last error set).
/// After a recall it shows the recalled form: status 6, no content, the revoker.
#[no_mangle]
pub unsafe extern "C" fn v2tim_conversation_get_last_message(
    conversation: *const V2TIMConversation,
) -> *const V2TIMMessage {
    guard::call(
        "v2tim_conversation_get_last_message",
        |_| std::ptr::null(),
        || {
            // SAFETY: NULL or a live conversation.
            let c = unsafe { conv_ref(conversation) }?;
            Ok(c.last_message
                .as_ref()
                .map_or(std::ptr::null(), Arc::as_ptr))
        },
    )
}

// The completion structs report errors like the others.
const _: fn() = || {
    fn is_host_callback<C: HostCallback>() {}
    is_host_callback::<V2TIMConversationResultCallback>();
    is_host_callback::<V2TIMConversationCallback>();
    is_host_callback::<V2TIMUint64Callback>();
};
