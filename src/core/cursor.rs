//! Where a device's sync position is kept between logins: in the manager for the life of
//! the process, and in `data_dir` (when configured) across restarts.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use parking_lot::Mutex;

pub(crate) struct Cursors {
    dir: Option<PathBuf>,
    known: Mutex<HashMap<String, u64>>,
}

impl Cursors {
    pub fn new(dir: Option<&Path>, sdk_app_id: u32) -> Self {
        Cursors {
            dir: dir.map(|d| d.join(format!("sdk-{sdk_app_id}"))),
            known: Mutex::new(HashMap::new()),
        }
    }

    /// The stream position up to which this device applied `user`'s sequence, if it ever
    /// synced.
    pub fn get(&self, user: &str) -> Option<u64> {
        if let Some(v) = self.known.lock().get(user) {
            return Some(*v);
        }
        let text = std::fs::read_to_string(self.file(user)?).ok()?;
        text.trim().parse().ok()
    }

    pub fn set(&self, user: &str, seq: u64) {
        self.known.lock().insert(user.to_owned(), seq);
        if let Some(file) = self.file(user) {
            let tmp = file.with_extension("tmp");
            let written = std::fs::create_dir_all(file.parent().unwrap_or(Path::new(".")))
                .and_then(|_| std::fs::write(&tmp, seq.to_string()))
                .and_then(|_| std::fs::rename(&tmp, &file));
            if let Err(e) = written {
                tracing::warn!("could not save the sync position: {e}");
            }
        }
    }

    /// User ids may hold `/` or `..`; hex keeps each user inside its own file.
    fn file(&self, user: &str) -> Option<PathBuf> {
        let mut name = String::with_capacity(user.len() * 2 + 5);
        for b in user.bytes() {
            let _ = write!(name, "{b:02x}");
        }
        // ".pos": stream positions (protocol 2). A ".seq" file of protocol 1 counted
        // something else and is not read.
        name.push_str(".pos");
        Some(self.dir.as_ref()?.join(name))
    }
}
