//! `Manager`: one SDK instance (V2TIMManager), the API the C layer calls.

use std::path::PathBuf;
use std::sync::Arc;

use super::error::Result;
use super::listener::{AdvancedMsgListener, ListenerKey, SdkListener};
use super::message::Message;
use v2tim_proto::MemberInfo;

/// Called once, on the event thread, with the outcome of an asynchronous call.
pub type Completion<T> = Box<dyn FnOnce(Result<T>) + Send + 'static>;

/// V2TIM login status values.
pub mod login_status {
    pub const LOGINED: i32 = 1;
    pub const LOGINING: i32 = 2;
    pub const LOGOUT: i32 = 3;
}

/// What `init_sdk` takes (V2TIMSDKConfig plus v2tim's own fields).
#[derive(Clone, Debug, Default)]
pub struct SdkConfig {
    /// `ws://host:port` or `wss://...`; `None` or empty runs the embedded in-process server,
    /// shared by every manager of this process with the same SDKAppID.
    pub server_url: Option<String>,
    /// Where the SDK keeps its state (and the embedded server its database); `None` keeps
    /// everything in memory.
    pub data_dir: Option<PathBuf>,
    pub log_level: i32,
    /// Embedded mode only: the secret key UserSigs are checked against; `None` = unchecked.
    pub secret_key: Option<String>,
}

/// One SDK instance. Cloning gives another handle to the same instance.
#[derive(Clone)]
pub struct Manager {
    inner: Arc<Inner>,
}

struct Inner {}

impl Default for Manager {
    fn default() -> Self {
        Self::new()
    }
}

impl Manager {
    pub fn new() -> Manager {
        Manager { inner: Arc::new(Inner {}) }
    }

    /// Starts the instance. Errors: 6017 bad config; calling it twice with the same app id
    /// succeeds and changes nothing.
    pub fn init_sdk(&self, sdk_app_id: u32, config: SdkConfig) -> Result<()> {
        let _ = (sdk_app_id, config, &self.inner);
        unimplemented!()
    }

    /// Logs out (without waiting for the server), drops the connection and fails every
    /// request in flight with `V2TIM_ERR_SHUTDOWN`.
    pub fn uninit_sdk(&self) {
        unimplemented!()
    }

    pub fn login(&self, user_id: &str, user_sig: &str, done: Completion<()>) {
        let _ = (user_id, user_sig, done);
        unimplemented!()
    }

    pub fn logout(&self, done: Completion<()>) {
        let _ = done;
        unimplemented!()
    }

    /// The logged-in user, or empty.
    pub fn get_login_user(&self) -> String {
        unimplemented!()
    }

    /// One of [`login_status`].
    pub fn get_login_status(&self) -> i32 {
        unimplemented!()
    }

    /// Server time in seconds, as last learned from the server (local time before login).
    pub fn get_server_time(&self) -> i64 {
        unimplemented!()
    }

    /// Errors: 6013 not initialized, 8001 over 12 KB.
    pub fn create_text_message(&self, text: &str) -> Result<Message> {
        let _ = text;
        unimplemented!()
    }

    pub fn create_custom_message(
        &self,
        data: &[u8],
        description: &str,
        extension: &str,
    ) -> Result<Message> {
        let _ = (data, description, extension);
        unimplemented!()
    }

    /// Sends `msg` to `receiver` (C2C) xor `group_id`. Every failure, argument errors
    /// included, is reported through `done`; on success `msg` itself carries the server's
    /// seq and timestamp and `done` gets it back.
    pub fn send_message(
        &self,
        msg: &Message,
        receiver: &str,
        group_id: &str,
        priority: i32,
        done: Completion<Message>,
    ) {
        let _ = (msg, receiver, group_id, priority, done);
        unimplemented!()
    }

    /// Newest first, `count` messages older than `last_msg` (or the newest when `None`).
    pub fn get_c2c_history_message_list(
        &self,
        user_id: &str,
        count: i32,
        last_msg: Option<&Message>,
        done: Completion<Vec<Message>>,
    ) {
        let _ = (user_id, count, last_msg, done);
        unimplemented!()
    }

    pub fn get_group_history_message_list(
        &self,
        group_id: &str,
        count: i32,
        last_msg: Option<&Message>,
        done: Completion<Vec<Message>>,
    ) {
        let _ = (group_id, count, last_msg, done);
        unimplemented!()
    }

    /// `group_id` empty lets the server choose; `done` gets the group id.
    pub fn create_group(
        &self,
        group_type: &str,
        group_id: &str,
        group_name: &str,
        done: Completion<String>,
    ) {
        let _ = (group_type, group_id, group_name, done);
        unimplemented!()
    }

    pub fn join_group(&self, group_id: &str, message: &str, done: Completion<()>) {
        let _ = (group_id, message, done);
        unimplemented!()
    }

    pub fn quit_group(&self, group_id: &str, done: Completion<()>) {
        let _ = (group_id, done);
        unimplemented!()
    }

    pub fn invite_user_to_group(&self, group_id: &str, user_ids: Vec<String>, done: Completion<()>) {
        let _ = (group_id, user_ids, done);
        unimplemented!()
    }

    /// `role`: 200 member, 300 admin, 400 transfers ownership.
    pub fn set_group_member_role(
        &self,
        group_id: &str,
        user_id: &str,
        role: u32,
        done: Completion<()>,
    ) {
        let _ = (group_id, user_id, role, done);
        unimplemented!()
    }

    pub fn get_group_member_list(&self, group_id: &str, done: Completion<Vec<MemberInfo>>) {
        let _ = (group_id, done);
        unimplemented!()
    }

    /// Registers (or replaces, for the same key) a message listener.
    pub fn add_advanced_msg_listener(&self, key: ListenerKey, listener: Arc<dyn AdvancedMsgListener>) {
        let _ = (key, listener);
        unimplemented!()
    }

    /// After this returns, the listener is never called again (if called from another
    /// thread, it waits for a callback of this listener that is running to finish).
    pub fn remove_advanced_msg_listener(&self, key: ListenerKey) {
        let _ = key;
        unimplemented!()
    }

    pub fn add_sdk_listener(&self, key: ListenerKey, listener: Arc<dyn SdkListener>) {
        let _ = (key, listener);
        unimplemented!()
    }

    pub fn remove_sdk_listener(&self, key: ListenerKey) {
        let _ = key;
        unimplemented!()
    }
}
