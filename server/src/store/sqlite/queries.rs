//! SQL primitives of the SQLite backend. Every function runs on the storage thread inside
//! the current work's savepoint; none commits.

use rusqlite::{params, Connection, OptionalExtension, Row};
use v2tim_proto::group::MemberInfo;
use v2tim_proto::model::{Elem, MessageInfo, OfflinePushInfo, RevokeInfo};

use crate::store::{
    message_flags, set_message_flags, ConvRow, Entry, EntryKind, GroupRow, HistoryQuery, Membership,
};

/// Sequence numbers are u64 on the wire and i64 in SQLite; client-given bounds beyond
/// i64::MAX mean "everything" and are clamped.
fn clamp(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Creates the account on first sight (login, or addressed as a receiver or invitee).
pub(crate) fn ensure_account(
    db: &Connection,
    app: u32,
    user: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    db.prepare_cached(
        "INSERT INTO accounts (app, user_id, created_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT (app, user_id) DO NOTHING",
    )?
    .execute(params![app, user, now_ms])?;
    Ok(())
}

/// The app's newest stream position (0 before any entry).
pub(crate) fn stream_head(db: &Connection, app: u32) -> rusqlite::Result<u64> {
    let v: Option<u64> = db
        .prepare_cached("SELECT head FROM streams WHERE app = ?1")?
        .query_row(params![app], |r| r.get(0))
        .optional()?;
    Ok(v.unwrap_or(0))
}

/// Appends an entry to the conversation's log at the app's next stream position, which it
/// answers; the conversation's last activity moves there.
pub(crate) fn append_log(
    db: &Connection,
    app: u32,
    conv_key: &str,
    kind: EntryKind,
    conv_seq: u64,
    msg_pos: Option<u64>,
    now_ms: i64,
) -> rusqlite::Result<u64> {
    let pos: u64 = db
        .prepare_cached(
            "INSERT INTO streams (app, head) VALUES (?1, 1)
             ON CONFLICT (app) DO UPDATE SET head = head + 1
             RETURNING head",
        )?
        .query_row(params![app], |r| r.get(0))?;
    db.prepare_cached(
        "INSERT INTO conv_log (app, conv_key, pos, kind, conv_seq, msg_pos)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        app,
        conv_key,
        pos,
        kind as u8,
        clamp(conv_seq),
        msg_pos.unwrap_or(pos)
    ])?;
    db.prepare_cached(
        "UPDATE conversations SET last_pos = ?3, last_ms = ?4 WHERE app = ?1 AND conv_key = ?2",
    )?
    .execute(params![app, conv_key, pos, now_ms])?;
    Ok(pos)
}

/// Makes `user` a member of the conversation from `joined_pos` on (again, if it left
/// without anything happening since).
pub(crate) fn join_conv(
    db: &Connection,
    app: u32,
    user: &str,
    conv_key: &str,
    joined_pos: u64,
) -> rusqlite::Result<()> {
    db.prepare_cached(
        "INSERT INTO conv_members (app, user_id, conv_key, joined_pos, left_pos)
         VALUES (?1, ?2, ?3, ?4, NULL)
         ON CONFLICT (app, user_id, conv_key, joined_pos) DO UPDATE SET left_pos = NULL",
    )?
    .execute(params![app, user, conv_key, joined_pos])?;
    Ok(())
}

/// Ends the user's current membership of the conversation at `left_pos`.
pub(crate) fn leave_conv(
    db: &Connection,
    app: u32,
    user: &str,
    conv_key: &str,
    left_pos: u64,
) -> rusqlite::Result<()> {
    db.prepare_cached(
        "UPDATE conv_members SET left_pos = ?4
         WHERE app = ?1 AND user_id = ?2 AND conv_key = ?3 AND left_pos IS NULL",
    )?
    .execute(params![app, user, conv_key, left_pos])?;
    Ok(())
}

/// The user's memberships of conversations with entries after `after`.
pub(crate) fn memberships_after(
    db: &Connection,
    app: u32,
    user: &str,
    after: u64,
) -> rusqlite::Result<Vec<Membership>> {
    let mut stmt = db.prepare_cached(
        "SELECT mb.conv_key, mb.joined_pos, mb.left_pos
         FROM conv_members mb
         JOIN conversations c ON c.app = mb.app AND c.conv_key = mb.conv_key
         WHERE mb.app = ?1 AND mb.user_id = ?2 AND c.last_pos > ?3",
    )?;
    let rows = stmt.query_map(params![app, user, clamp(after)], |r| {
        Ok(Membership {
            conv_key: r.get(0)?,
            joined_pos: r.get(1)?,
            left_pos: r.get(2)?,
        })
    })?;
    rows.collect()
}

fn entry_from_row(r: &Row<'_>, conv_key: &str) -> rusqlite::Result<Entry> {
    let kind: u8 = r.get(1)?;
    Ok(Entry {
        pos: r.get(0)?,
        kind: if kind == EntryKind::Recall as u8 {
            EntryKind::Recall
        } else {
            EntryKind::Message
        },
        conv_key: conv_key.to_string(),
        conv_seq: r.get(2)?,
        msg_pos: r.get(3)?,
    })
}

/// The conversation's entries with `after < pos <= upto`, ascending, at most `limit`;
/// only recalls when `recalls_only`.
pub(crate) fn entries(
    db: &Connection,
    app: u32,
    conv_key: &str,
    after: u64,
    upto: u64,
    recalls_only: bool,
    limit: u32,
) -> rusqlite::Result<Vec<Entry>> {
    let sql = if recalls_only {
        "SELECT pos, kind, conv_seq, msg_pos FROM conv_log
         WHERE app = ?1 AND conv_key = ?2 AND kind = 2 AND pos > ?3 AND pos <= ?4
         ORDER BY pos LIMIT ?5"
    } else {
        "SELECT pos, kind, conv_seq, msg_pos FROM conv_log
         WHERE app = ?1 AND conv_key = ?2 AND pos > ?3 AND pos <= ?4
         ORDER BY pos LIMIT ?5"
    };
    let mut stmt = db.prepare_cached(sql)?;
    let rows = stmt.query_map(
        params![app, conv_key, clamp(after), clamp(upto), limit],
        |r| entry_from_row(r, conv_key),
    )?;
    rows.collect()
}

/// The app's entries with `after < pos <= upto`, ascending, at most `limit`.
pub(crate) fn log_after(
    db: &Connection,
    app: u32,
    after: u64,
    upto: u64,
    limit: u32,
) -> rusqlite::Result<Vec<Entry>> {
    let mut stmt = db.prepare_cached(
        "SELECT pos, kind, conv_seq, msg_pos, conv_key FROM conv_log
         WHERE app = ?1 AND pos > ?2 AND pos <= ?3 ORDER BY pos LIMIT ?4",
    )?;
    let rows = stmt.query_map(params![app, clamp(after), clamp(upto), limit], |r| {
        let conv_key: String = r.get(4)?;
        entry_from_row(r, &conv_key)
    })?;
    rows.collect()
}

/// Who the entry is for. Only the cluster relay (PostgreSQL) asks, so conv_members has no
/// index by conversation here: a single node pushes from the request instead.
pub(crate) fn audience(db: &Connection, app: u32, e: &Entry) -> rusqlite::Result<Vec<String>> {
    let mut stmt = db.prepare_cached(
        "SELECT DISTINCT user_id FROM conv_members
         WHERE app = ?1 AND conv_key = ?2
           AND ((joined_pos < ?3 AND (left_pos IS NULL OR left_pos >= ?3))
                OR (?4 AND left_pos IS NOT NULL AND joined_pos < ?5 AND left_pos >= ?5))",
    )?;
    let recall = e.kind == EntryKind::Recall;
    let rows = stmt.query_map(
        params![app, e.conv_key, clamp(e.pos), recall, clamp(e.msg_pos)],
        |r| r.get(0),
    )?;
    rows.collect()
}

/// Former members whose membership spanned the entry at `msg_pos`.
pub(crate) fn former_members_at(
    db: &Connection,
    app: u32,
    conv_key: &str,
    msg_pos: u64,
) -> rusqlite::Result<Vec<String>> {
    let mut stmt = db.prepare_cached(
        "SELECT user_id FROM conv_members
         WHERE app = ?1 AND conv_key = ?2 AND left_pos IS NOT NULL AND left_pos >= ?3
           AND joined_pos < ?3",
    )?;
    let rows = stmt.query_map(params![app, conv_key, clamp(msg_pos)], |r| r.get(0))?;
    rows.collect()
}

/// Next message seq of a conversation: 1, 2, 3, ... without gaps.
pub(crate) fn next_conv_seq(db: &Connection, app: u32, conv_key: &str) -> rusqlite::Result<u64> {
    db.prepare_cached(
        "INSERT INTO conversations (app, conv_key, last_seq) VALUES (?1, ?2, 1)
         ON CONFLICT (app, conv_key) DO UPDATE SET last_seq = last_seq + 1
         RETURNING last_seq",
    )?
    .query_row(params![app, conv_key], |r| r.get(0))
}

/// Stores a new message, its log entry at `pos`, sent with idempotency key `send_key`.
pub(crate) fn insert_message(
    db: &Connection,
    app: u32,
    conv_key: &str,
    m: &MessageInfo,
    pos: u64,
    send_key: Option<&str>,
    offline_push: Option<&OfflinePushInfo>,
) -> rusqlite::Result<()> {
    let encode = |e: serde_json::Error| rusqlite::Error::ToSqlConversionFailure(e.into());
    let elem = serde_json::to_string(&m.elem).map_err(encode)?;
    let push = offline_push
        .map(serde_json::to_string)
        .transpose()
        .map_err(encode)?;
    db.prepare_cached(
        "INSERT INTO messages (app, conv_key, seq, msg_id, pos, sender, receiver, group_id,
                               timestamp_ms, priority, elem_json, send_key, flags, elem_type,
                               cloud_custom_data, quoted_msg_id, offline_push)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        app,
        conv_key,
        m.seq,
        m.msg_id,
        pos,
        m.sender,
        m.receiver,
        m.group_id,
        m.timestamp_ms,
        m.priority,
        elem,
        send_key,
        message_flags(m),
        m.elem.elem_type(),
        m.cloud_custom_data,
        v2tim_proto::quote::quoted_msg_id(&m.cloud_custom_data),
        push
    ])?;
    Ok(())
}

/// Where a message is: its conversation and its entry's stream position.
pub(crate) fn message_place(
    db: &Connection,
    app: u32,
    msg_id: &str,
) -> rusqlite::Result<Option<(String, u64)>> {
    db.prepare_cached("SELECT conv_key, pos FROM messages WHERE app = ?1 AND msg_id = ?2")?
        .query_row(params![app, msg_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

const MESSAGE_COLUMNS: &str = "m.msg_id, m.seq, m.sender, m.receiver, m.group_id, m.timestamp_ms, \
     m.priority, m.elem_json, m.revoked_by, m.revoked_reason, m.revoked_ms, m.flags, \
     m.cloud_custom_data";

/// Reads a message from [`MESSAGE_COLUMNS`] starting at column `at`.
fn message_from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<MessageInfo> {
    let elem_json: String = r.get(at + 7)?;
    let elem: Elem = serde_json::from_str(&elem_json).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(at + 7, rusqlite::types::Type::Text, e.into())
    })?;
    let revoked_by: Option<String> = r.get(at + 8)?;
    let revoked = match revoked_by {
        Some(revoker) => Some(RevokeInfo {
            revoker,
            reason: r.get::<_, Option<String>>(at + 9)?.unwrap_or_default(),
            time_ms: r.get::<_, Option<i64>>(at + 10)?.unwrap_or(0),
            revoker_nick: String::new(),
            revoker_face: String::new(),
        }),
        None => None,
    };
    let mut m = MessageInfo {
        msg_id: r.get(at)?,
        seq: r.get(at + 1)?,
        sender: r.get(at + 2)?,
        receiver: r.get(at + 3)?,
        group_id: r.get(at + 4)?,
        timestamp_ms: r.get(at + 5)?,
        priority: r.get(at + 6)?,
        elem,
        revoked,
        nick_name: String::new(),
        face_url: String::new(),
        excluded_from_unread: false,
        excluded_from_last: false,
        cloud_custom_data: r.get(at + 12)?,
    };
    set_message_flags(&mut m, r.get(at + 11)?);
    Ok(m)
}

pub(crate) fn get_message(
    db: &Connection,
    app: u32,
    msg_id: &str,
) -> rusqlite::Result<Option<MessageInfo>> {
    db.prepare_cached(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.app = ?1 AND m.msg_id = ?2"
    ))?
    .query_row(params![app, msg_id], |r| message_from_row(r, 0))
    .optional()
}

pub(crate) fn message_exists(db: &Connection, app: u32, msg_id: &str) -> rusqlite::Result<bool> {
    db.prepare_cached("SELECT 1 FROM messages WHERE app = ?1 AND msg_id = ?2")?
        .exists(params![app, msg_id])
}

/// Messages of a conversation with seq < `before_seq`, newest first.
pub(crate) fn history(
    db: &Connection,
    app: u32,
    conv_key: &str,
    q: &HistoryQuery,
    mut keep: impl FnMut(&MessageInfo) -> bool,
) -> rusqlite::Result<Vec<MessageInfo>> {
    let (bound, order) = if q.newer {
        ("m.seq > ?3", "ASC")
    } else {
        ("m.seq < ?3", "DESC")
    };
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages m
         WHERE m.app = ?1 AND m.conv_key = ?2 AND {bound}
           AND m.timestamp_ms BETWEEN ?5 AND ?6
           AND (?7 = 0 OR ((?7 >> m.elem_type) & 1) = 1)
           AND (m.flags & ?8) = 0
         ORDER BY m.seq {order} LIMIT ?4"
    ))?;
    let from = if q.newer { q.after_seq } else { q.before_seq };
    let mut rows = stmt.query(params![
        app,
        conv_key,
        clamp(from),
        q.count,
        q.time_from_ms,
        q.time_to_ms,
        q.elem_type_mask,
        q.skip_flags
    ])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let m = message_from_row(r, 0)?;
        if !keep(&m) && !out.is_empty() {
            break;
        }
        out.push(m);
    }
    Ok(out)
}

/// What a request with this idempotency key produced, if it succeeded before: the op
/// and the message, from the key stored on the message row.
pub(crate) fn idem_lookup(
    db: &Connection,
    app: u32,
    user: &str,
    key: &str,
) -> rusqlite::Result<Option<(String, String)>> {
    db.prepare_cached(
        "SELECT 'send_message', msg_id FROM messages
         WHERE app = ?1 AND sender = ?2 AND send_key = ?3
         UNION ALL
         SELECT 'revoke_message', msg_id FROM messages
         WHERE app = ?1 AND revoked_by = ?2 AND revoke_key = ?3
         LIMIT 1",
    )?
    .query_row(params![app, user, key], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

/// A group not dismissed, with its profile document.
pub(crate) fn get_group(
    db: &Connection,
    app: u32,
    group_id: &str,
) -> rusqlite::Result<Option<(GroupRow, String)>> {
    db.prepare_cached(
        "SELECT group_type, name, owner, created_ms, profile FROM groups
         WHERE app = ?1 AND group_id = ?2 AND dismissed_ms IS NULL",
    )?
    .query_row(params![app, group_id], |r| {
        Ok((
            GroupRow {
                group_type: r.get(0)?,
                name: r.get(1)?,
                owner: r.get(2)?,
                created_ms: r.get(3)?,
                profile: Default::default(),
            },
            r.get(4)?,
        ))
    })
    .optional()
}

pub(crate) fn set_group_info(
    db: &Connection,
    app: u32,
    group_id: &str,
    name: &str,
    profile_json: &str,
) -> rusqlite::Result<()> {
    db.prepare_cached(
        "UPDATE groups SET name = ?3, profile = ?4 WHERE app = ?1 AND group_id = ?2",
    )?
    .execute(params![app, group_id, name, profile_json])?;
    Ok(())
}

pub(crate) fn dismiss_group(
    db: &Connection,
    app: u32,
    group_id: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    db.prepare_cached("UPDATE groups SET dismissed_ms = ?3 WHERE app = ?1 AND group_id = ?2")?
        .execute(params![app, group_id, now_ms])?;
    db.prepare_cached("DELETE FROM group_members WHERE app = ?1 AND group_id = ?2")?
        .execute(params![app, group_id])?;
    Ok(())
}

pub(crate) fn joined_groups(
    db: &Connection,
    app: u32,
    user: &str,
) -> rusqlite::Result<Vec<String>> {
    let mut stmt = db.prepare_cached(
        "SELECT group_id FROM group_members WHERE app = ?1 AND user_id = ?2 ORDER BY join_ms, group_id",
    )?;
    let rows = stmt.query_map(params![app, user], |r| r.get(0))?;
    rows.collect()
}

pub(crate) fn group_exists(db: &Connection, app: u32, group_id: &str) -> rusqlite::Result<bool> {
    db.prepare_cached("SELECT 1 FROM groups WHERE app = ?1 AND group_id = ?2")?
        .exists(params![app, group_id])
}

pub(crate) fn insert_group(
    db: &Connection,
    app: u32,
    group_id: &str,
    group_type: &str,
    name: &str,
    owner: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    db.prepare_cached(
        "INSERT INTO groups (app, group_id, group_type, name, owner, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![app, group_id, group_type, name, owner, now_ms])?;
    Ok(())
}

pub(crate) fn set_group_owner(
    db: &Connection,
    app: u32,
    group_id: &str,
    owner: &str,
) -> rusqlite::Result<()> {
    db.prepare_cached("UPDATE groups SET owner = ?3 WHERE app = ?1 AND group_id = ?2")?
        .execute(params![app, group_id, owner])?;
    Ok(())
}

pub(crate) fn member_role(
    db: &Connection,
    app: u32,
    group_id: &str,
    user: &str,
) -> rusqlite::Result<Option<u32>> {
    db.prepare_cached(
        "SELECT role FROM group_members WHERE app = ?1 AND group_id = ?2 AND user_id = ?3",
    )?
    .query_row(params![app, group_id, user], |r| r.get(0))
    .optional()
}

pub(crate) fn insert_member(
    db: &Connection,
    app: u32,
    group_id: &str,
    user: &str,
    role: u32,
    now_ms: i64,
) -> rusqlite::Result<()> {
    db.prepare_cached(
        "INSERT INTO group_members (app, group_id, user_id, role, join_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![app, group_id, user, role, now_ms])?;
    Ok(())
}

pub(crate) fn set_member_role(
    db: &Connection,
    app: u32,
    group_id: &str,
    user: &str,
    role: u32,
) -> rusqlite::Result<()> {
    db.prepare_cached(
        "UPDATE group_members SET role = ?4 WHERE app = ?1 AND group_id = ?2 AND user_id = ?3",
    )?
    .execute(params![app, group_id, user, role])?;
    Ok(())
}

pub(crate) fn delete_member(
    db: &Connection,
    app: u32,
    group_id: &str,
    user: &str,
) -> rusqlite::Result<()> {
    db.prepare_cached(
        "DELETE FROM group_members WHERE app = ?1 AND group_id = ?2 AND user_id = ?3",
    )?
    .execute(params![app, group_id, user])?;
    Ok(())
}

/// Members in join order.
pub(crate) fn members(
    db: &Connection,
    app: u32,
    group_id: &str,
) -> rusqlite::Result<Vec<MemberInfo>> {
    let mut stmt = db.prepare_cached(
        "SELECT user_id, role, join_ms FROM group_members WHERE app = ?1 AND group_id = ?2
         ORDER BY join_ms, user_id",
    )?;
    let rows = stmt.query_map(params![app, group_id], |r| {
        Ok(MemberInfo {
            user_id: r.get(0)?,
            role: r.get(1)?,
            join_time_ms: r.get(2)?,
            ..Default::default()
        })
    })?;
    rows.collect()
}

pub(crate) fn member_count(db: &Connection, app: u32, group_id: &str) -> rusqlite::Result<usize> {
    db.prepare_cached("SELECT COUNT(*) FROM group_members WHERE app = ?1 AND group_id = ?2")?
        .query_row(params![app, group_id], |r| r.get(0))
}

/// Messages of a conversation by conversation seq (the admin API's `MsgSeq`).
pub(crate) fn get_message_by_seq(
    db: &Connection,
    app: u32,
    conv_key: &str,
    seq: u64,
) -> rusqlite::Result<Option<MessageInfo>> {
    db.prepare_cached(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages m
         WHERE m.app = ?1 AND m.conv_key = ?2 AND m.seq = ?3"
    ))?
    .query_row(params![app, conv_key, clamp(seq)], |r| {
        message_from_row(r, 0)
    })
    .optional()
}

/// Marks a message recalled and erases its content in place (the element becomes
/// `Elem::None`; with `secure_delete` on, the freed bytes are zeroed).
pub(crate) fn mark_revoked(
    db: &Connection,
    app: u32,
    msg_id: &str,
    revoker: &str,
    reason: &str,
    now_ms: i64,
    revoke_key: Option<&str>,
) -> rusqlite::Result<()> {
    let none = serde_json::to_string(&Elem::None)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    db.prepare_cached(
        "UPDATE messages SET elem_json = ?3, revoked_by = ?4, revoked_reason = ?5, revoked_ms = ?6,
                             revoke_key = ?7, cloud_custom_data = '', quoted_msg_id = NULL,
                             offline_push = NULL
         WHERE app = ?1 AND msg_id = ?2",
    )?
    .execute(params![
        app, msg_id, none, revoker, reason, now_ms, revoke_key
    ])?;
    Ok(())
}

/// The messages whose cloud data quotes `msg_id`: their id and that data.
pub(crate) fn quoting(
    db: &Connection,
    app: u32,
    msg_id: &str,
) -> rusqlite::Result<Vec<(String, String)>> {
    db.prepare_cached(
        "SELECT msg_id, cloud_custom_data FROM messages WHERE app = ?1 AND quoted_msg_id = ?2",
    )?
    .query_map(params![app, msg_id], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

pub(crate) fn set_cloud_custom_data(
    db: &Connection,
    app: u32,
    msg_id: &str,
    data: &str,
) -> rusqlite::Result<()> {
    db.prepare_cached("UPDATE messages SET cloud_custom_data = ?3 WHERE app = ?1 AND msg_id = ?2")?
        .execute(params![app, msg_id, data])?;
    Ok(())
}

/// Seeds each configured app's recall limit: a new app, or an app whose configured value
/// changed since the last seeding, takes the config value; otherwise the stored value (which
/// the admin API may have changed) stays.
pub(crate) fn seed_recall_limit(
    db: &Connection,
    app: u32,
    config_secs: u32,
) -> rusqlite::Result<()> {
    db.prepare_cached(
        "INSERT INTO app_settings (app, recall_time_limit_secs, config_secs) VALUES (?1, ?2, ?2)
         ON CONFLICT (app) DO UPDATE SET recall_time_limit_secs = excluded.config_secs,
                                         config_secs = excluded.config_secs
         WHERE app_settings.config_secs != excluded.config_secs",
    )?
    .execute(params![app, config_secs])?;
    Ok(())
}

/// The app's recall time limit in seconds (the default for an app never seeded).
pub(crate) fn recall_limit(db: &Connection, app: u32) -> rusqlite::Result<u32> {
    let v: Option<u32> = db
        .prepare_cached("SELECT recall_time_limit_secs FROM app_settings WHERE app = ?1")?
        .query_row(params![app], |r| r.get(0))
        .optional()?;
    Ok(v.unwrap_or(crate::config::DEFAULT_RECALL_TIME_LIMIT_SECS))
}

pub(crate) fn set_recall_limit(db: &Connection, app: u32, secs: u32) -> rusqlite::Result<()> {
    db.prepare_cached(
        "INSERT INTO app_settings (app, recall_time_limit_secs, config_secs)
         VALUES (?1, ?2, ?3)
         ON CONFLICT (app) DO UPDATE SET recall_time_limit_secs = excluded.recall_time_limit_secs",
    )?
    .execute(params![
        app,
        secs,
        crate::config::DEFAULT_RECALL_TIME_LIMIT_SECS
    ])?;
    Ok(())
}

pub(crate) fn conversation_rows(
    db: &Connection,
    app: u32,
    user: &str,
    conv_key: Option<&str>,
) -> rusqlite::Result<Vec<ConvRow>> {
    let mut stmt = db.prepare_cached(
        "SELECT mb.conv_key, mb.joined_pos, COALESCE(c.last_pos, 0), COALESCE(rp.read_seq, 0)
         FROM conv_members mb
         LEFT JOIN conversations c ON c.app = mb.app AND c.conv_key = mb.conv_key
         LEFT JOIN read_positions rp
                ON rp.app = mb.app AND rp.user_id = mb.user_id AND rp.conv_key = mb.conv_key
         WHERE mb.app = ?1 AND mb.user_id = ?2 AND mb.left_pos IS NULL
           AND (?3 IS NULL OR mb.conv_key = ?3)",
    )?;
    let rows = stmt.query_map(params![app, user, conv_key], |r| {
        Ok(ConvRow {
            conv_key: r.get(0)?,
            joined_pos: r.get(1)?,
            last_pos: r.get(2)?,
            read_seq: r.get(3)?,
        })
    })?;
    rows.collect()
}

pub(crate) fn count_unread(
    db: &Connection,
    app: u32,
    conv_key: &str,
    user: &str,
    after_seq: u64,
    after_pos: u64,
) -> rusqlite::Result<u64> {
    db.prepare_cached(
        "SELECT COUNT(*) FROM messages
         WHERE app = ?1 AND conv_key = ?2 AND seq > ?3 AND pos > ?4 AND sender != ?5
           AND revoked_by IS NULL AND flags & 1 = 0",
    )?
    .query_row(
        params![app, conv_key, clamp(after_seq), clamp(after_pos), user],
        |r| r.get(0),
    )
}

pub(crate) fn seq_at_time(
    db: &Connection,
    app: u32,
    conv_key: &str,
    time_ms: i64,
) -> rusqlite::Result<u64> {
    db.prepare_cached(
        "SELECT COALESCE(MAX(seq), 0) FROM messages
         WHERE app = ?1 AND conv_key = ?2 AND timestamp_ms <= ?3",
    )?
    .query_row(params![app, conv_key, time_ms], |r| r.get(0))
}

pub(crate) fn set_read_seq(
    db: &Connection,
    app: u32,
    user: &str,
    conv_key: &str,
    read_seq: u64,
) -> rusqlite::Result<()> {
    db.prepare_cached(
        "INSERT INTO read_positions (app, user_id, conv_key, read_seq) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (app, user_id, conv_key)
         DO UPDATE SET read_seq = MAX(read_seq, excluded.read_seq)",
    )?
    .execute(params![app, user, conv_key, clamp(read_seq)])?;
    Ok(())
}

/// The stored profile document of an account.
pub(crate) fn profile_json(
    db: &Connection,
    app: u32,
    user: &str,
) -> rusqlite::Result<Option<String>> {
    db.prepare_cached("SELECT profile FROM accounts WHERE app = ?1 AND user_id = ?2")?
        .query_row(params![app, user], |r| r.get(0))
        .optional()
}

pub(crate) fn set_profile_json(
    db: &Connection,
    app: u32,
    user: &str,
    json: &str,
) -> rusqlite::Result<()> {
    db.prepare_cached("UPDATE accounts SET profile = ?3 WHERE app = ?1 AND user_id = ?2")?
        .execute(params![app, user, json])?;
    Ok(())
}
