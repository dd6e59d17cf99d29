//! The Android binding on this machine's JVM: compiles `bindings/android`'s Java sources
//! (`javac --release 8`, as an Android library would be) and its JUnit tests, then runs them
//! against the freshly built `libv2tim.so` (with the `jni` feature) and a real server in this
//! process. No Android SDK/NDK is needed; see bindings/android/README.md for the cross build.
#![cfg(feature = "jni")]

mod common;
mod native;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{sig, LocalServer, APP};
use native::{lib_dir, out_dir, require, require_file, root, run};

const JUNIT: &str = "/usr/share/java/junit4.jar";
const HAMCREST: &str = "/usr/share/java/hamcrest-core.jar";

fn java_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "java") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Test classes: every `*Test.java` under src/test/java, as class names.
fn test_classes(dir: &Path) -> Vec<String> {
    java_files(dir)
        .into_iter()
        .filter(|p| {
            p.file_stem()
                .is_some_and(|s| s.to_string_lossy().ends_with("Test"))
        })
        .map(|p| {
            p.strip_prefix(dir)
                .unwrap()
                .with_extension("")
                .to_string_lossy()
                .replace(std::path::MAIN_SEPARATOR, ".")
        })
        .collect()
}

/// A JDK and Debian's JUnit 4 (scripts/setup.sh installs both).
fn tools_present() -> bool {
    require("javac", "default-jdk-headless")
        && require("java", "default-jdk-headless")
        && require_file(JUNIT, "junit4")
        && require_file(HAMCREST, "libhamcrest-java")
}

#[test]
fn android_java_api_passes_its_junit_tests_against_a_real_server() {
    if !tools_present() {
        return;
    }
    let android = root().join("bindings/android");
    let out = out_dir("java-tests");
    let (classes, test_classes_dir) = (out.join("classes"), out.join("test-classes"));
    for d in [&classes, &test_classes_dir] {
        let _ = std::fs::remove_dir_all(d);
        std::fs::create_dir_all(d).unwrap();
    }

    // The library's sources as an Android library compiles them: Java 8 language and API.
    run(Command::new("javac")
        .args(["--release", "8", "-Xlint:all,-options", "-Werror", "-d"])
        .arg(&classes)
        .args(java_files(&android.join("src/main/java"))));
    let cp_build = format!("{}:{JUNIT}:{HAMCREST}", classes.display());
    run(Command::new("javac")
        .args(["--release", "8", "-Xlint:all,-options", "-d"])
        .arg(&test_classes_dir)
        .arg("-cp")
        .arg(&cp_build)
        .args(java_files(&android.join("src/test/java"))));

    // The cdylib next to this test binary must be the `jni` build. (A build of the same
    // target dir without the feature, e.g. a concurrent `cargo test`, overwrites it.)
    let lib = std::fs::read(lib_dir().join("libv2tim.so")).expect("read libv2tim.so");
    let symbol = b"Java_io_v2tim_imsdk_v2_NativeBridge_nativeInit";
    assert!(
        lib.windows(symbol.len()).any(|w| w == symbol),
        "{} has no Java_* symbols: it was built without the `jni` feature (another build \
         in the same target dir overwrote it); rerun `cargo test --features jni --test java`",
        lib_dir().join("libv2tim.so").display()
    );
    drop(lib);

    let server = LocalServer::start(None);
    let mut java = Command::new("java");
    // The panic-boundary test panics on purpose; one line each is enough.
    java.env("RUST_BACKTRACE", "0")
        .arg("-Xcheck:jni")
        .arg(format!("-Djava.library.path={}", lib_dir().display()))
        .arg(format!("-Dv2tim.url={}", server.url))
        .arg(format!("-Dv2tim.app={APP}"));
    for user in [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "kim",
        "leo", "mike", "nina", "oscar",
    ] {
        java.arg(format!("-Dv2tim.sig.{user}={}", sig(user)));
    }
    let tests = test_classes(&android.join("src/test/java"));
    assert!(tests.len() >= 3, "test classes: {tests:?}");
    java.arg("-cp")
        .arg(format!("{}:{cp_build}", test_classes_dir.display()))
        .arg("org.junit.runner.JUnitCore")
        .args(&tests);
    let output = run(&mut java);
    eprintln!("{output}");
    assert!(
        output.contains("OK ("),
        "JUnit did not report OK:\n{output}"
    );
    for bad in ["FATAL ERROR in native method", "WARNING in native method"] {
        assert!(
            !output.contains(bad),
            "-Xcheck:jni found a JNI misuse:\n{output}"
        );
    }
}
