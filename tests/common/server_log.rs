//! Where the `v2tim-server` processes a test starts write their log: one file per test,
//! `target/<profile>/server-logs/<test binary>/<test>.log`, shared by every server of that
//! test (restarts append), and printed only when the test fails. Passing tests stay quiet.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Mutex;

/// Logs already emptied by this test process: the first server of a test starts afresh.
static STARTED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

pub struct ServerLog {
    pub path: PathBuf,
}

impl ServerLog {
    /// The log of the test running on this thread (libtest names the thread after it).
    pub fn for_this_test() -> ServerLog {
        let exe = std::env::current_exe().expect("test binary path");
        let binary = exe.file_stem().unwrap().to_string_lossy();
        // cargo names test binaries `<name>-<hash>`.
        let binary = binary.rsplit_once('-').map_or(&*binary, |(name, _)| name);
        let test = std::thread::current()
            .name()
            .unwrap_or("main")
            .replace("::", "-");
        let dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("target/<profile>/deps")
            .join("server-logs")
            .join(binary);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let path = dir.join(format!("{test}.log"));
        let mut started = STARTED.lock().unwrap_or_else(|e| e.into_inner());
        if started
            .get_or_insert_with(HashSet::new)
            .insert(path.clone())
        {
            File::create(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        ServerLog { path }
    }

    /// The server's stderr: appended to the log.
    pub fn stdio(&self) -> Stdio {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .unwrap_or_else(|e| panic!("{}: {e}", self.path.display()))
            .into()
    }

    /// Prints the log when the test is failing (from a `Drop` during the unwind), so the
    /// failure report carries what the servers said.
    pub fn show_if_failing(&self) {
        if std::thread::panicking() {
            let text = std::fs::read_to_string(&self.path).unwrap_or_default();
            eprintln!(
                "---- v2tim-server log ({}) ----\n{text}---- end of log ----",
                self.path.display()
            );
        }
    }
}
