//! `V2TIMManager` handles, SDK lifecycle and login.

use std::ffi::c_char;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::core::{self, Error, Manager, SdkConfig};

use super::callbacks::{Once, V2TIMCallback};
use super::enums::V2TIMLoginStatus;
use super::guard;
use super::strings::{arg_id, arg_opt_str, arg_str, to_owned_c};

/// One SDK instance (V2TIMManager). Opaque, thread-safe.
///
/// `v2tim_manager_create` makes independent instances (one user each; several in one
/// process for tests or multi-account apps), freed with `v2tim_manager_destroy`;
/// `v2tim_manager_get_instance` is the process-wide one, never freed.
pub struct V2TIMManager {
    core: Manager,
}

impl V2TIMManager {
    pub(crate) fn core(&self) -> &Manager {
        &self.core
    }
}

/// Configuration of `v2tim_init_sdk` (V2TIMSDKConfig plus v2tim's own fields). The SDK
/// copies what it needs; the struct and its strings may be freed after the call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct V2TIMSDKConfig {
    /// `ws://host:port` or `wss://...` of a v2tim server, or several separated by commas
    /// (the servers of one cluster: the SDK connects to the first it can reach and moves on
    /// to the next when one fails; an entry that is empty or not ws/wss is refused with
    /// `V2TIM_ERR_INVALID_PARAMETERS`). NULL or "" = the embedded
    /// in-process server, shared by every manager of this process with the same SDKAppID
    /// (only in a library built with the cargo feature `embedded`, the default; without it
    /// `v2tim_init_sdk` refuses with `V2TIM_ERR_NO_EMBEDDED_SERVER`).
    pub server_url: *const c_char,
    /// Directory for the SDK's state (and the embedded server's database). NULL = in memory
    /// (embedded) / default cache dir.
    pub data_dir: *const c_char,
    /// Log level (V2TIMLogLevel numbers).
    pub log_level: i32,
    /// Embedded mode only: the SDKAppID's secret key that UserSigs are checked against.
    /// NULL or "" = UserSigs are not checked (in-process tests, demos).
    pub secret_key: *const c_char,
}

static INSTANCE: OnceLock<V2TIMManager> = OnceLock::new();

fn instance_ptr() -> Option<*const V2TIMManager> {
    INSTANCE.get().map(|m| m as *const V2TIMManager)
}

/// Borrows the instance behind a host pointer.
///
/// # Safety
/// `p` is NULL or a live `V2TIMManager` pointer.
pub(crate) unsafe fn manager_ref<'a>(p: *const V2TIMManager) -> Result<&'a V2TIMManager, Error> {
    // SAFETY: the caller guarantees p is NULL or a live manager. Managers are only ever used
    // through shared references (the core is internally synchronized), so the `*mut` the
    // host holds is never written through.
    unsafe { p.as_ref() }.ok_or_else(|| Error::invalid("manager is NULL"))
}

/// Creates a new, independent SDK instance (not initialized).
///
/// Owned: free with `v2tim_manager_destroy`. Never NULL (NULL only if an internal error
/// occurred; last error set). Thread-safe.
#[no_mangle]
pub extern "C" fn v2tim_manager_create() -> *mut V2TIMManager {
    guard::call(
        "v2tim_manager_create",
        |_| std::ptr::null_mut(),
        || {
            Ok(Box::into_raw(Box::new(V2TIMManager {
                core: Manager::new(),
            })))
        },
    )
}

/// The process-wide instance (V2TIMManager::GetInstance), created on first use.
///
/// Always the same pointer; never freed (`v2tim_manager_destroy` on it only uninitializes
/// it). Thread-safe.
#[no_mangle]
pub extern "C" fn v2tim_manager_get_instance() -> *mut V2TIMManager {
    guard::call(
        "v2tim_manager_get_instance",
        |_| std::ptr::null_mut(),
        || {
            let m = INSTANCE.get_or_init(|| V2TIMManager {
                core: Manager::new(),
            });
            // Cast only: the instance is never written through this pointer (see manager_ref).
            Ok(m as *const V2TIMManager as *mut V2TIMManager)
        },
    )
}

/// Uninitializes `manager` (as `v2tim_uninit_sdk`) and frees it; the pointer is invalid
/// afterwards. Requests still in flight fail with `V2TIM_ERR_SHUTDOWN`. On the pointer from
/// `v2tim_manager_get_instance` it only uninitializes (the instance stays valid). NULL is a
/// no-op. Do not call it from a callback of the same manager.
#[no_mangle]
pub unsafe extern "C" fn v2tim_manager_destroy(manager: *mut V2TIMManager) {
    guard::call(
        "v2tim_manager_destroy",
        |_| (),
        || {
            if manager.is_null() {
                return Ok(());
            }
            if instance_ptr() == Some(manager as *const V2TIMManager) {
                // SAFETY: the process-wide instance is static and alive.
                unsafe { &*manager }.core.uninit_sdk();
                return Ok(());
            }
            // SAFETY: the host gives back a pointer from v2tim_manager_create, once.
            let boxed = unsafe { Box::from_raw(manager) };
            boxed.core.uninit_sdk();
            Ok(())
        },
    )
}

/// Starts `manager` for `sdk_app_id` (V2TIMManager::InitSDK). `config` is copied (see
/// `V2TIMSDKConfig`); it must not be NULL.
///
/// Returns 0 (`V2TIM_SUCC`) or an error code, also set as the last error:
/// `V2TIM_ERR_INVALID_PARAMETERS` for NULL manager/config or a string that is not UTF-8;
/// `V2TIM_ERR_NO_EMBEDDED_SERVER` for a NULL or empty `server_url` in a library built without
/// the embedded server. Calling it again with the same SDKAppID succeeds and changes nothing. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_init_sdk(
    manager: *mut V2TIMManager,
    sdk_app_id: u32,
    config: *const V2TIMSDKConfig,
) -> i32 {
    guard::call(
        "v2tim_init_sdk",
        |e| e.code,
        || {
            // SAFETY: the host passes NULL or live pointers.
            let m = unsafe { manager_ref(manager) }?;
            // SAFETY: as above.
            let c = unsafe { config.as_ref() }.ok_or_else(|| Error::invalid("config is NULL"))?;
            // SAFETY: the config's strings are NULL or NUL-terminated, per the contract.
            let (url, dir, key) = unsafe {
                (
                    arg_opt_str(c.server_url, "config.server_url")?,
                    arg_opt_str(c.data_dir, "config.data_dir")?,
                    arg_opt_str(c.secret_key, "config.secret_key")?,
                )
            };
            let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_owned());
            let cfg = SdkConfig {
                server_url: non_empty(url),
                data_dir: (!c.data_dir.is_null()).then(|| PathBuf::from(dir)),
                log_level: c.log_level,
                secret_key: non_empty(key),
            };
            m.core.init_sdk(sdk_app_id, cfg)?;
            Ok(0)
        },
    )
}

/// Stops `manager` (V2TIMManager::UnInitSDK): logs out without waiting for the server,
/// drops the connection, and fails requests in flight with `V2TIM_ERR_SHUTDOWN`. Listeners
/// stay registered. NULL sets the last error and does nothing. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_uninit_sdk(manager: *mut V2TIMManager) {
    guard::call(
        "v2tim_uninit_sdk",
        |_| (),
        || {
            // SAFETY: NULL or a live manager.
            unsafe { manager_ref(manager) }?.core.uninit_sdk();
            Ok(())
        },
    )
}

/// Logs in as `user_id` with `user_sig` (V2TIMManager::Login). Strings are copied.
///
/// The outcome goes to `callback` (copied) on the SDK event thread. Errors:
/// `V2TIM_ERR_INVALID_PARAMETERS` (NULL manager/strings, not UTF-8, empty user id),
/// `V2TIM_ERR_SDK_NOT_INITIALIZED`, `V2TIM_ERR_SVR_ACCOUNT_USERSIG_EXPIRED` /
/// `_INVALID`, network errors. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_login(
    manager: *mut V2TIMManager,
    user_id: *const c_char,
    user_sig: *const c_char,
    callback: V2TIMCallback,
) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_login", &once, (), || {
        // SAFETY: the host passes NULL or live pointers.
        let (m, user_id, user_sig) = unsafe {
            (
                manager_ref(manager)?,
                arg_id(user_id, "user_id")?,
                arg_str(user_sig, "user_sig")?,
            )
        };
        m.core.login(user_id, user_sig, once.completion());
        Ok(())
    })
}

/// Logs out (V2TIMManager::Logout). The outcome goes to `callback` (copied) on the SDK event
/// thread; a NULL manager is reported there as `V2TIM_ERR_INVALID_PARAMETERS`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_logout(manager: *mut V2TIMManager, callback: V2TIMCallback) {
    let once = Once::new(callback);
    guard::call_with_callback("v2tim_logout", &once, (), || {
        // SAFETY: NULL or a live manager.
        unsafe { manager_ref(manager) }?
            .core
            .logout(once.completion());
        Ok(())
    })
}

/// The logged-in user id ("" when logged out) (V2TIMManager::GetLoginUser).
///
/// Owned: free with `v2tim_string_free`. NULL manager returns NULL (last error set).
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_get_login_user(manager: *mut V2TIMManager) -> *mut c_char {
    guard::call(
        "v2tim_get_login_user",
        |_| std::ptr::null_mut(),
        || {
            // SAFETY: NULL or a live manager.
            let m = unsafe { manager_ref(manager) }?;
            Ok(to_owned_c(&m.core.get_login_user()))
        },
    )
}

/// The login status, a `V2TIMLoginStatus` (1 logged in, 2 logging in, 3 logged out)
/// (V2TIMManager::GetLoginStatus). NULL manager returns `V2TIM_STATUS_LOGOUT` with the last
/// error set. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_get_login_status(manager: *mut V2TIMManager) -> i32 {
    let logout = V2TIMLoginStatus::V2TIM_STATUS_LOGOUT as i32;
    guard::call(
        "v2tim_get_login_status",
        |_| logout,
        || {
            // SAFETY: NULL or a live manager.
            Ok(unsafe { manager_ref(manager) }?.core.get_login_status())
        },
    )
}

/// Server time in seconds since the Unix epoch, as last learned from the server (local time
/// before the first login) (V2TIMManager::GetServerTime). NULL manager returns 0 with the
/// last error set. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn v2tim_get_server_time(manager: *mut V2TIMManager) -> i64 {
    guard::call(
        "v2tim_get_server_time",
        |_| 0,
        || {
            // SAFETY: NULL or a live manager.
            Ok(unsafe { manager_ref(manager) }?.core.get_server_time())
        },
    )
}

/// Computes a UserSig (TLSSigAPIv2 format) for `user_id` of `sdk_app_id`, signed with
/// `secret_key` and valid `expire_seconds` from now. For tests, demos and servers: an app
/// must not ship its secret key.
///
/// Owned: free with `v2tim_string_free`. NULL, non-UTF-8 or empty arguments return NULL with
/// the last error `V2TIM_ERR_INVALID_PARAMETERS`. Thread-safe; needs no manager.
#[no_mangle]
pub unsafe extern "C" fn v2tim_gen_user_sig(
    sdk_app_id: u32,
    secret_key: *const c_char,
    user_id: *const c_char,
    expire_seconds: u32,
) -> *mut c_char {
    guard::call(
        "v2tim_gen_user_sig",
        |_| std::ptr::null_mut(),
        || {
            // SAFETY: NULL or NUL-terminated strings.
            let (key, user_id) = unsafe {
                (
                    arg_id(secret_key, "secret_key")?,
                    arg_id(user_id, "user_id")?,
                )
            };
            Ok(to_owned_c(&core::gen_user_sig(
                sdk_app_id,
                key,
                user_id,
                expire_seconds,
            )))
        },
    )
}
