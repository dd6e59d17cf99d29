//! SQL primitives of the SQLite backend. Every function runs on the storage thread inside
//! the current work's savepoint; none commits.

use rusqlite::{params, Connection, OptionalExtension, Row};
use v2tim_proto::frames::MemberInfo;
use v2tim_proto::model::{Elem, Event, EventBody, MessageInfo, RevokeInfo};

use crate::store::GroupRow;

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
        "INSERT INTO accounts (app, user_id, created_ms, head_seq) VALUES (?1, ?2, ?3, 0)
         ON CONFLICT (app, user_id) DO NOTHING",
    )?
    .execute(params![app, user, now_ms])?;
    Ok(())
}

pub(crate) fn head_seq(db: &Connection, app: u32, user: &str) -> rusqlite::Result<u64> {
    let v: Option<u64> = db
        .prepare_cached("SELECT head_seq FROM accounts WHERE app = ?1 AND user_id = ?2")?
        .query_row(params![app, user], |r| r.get(0))
        .optional()?;
    Ok(v.unwrap_or(0))
}

/// Appends an event to the user's sync sequence and answers its seq.
pub(crate) fn append_event(
    db: &Connection,
    app: u32,
    user: &str,
    kind: &str,
    msg_id: &str,
    now_ms: i64,
) -> rusqlite::Result<u64> {
    let seq: u64 = db
        .prepare_cached(
            "INSERT INTO accounts (app, user_id, created_ms, head_seq) VALUES (?1, ?2, ?3, 1)
             ON CONFLICT (app, user_id) DO UPDATE SET head_seq = head_seq + 1
             RETURNING head_seq",
        )?
        .query_row(params![app, user, now_ms], |r| r.get(0))?;
    db.prepare_cached(
        "INSERT INTO events (app, user_id, seq, kind, msg_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![app, user, seq, kind, msg_id])?;
    Ok(seq)
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

pub(crate) fn insert_message(
    db: &Connection,
    app: u32,
    conv_key: &str,
    m: &MessageInfo,
) -> rusqlite::Result<()> {
    let elem = serde_json::to_string(&m.elem)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    db.prepare_cached(
        "INSERT INTO messages (app, msg_id, conv_key, seq, sender, receiver, group_id,
                               timestamp_ms, priority, elem_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        app,
        m.msg_id,
        conv_key,
        m.seq,
        m.sender,
        m.receiver,
        m.group_id,
        m.timestamp_ms,
        m.priority,
        elem
    ])?;
    Ok(())
}

const MESSAGE_COLUMNS: &str = "m.msg_id, m.seq, m.sender, m.receiver, m.group_id, m.timestamp_ms, \
     m.priority, m.elem_json, m.revoked_by, m.revoked_reason, m.revoked_ms";

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
        }),
        None => None,
    };
    Ok(MessageInfo {
        msg_id: r.get(at)?,
        seq: r.get(at + 1)?,
        sender: r.get(at + 2)?,
        receiver: r.get(at + 3)?,
        group_id: r.get(at + 4)?,
        timestamp_ms: r.get(at + 5)?,
        priority: r.get(at + 6)?,
        elem,
        revoked,
    })
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

/// Events of `user` after `after_seq`, ascending, at most `limit`, each with the message's
/// current form. `keep` decides, one event at a time, whether to go on (a size budget).
pub(crate) fn events_after(
    db: &Connection,
    app: u32,
    user: &str,
    after_seq: u64,
    limit: u32,
    mut keep: impl FnMut(&Event) -> bool,
) -> rusqlite::Result<Vec<Event>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT e.seq, e.kind, {MESSAGE_COLUMNS}
         FROM events e JOIN messages m ON m.app = e.app AND m.msg_id = e.msg_id
         WHERE e.app = ?1 AND e.user_id = ?2 AND e.seq > ?3
         ORDER BY e.seq ASC LIMIT ?4"
    ))?;
    let mut rows = stmt.query(params![app, user, clamp(after_seq), limit])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let seq: u64 = r.get(0)?;
        let kind: String = r.get(1)?;
        let body = match kind.as_str() {
            "new_message" => EventBody::NewMessage {
                msg: message_from_row(r, 2)?,
            },
            "message_revoked" => EventBody::MessageRevoked {
                msg: message_from_row(r, 2)?,
            },
            other => {
                // Only a newer server writes kinds this one does not know; stop here rather
                // than hand the client a gap.
                tracing::error!("unknown event kind {other:?} at seq {seq} of {user}");
                break;
            }
        };
        let ev = Event { seq, body };
        // The first event always goes, whatever its size, so paging always advances.
        if !keep(&ev) && !out.is_empty() {
            break;
        }
        out.push(ev);
    }
    Ok(out)
}

/// Messages of a conversation with seq < `before_seq`, newest first.
pub(crate) fn history(
    db: &Connection,
    app: u32,
    conv_key: &str,
    before_seq: u64,
    count: u32,
    mut keep: impl FnMut(&MessageInfo) -> bool,
) -> rusqlite::Result<Vec<MessageInfo>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages m
         WHERE m.app = ?1 AND m.conv_key = ?2 AND m.seq < ?3
         ORDER BY m.seq DESC LIMIT ?4"
    ))?;
    let mut rows = stmt.query(params![app, conv_key, clamp(before_seq), count])?;
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

/// The msg_id a request with this idempotency key produced, if it succeeded before.
pub(crate) fn idem_lookup(
    db: &Connection,
    app: u32,
    user: &str,
    key: &str,
) -> rusqlite::Result<Option<(String, String)>> {
    db.prepare_cached(
        "SELECT op, msg_id FROM idempotency WHERE app = ?1 AND user_id = ?2 AND idem_key = ?3",
    )?
    .query_row(params![app, user, key], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

pub(crate) fn idem_record(
    db: &Connection,
    app: u32,
    user: &str,
    key: &str,
    op: &str,
    msg_id: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    db.prepare_cached(
        "INSERT INTO idempotency (app, user_id, idem_key, op, msg_id, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![app, user, key, op, msg_id, now_ms])?;
    Ok(())
}

pub(crate) fn get_group(
    db: &Connection,
    app: u32,
    group_id: &str,
) -> rusqlite::Result<Option<GroupRow>> {
    db.prepare_cached("SELECT group_type FROM groups WHERE app = ?1 AND group_id = ?2")?
        .query_row(params![app, group_id], |r| {
            Ok(GroupRow {
                group_type: r.get(0)?,
            })
        })
        .optional()
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
        })
    })?;
    rows.collect()
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
) -> rusqlite::Result<()> {
    let none = serde_json::to_string(&Elem::None)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    db.prepare_cached(
        "UPDATE messages SET elem_json = ?3, revoked_by = ?4, revoked_reason = ?5, revoked_ms = ?6
         WHERE app = ?1 AND msg_id = ?2",
    )?
    .execute(params![app, msg_id, none, revoker, reason, now_ms])?;
    Ok(())
}

/// Users whose sync sequence holds the message's `new_message` event.
pub(crate) fn message_receivers(
    db: &Connection,
    app: u32,
    msg_id: &str,
) -> rusqlite::Result<Vec<String>> {
    let mut stmt = db.prepare_cached(
        "SELECT user_id FROM events WHERE app = ?1 AND msg_id = ?2 AND kind = 'new_message'",
    )?;
    let rows = stmt.query_map(params![app, msg_id], |r| r.get(0))?;
    rows.collect()
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
