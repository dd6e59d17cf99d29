//! [`Tx`] on a SQLite connection inside the storage thread's transaction: every call is
//! a prepared statement ([`queries`]) and completes at once.

use rusqlite::Connection;
use v2tim_proto::group::{GroupProfile, MemberInfo};
use v2tim_proto::model::{MessageInfo, OfflinePushInfo, UserProfile};

use super::queries;
use crate::store::{
    group_profile_from_json, group_profile_to_json, profile_from_json, profile_to_json, ConvRow,
    Entry, EntryKind, GroupRow, HistoryQuery, Keep, Membership, StoreResult, Tx,
};

/// The storage thread's connection while a work runs (inside the batch's transaction and
/// the work's savepoint). `&mut`, not `&`: a `Connection` may move between threads but not
/// be shared, and a work's future must be `Send`.
pub(crate) struct SqliteTx<'a> {
    pub(crate) conn: &'a mut Connection,
}

impl Tx for SqliteTx<'_> {
    async fn ensure_account(&mut self, app: u32, user: &str, now_ms: i64) -> StoreResult<()> {
        Ok(queries::ensure_account(self.conn, app, user, now_ms)?)
    }

    async fn stream_head(&mut self, app: u32) -> StoreResult<u64> {
        Ok(queries::stream_head(self.conn, app)?)
    }

    async fn append_log(
        &mut self,
        app: u32,
        conv_key: &str,
        kind: EntryKind,
        conv_seq: u64,
        msg_pos: Option<u64>,
        now_ms: i64,
    ) -> StoreResult<u64> {
        Ok(queries::append_log(
            self.conn, app, conv_key, kind, conv_seq, msg_pos, now_ms,
        )?)
    }

    async fn join_conv(
        &mut self,
        app: u32,
        user: &str,
        conv_key: &str,
        joined_pos: u64,
    ) -> StoreResult<()> {
        Ok(queries::join_conv(
            self.conn, app, user, conv_key, joined_pos,
        )?)
    }

    async fn leave_conv(
        &mut self,
        app: u32,
        user: &str,
        conv_key: &str,
        left_pos: u64,
    ) -> StoreResult<()> {
        Ok(queries::leave_conv(
            self.conn, app, user, conv_key, left_pos,
        )?)
    }

    async fn memberships_after(
        &mut self,
        app: u32,
        user: &str,
        after: u64,
    ) -> StoreResult<Vec<Membership>> {
        Ok(queries::memberships_after(self.conn, app, user, after)?)
    }

    async fn entries(
        &mut self,
        app: u32,
        conv_key: &str,
        after: u64,
        upto: u64,
        recalls_only: bool,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        Ok(queries::entries(
            self.conn,
            app,
            conv_key,
            after,
            upto,
            recalls_only,
            limit,
        )?)
    }

    async fn log_after(
        &mut self,
        app: u32,
        after: u64,
        upto: u64,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        Ok(queries::log_after(self.conn, app, after, upto, limit)?)
    }

    async fn audience(&mut self, app: u32, entry: &Entry) -> StoreResult<Vec<String>> {
        Ok(queries::audience(self.conn, app, entry)?)
    }

    async fn former_members_at(
        &mut self,
        app: u32,
        conv_key: &str,
        msg_pos: u64,
    ) -> StoreResult<Vec<String>> {
        Ok(queries::former_members_at(
            self.conn, app, conv_key, msg_pos,
        )?)
    }

    async fn next_conv_seq(&mut self, app: u32, conv_key: &str) -> StoreResult<u64> {
        Ok(queries::next_conv_seq(self.conn, app, conv_key)?)
    }

    async fn insert_message(
        &mut self,
        app: u32,
        conv_key: &str,
        m: &MessageInfo,
        pos: u64,
        send_key: Option<&str>,
        offline_push: Option<&OfflinePushInfo>,
    ) -> StoreResult<()> {
        Ok(queries::insert_message(
            self.conn,
            app,
            conv_key,
            m,
            pos,
            send_key,
            offline_push,
        )?)
    }

    async fn message_place(
        &mut self,
        app: u32,
        msg_id: &str,
    ) -> StoreResult<Option<(String, u64)>> {
        Ok(queries::message_place(self.conn, app, msg_id)?)
    }

    async fn get_message(&mut self, app: u32, msg_id: &str) -> StoreResult<Option<MessageInfo>> {
        Ok(queries::get_message(self.conn, app, msg_id)?)
    }

    async fn message_exists(&mut self, app: u32, msg_id: &str) -> StoreResult<bool> {
        Ok(queries::message_exists(self.conn, app, msg_id)?)
    }

    async fn get_message_by_seq(
        &mut self,
        app: u32,
        conv_key: &str,
        seq: u64,
    ) -> StoreResult<Option<MessageInfo>> {
        Ok(queries::get_message_by_seq(self.conn, app, conv_key, seq)?)
    }

    async fn history(
        &mut self,
        app: u32,
        conv_key: &str,
        q: &HistoryQuery,
        keep: Keep<'_, MessageInfo>,
    ) -> StoreResult<Vec<MessageInfo>> {
        Ok(queries::history(self.conn, app, conv_key, q, keep)?)
    }

    async fn idem_lookup(
        &mut self,
        app: u32,
        user: &str,
        key: &str,
    ) -> StoreResult<Option<(String, String)>> {
        Ok(queries::idem_lookup(self.conn, app, user, key)?)
    }

    async fn get_group(&mut self, app: u32, group_id: &str) -> StoreResult<Option<GroupRow>> {
        queries::get_group(self.conn, app, group_id)?
            .map(|(mut row, json)| {
                row.profile = group_profile_from_json(group_id, &json)?;
                Ok(row)
            })
            .transpose()
    }

    async fn set_group_info(
        &mut self,
        app: u32,
        group_id: &str,
        name: &str,
        profile: &GroupProfile,
    ) -> StoreResult<()> {
        Ok(queries::set_group_info(
            self.conn,
            app,
            group_id,
            name,
            &group_profile_to_json(profile),
        )?)
    }

    async fn dismiss_group(&mut self, app: u32, group_id: &str, now_ms: i64) -> StoreResult<()> {
        Ok(queries::dismiss_group(self.conn, app, group_id, now_ms)?)
    }

    async fn joined_groups(&mut self, app: u32, user: &str) -> StoreResult<Vec<String>> {
        Ok(queries::joined_groups(self.conn, app, user)?)
    }

    async fn group_exists(&mut self, app: u32, group_id: &str) -> StoreResult<bool> {
        Ok(queries::group_exists(self.conn, app, group_id)?)
    }

    async fn insert_group(
        &mut self,
        app: u32,
        group_id: &str,
        group_type: &str,
        name: &str,
        owner: &str,
        now_ms: i64,
    ) -> StoreResult<()> {
        Ok(queries::insert_group(
            self.conn, app, group_id, group_type, name, owner, now_ms,
        )?)
    }

    async fn set_group_owner(&mut self, app: u32, group_id: &str, owner: &str) -> StoreResult<()> {
        Ok(queries::set_group_owner(self.conn, app, group_id, owner)?)
    }

    async fn member_role(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
    ) -> StoreResult<Option<u32>> {
        Ok(queries::member_role(self.conn, app, group_id, user)?)
    }

    async fn insert_member(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
        role: u32,
        now_ms: i64,
    ) -> StoreResult<()> {
        Ok(queries::insert_member(
            self.conn, app, group_id, user, role, now_ms,
        )?)
    }

    async fn set_member_role(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
        role: u32,
    ) -> StoreResult<()> {
        Ok(queries::set_member_role(
            self.conn, app, group_id, user, role,
        )?)
    }

    async fn delete_member(&mut self, app: u32, group_id: &str, user: &str) -> StoreResult<()> {
        Ok(queries::delete_member(self.conn, app, group_id, user)?)
    }

    async fn members(&mut self, app: u32, group_id: &str) -> StoreResult<Vec<MemberInfo>> {
        Ok(queries::members(self.conn, app, group_id)?)
    }

    async fn member_count(&mut self, app: u32, group_id: &str) -> StoreResult<usize> {
        Ok(queries::member_count(self.conn, app, group_id)?)
    }

    async fn quoting(&mut self, app: u32, msg_id: &str) -> StoreResult<Vec<(String, String)>> {
        Ok(queries::quoting(self.conn, app, msg_id)?)
    }

    async fn set_cloud_custom_data(
        &mut self,
        app: u32,
        msg_id: &str,
        data: &str,
    ) -> StoreResult<()> {
        Ok(queries::set_cloud_custom_data(
            self.conn, app, msg_id, data,
        )?)
    }

    async fn mark_revoked(
        &mut self,
        app: u32,
        msg_id: &str,
        revoker: &str,
        reason: &str,
        now_ms: i64,
        revoke_key: Option<&str>,
    ) -> StoreResult<()> {
        Ok(queries::mark_revoked(
            self.conn, app, msg_id, revoker, reason, now_ms, revoke_key,
        )?)
    }

    async fn recall_limit(&mut self, app: u32) -> StoreResult<u32> {
        Ok(queries::recall_limit(self.conn, app)?)
    }

    async fn set_recall_limit(&mut self, app: u32, secs: u32) -> StoreResult<()> {
        Ok(queries::set_recall_limit(self.conn, app, secs)?)
    }

    async fn conversation_rows(
        &mut self,
        app: u32,
        user: &str,
        conv_key: Option<&str>,
    ) -> StoreResult<Vec<ConvRow>> {
        Ok(queries::conversation_rows(self.conn, app, user, conv_key)?)
    }

    async fn count_unread(
        &mut self,
        app: u32,
        conv_key: &str,
        user: &str,
        after_seq: u64,
        after_pos: u64,
    ) -> StoreResult<u64> {
        Ok(queries::count_unread(
            self.conn, app, conv_key, user, after_seq, after_pos,
        )?)
    }

    async fn seq_at_time(&mut self, app: u32, conv_key: &str, time_ms: i64) -> StoreResult<u64> {
        Ok(queries::seq_at_time(self.conn, app, conv_key, time_ms)?)
    }

    async fn set_read_seq(
        &mut self,
        app: u32,
        user: &str,
        conv_key: &str,
        read_seq: u64,
    ) -> StoreResult<()> {
        Ok(queries::set_read_seq(
            self.conn, app, user, conv_key, read_seq,
        )?)
    }

    async fn profile(&mut self, app: u32, user: &str) -> StoreResult<Option<UserProfile>> {
        match queries::profile_json(self.conn, app, user)? {
            Some(json) => Ok(Some(profile_from_json(user, &json)?)),
            None => Ok(None),
        }
    }

    async fn set_profile(&mut self, app: u32, profile: &UserProfile) -> StoreResult<()> {
        Ok(queries::set_profile_json(
            self.conn,
            app,
            &profile.user_id,
            &profile_to_json(profile),
        )?)
    }
}
