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
    pub const GROUP_TIPS: i32 = 9;
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    /// Written by the server for a change of a group's members or profile; never sent by
    /// a client, never recalled.
    GroupTips(Box<crate::group::GroupTips>),
}

impl Elem {
    /// V2TIM element type number.
    pub fn elem_type(&self) -> i32 {
        match self {
            Elem::Text { .. } => elem_type::TEXT,
            Elem::Custom { .. } => elem_type::CUSTOM,
            Elem::None => elem_type::NONE,
            Elem::GroupTips(_) => elem_type::GROUP_TIPS,
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
            Elem::None | Elem::GroupTips(_) => 0,
        }
    }
}

/// Which conversation a request is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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

// Decoded by hand, through plain structs of the same shape as the derived encoding: see
// `frames::FrameWire` for why.

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ElemKind {
    Text,
    Custom,
    None,
    GroupTips,
}

#[derive(Deserialize)]
struct ElemWire {
    #[serde(rename = "type")]
    kind: ElemKind,
    text: Option<String>,
    data: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    extension: String,
    tips_type: Option<u32>,
    #[serde(default)]
    op_user: crate::group::MemberInfo,
    #[serde(default)]
    members: Vec<crate::group::MemberInfo>,
    #[serde(default)]
    changes: Vec<crate::group::GroupChange>,
    #[serde(default)]
    member_count: u32,
}

impl<'de> Deserialize<'de> for Elem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let w = ElemWire::deserialize(d)?;
        Ok(match w.kind {
            ElemKind::Text => Elem::Text {
                text: w.text.ok_or_else(|| D::Error::missing_field("text"))?,
            },
            ElemKind::Custom => Elem::Custom {
                data: w.data.ok_or_else(|| D::Error::missing_field("data"))?,
                description: w.description,
                extension: w.extension,
            },
            ElemKind::None => Elem::None,
            ElemKind::GroupTips => Elem::GroupTips(Box::new(crate::group::GroupTips {
                tips_type: w
                    .tips_type
                    .ok_or_else(|| D::Error::missing_field("tips_type"))?,
                op_user: w.op_user,
                members: w.members,
                changes: w.changes,
                member_count: w.member_count,
            })),
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ConvKind {
    C2c,
    Group,
}

#[derive(Deserialize)]
struct ConvWire {
    kind: ConvKind,
    peer: Option<String>,
    group_id: Option<String>,
}

impl<'de> Deserialize<'de> for ConvRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let w = ConvWire::deserialize(d)?;
        Ok(match w.kind {
            ConvKind::C2c => ConvRef::C2c {
                peer: w.peer.ok_or_else(|| D::Error::missing_field("peer"))?,
            },
            ConvKind::Group => ConvRef::Group {
                group_id: w
                    .group_id
                    .ok_or_else(|| D::Error::missing_field("group_id"))?,
            },
        })
    }
}

/// Who recalled a message, when and why. Present once a message is recalled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeInfo {
    pub revoker: String,
    #[serde(default)]
    pub reason: String,
    pub time_ms: i64,
    /// The revoker's current nick name and face URL (profile), "" when none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub revoker_nick: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub revoker_face: String,
}

/// V2TIM's `V2TIMOfflinePushInfo`: how a push service should announce a message to a
/// receiver's device that is offline. The server keeps it with the message for that
/// service (v2tim has none built in) and serves it to nobody; a recall erases it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfflinePushInfo {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub desc: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ext: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub disable_push: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ios_sound: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub ignore_ios_badge: bool,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ios_push_type: i32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub android_sound: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub android_oppo_channel_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub android_fcm_channel_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub android_xiaomi_channel_id: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub android_vivo_classification: i32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub android_huawei_category: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub android_honor_importance: String,
}

impl OfflinePushInfo {
    /// Its size as stored (JSON), counted against [`crate::limits::MAX_OFFLINE_PUSH_BYTES`].
    pub fn stored_len(&self) -> usize {
        serde_json::to_string(self).map_or(usize::MAX, |s| s.len())
    }
}

fn is_zero(n: &i32) -> bool {
    *n == 0
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
    /// The sender's current nick name and face URL (profile), "" when none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub nick_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub face_url: String,
    /// Not counted as unread (group tips, and messages their sender marked so).
    #[serde(default, skip_serializing_if = "is_false")]
    pub excluded_from_unread: bool,
    /// Never a conversation's last message (marked so by its sender).
    #[serde(default, skip_serializing_if = "is_false")]
    pub excluded_from_last: bool,
    /// V2TIM's `cloudCustomData`: the sender's own data, stored and synced with the message
    /// (TUIKit keeps a reply's quote here: [`crate::quote`]). Erased by a recall.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cloud_custom_data: String,
}

pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

/// One entry of a user's sync sequence: `{"seq": 7, "event": "new_message", "msg": {...}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The entry's position in the app's stream: increasing along a user's sequence but
    /// not gap-free (the positions between belong to conversations the user is not in).
    pub seq: u64,
    pub body: EventBody,
}

#[derive(Clone, Debug, PartialEq, Eq)]
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

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum EventKind {
    NewMessage,
    MessageRevoked,
}

/// [`Event`] on the wire. Written by hand rather than as a flattened, internally tagged
/// enum: both kinds carry one message, and serde's code for flattening is the largest part
/// of what decoding frames costs in the library an app ships.
#[derive(Serialize, Deserialize)]
struct EventWire<M> {
    seq: u64,
    event: EventKind,
    msg: M,
}

impl Serialize for Event {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (event, msg) = match &self.body {
            EventBody::NewMessage { msg } => (EventKind::NewMessage, msg),
            EventBody::MessageRevoked { msg } => (EventKind::MessageRevoked, msg),
        };
        EventWire {
            seq: self.seq,
            event,
            msg,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = EventWire::<MessageInfo>::deserialize(d)?;
        let body = match w.event {
            EventKind::NewMessage => EventBody::NewMessage { msg: w.msg },
            EventKind::MessageRevoked => EventBody::MessageRevoked { msg: w.msg },
        };
        Ok(Event { seq: w.seq, body })
    }
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
    /// C2C: the other user's nick name and face URL (profile); empty for groups and when
    /// the user has none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub peer_nick: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub peer_face: String,
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

/// A user's profile (V2TIMUserFullInfo's fields). `custom_info` values are base64 (standard
/// alphabet, padded) of the raw bytes, by key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserProfile {
    #[serde(default)]
    pub user_id: String,
    #[serde(default)]
    pub nick_name: String,
    #[serde(default)]
    pub face_url: String,
    #[serde(default)]
    pub self_signature: String,
    /// 0 unknown, 1 male, 2 female.
    #[serde(default)]
    pub gender: i32,
    #[serde(default)]
    pub role: u32,
    #[serde(default)]
    pub level: u32,
    /// As the app encodes it (V2TIM: e.g. 19991231).
    #[serde(default)]
    pub birthday: u32,
    /// Friend requests: 0 accepted by anyone, 1 need confirmation, 2 refused.
    #[serde(default)]
    pub allow_type: i32,
    #[serde(default)]
    pub custom_info: std::collections::BTreeMap<String, String>,
}

/// What `set_self_info` changes: each field that is present; `custom_info` keys are set
/// one by one (others keep their values).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileChanges {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_signature: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_type: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_info: Option<std::collections::BTreeMap<String, String>>,
}

impl ProfileChanges {
    /// Everything about the change that needs no storage, checked by the SDK (to fail fast)
    /// and the server (which trusts no client): the English reason when it is refused.
    pub fn check(&self) -> Result<(), String> {
        use crate::limits;
        use base64::Engine;
        for (what, v) in [
            ("nick_name", &self.nick_name),
            ("face_url", &self.face_url),
            ("self_signature", &self.self_signature),
        ] {
            if v.as_ref()
                .is_some_and(|s| s.len() > limits::MAX_PROFILE_TEXT_BYTES)
            {
                return Err(format!(
                    "{what} is over {} bytes",
                    limits::MAX_PROFILE_TEXT_BYTES
                ));
            }
        }
        if self.gender.is_some_and(|g| !(0..=2).contains(&g)) {
            return Err("gender must be 0 (unknown), 1 (male) or 2 (female)".into());
        }
        if self.allow_type.is_some_and(|a| !(0..=2).contains(&a)) {
            return Err(
                "allow_type must be 0 (allow any), 1 (need confirmation) or 2 (deny any)".into(),
            );
        }
        for (k, v) in self.custom_info.iter().flatten() {
            if !limits::is_valid_id(k, limits::MAX_PROFILE_CUSTOM_KEY_BYTES) {
                return Err(format!(
                    "custom_info key {k:?} must be 1 to {} printable ASCII bytes without spaces",
                    limits::MAX_PROFILE_CUSTOM_KEY_BYTES
                ));
            }
            match base64::engine::general_purpose::STANDARD.decode(v) {
                Ok(bytes) if bytes.len() <= limits::MAX_PROFILE_CUSTOM_VALUE_BYTES => {}
                Ok(_) => {
                    return Err(format!(
                        "custom_info value of {k:?} is over {} bytes",
                        limits::MAX_PROFILE_CUSTOM_VALUE_BYTES
                    ))
                }
                Err(_) => return Err(format!("custom_info value of {k:?} is not base64")),
            }
        }
        Ok(())
    }

    /// Sets custom field `key` to the raw `value` (base64 on the wire).
    pub fn set_custom(&mut self, key: &str, value: &[u8]) {
        use base64::Engine;
        self.custom_info
            .get_or_insert_with(Default::default)
            .insert(
                key.to_string(),
                base64::engine::general_purpose::STANDARD.encode(value),
            );
    }

    /// Applies the changes to `p`.
    pub fn apply(&self, p: &mut UserProfile) {
        let set = |dst: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                dst.clone_from(v);
            }
        };
        set(&mut p.nick_name, &self.nick_name);
        set(&mut p.face_url, &self.face_url);
        set(&mut p.self_signature, &self.self_signature);
        if let Some(v) = self.gender {
            p.gender = v;
        }
        if let Some(v) = self.role {
            p.role = v;
        }
        if let Some(v) = self.level {
            p.level = v;
        }
        if let Some(v) = self.birthday {
            p.birthday = v;
        }
        if let Some(v) = self.allow_type {
            p.allow_type = v;
        }
        if let Some(custom) = &self.custom_info {
            for (k, v) in custom {
                p.custom_info.insert(k.clone(), v.clone());
            }
        }
    }
}
