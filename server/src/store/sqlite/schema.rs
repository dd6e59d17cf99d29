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
    migrate(conn)
}

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
    fn recall_finds_receivers_through_the_index() {
        let mut c = Connection::open_in_memory().unwrap();
        prepare(&mut c, false).unwrap();
        let plan: Vec<String> = c
            .prepare(
                "EXPLAIN QUERY PLAN SELECT user_id FROM events
                 WHERE app = ?1 AND msg_id = ?2 AND kind = 'new_message'",
            )
            .unwrap()
            .query_map(rusqlite::params![1, "m"], |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(plan.iter().any(|p| p.contains("events_by_msg")), "{plan:?}");
    }
}
