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
//! Backends: [`sqlite`] (one database file, a storage thread with group commit).

pub(crate) mod sqlite;

use std::future::Future;

use v2tim_proto::frames::MemberInfo;
use v2tim_proto::model::{Event, MessageInfo};

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

pub(crate) type StoreResult<T> = Result<T, StoreError>;

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

/// A group's fixed facts.
#[derive(Debug, Clone)]
pub(crate) struct GroupRow {
    pub group_type: String,
}

/// What a size budget says of one more item of a page: keep going (true) or stop.
pub(crate) type Keep<'a, T> = &'a mut (dyn FnMut(&T) -> bool + Send);

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
    /// The newest seq of the user's sync sequence (0 before any).
    fn head_seq(&mut self, app: u32, user: &str) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Appends an event (`kind`, about `msg_id`) to the user's sync sequence; its seq.
    fn append_event(
        &mut self,
        app: u32,
        user: &str,
        kind: &str,
        msg_id: &str,
        now_ms: i64,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// The conversation's next message seq: 1, 2, 3, ... without gaps.
    fn next_conv_seq(
        &mut self,
        app: u32,
        conv_key: &str,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    fn insert_message(
        &mut self,
        app: u32,
        conv_key: &str,
        m: &MessageInfo,
    ) -> impl Future<Output = StoreResult<()>> + Send;
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
    /// Events of `user` after `after_seq`, ascending, at most `limit`, each with its
    /// message's current form, while `keep` says go on.
    fn events_after(
        &mut self,
        app: u32,
        user: &str,
        after_seq: u64,
        limit: u32,
        keep: Keep<'_, Event>,
    ) -> impl Future<Output = StoreResult<Vec<Event>>> + Send;
    /// A conversation's messages before `before_seq`, newest first, at most `count`, while
    /// `keep` says go on.
    fn history(
        &mut self,
        app: u32,
        conv_key: &str,
        before_seq: u64,
        count: u32,
        keep: Keep<'_, MessageInfo>,
    ) -> impl Future<Output = StoreResult<Vec<MessageInfo>>> + Send;
    /// The first answer to the user's request `key`: (op, msg_id).
    fn idem_lookup(
        &mut self,
        app: u32,
        user: &str,
        key: &str,
    ) -> impl Future<Output = StoreResult<Option<(String, String)>>> + Send;
    #[allow(clippy::too_many_arguments)]
    fn idem_record(
        &mut self,
        app: u32,
        user: &str,
        key: &str,
        op: &str,
        msg_id: &str,
        now_ms: i64,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn get_group(
        &mut self,
        app: u32,
        group_id: &str,
    ) -> impl Future<Output = StoreResult<Option<GroupRow>>> + Send;
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
    /// Marks a message recalled and erases its content in place.
    fn mark_revoked(
        &mut self,
        app: u32,
        msg_id: &str,
        revoker: &str,
        reason: &str,
        now_ms: i64,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Users whose sync sequence holds the message's `new_message` event.
    fn message_receivers(
        &mut self,
        app: u32,
        msg_id: &str,
    ) -> impl Future<Output = StoreResult<Vec<String>>> + Send;
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

    /// Called once the transaction committed (or failed to: then every result is that
    /// failure), in commit order.
    fn finish(self, env: &Self::Env, result: Result<Self::Output, Self::Error>);
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
