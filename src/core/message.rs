//! Message objects shared between the core's caches and the host's handles.
//!
//! A message is one `Arc<MessageObj>`: every holder sees the same state, so a message the
//! host already holds turns to its recalled form when the recall arrives.

use std::sync::Arc;

use parking_lot::RwLock;
use serde::Serialize;
use v2tim_proto::model::{status, Elem, MessageInfo, RevokeInfo, UserProfile};

pub type Message = Arc<MessageObj>;

/// The mutable state of a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MessageData {
    pub msg_id: String,
    /// Position in the conversation; 0 until the server accepted the message.
    pub seq: u64,
    pub sender: String,
    /// C2C: the other user of the conversation (from this user's point of view).
    pub user_id: String,
    /// C2C: the user the sender addressed. Empty for group messages.
    pub receiver: String,
    pub group_id: String,
    /// Server time in milliseconds; 0 until accepted (then creation time is local).
    pub timestamp_ms: i64,
    pub priority: i32,
    pub status: i32,
    pub is_self: bool,
    pub elem: Elem,
    pub revoked: Option<RevokeInfo>,
    /// The sender's nick name and face URL as the server last reported them.
    pub nick_name: String,
    pub face_url: String,
    /// V2TIM's `cloudCustomData`; empty once recalled.
    pub cloud_custom_data: String,
    /// V2TIM's `isExcludedFromUnreadCount` / `isExcludedFromLastMessage`.
    pub excluded_from_unread: bool,
    pub excluded_from_last: bool,
    /// V2TIM's `offlinePushInfo`, sent with the message (the server keeps it for a push
    /// service; it is not read back).
    pub offline_push: Option<v2tim_proto::OfflinePushInfo>,
}

#[derive(Debug)]
pub struct MessageObj {
    msg_id: String,
    data: RwLock<MessageData>,
}

impl MessageObj {
    /// A new outgoing message, not yet sent.
    pub fn new_local(msg_id: String, sender: String, elem: Elem) -> Message {
        let data = MessageData {
            msg_id: msg_id.clone(),
            seq: 0,
            sender,
            user_id: String::new(),
            receiver: String::new(),
            group_id: String::new(),
            timestamp_ms: 0,
            priority: 0,
            status: status::SENDING,
            is_self: true,
            elem,
            revoked: None,
            nick_name: String::new(),
            face_url: String::new(),
            cloud_custom_data: String::new(),
            excluded_from_unread: false,
            excluded_from_last: false,
            offline_push: None,
        };
        Arc::new(MessageObj {
            msg_id,
            data: RwLock::new(data),
        })
    }

    /// A message as the server reported it, seen by `me`.
    pub fn from_info(info: &MessageInfo, me: &str) -> Message {
        let mut data = MessageData {
            msg_id: info.msg_id.clone(),
            seq: 0,
            sender: String::new(),
            user_id: String::new(),
            receiver: String::new(),
            group_id: String::new(),
            timestamp_ms: 0,
            priority: 0,
            status: status::SEND_SUCC,
            is_self: false,
            elem: Elem::None,
            revoked: None,
            nick_name: String::new(),
            face_url: String::new(),
            cloud_custom_data: String::new(),
            excluded_from_unread: false,
            excluded_from_last: false,
            offline_push: None,
        };
        apply_info(&mut data, info, me);
        Arc::new(MessageObj {
            msg_id: info.msg_id.clone(),
            data: RwLock::new(data),
        })
    }

    pub fn msg_id(&self) -> &str {
        &self.msg_id
    }

    /// A copy of the current state.
    pub fn data(&self) -> MessageData {
        self.data.read().clone()
    }

    /// Reads the state without copying it.
    pub fn with<R>(&self, f: impl FnOnce(&MessageData) -> R) -> R {
        f(&self.data.read())
    }

    pub(crate) fn update(&self, f: impl FnOnce(&mut MessageData)) {
        f(&mut self.data.write())
    }

    /// Takes the server's view of this message. A recall already known is never undone by
    /// an older view (tombstones stay).
    pub(crate) fn apply_info(&self, info: &MessageInfo, me: &str) {
        apply_info(&mut self.data.write(), info, me)
    }

    pub fn status(&self) -> i32 {
        self.data.read().status
    }

    /// Changes what is sent with the message (`cloudCustomData`, the excluded flags, offline
    /// push info): only before it is sent, and all of `f` or nothing (a refusal, by `f` or
    /// by a limit, leaves the message as it was).
    pub fn set_extras(
        &self,
        f: impl FnOnce(&mut MessageData) -> crate::core::Result<()>,
    ) -> crate::core::Result<()> {
        use v2tim_proto::limits::{MAX_CLOUD_CUSTOM_DATA_BYTES, MAX_OFFLINE_PUSH_BYTES};
        let too_big = |what: &str, limit: usize| {
            crate::core::Error::new(
                v2tim_proto::codes::ERR_SDK_MSG_BODY_SIZE_LIMIT,
                format!("{what} is over the {limit} byte limit"),
            )
        };
        let mut d = self.data.write();
        if d.seq != 0 || d.status == status::SEND_SUCC || d.revoked.is_some() {
            return Err(crate::core::Error::invalid(
                "this message was already sent: set it before sendMessage",
            ));
        }
        let mut next = d.clone();
        f(&mut next)?;
        if next.offline_push.as_ref().map_or(0, |p| p.stored_len()) > MAX_OFFLINE_PUSH_BYTES {
            return Err(too_big("offlinePushInfo", MAX_OFFLINE_PUSH_BYTES));
        }
        if next.cloud_custom_data.len() > MAX_CLOUD_CUSTOM_DATA_BYTES {
            return Err(too_big("cloudCustomData", MAX_CLOUD_CUSTOM_DATA_BYTES));
        }
        *d = next;
        Ok(())
    }

    /// Blanks the abstract of this reply's quote of `recalled` (see `v2tim_proto::quote`).
    pub(crate) fn blank_quote_of(&self, recalled: &str) {
        let mut d = self.data.write();
        if let Some(blanked) = v2tim_proto::quote::blank_abstract(&d.cloud_custom_data, recalled) {
            d.cloud_custom_data = blanked;
        }
    }

    pub fn is_revoked(&self) -> bool {
        self.data.read().revoked.is_some()
    }

    pub fn elem_type(&self) -> i32 {
        self.data.read().elem.elem_type()
    }

    /// The text of a text message; empty for other kinds and once recalled.
    pub fn text(&self) -> String {
        match &self.data.read().elem {
            Elem::Text { text } => text.clone(),
            _ => String::new(),
        }
    }

    /// The content of a group tips message; `None` for other kinds.
    pub fn group_tips(&self) -> Option<Box<v2tim_proto::group::GroupTips>> {
        match &self.data.read().elem {
            Elem::GroupTips(t) => Some(t.clone()),
            _ => None,
        }
    }

    /// Whole-object export, as used by `_to_json`.
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }

    /// [`MessageObj::to_json`] before it is text.
    pub fn to_value(&self) -> serde_json::Value {
        let d = self.data.read();
        let (text, custom_data, description, extension) = match &d.elem {
            Elem::Text { text } => (text.as_str(), "", "", ""),
            Elem::Custom {
                data,
                description,
                extension,
            } => ("", data.as_str(), description.as_str(), extension.as_str()),
            Elem::None | Elem::GroupTips(_) => ("", "", "", ""),
        };
        let tips = match &d.elem {
            Elem::GroupTips(t) => serde_json::to_value(t).unwrap_or_default(),
            _ => serde_json::Value::Null,
        };
        let revoker = d.revoked.as_ref().map(|r| r.revoker.as_str()).unwrap_or("");
        let revoker_nick = d
            .revoked
            .as_ref()
            .map(|r| r.revoker_nick.as_str())
            .unwrap_or("");
        let revoker_face = d
            .revoked
            .as_ref()
            .map(|r| r.revoker_face.as_str())
            .unwrap_or("");
        let reason = d.revoked.as_ref().map(|r| r.reason.as_str()).unwrap_or("");
        serde_json::json!({
            "msgID": d.msg_id,
            "seq": d.seq,
            "sender": d.sender,
            "nickName": d.nick_name,
            "faceURL": d.face_url,
            "userID": d.user_id,
            "receiver": d.receiver,
            "groupID": d.group_id,
            "timestamp": d.timestamp_ms / 1000,
            "timestampMs": d.timestamp_ms,
            "priority": d.priority,
            "status": d.status,
            "isSelf": d.is_self,
            "isRevoked": d.revoked.is_some(),
            "groupTips": tips,
            "revokerInfo": { "userID": revoker, "nickName": revoker_nick, "faceURL": revoker_face },
            "revokeReason": reason,
            "elemType": d.elem.elem_type(),
            "text": text,
            "customData": custom_data,
            "customDescription": description,
            "customExtension": extension,
            "cloudCustomData": d.cloud_custom_data,
            "isExcludedFromUnreadCount": d.excluded_from_unread,
            "isExcludedFromLastMessage": d.excluded_from_last,
        })
    }
}

fn apply_info(d: &mut MessageData, info: &MessageInfo, me: &str) {
    let known_revoked = d.revoked.clone();
    d.seq = info.seq;
    d.sender = info.sender.clone();
    d.receiver = info.receiver.clone();
    d.group_id = info.group_id.clone();
    d.user_id = if !info.group_id.is_empty() {
        String::new()
    } else if info.sender == me {
        info.receiver.clone()
    } else {
        info.sender.clone()
    };
    d.timestamp_ms = info.timestamp_ms;
    d.priority = info.priority;
    d.nick_name = info.nick_name.clone();
    d.face_url = info.face_url.clone();
    d.is_self = info.sender == me;
    d.excluded_from_unread = info.excluded_from_unread;
    d.excluded_from_last = info.excluded_from_last;
    d.revoked = info.revoked.clone().or(known_revoked);
    if d.revoked.is_some() {
        d.elem = Elem::None;
        d.cloud_custom_data.clear();
        d.status = status::LOCAL_REVOKED;
    } else {
        d.elem = info.elem.clone();
        d.cloud_custom_data = info.cloud_custom_data.clone();
        d.status = status::SEND_SUCC;
    }
}

/// Profile of a user (V2TIMUserFullInfo), as far as the SDK knows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UserFullInfo {
    pub user_id: String,
    pub nick_name: String,
    pub face_url: String,
    pub self_signature: String,
    /// 0 unknown, 1 male, 2 female.
    pub gender: i32,
    pub role: u32,
    pub level: u32,
    pub birthday: u32,
    /// 0 allow any, 1 need confirmation, 2 deny any.
    pub allow_type: i32,
    /// Custom fields by key, raw bytes.
    pub custom_info: std::collections::BTreeMap<String, Vec<u8>>,
}

impl From<UserProfile> for UserFullInfo {
    fn from(p: UserProfile) -> Self {
        use base64::Engine;
        let custom_info = p
            .custom_info
            .into_iter()
            .map(|(k, v)| {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(v.as_bytes())
                    .unwrap_or_default();
                (k, bytes)
            })
            .collect();
        UserFullInfo {
            user_id: p.user_id,
            nick_name: p.nick_name,
            face_url: p.face_url,
            self_signature: p.self_signature,
            gender: p.gender,
            role: p.role,
            level: p.level,
            birthday: p.birthday,
            allow_type: p.allow_type,
            custom_info,
        }
    }
}
