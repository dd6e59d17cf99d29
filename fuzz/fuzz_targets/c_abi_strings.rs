//! The C entry points fed arbitrary bytes as strings (NUL-terminated; invalid UTF-8, empty
//! strings and NULLs included), through the same exported `extern "C"` functions a C host
//! calls.
//!
//! Input: byte 0 picks the call, byte 1 the manager and small numbers, the rest is split at
//! NUL bytes into string arguments; an argument that is exactly `0xFE` is passed as NULL.
//!
//! Managers, created once: none (NULL), created but not initialized, initialized on the
//! embedded server but not logged in, logged in as `alice` on the embedded server, and
//! initialized with a secret key (for logins with fuzzed UserSigs).
//!
//! Checked on every call: no panic (libFuzzer aborts on any panic, caught or not); the
//! thread's last error is 0 or a code `v2tim_error_desc` knows, never `V2TIM_ERR_PANIC`;
//! every call taking a callback gets exactly one completion within 10 s, with a known code;
//! calls without login fail; borrowed and owned strings are valid C strings.
#![no_main]

use std::ffi::{c_char, c_void, CStr, CString};
use std::ptr::{null, null_mut};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use v2tim::ffi::*;

struct Mgrs {
    uninit: *mut V2TIMManager,
    offline: *mut V2TIMManager,
    online: *mut V2TIMManager,
    keyed: *mut V2TIMManager,
}
unsafe impl Send for Mgrs {}
unsafe impl Sync for Mgrs {}

/// Completion of the one call in flight: (call number, code, success count + error count).
struct Done {
    awaited: usize,
    results: Vec<i32>,
}
static DONE: Mutex<Done> = Mutex::new(Done {
    awaited: 0,
    results: Vec::new(),
});
static CV: Condvar = Condvar::new();
/// Code used for "success" in the completion log.
const OK: i32 = 0;

fn record(user_data: *mut c_void, code: i32) {
    let mut d = DONE.lock().unwrap();
    if user_data as usize != d.awaited {
        eprintln!(
            "completion for call {} while awaiting {}",
            user_data as usize, d.awaited
        );
        std::process::abort();
    }
    d.results.push(code);
    CV.notify_all();
}

unsafe extern "C" fn cb_ok(ud: *mut c_void) {
    record(ud, OK);
}
unsafe extern "C" fn cb_err(ud: *mut c_void, code: i32, desc: *const c_char) {
    check_code(code);
    assert!(code != OK, "on_error with code 0");
    assert!(!desc.is_null(), "on_error with NULL desc");
    let _ = CStr::from_ptr(desc).to_bytes().len();
    record(ud, code);
}
unsafe extern "C" fn cb_str_ok(ud: *mut c_void, value: *const c_char) {
    assert!(!value.is_null());
    let _ = CStr::from_ptr(value);
    record(ud, OK);
}
unsafe extern "C" fn cb_msg_ok(ud: *mut c_void, msg: *const V2TIMMessage) {
    read_message(msg);
    record(ud, OK);
}
unsafe extern "C" fn cb_list_ok(ud: *mut c_void, list: *const V2TIMMessageList) {
    let n = v2tim_message_list_size(list);
    for i in 0..n {
        read_message(v2tim_message_list_get(list, i));
    }
    assert!(v2tim_message_list_get(list, n).is_null());
    free_owned(v2tim_message_list_to_json(list));
    record(ud, OK);
}
unsafe extern "C" fn cb_progress(_ud: *mut c_void, _p: u32) {}

fn check_code(code: i32) {
    assert!(
        code != V2TIM_ERR_PANIC,
        "a panic was caught at the C boundary"
    );
    // SAFETY: static string.
    let desc = unsafe { CStr::from_ptr(v2tim_error_desc(code)) };
    assert!(
        code == OK || desc.to_bytes() != b"unknown error",
        "unknown error code {code}"
    );
}

fn check_last_error() {
    let code = v2tim_last_error_code();
    check_code(code);
    // SAFETY: never NULL, borrowed.
    let _ = unsafe { CStr::from_ptr(v2tim_last_error_desc()) };
}

unsafe fn free_owned(s: *mut c_char) {
    if !s.is_null() {
        let _ = CStr::from_ptr(s).to_bytes().len();
        v2tim_string_free(s);
    }
}

unsafe fn borrowed(s: *const c_char) {
    if !s.is_null() {
        let _ = CStr::from_ptr(s).to_bytes().len();
    }
}

unsafe fn read_message(m: *const V2TIMMessage) {
    borrowed(v2tim_message_get_msg_id(m));
    borrowed(v2tim_message_get_sender(m));
    borrowed(v2tim_message_get_user_id(m));
    borrowed(v2tim_message_get_group_id(m));
    borrowed(v2tim_message_get_receiver(m));
    borrowed(v2tim_message_get_text(m));
    borrowed(v2tim_message_get_revoker(m));
    borrowed(v2tim_message_get_revoke_reason(m));
    borrowed(v2tim_message_get_custom_description(m));
    borrowed(v2tim_message_get_custom_extension(m));
    let mut len = usize::MAX;
    let data = v2tim_message_get_custom_data(m, &mut len);
    if !data.is_null() && len > 0 {
        let bytes = std::slice::from_raw_parts(data, len);
        let _ = bytes.iter().fold(0u8, |a, b| a ^ b);
    }
    let _ = v2tim_message_get_custom_data(m, null_mut());
    let _ = v2tim_message_get_status(m);
    let _ = v2tim_message_get_elem_type(m);
    let _ = v2tim_message_is_revoked(m);
    let _ = v2tim_message_is_self(m);
    let _ = v2tim_message_get_timestamp(m);
    let _ = v2tim_message_get_seq(m);
    let _ = v2tim_message_get_priority(m);
    let json = v2tim_message_to_json(m);
    if !json.is_null() {
        serde_json::from_slice::<serde_json::Value>(CStr::from_ptr(json).to_bytes())
            .expect("v2tim_message_to_json gives JSON");
    }
    free_owned(json);
}

fn call_no() -> usize {
    let mut d = DONE.lock().unwrap();
    d.awaited += 1;
    d.results.clear();
    d.awaited
}

/// Waits for the completion of call `n`; answers its code (0 = success).
fn wait(n: usize, what: &str) -> i32 {
    let d = DONE.lock().unwrap();
    let (d, t) = CV
        .wait_timeout_while(d, Duration::from_secs(10), |d| d.results.is_empty())
        .unwrap();
    assert!(
        !t.timed_out(),
        "{what}: no completion within 10 s (call {n})"
    );
    let code = d.results[0];
    drop(d);
    // Give a duplicate completion a moment to show up only in debug runs of single inputs.
    code
}

fn cb(n: usize) -> V2TIMCallback {
    V2TIMCallback {
        user_data: n as *mut c_void,
        on_success: Some(cb_ok),
        on_error: Some(cb_err),
    }
}
unsafe extern "C" fn cb_results_ok(ud: *mut c_void, _: *const V2TIMGroupMemberOperationResultList) {
    cb_ok(ud)
}
fn results_cb(n: usize) -> V2TIMGroupMemberOperationResultCallback {
    V2TIMGroupMemberOperationResultCallback {
        user_data: n as *mut c_void,
        on_success: Some(cb_results_ok),
        on_error: Some(cb_err),
    }
}
fn str_cb(n: usize) -> V2TIMStringCallback {
    V2TIMStringCallback {
        user_data: n as *mut c_void,
        on_success: Some(cb_str_ok),
        on_error: Some(cb_err),
    }
}
fn send_cb(n: usize) -> V2TIMSendCallback {
    V2TIMSendCallback {
        user_data: n as *mut c_void,
        on_success: Some(cb_msg_ok),
        on_error: Some(cb_err),
        on_progress: Some(cb_progress),
    }
}
fn list_cb(n: usize) -> V2TIMMessageListCallback {
    V2TIMMessageListCallback {
        user_data: n as *mut c_void,
        on_success: Some(cb_list_ok),
        on_error: Some(cb_err),
    }
}

fn init(m: *mut V2TIMManager, app: u32, key: Option<&CStr>) {
    let cfg = V2TIMSDKConfig {
        server_url: null(),
        data_dir: null(),
        log_level: 0,
        secret_key: key.map_or(null(), CStr::as_ptr),
    };
    // SAFETY: live manager and config.
    assert_eq!(unsafe { v2tim_init_sdk(m, app, &cfg) }, 0);
}

fn managers() -> &'static Mgrs {
    static M: OnceLock<Mgrs> = OnceLock::new();
    M.get_or_init(|| {
        let uninit = v2tim_manager_create();
        let offline = v2tim_manager_create();
        let online = v2tim_manager_create();
        let keyed = v2tim_manager_create();
        init(offline, 1400000101, None);
        init(online, 1400000102, None);
        init(keyed, 1400000103, Some(c"fuzz-key"));
        let n = call_no();
        // SAFETY: live manager, static strings.
        unsafe { v2tim_login(online, c"alice".as_ptr(), c"".as_ptr(), cb(n)) };
        assert_eq!(wait(n, "login"), 0, "alice logs in on the embedded server");
        Mgrs {
            uninit,
            offline,
            online,
            keyed,
        }
    })
}

struct Args {
    owned: Vec<Option<CString>>,
}

impl Args {
    fn new(rest: &[u8]) -> Args {
        let owned = rest
            .split(|&b| b == 0)
            .take(6)
            .map(|s| {
                if s == [0xFE] {
                    None
                } else {
                    Some(CString::new(s).expect("split at NUL"))
                }
            })
            .collect();
        Args { owned }
    }
    /// Argument `i` as a C string pointer: NULL for the `0xFE` marker, "" when absent.
    fn p(&self, i: usize) -> *const c_char {
        match self.owned.get(i) {
            Some(Some(s)) => s.as_ptr(),
            Some(None) => null(),
            None => c"".as_ptr(),
        }
    }
    fn bytes(&self, i: usize) -> (*const u8, usize) {
        match self.owned.get(i) {
            Some(Some(s)) => (s.as_ptr().cast(), s.as_bytes().len()),
            Some(None) => (null(), 0),
            None => (null(), 0),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let ms = managers();
    let (op, sel, args) = (data[0], data[1], Args::new(&data[2..]));
    let which = sel & 3;
    let m = match which {
        0 => null_mut(),
        1 => ms.uninit,
        2 => ms.offline,
        _ => ms.online,
    };
    let small = (sel >> 2) as i32; // 0..=63: counts, priorities, roles
    let logged_in = which == 3;
    // SAFETY: every pointer is NULL, a live manager/message, or a NUL-terminated string
    // that outlives the call (the SDK copies what it keeps).
    unsafe {
        match op % 12 {
            0 => {
                let expire = u32::from(sel) * 1000;
                let s = v2tim_gen_user_sig(1400000103, args.p(0), args.p(1), expire);
                check_last_error();
                if !s.is_null() {
                    // A generated sig logs in on the keyed manager only if the user id is
                    // valid; either way there is exactly one completion.
                    let n = call_no();
                    v2tim_login(ms.keyed, args.p(1), s, cb(n));
                    check_last_error();
                    if wait(n, "login (generated sig)") == OK {
                        let n = call_no();
                        v2tim_logout(ms.keyed, cb(n));
                        wait(n, "logout");
                    }
                    v2tim_string_free(s);
                }
            }
            1 | 2 => {
                let msg = if op % 12 == 1 {
                    v2tim_create_text_message(m, args.p(0))
                } else {
                    let (d, len) = args.bytes(0);
                    v2tim_create_custom_message(m, d, len, args.p(1), args.p(2))
                };
                check_last_error();
                if which < 2 {
                    assert!(
                        msg.is_null(),
                        "a message from a NULL / uninitialized manager"
                    );
                }
                if msg.is_null() {
                    return;
                }
                read_message(msg);
                let n = call_no();
                let id =
                    v2tim_send_message(m, msg, args.p(3), args.p(4), small % 5 - 1, send_cb(n));
                check_last_error();
                borrowed(id);
                let code = wait(n, "send");
                if !logged_in {
                    assert!(code != OK, "send without login succeeded");
                }
                read_message(msg);
                if code == OK {
                    let n = call_no();
                    v2tim_revoke_message_with_reason(m, msg, args.p(5), cb(n));
                    check_last_error();
                    let code = wait(n, "revoke");
                    read_message(msg);
                    if code == OK {
                        assert!(v2tim_message_is_revoked(msg));
                    }
                }
                v2tim_message_release(msg);
                check_last_error();
            }
            3 => {
                let n = call_no();
                v2tim_revoke_message_by_id(m, args.p(0), args.p(1), args.p(2), args.p(3), cb(n));
                check_last_error();
                let code = wait(n, "revoke by id");
                if !logged_in {
                    assert!(code != OK, "revoke without login succeeded");
                }
            }
            4 | 5 => {
                let n = call_no();
                let count = if sel & 0x80 != 0 { -small } else { small };
                if op % 12 == 4 {
                    v2tim_get_c2c_history_message_list(m, args.p(0), count, null(), list_cb(n));
                } else {
                    v2tim_get_group_history_message_list(m, args.p(0), count, null(), list_cb(n));
                }
                check_last_error();
                let code = wait(n, "history");
                if !logged_in {
                    assert!(code != OK, "history without login succeeded");
                }
            }
            6 => {
                let code = i32::from_le_bytes([
                    sel,
                    *data.get(2).unwrap_or(&0),
                    *data.get(3).unwrap_or(&0),
                    *data.get(4).unwrap_or(&0),
                ]);
                let d = v2tim_error_desc(code);
                assert!(!d.is_null());
                assert!(!CStr::from_ptr(d).to_bytes().is_empty());
            }
            7 => {
                let n = call_no();
                v2tim_create_group(m, args.p(0), args.p(1), args.p(2), str_cb(n));
                check_last_error();
                let code = wait(n, "create group");
                if !logged_in {
                    assert!(code != OK);
                }
            }
            8 => {
                let n = call_no();
                match small % 3 {
                    0 => v2tim_join_group(m, args.p(0), args.p(1), cb(n)),
                    1 => v2tim_quit_group(m, args.p(0), cb(n)),
                    _ => v2tim_set_group_member_role(
                        m,
                        args.p(0),
                        args.p(1),
                        100 * (small as u32 % 5),
                        cb(n),
                    ),
                }
                check_last_error();
                let code = wait(n, "group call");
                if !logged_in {
                    assert!(code != OK);
                }
            }
            9 => {
                let ids: Vec<*const c_char> = (1..6).map(|i| args.p(i)).collect();
                let n = call_no();
                let count = (small as usize) % 6;
                let list = if sel & 0x80 != 0 {
                    null()
                } else {
                    ids.as_ptr()
                };
                v2tim_invite_user_to_group(m, args.p(0), list, count, results_cb(n));
                check_last_error();
                let code = wait(n, "invite");
                if !logged_in {
                    assert!(code != OK);
                }
            }
            10 => {
                // Login with a fuzzed user id and UserSig against the keyed manager (the
                // embedded server checks the sig): refused unless genuine.
                let n = call_no();
                v2tim_login(ms.keyed, args.p(0), args.p(1), cb(n));
                check_last_error();
                if wait(n, "login (fuzzed sig)") == OK {
                    let n = call_no();
                    v2tim_logout(ms.keyed, cb(n));
                    wait(n, "logout");
                }
            }
            _ => {
                // Getters and NULL handles.
                free_owned(v2tim_get_login_user(m));
                check_last_error();
                let _ = v2tim_get_login_status(m);
                check_last_error();
                let _ = v2tim_get_server_time(m);
                check_last_error();
                read_message(null());
                check_last_error();
                assert!(v2tim_message_retain(null()).is_null());
                check_last_error();
                v2tim_message_release(null_mut());
                v2tim_string_free(null_mut());
                let _ = v2tim_message_list_size(null());
                assert!(v2tim_message_list_get(null(), small as usize).is_null());
                borrowed(v2tim_user_full_info_get_user_id(null()));
                free_owned(v2tim_user_full_info_to_json(null()));
                check_last_error();
            }
        }
    }
});
