//! A chat: one core manager, its event function, and what its history pages continue from.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use napi::bindgen_prelude::{Either, External, Function};
use napi::Env;
use napi_derive::napi;
use parking_lot::Mutex;
use serde::Deserialize;
use serde_json::Value;

use super::events::{Event, Sink};
use super::json::answer;
use crate::core::{Error, ListenerKey, Manager, Message, SdkConfig};

pub struct Chat {
    pub(super) manager: Manager,
    pub(super) events: Arc<Sink>,
    key: ListenerKey,
    /// Per conversation id, the oldest message of the last page `getMessageList` answered:
    /// where its `nextReqMessageID` continues. One per conversation, replaced by each page.
    pub(super) pages: Arc<Mutex<HashMap<String, Message>>>,
}

impl Chat {
    fn close(&self) {
        self.manager.uninit_sdk();
        self.manager.remove_advanced_msg_listener(self.key);
        self.manager.remove_sdk_listener(self.key);
        self.manager.remove_conversation_listener(self.key);
        self.events.close();
        self.pages.lock().clear();
    }
}

impl Drop for Chat {
    fn drop(&mut self) {
        self.close();
    }
}

/// Listener keys unique in the process: every chat registers its own.
fn next_key() -> ListenerKey {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    [
        0x6e6f6465,
        NEXT.fetch_add(1, Ordering::Relaxed),
        0,
        0,
        0,
        0,
        0,
        0,
    ]
}

/// A new chat whose events go to `emit(name, json)`. It is not initialized yet (`init`).
#[napi(catch_unwind)]
pub fn create(emit: Function<Event, ()>) -> napi::Result<External<Chat>> {
    let emit = emit
        .build_threadsafe_function::<Event>()
        .weak::<true>()
        .build()?;
    let chat = Chat {
        manager: Manager::new(),
        events: Arc::new(Sink::new(emit)),
        key: next_key(),
        pages: Arc::new(Mutex::new(HashMap::new())),
    };
    chat.manager
        .add_advanced_msg_listener(chat.key, chat.events.clone());
    chat.manager.add_sdk_listener(chat.key, chat.events.clone());
    chat.manager
        .add_conversation_listener(chat.key, chat.events.clone());
    Ok(External::new(chat))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InitArgs {
    sdk_app_id: u32,
    #[serde(default)]
    server_url: String,
    #[serde(default)]
    secret_key: String,
    #[serde(default)]
    data_dir: String,
    #[serde(default)]
    log_level: i32,
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Initializes the chat (`TencentCloudChat.create`'s options); answers like a call.
#[napi(catch_unwind)]
pub fn init(chat: &External<Chat>, args: String) -> String {
    let result = serde_json::from_str::<InitArgs>(&args)
        .map_err(|e| Error::invalid(format!("create: {e}")))
        .and_then(|a| {
            let config = SdkConfig {
                server_url: non_empty(a.server_url),
                data_dir: non_empty(a.data_dir).map(Into::into),
                log_level: a.log_level,
                secret_key: non_empty(a.secret_key),
            };
            chat.manager.init_sdk(a.sdk_app_id, config)
        });
    answer(result.map(|()| Value::Null))
}

/// Ends the chat: logged out, listeners removed, its event function released. Calls still
/// in flight are answered with `V2TIM_ERR_SHUTDOWN`. Calling it again does nothing.
#[napi(catch_unwind)]
pub fn destroy(chat: &External<Chat>) {
    chat.close();
}

/// Whether the chat's events keep Node's event loop alive (while it is logged in).
#[napi(catch_unwind)]
pub fn set_active(env: Env, chat: &External<Chat>, active: bool) -> napi::Result<()> {
    #[allow(deprecated)] // napi_ref/unref_threadsafe_function is exactly what is meant here.
    chat.events
        .with(|f| if active { f.refer(&env) } else { f.unref(&env) })
        .unwrap_or(Ok(()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewMessage {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    custom: Option<Custom>,
    #[serde(default)]
    cloud_custom_data: String,
    #[serde(default)]
    is_excluded_from_unread_count: bool,
    #[serde(default)]
    is_excluded_from_last_message: bool,
}

#[derive(Deserialize)]
struct Custom {
    #[serde(default)]
    data: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    extension: String,
}

fn new_message(manager: &Manager, m: NewMessage) -> Result<Message, Error> {
    let msg = match (m.text, m.custom) {
        (Some(text), None) => manager.create_text_message(&text)?,
        (None, Some(c)) => {
            manager.create_custom_message(c.data.as_bytes(), &c.description, &c.extension)?
        }
        _ => return Err(Error::invalid("a message is a text or a custom message")),
    };
    msg.set_extras(|d| {
        d.cloud_custom_data = m.cloud_custom_data;
        d.excluded_from_unread = m.is_excluded_from_unread_count;
        d.excluded_from_last = m.is_excluded_from_last_message;
        Ok(())
    })?;
    Ok(msg)
}

/// A message to send: its handle, or the answer saying why there is none.
#[napi(catch_unwind)]
pub fn create_message(chat: &External<Chat>, args: String) -> Either<External<Message>, String> {
    let made = serde_json::from_str::<NewMessage>(&args)
        .map_err(|e| Error::invalid(format!("createMessage: {e}")))
        .and_then(|m| new_message(&chat.manager, m));
    match made {
        Ok(msg) => Either::A(External::new(msg)),
        Err(e) => Either::B(answer(Err(e))),
    }
}

/// The message's current state (as `v2tim_message_to_json`).
#[napi(catch_unwind)]
pub fn message_json(msg: &External<Message>) -> String {
    msg.to_json()
}

/// A UserSig for `user_id` (TLSSigAPIv2), valid `expire_seconds` from now.
#[napi(catch_unwind)]
pub fn gen_user_sig(
    sdk_app_id: u32,
    secret_key: String,
    user_id: String,
    expire_seconds: u32,
) -> String {
    crate::core::gen_user_sig(sdk_app_id, &secret_key, &user_id, expire_seconds)
}
