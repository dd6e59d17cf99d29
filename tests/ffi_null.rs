//! Every exported C entry point, called from Rust with NULL for each pointer argument (and
//! invalid UTF-8 and empty ids where an id is required): each must report the documented
//! error (return value, last error, or `on_error` on the SDK event thread) and never crash.
//!
//! A live manager, where one is needed, runs on the embedded server and is never logged in:
//! everything here is argument checking, so nothing should reach a server.

use std::ffi::{c_char, c_void, CStr};
use std::ptr::{null, null_mut};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Mutex;
use std::time::Duration;

use v2tim::ffi::*;

const INVALID: i32 = V2TIM_ERR_INVALID_PARAMETERS;
const BAD_UTF8: &CStr = c"\xff\xfe";

/// What one callback reported.
#[derive(Debug)]
enum Outcome {
    Success,
    /// code, description, ran on the SDK event thread
    Error(i32, String, bool),
}

/// The `user_data` of every callback in these tests: a channel back to the test.
struct Probe {
    tx: Mutex<Sender<Outcome>>,
    rx: Receiver<Outcome>,
}

impl Probe {
    fn new() -> Box<Probe> {
        let (tx, rx) = channel();
        Box::new(Probe {
            tx: Mutex::new(tx),
            rx,
        })
    }

    fn ud(&self) -> *mut c_void {
        self as *const Probe as *mut c_void
    }

    /// Waits for the one outcome of a call and checks it is `code` mentioning `what`.
    fn expect_error(&self, code: i32, what: &str) {
        match self.rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Outcome::Error(c, desc, on_event_thread)) => {
                assert_eq!(c, code, "wrong code, desc {desc:?}");
                assert!(desc.contains(what), "{desc:?} should mention {what:?}");
                assert!(on_event_thread, "on_error must run on the SDK event thread");
            }
            other => panic!("expected error {code} ({what}), got {other:?}"),
        }
        // Exactly once: nothing else may follow.
        assert!(
            self.rx.recv_timeout(Duration::from_millis(50)).is_err(),
            "callback called twice"
        );
    }

    fn send(ud: *mut c_void, o: Outcome) {
        // SAFETY: every callback in this file gets a live `Probe` as user_data.
        let p = unsafe { &*(ud as *const Probe) };
        let _ = p.tx.lock().unwrap().send(o);
    }

    fn callback(&self) -> V2TIMCallback {
        V2TIMCallback {
            user_data: self.ud(),
            on_success: Some(ok0),
            on_error: Some(err),
        }
    }
    fn string_callback(&self) -> V2TIMStringCallback {
        V2TIMStringCallback {
            user_data: self.ud(),
            on_success: Some(ok_str),
            on_error: Some(err),
        }
    }
    fn send_callback(&self) -> V2TIMSendCallback {
        V2TIMSendCallback {
            user_data: self.ud(),
            on_success: Some(ok_msg),
            on_error: Some(err),
            on_progress: None,
        }
    }
    fn results_callback(&self) -> V2TIMGroupMemberOperationResultCallback {
        V2TIMGroupMemberOperationResultCallback {
            user_data: self.ud(),
            on_success: Some(ok_results),
            on_error: Some(err),
        }
    }
    fn groups_callback(&self) -> V2TIMGroupInfoListCallback {
        V2TIMGroupInfoListCallback {
            user_data: self.ud(),
            on_success: Some(ok_groups),
            on_error: Some(err),
        }
    }
    fn members_callback(&self) -> V2TIMGroupMemberInfoResultCallback {
        V2TIMGroupMemberInfoResultCallback {
            user_data: self.ud(),
            on_success: Some(ok_members),
            on_error: Some(err),
        }
    }
    fn list_callback(&self) -> V2TIMMessageListCallback {
        V2TIMMessageListCallback {
            user_data: self.ud(),
            on_success: Some(ok_list),
            on_error: Some(err),
        }
    }
}

unsafe extern "C" fn ok0(ud: *mut c_void) {
    Probe::send(ud, Outcome::Success)
}
unsafe extern "C" fn ok_str(ud: *mut c_void, _: *const c_char) {
    Probe::send(ud, Outcome::Success)
}
unsafe extern "C" fn ok_msg(ud: *mut c_void, _: *const V2TIMMessage) {
    Probe::send(ud, Outcome::Success)
}
unsafe extern "C" fn ok_list(ud: *mut c_void, _: *const V2TIMMessageList) {
    Probe::send(ud, Outcome::Success)
}
unsafe extern "C" fn ok_results(ud: *mut c_void, _: *const V2TIMGroupMemberOperationResultList) {
    Probe::send(ud, Outcome::Success)
}
unsafe extern "C" fn ok_groups(ud: *mut c_void, _: *const V2TIMGroupInfoList) {
    Probe::send(ud, Outcome::Success)
}
unsafe extern "C" fn ok_members(ud: *mut c_void, _: *const V2TIMGroupMemberFullInfoList, _: u64) {
    Probe::send(ud, Outcome::Success)
}
unsafe extern "C" fn err(ud: *mut c_void, code: i32, desc: *const c_char) {
    // SAFETY: the SDK passes a valid string for the duration of the call.
    let desc = unsafe { CStr::from_ptr(desc) }
        .to_string_lossy()
        .into_owned();
    Probe::send(
        ud,
        Outcome::Error(code, desc, v2tim::core::is_event_thread()),
    )
}

/// Checks the calling thread's last error.
fn last_error(code: i32, what: &str) {
    assert_eq!(v2tim_last_error_code(), code);
    // SAFETY: never NULL, valid until the next v2tim call on this thread.
    let desc = unsafe { CStr::from_ptr(v2tim_last_error_desc()) }
        .to_str()
        .unwrap()
        .to_owned();
    assert!(desc.contains(what), "{desc:?} should mention {what:?}");
}

/// An initialized manager on the embedded server of `app`, not logged in.
fn manager(app: u32) -> *mut V2TIMManager {
    let m = v2tim_manager_create();
    assert!(!m.is_null());
    let cfg = V2TIMSDKConfig {
        server_url: null(),
        data_dir: null(),
        log_level: 0,
        secret_key: null(),
    };
    // SAFETY: live manager and config.
    assert_eq!(unsafe { v2tim_init_sdk(m, app, &cfg) }, V2TIM_SUCC);
    m
}

#[test]
fn error_reporting_basics() {
    // SAFETY: static strings, never NULL.
    let d = |c| {
        unsafe { CStr::from_ptr(v2tim_error_desc(c)) }
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(d(V2TIM_SUCC), "success");
    assert!(d(INVALID).contains("invalid"));
    assert_eq!(d(123_456_789), "unknown error");
    // SAFETY: NULL is documented as a no-op.
    unsafe { v2tim_string_free(null_mut()) };
    last_error(0, "");
}

#[test]
fn manager_lifecycle_with_null() {
    unsafe {
        v2tim_manager_destroy(null_mut()); // no-op
        assert_eq!(v2tim_last_error_code(), 0);

        let cfg = V2TIMSDKConfig {
            server_url: null(),
            data_dir: null(),
            log_level: 0,
            secret_key: null(),
        };
        assert_eq!(v2tim_init_sdk(null_mut(), 1, &cfg), INVALID);
        last_error(INVALID, "manager is NULL");

        let m = v2tim_manager_create();
        assert_eq!(v2tim_init_sdk(m, 1_400_000_101, null()), INVALID);
        last_error(INVALID, "config is NULL");
        let bad = V2TIMSDKConfig {
            server_url: BAD_UTF8.as_ptr(),
            ..cfg
        };
        assert_eq!(v2tim_init_sdk(m, 1_400_000_101, &bad), INVALID);
        last_error(INVALID, "config.server_url is not valid UTF-8");
        let bad = V2TIMSDKConfig {
            secret_key: BAD_UTF8.as_ptr(),
            ..cfg
        };
        assert_eq!(v2tim_init_sdk(m, 1_400_000_101, &bad), INVALID);
        last_error(INVALID, "secret_key");
        let bad = V2TIMSDKConfig {
            data_dir: BAD_UTF8.as_ptr(),
            ..cfg
        };
        assert_eq!(v2tim_init_sdk(m, 1_400_000_101, &bad), INVALID);
        last_error(INVALID, "data_dir");
        // A successful call clears the last error.
        assert_eq!(v2tim_init_sdk(m, 1_400_000_101, &cfg), V2TIM_SUCC);
        assert_eq!(v2tim_last_error_code(), 0);

        v2tim_uninit_sdk(null_mut());
        last_error(INVALID, "manager is NULL");

        assert!(v2tim_get_login_user(null_mut()).is_null());
        last_error(INVALID, "manager is NULL");
        assert_eq!(
            v2tim_get_login_status(null_mut()),
            V2TIMLoginStatus::V2TIM_STATUS_LOGOUT as i32
        );
        last_error(INVALID, "manager is NULL");
        assert_eq!(v2tim_get_server_time(null_mut()), 0);
        last_error(INVALID, "manager is NULL");

        let user = v2tim_get_login_user(m);
        assert_eq!(CStr::from_ptr(user).to_bytes(), b"");
        v2tim_string_free(user);
        assert_eq!(
            v2tim_get_login_status(m),
            V2TIMLoginStatus::V2TIM_STATUS_LOGOUT as i32
        );
        v2tim_manager_destroy(m);

        // The process-wide instance: stable, and destroy only uninitializes it.
        let a = v2tim_manager_get_instance();
        assert_eq!(a, v2tim_manager_get_instance());
        v2tim_manager_destroy(a);
        assert_eq!(
            v2tim_get_login_status(a),
            V2TIMLoginStatus::V2TIM_STATUS_LOGOUT as i32
        );
        assert_eq!(v2tim_last_error_code(), 0);
    }
}

#[test]
fn gen_user_sig_with_null() {
    unsafe {
        assert!(v2tim_gen_user_sig(1, null(), c"alice".as_ptr(), 60).is_null());
        last_error(INVALID, "secret_key is NULL");
        assert!(v2tim_gen_user_sig(1, c"key".as_ptr(), null(), 60).is_null());
        last_error(INVALID, "user_id is NULL");
        assert!(v2tim_gen_user_sig(1, c"key".as_ptr(), c"".as_ptr(), 60).is_null());
        last_error(INVALID, "user_id is empty");
        assert!(v2tim_gen_user_sig(1, c"key".as_ptr(), BAD_UTF8.as_ptr(), 60).is_null());
        last_error(INVALID, "user_id is not valid UTF-8");
        let sig = v2tim_gen_user_sig(1, c"key".as_ptr(), c"alice".as_ptr(), 60);
        assert!(!sig.is_null());
        assert!(!CStr::from_ptr(sig).to_bytes().is_empty());
        v2tim_string_free(sig);
    }
}

#[test]
fn login_logout_with_null() {
    let m = manager(1_400_000_102);
    let p = Probe::new();
    unsafe {
        let sig = c"sig".as_ptr();
        v2tim_login(null_mut(), c"alice".as_ptr(), sig, p.callback());
        p.expect_error(INVALID, "manager is NULL");
        last_error(INVALID, "manager is NULL");
        v2tim_login(m, null(), sig, p.callback());
        p.expect_error(INVALID, "user_id is NULL");
        v2tim_login(m, c"".as_ptr(), sig, p.callback());
        p.expect_error(INVALID, "user_id is empty");
        v2tim_login(m, BAD_UTF8.as_ptr(), sig, p.callback());
        p.expect_error(INVALID, "user_id is not valid UTF-8");
        v2tim_login(m, c"alice".as_ptr(), null(), p.callback());
        p.expect_error(INVALID, "user_sig is NULL");
        v2tim_login(m, c"alice".as_ptr(), BAD_UTF8.as_ptr(), p.callback());
        p.expect_error(INVALID, "user_sig is not valid UTF-8");
        v2tim_logout(null_mut(), p.callback());
        p.expect_error(INVALID, "manager is NULL");

        // NULL function pointers: the error is simply not delivered, and nothing crashes.
        let silent = V2TIMCallback {
            user_data: null_mut(),
            on_success: None,
            on_error: None,
        };
        v2tim_login(m, null(), null(), silent);
        last_error(INVALID, "user_id is NULL");
        v2tim_manager_destroy(m);
    }
}

#[test]
fn messages_with_null() {
    let m = manager(1_400_000_103);
    let p = Probe::new();
    unsafe {
        assert!(v2tim_create_text_message(null_mut(), c"hi".as_ptr()).is_null());
        last_error(INVALID, "manager is NULL");
        assert!(v2tim_create_text_message(m, null()).is_null());
        last_error(INVALID, "text is NULL");
        assert!(v2tim_create_text_message(m, BAD_UTF8.as_ptr()).is_null());
        last_error(INVALID, "text is not valid UTF-8");

        let data = [1u8, 2, 3];
        assert!(
            v2tim_create_custom_message(null_mut(), data.as_ptr(), 3, null(), null()).is_null()
        );
        last_error(INVALID, "manager is NULL");
        assert!(v2tim_create_custom_message(m, null(), 3, null(), null()).is_null());
        last_error(INVALID, "data is NULL");
        let bad = BAD_UTF8.as_ptr();
        assert!(v2tim_create_custom_message(m, data.as_ptr(), 3, bad, null()).is_null());
        last_error(INVALID, "description is not valid UTF-8");
        assert!(v2tim_create_custom_message(m, data.as_ptr(), 3, null(), bad).is_null());
        last_error(INVALID, "extension is not valid UTF-8");
        // NULL data with len 0 is an empty custom message; NULL strings read as "".
        let empty = v2tim_create_custom_message(m, null(), 0, null(), null());
        assert!(!empty.is_null());
        let mut len = 7usize;
        assert!(v2tim_message_get_custom_data(empty, &mut len).is_null());
        assert_eq!(len, 0);
        v2tim_message_release(empty);

        let msg = v2tim_create_text_message(m, c"hi".as_ptr());
        assert!(!msg.is_null());
        let to = c"bob".as_ptr();
        assert!(v2tim_send_message(null_mut(), msg, to, null(), 0, p.send_callback()).is_null());
        p.expect_error(INVALID, "manager is NULL");
        assert!(v2tim_send_message(m, null_mut(), to, null(), 0, p.send_callback()).is_null());
        p.expect_error(INVALID, "message is NULL");
        last_error(INVALID, "message is NULL");
        // A bad target is the core's to refuse; the message id is still returned.
        assert!(!v2tim_send_message(m, msg, null(), null(), 0, p.send_callback()).is_null());
        p.expect_error(INVALID, "exactly one of receiver and group_id");
        let g = c"group".as_ptr();
        assert!(!v2tim_send_message(m, msg, to, g, 0, p.send_callback()).is_null());
        p.expect_error(INVALID, "exactly one of receiver and group_id");
        assert!(v2tim_send_message(m, msg, bad, null(), 0, p.send_callback()).is_null());
        p.expect_error(INVALID, "receiver is not valid UTF-8");
        assert!(v2tim_send_message(m, msg, null(), bad, 0, p.send_callback()).is_null());
        p.expect_error(INVALID, "group_id is not valid UTF-8");
        // Not logged in: the core's error, through the same callback; the id is returned.
        let id = v2tim_send_message(m, msg, to, null(), 0, p.send_callback());
        assert_eq!(id, v2tim_message_get_msg_id(msg));
        p.expect_error(V2TIM_ERR_SDK_NOT_LOGGED_IN, "");
        // The flags form: the same checks, and unknown bits refused by name.
        let send = |mgr, msg, to, flags| {
            v2tim_send_message_with_flags(mgr, msg, to, null(), 0, flags, p.send_callback())
        };
        assert!(send(null_mut(), msg, to, 1).is_null());
        p.expect_error(INVALID, "manager is NULL");
        assert!(send(m, null_mut(), to, 1).is_null());
        p.expect_error(INVALID, "message is NULL");
        assert!(send(m, msg, bad, 1).is_null());
        p.expect_error(INVALID, "receiver is not valid UTF-8");
        assert!(send(m, msg, to, 0x8000_0001).is_null());
        p.expect_error(INVALID, "0x80000000");
        assert!(!send(m, msg, to, 1).is_null());
        p.expect_error(V2TIM_ERR_SDK_NOT_LOGGED_IN, "");

        assert!(v2tim_message_retain(null()).is_null());
        last_error(INVALID, "message is NULL");
        v2tim_message_release(null_mut()); // no-op
        assert_eq!(v2tim_last_error_code(), 0);

        let mut len = 5usize;
        assert!(v2tim_message_get_custom_data(msg, null_mut()).is_null());
        last_error(INVALID, "len is NULL");
        assert!(v2tim_message_get_custom_data(null(), &mut len).is_null());
        assert_eq!(len, 0);
        last_error(INVALID, "message is NULL");

        type StrGetter = unsafe extern "C" fn(*const V2TIMMessage) -> *const c_char;
        let getters: [StrGetter; 10] = [
            v2tim_message_get_msg_id,
            v2tim_message_get_sender,
            v2tim_message_get_user_id,
            v2tim_message_get_group_id,
            v2tim_message_get_receiver,
            v2tim_message_get_text,
            v2tim_message_get_revoker,
            v2tim_message_get_revoke_reason,
            v2tim_message_get_custom_description,
            v2tim_message_get_custom_extension,
        ];
        for g in getters {
            assert!(g(null()).is_null());
            last_error(INVALID, "message is NULL");
            assert!(!g(msg).is_null());
            assert_eq!(v2tim_last_error_code(), 0);
        }
        assert_eq!(v2tim_message_get_status(null()), 0);
        last_error(INVALID, "message is NULL");
        assert_eq!(v2tim_message_get_elem_type(null()), 0);
        last_error(INVALID, "message is NULL");
        assert!(!v2tim_message_is_revoked(null()));
        last_error(INVALID, "message is NULL");
        assert!(!v2tim_message_is_self(null()));
        last_error(INVALID, "message is NULL");
        assert_eq!(v2tim_message_get_timestamp(null()), 0);
        last_error(INVALID, "message is NULL");
        assert_eq!(v2tim_message_get_seq(null()), 0);
        last_error(INVALID, "message is NULL");
        assert_eq!(v2tim_message_get_priority(null()), 0);
        last_error(INVALID, "message is NULL");
        assert!(v2tim_message_to_json(null()).is_null());
        last_error(INVALID, "message is NULL");

        assert_eq!(
            CStr::from_ptr(v2tim_message_get_text(msg)).to_bytes(),
            b"hi"
        );
        assert_eq!(
            v2tim_message_get_elem_type(msg),
            V2TIMElemType::V2TIM_ELEM_TYPE_TEXT as i32
        );
        let json = v2tim_message_to_json(msg);
        assert!(CStr::from_ptr(json)
            .to_str()
            .unwrap()
            .contains("\"text\":\"hi\""));
        v2tim_string_free(json);
        v2tim_message_release(msg);
        v2tim_manager_destroy(m);
    }
}

#[test]
fn listeners_with_null() {
    let m = manager(1_400_000_104);
    unsafe {
        let adv = V2TIMAdvancedMsgListener {
            user_data: null_mut(),
            on_recv_new_message: None,
            on_recv_message_revoked: None,
        };
        let sdk = V2TIMSDKListener {
            user_data: null_mut(),
            on_connecting: None,
            on_connect_success: None,
            on_connect_failed: None,
            on_kicked_offline: None,
            on_user_sig_expired: None,
            on_self_info_updated: None,
        };
        v2tim_add_advanced_msg_listener(null_mut(), &adv);
        last_error(INVALID, "manager is NULL");
        v2tim_add_advanced_msg_listener(m, null());
        last_error(INVALID, "listener is NULL");
        v2tim_remove_advanced_msg_listener(null_mut(), &adv);
        last_error(INVALID, "manager is NULL");
        v2tim_remove_advanced_msg_listener(m, null());
        last_error(INVALID, "listener is NULL");
        v2tim_add_sdk_listener(null_mut(), &sdk);
        last_error(INVALID, "manager is NULL");
        v2tim_add_sdk_listener(m, null());
        last_error(INVALID, "listener is NULL");
        v2tim_remove_sdk_listener(null_mut(), &sdk);
        last_error(INVALID, "manager is NULL");
        v2tim_remove_sdk_listener(m, null());
        last_error(INVALID, "listener is NULL");
        // All-NULL listeners register and unregister cleanly.
        v2tim_add_advanced_msg_listener(m, &adv);
        v2tim_add_sdk_listener(m, &sdk);
        v2tim_remove_advanced_msg_listener(m, &adv);
        v2tim_remove_sdk_listener(m, &sdk);
        assert_eq!(v2tim_last_error_code(), 0);
        v2tim_manager_destroy(m);
    }
}

#[test]
fn history_with_null() {
    let m = manager(1_400_000_105);
    let p = Probe::new();
    unsafe {
        type History = unsafe extern "C" fn(
            *mut V2TIMManager,
            *const c_char,
            i32,
            *const V2TIMMessage,
            V2TIMMessageListCallback,
        );
        let calls: [(History, &str); 2] = [
            (v2tim_get_c2c_history_message_list, "user_id"),
            (v2tim_get_group_history_message_list, "group_id"),
        ];
        for (f, what) in calls {
            f(null_mut(), c"x".as_ptr(), 10, null(), p.list_callback());
            p.expect_error(INVALID, "manager is NULL");
            f(m, null(), 10, null(), p.list_callback());
            p.expect_error(INVALID, &format!("{what} is NULL"));
            f(m, c"".as_ptr(), 10, null(), p.list_callback());
            p.expect_error(INVALID, &format!("{what} is empty"));
            f(m, BAD_UTF8.as_ptr(), 10, null(), p.list_callback());
            p.expect_error(INVALID, &format!("{what} is not valid UTF-8"));
            // last_msg NULL is valid (newest page): the core then says "not logged in".
            f(m, c"x".as_ptr(), 10, null(), p.list_callback());
            p.expect_error(V2TIM_ERR_SDK_NOT_LOGGED_IN, "");
        }

        let option = |user: *const c_char, group: *const c_char| V2TIMMessageListGetOption {
            get_type: 1,
            user_id: user,
            group_id: group,
            count: 10,
            last_msg: null(),
            last_msg_seq: 0,
            get_time_begin: 0,
            get_time_period: 0,
            message_types: null(),
            message_type_count: 0,
        };
        let o = option(c"x".as_ptr(), null());
        v2tim_get_history_message_list(null_mut(), &o, p.list_callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_get_history_message_list(m, null(), p.list_callback());
        p.expect_error(INVALID, "option is NULL");
        v2tim_get_history_message_list(m, &option(BAD_UTF8.as_ptr(), null()), p.list_callback());
        p.expect_error(INVALID, "user_id is not valid UTF-8");
        v2tim_get_history_message_list(m, &option(null(), BAD_UTF8.as_ptr()), p.list_callback());
        p.expect_error(INVALID, "group_id is not valid UTF-8");
        v2tim_get_history_message_list(m, &option(null(), null()), p.list_callback());
        p.expect_error(INVALID, "exactly one of userID and groupID");
        let types = V2TIMMessageListGetOption {
            message_type_count: 2,
            ..option(c"x".as_ptr(), null())
        };
        v2tim_get_history_message_list(m, &types, p.list_callback());
        p.expect_error(INVALID, "message_types is NULL");
        v2tim_get_history_message_list(m, &o, p.list_callback());
        p.expect_error(V2TIM_ERR_SDK_NOT_LOGGED_IN, "");

        assert_eq!(v2tim_message_list_size(null()), 0);
        last_error(INVALID, "list is NULL");
        assert!(v2tim_message_list_get(null(), 0).is_null());
        last_error(INVALID, "list is NULL");
        assert!(v2tim_message_list_to_json(null()).is_null());
        last_error(INVALID, "list is NULL");
        v2tim_manager_destroy(m);
    }
}

#[test]
fn revoke_with_null() {
    let m = manager(1_400_000_107);
    let p = Probe::new();
    let bad = BAD_UTF8.as_ptr();
    unsafe {
        v2tim_revoke_message(null_mut(), null(), p.callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_revoke_message(m, null(), p.callback());
        p.expect_error(INVALID, "message is NULL");
        v2tim_revoke_message_with_reason(m, null(), c"why".as_ptr(), p.callback());
        p.expect_error(INVALID, "message is NULL");
        let msg = v2tim_create_text_message(m, c"never sent".as_ptr());
        v2tim_revoke_message_with_reason(m, msg, bad, p.callback());
        p.expect_error(INVALID, "reason is not valid UTF-8");
        // A message the server never accepted cannot be recalled.
        v2tim_revoke_message_with_reason(m, msg, null(), p.callback());
        p.expect_error(INVALID, "never accepted");
        v2tim_message_release(msg);

        let id = c"0123456789abcdef".as_ptr();
        v2tim_revoke_message_by_id(
            null_mut(),
            c"bob".as_ptr(),
            null(),
            id,
            null(),
            p.callback(),
        );
        p.expect_error(INVALID, "manager is NULL");
        v2tim_revoke_message_by_id(m, c"bob".as_ptr(), null(), null(), null(), p.callback());
        p.expect_error(INVALID, "msg_id is NULL");
        v2tim_revoke_message_by_id(
            m,
            c"bob".as_ptr(),
            null(),
            c"".as_ptr(),
            null(),
            p.callback(),
        );
        p.expect_error(INVALID, "msg_id is empty");
        v2tim_revoke_message_by_id(m, bad, null(), id, null(), p.callback());
        p.expect_error(INVALID, "user_id is not valid UTF-8");
        v2tim_revoke_message_by_id(m, null(), bad, id, null(), p.callback());
        p.expect_error(INVALID, "group_id is not valid UTF-8");
        v2tim_revoke_message_by_id(m, null(), null(), id, null(), p.callback());
        p.expect_error(INVALID, "exactly one of user_id and group_id");
        v2tim_revoke_message_by_id(m, c"bob".as_ptr(), c"g".as_ptr(), id, null(), p.callback());
        p.expect_error(INVALID, "exactly one of user_id and group_id");
        // Well-formed, but this manager never logged in.
        v2tim_revoke_message_by_id(m, c"bob".as_ptr(), null(), id, null(), p.callback());
        p.expect_error(V2TIM_ERR_SDK_NOT_LOGGED_IN, "");
        v2tim_manager_destroy(m);
    }
}

#[test]
fn groups_with_null() {
    let m = manager(1_400_000_106);
    let p = Probe::new();
    let bad = BAD_UTF8.as_ptr();
    let (work, g, name) = (c"Work".as_ptr(), c"g1".as_ptr(), c"name".as_ptr());
    unsafe {
        v2tim_create_group(null_mut(), work, g, name, p.string_callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_create_group(m, null(), g, name, p.string_callback());
        p.expect_error(INVALID, "group_type is NULL");
        v2tim_create_group(m, c"".as_ptr(), g, name, p.string_callback());
        p.expect_error(INVALID, "group_type is empty");
        v2tim_create_group(m, work, bad, name, p.string_callback());
        p.expect_error(INVALID, "group_id is not valid UTF-8");
        v2tim_create_group(m, work, g, null(), p.string_callback());
        p.expect_error(INVALID, "group_name is NULL");
        v2tim_create_group(m, work, g, bad, p.string_callback());
        p.expect_error(INVALID, "group_name is not valid UTF-8");

        v2tim_join_group(null_mut(), g, null(), p.callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_join_group(m, null(), null(), p.callback());
        p.expect_error(INVALID, "group_id is NULL");
        v2tim_join_group(m, c"".as_ptr(), null(), p.callback());
        p.expect_error(INVALID, "group_id is empty");
        v2tim_join_group(m, g, bad, p.callback());
        p.expect_error(INVALID, "message is not valid UTF-8");

        v2tim_quit_group(null_mut(), g, p.callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_quit_group(m, null(), p.callback());
        p.expect_error(INVALID, "group_id is NULL");
        v2tim_quit_group(m, bad, p.callback());
        p.expect_error(INVALID, "group_id is not valid UTF-8");

        let ids = [c"bob".as_ptr(), null()];
        v2tim_invite_user_to_group(null_mut(), g, ids.as_ptr(), 1, p.results_callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_invite_user_to_group(m, null(), ids.as_ptr(), 1, p.results_callback());
        p.expect_error(INVALID, "group_id is NULL");
        v2tim_invite_user_to_group(m, g, null(), 1, p.results_callback());
        p.expect_error(INVALID, "user_ids is NULL");
        v2tim_invite_user_to_group(m, g, ids.as_ptr(), 0, p.results_callback());
        p.expect_error(INVALID, "user_ids is empty");
        v2tim_invite_user_to_group(m, g, ids.as_ptr(), 2, p.results_callback());
        p.expect_error(INVALID, "user_ids[1] is NULL");
        let ids = [c"bob".as_ptr(), c"".as_ptr()];
        v2tim_invite_user_to_group(m, g, ids.as_ptr(), 2, p.results_callback());
        p.expect_error(INVALID, "user_ids[1] is empty");
        let ids = [bad];
        v2tim_invite_user_to_group(m, g, ids.as_ptr(), 1, p.results_callback());
        p.expect_error(INVALID, "user_ids[0] is not valid UTF-8");

        // The other calls that take a list of ids share the invitation's checks.
        v2tim_kick_group_member(m, g, null(), 1, null(), p.results_callback());
        p.expect_error(INVALID, "user_ids is NULL");
        let ids = [c"bob".as_ptr()];
        v2tim_kick_group_member(null_mut(), g, ids.as_ptr(), 1, null(), p.results_callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_kick_group_member(m, g, ids.as_ptr(), 1, bad, p.results_callback());
        p.expect_error(INVALID, "reason is not valid UTF-8");
        v2tim_get_groups_info(m, null(), 1, p.groups_callback());
        p.expect_error(INVALID, "group_ids is NULL");
        v2tim_get_groups_info(null_mut(), ids.as_ptr(), 1, p.groups_callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_get_joined_group_list(null_mut(), p.groups_callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_get_group_member_list(m, null(), 0, 0, p.members_callback());
        p.expect_error(INVALID, "group_id is NULL");
        v2tim_get_group_member_list(null_mut(), g, 0, 0, p.members_callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_dismiss_group(m, null(), p.callback());
        p.expect_error(INVALID, "group_id is NULL");
        v2tim_dismiss_group(null_mut(), g, p.callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_create_group_with_info(m, null(), null(), 0, p.string_callback());
        p.expect_error(INVALID, "info is NULL");
        v2tim_set_group_info(m, null(), 1, p.callback());
        p.expect_error(INVALID, "info is NULL");
        let info = V2TIMGroupInfoParam {
            group_type: null(),
            group_id: g,
            group_name: bad,
            notification: null(),
            introduction: null(),
            face_url: null(),
        };
        v2tim_create_group_with_info(m, &info, null(), 0, p.string_callback());
        p.expect_error(INVALID, "info.group_name is not valid UTF-8");
        v2tim_set_group_info(null_mut(), &info, 1, p.callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_add_group_listener(m, null());
        last_error(INVALID, "listener is NULL");
        v2tim_remove_group_listener(null_mut(), null());
        last_error(INVALID, "manager is NULL");

        // Getters of values lent to callbacks: NULL in, fallback out, last error set.
        assert!(v2tim_message_get_group_tips_elem(null()).is_null());
        last_error(INVALID, "message is NULL");
        assert_eq!(v2tim_group_tips_get_type(null()), 0);
        last_error(INVALID, "NULL");
        assert!(v2tim_group_tips_get_op_member(null()).is_null());
        assert!(v2tim_group_tips_get_change_info_value(null(), 0).is_null());
        assert!(v2tim_group_member_info_get_user_id(null()).is_null());
        assert_eq!(v2tim_group_member_info_list_size(null()), 0);
        assert!(v2tim_group_member_info_list_get(null(), 0).is_null());
        assert!(v2tim_group_info_get_group_id(null()).is_null());
        assert_eq!(v2tim_group_info_list_size(null()), 0);
        assert_eq!(v2tim_group_info_list_get_result_code(null(), 0), INVALID);
        assert!(v2tim_group_info_list_get(null(), 0).is_null());
        assert_eq!(v2tim_group_member_operation_result_list_size(null()), 0);
        assert!(v2tim_group_member_operation_result_list_get_user_id(null(), 0).is_null());
        last_error(INVALID, "list is NULL");

        let bob = c"bob".as_ptr();
        v2tim_set_group_member_role(null_mut(), g, bob, 300, p.callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_set_group_member_role(m, null(), bob, 300, p.callback());
        p.expect_error(INVALID, "group_id is NULL");
        v2tim_set_group_member_role(m, g, null(), 300, p.callback());
        p.expect_error(INVALID, "user_id is NULL");
        v2tim_set_group_member_role(m, g, c"".as_ptr(), 300, p.callback());
        p.expect_error(INVALID, "user_id is empty");
        v2tim_manager_destroy(m);
    }
}

#[test]
fn user_full_info_with_null() {
    unsafe {
        assert!(v2tim_user_full_info_get_user_id(null()).is_null());
        last_error(INVALID, "info is NULL");
        assert!(v2tim_user_full_info_get_nick_name(null()).is_null());
        last_error(INVALID, "info is NULL");
        assert!(v2tim_user_full_info_get_face_url(null()).is_null());
        last_error(INVALID, "info is NULL");
        assert!(v2tim_user_full_info_to_json(null()).is_null());
        last_error(INVALID, "info is NULL");
    }
}

unsafe extern "C" fn ok_page(ud: *mut c_void, _: *const V2TIMConversationList, _: u64, _: bool) {
    Probe::send(ud, Outcome::Success)
}
unsafe extern "C" fn ok_conv(ud: *mut c_void, _: *const V2TIMConversation) {
    Probe::send(ud, Outcome::Success)
}
unsafe extern "C" fn ok_u64(ud: *mut c_void, _: u64) {
    Probe::send(ud, Outcome::Success)
}

#[test]
fn conversations_with_null() {
    let m = manager(1_400_000_107);
    let p = Probe::new();
    let page = V2TIMConversationResultCallback {
        user_data: p.ud(),
        on_success: Some(ok_page),
        on_error: Some(err),
    };
    let one = V2TIMConversationCallback {
        user_data: p.ud(),
        on_success: Some(ok_conv),
        on_error: Some(err),
    };
    let number = V2TIMUint64Callback {
        user_data: p.ud(),
        on_success: Some(ok_u64),
        on_error: Some(err),
    };
    unsafe {
        v2tim_get_conversation_list(null_mut(), 0, 10, page);
        p.expect_error(INVALID, "manager is NULL");
        v2tim_get_conversation_list(m, 0, 0, page);
        p.expect_error(INVALID, "count must be 1 to 100");
        v2tim_get_conversation_list(m, 0, 10, page);
        p.expect_error(V2TIM_ERR_SDK_NOT_LOGGED_IN, "");
        v2tim_get_conversation(m, null(), one);
        p.expect_error(INVALID, "conversation_id is NULL");
        v2tim_get_conversation(m, BAD_UTF8.as_ptr(), one);
        p.expect_error(INVALID, "conversation_id is not valid UTF-8");
        v2tim_get_conversation(m, c"bob".as_ptr(), one);
        p.expect_error(INVALID, "neither \"c2c_<userID>\" nor \"group_<groupID>\"");
        v2tim_get_conversation(m, c"c2c_".as_ptr(), one);
        p.expect_error(
            V2TIM_ERR_SDK_COMM_INVALID_IDENTIFIER,
            "the user id of conversation_id",
        );
        v2tim_get_total_unread_message_count(null_mut(), number);
        p.expect_error(INVALID, "manager is NULL");
        v2tim_clean_conversation_unread_message_count(m, null(), 0, 0, p.callback());
        p.expect_error(INVALID, "conversation_id is NULL");
        v2tim_clean_conversation_unread_message_count(m, c"c2c_bob".as_ptr(), 0, 0, p.callback());
        p.expect_error(V2TIM_ERR_SDK_NOT_LOGGED_IN, "");
        v2tim_mark_c2c_message_as_read(m, null(), p.callback());
        p.expect_error(INVALID, "user_id is NULL");
        v2tim_mark_group_message_as_read(m, c"".as_ptr(), p.callback());
        p.expect_error(INVALID, "group_id is empty");
        v2tim_add_conversation_listener(m, null());
        last_error(INVALID, "listener is NULL");
        v2tim_remove_conversation_listener(null_mut(), null());
        last_error(INVALID, "manager is NULL");

        assert_eq!(v2tim_conversation_list_size(null()), 0);
        last_error(INVALID, "list is NULL");
        assert!(v2tim_conversation_list_get(null(), 0).is_null());
        last_error(INVALID, "list is NULL");
        assert_eq!(v2tim_conversation_get_type(null()), 0);
        last_error(INVALID, "conversation is NULL");
        assert_eq!(v2tim_conversation_get_unread_count(null()), 0);
        assert_eq!(v2tim_conversation_get_order_key(null()), 0);
        assert!(v2tim_conversation_get_last_message(null()).is_null());
        for getter in [
            v2tim_conversation_get_conversation_id,
            v2tim_conversation_get_user_id,
            v2tim_conversation_get_group_id,
            v2tim_conversation_get_show_name,
            v2tim_conversation_get_face_url,
            v2tim_conversation_get_group_type,
        ] {
            assert_eq!(CStr::from_ptr(getter(null())).to_bytes(), b"");
            last_error(INVALID, "conversation is NULL");
        }
        v2tim_manager_destroy(m);
    }
}

unsafe extern "C" fn ok_users(ud: *mut c_void, _: *const V2TIMUserFullInfoList) {
    Probe::send(ud, Outcome::Success)
}

#[test]
fn profiles_with_null() {
    let m = manager(1_400_000_108);
    let p = Probe::new();
    let users = V2TIMUserFullInfoListCallback {
        user_data: p.ud(),
        on_success: Some(ok_users),
        on_error: Some(err),
    };
    unsafe {
        v2tim_set_self_info(null_mut(), null(), null(), p.callback());
        p.expect_error(INVALID, "manager is NULL");
        v2tim_set_self_info(m, BAD_UTF8.as_ptr(), null(), p.callback());
        p.expect_error(INVALID, "nick_name is not valid UTF-8");
        v2tim_set_self_info(m, null(), null(), p.callback());
        p.expect_error(V2TIM_ERR_SDK_NOT_LOGGED_IN, "");
        v2tim_set_self_info_fields(m, null(), p.callback());
        p.expect_error(INVALID, "info is NULL");
        let mut info: V2TIMSelfInfo = std::mem::zeroed();
        info.modify_flag = V2TIMUserInfoModifyFlag::V2TIM_USER_INFO_MODIFY_FLAG_FACE_URL as u32;
        v2tim_set_self_info_fields(m, &info, p.callback());
        p.expect_error(INVALID, "face_url is NULL");
        info.modify_flag = V2TIMUserInfoModifyFlag::V2TIM_USER_INFO_MODIFY_FLAG_GENDER as u32;
        info.gender = 9;
        v2tim_set_self_info_fields(m, &info, p.callback());
        p.expect_error(INVALID, "gender must be");
        info.modify_flag = V2TIMUserInfoModifyFlag::V2TIM_USER_INFO_MODIFY_FLAG_CUSTOM as u32;
        info.custom_info_count = 1;
        v2tim_set_self_info_fields(m, &info, p.callback());
        p.expect_error(INVALID, "must not be NULL");

        v2tim_get_users_info(m, null(), 1, users);
        p.expect_error(INVALID, "user_ids is NULL");
        let ids = [c"bob".as_ptr(), null()];
        v2tim_get_users_info(m, ids.as_ptr(), 2, users);
        p.expect_error(INVALID, "each user id is NULL");
        v2tim_get_users_info(m, ids.as_ptr(), 101, users);
        p.expect_error(INVALID, "count must be 1 to 100");
        v2tim_get_users_info(m, ids.as_ptr(), 1, users);
        p.expect_error(V2TIM_ERR_SDK_NOT_LOGGED_IN, "");

        assert_eq!(v2tim_user_full_info_list_size(null()), 0);
        last_error(INVALID, "list is NULL");
        assert!(v2tim_user_full_info_list_get(null(), 0).is_null());
        assert!(v2tim_user_full_info_get_self_signature(null()).is_null());
        last_error(INVALID, "info is NULL");
        assert_eq!(v2tim_user_full_info_get_gender(null()), 0);
        assert_eq!(v2tim_user_full_info_get_custom_info_count(null()), 0);
        let (mut v, mut n) = (null(), 0usize);
        assert!(v2tim_user_full_info_get_custom_info(null(), 0, &mut v, &mut n).is_null());
        last_error(INVALID, "info is NULL");
        assert!(v2tim_message_get_nick_name(null()).is_null());
        assert!(v2tim_message_get_revoker_nick_name(null()).is_null());
        v2tim_manager_destroy(m);
    }
}

#[test]
fn an_error_a_layer_finds_reaches_on_error_on_the_event_thread() {
    let p = Probe::new();
    let cb = p.callback();
    unsafe {
        v2tim_post_error(
            cb.user_data,
            cb.on_error,
            6017,
            c"lastMsg was not made by the SDK".as_ptr(),
        );
        p.expect_error(6017, "lastMsg was not made by the SDK");
        v2tim_post_error(cb.user_data, cb.on_error, 6017, null());
        match p.rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Outcome::Error(6017, desc, true)) => assert_eq!(desc, ""),
            other => panic!("{other:?}"),
        }
        // No on_error: nothing to call, nothing breaks.
        v2tim_post_error(cb.user_data, None, 6017, c"x".as_ptr());
        v2tim_post_error(cb.user_data, cb.on_error, 6017, BAD_UTF8.as_ptr());
        assert!(
            p.rx.recv_timeout(Duration::from_millis(200)).is_err(),
            "bad UTF-8 is refused (last error), not delivered"
        );
        last_error(INVALID, "desc is not valid UTF-8");
        // The last error's own description, which the call clears: copied first.
        v2tim_post_error(cb.user_data, cb.on_error, 6017, v2tim_last_error_desc());
        p.expect_error(6017, "desc is not valid UTF-8");
    }
}
