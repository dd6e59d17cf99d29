//! The npm package `v2tim` (bindings/node) on this machine's Node.js: its `node --test`
//! suite (the seeds' JavaScript samples among it) against the embedded server and against a
//! separately started `v2tim-server`, a Node client and a C client in two processes, the
//! TypeScript declarations under `tsc`, and `npm pack` shipping the native library.
//!
//! The suite loads the freshly built `libv2tim.so` (built with the `node` feature, as every
//! `--all-features` build is) through `V2TIM_NODE_ADDON`.
#![cfg(feature = "node")]

mod common;
mod native;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{ServerProcess, APP, KEY};
use native::{lib_dir, out_dir, require, root, run, Peer};

fn package() -> PathBuf {
    root().join("bindings/node")
}

fn addon() -> PathBuf {
    lib_dir().join("libv2tim.so")
}

/// `node` with the package's test environment; `url` None = the embedded server.
fn node(url: Option<&str>) -> Command {
    let mut cmd = Command::new("node");
    cmd.current_dir(package())
        .env("V2TIM_NODE_ADDON", addon())
        .env("V2TIM_APP", APP.to_string())
        .env("V2TIM_KEY", KEY)
        .env_remove("V2TIM_URL");
    if let Some(url) = url {
        cmd.env("V2TIM_URL", url);
    }
    cmd
}

fn test_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(package().join("test"))
        .expect("bindings/node/test")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".test.js"))
        .map(|n| format!("test/{n}"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    files
}

fn node_test(url: Option<&str>) {
    let out = run(node(url).arg("--test").args(test_files()));
    println!("{out}");
    // A suite that ran nothing passes too: make sure every test ran and none was skipped.
    assert!(out.contains("# fail 0"), "{out}");
    assert!(
        out.contains("# skipped 0") && out.contains("# todo 0"),
        "{out}"
    );
    assert!(!out.contains("# pass 0\n"), "{out}");
}

fn server(dir: &Path) -> ServerProcess {
    ServerProcess::start(dir, "127.0.0.1:0")
}

#[test]
fn node_suite_on_the_embedded_server() {
    if !require("node", "nodejs") {
        return;
    }
    node_test(None);
}

#[test]
fn node_suite_against_a_separately_started_server() {
    if !require("node", "nodejs") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path());
    node_test(Some(&format!("ws://{}", server.addr)));
}

#[test]
fn a_c_client_recalls_and_the_node_clients_handler_gets_it() {
    if !require("node", "nodejs") || !require("gcc", "gcc") {
        return;
    }
    let exe = out_dir("node-tests").join("c_recaller");
    run(Command::new("gcc")
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-g", "-I"])
        .arg(root().join("include"))
        .arg(package().join("test/fixtures/c_recaller.c"))
        .arg("-L")
        .arg(lib_dir())
        .arg(format!("-Wl,-rpath,{}", lib_dir().display()))
        .args(["-lv2tim", "-lpthread", "-o"])
        .arg(&exe));
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path());
    let url = format!("ws://{}", server.addr);
    let suffix = std::process::id();
    let (alice, bob) = (format!("c_alice_{suffix}"), format!("node_bob_{suffix}"));

    let peer = Peer::start(
        "the node client",
        node(Some(&url)).arg("test/fixtures/node_peer.js").arg(&bob),
    );
    let c = run(Command::new(&exe)
        .args([alice.as_str(), bob.as_str(), "sent by mistake"])
        .env("V2TIM_SERVER_URL", &url)
        .env("V2TIM_APP", APP.to_string())
        .env("V2TIM_KEY", KEY));
    let id = c
        .lines()
        .find_map(|l| l.strip_prefix("sent "))
        .unwrap_or_else(|| panic!("the C client printed no msgID: {c}"))
        .trim()
        .to_owned();
    assert!(c.contains(&format!("recalled {id}")), "{c}");

    let rest = peer.finish();
    let field = |prefix: &str| -> serde_json::Value {
        let line = rest
            .lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} line: {rest}"));
        serde_json::from_str(line).unwrap()
    };
    let got = field("received ");
    assert_eq!(got["ID"], id.as_str());
    assert_eq!(got["from"], alice.as_str());
    assert_eq!(got["text"], "from C");
    let r = field("revoked ");
    assert_eq!(r["ID"], id.as_str(), "{rest}");
    assert_eq!(r["isRevoked"], true);
    assert_eq!(
        r["same"], true,
        "the received object itself turned recalled"
    );
    assert_eq!(r["revoker"], alice.as_str());
    assert_eq!(r["revokerInfo"]["userID"], alice.as_str());
    assert_eq!(r["revokeReason"], "sent by mistake");
}

#[test]
fn typescript_declarations_check_against_the_sample() {
    if !require("tsc", "node-typescript") {
        return;
    }
    let out = run(Command::new("tsc")
        .args(["-p", "tsconfig.json"])
        .current_dir(package().join("test")));
    println!("tsc: ok {out}");
}

/// Copies the package's own files (not prebuilds/ or node_modules/ of a developer's tree).
fn copy_package(to: &Path) {
    for name in ["package.json", "index.js", "index.d.ts", "README.md"] {
        std::fs::copy(package().join(name), to.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    std::fs::create_dir_all(to.join("scripts")).unwrap();
    std::fs::copy(
        package().join("scripts/prebuild.js"),
        to.join("scripts/prebuild.js"),
    )
    .unwrap();
}

#[test]
fn npm_pack_ships_the_native_library_and_an_app_uses_it() {
    if !require("node", "nodejs") || !require("npm", "npm") || !require("tar", "tar") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let pkg = work.path().join("v2tim");
    std::fs::create_dir_all(&pkg).unwrap();
    copy_package(&pkg);
    run(Command::new("node")
        .arg("scripts/prebuild.js")
        .arg(addon())
        .current_dir(&pkg));
    let packed = run(Command::new("npm")
        .args(["pack", "--silent", "--pack-destination"])
        .arg(work.path())
        .current_dir(&pkg));
    let tgz = work.path().join(packed.lines().last().unwrap().trim());
    let listing = run(Command::new("tar").arg("tzf").arg(&tgz));
    let platform = format!("package/prebuilds/linux-{}/v2tim.node", node_arch());
    for file in [
        "package/index.js",
        "package/index.d.ts",
        "package/package.json",
        platform.as_str(),
    ] {
        assert!(
            listing.lines().any(|l| l == file),
            "{file} not in {}: {listing}",
            tgz.display()
        );
    }

    // An app installs the tarball (no registry needed) and chats on the embedded server.
    let app = work.path().join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(
        app.join("package.json"),
        r#"{"name":"app","version":"1.0.0","private":true}"#,
    )
    .unwrap();
    run(Command::new("npm")
        .args([
            "install",
            "--offline",
            "--no-audit",
            "--no-fund",
            "--silent",
        ])
        .arg(&tgz)
        .current_dir(&app));
    let script = r#"
        const TencentCloudChat = require('v2tim');
        (async () => {
          const a = TencentCloudChat.create({ SDKAppID: 1400000009 });
          const b = TencentCloudChat.create({ SDKAppID: 1400000009 });
          await a.login({ userID: 'alice', userSig: 'unchecked' });
          await b.login({ userID: 'bob', userSig: 'unchecked' });
          const revoked = new Promise((r) => b.on(TencentCloudChat.EVENT.MESSAGE_REVOKED, (e) => r(e.data[0])));
          const m = a.createTextMessage({ to: 'bob', conversationType: TencentCloudChat.TYPES.CONV_C2C, payload: { text: 'hi' } });
          await a.sendMessage(m);
          await a.revokeMessage(m);
          const r = await revoked;
          console.log(`installed: ${r.ID === m.ID && r.isRevoked}`);
          await a.destroy();
          await b.destroy();
        })().catch((e) => { console.error(e); process.exit(1); });
    "#;
    let out = run(Command::new("node")
        .args(["-e", script])
        .env_remove("V2TIM_NODE_ADDON")
        .current_dir(&app));
    assert!(out.contains("installed: true"), "{out}");
}

/// Node's name for this machine's architecture (`process.arch`).
fn node_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => other,
    }
}
