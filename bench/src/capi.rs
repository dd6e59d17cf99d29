//! A chat client driven only through the C ABI (`include/v2tim.h`), the way a C app uses
//! it: C strings in, `#[repr(C)]` callback structs with `extern "C"` functions and a
//! `user_data` pointer out. Completions are turned into Rust closures so the workloads stay
//! readable; the closures run on the SDK event thread, as a C callback would.

use std::ffi::{c_char, c_void, CStr, CString};
use std::ptr;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use v2tim::ffi::*;

/// The SDKAppID every benchmark uses.
pub const APP: u32 = 1_400_000_001;
/// Its secret key (the server checks UserSigs against it).
pub const KEY: &str = "bench-secret-key-0123456789";

/// How long a blocking setup call (login, create group) may take.
const SETUP_WAIT: Duration = Duration::from_secs(120);

/// An SDK error as the C callback reported it.
#[derive(Clone, Debug)]
pub struct CError {
    pub code: i32,
    pub desc: String,
}

impl std::fmt::Display for CError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.desc)
    }
}

/// What a client's message listener reports, with the time the C callback ran.
pub trait Events: Send + Sync + 'static {
    fn new_message(&self, _msg_id: &str, _at: Instant) {}
    fn revoked(&self, _msg_id: &str, _at: Instant) {}
}

/// A listener that ignores everything (senders, idle members).
pub struct NoEvents;
impl Events for NoEvents {}

/// One SDK instance (`v2tim_manager_create`) logged in as one user.
pub struct Client {
    manager: *mut V2TIMManager,
    user: String,
    listener: Option<(V2TIMAdvancedMsgListener, *const Box<dyn Events>)>,
}

// The C ABI documents every function used here as thread-safe.
unsafe impl Send for Client {}
unsafe impl Sync for Client {}

/// A message created by the client, owned by the host (one reference).
pub struct Msg(*mut V2TIMMessage);
unsafe impl Send for Msg {}
unsafe impl Sync for Msg {}

impl Msg {
    pub fn id(&self) -> String {
        unsafe { cstr(v2tim_message_get_msg_id(self.0)) }
    }
}

impl Drop for Msg {
    fn drop(&mut self) {
        unsafe { v2tim_message_release(self.0) }
    }
}

fn c(s: &str) -> CString {
    CString::new(s).expect("no NUL in benchmark strings")
}

unsafe fn cstr(p: *const c_char) -> String {
    if p.is_null() {
        String::new()
    } else {
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

/// A UserSig for `user`, made by the C ABI's own generator.
pub fn user_sig(user: &str) -> String {
    unsafe {
        let key = c(KEY);
        let u = c(user);
        let p = v2tim_gen_user_sig(APP, key.as_ptr(), u.as_ptr(), 24 * 3600);
        assert!(!p.is_null(), "v2tim_gen_user_sig failed");
        let s = cstr(p);
        v2tim_string_free(p);
        s
    }
}

type Done = Box<dyn FnOnce(Result<(), CError>) + Send>;
type DoneStr = Box<dyn FnOnce(Result<String, CError>) + Send>;

unsafe extern "C" fn done_ok(ud: *mut c_void) {
    let f = Box::from_raw(ud as *mut Done);
    f(Ok(()))
}
unsafe extern "C" fn done_err(ud: *mut c_void, code: i32, desc: *const c_char) {
    let f = Box::from_raw(ud as *mut Done);
    f(Err(CError {
        code,
        desc: cstr(desc),
    }))
}
unsafe extern "C" fn results_ok(
    ud: *mut c_void,
    results: *const V2TIMGroupMemberOperationResultList,
) {
    let f = Box::from_raw(ud as *mut Done);
    let n = v2tim_group_member_operation_result_list_size(results);
    let failed = (0..n)
        .filter(|&i| v2tim_group_member_operation_result_list_get_result(results, i) != 1)
        .count();
    f(if failed == 0 {
        Ok(())
    } else {
        Err(CError {
            code: -1,
            desc: format!("{failed} of {n} users were not added"),
        })
    })
}

/// A per-user result callback that succeeds when every user succeeded.
fn results_callback(
    f: impl FnOnce(Result<(), CError>) + Send + 'static,
) -> V2TIMGroupMemberOperationResultCallback {
    let b: Box<Done> = Box::new(Box::new(f));
    V2TIMGroupMemberOperationResultCallback {
        user_data: Box::into_raw(b) as *mut c_void,
        on_success: Some(results_ok),
        on_error: Some(done_err),
    }
}

fn callback(f: impl FnOnce(Result<(), CError>) + Send + 'static) -> V2TIMCallback {
    let b: Box<Done> = Box::new(Box::new(f));
    V2TIMCallback {
        user_data: Box::into_raw(b) as *mut c_void,
        on_success: Some(done_ok),
        on_error: Some(done_err),
    }
}

unsafe extern "C" fn str_ok(ud: *mut c_void, value: *const c_char) {
    let f = Box::from_raw(ud as *mut DoneStr);
    f(Ok(cstr(value)))
}
unsafe extern "C" fn str_err(ud: *mut c_void, code: i32, desc: *const c_char) {
    let f = Box::from_raw(ud as *mut DoneStr);
    f(Err(CError {
        code,
        desc: cstr(desc),
    }))
}
fn str_callback(f: impl FnOnce(Result<String, CError>) + Send + 'static) -> V2TIMStringCallback {
    let b: Box<DoneStr> = Box::new(Box::new(f));
    V2TIMStringCallback {
        user_data: Box::into_raw(b) as *mut c_void,
        on_success: Some(str_ok),
        on_error: Some(str_err),
    }
}

unsafe extern "C" fn send_ok(ud: *mut c_void, _msg: *const V2TIMMessage) {
    done_ok(ud)
}
unsafe extern "C" fn send_progress(_ud: *mut c_void, _p: u32) {}
fn send_callback(f: impl FnOnce(Result<(), CError>) + Send + 'static) -> V2TIMSendCallback {
    let b: Box<Done> = Box::new(Box::new(f));
    V2TIMSendCallback {
        user_data: Box::into_raw(b) as *mut c_void,
        on_success: Some(send_ok),
        on_error: Some(done_err),
        on_progress: Some(send_progress),
    }
}

unsafe extern "C" fn on_new(ud: *mut c_void, msg: *const V2TIMMessage) {
    let at = Instant::now();
    let events = &*(ud as *const Box<dyn Events>);
    events.new_message(&cstr(v2tim_message_get_msg_id(msg)), at);
}
unsafe extern "C" fn on_revoked(
    ud: *mut c_void,
    msg_id: *const c_char,
    _who: *const V2TIMUserFullInfo,
    _reason: *const c_char,
) {
    let at = Instant::now();
    let events = &*(ud as *const Box<dyn Events>);
    events.revoked(&cstr(msg_id), at);
}

/// Runs a call that completes through a `V2TIMCallback` and waits for it.
fn blocking<T: Send + 'static>(
    call: impl FnOnce(Box<dyn FnOnce(Result<T, CError>) + Send>),
) -> Result<T, CError> {
    let (tx, rx) = mpsc::channel();
    call(Box::new(move |r| {
        let _ = tx.send(r);
    }));
    rx.recv_timeout(SETUP_WAIT).unwrap_or_else(|_| {
        Err(CError {
            code: -1,
            desc: "no completion within 120 s".into(),
        })
    })
}

impl Client {
    /// A new SDK instance on `url` (None = the embedded server), not logged in yet.
    pub fn new(url: Option<&str>) -> Client {
        unsafe {
            let manager = v2tim_manager_create();
            assert!(!manager.is_null(), "v2tim_manager_create failed");
            let url = url.map(c);
            let key = c(KEY);
            let config = V2TIMSDKConfig {
                server_url: url.as_ref().map_or(ptr::null(), |u| u.as_ptr()),
                data_dir: ptr::null(),
                log_level: 0,
                secret_key: key.as_ptr(),
            };
            let rc = v2tim_init_sdk(manager, APP, &config);
            assert_eq!(rc, 0, "v2tim_init_sdk: {rc}");
            Client {
                manager,
                user: String::new(),
                listener: None,
            }
        }
    }

    /// Registers `events` as this client's message listener (before login, so nothing
    /// pushed right after login is missed).
    pub fn listen(&mut self, events: Arc<dyn Events>) {
        let boxed: Box<dyn Events> = Box::new(ArcEvents(events));
        let raw = Box::into_raw(Box::new(boxed));
        let l = V2TIMAdvancedMsgListener {
            user_data: raw as *mut c_void,
            on_recv_new_message: Some(on_new),
            on_recv_message_revoked: Some(on_revoked),
        };
        unsafe { v2tim_add_advanced_msg_listener(self.manager, &l) };
        self.listener = Some((l, raw));
    }

    /// Starts logging in as `user`; `done` runs on the SDK event thread.
    pub fn login_async(
        &mut self,
        user: &str,
        done: impl FnOnce(Result<(), CError>) + Send + 'static,
    ) {
        self.user = user.to_owned();
        let u = c(user);
        let s = c(&user_sig(user));
        unsafe { v2tim_login(self.manager, u.as_ptr(), s.as_ptr(), callback(done)) }
    }

    /// Logs in as `user` and waits.
    pub fn login(&mut self, user: &str) -> Result<(), CError> {
        let (tx, rx) = mpsc::channel();
        self.login_async(user, move |r| {
            let _ = tx.send(r);
        });
        rx.recv_timeout(SETUP_WAIT).unwrap_or_else(|_| {
            Err(CError {
                code: -1,
                desc: "login did not complete within 120 s".into(),
            })
        })
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    /// A new text message (`v2tim_create_text_message`); its id is known before sending.
    pub fn create_text(&self, text: &str) -> Msg {
        let t = c(text);
        let msg = unsafe { v2tim_create_text_message(self.manager, t.as_ptr()) };
        assert!(!msg.is_null(), "v2tim_create_text_message failed");
        Msg(msg)
    }

    /// Sends `msg` to `to` (user id) or `group` (`v2tim_send_message`); `done` runs on the
    /// SDK event thread.
    pub fn send(
        &self,
        msg: &Msg,
        to: &str,
        group: &str,
        done: impl FnOnce(Result<(), CError>) + Send + 'static,
    ) {
        let (to, group) = (c(to), c(group));
        unsafe {
            v2tim_send_message(
                self.manager,
                msg.0,
                to.as_ptr(),
                group.as_ptr(),
                0,
                send_callback(done),
            );
        }
    }

    /// Creates and sends a text message; returns it (host-owned) once the call returned.
    pub fn send_text(
        &self,
        to: &str,
        group: &str,
        text: &str,
        done: impl FnOnce(Result<(), CError>) + Send + 'static,
    ) -> Msg {
        let msg = self.create_text(text);
        self.send(&msg, to, group, done);
        msg
    }

    /// Recalls `msg` (`v2tim_revoke_message`); `done` runs on the SDK event thread.
    pub fn revoke(&self, msg: &Msg, done: impl FnOnce(Result<(), CError>) + Send + 'static) {
        unsafe { v2tim_revoke_message(self.manager, msg.0, callback(done)) }
    }

    /// Creates a group of `kind` with id `id` and waits.
    pub fn create_group(&self, kind: &str, id: &str) -> Result<String, CError> {
        let (k, i, n) = (c(kind), c(id), c(id));
        blocking(|f| unsafe {
            v2tim_create_group(
                self.manager,
                k.as_ptr(),
                i.as_ptr(),
                n.as_ptr(),
                str_callback(f),
            )
        })
    }

    /// Adds `users` to the group `id` (`v2tim_invite_user_to_group`) and waits.
    pub fn invite(&self, id: &str, users: &[String]) -> Result<(), CError> {
        let i = c(id);
        let owned: Vec<_> = users.iter().map(|u| c(u)).collect();
        let ptrs: Vec<*const c_char> = owned.iter().map(|u| u.as_ptr()).collect();
        blocking(|f| unsafe {
            v2tim_invite_user_to_group(
                self.manager,
                i.as_ptr(),
                ptrs.as_ptr(),
                ptrs.len(),
                results_callback(f),
            )
        })
    }

    /// Starts joining the group `id`; `done` runs on the SDK event thread.
    pub fn join_group_async(
        &self,
        id: &str,
        done: impl FnOnce(Result<(), CError>) + Send + 'static,
    ) {
        let (i, m) = (c(id), c(""));
        unsafe { v2tim_join_group(self.manager, i.as_ptr(), m.as_ptr(), callback(done)) }
    }

    /// The raw manager, for workloads that call other C functions themselves.
    pub fn manager(&self) -> *mut V2TIMManager {
        self.manager
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        unsafe {
            if let Some((l, raw)) = self.listener.take() {
                v2tim_remove_advanced_msg_listener(self.manager, &l);
                drop(Box::from_raw(raw as *mut Box<dyn Events>));
            }
            v2tim_manager_destroy(self.manager);
        }
    }
}

struct ArcEvents(Arc<dyn Events>);
impl Events for ArcEvents {
    fn new_message(&self, msg_id: &str, at: Instant) {
        self.0.new_message(msg_id, at)
    }
    fn revoked(&self, msg_id: &str, at: Instant) {
        self.0.revoked(msg_id, at)
    }
}
