//! What the tests in C, C++, Java and Swift share: where the freshly built library is, where
//! their compiled programs go, and running a tool with its output in the failure message.
//!
//! The programs link `libv2tim.so` from the directory of the test binary
//! (`target/<profile>/deps`): cargo builds the package's library with all its crate types,
//! cdylib included, before it builds an integration test, so the library there is always the
//! one the test was built against (with the same features).
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

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

pub fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}
