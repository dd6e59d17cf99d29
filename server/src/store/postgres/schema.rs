//! The PostgreSQL layout and its migrations: the same tables as SQLite's schema 3
//! (`sqlite/schema.rs`, docs/SCALING.md §1), in PostgreSQL's terms. `v2tim_schema.version`
//! holds how many migrations have been applied; each runs in its own transaction (DDL is
//! transactional here), under an advisory lock so nodes starting together migrate once.
//!
//! Ids and keys are `COLLATE "C"`: compared and ordered byte by byte, as SQLite does, and
//! whatever the database's default collation.

use deadpool_postgres::Object;

use crate::store::StoreResult;

/// Migration `i` brings the schema from version `i` to `i + 1`. Append only.
const MIGRATIONS: &[&str] = &[
    // 1: everything, as SQLite's schema 3 (fan-out on read).
    r#"
    CREATE TABLE accounts (
        app         BIGINT NOT NULL,
        user_id     TEXT COLLATE "C" NOT NULL,
        created_ms  BIGINT NOT NULL,
        PRIMARY KEY (app, user_id)
    );

    CREATE TABLE groups (
        app         BIGINT NOT NULL,
        group_id    TEXT COLLATE "C" NOT NULL,
        group_type  TEXT NOT NULL,
        name        TEXT NOT NULL,
        owner       TEXT COLLATE "C" NOT NULL,
        created_ms  BIGINT NOT NULL,
        PRIMARY KEY (app, group_id)
    );

    CREATE TABLE group_members (
        app         BIGINT NOT NULL,
        group_id    TEXT COLLATE "C" NOT NULL,
        user_id     TEXT COLLATE "C" NOT NULL,
        role        BIGINT NOT NULL,
        join_ms     BIGINT NOT NULL,
        PRIMARY KEY (app, group_id, user_id)
    );
    CREATE INDEX group_members_by_user ON group_members (app, user_id);

    -- last_seq: the conversation's newest message seq; last_pos, last_ms: its last activity.
    CREATE TABLE conversations (
        app         BIGINT NOT NULL,
        conv_key    TEXT COLLATE "C" NOT NULL,
        last_seq    BIGINT NOT NULL,
        last_pos    BIGINT NOT NULL DEFAULT 0,
        last_ms     BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (app, conv_key)
    );

    -- The only copy of a message's content; a recall erases elem_json in place.
    CREATE TABLE messages (
        app             BIGINT NOT NULL,
        conv_key        TEXT COLLATE "C" NOT NULL,
        seq             BIGINT NOT NULL,
        msg_id          TEXT COLLATE "C" NOT NULL,
        pos             BIGINT NOT NULL,
        sender          TEXT COLLATE "C" NOT NULL,
        receiver        TEXT COLLATE "C" NOT NULL,
        group_id        TEXT COLLATE "C" NOT NULL,
        timestamp_ms    BIGINT NOT NULL,
        priority        BIGINT NOT NULL,
        elem_json       TEXT NOT NULL,
        send_key        TEXT COLLATE "C",
        revoked_by      TEXT COLLATE "C",
        revoked_reason  TEXT,
        revoked_ms      BIGINT,
        revoke_key      TEXT COLLATE "C",
        PRIMARY KEY (app, conv_key, seq)
    );
    CREATE UNIQUE INDEX messages_by_id ON messages (app, msg_id);
    CREATE UNIQUE INDEX messages_by_send_key ON messages (app, sender, send_key)
        WHERE send_key IS NOT NULL;
    CREATE UNIQUE INDEX messages_by_revoke_key ON messages (app, revoked_by, revoke_key)
        WHERE revoke_key IS NOT NULL;

    CREATE TABLE app_settings (
        app                     BIGINT PRIMARY KEY,
        recall_time_limit_secs  BIGINT NOT NULL,
        config_secs             BIGINT NOT NULL
    );

    CREATE TABLE streams (
        app     BIGINT PRIMARY KEY,
        head    BIGINT NOT NULL
    );

    CREATE TABLE conv_log (
        app         BIGINT NOT NULL,
        conv_key    TEXT COLLATE "C" NOT NULL,
        pos         BIGINT NOT NULL,
        kind        BIGINT NOT NULL,
        conv_seq    BIGINT NOT NULL,
        msg_pos     BIGINT NOT NULL,
        PRIMARY KEY (app, conv_key, pos)
    );
    CREATE UNIQUE INDEX conv_log_by_pos ON conv_log (app, pos);
    CREATE INDEX conv_log_recalls ON conv_log (app, conv_key, pos) WHERE kind = 2;

    CREATE TABLE conv_members (
        app         BIGINT NOT NULL,
        user_id     TEXT COLLATE "C" NOT NULL,
        conv_key    TEXT COLLATE "C" NOT NULL,
        joined_pos  BIGINT NOT NULL,
        left_pos    BIGINT,
        PRIMARY KEY (app, user_id, conv_key, joined_pos)
    );
    CREATE INDEX conv_members_left ON conv_members (app, conv_key, left_pos)
        WHERE left_pos IS NOT NULL;
    -- Who an entry is for, when a node relays what another node committed.
    CREATE INDEX conv_members_by_conv ON conv_members (app, conv_key, joined_pos);

    CREATE TABLE read_positions (
        app         BIGINT NOT NULL,
        user_id     TEXT COLLATE "C" NOT NULL,
        conv_key    TEXT COLLATE "C" NOT NULL,
        read_seq    BIGINT NOT NULL,
        PRIMARY KEY (app, user_id, conv_key)
    );
    "#,
    // 2: the idempotency-key indexes lead with the key. Keys are time-ordered (UUIDv7,
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
    // 3: profiles (V2TIMUserFullInfo: nick name, face URL, ...), one JSON document per
    //    account (`v2tim_proto::UserProfile` without the user id).
    r#"
    ALTER TABLE accounts ADD COLUMN profile TEXT NOT NULL DEFAULT '{}';
    "#,
    // 4: as SQLite's schema 6: group profiles, dismissed groups, message flags.
    r#"
    ALTER TABLE groups ADD COLUMN profile TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE groups ADD COLUMN dismissed_ms BIGINT;
    ALTER TABLE messages ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;
    "#,
    // 5: as SQLite's schema 7: each message's element type as sent.
    r#"
    ALTER TABLE messages ADD COLUMN elem_type INTEGER NOT NULL DEFAULT 0;
    UPDATE messages SET elem_type = CASE elem_json::jsonb ->> 'type'
        WHEN 'text' THEN 1 WHEN 'custom' THEN 2 WHEN 'group_tips' THEN 9 ELSE 0 END;
    "#,
    // 6: as SQLite's schema 8: cloudCustomData and the message a reply quotes.
    r#"
    ALTER TABLE messages ADD COLUMN cloud_custom_data TEXT NOT NULL DEFAULT '';
    ALTER TABLE messages ADD COLUMN quoted_msg_id TEXT;
    CREATE INDEX messages_by_quote ON messages (app, quoted_msg_id)
        WHERE quoted_msg_id IS NOT NULL;
    ALTER TABLE messages ADD COLUMN offline_push TEXT;
    "#,
];

/// The schema version this build writes.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The session-scoped advisory lock held while migrating ("v2tim-m").
const MIGRATE_LOCK: i64 = 0x0076_3274_696d_2d6d;

/// Brings the schema to [`SCHEMA_VERSION`], or refuses a newer one.
pub(super) async fn migrate(client: &mut Object) -> StoreResult<()> {
    client
        .batch_execute(&format!(
            "SELECT pg_advisory_lock({MIGRATE_LOCK});
             CREATE TABLE IF NOT EXISTS v2tim_schema (version BIGINT NOT NULL);
             INSERT INTO v2tim_schema (version)
                 SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM v2tim_schema);"
        ))
        .await?;
    let result = apply_pending(client).await;
    client
        .batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATE_LOCK})"))
        .await?;
    result
}

async fn apply_pending(client: &mut Object) -> StoreResult<()> {
    let current: i64 = client
        .query_one("SELECT version FROM v2tim_schema", &[])
        .await?
        .get(0);
    if current > SCHEMA_VERSION {
        return Err(crate::store::StoreError(format!(
            "database schema version {current} is newer than this server's \
             ({SCHEMA_VERSION}); run a newer v2tim-server"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = client.transaction().await?;
        tx.batch_execute(sql).await?;
        tx.execute("UPDATE v2tim_schema SET version = $1", &[&(i as i64 + 1)])
            .await?;
        tx.commit().await?;
        tracing::info!(
            "storage: migrated the PostgreSQL schema to version {}",
            i + 1
        );
    }
    Ok(())
}

/// Seeds each configured app's recall limit, as SQLite's `seed_recall_limit` does.
pub(super) async fn seed_recall_limits(client: &Object, apps: &[(u32, u32)]) -> StoreResult<()> {
    let stmt = client
        .prepare(
            "INSERT INTO app_settings (app, recall_time_limit_secs, config_secs)
             VALUES ($1, $2, $2)
             ON CONFLICT (app) DO UPDATE SET recall_time_limit_secs = excluded.config_secs,
                                             config_secs = excluded.config_secs
             WHERE app_settings.config_secs != excluded.config_secs",
        )
        .await?;
    for &(app, secs) in apps {
        client
            .execute(&stmt, &[&i64::from(app), &i64::from(secs)])
            .await?;
    }
    Ok(())
}
