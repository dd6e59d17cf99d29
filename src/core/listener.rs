//! Listener traits. Every method runs on the SDK event thread, in order, outside internal
//! locks, so implementations may call back into the SDK.

use super::conversations::Conversation;
use super::message::{Message, UserFullInfo};
use v2tim_proto::group::GroupTips;

/// Message events (V2TIMAdvancedMsgListener).
pub trait AdvancedMsgListener: Send + Sync {
    /// A message arrived in one of the user's conversations, including one the user sent
    /// from another device.
    fn on_recv_new_message(&self, _msg: &Message) {}
    /// A message was recalled by `operate_user`.
    fn on_recv_message_revoked(&self, _msg_id: &str, _operate_user: &UserFullInfo, _reason: &str) {}
    /// The same recall with the message in its recalled form, for layers that hand the
    /// message itself to the app (the JavaScript `MESSAGE_REVOKED` event); by default it is
    /// [`AdvancedMsgListener::on_recv_message_revoked`].
    fn on_message_revoked(&self, msg: &Message, operate_user: &UserFullInfo, reason: &str) {
        self.on_recv_message_revoked(msg.msg_id(), operate_user, reason)
    }
}

/// Conversation list events (V2TIMConversationListener). Reported from the end of the first
/// read of the list after login on (`get_conversation_list` answers that read).
pub trait ConversationListener: Send + Sync {
    /// Conversations the list did not hold before.
    fn on_new_conversation(&self, _conversations: &[Conversation]) {}
    /// Conversations whose last message (or its recall), unread count, order or name
    /// changed; each once per change.
    fn on_conversation_changed(&self, _conversations: &[Conversation]) {}
    fn on_total_unread_message_count_changed(&self, _total_unread_count: u64) {}
}

/// Group events (V2TIMGroupListener), from the group tips the server writes into a group's
/// conversation: each tips message reaches every device of every member once (in order,
/// also after being offline). Host layers turn each into V2TIM's per-event callbacks by
/// `tips.tips_type` (`GROUP_DISMISSED`: onGroupDismissed; QUIT by this user: another of
/// its devices quit, onQuitFromGroup).
pub trait GroupListener: Send + Sync {
    fn on_group_tips(&self, _group_id: &str, _tips: &GroupTips) {}
}

/// Connection and session events (V2TIMSDKListener).
pub trait SdkListener: Send + Sync {
    fn on_connecting(&self) {}
    fn on_connect_success(&self) {}
    fn on_connect_failed(&self, _code: i32, _desc: &str) {}
    /// Signed out by the server; the SDK is logged out and does not reconnect.
    fn on_kicked_offline(&self) {}
    /// The UserSig expired while logged in; log in again with a new one.
    fn on_user_sig_expired(&self) {}
    /// The logged-in user's profile changed (by this device or another): `info` is all of it.
    fn on_self_info_updated(&self, _info: &UserFullInfo) {}
}

/// Identifies a registered listener, chosen by the caller; adding the same key twice
/// replaces the first registration. The C layer derives it from the callback struct.
pub type ListenerKey = [usize; 8];
