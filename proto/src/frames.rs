//! Request, response and push frames.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::group::{GroupChanges, GroupInfo, GroupProfile, MemberInfo, MemberResult};
use crate::model::{
    ConvRef, ConversationInfo, Elem, Event, MessageInfo, ProfileChanges, UserProfile,
};

/// A client request: `{"id": 7, "op": "send_message", ...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientFrame {
    /// Chosen by the client, echoed in the response. Unique per connection.
    pub id: u64,
    #[serde(flatten)]
    pub req: Request,
}

/// Every request the server understands. The `op` field names the variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// First frame of a connection. Answer: [`LoginAck`].
    Login {
        protocol: u32,
        sdk_app_id: u32,
        user_id: String,
        user_sig: String,
        /// Stable id of this SDK instance (device); several devices may be online per user.
        device_id: String,
        /// Last sync sequence this device has applied; `None` for a device that has never
        /// synced (it starts at the user's current head and reads the past via history).
        #[serde(default)]
        last_seq: Option<u64>,
    },
    /// Ends the session; the server closes the connection after answering.
    Logout,
    /// Keep-alive. Answer: [`Pong`].
    Ping,
    /// Answer: [`SendAck`]. Idempotent by `idem_key`: a retry returns the first answer.
    /// `online_only` (V2TIM's `onlineUserOnly`): pushed as [`Push::OnlineMessage`] to the
    /// devices online now and nothing else: not stored, not idempotent, seq 0.
    SendMessage {
        idem_key: String,
        msg_id: String,
        /// C2C receiver, or empty.
        #[serde(default)]
        receiver: String,
        /// Group, or empty. Exactly one of `receiver` and `group_id` is non-empty.
        #[serde(default)]
        group_id: String,
        #[serde(default)]
        priority: i32,
        elem: Elem,
        #[serde(default, skip_serializing_if = "crate::model::is_false")]
        online_only: bool,
        /// V2TIM's `cloudCustomData`, at most
        /// [`crate::limits::MAX_CLOUD_CUSTOM_DATA_BYTES`].
        #[serde(default, skip_serializing_if = "String::is_empty")]
        cloud_custom_data: String,
        /// V2TIM's `isExcludedFromUnreadCount` / `isExcludedFromLastMessage`.
        #[serde(default, skip_serializing_if = "crate::model::is_false")]
        excluded_from_unread: bool,
        #[serde(default, skip_serializing_if = "crate::model::is_false")]
        excluded_from_last: bool,
        /// V2TIM's `offlinePushInfo`, kept with the message for a push service (boxed: most
        /// messages have none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        offline_push: Option<Box<crate::model::OfflinePushInfo>>,
    },
    /// Events of the caller's sync sequence after `after_seq`. Answer: [`SyncPage`].
    Sync { after_seq: u64, limit: u32 },
    /// Messages of a conversation. Older (the default): newest first, with
    /// `seq < before_seq` (from the newest when `None`). `newer`: oldest first, with
    /// `seq > after_seq` (none when `None` and no time range: nothing is newer than the
    /// newest; from the range's start with one). Either way only messages sent within
    /// `time_from_ms..=time_to_ms` when given, and only messages whose element type (as
    /// sent: a recalled message keeps its type) is one of `elem_types` when that is not
    /// empty. Answer: [`HistoryPage`].
    History {
        conv: ConvRef,
        #[serde(default)]
        before_seq: Option<u64>,
        count: u32,
        #[serde(default, skip_serializing_if = "crate::model::is_false")]
        newer: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after_seq: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_from_ms: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_to_ms: Option<i64>,
        /// V2TIM element types (`V2TIMElemType`, 0 to 31), at most
        /// [`crate::limits::MAX_HISTORY_ELEM_TYPES`].
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        elem_types: Vec<i32>,
    },
    /// Answer: [`GroupIdAck`]. An empty `group_id` asks the server to choose one. The
    /// creator is the owner; `member_ids` join at once (the members get an INVITE tips
    /// message).
    CreateGroup {
        group_type: String,
        #[serde(default)]
        group_id: String,
        #[serde(default)]
        name: String,
        #[serde(default)]
        profile: GroupProfile,
        #[serde(default)]
        member_ids: Vec<String>,
    },
    /// Join a group whose type allows joining without invitation (all but Work).
    JoinGroup {
        group_id: String,
        #[serde(default)]
        message: String,
    },
    /// Add users to a group (any member may invite in a Work group; owner/admin elsewhere).
    /// Answer: [`MemberResults`], one per user.
    InviteToGroup {
        group_id: String,
        user_ids: Vec<String>,
    },
    /// Removes members: the owner removes anyone, an admin ordinary members. Answer:
    /// [`MemberResults`], one per user.
    KickFromGroup {
        group_id: String,
        user_ids: Vec<String>,
        #[serde(default)]
        reason: String,
    },
    /// The owner ends the group (not a Work group: V2TIM's rule; the admin API can). Every
    /// member gets a GROUP_DISMISSED tips entry and leaves.
    DismissGroup { group_id: String },
    /// Changes the group's name, notification, introduction or face URL: the owner and
    /// admins, or any member of a Work group.
    SetGroupInfo {
        group_id: String,
        changes: GroupChanges,
    },
    /// Profiles of up to [`crate::limits::MAX_GROUPS_INFO`] groups, each with its own
    /// result. Answer: [`GroupsInfo`].
    GetGroupsInfo { group_ids: Vec<String> },
    /// The groups the caller is a member of. Answer: [`GroupList`].
    GetJoinedGroups,
    /// Leave a group. The owner cannot leave before transferring ownership.
    QuitGroup { group_id: String },
    /// Owner only. `role` 200 or 300 sets a member's role; 400 transfers ownership (the old
    /// owner becomes a member).
    SetMemberRole {
        group_id: String,
        user_id: String,
        role: u32,
    },
    /// Members in join order, those of `filter` (a `member_filter` combination; 0: all),
    /// from offset `next_seq`, at most `count` (0: a full page). Answer: [`MembersPage`].
    GetGroupMembers {
        group_id: String,
        #[serde(default)]
        filter: u32,
        #[serde(default)]
        next_seq: u64,
        #[serde(default)]
        count: u32,
    },
    /// Recalls a message. Answer: [`RevokeAck`]. Idempotent by `idem_key`: a retry after a
    /// lost answer gets the first answer and makes no second recall event.
    RevokeMessage {
        idem_key: String,
        msg_id: String,
        /// The conversation the caller holds the message in: C2C `peer` is the other user
        /// of the conversation (from the caller's side). The server checks it.
        conv: ConvRef,
        /// Optional text shown with the recall; empty when none.
        #[serde(default)]
        reason: String,
    },
    /// The caller's conversations, newest activity first, with `order_key < before_order`
    /// (all when `None`), at most `count` (0: the most a page holds). Answer:
    /// [`ConversationPage`].
    GetConversationList {
        #[serde(default)]
        before_order: Option<u64>,
        count: u32,
    },
    /// Changes the caller's profile. The caller's other devices get
    /// [`Push::SelfInfoUpdated`]. Answer: [`SelfInfoAck`].
    SetSelfInfo { changes: ProfileChanges },
    /// Profiles of up to [`crate::limits::MAX_USERS_INFO`] users; users without an account
    /// are left out. Answer: [`UsersInfo`].
    GetUsersInfo { user_ids: Vec<String> },
    /// One of the caller's conversations. Answer: [`ConversationAck`].
    GetConversation { conv: ConvRef },
    /// Marks the caller's messages of a conversation read, for every device of the caller:
    /// up to conversation seq `upto_seq`, or, when that is 0, up to the newest message sent
    /// at or before `upto_time_ms`, or, when both are 0, all. A read position never moves
    /// back. The caller's other devices get [`Push::ConversationRead`]. Answer:
    /// [`ConversationAck`].
    MarkConversationRead {
        conv: ConvRef,
        #[serde(default)]
        upto_seq: u64,
        #[serde(default)]
        upto_time_ms: i64,
    },
}

impl Request {
    /// The `op` name, for logs and errors.
    pub fn op(&self) -> &'static str {
        match self {
            Request::Login { .. } => "login",
            Request::Logout => "logout",
            Request::Ping => "ping",
            Request::SendMessage { .. } => "send_message",
            Request::Sync { .. } => "sync",
            Request::History { .. } => "history",
            Request::CreateGroup { .. } => "create_group",
            Request::JoinGroup { .. } => "join_group",
            Request::InviteToGroup { .. } => "invite_to_group",
            Request::QuitGroup { .. } => "quit_group",
            Request::SetMemberRole { .. } => "set_member_role",
            Request::GetGroupMembers { .. } => "get_group_members",
            Request::KickFromGroup { .. } => "kick_from_group",
            Request::DismissGroup { .. } => "dismiss_group",
            Request::SetGroupInfo { .. } => "set_group_info",
            Request::GetGroupsInfo { .. } => "get_groups_info",
            Request::GetJoinedGroups => "get_joined_groups",
            Request::RevokeMessage { .. } => "revoke_message",
            Request::GetConversationList { .. } => "get_conversation_list",
            Request::GetConversation { .. } => "get_conversation",
            Request::SetSelfInfo { .. } => "set_self_info",
            Request::GetUsersInfo { .. } => "get_users_info",
            Request::MarkConversationRead { .. } => "mark_conversation_read",
        }
    }
}

/// Everything the server sends. Frames are decoded one at a time and consumed at once, so
/// the size of the push variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The answer to request `id`. `code` 0 is success and `data` holds the op's answer
    /// type; otherwise `desc` is an English description and `data` is null.
    Res {
        id: u64,
        code: i32,
        #[serde(default)]
        desc: String,
        #[serde(default)]
        data: AnswerData,
    },
    /// Sent without a request.
    Push { push: Push },
}

// Pushes are built once and encoded at once; boxing the event would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Push {
    /// A new entry of the user's sync sequence. `prev` is the position up to which this
    /// connection was already sent everything of the sequence (the previous push to it, or
    /// the `head_seq` of its login): a client that has applied everything up to at least
    /// `prev` applies the event at once; otherwise it syncs first.
    Event {
        event: Event,
        #[serde(default)]
        prev: u64,
    },
    /// This device was signed out by the server (too many devices, or by an administrator).
    /// The server closes the connection after this frame.
    Kicked { reason: String },
    /// The UserSig used to log in has expired; the server closes the connection.
    UserSigExpired,
    /// Another device of the user moved its read position of `conv` (from this user's
    /// side): the conversation's unread count changed. Not part of the sync sequence; a
    /// client re-reads the conversation (`get_conversation`).
    ConversationRead { conv: ConvRef },
    /// Another device of the user changed the user's profile; `info` is the whole profile.
    SelfInfoUpdated { info: UserProfile },
    /// A message sent online-only (seq 0): for the devices online when it was sent, never
    /// stored, not part of the sync sequence.
    OnlineMessage { msg: MessageInfo },
}

// Decoding server frames by hand: the same shape as the derived encoding, read through
// plain structs. serde's derived decoding of internally tagged enums buffers every frame
// (and every push in it) into an intermediate tree first; for the client, which decodes
// every frame it gets, that code was the largest part of the frame handling in the library
// an app ships.

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum FrameKind {
    Res,
    Push,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PushKind {
    Event,
    Kicked,
    UserSigExpired,
    ConversationRead,
    SelfInfoUpdated,
    OnlineMessage,
}

#[derive(Deserialize)]
struct FrameWire {
    t: FrameKind,
    id: Option<u64>,
    code: Option<i32>,
    #[serde(default)]
    desc: String,
    #[serde(default)]
    data: AnswerData,
    push: Option<PushWire>,
}

#[derive(Deserialize)]
struct PushWire {
    kind: PushKind,
    event: Option<Event>,
    #[serde(default)]
    prev: u64,
    reason: Option<String>,
    conv: Option<ConvRef>,
    info: Option<UserProfile>,
    msg: Option<MessageInfo>,
}

fn missing<E: serde::de::Error>(what: &'static str) -> E {
    E::missing_field(what)
}

impl<'de> Deserialize<'de> for Push {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        PushWire::deserialize(d)?.into_push()
    }
}

impl PushWire {
    fn into_push<E: serde::de::Error>(self) -> Result<Push, E> {
        Ok(match self.kind {
            PushKind::Event => Push::Event {
                event: self.event.ok_or_else(|| missing("event"))?,
                prev: self.prev,
            },
            PushKind::Kicked => Push::Kicked {
                reason: self.reason.ok_or_else(|| missing("reason"))?,
            },
            PushKind::UserSigExpired => Push::UserSigExpired,
            PushKind::ConversationRead => Push::ConversationRead {
                conv: self.conv.ok_or_else(|| missing("conv"))?,
            },
            PushKind::SelfInfoUpdated => Push::SelfInfoUpdated {
                info: self.info.ok_or_else(|| missing("info"))?,
            },
            PushKind::OnlineMessage => Push::OnlineMessage {
                msg: self.msg.ok_or_else(|| missing("msg"))?,
            },
        })
    }
}

impl<'de> Deserialize<'de> for ServerFrame {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = FrameWire::deserialize(d)?;
        Ok(match w.t {
            FrameKind::Res => ServerFrame::Res {
                id: w.id.ok_or_else(|| missing("id"))?,
                code: w.code.ok_or_else(|| missing("code"))?,
                desc: w.desc,
                data: w.data,
            },
            FrameKind::Push => ServerFrame::Push {
                push: w.push.ok_or_else(|| missing("push"))?.into_push()?,
            },
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginAck {
    pub server_time_ms: i64,
    /// The app's stream position at login: everything of the user's sequence up to it is
    /// there to sync, everything after it is pushed.
    pub head_seq: u64,
    /// When the UserSig expires, seconds since the Unix epoch.
    pub sig_expire_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pong {
    pub server_time_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendAck {
    pub msg: MessageInfo,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncPage {
    pub events: Vec<Event>,
    /// The page stops short of the stream's head: ask again after `head_seq`.
    pub more: bool,
    /// The page holds every event of the sequence up to this stream position (the stream's
    /// head when `more` is false), so the client's cursor moves there.
    pub head_seq: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    /// Newest first.
    pub messages: Vec<MessageInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupIdAck {
    pub group_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersPage {
    pub members: Vec<MemberInfo>,
    /// The offset of the next page; 0 when this is the last.
    #[serde(default)]
    pub next_seq: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberResults {
    pub results: Vec<MemberResult>,
}

/// One group of `get_groups_info`: `code` 0 and its profile, or why not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupInfoResult {
    pub group_id: String,
    pub code: i32,
    #[serde(default)]
    pub desc: String,
    #[serde(default)]
    pub info: Option<GroupInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupsInfo {
    pub results: Vec<GroupInfoResult>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupList {
    pub groups: Vec<GroupInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeAck {
    /// The message in its recalled form: `revoked` set, content erased.
    pub msg: MessageInfo,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationPage {
    /// Newest activity first.
    pub conversations: Vec<ConversationInfo>,
    /// More conversations follow: ask again with `before_order` = the last one's
    /// `order_key`.
    pub more: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationAck {
    pub conversation: ConversationInfo,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfInfoAck {
    /// The caller's whole profile after the change.
    pub info: UserProfile,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersInfo {
    pub users: Vec<UserProfile>,
}

/// An empty successful answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

/// A decoding failure, kept apart from serde's type so callers map it to their own codes.
#[derive(Debug)]
pub struct DecodeError(pub String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

impl ClientFrame {
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("client frames always serialize")
    }

    pub fn decode(text: &str) -> Result<Self, DecodeError> {
        serde_json::from_str(text).map_err(|e| DecodeError(format!("bad client frame: {e}")))
    }
}

/// An event encoded once (see [`EncodedEvent::push_frame`]).
pub struct EncodedEvent {
    json: String,
    /// The event's `seq`.
    pub seq: u64,
}

impl EncodedEvent {
    pub fn new(event: &Event) -> Self {
        EncodedEvent {
            json: serde_json::to_string(event).expect("events always serialize"),
            seq: event.seq,
        }
    }

    /// The `Push::Event` frame of this event with `prev`, byte for byte what
    /// [`ServerFrame::encode`] makes of it. The server sends one event to many connections,
    /// each with its own `prev`: this splices the number in instead of encoding the event
    /// once per connection.
    pub fn push_frame(&self, prev: u64) -> String {
        format!(
            r#"{{"t":"push","push":{{"kind":"event","event":{},"prev":{prev}}}}}"#,
            self.json
        )
    }
}

impl ServerFrame {
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("server frames always serialize")
    }

    pub fn decode(text: &str) -> Result<Self, DecodeError> {
        serde_json::from_str(text).map_err(|e| DecodeError(format!("bad server frame: {e}")))
    }

    /// A success answer with `data`.
    pub fn ok<T: Serialize>(id: u64, data: &T) -> Self {
        ServerFrame::Res {
            id,
            code: 0,
            desc: String::new(),
            data: AnswerData::of(data),
        }
    }

    pub fn err(id: u64, code: i32, desc: impl Into<String>) -> Self {
        ServerFrame::Res {
            id,
            code,
            desc: desc.into(),
            data: AnswerData::default(),
        }
    }
}

/// The `data` of an answer, kept as the JSON text it arrived as until the caller, who
/// knows the op, decodes it into the op's answer type. Decoding it from the frame's text
/// rather than through a `serde_json::Value` tree spares the client a second decoder per
/// answer type (and the tree's allocations).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnswerData(Box<RawValue>);

impl AnswerData {
    /// `data` as JSON. Answers are plain data, so this cannot fail; a value that did would
    /// become null (which the client refuses as a bad answer).
    pub fn of<T: Serialize + ?Sized>(data: &T) -> Self {
        serde_json::value::to_raw_value(data).map_or_else(|_| AnswerData::default(), AnswerData)
    }

    /// The JSON text.
    pub fn json(&self) -> &str {
        self.0.get()
    }

    /// Decodes the answer as the op's answer type.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        serde_json::from_str(self.0.get()).map_err(|e| DecodeError(format!("bad answer data: {e}")))
    }
}

impl Default for AnswerData {
    fn default() -> Self {
        AnswerData(RawValue::from_string("null".into()).expect("null is JSON"))
    }
}

/// The same JSON text; answers are compared in tests, where the server wrote both sides.
impl PartialEq for AnswerData {
    fn eq(&self, other: &Self) -> bool {
        self.json() == other.json()
    }
}

/// Decodes the `data` of a success answer into the op's answer type.
pub fn decode_data<T: DeserializeOwned>(data: &AnswerData) -> Result<T, DecodeError> {
    data.decode()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, EventBody, UserProfile};

    #[test]
    fn request_round_trip_and_shape() {
        let f = ClientFrame {
            id: 7,
            req: Request::SendMessage {
                idem_key: "k".into(),
                msg_id: "m".into(),
                receiver: "bob".into(),
                group_id: String::new(),
                priority: 0,
                elem: Elem::Text { text: "hi".into() },
                online_only: false,
                cloud_custom_data: String::new(),
                excluded_from_unread: false,
                excluded_from_last: false,
                offline_push: None,
            },
        };
        let s = f.encode();
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["id"], 7);
        assert_eq!(v["op"], "send_message");
        assert_eq!(v["elem"]["type"], "text");
        assert!(v.get("online_only").is_none(), "sent only when set: {s}");
        assert_eq!(ClientFrame::decode(&s).unwrap(), f);
        let online = s.replacen('{', r#"{"online_only":true,"#, 1);
        assert!(matches!(
            ClientFrame::decode(&online).unwrap().req,
            Request::SendMessage {
                online_only: true,
                ..
            }
        ));
        let logout = ClientFrame {
            id: 1,
            req: Request::Logout,
        };
        assert_eq!(ClientFrame::decode(&logout.encode()).unwrap(), logout);
    }

    #[test]
    fn revoke_request_shape() {
        let f = ClientFrame {
            id: 3,
            req: Request::RevokeMessage {
                idem_key: "k".into(),
                msg_id: "m".into(),
                conv: ConvRef::C2c { peer: "bob".into() },
                reason: String::new(),
            },
        };
        let v: serde_json::Value = serde_json::from_str(&f.encode()).unwrap();
        assert_eq!(v["op"], "revoke_message");
        assert_eq!(v["conv"], serde_json::json!({"kind": "c2c", "peer": "bob"}));
        let no_reason = r#"{"id":3,"op":"revoke_message","idem_key":"k","msg_id":"m","conv":{"kind":"c2c","peer":"bob"}}"#;
        assert_eq!(ClientFrame::decode(no_reason).unwrap(), f);
    }

    #[test]
    fn push_round_trip() {
        let msg = MessageInfo {
            msg_id: "m".into(),
            seq: 3,
            sender: "alice".into(),
            receiver: "bob".into(),
            group_id: String::new(),
            timestamp_ms: 5,
            priority: 0,
            elem: Elem::Text { text: "x".into() },
            revoked: None,
            nick_name: String::new(),
            face_url: String::new(),
            excluded_from_unread: false,
            excluded_from_last: false,
            cloud_custom_data: String::new(),
        };
        let f = ServerFrame::Push {
            push: Push::Event {
                event: Event {
                    seq: 9,
                    body: EventBody::NewMessage { msg },
                },
                prev: 4,
            },
        };
        let s = f.encode();
        let ServerFrame::Push {
            push: Push::Event { event, prev },
        } = &f
        else {
            unreachable!()
        };
        assert_eq!(EncodedEvent::new(event).push_frame(*prev), s);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["t"], "push");
        assert_eq!(v["push"]["kind"], "event");
        assert_eq!(v["push"]["event"]["event"], "new_message");
        assert_eq!(ServerFrame::decode(&s).unwrap(), f);
    }

    #[test]
    fn every_frame_decodes_to_what_it_was_encoded_from() {
        let msg = |elem| MessageInfo {
            msg_id: "m".into(),
            seq: 1,
            sender: "a".into(),
            receiver: "b".into(),
            group_id: String::new(),
            timestamp_ms: 1,
            priority: 0,
            elem,
            revoked: None,
            nick_name: "A".into(),
            face_url: String::new(),
            excluded_from_unread: false,
            excluded_from_last: false,
            cloud_custom_data: String::new(),
        };
        let elems = [
            Elem::Text { text: "t".into() },
            Elem::Custom {
                data: "AAE=".into(),
                description: "d".into(),
                extension: String::new(),
            },
            Elem::None,
        ];
        let mut frames: Vec<ServerFrame> = elems
            .into_iter()
            .map(|e| ServerFrame::Push {
                push: Push::Event {
                    event: Event {
                        seq: 3,
                        body: EventBody::MessageRevoked { msg: msg(e) },
                    },
                    prev: 2,
                },
            })
            .collect();
        for push in [
            Push::Kicked { reason: "r".into() },
            Push::UserSigExpired,
            Push::ConversationRead {
                conv: ConvRef::Group {
                    group_id: "g".into(),
                },
            },
            Push::ConversationRead {
                conv: ConvRef::C2c { peer: "p".into() },
            },
            Push::SelfInfoUpdated {
                info: UserProfile {
                    user_id: "u".into(),
                    nick_name: "n".into(),
                    ..UserProfile::default()
                },
            },
            Push::OnlineMessage {
                msg: msg(Elem::Text { text: "t".into() }),
            },
        ] {
            frames.push(ServerFrame::Push { push });
        }
        frames.push(ServerFrame::ok(4, &Empty {}));
        frames.push(ServerFrame::err(5, 6017, "no"));
        for f in frames {
            assert_eq!(ServerFrame::decode(&f.encode()).unwrap(), f);
        }
        // What the derived decoding refused is still refused.
        for bad in [
            r#"{"t":"res","code":0}"#,
            r#"{"t":"push","push":{"kind":"kicked"}}"#,
            r#"{"t":"push","push":{"kind":"online_message"}}"#,
            r#"{"t":"push","push":{"kind":"event","event":{"seq":1,"event":"new_message","msg":{"msg_id":"m","seq":1,"sender":"a","timestamp_ms":0,"priority":0,"elem":{"type":"text"}}}}}"#,
            r#"{"t":"push","push":{"kind":"nope"}}"#,
        ] {
            assert!(ServerFrame::decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for s in [
            "",
            "{",
            "null",
            "{\"id\":1}",
            "{\"id\":1,\"op\":\"nope\"}",
            "[1,2]",
        ] {
            assert!(ClientFrame::decode(s).is_err(), "{s}");
            assert!(ServerFrame::decode(s).is_err(), "{s}");
        }
    }
}
