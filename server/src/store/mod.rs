//! The storage interface the request handlers (`crate::handlers`, where the rules are
//! applied) are written against, once for every backend.
//!
//! A backend runs [`Work`] in transactions: it hands the work a [`Tx`], commits what the
//! work kept, and only then calls [`Work::finish`] with the result, so no answer or push
//! ever reports something that is not durable. The methods of [`Tx`] are async so that a
//! backend behind a network (PostgreSQL) can wait on its server; the SQLite backend
//! answers every call at once. Storage never calls back into the handlers: it knows work
//! only through this trait.
//!
//! Backends: [`sqlite`] (one database file, a storage thread with group commit) and
//! [`postgres`] (a PostgreSQL database shared by every node of a cluster); [`Storage`]
//! is whichever the configuration chose.

#[cfg(feature = "postgres")]
pub(crate) mod postgres;
pub(crate) mod sqlite;
mod storage;

pub(crate) use storage::Storage;

use std::future::Future;

use v2tim_proto::group::{GroupProfile, MemberInfo};
use v2tim_proto::model::{MessageInfo, OfflinePushInfo, UserProfile};

/// A storage failure: the work's transaction (or savepoint) is rolled back.
#[derive(Debug, Clone)]
pub(crate) struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

#[cfg(feature = "postgres")]
impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        // The server's own words (constraint, cause) are in the database error, not in
        // the client error's Display ("db error").
        match e.as_db_error() {
            Some(db) => StoreError(format!("postgres: {}: {}", db.code().code(), db.message())),
            None => StoreError(format!("postgres: {e}")),
        }
    }
}

pub(crate) type StoreResult<T> = Result<T, StoreError>;

/// A stored profile document: the profile without its user id.
pub(crate) fn profile_from_json(user: &str, json: &str) -> StoreResult<UserProfile> {
    let mut p: UserProfile = serde_json::from_str(json)
        .map_err(|e| StoreError(format!("stored profile of {user:?} is not valid: {e}")))?;
    p.user_id = user.to_string();
    Ok(p)
}

pub(crate) fn profile_to_json(p: &UserProfile) -> String {
    let mut v = serde_json::to_value(p).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.remove("user_id");
    }
    v.to_string()
}

/// A stored group profile document.
pub(crate) fn group_profile_from_json(group_id: &str, json: &str) -> StoreResult<GroupProfile> {
    serde_json::from_str(json).map_err(|e| {
        StoreError(format!(
            "stored profile of group {group_id:?} is not valid: {e}"
        ))
    })
}

pub(crate) fn group_profile_to_json(p: &GroupProfile) -> String {
    serde_json::to_string(p).unwrap_or_default()
}

/// The `flags` bit of a message never shown as a conversation's last message.
pub(crate) const EXCLUDED_FROM_LAST: i32 = 2;

/// The stored `flags` of a message: 1 not counted as unread, 2 never a last message.
pub(crate) fn message_flags(m: &MessageInfo) -> i32 {
    i32::from(m.excluded_from_unread) | (i32::from(m.excluded_from_last) << 1)
}

/// Sets the message's excluded flags from the stored `flags`.
pub(crate) fn set_message_flags(m: &mut MessageInfo, flags: i32) {
    m.excluded_from_unread = flags & 1 != 0;
    m.excluded_from_last = flags & 2 != 0;
}

/// The conversation key of a C2C pair: the same whichever of the two sends. User ids
/// never contain spaces, so the key is unambiguous.
pub(crate) fn c2c_key(a: &str, b: &str) -> String {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    format!("c2c:{x} {y}")
}

/// The conversation key of a group.
pub(crate) fn group_key(group_id: &str) -> String {
    format!("grp:{group_id}")
}

/// A group's facts.
#[derive(Debug, Clone)]
pub(crate) struct GroupRow {
    pub group_type: String,
    pub name: String,
    pub owner: String,
    pub created_ms: i64,
    pub profile: GroupProfile,
}

/// A conversation the user is a member of, with its last activity and the user's read
/// position.
#[derive(Debug, Clone)]
pub(crate) struct ConvRow {
    pub conv_key: String,
    /// The user sees the conversation's entries after this position.
    pub joined_pos: u64,
    /// The stream position of its last entry (0 before any).
    pub last_pos: u64,
    /// The conversation seq up to which the user has read (0: nothing).
    pub read_seq: u64,
}

/// What an entry of a conversation's log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum EntryKind {
    /// A new message.
    Message = 1,
    /// The recall of a message.
    Recall = 2,
}

/// One entry of a conversation's log, at a position of the app's stream.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub pos: u64,
    pub kind: EntryKind,
    pub conv_key: String,
    /// The message's seq in the conversation.
    pub conv_seq: u64,
    /// The position of the message's own entry (`pos` itself for a new message).
    pub msg_pos: u64,
}

/// A span of a user's membership of a conversation: the entries after `joined_pos` are
/// the user's, up to `left_pos` once the user left (and, after that, the recalls of those).
#[derive(Debug, Clone)]
pub(crate) struct Membership {
    pub conv_key: String,
    pub joined_pos: u64,
    pub left_pos: Option<u64>,
}

/// What a size budget says of one more item of a page: keep going (true) or stop.
pub(crate) type Keep<'a, T> = &'a mut (dyn FnMut(&T) -> bool + Send);

/// Which messages of a conversation a history read returns.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HistoryQuery {
    /// Oldest first from `after_seq` (exclusive) instead of newest first from `before_seq`.
    pub newer: bool,
    /// Older: `seq < before_seq`; newer: `seq > after_seq`. Exclusive bounds.
    pub before_seq: u64,
    pub after_seq: u64,
    /// Sent within `time_from_ms..=time_to_ms`.
    pub time_from_ms: i64,
    pub time_to_ms: i64,
    /// Only messages of the element types whose bits are set (bit `t` for type `t`, the
    /// type sent: [`crate::store`]'s `elem_type` column); 0 keeps every type.
    pub elem_type_mask: u32,
    /// Leaves out messages with any of these stored `flags` ([`message_flags`]).
    pub skip_flags: i32,
    pub count: u32,
}

impl HistoryQuery {
    /// The newest `count` messages before `before_seq`.
    pub(crate) fn older(before_seq: u64, count: u32) -> Self {
        HistoryQuery {
            newer: false,
            before_seq,
            after_seq: 0,
            time_from_ms: i64::MIN,
            time_to_ms: i64::MAX,
            elem_type_mask: 0,
            skip_flags: 0,
            count,
        }
    }
}

/// One transaction's view of storage. Nothing is visible to others before the backend
/// commits; a work that fails is rolled back whole.
pub(crate) trait Tx: Send {
    /// Creates the account on first sight (login, or addressed as a receiver or invitee).
    fn ensure_account(
        &mut self,
        app: u32,
        user: &str,
        now_ms: i64,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The app's newest stream position (0 before any entry).
    fn stream_head(&mut self, app: u32) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Appends an entry to the conversation's log at the app's next stream position and
    /// answers it. Positions are given in commit order: a reader that sees position `p`
    /// sees every entry before it. `msg_pos` is `None` for a new message.
    #[allow(clippy::too_many_arguments)]
    fn append_log(
        &mut self,
        app: u32,
        conv_key: &str,
        kind: EntryKind,
        conv_seq: u64,
        msg_pos: Option<u64>,
        now_ms: i64,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Starts a membership of the conversation after `joined_pos`.
    fn join_conv(
        &mut self,
        app: u32,
        user: &str,
        conv_key: &str,
        joined_pos: u64,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Ends the user's current membership of the conversation at `left_pos`.
    fn leave_conv(
        &mut self,
        app: u32,
        user: &str,
        conv_key: &str,
        left_pos: u64,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The user's memberships of conversations that have entries after `after`.
    fn memberships_after(
        &mut self,
        app: u32,
        user: &str,
        after: u64,
    ) -> impl Future<Output = StoreResult<Vec<Membership>>> + Send;
    /// The conversation's entries with `after < pos <= upto`, ascending, at most `limit`;
    /// recalls only when `recalls_only`.
    #[allow(clippy::too_many_arguments)]
    fn entries(
        &mut self,
        app: u32,
        conv_key: &str,
        after: u64,
        upto: u64,
        recalls_only: bool,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<Entry>>> + Send;
    /// The app's entries with `after < pos <= upto`, every conversation's, ascending, at
    /// most `limit` (the cluster relay's catch-up: `handlers::relay`).
    fn log_after(
        &mut self,
        app: u32,
        after: u64,
        upto: u64,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<Entry>>> + Send;
    /// The users whose sequence holds `entry`: those whose membership spans it, and for a
    /// recall, also those whose ended membership spanned the recalled message (the
    /// visibility rule of `handlers::messages::visible_entries`, for one entry).
    fn audience(
        &mut self,
        app: u32,
        entry: &Entry,
    ) -> impl Future<Output = StoreResult<Vec<String>>> + Send;
    /// Users no longer members whose membership spanned the entry at `msg_pos`.
    fn former_members_at(
        &mut self,
        app: u32,
        conv_key: &str,
        msg_pos: u64,
    ) -> impl Future<Output = StoreResult<Vec<String>>> + Send;
    /// The conversation's next message seq: 1, 2, 3, ... without gaps.
    fn next_conv_seq(
        &mut self,
        app: u32,
        conv_key: &str,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Stores a new message whose log entry is at `pos`, produced by the sender's request
    /// with idempotency key `send_key` (`None`: written by the server), with the offline
    /// push info it came with (kept for a push service, read by no request).
    fn insert_message(
        &mut self,
        app: u32,
        conv_key: &str,
        m: &MessageInfo,
        pos: u64,
        send_key: Option<&str>,
        offline_push: Option<&OfflinePushInfo>,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The message's conversation key and the stream position of its entry.
    fn message_place(
        &mut self,
        app: u32,
        msg_id: &str,
    ) -> impl Future<Output = StoreResult<Option<(String, u64)>>> + Send;
    fn get_message(
        &mut self,
        app: u32,
        msg_id: &str,
    ) -> impl Future<Output = StoreResult<Option<MessageInfo>>> + Send;
    fn message_exists(
        &mut self,
        app: u32,
        msg_id: &str,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// A message of a conversation by its conversation seq.
    fn get_message_by_seq(
        &mut self,
        app: u32,
        conv_key: &str,
        seq: u64,
    ) -> impl Future<Output = StoreResult<Option<MessageInfo>>> + Send;
    /// A conversation's messages as `q` asks, in its direction, at most `q.count`, while
    /// `keep` says go on.
    fn history(
        &mut self,
        app: u32,
        conv_key: &str,
        q: &HistoryQuery,
        keep: Keep<'_, MessageInfo>,
    ) -> impl Future<Output = StoreResult<Vec<MessageInfo>>> + Send;
    /// What the user's earlier request with idempotency key `key` produced: (op, msg_id).
    /// Keys are stored with the rows they produced (`insert_message`, `mark_revoked`).
    fn idem_lookup(
        &mut self,
        app: u32,
        user: &str,
        key: &str,
    ) -> impl Future<Output = StoreResult<Option<(String, String)>>> + Send;
    /// The group; `None` when there is none or it was dismissed.
    fn get_group(
        &mut self,
        app: u32,
        group_id: &str,
    ) -> impl Future<Output = StoreResult<Option<GroupRow>>> + Send;
    /// Whether the id is taken: also by a dismissed group, whose log lives on.
    fn group_exists(
        &mut self,
        app: u32,
        group_id: &str,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    #[allow(clippy::too_many_arguments)]
    fn insert_group(
        &mut self,
        app: u32,
        group_id: &str,
        group_type: &str,
        name: &str,
        owner: &str,
        now_ms: i64,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Replaces the group's name and profile.
    fn set_group_info(
        &mut self,
        app: u32,
        group_id: &str,
        name: &str,
        profile: &GroupProfile,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Marks the group dismissed and removes all its members (their conversation spans
    /// are ended by the caller).
    fn dismiss_group(
        &mut self,
        app: u32,
        group_id: &str,
        now_ms: i64,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The ids of the groups the user is a member of.
    fn joined_groups(
        &mut self,
        app: u32,
        user: &str,
    ) -> impl Future<Output = StoreResult<Vec<String>>> + Send;
    fn set_group_owner(
        &mut self,
        app: u32,
        group_id: &str,
        owner: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn member_role(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
    ) -> impl Future<Output = StoreResult<Option<u32>>> + Send;
    fn insert_member(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
        role: u32,
        now_ms: i64,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn set_member_role(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
        role: u32,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn delete_member(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn members(
        &mut self,
        app: u32,
        group_id: &str,
    ) -> impl Future<Output = StoreResult<Vec<MemberInfo>>> + Send;
    /// How many members the group has (without reading them).
    fn member_count(
        &mut self,
        app: u32,
        group_id: &str,
    ) -> impl Future<Output = StoreResult<usize>> + Send;
    /// Marks a message recalled and erases its content in place; `revoke_key` is the
    /// recaller's idempotency key (`None` for the admin API).
    #[allow(clippy::too_many_arguments)]
    fn mark_revoked(
        &mut self,
        app: u32,
        msg_id: &str,
        revoker: &str,
        reason: &str,
        now_ms: i64,
        revoke_key: Option<&str>,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The messages whose cloud data quotes `msg_id` (TUIKit replies): (id, cloud data).
    fn quoting(
        &mut self,
        app: u32,
        msg_id: &str,
    ) -> impl Future<Output = StoreResult<Vec<(String, String)>>> + Send;
    /// Replaces a message's cloud data.
    fn set_cloud_custom_data(
        &mut self,
        app: u32,
        msg_id: &str,
        data: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The user's current memberships (those not left), with each conversation's last
    /// activity and the user's read position; only `conv_key`'s when given.
    fn conversation_rows(
        &mut self,
        app: u32,
        user: &str,
        conv_key: Option<&str>,
    ) -> impl Future<Output = StoreResult<Vec<ConvRow>>> + Send;
    /// How many of the conversation's messages after `after_seq`, whose entries are after
    /// `after_pos`, were sent by someone other than `user` and are not recalled.
    #[allow(clippy::too_many_arguments)]
    fn count_unread(
        &mut self,
        app: u32,
        conv_key: &str,
        user: &str,
        after_seq: u64,
        after_pos: u64,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// The seq of the conversation's newest message sent at or before `time_ms` (0: none).
    fn seq_at_time(
        &mut self,
        app: u32,
        conv_key: &str,
        time_ms: i64,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Moves the user's read position of the conversation to `read_seq`, never back.
    fn set_read_seq(
        &mut self,
        app: u32,
        user: &str,
        conv_key: &str,
        read_seq: u64,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The user's profile; `None` when the user has no account.
    fn profile(
        &mut self,
        app: u32,
        user: &str,
    ) -> impl Future<Output = StoreResult<Option<UserProfile>>> + Send;
    /// Replaces the profile of an existing account.
    fn set_profile(
        &mut self,
        app: u32,
        profile: &UserProfile,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The app's recall time limit in seconds.
    fn recall_limit(&mut self, app: u32) -> impl Future<Output = StoreResult<u32>> + Send;
    fn set_recall_limit(
        &mut self,
        app: u32,
        secs: u32,
    ) -> impl Future<Output = StoreResult<()>> + Send;
}

/// Something to run in a transaction: a client request or an admin command.
pub(crate) trait Work: Send + Sync + 'static {
    /// What a successful run leaves for [`Work::finish`].
    type Output: Send;
    /// A refusal (the work's effects are rolled back), or a storage failure.
    type Error: From<StoreError> + Clone + Send;
    /// What `finish` needs besides the work itself (shared by every work of a backend).
    type Env: Clone + Send + Sync + 'static;

    /// Whether the work only reads, and may therefore run on a read-only connection,
    /// beside the writes instead of behind them.
    fn read_only(&self) -> bool {
        false
    }

    /// Runs against `tx` at `now_ms`; an error rolls back whatever it did.
    fn run<T: Tx>(
        &self,
        tx: &mut T,
        now_ms: i64,
    ) -> impl Future<Output = Result<Self::Output, Self::Error>> + Send;

    /// Whether the work, when it succeeds, erases message content (a recall): backends
    /// then make sure the erased bytes leave their files too.
    fn erases_content(&self) -> bool;

    /// Called once the transaction committed at `committed` (or failed to: then every
    /// result is that failure), in commit order.
    fn finish(
        self,
        env: &Self::Env,
        result: Result<Self::Output, Self::Error>,
        committed: std::time::Instant,
    );
}

/// Finishes a batch's works in commit order, each with its result; true if one of them
/// erased message content (the backend then erases it from its files too). Shared by the
/// backends' writers.
pub(crate) fn finish_batch<W: Work>(
    batch: Vec<W>,
    results: Vec<Result<W::Output, W::Error>>,
    env: &W::Env,
    committed: std::time::Instant,
) -> bool {
    let erased = batch
        .iter()
        .zip(&results)
        .any(|(work, r)| r.is_ok() && work.erases_content());
    for (work, result) in batch.into_iter().zip(results) {
        work.finish(env, result, committed);
    }
    erased
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c2c_key_is_symmetric() {
        assert_eq!(c2c_key("bob", "alice"), c2c_key("alice", "bob"));
        assert_ne!(c2c_key("a", "bc"), c2c_key("ab", "c"));
    }
}
