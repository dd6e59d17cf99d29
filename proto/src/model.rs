//! Domain values carried inside frames.

use serde::{Deserialize, Serialize};

/// V2TIM message status values.
pub mod status {
    pub const SENDING: i32 = 1;
    pub const SEND_SUCC: i32 = 2;
    pub const SEND_FAIL: i32 = 3;
    pub const HAS_DELETED: i32 = 4;
    pub const LOCAL_IMPORTED: i32 = 5;
    pub const LOCAL_REVOKED: i32 = 6;
}

/// V2TIM element types (subset carried by v2tim).
pub mod elem_type {
    pub const NONE: i32 = 0;
    pub const TEXT: i32 = 1;
    pub const CUSTOM: i32 = 2;
}

/// V2TIM group member roles.
pub mod role {
    pub const MEMBER: u32 = 200;
    pub const ADMIN: u32 = 300;
    pub const OWNER: u32 = 400;
}

/// V2TIM message priorities.
pub mod priority {
    pub const DEFAULT: i32 = 0;
    pub const HIGH: i32 = 1;
    pub const NORMAL: i32 = 2;
    pub const LOW: i32 = 3;
}

/// Group types, spelled as V2TIM spells them.
pub const GROUP_TYPES: [&str; 5] = ["Work", "Public", "Meeting", "AVChatRoom", "Community"];

/// The content of a message. Binary custom data travels base64-encoded (standard alphabet).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Elem {
    Text {
        text: String,
    },
    Custom {
        /// base64 (standard alphabet, padded) of the raw bytes.
        data: String,
        #[serde(default)]
        description: String,
        #[serde(default)]
        extension: String,
    },
    /// The content of a recalled message: erased, nothing left.
    None,
}

impl Elem {
    /// V2TIM element type number.
    pub fn elem_type(&self) -> i32 {
        match self {
            Elem::Text { .. } => elem_type::TEXT,
            Elem::Custom { .. } => elem_type::CUSTOM,
            Elem::None => elem_type::NONE,
        }
    }

    /// Size counted against [`crate::limits::MAX_MSG_BODY_BYTES`] (decoded custom bytes are
    /// at most the base64 length, so the encoded length is a safe upper bound).
    pub fn body_len(&self) -> usize {
        match self {
            Elem::Text { text } => text.len(),
            Elem::Custom {
                data,
                description,
                extension,
            } => data.len() / 4 * 3 + description.len() + extension.len(),
            Elem::None => 0,
        }
    }
}

/// Which conversation a request is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConvRef {
    /// One-to-one with `peer` (the other user).
    C2c {
        peer: String,
    },
    Group {
        group_id: String,
    },
}

/// Who recalled a message, when and why. Present once a message is recalled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeInfo {
    pub revoker: String,
    #[serde(default)]
    pub reason: String,
    pub time_ms: i64,
}

/// A stored message as the server reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageInfo {
    /// Client-generated, globally unique.
    pub msg_id: String,
    /// Position in its conversation, from 1, gap-free, assigned by the server.
    pub seq: u64,
    pub sender: String,
    /// C2C: the user the sender addressed. Empty for group messages.
    #[serde(default)]
    pub receiver: String,
    /// Group messages: the group. Empty for C2C.
    #[serde(default)]
    pub group_id: String,
    /// Server time of acceptance, milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    pub priority: i32,
    /// `Elem::None` once recalled.
    pub elem: Elem,
    /// `Some` once recalled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<RevokeInfo>,
}

/// One entry of a user's sync sequence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The entry's position in the app's stream: increasing along a user's sequence but
    /// not gap-free (the positions between belong to conversations the user is not in).
    pub seq: u64,
    #[serde(flatten)]
    pub body: EventBody,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventBody {
    /// A message in one of the user's conversations (including ones the user sent from
    /// another device). Always the message's current form: recalled content is never sent.
    NewMessage { msg: MessageInfo },
    /// A message of one of the user's conversations was recalled. `msg` is the message in
    /// its recalled form (`revoked` set: who, when, why; content erased). For a user whose
    /// sequence holds the message's `NewMessage`, always after it; a group member who joined
    /// after the message was sent gets this event alone (the message is in its history).
    MessageRevoked { msg: MessageInfo },
}

/// One of the user's conversations as the server sees it at stream position `as_of`:
/// everything of the user's sequence up to `as_of` is counted in it and nothing after.
/// A client that applied events beyond `as_of` holds a newer view than this one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationInfo {
    /// From the user's side: C2C `peer` is the other user.
    pub conv: ConvRef,
    /// Groups: V2TIM's group type ("Work", "Public", ...); empty for C2C.
    #[serde(default)]
    pub group_type: String,
    /// Groups: the group's name; empty for C2C.
    #[serde(default)]
    pub group_name: String,
    /// The newest message the user can see, in its current form (recalled: `revoked` set,
    /// content erased); `None` when there is none.
    #[serde(default)]
    pub last_message: Option<MessageInfo>,
    /// Messages from others after `read_seq`, not recalled.
    pub unread_count: u64,
    /// The conversation seq up to which the user has read (every device of the user).
    pub read_seq: u64,
    /// The stream position of the conversation's last activity (a message or a recall; for
    /// a group without any since the user joined, the join): newest conversations have
    /// the largest.
    pub order_key: u64,
    pub as_of: u64,
}
