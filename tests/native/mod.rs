//! What the tests in C, C++, Java and Swift share: where the freshly built library is, where
//! their compiled programs go, and running a tool with its output in the failure message.
//!
//! The programs link `libv2tim.so` from the directory of the test binary
//! (`target/<profile>/deps`): cargo builds the package's library with all its crate types,
//! cdylib included, before it builds an integration test, so the library there is always the
//! one the test was built against (with the same features).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory holding the freshly built `libv2tim.so`.
pub fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let deps = exe
        .parent()
        .expect("test binary has a directory")
        .to_path_buf();
    for dir in [deps.clone(), deps.parent().unwrap_or(&deps).to_path_buf()] {
        if dir.join("libv2tim.so").exists() {
            return dir;
        }
    }
    panic!(
        "libv2tim.so not found next to {} (run `cargo build --lib`)",
        exe.display()
    );
}

/// Where a test's compiled programs go: `target/<profile>/<name>`, created.
pub fn out_dir(name: &str) -> PathBuf {
    let dir = lib_dir().parent().expect("deps has a parent").join(name);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

pub fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{text}",
        out.status
    );
    text
}

/// valgrind's memcheck as the C and C++ tests run it: any error, or a block definitely or
/// indirectly lost, fails the program (`tests/valgrind.supp` says what it forgives, and why).
pub fn valgrind() -> Command {
    let mut cmd = Command::new("valgrind");
    cmd.args([
        "-q",
        "--error-exitcode=1",
        "--leak-check=full",
        "--errors-for-leak-kinds=definite,indirect",
        "--show-leak-kinds=definite,indirect",
    ])
    .arg(format!(
        "--suppressions={}",
        root().join("tests/valgrind.supp").display()
    ))
    // Everything is ~20x slower under valgrind.
    .env("V2TIM_TEST_TIMEOUT_S", "120");
    cmd
}

/// The listening side of a two-process test: a program that prints "ready" once it waits
/// for the other side, then what it heard.
pub struct Peer {
    name: String,
    child: Child,
    out: BufReader<ChildStdout>,
}

impl Peer {
    /// Starts `cmd` and waits for its "ready" line (panics with its stderr otherwise).
    pub fn start(name: &str, cmd: &mut Command) -> Peer {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        out.read_line(&mut line).expect("peer stdout");
        let mut peer = Peer {
            name: name.to_owned(),
            child,
            out,
        };
        if line.trim() != "ready" {
            let err = peer.stderr();
            panic!("{name} did not get ready: {line:?} {err}");
        }
        peer
    }

    fn stderr(&mut self) -> String {
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        err
    }

    /// Its output after "ready", once it ended successfully (panics otherwise).
    pub fn finish(mut self) -> String {
        let mut rest = String::new();
        self.out.read_to_string(&mut rest).expect("peer stdout");
        let err = self.stderr();
        let status = self.child.wait().expect("peer exit");
        assert!(
            status.success(),
            "{} failed ({status}): {rest}{err}",
            self.name
        );
        rest
    }
}

pub fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether the whole suite must run here: CI (`CI` set, and not "false" or "0") or
/// `V2TIM_REQUIRE_ALL=1`. Then a missing tool fails the test that needs it.
pub fn require_all() -> bool {
    std::env::var("V2TIM_REQUIRE_ALL").is_ok_and(|v| v == "1")
        || std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether `tool` (found on PATH) can run. When it cannot, see [`missing`].
pub fn require(tool: &str, package: &str) -> bool {
    have(tool) || missing(&format!("`{tool}` is not installed"), package)
}

/// Whether the file `path` (installed by `package`) exists. When not, see [`missing`].
pub fn require_file(path: &str, package: &str) -> bool {
    std::path::Path::new(path).exists() || missing(&format!("{path} is missing"), package)
}

/// A check cannot run for want of `package`: under [`require_all`] the test fails, naming
/// the package; elsewhere the check is skipped (returns false), and the skip is printed and
/// appended to `$V2TIM_SKIP_LOG`, which scripts/test.sh lists in its summary (cargo shows
/// a passing test's output only under --nocapture).
pub fn missing(what: &str, package: &str) -> bool {
    let test = std::thread::current()
        .name()
        .unwrap_or("unnamed test")
        .to_owned();
    let why = format!("{what}: apt-get install {package} (scripts/setup.sh installs it)");
    assert!(
        !require_all(),
        "{why}. This test needs it, and under CI or V2TIM_REQUIRE_ALL=1 no test may be skipped"
    );
    eprintln!("skipped: {test}: {why}");
    if let Some(log) = std::env::var_os("V2TIM_SKIP_LOG") {
        use std::io::Write;
        let line = format!("{test}: {why}\n");
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .and_then(|mut f| f.write_all(line.as_bytes()));
        if let Err(e) = appended {
            panic!("cannot record the skip in {}: {e}", log.to_string_lossy());
        }
    }
    false
}
