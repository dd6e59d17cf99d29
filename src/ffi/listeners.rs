//! Registering listener structs, and the adapters that deliver core events to them.
//!
//! A listener is identified by the CONTENTS of its struct (user_data and every function
//! pointer), not by the address the host passed: the struct is copied at registration, and
//! `remove` is given a struct with the same contents (which may be another copy). Adding the
//! same contents twice registers it once.

use std::ffi::CString;
use std::sync::Arc;

use crate::core::{AdvancedMsgListener, Error, ListenerKey, Message, SdkListener, UserFullInfo};

use super::callbacks::{V2TIMAdvancedMsgListener, V2TIMSDKListener};
use super::guard;
use super::manager::{manager_ref, V2TIMManager};
use super::message::V2TIMMessage;
use super::strings::cstring_lossy;
use super::user_info::V2TIMUserFullInfo;

/// Tags keep the two kinds of listeners apart even if the core ever shared one registry.
const TAG_ADVANCED_MSG: usize = 1;
const TAG_SDK: usize = 2;

/// The address of a function pointer field, 0 for NULL: its identity in a key.
macro_rules! addr {
    ($f:expr) => {
        $f.map_or(0, |f| f as usize)
    };
}

fn advanced_key(l: &V2TIMAdvancedMsgListener) -> ListenerKey {
    [
        TAG_ADVANCED_MSG,
        l.user_data as usize,
        addr!(l.on_recv_new_message),
        addr!(l.on_recv_message_revoked),
        0,
        0,
        0,
        0,
    ]
}

fn sdk_key(l: &V2TIMSDKListener) -> ListenerKey {
    [
        TAG_SDK,
        l.user_data as usize,
        addr!(l.on_connecting),
        addr!(l.on_connect_success),
        addr!(l.on_connect_failed),
        addr!(l.on_kicked_offline),
        addr!(l.on_user_sig_expired),
        addr!(l.on_self_info_updated),
    ]
}

/// The host's message listener, as a core listener.
struct AdvancedMsgAdapter(V2TIMAdvancedMsgListener);

impl AdvancedMsgListener for AdvancedMsgAdapter {
    fn on_recv_new_message(&self, msg: &Message) {
        guard::in_callback("on_recv_new_message", || {
            if let Some(f) = self.0.on_recv_new_message {
                // Lent for the call; a host that retained it keeps the handle alive.
                let handle = V2TIMMessage::new_arc(msg.clone());
                // SAFETY: host function pointer with its own user_data; `handle` outlives the
                // call.
                unsafe { f(self.0.user_data, Arc::as_ptr(&handle)) }
            }
        })
    }

    fn on_recv_message_revoked(&self, msg_id: &str, operate_user: &UserFullInfo, reason: &str) {
        guard::in_callback("on_recv_message_revoked", || {
            if let Some(f) = self.0.on_recv_message_revoked {
                let (id, reason) = (cstring_lossy(msg_id), cstring_lossy(reason));
                let user = V2TIMUserFullInfo::new(operate_user);
                // SAFETY: host function pointer; every argument outlives the call.
                unsafe { f(self.0.user_data, id.as_ptr(), &user, reason.as_ptr()) }
            }
        })
    }
}

/// The host's SDK listener, as a core listener.
struct SdkAdapter(V2TIMSDKListener);

impl SdkAdapter {
    fn plain(&self, name: &'static str, f: Option<unsafe extern "C" fn(*mut std::ffi::c_void)>) {
        guard::in_callback(name, || {
            if let Some(f) = f {
                // SAFETY: host function pointer with its own user_data.
                unsafe { f(self.0.user_data) }
            }
        })
    }
}

impl SdkListener for SdkAdapter {
    fn on_connecting(&self) {
        self.plain("on_connecting", self.0.on_connecting)
    }
    fn on_connect_success(&self) {
        self.plain("on_connect_success", self.0.on_connect_success)
    }
    fn on_connect_failed(&self, code: i32, desc: &str) {
        guard::in_callback("on_connect_failed", || {
            if let Some(f) = self.0.on_connect_failed {
                let desc: CString = cstring_lossy(desc);
                // SAFETY: host function pointer; `desc` outlives the call.
                unsafe { f(self.0.user_data, code, desc.as_ptr()) }
            }
        })
    }
    fn on_kicked_offline(&self) {
        self.plain("on_kicked_offline", self.0.on_kicked_offline)
    }
    fn on_user_sig_expired(&self) {
        self.plain("on_user_sig_expired", self.0.on_user_sig_expired)
    }
    fn on_self_info_updated(&self, info: &UserFullInfo) {
        guard::in_callback("on_self_info_updated", || {
            if let Some(f) = self.0.on_self_info_updated {
                let info = V2TIMUserFullInfo::new(info);
                // SAFETY: host function pointer; `info` outlives the call.
                unsafe { f(self.0.user_data, &info) }
            }
        })
    }
}

/// Copies `*listener` (as `T`) after checking both pointers.
///
/// # Safety
/// NULL or live pointers.
unsafe fn args<'a, T: Copy>(
    manager: *mut V2TIMManager,
    listener: *const T,
) -> Result<(&'a V2TIMManager, T), Error> {
    // SAFETY: the caller's contract.
    let m = unsafe { manager_ref(manager) }?;
    // SAFETY: as above.
    let l = unsafe { listener.as_ref() }.ok_or_else(|| Error::invalid("listener is NULL"))?;
    Ok((m, *l))
}

/// Registers a message listener (V2TIMMessageManager::AddAdvancedMsgListener).
///
/// `*listener` is copied; the host's struct may be freed after the call. The listener is
/// identified by its contents (user_data and function pointers): adding equal contents again
/// changes nothing; `v2tim_remove_advanced_msg_listener` with equal contents removes it.
/// Events run on the SDK event thread, in order. NULL arguments set the last error
/// (`V2TIM_ERR_INVALID_PARAMETERS`) and do nothing. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_add_advanced_msg_listener(
    manager: *mut V2TIMManager,
    listener: *const V2TIMAdvancedMsgListener,
) {
    guard::call(
        "v2tim_add_advanced_msg_listener",
        |_| (),
        || {
            // SAFETY: NULL or live pointers.
            let (m, l) = unsafe { args(manager, listener) }?;
            m.core()
                .add_advanced_msg_listener(advanced_key(&l), Arc::new(AdvancedMsgAdapter(l)));
            Ok(())
        },
    )
}

/// Unregisters the message listener whose contents equal `*listener` (see
/// `v2tim_add_advanced_msg_listener`); unknown contents are a no-op. After this returns the
/// listener is never called again (called from another thread while one of its events runs,
/// it waits for that event to finish). NULL arguments set the last error. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_remove_advanced_msg_listener(
    manager: *mut V2TIMManager,
    listener: *const V2TIMAdvancedMsgListener,
) {
    guard::call(
        "v2tim_remove_advanced_msg_listener",
        |_| (),
        || {
            // SAFETY: NULL or live pointers.
            let (m, l) = unsafe { args(manager, listener) }?;
            m.core().remove_advanced_msg_listener(advanced_key(&l));
            Ok(())
        },
    )
}

/// Registers a connection/session listener (V2TIMManager::AddSDKListener). Same rules as
/// `v2tim_add_advanced_msg_listener`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_add_sdk_listener(
    manager: *mut V2TIMManager,
    listener: *const V2TIMSDKListener,
) {
    guard::call(
        "v2tim_add_sdk_listener",
        |_| (),
        || {
            // SAFETY: NULL or live pointers.
            let (m, l) = unsafe { args(manager, listener) }?;
            m.core()
                .add_sdk_listener(sdk_key(&l), Arc::new(SdkAdapter(l)));
            Ok(())
        },
    )
}

/// Unregisters the SDK listener whose contents equal `*listener`. Same rules as
/// `v2tim_remove_advanced_msg_listener`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_remove_sdk_listener(
    manager: *mut V2TIMManager,
    listener: *const V2TIMSDKListener,
) {
    guard::call(
        "v2tim_remove_sdk_listener",
        |_| (),
        || {
            // SAFETY: NULL or live pointers.
            let (m, l) = unsafe { args(manager, listener) }?;
            m.core().remove_sdk_listener(sdk_key(&l));
            Ok(())
        },
    )
}
