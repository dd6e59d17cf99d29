//! The JSON the JavaScript layer reads: the core's objects with the C ABI's field names
//! (`v2tim_message_to_json` for messages), and the answer every call resolves with.

use base64::Engine;
use serde_json::{json, Value};

use crate::core::{Conversation, Error, UserFullInfo};

/// What a Promise resolves with: `{"code":0,"data":...}` or `{"code":N,"message":"..."}`.
pub(super) fn answer(result: Result<Value, Error>) -> String {
    match result {
        Ok(data) => json!({ "code": 0, "data": data }),
        Err(e) => json!({ "code": e.code, "message": e.desc }),
    }
    .to_string()
}

pub(super) fn profile(u: &UserFullInfo) -> Value {
    let custom: serde_json::Map<String, Value> = u
        .custom_info
        .iter()
        .map(|(k, v)| {
            let text = base64::engine::general_purpose::STANDARD.encode(v);
            (k.clone(), Value::String(text))
        })
        .collect();
    json!({
        "userID": u.user_id,
        "nickName": u.nick_name,
        "faceURL": u.face_url,
        "selfSignature": u.self_signature,
        "gender": u.gender,
        "role": u.role,
        "level": u.level,
        "birthday": u.birthday,
        "allowType": u.allow_type,
        "customInfo": custom,
    })
}

pub(super) fn conversation(c: &Conversation) -> Value {
    json!({
        "conversationID": c.conversation_id,
        "type": c.conv_type,
        "userID": c.user_id,
        "groupID": c.group_id,
        "showName": c.show_name,
        "faceURL": c.face_url,
        "groupType": c.group_type,
        "unreadCount": c.unread_count,
        "orderKey": c.order_key,
        "lastMessage": c.last_message.as_ref().map(|m| m.to_value()),
    })
}

pub(super) fn conversations(list: &[Conversation]) -> Value {
    Value::Array(list.iter().map(conversation).collect())
}
