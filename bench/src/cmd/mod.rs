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
}

impl Ctx {
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
