//! The core's listener calls, forwarded to a chat's JavaScript event function as
//! `(name, json)`.

use napi::bindgen_prelude::FnArgs;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use parking_lot::Mutex;
use serde_json::{json, Value};

use super::json;
use crate::core::{
    AdvancedMsgListener, Conversation, ConversationListener, Message, SdkListener, UserFullInfo,
};

/// The JavaScript function `(name, json) => void`, callable from any thread. Weak (it does
/// not keep Node's event loop alive) except while its chat is logged in.
pub(super) type EmitFn = ThreadsafeFunction<Event, (), Event, Status, false, true, 0>;

/// `(name, json)`, as two arguments of the JavaScript function.
pub(super) type Event = FnArgs<(String, String)>;

/// Where one chat's events go; empty once the chat is destroyed.
pub(super) struct Sink {
    emit: Mutex<Option<EmitFn>>,
}

impl Sink {
    pub(super) fn new(emit: EmitFn) -> Self {
        Sink {
            emit: Mutex::new(Some(emit)),
        }
    }

    fn send(&self, name: &str, data: Value) {
        if let Some(f) = self.emit.lock().as_ref() {
            // Non-blocking on an unbounded queue: it fails only once Node is closing the
            // function (exit, worker teardown), when the event has nowhere to go anyway.
            let _ = f.call(
                (name.to_owned(), data.to_string()).into(),
                ThreadsafeFunctionCallMode::NonBlocking,
            );
        }
    }

    /// Runs `f` on the event function, if the chat still has one (on the JavaScript thread).
    pub(super) fn with<R>(&self, f: impl FnOnce(&mut EmitFn) -> R) -> Option<R> {
        self.emit.lock().as_mut().map(f)
    }

    /// Releases the event function: nothing reaches JavaScript after this.
    pub(super) fn close(&self) {
        self.emit.lock().take();
    }
}

impl AdvancedMsgListener for Sink {
    fn on_recv_new_message(&self, msg: &Message) {
        self.send("message", msg.to_value());
    }

    fn on_message_revoked(&self, msg: &Message, operate_user: &UserFullInfo, reason: &str) {
        let data = json!({
            "message": msg.to_value(),
            "operator": json::profile(operate_user),
            "reason": reason,
        });
        self.send("revoked", data);
    }
}

impl SdkListener for Sink {
    fn on_connecting(&self) {
        self.send("netState", json!("connecting"));
    }

    fn on_connect_success(&self) {
        self.send("netState", json!("connected"));
    }

    fn on_connect_failed(&self, code: i32, desc: &str) {
        self.send("connectFailed", json!({ "code": code, "message": desc }));
    }

    fn on_kicked_offline(&self) {
        self.send("kicked", Value::Null);
    }

    fn on_user_sig_expired(&self) {
        self.send("userSigExpired", Value::Null);
    }

    fn on_self_info_updated(&self, info: &UserFullInfo) {
        self.send("profile", json::profile(info));
    }
}

impl ConversationListener for Sink {
    fn on_new_conversation(&self, conversations: &[Conversation]) {
        self.send("conversations", json::conversations(conversations));
    }

    fn on_conversation_changed(&self, conversations: &[Conversation]) {
        self.send("conversations", json::conversations(conversations));
    }

    fn on_total_unread_message_count_changed(&self, total: u64) {
        self.send("totalUnread", json!(total));
    }
}
