//! The C ABI from C: the committed header is current, compiles as strict C99 and C++11, and
//! matches what the library exports; the C test programs in tests/c pass, natively and under
//! valgrind.

mod native;

use native::{lib_dir, out_dir, require, root, run, valgrind};
use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn committed_header_is_what_cbindgen_generates() {
    let generated = Path::new(env!("OUT_DIR")).join("v2tim.h");
    let generated = std::fs::read_to_string(&generated).unwrap_or_else(|e| {
        panic!(
            "{} missing ({e}): cbindgen failed in build.rs, see its warning",
            generated.display()
        )
    });
    let committed = std::fs::read_to_string(root().join("include/v2tim.h")).expect("header");
    assert!(
        committed == generated,
        "include/v2tim.h differs from what cbindgen generates from src/ffi: run `cargo build` \
         outside CI to refresh it, and commit it"
    );
}

#[test]
fn header_compiles_as_strict_c99_and_cpp11() {
    let dir = out_dir("c-tests");
    let inc = root().join("include");
    let c = dir.join("header_check.c");
    std::fs::write(
        &c,
        "#include \"v2tim.h\"\nint main(void) { return V2TIM_SUCC; }\n",
    )
    .unwrap();
    run(Command::new("gcc")
        .args([
            "-std=c99",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-pedantic",
            "-c",
            "-I",
        ])
        .arg(&inc)
        .arg(&c)
        .arg("-o")
        .arg(dir.join("header_check_c.o")));

    // Plain, and the way the C++ layer includes it: inside a namespace, after the standard
    // headers, keeping C linkage.
    let plain = "#include \"v2tim.h\"\nint main() { return v2tim_last_error_code(); }\n";
    let namespaced = "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\
                      namespace v2tim { namespace c {\n#include \"v2tim.h\"\n} }\n\
                      int main() {\n\
                        v2tim::c::V2TIMCallback cb = {0, 0, 0};\n\
                        (void)cb;\n\
                        return v2tim::c::v2tim_last_error_code();\n\
                      }\n";
    for (name, text) in [("plain", plain), ("namespaced", namespaced)] {
        let cpp = dir.join(format!("header_check_{name}.cpp"));
        std::fs::write(&cpp, text).unwrap();
        run(Command::new("g++")
            .args([
                "-std=c++11",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-pedantic",
                "-c",
                "-I",
            ])
            .arg(&inc)
            .arg(&cpp)
            .arg("-o")
            .arg(dir.join(format!("header_check_{name}.o"))));
    }
}

/// Names of the functions the header declares.
fn declared_functions(header: &str) -> Vec<String> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut names = Vec::new();
    for (i, _) in header.match_indices("v2tim_") {
        if header[..i].ends_with(is_ident) {
            continue; // inside a longer identifier
        }
        let rest = &header[i..];
        let end = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        if rest[end..].starts_with('(') {
            names.push(rest[..end].to_owned());
        }
    }
    names.sort();
    names.dedup();
    names
}

#[test]
fn header_declares_exactly_what_the_library_exports() {
    let header = std::fs::read_to_string(root().join("include/v2tim.h")).expect("header");
    let declared = declared_functions(&header);
    assert!(declared.len() > 50, "found only {declared:?}");
    let nm = run(Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(lib_dir().join("libv2tim.so")));
    let mut exported: Vec<String> = nm
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .filter(|s| s.starts_with("v2tim_"))
        .map(str::to_owned)
        .collect();
    exported.sort();
    assert_eq!(declared, exported, "header and libv2tim.so disagree");
    for pinned in ["v2tim_revoke_message", "v2tim_revoke_message_with_reason"] {
        assert!(declared.iter().any(|n| n == pinned), "{pinned} missing");
    }
}

#[test]
fn c_programs_pass_natively_and_under_valgrind() {
    let lib = lib_dir();
    let dir = out_dir("c-tests");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(root().join("tests/c"))
        .expect("tests/c")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("test_") && name.ends_with(".c")
        })
        .collect();
    sources.sort();
    assert!(!sources.is_empty(), "no tests/c/test_*.c");
    let under_valgrind = require("valgrind", "valgrind");
    for src in sources {
        let exe = dir.join(src.file_stem().unwrap());
        run(Command::new("gcc")
            .args([
                "-std=c99",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-pedantic",
                "-g",
                "-I",
            ])
            .arg(root().join("include"))
            .arg(&src)
            .arg("-L")
            .arg(&lib)
            .arg(format!("-Wl,-rpath,{}", lib.display()))
            .args(["-lv2tim", "-lpthread", "-o"])
            .arg(&exe));
        let out = run(Command::new(&exe)
            .env("LD_LIBRARY_PATH", &lib)
            .env_remove("V2TIM_SERVER_URL")
            .env_remove("V2TIM_TEST_NO_EMBEDDED"));
        println!("{out}");
        if under_valgrind {
            let out = run(valgrind()
                .arg(&exe)
                .env("LD_LIBRARY_PATH", &lib)
                .env_remove("V2TIM_SERVER_URL")
                .env_remove("V2TIM_TEST_NO_EMBEDDED"));
            println!("valgrind: {out}");
        }
    }
}
