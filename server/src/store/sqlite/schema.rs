//! The database layout and its migrations. `PRAGMA user_version` holds how many migrations
//! have been applied; each runs in its own transaction, so a crash mid-upgrade leaves the
//! previous version intact.

use rusqlite::Connection;

use crate::error::ServerError;

/// Migration `i` brings the schema from version `i` to `i + 1`. Append only: never edit a
/// migration that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: accounts, groups, messages, per-user sync events, idempotency records.
    r#"
    -- One row per user of an app. head_seq is the newest entry of the user's sync sequence.
    CREATE TABLE accounts (
        app         INTEGER NOT NULL,
        user_id     TEXT    NOT NULL,
        created_ms  INTEGER NOT NULL,
        head_seq    INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (app, user_id)
    ) WITHOUT ROWID;

    CREATE TABLE groups (
        app         INTEGER NOT NULL,
        group_id    TEXT    NOT NULL,
        group_type  TEXT    NOT NULL,
        name        TEXT    NOT NULL,
        owner       TEXT    NOT NULL,
        created_ms  INTEGER NOT NULL,
        PRIMARY KEY (app, group_id)
    ) WITHOUT ROWID;

    CREATE TABLE group_members (
        app         INTEGER NOT NULL,
        group_id    TEXT    NOT NULL,
        user_id     TEXT    NOT NULL,
        role        INTEGER NOT NULL,
        join_ms     INTEGER NOT NULL,
        PRIMARY KEY (app, group_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX group_members_by_user ON group_members (app, user_id);

    -- Per-conversation message counter. conv_key: 'c2c:<lesser id> <greater id>' or
    -- 'grp:<group id>' (ids never contain spaces, so the key is unambiguous).
    CREATE TABLE conversations (
        app         INTEGER NOT NULL,
        conv_key    TEXT    NOT NULL,
        last_seq    INTEGER NOT NULL,
        PRIMARY KEY (app, conv_key)
    ) WITHOUT ROWID;

    -- The only copy of a message's content. Recall (next migration's business logic) erases
    -- elem_json in place and fills the revoked_* columns; events only reference msg_id.
    CREATE TABLE messages (
        app             INTEGER NOT NULL,
        msg_id          TEXT    NOT NULL,
        conv_key        TEXT    NOT NULL,
        seq             INTEGER NOT NULL,
        sender          TEXT    NOT NULL,
        receiver        TEXT    NOT NULL,
        group_id        TEXT    NOT NULL,
        timestamp_ms    INTEGER NOT NULL,
        priority        INTEGER NOT NULL,
        elem_json       TEXT    NOT NULL,
        revoked_by      TEXT,
        revoked_reason  TEXT,
        revoked_ms      INTEGER,
        PRIMARY KEY (app, msg_id)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX messages_by_conv ON messages (app, conv_key, seq);

    -- Each user's sync sequence: references, never copies, so a recall is reflected in
    -- every later sync answer.
    CREATE TABLE events (
        app         INTEGER NOT NULL,
        user_id     TEXT    NOT NULL,
        seq         INTEGER NOT NULL,
        kind        TEXT    NOT NULL,
        msg_id      TEXT    NOT NULL,
        PRIMARY KEY (app, user_id, seq)
    ) WITHOUT ROWID;

    -- First successful answer of each mutating request, by (app, user, idem_key).
    CREATE TABLE idempotency (
        app         INTEGER NOT NULL,
        user_id     TEXT    NOT NULL,
        idem_key    TEXT    NOT NULL,
        op          TEXT    NOT NULL,
        msg_id      TEXT    NOT NULL,
        created_ms  INTEGER NOT NULL,
        PRIMARY KEY (app, user_id, idem_key)
    ) WITHOUT ROWID;
    "#,
    // 2: per-app settings (the recall time limit), kept here so the admin API can change it;
    //    events by message, for recall.
    r#"
    -- recall_time_limit_secs is the value in force. config_secs is the config file's value
    -- it was last seeded from: when the file's value changes, the new file value wins at the
    -- next start; otherwise the stored value (possibly set through the admin API) stays.
    CREATE TABLE app_settings (
        app                     INTEGER PRIMARY KEY,
        recall_time_limit_secs  INTEGER NOT NULL,
        config_secs             INTEGER NOT NULL
    );
    -- A recall finds everyone whose sequence holds the message (members who left included).
    CREATE INDEX events_by_msg ON events (app, msg_id, kind);
    "#,
    // 3: fan-out on read. One log per app (`conv_log`) of every conversation's entries,
    //    each at a stream position; memberships with the positions they span replace the
    //    per-user event rows, so a group message or recall is a constant number of writes.
    //    Messages are clustered by (app, conversation, seq) and carry the idempotency keys
    //    of the send and recall that produced them. Conversations gain their last activity;
    //    read positions are kept per user and conversation.
    r#"
    -- The app's stream: the position of its newest entry.
    CREATE TABLE streams (
        app     INTEGER PRIMARY KEY,
        head    INTEGER NOT NULL
    );

    -- Every entry of every conversation. kind 1: a new message; kind 2: its recall.
    -- conv_seq is the message's seq in the conversation, msg_pos the position of the
    -- message's own entry (its own pos for kind 1).
    CREATE TABLE conv_log (
        app         INTEGER NOT NULL,
        conv_key    TEXT    NOT NULL,
        pos         INTEGER NOT NULL,
        kind        INTEGER NOT NULL,
        conv_seq    INTEGER NOT NULL,
        msg_pos     INTEGER NOT NULL,
        PRIMARY KEY (app, conv_key, pos)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX conv_log_by_pos ON conv_log (app, pos);
    -- Members who left still get the recalls of what they received.
    CREATE INDEX conv_log_recalls ON conv_log (app, conv_key, pos) WHERE kind = 2;

    -- Only for this migration: entries by message.
    CREATE INDEX tmp_log_by_seq ON conv_log (app, conv_key, conv_seq, kind);
    CREATE INDEX tmp_idem_by_msg ON idempotency (app, msg_id, op);

    -- Positions for what the database holds, in the order it happened.
    INSERT INTO conv_log (app, conv_key, pos, kind, conv_seq, msg_pos)
    SELECT app, conv_key,
           ROW_NUMBER() OVER (PARTITION BY app ORDER BY t, kind, conv_key, seq),
           kind, seq, 0
    FROM (SELECT app, conv_key, seq, timestamp_ms AS t, 1 AS kind FROM messages
          UNION ALL
          SELECT app, conv_key, seq, MAX(revoked_ms, timestamp_ms), 2 FROM messages
          WHERE revoked_by IS NOT NULL);
    UPDATE conv_log SET msg_pos = pos WHERE kind = 1;
    UPDATE conv_log SET msg_pos = (
        SELECT n.pos FROM conv_log n
        WHERE n.app = conv_log.app AND n.conv_key = conv_log.conv_key
          AND n.conv_seq = conv_log.conv_seq AND n.kind = 1)
    WHERE kind = 2;
    INSERT INTO streams (app, head) SELECT app, MAX(pos) FROM conv_log GROUP BY app;

    -- Who sees a conversation's entries: those after joined_pos, and, once left_pos is
    -- set (the member left), only up to it, plus the recalls of those.
    CREATE TABLE conv_members (
        app         INTEGER NOT NULL,
        user_id     TEXT    NOT NULL,
        conv_key    TEXT    NOT NULL,
        joined_pos  INTEGER NOT NULL,
        left_pos    INTEGER,
        PRIMARY KEY (app, user_id, conv_key, joined_pos)
    ) WITHOUT ROWID;
    CREATE INDEX conv_members_left ON conv_members (app, conv_key, left_pos)
        WHERE left_pos IS NOT NULL;

    -- C2C: both ends, from the start.
    INSERT OR IGNORE INTO conv_members (app, user_id, conv_key, joined_pos, left_pos)
    SELECT app, sender, conv_key, 0, NULL FROM messages WHERE group_id = ''
    UNION SELECT app, receiver, conv_key, 0, NULL FROM messages WHERE group_id = '';
    -- Groups: what each user's sequence held, from just before its first entry; up to its
    -- last message for those no longer members.
    INSERT OR IGNORE INTO conv_members (app, user_id, conv_key, joined_pos, left_pos)
    SELECT e.app, e.user_id, m.conv_key, MIN(l.pos) - 1,
           CASE WHEN NOT EXISTS (
                    SELECT 1 FROM group_members gm
                    WHERE gm.app = e.app AND gm.group_id = m.group_id
                      AND gm.user_id = e.user_id)
                THEN COALESCE(MAX(CASE WHEN l.kind = 1 THEN l.pos END), MIN(l.pos) - 1)
           END
    FROM events e
    JOIN messages m ON m.app = e.app AND m.msg_id = e.msg_id
    JOIN conv_log l ON l.app = m.app AND l.conv_key = m.conv_key AND l.conv_seq = m.seq
                   AND l.kind = CASE e.kind WHEN 'new_message' THEN 1 ELSE 2 END
    WHERE m.group_id != ''
    GROUP BY e.app, e.user_id, m.conv_key;
    -- Members whose sequence held nothing of their group: from now on.
    INSERT OR IGNORE INTO conv_members (app, user_id, conv_key, joined_pos, left_pos)
    SELECT gm.app, gm.user_id, 'grp:' || gm.group_id,
           COALESCE((SELECT head FROM streams s WHERE s.app = gm.app), 0), NULL
    FROM group_members gm
    WHERE NOT EXISTS (SELECT 1 FROM conv_members c
                      WHERE c.app = gm.app AND c.user_id = gm.user_id
                        AND c.conv_key = 'grp:' || gm.group_id);

    CREATE TABLE messages_v3 (
        app             INTEGER NOT NULL,
        conv_key        TEXT    NOT NULL,
        seq             INTEGER NOT NULL,
        msg_id          TEXT    NOT NULL,
        pos             INTEGER NOT NULL,
        sender          TEXT    NOT NULL,
        receiver        TEXT    NOT NULL,
        group_id        TEXT    NOT NULL,
        timestamp_ms    INTEGER NOT NULL,
        priority        INTEGER NOT NULL,
        elem_json       TEXT    NOT NULL,
        send_key        TEXT,
        revoked_by      TEXT,
        revoked_reason  TEXT,
        revoked_ms      INTEGER,
        revoke_key      TEXT,
        PRIMARY KEY (app, conv_key, seq)
    ) WITHOUT ROWID;
    INSERT INTO messages_v3
    SELECT m.app, m.conv_key, m.seq, m.msg_id, l.pos, m.sender, m.receiver, m.group_id,
           m.timestamp_ms, m.priority, m.elem_json,
           (SELECT i.idem_key FROM idempotency i
            WHERE i.app = m.app AND i.msg_id = m.msg_id AND i.op = 'send_message'
              AND i.user_id = m.sender),
           m.revoked_by, m.revoked_reason, m.revoked_ms,
           (SELECT i.idem_key FROM idempotency i
            WHERE i.app = m.app AND i.msg_id = m.msg_id AND i.op = 'revoke_message'
              AND i.user_id = m.revoked_by)
    FROM messages m
    JOIN conv_log l ON l.app = m.app AND l.conv_key = m.conv_key AND l.conv_seq = m.seq
                   AND l.kind = 1;

    DROP INDEX tmp_log_by_seq;
    DROP TABLE events;
    DROP TABLE idempotency;
    DROP TABLE messages;
    ALTER TABLE messages_v3 RENAME TO messages;
    CREATE UNIQUE INDEX messages_by_id ON messages (app, msg_id);
    -- A retried request finds the row it produced.
    CREATE UNIQUE INDEX messages_by_send_key ON messages (app, sender, send_key)
        WHERE send_key IS NOT NULL;
    CREATE UNIQUE INDEX messages_by_revoke_key ON messages (app, revoked_by, revoke_key)
        WHERE revoke_key IS NOT NULL;

    ALTER TABLE accounts DROP COLUMN head_seq;

    ALTER TABLE conversations ADD COLUMN last_pos INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE conversations ADD COLUMN last_ms INTEGER NOT NULL DEFAULT 0;
    UPDATE conversations SET
        last_pos = COALESCE((SELECT MAX(l.pos) FROM conv_log l
                             WHERE l.app = conversations.app
                               AND l.conv_key = conversations.conv_key), 0),
        last_ms = COALESCE((SELECT MAX(MAX(m.timestamp_ms, COALESCE(m.revoked_ms, 0)))
                            FROM messages m
                            WHERE m.app = conversations.app
                              AND m.conv_key = conversations.conv_key), 0);

    -- How far each user has read each conversation (its conversation seq): unread counts
    -- are conversations.last_seq minus this.
    CREATE TABLE read_positions (
        app         INTEGER NOT NULL,
        user_id     TEXT    NOT NULL,
        conv_key    TEXT    NOT NULL,
        read_seq    INTEGER NOT NULL,
        PRIMARY KEY (app, user_id, conv_key)
    ) WITHOUT ROWID;
    "#,
    // 4: the idempotency-key indexes lead with the key. Keys are time-ordered (UUIDv7,
    //    from SDKs since this version), so new entries land at the index's right edge: one
    //    page per commit instead of one per sender (or revoker) in it. Lookups are equality
    //    on all three columns, unchanged.
    r#"
    DROP INDEX messages_by_send_key;
    CREATE UNIQUE INDEX messages_by_send_key ON messages (app, send_key, sender)
        WHERE send_key IS NOT NULL;
    DROP INDEX messages_by_revoke_key;
    CREATE UNIQUE INDEX messages_by_revoke_key ON messages (app, revoke_key, revoked_by)
        WHERE revoke_key IS NOT NULL;
    "#,
    // 5: profiles (V2TIMUserFullInfo: nick name, face URL, ...), one JSON document per
    //    account (`v2tim_proto::UserProfile` without the user id).
    r#"
    ALTER TABLE accounts ADD COLUMN profile TEXT NOT NULL DEFAULT '{}';
    "#,
    // 6: group profiles (notification, introduction, face URL: `v2tim_proto::GroupProfile`
    //    as one JSON document); a dismissed group keeps its row, so its id is never reused
    //    while its log lives; message flags (1: not counted as unread, 2: never a
    //    conversation's last message).
    r#"
    ALTER TABLE groups ADD COLUMN profile TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE groups ADD COLUMN dismissed_ms INTEGER;
    ALTER TABLE messages ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;
    "#,
    // 7: each message's element type as sent (V2TIMElemType), for history's type filters;
    //    kept when a recall erases the element. Messages recalled before this version
    //    have lost theirs (0, V2TIM_ELEM_TYPE_NONE).
    r#"
    ALTER TABLE messages ADD COLUMN elem_type INTEGER NOT NULL DEFAULT 0;
    UPDATE messages SET elem_type = CASE json_extract(elem_json, '$.type')
        WHEN 'text' THEN 1 WHEN 'custom' THEN 2 WHEN 'group_tips' THEN 9 ELSE 0 END;
    "#,
    // 8: V2TIM's cloudCustomData, and the message a reply quotes in it (TUIKit's
    //    messageReply), so a recall can blank its abstract in every reply; offline push
    //    info.
    r#"
    ALTER TABLE messages ADD COLUMN cloud_custom_data TEXT NOT NULL DEFAULT '';
    ALTER TABLE messages ADD COLUMN quoted_msg_id TEXT;
    CREATE INDEX messages_by_quote ON messages (app, quoted_msg_id)
        WHERE quoted_msg_id IS NOT NULL;
    -- V2TIM's offlinePushInfo as sent (JSON), kept for a push service.
    ALTER TABLE messages ADD COLUMN offline_push TEXT;
    "#,
];

/// The schema version this build writes.
pub(crate) const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Sets the connection up for durability and brings the schema to [`SCHEMA_VERSION`].
pub(crate) fn prepare(conn: &mut Connection, on_disk: bool) -> Result<(), ServerError> {
    if on_disk {
        // WAL: readers never block the writer; FULL: a commit is on disk before it returns,
        // so nothing acknowledged is lost on a kill or power cut.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(ServerError::new(format!(
                "storage: cannot switch to WAL (got {mode})"
            )));
        }
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Recalled content is overwritten with zeros in the pages it leaves, not just unlinked.
    conn.pragma_update(None, "secure_delete", "ON")?;
    // Sorts and temporary indexes stay in memory: storage never needs a descriptor beyond
    // its database, WAL and shared-memory files (see limits.fd_reserve).
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    migrate(conn)
}

/// Prepared statements kept per connection: all of `queries.rs` and the savepoints (the
/// default, 16, made a recall after sends prepare its statements again).
pub(crate) const STATEMENT_CACHE: usize = 64;

fn migrate(conn: &mut Connection) -> Result<(), ServerError> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(ServerError::new(format!(
            "storage: database schema version {current} is newer than this server's \
             ({SCHEMA_VERSION}); run a newer v2tim-server"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as u32 + 1)?;
        tx.commit()?;
        tracing::info!("storage: migrated schema to version {}", i + 1);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_refuses_newer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut c = Connection::open(&path).unwrap();
        prepare(&mut c, true).unwrap();
        prepare(&mut c, true).unwrap();
        let v: u32 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        assert!(prepare(&mut c, true).is_err());
    }

    #[test]
    fn sync_reads_a_conversation_through_its_key() {
        let mut c = Connection::open_in_memory().unwrap();
        prepare(&mut c, false).unwrap();
        let plan: Vec<String> = c
            .prepare(
                "EXPLAIN QUERY PLAN SELECT pos FROM conv_log
                 WHERE app = ?1 AND conv_key = ?2 AND kind = 2 AND pos > ?3 ORDER BY pos",
            )
            .unwrap()
            .query_map(rusqlite::params![1, "grp:g", 0], |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter().any(|p| p.contains("conv_log_recalls")),
            "{plan:?}"
        );
    }
}
