//! One module per subcommand.

use std::path::{Path, PathBuf};

pub mod cycle;
pub mod fanout;
pub mod footprint;
pub mod history;
pub mod latency;
pub mod pairs;
pub mod throughput;

/// What every subcommand gets from the command line.
pub struct Ctx {
    pub out: PathBuf,
    pub data: PathBuf,
    pub backend: v2tim_bench::server::Backend,
}

impl Ctx {
    /// The servers of run `name`, on the chosen backend, with a fresh database.
    pub fn servers(&self, name: &str) -> v2tim_bench::server::Servers {
        v2tim_bench::server::Servers::start(&self.fresh_data_dir(name), &self.backend)
    }

    /// The result file's name: `v2tim-<name>`, with the backend when it is not SQLite.
    pub fn result_name(&self, name: &str) -> String {
        match (&self.backend.database, &self.backend.broker) {
            (None, _) => format!("v2tim-{name}"),
            (Some(_), None) => format!("v2tim-pg{}-{name}", self.backend.nodes),
            (Some(_), Some(_)) => format!("v2tim-pg{}-nats-{name}", self.backend.nodes),
        }
    }

    /// A fresh (emptied) database directory for `name`.
    pub fn fresh_data_dir(&self, name: &str) -> PathBuf {
        let dir = self.data.join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("data dir");
        dir
    }

    pub fn out(&self) -> &Path {
        &self.out
    }
}
