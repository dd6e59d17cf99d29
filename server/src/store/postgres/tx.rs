//! [`Tx`] on a PostgreSQL connection inside the writer's transaction (and the work's
//! savepoint) or a reader's snapshot. Every statement is prepared once per connection
//! (deadpool's statement cache). Integers are BIGINT: ids, positions and seqs are u64 on
//! the wire and clamped to i64 here, as on SQLite.

use deadpool_postgres::ClientWrapper;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;
use v2tim_proto::group::{GroupProfile, MemberInfo};
use v2tim_proto::model::{Elem, MessageInfo, OfflinePushInfo, RevokeInfo, UserProfile};

use crate::store::{
    group_profile_from_json, group_profile_to_json, message_flags, profile_from_json,
    profile_to_json, set_message_flags, ConvRow, Entry, EntryKind, GroupRow, HistoryQuery, Keep,
    Membership, StoreError, StoreResult, Tx,
};

/// A connection while one work runs on it.
pub(super) struct PgTx<'a> {
    pub(super) client: &'a ClientWrapper,
}

type Params<'p> = &'p [&'p (dyn ToSql + Sync)];

fn clamp(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Stored values are never negative (they came from u64 or u32 through [`clamp`]).
fn unsigned(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl PgTx<'_> {
    async fn query(&self, sql: &str, params: Params<'_>) -> StoreResult<Vec<Row>> {
        let stmt = self.client.prepare_cached(sql).await?;
        Ok(self.client.query(&stmt, params).await?)
    }

    async fn query_opt(&self, sql: &str, params: Params<'_>) -> StoreResult<Option<Row>> {
        let stmt = self.client.prepare_cached(sql).await?;
        Ok(self.client.query_opt(&stmt, params).await?)
    }

    async fn execute(&self, sql: &str, params: Params<'_>) -> StoreResult<u64> {
        let stmt = self.client.prepare_cached(sql).await?;
        Ok(self.client.execute(&stmt, params).await?)
    }
}

const MESSAGE_COLUMNS: &str = "msg_id, seq, sender, receiver, group_id, timestamp_ms, \
     priority, elem_json, revoked_by, revoked_reason, revoked_ms, flags, cloud_custom_data";

fn message_from_row(r: &Row) -> StoreResult<MessageInfo> {
    let elem_json: &str = r.get(7);
    let elem: Elem = serde_json::from_str(elem_json)
        .map_err(|e| StoreError(format!("stored message element is not valid: {e}")))?;
    let revoked = r.get::<_, Option<String>>(8).map(|revoker| RevokeInfo {
        revoker,
        reason: r.get::<_, Option<String>>(9).unwrap_or_default(),
        time_ms: r.get::<_, Option<i64>>(10).unwrap_or(0),
        revoker_nick: String::new(),
        revoker_face: String::new(),
    });
    let mut m = MessageInfo {
        msg_id: r.get(0),
        seq: unsigned(r.get(1)),
        sender: r.get(2),
        receiver: r.get(3),
        group_id: r.get(4),
        timestamp_ms: r.get(5),
        priority: i32::try_from(r.get::<_, i64>(6)).unwrap_or_default(),
        elem,
        revoked,
        nick_name: String::new(),
        face_url: String::new(),
        excluded_from_unread: false,
        excluded_from_last: false,
        cloud_custom_data: r.get(12),
    };
    set_message_flags(&mut m, r.get(11));
    Ok(m)
}

fn entry_from_row(r: &Row, conv_key: &str) -> Entry {
    Entry {
        pos: unsigned(r.get(0)),
        kind: if r.get::<_, i64>(1) == EntryKind::Recall as i64 {
            EntryKind::Recall
        } else {
            EntryKind::Message
        },
        conv_key: conv_key.to_string(),
        conv_seq: unsigned(r.get(2)),
        msg_pos: unsigned(r.get(3)),
    }
}

impl Tx for PgTx<'_> {
    async fn ensure_account(&mut self, app: u32, user: &str, now_ms: i64) -> StoreResult<()> {
        self.execute(
            "INSERT INTO accounts (app, user_id, created_ms) VALUES ($1, $2, $3)
             ON CONFLICT (app, user_id) DO NOTHING",
            &[&i64::from(app), &user, &now_ms],
        )
        .await?;
        Ok(())
    }

    async fn stream_head(&mut self, app: u32) -> StoreResult<u64> {
        let row = self
            .query_opt(
                "SELECT head FROM streams WHERE app = $1",
                &[&i64::from(app)],
            )
            .await?;
        Ok(row.map_or(0, |r| unsigned(r.get(0))))
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
        // One round trip for the three writes: the position, the entry at it, and the
        // conversation's last activity. The writer's advisory lock orders the commits, so
        // the streams row is never contended.
        let row = self
            .query_opt(
                "WITH s AS (
                     INSERT INTO streams (app, head) VALUES ($1, 1)
                     ON CONFLICT (app) DO UPDATE SET head = streams.head + 1
                     RETURNING head),
                 l AS (
                     INSERT INTO conv_log (app, conv_key, pos, kind, conv_seq, msg_pos)
                     SELECT $1, $2, s.head, $3, $4, COALESCE($5, s.head) FROM s
                     RETURNING pos),
                 c AS (
                     UPDATE conversations SET last_pos = (SELECT pos FROM l), last_ms = $6
                     WHERE app = $1 AND conv_key = $2)
                 SELECT pos FROM l",
                &[
                    &i64::from(app),
                    &conv_key,
                    &(kind as i64),
                    &clamp(conv_seq),
                    &msg_pos.map(clamp),
                    &now_ms,
                ],
            )
            .await?;
        let pos: i64 = row
            .map(|r| r.get(0))
            .ok_or_else(|| StoreError("conv_log: no position returned".into()))?;
        Ok(unsigned(pos))
    }

    async fn join_conv(
        &mut self,
        app: u32,
        user: &str,
        conv_key: &str,
        joined_pos: u64,
    ) -> StoreResult<()> {
        self.execute(
            "INSERT INTO conv_members (app, user_id, conv_key, joined_pos, left_pos)
             VALUES ($1, $2, $3, $4, NULL)
             ON CONFLICT (app, user_id, conv_key, joined_pos) DO UPDATE SET left_pos = NULL",
            &[&i64::from(app), &user, &conv_key, &clamp(joined_pos)],
        )
        .await?;
        Ok(())
    }

    async fn leave_conv(
        &mut self,
        app: u32,
        user: &str,
        conv_key: &str,
        left_pos: u64,
    ) -> StoreResult<()> {
        self.execute(
            "UPDATE conv_members SET left_pos = $4
             WHERE app = $1 AND user_id = $2 AND conv_key = $3 AND left_pos IS NULL",
            &[&i64::from(app), &user, &conv_key, &clamp(left_pos)],
        )
        .await?;
        Ok(())
    }

    async fn memberships_after(
        &mut self,
        app: u32,
        user: &str,
        after: u64,
    ) -> StoreResult<Vec<Membership>> {
        let rows = self
            .query(
                "SELECT mb.conv_key, mb.joined_pos, mb.left_pos
                 FROM conv_members mb
                 JOIN conversations c ON c.app = mb.app AND c.conv_key = mb.conv_key
                 WHERE mb.app = $1 AND mb.user_id = $2 AND c.last_pos > $3",
                &[&i64::from(app), &user, &clamp(after)],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Membership {
                conv_key: r.get(0),
                joined_pos: unsigned(r.get(1)),
                left_pos: r.get::<_, Option<i64>>(2).map(unsigned),
            })
            .collect())
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
        let sql = if recalls_only {
            "SELECT pos, kind, conv_seq, msg_pos FROM conv_log
             WHERE app = $1 AND conv_key = $2 AND kind = 2 AND pos > $3 AND pos <= $4
             ORDER BY pos LIMIT $5"
        } else {
            "SELECT pos, kind, conv_seq, msg_pos FROM conv_log
             WHERE app = $1 AND conv_key = $2 AND pos > $3 AND pos <= $4
             ORDER BY pos LIMIT $5"
        };
        let rows = self
            .query(
                sql,
                &[
                    &i64::from(app),
                    &conv_key,
                    &clamp(after),
                    &clamp(upto),
                    &i64::from(limit),
                ],
            )
            .await?;
        Ok(rows.iter().map(|r| entry_from_row(r, conv_key)).collect())
    }

    async fn log_after(
        &mut self,
        app: u32,
        after: u64,
        upto: u64,
        limit: u32,
    ) -> StoreResult<Vec<Entry>> {
        let rows = self
            .query(
                "SELECT pos, kind, conv_seq, msg_pos, conv_key FROM conv_log
                 WHERE app = $1 AND pos > $2 AND pos <= $3 ORDER BY pos LIMIT $4",
                &[
                    &i64::from(app),
                    &clamp(after),
                    &clamp(upto),
                    &i64::from(limit),
                ],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| entry_from_row(r, r.get::<_, &str>(4)))
            .collect())
    }

    async fn audience(&mut self, app: u32, e: &Entry) -> StoreResult<Vec<String>> {
        let rows = self
            .query(
                "SELECT DISTINCT user_id FROM conv_members
                 WHERE app = $1 AND conv_key = $2
                   AND ((joined_pos < $3 AND (left_pos IS NULL OR left_pos >= $3))
                        OR ($4 AND left_pos IS NOT NULL AND joined_pos < $5 AND left_pos >= $5))",
                &[
                    &i64::from(app),
                    &e.conv_key,
                    &clamp(e.pos),
                    &(e.kind == EntryKind::Recall),
                    &clamp(e.msg_pos),
                ],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn former_members_at(
        &mut self,
        app: u32,
        conv_key: &str,
        msg_pos: u64,
    ) -> StoreResult<Vec<String>> {
        let rows = self
            .query(
                "SELECT user_id FROM conv_members
                 WHERE app = $1 AND conv_key = $2 AND left_pos IS NOT NULL AND left_pos >= $3
                   AND joined_pos < $3",
                &[&i64::from(app), &conv_key, &clamp(msg_pos)],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn next_conv_seq(&mut self, app: u32, conv_key: &str) -> StoreResult<u64> {
        let rows = self
            .query(
                "INSERT INTO conversations (app, conv_key, last_seq) VALUES ($1, $2, 1)
                 ON CONFLICT (app, conv_key) DO UPDATE SET last_seq = conversations.last_seq + 1
                 RETURNING last_seq",
                &[&i64::from(app), &conv_key],
            )
            .await?;
        rows.first()
            .map(|r| unsigned(r.get(0)))
            .ok_or_else(|| StoreError("conversations: no seq returned".into()))
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
        let elem = serde_json::to_string(&m.elem)
            .map_err(|e| StoreError(format!("cannot encode a message element: {e}")))?;
        let push = offline_push
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError(format!("cannot encode offline push info: {e}")))?;
        self.execute(
            "INSERT INTO messages (app, conv_key, seq, msg_id, pos, sender, receiver, group_id,
                                   timestamp_ms, priority, elem_json, send_key, flags,
                                   elem_type, cloud_custom_data, quoted_msg_id, offline_push)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                     $17)",
            &[
                &i64::from(app),
                &conv_key,
                &clamp(m.seq),
                &m.msg_id,
                &clamp(pos),
                &m.sender,
                &m.receiver,
                &m.group_id,
                &m.timestamp_ms,
                &i64::from(m.priority),
                &elem,
                &send_key,
                &message_flags(m),
                &m.elem.elem_type(),
                &m.cloud_custom_data,
                &v2tim_proto::quote::quoted_msg_id(&m.cloud_custom_data),
                &push,
            ],
        )
        .await?;
        Ok(())
    }

    async fn message_place(
        &mut self,
        app: u32,
        msg_id: &str,
    ) -> StoreResult<Option<(String, u64)>> {
        let row = self
            .query_opt(
                "SELECT conv_key, pos FROM messages WHERE app = $1 AND msg_id = $2",
                &[&i64::from(app), &msg_id],
            )
            .await?;
        Ok(row.map(|r| (r.get(0), unsigned(r.get(1)))))
    }

    async fn get_message(&mut self, app: u32, msg_id: &str) -> StoreResult<Option<MessageInfo>> {
        let row = self
            .query_opt(
                &format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE app = $1 AND msg_id = $2"),
                &[&i64::from(app), &msg_id],
            )
            .await?;
        row.as_ref().map(message_from_row).transpose()
    }

    async fn message_exists(&mut self, app: u32, msg_id: &str) -> StoreResult<bool> {
        let row = self
            .query_opt(
                "SELECT 1 FROM messages WHERE app = $1 AND msg_id = $2",
                &[&i64::from(app), &msg_id],
            )
            .await?;
        Ok(row.is_some())
    }

    async fn get_message_by_seq(
        &mut self,
        app: u32,
        conv_key: &str,
        seq: u64,
    ) -> StoreResult<Option<MessageInfo>> {
        let row = self
            .query_opt(
                &format!(
                    "SELECT {MESSAGE_COLUMNS} FROM messages
                     WHERE app = $1 AND conv_key = $2 AND seq = $3"
                ),
                &[&i64::from(app), &conv_key, &clamp(seq)],
            )
            .await?;
        row.as_ref().map(message_from_row).transpose()
    }

    async fn history(
        &mut self,
        app: u32,
        conv_key: &str,
        q: &HistoryQuery,
        keep: Keep<'_, MessageInfo>,
    ) -> StoreResult<Vec<MessageInfo>> {
        let (bound, order, from) = if q.newer {
            ("seq > $3", "ASC", q.after_seq)
        } else {
            ("seq < $3", "DESC", q.before_seq)
        };
        let rows = self
            .query(
                &format!(
                    "SELECT {MESSAGE_COLUMNS} FROM messages
                     WHERE app = $1 AND conv_key = $2 AND {bound}
                       AND timestamp_ms BETWEEN $5 AND $6
                       AND ($7::bigint = 0 OR (($7::bigint >> elem_type) & 1) = 1)
                       AND (flags & $8::integer) = 0
                     ORDER BY seq {order} LIMIT $4"
                ),
                &[
                    &i64::from(app),
                    &conv_key,
                    &clamp(from),
                    &i64::from(q.count),
                    &q.time_from_ms,
                    &q.time_to_ms,
                    &i64::from(q.elem_type_mask),
                    &q.skip_flags,
                ],
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let m = message_from_row(r)?;
            if !keep(&m) && !out.is_empty() {
                break;
            }
            out.push(m);
        }
        Ok(out)
    }

    async fn idem_lookup(
        &mut self,
        app: u32,
        user: &str,
        key: &str,
    ) -> StoreResult<Option<(String, String)>> {
        let row = self
            .query_opt(
                "(SELECT 'send_message'::text, msg_id FROM messages
                  WHERE app = $1 AND sender = $2 AND send_key = $3)
                 UNION ALL
                 (SELECT 'revoke_message'::text, msg_id FROM messages
                  WHERE app = $1 AND revoked_by = $2 AND revoke_key = $3)
                 LIMIT 1",
                &[&i64::from(app), &user, &key],
            )
            .await?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    async fn get_group(&mut self, app: u32, group_id: &str) -> StoreResult<Option<GroupRow>> {
        let row = self
            .query_opt(
                "SELECT group_type, name, owner, created_ms, profile FROM groups
                 WHERE app = $1 AND group_id = $2 AND dismissed_ms IS NULL",
                &[&i64::from(app), &group_id],
            )
            .await?;
        row.map(|r| {
            Ok(GroupRow {
                group_type: r.get(0),
                name: r.get(1),
                owner: r.get(2),
                created_ms: r.get(3),
                profile: group_profile_from_json(group_id, r.get(4))?,
            })
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
        self.execute(
            "UPDATE groups SET name = $3, profile = $4 WHERE app = $1 AND group_id = $2",
            &[
                &i64::from(app),
                &group_id,
                &name,
                &group_profile_to_json(profile),
            ],
        )
        .await?;
        Ok(())
    }

    async fn dismiss_group(&mut self, app: u32, group_id: &str, now_ms: i64) -> StoreResult<()> {
        self.execute(
            "UPDATE groups SET dismissed_ms = $3 WHERE app = $1 AND group_id = $2",
            &[&i64::from(app), &group_id, &now_ms],
        )
        .await?;
        self.execute(
            "DELETE FROM group_members WHERE app = $1 AND group_id = $2",
            &[&i64::from(app), &group_id],
        )
        .await?;
        Ok(())
    }

    async fn joined_groups(&mut self, app: u32, user: &str) -> StoreResult<Vec<String>> {
        let rows = self
            .query(
                "SELECT group_id FROM group_members WHERE app = $1 AND user_id = $2
                 ORDER BY join_ms, group_id",
                &[&i64::from(app), &user],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn group_exists(&mut self, app: u32, group_id: &str) -> StoreResult<bool> {
        let row = self
            .query_opt(
                "SELECT 1 FROM groups WHERE app = $1 AND group_id = $2",
                &[&i64::from(app), &group_id],
            )
            .await?;
        Ok(row.is_some())
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
        self.execute(
            "INSERT INTO groups (app, group_id, group_type, name, owner, created_ms)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &i64::from(app),
                &group_id,
                &group_type,
                &name,
                &owner,
                &now_ms,
            ],
        )
        .await?;
        Ok(())
    }

    async fn set_group_owner(&mut self, app: u32, group_id: &str, owner: &str) -> StoreResult<()> {
        self.execute(
            "UPDATE groups SET owner = $3 WHERE app = $1 AND group_id = $2",
            &[&i64::from(app), &group_id, &owner],
        )
        .await?;
        Ok(())
    }

    async fn member_role(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
    ) -> StoreResult<Option<u32>> {
        let row = self
            .query_opt(
                "SELECT role FROM group_members WHERE app = $1 AND group_id = $2 AND user_id = $3",
                &[&i64::from(app), &group_id, &user],
            )
            .await?;
        Ok(row.map(|r| u32::try_from(r.get::<_, i64>(0)).unwrap_or_default()))
    }

    async fn insert_member(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
        role: u32,
        now_ms: i64,
    ) -> StoreResult<()> {
        self.execute(
            "INSERT INTO group_members (app, group_id, user_id, role, join_ms)
             VALUES ($1, $2, $3, $4, $5)",
            &[&i64::from(app), &group_id, &user, &i64::from(role), &now_ms],
        )
        .await?;
        Ok(())
    }

    async fn set_member_role(
        &mut self,
        app: u32,
        group_id: &str,
        user: &str,
        role: u32,
    ) -> StoreResult<()> {
        self.execute(
            "UPDATE group_members SET role = $4 WHERE app = $1 AND group_id = $2 AND user_id = $3",
            &[&i64::from(app), &group_id, &user, &i64::from(role)],
        )
        .await?;
        Ok(())
    }

    async fn delete_member(&mut self, app: u32, group_id: &str, user: &str) -> StoreResult<()> {
        self.execute(
            "DELETE FROM group_members WHERE app = $1 AND group_id = $2 AND user_id = $3",
            &[&i64::from(app), &group_id, &user],
        )
        .await?;
        Ok(())
    }

    async fn members(&mut self, app: u32, group_id: &str) -> StoreResult<Vec<MemberInfo>> {
        let rows = self
            .query(
                "SELECT user_id, role, join_ms FROM group_members
                 WHERE app = $1 AND group_id = $2 ORDER BY join_ms, user_id",
                &[&i64::from(app), &group_id],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| MemberInfo {
                user_id: r.get(0),
                role: u32::try_from(r.get::<_, i64>(1)).unwrap_or_default(),
                join_time_ms: r.get(2),
                ..Default::default()
            })
            .collect())
    }

    async fn member_count(&mut self, app: u32, group_id: &str) -> StoreResult<usize> {
        let row = self
            .query_opt(
                "SELECT COUNT(*) FROM group_members WHERE app = $1 AND group_id = $2",
                &[&i64::from(app), &group_id],
            )
            .await?;
        Ok(row.map_or(0, |r| unsigned(r.get(0)) as usize))
    }

    async fn quoting(&mut self, app: u32, msg_id: &str) -> StoreResult<Vec<(String, String)>> {
        let rows = self
            .query(
                "SELECT msg_id, cloud_custom_data FROM messages
                 WHERE app = $1 AND quoted_msg_id = $2",
                &[&i64::from(app), &msg_id],
            )
            .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn set_cloud_custom_data(
        &mut self,
        app: u32,
        msg_id: &str,
        data: &str,
    ) -> StoreResult<()> {
        self.execute(
            "UPDATE messages SET cloud_custom_data = $3 WHERE app = $1 AND msg_id = $2",
            &[&i64::from(app), &msg_id, &data],
        )
        .await?;
        Ok(())
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
        let none = serde_json::to_string(&Elem::None)
            .map_err(|e| StoreError(format!("cannot encode an empty element: {e}")))?;
        self.execute(
            "UPDATE messages SET elem_json = $3, revoked_by = $4, revoked_reason = $5,
                                 revoked_ms = $6, revoke_key = $7, cloud_custom_data = '',
                                 quoted_msg_id = NULL, offline_push = NULL
             WHERE app = $1 AND msg_id = $2",
            &[
                &i64::from(app),
                &msg_id,
                &none,
                &revoker,
                &reason,
                &now_ms,
                &revoke_key,
            ],
        )
        .await?;
        Ok(())
    }

    async fn recall_limit(&mut self, app: u32) -> StoreResult<u32> {
        let row = self
            .query_opt(
                "SELECT recall_time_limit_secs FROM app_settings WHERE app = $1",
                &[&i64::from(app)],
            )
            .await?;
        Ok(
            row.map_or(crate::config::DEFAULT_RECALL_TIME_LIMIT_SECS, |r| {
                u32::try_from(r.get::<_, i64>(0)).unwrap_or_default()
            }),
        )
    }

    async fn set_recall_limit(&mut self, app: u32, secs: u32) -> StoreResult<()> {
        self.execute(
            "INSERT INTO app_settings (app, recall_time_limit_secs, config_secs)
             VALUES ($1, $2, $3)
             ON CONFLICT (app) DO UPDATE
                 SET recall_time_limit_secs = excluded.recall_time_limit_secs",
            &[
                &i64::from(app),
                &i64::from(secs),
                &i64::from(crate::config::DEFAULT_RECALL_TIME_LIMIT_SECS),
            ],
        )
        .await?;
        Ok(())
    }

    async fn conversation_rows(
        &mut self,
        app: u32,
        user: &str,
        conv_key: Option<&str>,
    ) -> StoreResult<Vec<ConvRow>> {
        let rows = self
            .query(
                "SELECT mb.conv_key, mb.joined_pos, COALESCE(c.last_pos, 0),
                        COALESCE(rp.read_seq, 0)
                 FROM conv_members mb
                 LEFT JOIN conversations c ON c.app = mb.app AND c.conv_key = mb.conv_key
                 LEFT JOIN read_positions rp
                        ON rp.app = mb.app AND rp.user_id = mb.user_id
                       AND rp.conv_key = mb.conv_key
                 WHERE mb.app = $1 AND mb.user_id = $2 AND mb.left_pos IS NULL
                   AND ($3::TEXT IS NULL OR mb.conv_key = $3)",
                &[&i64::from(app), &user, &conv_key],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| ConvRow {
                conv_key: r.get(0),
                joined_pos: unsigned(r.get(1)),
                last_pos: unsigned(r.get(2)),
                read_seq: unsigned(r.get(3)),
            })
            .collect())
    }

    async fn count_unread(
        &mut self,
        app: u32,
        conv_key: &str,
        user: &str,
        after_seq: u64,
        after_pos: u64,
    ) -> StoreResult<u64> {
        let row = self
            .query_opt(
                "SELECT COUNT(*) FROM messages
                 WHERE app = $1 AND conv_key = $2 AND seq > $3 AND pos > $4 AND sender <> $5
                   AND revoked_by IS NULL AND flags & 1 = 0",
                &[
                    &i64::from(app),
                    &conv_key,
                    &clamp(after_seq),
                    &clamp(after_pos),
                    &user,
                ],
            )
            .await?;
        Ok(row.map_or(0, |r| unsigned(r.get(0))))
    }

    async fn seq_at_time(&mut self, app: u32, conv_key: &str, time_ms: i64) -> StoreResult<u64> {
        let row = self
            .query_opt(
                "SELECT COALESCE(MAX(seq), 0) FROM messages
                 WHERE app = $1 AND conv_key = $2 AND timestamp_ms <= $3",
                &[&i64::from(app), &conv_key, &time_ms],
            )
            .await?;
        Ok(row.map_or(0, |r| unsigned(r.get(0))))
    }

    async fn set_read_seq(
        &mut self,
        app: u32,
        user: &str,
        conv_key: &str,
        read_seq: u64,
    ) -> StoreResult<()> {
        self.execute(
            "INSERT INTO read_positions (app, user_id, conv_key, read_seq)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (app, user_id, conv_key)
             DO UPDATE SET read_seq = GREATEST(read_positions.read_seq, EXCLUDED.read_seq)",
            &[&i64::from(app), &user, &conv_key, &clamp(read_seq)],
        )
        .await?;
        Ok(())
    }

    async fn profile(&mut self, app: u32, user: &str) -> StoreResult<Option<UserProfile>> {
        let row = self
            .query_opt(
                "SELECT profile FROM accounts WHERE app = $1 AND user_id = $2",
                &[&i64::from(app), &user],
            )
            .await?;
        match row {
            Some(r) => Ok(Some(profile_from_json(user, r.get(0))?)),
            None => Ok(None),
        }
    }

    async fn set_profile(&mut self, app: u32, profile: &UserProfile) -> StoreResult<()> {
        self.execute(
            "UPDATE accounts SET profile = $3 WHERE app = $1 AND user_id = $2",
            &[&i64::from(app), &profile.user_id, &profile_to_json(profile)],
        )
        .await?;
        Ok(())
    }
}
