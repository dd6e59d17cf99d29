//! Generates include/v2tim.h from src/ffi with cbindgen.
//!
//! The header is committed. It is always written to `$OUT_DIR/v2tim.h` (which
//! `tests/c_abi.rs` compares with the committed file), and refreshed in `include/` only when
//! its content changed, so that an unchanged header keeps its mtime and does not make C
//! builds recompile. With `CI` set the committed file is left alone, so a stale header fails
//! the test instead of being silently fixed on the CI machine.

use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let ffi = root.join("src/ffi");
    let config_path = root.join("cbindgen.toml");
    println!("cargo:rerun-if-changed={}", ffi.display());
    println!("cargo:rerun-if-changed={}", config_path.display());
    println!("cargo:rerun-if-env-changed=CI");

    match generate(&ffi, &config_path) {
        Ok(header) => {
            let out = PathBuf::from(env::var("OUT_DIR").expect("set by cargo")).join("v2tim.h");
            write_if_changed(&out, &header);
            let committed = root.join("include/v2tim.h");
            let current = fs::read_to_string(&committed).ok();
            if current.as_deref() != Some(header.as_str()) {
                if env::var_os("CI").is_some() || env::var_os("DOCS_RS").is_some() {
                    println!(
                        "cargo:warning=include/v2tim.h is out of date with src/ffi; \
                         regenerate it with a local `cargo build` and commit it"
                    );
                } else {
                    write_if_changed(&committed, &header);
                }
            }
        }
        // Not fatal: the library itself does not need the header (docs.rs, a source
        // package without src/ffi). But never silent: the committed header may be stale.
        Err(e) => println!("cargo:warning=cbindgen could not generate include/v2tim.h: {e}"),
    }
}

fn generate(ffi: &Path, config_path: &Path) -> Result<String, String> {
    let config = cbindgen::Config::from_file(config_path)
        .map_err(|e| format!("reading {}: {e}", config_path.display()))?;
    let mut sources: Vec<PathBuf> = fs::read_dir(ffi)
        .map_err(|e| format!("reading {}: {e}", ffi.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        // mod.rs only declares the modules; given to cbindgen it would make it follow them
        // and declare every item a second time.
        .filter(|p| p.file_name().is_some_and(|n| n != "mod.rs"))
        .collect();
    // A fixed reading order (lifecycle first, then messages, groups, helpers) makes a stable
    // header that reads top-down; files not listed follow alphabetically. `with_src` parses
    // each file alone, so only the FFI module is seen, never the core's items.
    const ORDER: &[&str] = &[
        "codes.rs",
        "enums.rs",
        "callbacks.rs",
        "manager.rs",
        "listeners.rs",
        "message.rs",
        "revoke.rs",
        "list.rs",
        "history.rs",
        "group.rs",
        "user_info.rs",
        "strings.rs",
        "error.rs",
    ];
    sources.sort_by_key(|p| {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        (
            ORDER.iter().position(|o| *o == name).unwrap_or(ORDER.len()),
            name,
        )
    });
    let mut builder = cbindgen::Builder::new().with_config(config);
    for s in &sources {
        builder = builder.with_src(s);
    }
    let bindings = builder.generate().map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    bindings.write(&mut buf);
    let text = String::from_utf8(buf).map_err(|e| e.to_string())?;
    Ok(use_typedef_names(&text))
}

/// cbindgen's "both" style declares `typedef struct X {...} X;` (as the pinned API does) but
/// then refers to `struct X` everywhere. Refer to the typedef names instead, as the pinned
/// signatures do: it reads the same as the spec, and C++ code that includes the header inside
/// a namespace cannot use `struct X` once `X` is a typedef name there.
fn use_typedef_names(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for line in header.split_inclusive('\n') {
        if line.starts_with("typedef struct ") {
            out.push_str(line);
        } else {
            out.push_str(&line.replace("struct V2TIM", "V2TIM"));
        }
    }
    out
}

fn write_if_changed(path: &Path, content: &str) {
    if fs::read_to_string(path).ok().as_deref() == Some(content) {
        return;
    }
    if let Some(dir) = path.parent() {
        let _ = fs::create_dir_all(dir);
    }
    if let Err(e) = fs::write(path, content) {
        println!("cargo:warning=cannot write {}: {e}", path.display());
    }
}
