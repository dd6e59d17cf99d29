//! Arbitrary bytes as a WebSocket text frame, decoded the way both ends decode it:
//!
//! - server (`server/src/session.rs`): `ClientFrame::decode`, the id salvage of an
//!   undecodable frame, then the storage-free checks of `rules` that the handlers run first
//!   (`check_login` against an app with and without a secret key, `check_send`,
//!   `check_new_group`, `check_group_id`);
//! - SDK (`src/core/connection.rs`): `ServerFrame::decode`, `decode_data` of the answer into
//!   each answer type, and pushed messages into the SDK's message objects
//!   (`MessageObj::from_info`, `to_json`).
//!
//! The transport admits only UTF-8 text of at most `MAX_FRAME_BYTES` (tungstenite checks
//! both), so other inputs are skipped. Whatever decodes must re-encode and decode to the same
//! value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::{de::DeserializeOwned, Serialize};
use v2tim_proto::limits::MAX_FRAME_BYTES;
use v2tim_proto::model::{ConvRef, EventBody};
use v2tim_proto::{
    decode_data, AnswerData, ClientFrame, ConversationAck, ConversationPage, Empty, GroupIdAck,
    GroupList, GroupsInfo, HistoryPage, LoginAck, MemberResults, MembersPage, Pong, Push, Request,
    RevokeAck, SelfInfoAck, SendAck, ServerFrame, SyncPage, UsersInfo,
};
use v2tim_server::rules;
use v2tim_server::AppConfig;

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_FRAME_BYTES {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    server_side(text);
    sdk_side(text);
});

fn server_side(text: &str) {
    let frame = match ClientFrame::decode(text) {
        Ok(f) => f,
        Err(_) => {
            // session.rs answers under the request's id when it can be read at all.
            let _ = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| v.get("id").and_then(serde_json::Value::as_u64));
            return;
        }
    };
    let again = ClientFrame::decode(&frame.encode()).expect("a re-encoded client frame decodes");
    assert_eq!(again, frame, "client frame round trip");
    let _ = frame.req.op();
    let open = AppConfig::new(1, None);
    let locked = AppConfig::new(1, Some("fuzz-key".into()));
    match &frame.req {
        Request::Login {
            protocol,
            sdk_app_id,
            user_id,
            user_sig,
            device_id,
            ..
        } => {
            for app in [None, Some(&open), Some(&locked)] {
                let _ =
                    rules::check_login(app, *protocol, *sdk_app_id, user_id, user_sig, device_id);
            }
        }
        Request::SendMessage {
            idem_key,
            msg_id,
            receiver,
            group_id,
            priority,
            elem,
            ..
        } => {
            let _ = rules::check_send(idem_key, msg_id, receiver, group_id, *priority, elem);
        }
        Request::CreateGroup {
            group_type,
            group_id,
            name,
            ..
        } => {
            let _ = rules::check_new_group(group_type, group_id, name);
        }
        Request::SetGroupInfo { group_id, changes } => {
            let _ = rules::check_group_id(group_id);
            let _ = changes.check();
        }
        Request::JoinGroup { group_id, .. }
        | Request::InviteToGroup { group_id, .. }
        | Request::QuitGroup { group_id }
        | Request::SetMemberRole { group_id, .. }
        | Request::GetGroupMembers { group_id, .. }
        | Request::KickFromGroup { group_id, .. }
        | Request::DismissGroup { group_id }
        | Request::History {
            conv: ConvRef::Group { group_id },
            ..
        }
        | Request::RevokeMessage {
            conv: ConvRef::Group { group_id },
            ..
        } => {
            let _ = rules::check_group_id(group_id);
        }
        _ => {}
    }
}

fn round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(data: &AnswerData) {
    if let Ok(v) = decode_data::<T>(data) {
        let again: T = decode_data(&AnswerData::of(&v)).expect("a re-encoded answer decodes");
        assert_eq!(again, v, "answer round trip");
    }
}

fn sdk_side(text: &str) {
    let Ok(frame) = ServerFrame::decode(text) else {
        return;
    };
    let again = ServerFrame::decode(&frame.encode()).expect("a re-encoded server frame decodes");
    // The answer's data is carried as its JSON text, so the frame comes back unchanged.
    assert_eq!(again, frame, "server frame round trip");
    match &frame {
        ServerFrame::Res { data, .. } => {
            round_trip::<LoginAck>(data);
            round_trip::<Pong>(data);
            round_trip::<SendAck>(data);
            round_trip::<SyncPage>(data);
            round_trip::<HistoryPage>(data);
            round_trip::<GroupIdAck>(data);
            round_trip::<MembersPage>(data);
            round_trip::<RevokeAck>(data);
            round_trip::<Empty>(data);
            round_trip::<ConversationPage>(data);
            round_trip::<ConversationAck>(data);
            round_trip::<SelfInfoAck>(data);
            round_trip::<UsersInfo>(data);
            round_trip::<GroupsInfo>(data);
            round_trip::<GroupList>(data);
            round_trip::<MemberResults>(data);
            if let Ok(page) = decode_data::<SyncPage>(data) {
                for e in &page.events {
                    message_of(&e.body);
                }
            }
            if let Ok(page) = decode_data::<HistoryPage>(data) {
                for m in &page.messages {
                    let _ = v2tim::core::MessageObj::from_info(m, "alice").to_json();
                }
            }
        }
        ServerFrame::Push {
            push: Push::Event { event, .. },
        } => message_of(&event.body),
        ServerFrame::Push { .. } => {}
    }
}

fn message_of(body: &EventBody) {
    let (EventBody::NewMessage { msg } | EventBody::MessageRevoked { msg }) = body;
    let m = v2tim::core::MessageObj::from_info(msg, "alice");
    let json = m.to_json();
    serde_json::from_str::<serde_json::Value>(&json).expect("to_json is JSON");
    let _ = (m.text(), m.status(), m.elem_type(), m.is_revoked());
}
