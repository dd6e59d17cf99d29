//! The backend a server runs on, chosen by its configuration: PostgreSQL when
//! `database_url` is set, otherwise SQLite (in `data_dir`, or in memory).

#[cfg(feature = "postgres")]
use super::postgres::PgStore;
use super::sqlite::SqliteStore;
use super::Work;
use crate::config::ServerConfig;
use crate::error::ServerError;

pub(crate) enum Storage<W: Work> {
    Sqlite(SqliteStore<W>),
    #[cfg(feature = "postgres")]
    Postgres(PgStore<W>),
}

impl<W: Work> Storage<W> {
    /// Opens (creates, migrates) the configured backend and starts its workers.
    pub(crate) fn open(
        config: &ServerConfig,
        node_id: &str,
        env: W::Env,
    ) -> Result<Self, ServerError> {
        match &config.database_url {
            #[cfg(feature = "postgres")]
            Some(url) => Ok(Storage::Postgres(PgStore::open(
                url,
                node_id,
                &config.apps,
                env,
            )?)),
            #[cfg(not(feature = "postgres"))]
            Some(_) => {
                let _ = node_id;
                Err(ServerError::new(
                    "database_url: this v2tim-server was built without PostgreSQL \
                     (cargo feature `postgres` of v2tim-server)",
                ))
            }
            None => Ok(Storage::Sqlite(SqliteStore::open(
                config.data_dir.as_deref(),
                &config.apps,
                env,
            )?)),
        }
    }

    /// Queues a work. Gives it back when storage has stopped.
    pub(crate) fn submit(&self, work: W) -> Result<(), Box<W>> {
        match self {
            Storage::Sqlite(s) => s.submit(work),
            #[cfg(feature = "postgres")]
            Storage::Postgres(s) => s.submit(work),
        }
    }

    /// Works run on read-only connections (beside the writes) so far.
    pub(crate) fn reads(&self) -> u64 {
        match self {
            Storage::Sqlite(s) => s.reads(),
            #[cfg(feature = "postgres")]
            Storage::Postgres(s) => s.reads(),
        }
    }

    /// Finishes (commits) what was queued and stops the workers. Idempotent.
    pub(crate) fn stop(&self) {
        match self {
            Storage::Sqlite(s) => s.stop(),
            #[cfg(feature = "postgres")]
            Storage::Postgres(s) => s.stop(),
        }
    }
}
