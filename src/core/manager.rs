//! `Manager`: one SDK instance (V2TIMManager), the API the C layer calls.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Weak};

use parking_lot::Mutex;
use serde::de::DeserializeOwned;
use v2tim_proto::group::{tips_type, GroupProfile};
use v2tim_proto::model::{status, ConvRef, Elem, Event, EventBody, MessageInfo, RevokeInfo};
use v2tim_proto::{
    codes, limits, ConversationAck, ConversationInfo, ConversationPage, Empty, HistoryPage,
    LoginAck, ProfileChanges, Request, RevokeAck, SelfInfoAck, SendAck, UserProfile, UsersInfo,
};

use super::cache::MessageCache;
use super::connection::{
    parse_server_urls, End, Endpoint, SessionHandle, SessionHost, SessionParams,
};
use super::conversations::{parse_conversation_id, ConvCache, Conversation, Next};
use super::cursor::Cursors;
use super::dispatch::{post, Listeners};
use super::error::{Error, Result};
use super::history::{HistoryOptions, Range};
use super::listener::{
    AdvancedMsgListener, ConversationListener, GroupListener, ListenerKey, SdkListener,
};
use super::message::{Message, MessageObj, UserFullInfo};
use super::{embedded, runtime};

/// Called once, on the event thread, with the outcome of an asynchronous call.
pub type Completion<T> = Box<dyn FnOnce(Result<T>) + Send + 'static>;

/// A call waiting for the conversation list; called with how its read ended.
type Waiter = Box<dyn FnOnce(Result<()>) + Send + 'static>;

/// A page of the conversation list: the conversations, the next page's `next_seq`, and
/// whether this page is the last.
pub type ConversationResult = (Vec<Conversation>, u64, bool);

/// How often a conversation is read again when each read raced a newer event.
const CONVERSATION_REREADS: u32 = 3;

/// V2TIM login status values.
pub mod login_status {
    pub const LOGINED: i32 = 1;
    pub const LOGINING: i32 = 2;
    pub const LOGOUT: i32 = 3;
}

/// What `init_sdk` takes (V2TIMSDKConfig plus v2tim's own fields).
#[derive(Clone, Debug, Default)]
pub struct SdkConfig {
    /// `ws://host:port` or `wss://...`, or several separated by commas (servers of one
    /// cluster: the SDK moves to the next when one cannot be reached); `None` or empty runs
    /// the embedded in-process server,
    /// shared by every manager of this process with the same SDKAppID.
    pub server_url: Option<String>,
    /// Where the SDK keeps its state (and the embedded server its database); `None` keeps
    /// everything in memory.
    pub data_dir: Option<PathBuf>,
    pub log_level: i32,
    /// Embedded mode only: the secret key UserSigs are checked against; `None` = unchecked.
    pub secret_key: Option<String>,
}

/// One SDK instance. Cloning gives another handle to the same instance.
#[derive(Clone)]
pub struct Manager {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    me: Weak<Inner>,
    /// Identifies this instance to the server as one device of its user.
    device_id: String,
    state: Mutex<State>,
    adv: Arc<Listeners<dyn AdvancedMsgListener>>,
    sdk: Arc<Listeners<dyn SdkListener>>,
    conv_listeners: Arc<Listeners<dyn ConversationListener>>,
    pub(super) group_listeners: Arc<Listeners<dyn GroupListener>>,
    /// The logged-in user's conversation list.
    convs: Mutex<ConvCache>,
    /// Calls waiting for the first read of the conversation list after login.
    conv_waiters: Mutex<Vec<Waiter>>,
    /// Every message object alive, by id, so all holders see one state.
    cache: Mutex<MessageCache>,
    /// Messages sent from this instance whose own sync event has not come back yet: that
    /// event is not "received" here. Removed when it comes (the sequence holds it once).
    sent_here: Mutex<HashSet<String>>,
    /// Recalls requested from this instance whose event has not come back yet: it is not
    /// "received" here. Removed when it comes, or when the recall fails.
    recalled_here: Mutex<HashSet<String>>,
    /// Every recall this instance has learned of (its own, or from events): each is
    /// reported once, and no later view of the message brings its content back.
    tombstones: Mutex<HashMap<String, RevokeInfo>>,
    server_offset_ms: AtomicI64,
}

#[derive(Default)]
struct State {
    init: Option<Init>,
    session: Option<Session>,
    next_session: u64,
}

struct Init {
    sdk_app_id: u32,
    endpoint: Endpoint,
    cursors: Arc<Cursors>,
}

struct Session {
    id: u64,
    user_id: String,
    logged_in: bool,
    login_done: Option<Completion<()>>,
    handle: SessionHandle,
}

impl Default for Manager {
    fn default() -> Self {
        Self::new()
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

pub(super) fn fail<T: Send + 'static>(done: Completion<T>, err: Error) {
    post(move || done(Err(err)));
}

pub(super) fn check_user_id(user_id: &str, what: &str) -> Result<()> {
    if limits::is_valid_user_id(user_id) {
        Ok(())
    } else {
        Err(Error::new(
            codes::ERR_SDK_COMM_INVALID_IDENTIFIER,
            format!(
                "{what} must be 1 to {} bytes of printable ASCII without spaces",
                limits::MAX_USER_ID_BYTES
            ),
        ))
    }
}

pub(super) fn check_group_id(group_id: &str) -> Result<()> {
    if limits::is_valid_group_id(group_id) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "group_id must be 1 to {} bytes of printable ASCII without spaces",
            limits::MAX_GROUP_ID_BYTES
        )))
    }
}

fn check_body(elem: &Elem) -> Result<()> {
    if elem.body_len() > limits::MAX_MSG_BODY_BYTES {
        Err(Error::new(
            codes::ERR_SDK_MSG_BODY_SIZE_LIMIT,
            format!(
                "the message body is over the {} byte limit",
                limits::MAX_MSG_BODY_BYTES
            ),
        ))
    } else {
        Ok(())
    }
}

impl Manager {
    pub fn new() -> Manager {
        let inner = Arc::new_cyclic(|me| Inner {
            me: me.clone(),
            device_id: uuid::Uuid::new_v4().simple().to_string(),
            state: Mutex::new(State::default()),
            adv: Arc::new(Listeners::new()),
            sdk: Arc::new(Listeners::new()),
            conv_listeners: Arc::new(Listeners::new()),
            group_listeners: Arc::new(Listeners::new()),
            convs: Mutex::new(ConvCache::default()),
            conv_waiters: Mutex::new(Vec::new()),
            cache: Mutex::new(MessageCache::new()),
            sent_here: Mutex::new(HashSet::new()),
            recalled_here: Mutex::new(HashSet::new()),
            tombstones: Mutex::new(HashMap::new()),
            server_offset_ms: AtomicI64::new(0),
        });
        Manager { inner }
    }

    /// Starts the instance. Errors: 6017 bad config or already initialized with another app
    /// id; calling it again with the same app id succeeds and changes nothing.
    pub fn init_sdk(&self, sdk_app_id: u32, config: SdkConfig) -> Result<()> {
        let mut st = self.inner.state.lock();
        if let Some(init) = &st.init {
            return if init.sdk_app_id == sdk_app_id {
                Ok(())
            } else {
                Err(Error::invalid(
                    "already initialized with another SDKAppID; call uninit_sdk first",
                ))
            };
        }
        if sdk_app_id == 0 {
            return Err(Error::invalid("sdk_app_id must not be 0"));
        }
        let url = config.server_url.filter(|u| !u.is_empty());
        let endpoint = match url {
            Some(url) => Endpoint::Remote(parse_server_urls(&url).map_err(Error::invalid)?),
            None => Endpoint::Embedded(embedded::server_for(
                sdk_app_id,
                config.secret_key.as_deref(),
                config.data_dir.as_deref(),
            )?),
        };
        let cursors = Arc::new(Cursors::new(config.data_dir.as_deref(), sdk_app_id));
        st.init = Some(Init {
            sdk_app_id,
            endpoint,
            cursors,
        });
        Ok(())
    }

    /// Ends the session without waiting for the server and fails every request in flight
    /// with `V2TIM_ERR_SHUTDOWN`. Listeners stay registered.
    pub fn uninit_sdk(&self) {
        let (session, _init) = {
            let mut st = self.inner.state.lock();
            (st.session.take(), st.init.take())
        };
        if let Some(s) = session {
            if let Some(done) = s.login_done {
                fail(done, Error::shutdown());
            }
        }
        self.inner.reset_conversations(Error::shutdown());
    }

    pub fn login(&self, user_id: &str, user_sig: &str, done: Completion<()>) {
        if let Err(e) = check_user_id(user_id, "user_id") {
            return fail(done, e);
        }
        let mut st = self.inner.state.lock();
        let Some(init) = &st.init else {
            drop(st);
            return fail(done, Error::not_initialized());
        };
        let (sdk_app_id, endpoint, cursors) = (
            init.sdk_app_id,
            init.endpoint.clone(),
            Arc::clone(&init.cursors),
        );
        match &st.session {
            Some(s) if s.user_id == user_id && s.logged_in => {
                drop(st);
                return post(move || done(Ok(())));
            }
            Some(s) if !s.logged_in => {
                drop(st);
                return fail(
                    done,
                    Error::new(
                        codes::ERR_SDK_ACCOUNT_LOGIN_IN_PROCESS,
                        "a login is already in progress",
                    ),
                );
            }
            // Logged in as someone else: that session ends (dropping its handle) first.
            _ => {}
        }
        st.next_session += 1;
        let id = st.next_session;
        self.inner.reset_conversations(Error::not_logged_in());
        let params = SessionParams {
            id,
            endpoint,
            sdk_app_id,
            user_id: user_id.to_owned(),
            user_sig: user_sig.to_owned(),
            device_id: self.inner.device_id.clone(),
            last_seq: cursors.get(user_id),
        };
        let host: Weak<dyn SessionHost> = self.inner.me.clone();
        let handle = SessionHandle::spawn(params, host);
        st.session = Some(Session {
            id,
            user_id: user_id.to_owned(),
            logged_in: false,
            login_done: Some(done),
            handle,
        });
    }

    /// Ends the session. Succeeds also when not logged in.
    pub fn logout(&self, done: Completion<()>) {
        let session = self.inner.state.lock().session.take();
        self.inner.reset_conversations(Error::not_logged_in());
        let Some(session) = session else {
            return post(move || done(Ok(())));
        };
        if let Some(login_done) = session.login_done {
            fail(
                login_done,
                Error::new(
                    codes::ERR_SDK_NOT_LOGGED_IN,
                    "logout was called before the login finished",
                ),
            );
        }
        let ended = session.handle.logout();
        runtime::spawn(async move {
            let _ = ended.await;
            post(move || done(Ok(())));
        });
    }

    /// The logged-in user, or empty.
    pub fn get_login_user(&self) -> String {
        match &self.inner.state.lock().session {
            Some(s) if s.logged_in => s.user_id.clone(),
            _ => String::new(),
        }
    }

    /// One of [`login_status`].
    pub fn get_login_status(&self) -> i32 {
        match &self.inner.state.lock().session {
            Some(s) if s.logged_in => login_status::LOGINED,
            Some(_) => login_status::LOGINING,
            None => login_status::LOGOUT,
        }
    }

    /// Server time in seconds, as last learned from the server (local time before login).
    pub fn get_server_time(&self) -> i64 {
        (now_ms() + self.inner.server_offset_ms.load(Ordering::Relaxed)) / 1000
    }

    fn new_message(&self, elem: Elem) -> Result<Message> {
        check_body(&elem)?;
        let st = self.inner.state.lock();
        if st.init.is_none() {
            return Err(Error::not_initialized());
        }
        let sender = st
            .session
            .as_ref()
            .map(|s| s.user_id.clone())
            .unwrap_or_default();
        drop(st);
        let msg = MessageObj::new_local(time_ordered_id(), sender, elem);
        self.inner.cache.lock().insert(&msg);
        Ok(msg)
    }

    /// Errors: 6013 not initialized, 8001 over 12 KB.
    pub fn create_text_message(&self, text: &str) -> Result<Message> {
        self.new_message(Elem::Text {
            text: text.to_owned(),
        })
    }

    pub fn create_custom_message(
        &self,
        data: &[u8],
        description: &str,
        extension: &str,
    ) -> Result<Message> {
        use base64::Engine;
        let data = base64::engine::general_purpose::STANDARD.encode(data);
        self.new_message(Elem::Custom {
            data,
            description: description.to_owned(),
            extension: extension.to_owned(),
        })
    }

    /// Sends `msg` to `receiver` (C2C) xor `group_id`. Every failure, argument errors
    /// included, is reported through `done`; on success `msg` itself carries the server's
    /// seq and timestamp and `done` gets it back.
    pub fn send_message(
        &self,
        msg: &Message,
        receiver: &str,
        group_id: &str,
        priority: i32,
        done: Completion<Message>,
    ) {
        self.send_message_with(msg, receiver, group_id, priority, false, done)
    }

    /// As [`Manager::send_message`]; `online_only` (V2TIM's `onlineUserOnly`) sends it to
    /// the devices online now only: the server stores nothing (seq stays 0: it cannot be
    /// recalled or paged from), and a lost connection fails it instead of sending it again.
    pub fn send_message_with(
        &self,
        msg: &Message,
        receiver: &str,
        group_id: &str,
        priority: i32,
        online_only: bool,
        done: Completion<Message>,
    ) {
        let checked = (|| {
            match (receiver.is_empty(), group_id.is_empty()) {
                (false, true) => check_user_id(receiver, "receiver")?,
                (true, false) => check_group_id(group_id)?,
                _ => {
                    return Err(Error::invalid(
                        "exactly one of receiver and group_id must be non-empty",
                    ))
                }
            }
            if !(0..=3).contains(&priority) {
                return Err(Error::invalid("priority must be 0 (default) to 3 (low)"));
            }
            // The body was checked when the message was created and cannot change since.
            let st = msg.data();
            if st.status == status::SEND_SUCC || st.revoked.is_some() {
                return Err(Error::invalid(
                    "this message was already sent; create a new one",
                ));
            }
            Ok(st)
        })();
        let st = match checked {
            Ok(st) => st,
            Err(e) => return fail(done, e),
        };
        let me = match self.session_user() {
            Ok(me) => me,
            Err(e) => return fail(done, e),
        };
        msg.update(|d| {
            d.sender = me.clone();
            d.receiver = receiver.to_owned();
            d.user_id = receiver.to_owned();
            d.group_id = group_id.to_owned();
            d.priority = priority;
            d.status = status::SENDING;
            d.is_self = true;
        });
        if !online_only {
            // Its own sync event must not be reported as received; an online-only message
            // has none.
            self.inner.sent_here.lock().insert(msg.msg_id().to_owned());
        }
        self.inner.cache.lock().insert(msg);
        let req = Request::SendMessage {
            idem_key: format!("send:{}", msg.msg_id()),
            msg_id: msg.msg_id().to_owned(),
            receiver: receiver.to_owned(),
            group_id: group_id.to_owned(),
            priority,
            elem: st.elem,
            online_only,
            cloud_custom_data: st.cloud_custom_data,
            excluded_from_unread: st.excluded_from_unread,
            excluded_from_last: st.excluded_from_last,
            offline_push: st.offline_push.map(Box::new),
        };
        let (ok_msg, failed_msg) = (Arc::clone(msg), Arc::clone(msg));
        let done: Completion<Message> = Box::new(move |r| {
            if r.is_err() {
                failed_msg.update(|d| d.status = status::SEND_FAIL);
            }
            done(r)
        });
        self.call(
            req,
            move |ack: SendAck| {
                ok_msg.apply_info(&ack.msg, &me);
                Ok(ok_msg)
            },
            done,
        );
    }

    /// Newest first, `count` messages older than `last_msg` (or the newest when `None`).
    pub fn get_c2c_history_message_list(
        &self,
        user_id: &str,
        count: i32,
        last_msg: Option<&Message>,
        done: Completion<Vec<Message>>,
    ) {
        if let Err(e) = check_user_id(user_id, "user_id") {
            return fail(done, e);
        }
        self.history(
            ConvRef::C2c {
                peer: user_id.to_owned(),
            },
            count,
            last_msg,
            done,
        )
    }

    pub fn get_group_history_message_list(
        &self,
        group_id: &str,
        count: i32,
        last_msg: Option<&Message>,
        done: Completion<Vec<Message>>,
    ) {
        if let Err(e) = check_group_id(group_id) {
            return fail(done, e);
        }
        self.history(
            ConvRef::Group {
                group_id: group_id.to_owned(),
            },
            count,
            last_msg,
            done,
        )
    }

    /// History by V2TIM's `V2TIMMessageListGetOption`: exactly one of `user_id` and
    /// `group_id`, the direction, the start (`last_msg`, else `last_msg_seq` for groups) and
    /// the time range. Whatever is not supported fails with 6017 naming it.
    pub fn get_history_message_list(&self, o: &HistoryOptions, done: Completion<Vec<Message>>) {
        let conv = match (o.user_id.as_deref(), o.group_id.as_deref()) {
            (Some(u), None) if !u.is_empty() => match check_user_id(u, "user_id") {
                Ok(()) => ConvRef::C2c { peer: u.to_owned() },
                Err(e) => return fail(done, e),
            },
            (None, Some(g)) if !g.is_empty() => match check_group_id(g) {
                Ok(()) => ConvRef::Group {
                    group_id: g.to_owned(),
                },
                Err(e) => return fail(done, e),
            },
            _ => {
                return fail(
                    done,
                    Error::invalid("exactly one of userID and groupID must be set"),
                )
            }
        };
        match o.range(&conv) {
            Ok(range) => self.history_in(conv, o.count, o.last_msg.as_ref(), range, done),
            Err(e) => fail(done, e),
        }
    }

    fn history(
        &self,
        conv: ConvRef,
        count: i32,
        last_msg: Option<&Message>,
        done: Completion<Vec<Message>>,
    ) {
        self.history_in(conv, count, last_msg, Range::default(), done)
    }

    fn history_in(
        &self,
        conv: ConvRef,
        count: i32,
        last_msg: Option<&Message>,
        range: Range,
        done: Completion<Vec<Message>>,
    ) {
        if count <= 0 {
            return fail(done, Error::invalid("count must be positive"));
        }
        let start = match last_msg {
            None => range.start,
            Some(m) => match m.with(|d| d.seq) {
                0 => {
                    return fail(
                        done,
                        Error::invalid("last_msg was never accepted by the server"),
                    )
                }
                seq => Some(seq),
            },
        };
        let (before_seq, after_seq) = if range.newer {
            (None, start)
        } else {
            (start, None)
        };
        let count = (count as u32).min(limits::MAX_HISTORY_PAGE);
        let me = match self.session_user() {
            Ok(me) => me,
            Err(e) => return fail(done, e),
        };
        let inner = Arc::clone(&self.inner);
        self.call(
            Request::History {
                conv,
                before_seq,
                count,
                newer: range.newer,
                after_seq,
                time_from_ms: range.time_from_ms,
                time_to_ms: range.time_to_ms,
                elem_types: range.elem_types,
            },
            move |page: HistoryPage| {
                Ok(page.messages.iter().map(|m| inner.intern(m, &me)).collect())
            },
            done,
        );
    }

    /// Recalls `msg` (V2TIMMessageManager::RevokeMessage), with an optional `reason`. On
    /// success `msg`, and every other holder of the same message, shows the recalled form.
    pub fn revoke_message(&self, msg: &Message, reason: &str, done: Completion<()>) {
        let (seq, status, user_id, group_id) =
            msg.with(|d| (d.seq, d.status, d.user_id.clone(), d.group_id.clone()));
        if seq == 0 {
            // Accepted without a seq: sent online-only, so never stored.
            let why = if status == status::SEND_SUCC {
                "an online-only message is not stored and cannot be recalled"
            } else {
                "the message was never accepted by the server"
            };
            return fail(done, Error::invalid(why));
        }
        self.revoke_message_by_id(&user_id, &group_id, msg.msg_id(), reason, done)
    }

    /// Recalls the message `msg_id` of the C2C conversation with `user_id` xor of the group
    /// `group_id`, for apps that keep their own message store.
    pub fn revoke_message_by_id(
        &self,
        user_id: &str,
        group_id: &str,
        msg_id: &str,
        reason: &str,
        done: Completion<()>,
    ) {
        let conv = match (user_id.is_empty(), group_id.is_empty()) {
            (false, true) => check_user_id(user_id, "user_id").map(|_| ConvRef::C2c {
                peer: user_id.to_owned(),
            }),
            (true, false) => check_group_id(group_id).map(|_| ConvRef::Group {
                group_id: group_id.to_owned(),
            }),
            _ => Err(Error::invalid(
                "exactly one of user_id and group_id must be non-empty",
            )),
        };
        let conv = match conv {
            Ok(c) if limits::is_valid_msg_id(msg_id) => c,
            Ok(_) => return fail(done, Error::invalid("msg_id is not a valid message id")),
            Err(e) => return fail(done, e),
        };
        if reason.len() > limits::MAX_MSG_BODY_BYTES {
            return fail(done, Error::invalid("reason is over the 12 KB limit"));
        }
        let me = match self.session_user() {
            Ok(me) => me,
            Err(e) => return fail(done, e),
        };
        let req = Request::RevokeMessage {
            // One key per call: the session resends it after a lost answer (the server then
            // answers the first result), while a new call is a new recall (refused twice).
            idem_key: format!("revoke:{}", time_ordered_id()),
            msg_id: msg_id.to_owned(),
            conv,
            reason: reason.to_owned(),
        };
        // Marked before sending: the event may arrive (on a resync) before the answer.
        self.inner.recalled_here.lock().insert(msg_id.to_owned());
        let (inner, failed) = (Arc::clone(&self.inner), Arc::clone(&self.inner));
        let failed_id = msg_id.to_owned();
        let done: Completion<()> = Box::new(move |r| {
            if r.is_err() {
                failed.recalled_here.lock().remove(&failed_id);
            }
            done(r)
        });
        self.call(
            req,
            move |ack: RevokeAck| {
                // Known here first: the event that follows is not reported to this device.
                if inner.learn_recall(&ack.msg) {
                    inner.blank_quotes_of(&ack.msg.msg_id);
                }
                inner.intern(&ack.msg, &me);
                Ok(())
            },
            done,
        );
    }

    /// `group_id` empty lets the server choose; `done` gets the group id.
    pub fn create_group(
        &self,
        group_type: &str,
        group_id: &str,
        group_name: &str,
        done: Completion<String>,
    ) {
        self.create_group_with(
            group_type,
            group_id,
            group_name,
            GroupProfile::default(),
            Vec::new(),
            done,
        )
    }

    pub fn join_group(&self, group_id: &str, message: &str, done: Completion<()>) {
        let req = Request::JoinGroup {
            group_id: group_id.to_owned(),
            message: message.to_owned(),
        };
        let (inner, conv) = (
            Arc::clone(&self.inner),
            ConvRef::Group {
                group_id: group_id.to_owned(),
            },
        );
        let done: Completion<()> = Box::new(move |r| {
            if r.is_ok() {
                inner.fetch_conversation(conv, 0);
            }
            done(r)
        });
        self.group_call(group_id, req, done);
    }

    pub fn quit_group(&self, group_id: &str, done: Completion<()>) {
        self.group_call(
            group_id,
            Request::QuitGroup {
                group_id: group_id.to_owned(),
            },
            done,
        );
    }

    /// `role`: 200 member, 300 admin, 400 transfers ownership.
    pub fn set_group_member_role(
        &self,
        group_id: &str,
        user_id: &str,
        role: u32,
        done: Completion<()>,
    ) {
        if let Err(e) = check_user_id(user_id, "user_id") {
            return fail(done, e);
        }
        let req = Request::SetMemberRole {
            group_id: group_id.to_owned(),
            user_id: user_id.to_owned(),
            role,
        };
        self.group_call(group_id, req, done);
    }

    pub(super) fn group_call(&self, group_id: &str, req: Request, done: Completion<()>) {
        if let Err(e) = check_group_id(group_id) {
            return fail(done, e);
        }
        self.call(req, |_: Empty| Ok(()), done);
    }

    /// Registers (or replaces, for the same key) a message listener.
    pub fn add_advanced_msg_listener(
        &self,
        key: ListenerKey,
        listener: Arc<dyn AdvancedMsgListener>,
    ) {
        self.inner.adv.add(key, listener);
    }

    /// After this returns, the listener is never called again (if called from another
    /// thread, it waits for a callback of this listener that is running to finish).
    pub fn remove_advanced_msg_listener(&self, key: ListenerKey) {
        self.inner.adv.remove(key);
    }

    pub fn add_sdk_listener(&self, key: ListenerKey, listener: Arc<dyn SdkListener>) {
        self.inner.sdk.add(key, listener);
    }

    pub fn remove_sdk_listener(&self, key: ListenerKey) {
        self.inner.sdk.remove(key);
    }

    pub fn add_conversation_listener(
        &self,
        key: ListenerKey,
        listener: Arc<dyn ConversationListener>,
    ) {
        self.inner.conv_listeners.add(key, listener);
    }

    pub fn remove_conversation_listener(&self, key: ListenerKey) {
        self.inner.conv_listeners.remove(key);
    }

    /// Runs `f` on the conversation list once it has been read after login (at once if it
    /// has), or fails `done` with why it could not be.
    fn with_conversations<T: Send + 'static>(
        &self,
        done: Completion<T>,
        f: impl FnOnce(&ConvCache) -> Result<T> + Send + 'static,
    ) {
        if let Err(e) = self.session_user() {
            return fail(done, e);
        }
        let inner = Arc::clone(&self.inner);
        let run: Waiter = Box::new(move |read| {
            let result = read.and_then(|()| f(&inner.convs.lock()));
            post(move || done(result));
        });
        let mut waiters = self.inner.conv_waiters.lock();
        if self.inner.convs.lock().loaded {
            drop(waiters);
            run(Ok(()));
        } else {
            waiters.push(run);
        }
    }

    /// A page of the conversation list (V2TIMConversationManager::GetConversationList),
    /// newest activity first: `next_seq` 0 for the first page, then the `next_seq` the
    /// previous page answered; `count` 1 to 100.
    pub fn get_conversation_list(
        &self,
        next_seq: u64,
        count: u32,
        done: Completion<ConversationResult>,
    ) {
        if count == 0 || count > limits::MAX_CONVERSATION_PAGE {
            return fail(
                done,
                Error::invalid(format!(
                    "count must be 1 to {}",
                    limits::MAX_CONVERSATION_PAGE
                )),
            );
        }
        self.with_conversations(done, move |c| Ok(c.page(next_seq, count as usize)));
    }

    /// One conversation by its V2TIM id ("c2c_<userID>" or "group_<groupID>").
    pub fn get_conversation(&self, conversation_id: &str, done: Completion<Conversation>) {
        if let Err(e) = check_conversation_id(conversation_id) {
            return fail(done, e);
        }
        let (id, manager) = (conversation_id.to_owned(), self.clone());
        let known: Completion<Option<Conversation>> = Box::new(move |r| match r {
            Ok(Some(c)) => done(Ok(c)),
            Err(e) => done(Err(e)),
            // Not in the list (yet: its first event may still be on the way): the server
            // knows.
            Ok(None) => {
                let Some(conv) = parse_conversation_id(&id) else {
                    return done(Err(Error::invalid("bad conversation_id")));
                };
                let inner = Arc::clone(&manager.inner);
                manager.call(
                    Request::GetConversation { conv },
                    move |ack: ConversationAck| {
                        inner.take_conversation(ack.conversation, CONVERSATION_REREADS);
                        inner
                            .convs
                            .lock()
                            .get(&id)
                            .ok_or_else(|| Error::invalid(format!("no conversation {id:?}")))
                    },
                    done,
                );
            }
        });
        let id = conversation_id.to_owned();
        self.with_conversations(known, move |c| Ok(c.get(&id)));
    }

    /// The sum of the unread counts of every conversation.
    pub fn get_total_unread_message_count(&self, done: Completion<u64>) {
        self.with_conversations(done, |c| Ok(c.total()));
    }

    /// Marks a conversation read for every device of the user
    /// (CleanConversationUnreadMessageCount): up to `clean_sequence` when it is not 0, else
    /// up to the newest message sent at or before `clean_timestamp` (seconds) when that is
    /// not 0, else all of it.
    pub fn clean_conversation_unread_message_count(
        &self,
        conversation_id: &str,
        clean_timestamp: u64,
        clean_sequence: u64,
        done: Completion<()>,
    ) {
        let conv = match check_conversation_id(conversation_id) {
            Ok(c) => c,
            Err(e) => return fail(done, e),
        };
        // V2TIM's timestamps are seconds: a message of second `clean_timestamp` is included.
        let upto_time_ms = match clean_timestamp {
            0 => 0,
            t => match i64::try_from(t.saturating_mul(1000).saturating_add(999)) {
                Ok(ms) => ms,
                Err(_) => return fail(done, Error::invalid("clean_timestamp is too large")),
            },
        };
        let inner = Arc::clone(&self.inner);
        self.call(
            Request::MarkConversationRead {
                conv,
                upto_seq: clean_sequence,
                upto_time_ms,
            },
            move |ack: ConversationAck| {
                inner.take_conversation(ack.conversation, 0);
                Ok(())
            },
            done,
        );
    }

    /// The user's "mark as read" of V2TIM before CleanConversationUnreadMessageCount.
    pub fn mark_c2c_message_as_read(&self, user_id: &str, done: Completion<()>) {
        if let Err(e) = check_user_id(user_id, "user_id") {
            return fail(done, e);
        }
        self.clean_conversation_unread_message_count(&format!("c2c_{user_id}"), 0, 0, done)
    }

    pub fn mark_group_message_as_read(&self, group_id: &str, done: Completion<()>) {
        if let Err(e) = check_group_id(group_id) {
            return fail(done, e);
        }
        self.clean_conversation_unread_message_count(&format!("group_{group_id}"), 0, 0, done)
    }

    /// Changes the logged-in user's profile (V2TIMManager::SetSelfInfo): each field of
    /// `changes` that is set; custom keys one by one. Every device of the user, this one
    /// included, then hears `on_self_info_updated`. Errors: 6017 (a field over its limit, a
    /// bad custom key), 6014 not logged in.
    pub fn set_self_info(&self, changes: ProfileChanges, done: Completion<()>) {
        // The server checks the same; failing here saves the round trip.
        if let Err(why) = changes.check() {
            return fail(done, Error::invalid(why));
        }
        let inner = Arc::clone(&self.inner);
        self.call(
            Request::SetSelfInfo { changes },
            move |ack: SelfInfoAck| {
                let info = UserFullInfo::from(ack.info);
                inner.sdk.emit(move |l| l.on_self_info_updated(&info));
                Ok(())
            },
            done,
        );
    }

    /// Profiles of up to 100 users (V2TIMManager::GetUsersInfo); users without an account are
    /// left out. Errors: 6017 (no ids, more than 100), 7003 (a malformed id).
    pub fn get_users_info(&self, user_ids: Vec<String>, done: Completion<Vec<UserFullInfo>>) {
        if user_ids.is_empty() || user_ids.len() > limits::MAX_USERS_INFO {
            return fail(
                done,
                Error::invalid(format!(
                    "user_ids must name 1 to {} users",
                    limits::MAX_USERS_INFO
                )),
            );
        }
        if let Some(e) = user_ids
            .iter()
            .find_map(|u| check_user_id(u, "each user id").err())
        {
            return fail(done, e);
        }
        self.call(
            Request::GetUsersInfo { user_ids },
            |r: UsersInfo| Ok(r.users.into_iter().map(UserFullInfo::from).collect()),
            done,
        );
    }

    /// The user of the current session (logged in, or logging in: calls then wait for it).
    fn session_user(&self) -> Result<String> {
        let st = self.inner.state.lock();
        if st.init.is_none() {
            return Err(Error::not_initialized());
        }
        st.session
            .as_ref()
            .map(|s| s.user_id.clone())
            .ok_or_else(Error::not_logged_in)
    }

    /// Sends `req` on the session, decodes the answer as `A`, maps it, and completes `done`
    /// on the event thread.
    pub(super) fn call<A, T, F>(&self, req: Request, map: F, done: Completion<T>)
    where
        A: DeserializeOwned,
        T: Send + 'static,
        F: FnOnce(A) -> Result<T> + Send + 'static,
    {
        self.call_raw(
            req,
            Box::new(move |answer| {
                let result = answer.and_then(|data| {
                    v2tim_proto::decode_data::<A>(&data)
                        .map_err(|e| Error::new(codes::ERR_PARSE_RESPONSE_FAILED, e.to_string()))
                        .and_then(map)
                });
                post(move || done(result));
            }),
        );
    }

    /// The part of [`Manager::call`] that is the same for every answer type: one future
    /// type for every call instead of one per call site (the library a phone ships is
    /// smaller by it).
    fn call_raw(
        &self,
        req: Request,
        finish: Box<dyn FnOnce(Result<v2tim_proto::AnswerData>) + Send>,
    ) {
        let answer = {
            let st = self.inner.state.lock();
            match (&st.init, &st.session) {
                (None, _) => Err(Error::not_initialized()),
                (_, None) => Err(Error::not_logged_in()),
                (_, Some(s)) => Ok(s.handle.call(req)),
            }
        };
        match answer {
            Ok(answer) => {
                runtime::spawn(async move { finish(answer.await) });
            }
            Err(e) => finish(Err(e)),
        }
    }
}

impl Inner {
    /// The one message object for `info.msg_id`, updated to the server's view.
    fn intern(&self, info: &MessageInfo, me: &str) -> Message {
        let patched;
        let info = match (&info.revoked, self.tombstones.lock().get(&info.msg_id)) {
            // An older view of a message known to be recalled: the recall wins.
            (None, Some(known)) => {
                patched = MessageInfo {
                    elem: Elem::None,
                    cloud_custom_data: String::new(),
                    revoked: Some(known.clone()),
                    ..info.clone()
                };
                &patched
            }
            _ => info,
        };
        let mut cache = self.cache.lock();
        if let Some(m) = cache.get(&info.msg_id) {
            m.apply_info(info, me);
            return m;
        }
        let m = MessageObj::from_info(info, me);
        cache.insert(&m);
        m
    }

    /// Records a recall; true if it was not known before.
    /// The replies the host holds that quote a recalled message lose its text.
    fn blank_quotes_of(&self, recalled: &str) {
        let live = self.cache.lock().live();
        for m in live {
            m.blank_quote_of(recalled);
        }
    }

    fn learn_recall(&self, msg: &MessageInfo) -> bool {
        match &msg.revoked {
            Some(r) => self
                .tombstones
                .lock()
                .insert(msg.msg_id.clone(), r.clone())
                .is_none(),
            None => false,
        }
    }

    fn manager(&self) -> Option<Manager> {
        self.me.upgrade().map(|inner| Manager { inner })
    }

    fn session_user(&self) -> Option<String> {
        self.state
            .lock()
            .session
            .as_ref()
            .map(|s| s.user_id.clone())
    }

    /// Forgets the conversation list (a new login, or none) and fails calls waiting for it.
    fn reset_conversations(&self, why: Error) {
        let waiters: Vec<Waiter> = std::mem::take(&mut *self.conv_waiters.lock());
        *self.convs.lock() = ConvCache::default();
        for w in waiters {
            w(Err(why.clone()));
        }
    }

    /// Reads the whole conversation list from the server (at every connection).
    fn load_conversations(&self) {
        let mut convs = self.convs.lock();
        if convs.loading {
            return;
        }
        convs.start_load();
        drop(convs);
        self.load_page(None);
    }

    fn load_page(&self, before_order: Option<u64>) {
        let (Some(manager), Some(me)) = (self.manager(), self.session_user()) else {
            return;
        };
        let inner = Arc::clone(&manager.inner);
        let failed = Arc::clone(&manager.inner);
        manager.call(
            Request::GetConversationList {
                before_order,
                count: limits::MAX_CONVERSATION_PAGE,
            },
            move |page: ConversationPage| {
                inner.take_page(page, &me);
                Ok(())
            },
            Box::new(move |r: Result<()>| {
                if let Err(e) = r {
                    // Read again at the next connection; waiting calls fail now.
                    tracing::warn!("reading the conversation list failed: {}", e.desc);
                    failed.finish_load(Err(e));
                }
            }),
        );
    }

    fn take_page(&self, page: ConversationPage, me: &str) {
        let next = page
            .conversations
            .last()
            .filter(|_| page.more)
            .map(|c| c.order_key);
        let mut rereads = Vec::new();
        for info in page.conversations {
            let last = info.last_message.as_ref().map(|m| self.intern(m, me));
            if let Next::Fetch(conv) = self.convs.lock().on_view(info, last, me) {
                rereads.push(conv);
            }
        }
        for conv in rereads {
            self.fetch_conversation(conv, 0);
        }
        match next {
            Some(before) => self.load_page(Some(before)),
            None => self.finish_load(Ok(())),
        }
    }

    fn finish_load(&self, result: Result<()>) {
        let loaded = {
            let mut convs = self.convs.lock();
            for conv in convs.finish_load(result.is_ok()) {
                self.fetch_conversation(conv, 0);
            }
            self.report_conversations(&mut convs);
            convs.loaded
        };
        // Taken after the list's lock is released: `with_conversations` takes the two the
        // other way round.
        let waiters: Vec<Waiter> = std::mem::take(&mut *self.conv_waiters.lock());
        let outcome = match (loaded, result) {
            (true, _) => Ok(()),
            (false, Err(e)) => Err(e),
            (false, Ok(())) => Err(Error::not_logged_in()),
        };
        for w in waiters {
            w(outcome.clone());
        }
    }

    /// Reads one conversation from the server; `rereads` counts the reads before this one
    /// that raced a newer event.
    pub(super) fn fetch_conversation(&self, conv: ConvRef, rereads: u32) {
        let Some(manager) = self.manager() else {
            return;
        };
        let inner = Arc::clone(&manager.inner);
        manager.call(
            Request::GetConversation { conv },
            move |ack: ConversationAck| {
                inner.take_conversation(ack.conversation, rereads);
                Ok(())
            },
            Box::new(|r: Result<()>| {
                if let Err(e) = r {
                    tracing::warn!("reading a conversation failed: {}", e.desc);
                }
            }),
        );
    }

    /// A server view of one conversation: taken, or read again if older than the list.
    fn take_conversation(&self, info: ConversationInfo, rereads: u32) {
        let Some(me) = self.session_user() else {
            return;
        };
        let last = info.last_message.as_ref().map(|m| self.intern(m, &me));
        let mut convs = self.convs.lock();
        match convs.on_view(info, last, &me) {
            Next::Fetch(conv) if rereads < CONVERSATION_REREADS => {
                self.fetch_conversation(conv, rereads + 1)
            }
            _ => self.report_conversations(&mut convs),
        }
    }

    /// Posts what changed to the conversation listeners. Under the list's lock, so reports
    /// reach the host in the order the changes were made.
    fn report_conversations(&self, convs: &mut ConvCache) {
        let report = convs.report();
        if !report.new.is_empty() {
            let new = report.new;
            self.conv_listeners
                .emit(move |l| l.on_new_conversation(&new));
        }
        if !report.changed.is_empty() {
            let changed = report.changed;
            self.conv_listeners
                .emit(move |l| l.on_conversation_changed(&changed));
        }
        if let Some(total) = report.total {
            self.conv_listeners
                .emit(move |l| l.on_total_unread_message_count_changed(total));
        }
    }

    fn cursors(&self) -> Option<Arc<Cursors>> {
        self.state
            .lock()
            .init
            .as_ref()
            .map(|i| Arc::clone(&i.cursors))
    }
}

impl SessionHost for Inner {
    fn connecting(&self) {
        self.sdk.emit(|l| l.on_connecting());
    }

    fn connect_failed(&self, err: &Error) {
        let err = err.clone();
        self.sdk
            .emit(move |l| l.on_connect_failed(err.code, &err.desc));
    }

    fn login_finished(&self, session: u64, result: Result<()>) {
        let done = {
            let mut st = self.state.lock();
            match st.session.as_mut() {
                Some(s) if s.id == session => {
                    s.logged_in = result.is_ok();
                    let done = s.login_done.take();
                    if result.is_err() {
                        st.session = None;
                    }
                    done
                }
                _ => None,
            }
        };
        if let Some(done) = done {
            post(move || done(result));
        }
    }

    fn connected(&self, ack: &LoginAck) {
        self.server_offset_ms
            .store(ack.server_time_ms - now_ms(), Ordering::Relaxed);
        self.sdk.emit(|l| l.on_connect_success());
        self.load_conversations();
    }

    fn apply_events(&self, user_id: &str, events: Vec<Event>, last_seq: u64) {
        // Saved before anything is posted to the host: events are either delivered and
        // remembered, or (after an uninit) neither, and the next sync brings them again.
        let Some(cursors) = self.cursors() else {
            return;
        };
        cursors.set(user_id, last_seq);
        let mut fetch = Vec::new();
        for event in events {
            match event.body {
                EventBody::NewMessage { msg } => {
                    // Each sequence holds an event once: the id is not needed after it.
                    let own = self.sent_here.lock().remove(&msg.msg_id);
                    let m = self.intern(&msg, user_id);
                    if let Next::Fetch(conv) =
                        self.convs.lock().on_message(event.seq, &msg, &m, user_id)
                    {
                        fetch.push(conv);
                    }
                    let tips = match &msg.elem {
                        Elem::GroupTips(t) => Some(t.clone()),
                        _ => None,
                    };
                    let dismissed =
                        tips.as_ref().map(|t| t.tips_type) == Some(tips_type::GROUP_DISMISSED);
                    if !own && !dismissed {
                        self.adv.emit(move |l| l.on_recv_new_message(&m));
                    }
                    if let Some(t) = tips {
                        let group_id = msg.group_id.clone();
                        self.group_listeners
                            .emit(move |l| l.on_group_tips(&group_id, &t));
                    }
                }
                EventBody::MessageRevoked { msg } => {
                    let fresh = self.learn_recall(&msg);
                    if fresh {
                        self.blank_quotes_of(&msg.msg_id);
                    }
                    let own = self.recalled_here.lock().remove(&msg.msg_id);
                    let m = self.intern(&msg, user_id);
                    if let Next::Fetch(conv) =
                        self.convs.lock().on_recall(event.seq, &msg, &m, user_id)
                    {
                        fetch.push(conv);
                    }
                    if let (true, false, Some(r)) = (fresh, own, msg.revoked) {
                        let operator = UserFullInfo {
                            user_id: r.revoker,
                            nick_name: r.revoker_nick,
                            face_url: r.revoker_face,
                            ..UserFullInfo::default()
                        };
                        self.adv
                            .emit(move |l| l.on_message_revoked(&m, &operator, &r.reason));
                    }
                }
            }
        }
        // One report per batch: a sync page's messages and recalls change a conversation
        // once.
        self.report_conversations(&mut self.convs.lock());
        fetch.sort_by_key(super::conversations::conversation_id);
        fetch.dedup();
        for conv in fetch {
            self.fetch_conversation(conv, 0);
        }
    }

    fn conversation_read(&self, conv: ConvRef) {
        self.fetch_conversation(conv, 0);
    }

    fn online_message(&self, user_id: &str, msg: MessageInfo) {
        // Not cached: it cannot be recalled, and nothing refers to it again.
        let m = MessageObj::from_info(&msg, user_id);
        self.adv.emit(move |l| l.on_recv_new_message(&m));
    }

    fn self_info_updated(&self, info: UserProfile) {
        let info = UserFullInfo::from(info);
        self.sdk.emit(move |l| l.on_self_info_updated(&info));
    }

    fn ended(&self, session: u64, end: End) {
        {
            let mut st = self.state.lock();
            if st.session.as_ref().is_some_and(|s| s.id == session) {
                st.session = None;
            }
        }
        match end {
            End::Kicked => self.sdk.emit(|l| l.on_kicked_offline()),
            End::SigExpired => self.sdk.emit(|l| l.on_user_sig_expired()),
            _ => {}
        }
    }
}

fn check_conversation_id(id: &str) -> Result<ConvRef> {
    let conv = parse_conversation_id(id).ok_or_else(|| {
        Error::invalid(format!(
            "conversation_id {id:?} is neither \"c2c_<userID>\" nor \"group_<groupID>\""
        ))
    })?;
    match &conv {
        ConvRef::C2c { peer } => check_user_id(peer, "the user id of conversation_id")?,
        ConvRef::Group { group_id } => check_group_id(group_id)?,
    }
    Ok(conv)
}

/// A new message id or request key: a UUIDv7 (milliseconds since the epoch, then random
/// bits; ordered within this process). The server indexes both, and keys that grow with
/// time land in the rightmost pages of its B-trees: random (v4) ones dirtied one random
/// index page per message, most of the server's write volume (docs/PERFORMANCE.md).
fn time_ordered_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}
