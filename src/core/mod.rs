//! The async core: managers, connections, request matching, sync, event dispatch.
//!
//! Nothing here knows about C; `crate::ffi` converts and checks arguments and calls in.
//! Completions and listener methods run on the SDK event thread ([`dispatch`]).

mod cache;
mod connection;
mod conversations;
mod cursor;
mod dispatch;
mod embedded;
mod error;
mod groups;
mod history;
mod listener;
mod log;
mod manager;
mod message;
mod runtime;
mod tls;

pub use conversations::{conversation_id, conversation_type, parse_conversation_id, Conversation};
pub use dispatch::{is_event_thread, post};
pub use error::{Error, Result};
pub use history::HistoryOptions;
pub use listener::{
    AdvancedMsgListener, ConversationListener, GroupListener, ListenerKey, SdkListener,
};
pub use log::{log_level, set_log_listener, LogSink};
pub use manager::{login_status, Completion, ConversationResult, Manager, SdkConfig};
pub use message::{Message, MessageData, MessageObj, UserFullInfo};
pub use v2tim_proto::group::{
    GroupChange, GroupChanges, GroupInfo, GroupProfile, GroupTips, MemberInfo, MemberResult,
};
pub use v2tim_proto::{codes, model::ConvRef, GroupInfoResult, MembersPage, ProfileChanges};

/// Issues a UserSig (TLSSigAPIv2 format) for `user_id`, valid `expire_seconds` from now.
pub fn gen_user_sig(
    sdk_app_id: u32,
    secret_key: &str,
    user_id: &str,
    expire_seconds: u32,
) -> String {
    v2tim_proto::usersig::gen_user_sig(sdk_app_id, secret_key, user_id, expire_seconds)
}
