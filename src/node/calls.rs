//! `call(chat, op, json)` and `sendMessage(chat, message, json)`: the asynchronous work of
//! a chat, each answered by a Promise (see the module's rules).

use napi::bindgen_prelude::{External, Object};
use napi::{Env, JsDeferred};
use napi_derive::napi;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use super::chat::Chat;
use super::json::{self, answer};
use crate::core::{
    parse_conversation_id, Completion, ConvRef, Error, GroupProfile, HistoryOptions, Message,
    ProfileChanges,
};

type Resolver = Box<dyn FnOnce(Env) -> napi::Result<String> + Send>;

/// The Promise of one call, settled once from whatever thread the answer comes on.
pub(super) struct Reply(JsDeferred<String, Resolver>);

impl Reply {
    /// A new pending Promise and the reply that settles it.
    pub(super) fn new(env: &Env) -> napi::Result<(Reply, Object<'_>)> {
        let (deferred, promise) = env.create_deferred::<String, Resolver>()?;
        Ok((Reply(deferred), promise))
    }

    pub(super) fn send(self, result: Result<Value, Error>) {
        let text = answer(result);
        self.0.resolve(Box::new(move |_| Ok(text)));
    }

    /// The core's completion for this call: `f` makes the answer's `data`.
    fn done<T: 'static>(self, f: impl FnOnce(T) -> Value + Send + 'static) -> Completion<T> {
        Box::new(move |r| self.send(r.map(f)))
    }

    fn empty(self) -> Completion<()> {
        self.done(|()| Value::Null)
    }
}

fn parse<T: DeserializeOwned>(op: &str, args: &str) -> Result<T, Error> {
    serde_json::from_str(args).map_err(|e| Error::invalid(format!("{op}: {e}")))
}

/// One of a C2C conversation's peer or a group.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Target {
    #[serde(rename = "userID")]
    user_id: String,
    #[serde(rename = "groupID")]
    group_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Login {
    #[serde(rename = "userID")]
    user_id: String,
    user_sig: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Revoke {
    #[serde(flatten)]
    target: Target,
    #[serde(rename = "msgID")]
    msg_id: String,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct History {
    #[serde(rename = "conversationID")]
    conversation_id: String,
    count: i32,
    #[serde(default, rename = "nextReqMessageID")]
    next_req_message_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateGroup {
    #[serde(rename = "type")]
    group_type: String,
    #[serde(default)]
    name: String,
    #[serde(default, rename = "groupID")]
    group_id: String,
    #[serde(default)]
    member_list: Vec<String>,
    #[serde(default, flatten)]
    profile: GroupProfile,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Group {
    #[serde(rename = "groupID")]
    group_id: String,
    #[serde(default)]
    apply_message: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MemberRole {
    #[serde(rename = "groupID")]
    group_id: String,
    #[serde(rename = "userID")]
    user_id: String,
    role: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConversationPage {
    #[serde(default)]
    next_seq: u64,
    count: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Users {
    #[serde(rename = "userIDList")]
    user_id_list: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SendArgs {
    #[serde(flatten)]
    target: Target,
    #[serde(default)]
    priority: i32,
    #[serde(default)]
    online_user_only: bool,
}

/// Runs `op` with `args` (JSON); the Promise resolves with its answer.
#[napi(catch_unwind)]
pub fn call<'e>(
    env: &'e Env,
    chat: &External<Chat>,
    op: String,
    args: String,
) -> napi::Result<Object<'e>> {
    let (reply, promise) = Reply::new(env)?;
    if let Err(e) = dispatch(chat, &op, &args, reply) {
        // `dispatch` hands the reply on before anything can fail, except parsing.
        e.send()
    }
    Ok(promise)
}

/// A call refused before it reached the core.
struct Refused(Reply, Error);

impl Refused {
    fn send(self) {
        self.0.send(Err(self.1))
    }
}

fn dispatch(chat: &Chat, op: &str, args: &str, reply: Reply) -> Result<(), Refused> {
    macro_rules! args {
        ($t:ty) => {
            match parse::<$t>(op, args) {
                Ok(a) => a,
                Err(e) => return Err(Refused(reply, e)),
            }
        };
    }
    let m = &chat.manager;
    match op {
        "login" => {
            let a = args!(Login);
            m.login(&a.user_id, &a.user_sig, reply.empty());
        }
        "logout" => m.logout(reply.empty()),
        "revoke" => {
            let a = args!(Revoke);
            let t = a.target;
            m.revoke_message_by_id(&t.user_id, &t.group_id, &a.msg_id, &a.reason, reply.empty());
        }
        "history" => {
            let a = args!(History);
            return history(chat, a, reply);
        }
        "createGroup" => {
            let a = args!(CreateGroup);
            m.create_group_with(
                &a.group_type,
                &a.group_id,
                &a.name,
                a.profile,
                a.member_list,
                reply.done(Value::String),
            );
        }
        "joinGroup" => {
            let a = args!(Group);
            m.join_group(&a.group_id, &a.apply_message, reply.empty());
        }
        "quitGroup" => m.quit_group(&args!(Group).group_id, reply.empty()),
        "dismissGroup" => m.dismiss_group(&args!(Group).group_id, reply.empty()),
        "setGroupMemberRole" => {
            let a = args!(MemberRole);
            m.set_group_member_role(&a.group_id, &a.user_id, a.role, reply.empty());
        }
        "conversations" => {
            let a = args!(ConversationPage);
            let done = reply.done(
                |(list, next_seq, is_finished): crate::core::ConversationResult| {
                    json!({
                        "conversationList": json::conversations(&list),
                        "nextSeq": next_seq,
                        "isFinished": is_finished,
                    })
                },
            );
            m.get_conversation_list(a.next_seq, a.count, done);
        }
        "totalUnread" => m.get_total_unread_message_count(reply.done(|n| json!(n))),
        "markRead" => {
            let t = args!(Target);
            match (t.user_id.is_empty(), t.group_id.is_empty()) {
                (false, true) => m.mark_c2c_message_as_read(&t.user_id, reply.empty()),
                _ => m.mark_group_message_as_read(&t.group_id, reply.empty()),
            }
        }
        "usersInfo" => {
            let a = args!(Users);
            let done = reply.done(|users: Vec<crate::core::UserFullInfo>| {
                Value::Array(users.iter().map(json::profile).collect())
            });
            m.get_users_info(a.user_id_list, done);
        }
        "setSelfInfo" => m.set_self_info(args!(ProfileChanges), reply.empty()),
        _ => {
            return Err(Refused(
                reply,
                Error::invalid(format!("no call named {op:?}")),
            ))
        }
    }
    Ok(())
}

/// A page of history, newest first, continuing from the page before when asked to.
fn history(chat: &Chat, a: History, reply: Reply) -> Result<(), Refused> {
    let Some(conv) = parse_conversation_id(&a.conversation_id) else {
        let e = Error::invalid("conversationID must be C2C<userID> or GROUP<groupID>");
        return Err(Refused(reply, e));
    };
    let last_msg = if a.next_req_message_id.is_empty() {
        None
    } else {
        let held = chat.pages.lock().get(&a.conversation_id).cloned();
        match held.filter(|m| m.msg_id() == a.next_req_message_id) {
            Some(m) => Some(m),
            None => {
                let e = Error::invalid(
                    "nextReqMessageID is not where the last getMessageList of this \
                     conversation ended",
                );
                return Err(Refused(reply, e));
            }
        }
    };
    let (user_id, group_id) = match conv {
        ConvRef::C2c { peer } => (Some(peer), None),
        ConvRef::Group { group_id } => (None, Some(group_id)),
    };
    let options = HistoryOptions {
        get_type: 1,
        user_id,
        group_id,
        count: a.count,
        last_msg,
        ..HistoryOptions::default()
    };
    let (pages, conv_id, count) = (chat.pages.clone(), a.conversation_id, a.count);
    let done = reply.done(move |list: Vec<Message>| {
        let oldest = list.last().cloned();
        let next = oldest
            .as_ref()
            .map_or(String::new(), |m| m.msg_id().to_owned());
        match oldest {
            Some(m) => pages.lock().insert(conv_id, m),
            None => pages.lock().remove(&conv_id),
        };
        json!({
            "messageList": list.iter().map(|m| m.to_value()).collect::<Vec<_>>(),
            "nextReqMessageID": next,
            "isCompleted": (list.len() as i64) < i64::from(count),
        })
    });
    chat.manager.get_history_message_list(&options, done);
    Ok(())
}

/// Sends a message made by `createMessage`; resolves with its state once accepted.
#[napi(catch_unwind)]
pub fn send_message<'e>(
    env: &'e Env,
    chat: &External<Chat>,
    msg: &External<Message>,
    args: String,
) -> napi::Result<Object<'e>> {
    let (reply, promise) = Reply::new(env)?;
    match parse::<SendArgs>("sendMessage", &args) {
        Ok(a) => {
            let t = a.target;
            let done = reply.done(|m: Message| m.to_value());
            chat.manager.send_message_with(
                msg,
                &t.user_id,
                &t.group_id,
                a.priority,
                a.online_user_only,
                done,
            );
        }
        Err(e) => reply.send(Err(e)),
    }
    Ok(promise)
}
