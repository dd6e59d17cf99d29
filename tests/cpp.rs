//! The Windows/C++ layer (bindings/cpp) with real parts: the programs in tests/cpp and
//! bindings/cpp/examples are compiled with g++ (`-std=c++11 -Wall -Wextra -Werror
//! -pedantic`) against the freshly built libv2tim.so and run against a real server started
//! here (or the embedded one); one seed sample runs as two processes, as two apps would; two
//! programs also run under valgrind; every header compiles alone and in later standards; and
//! with mingw-w64 installed, the C header and the whole layer pass a Windows syntax check.

mod common;
mod native;

use common::{LocalServer, APP, KEY};
use native::{lib_dir, out_dir, require, root, run, valgrind, Peer};
use std::path::{Path, PathBuf};
use std::process::Command;

const STRICT: [&str; 5] = ["-std=c++11", "-Wall", "-Wextra", "-Werror", "-pedantic"];

fn includes(cmd: &mut Command) -> &mut Command {
    cmd.arg("-I")
        .arg(root().join("include"))
        .arg("-I")
        .arg(root().join("bindings/cpp/include"))
        .arg("-I")
        .arg(root().join("tests/cpp"))
}

/// Compiles `src` (relative to the repository) into `target/<profile>/cpp-tests/<name>`.
fn compile(src: &str, name: &str) -> PathBuf {
    let lib = lib_dir();
    let exe = out_dir("cpp-tests").join(name);
    let mut cmd = Command::new("g++");
    cmd.args(STRICT).arg("-g");
    includes(&mut cmd)
        .arg(root().join(src))
        .arg("-L")
        .arg(&lib)
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .args(["-lv2tim", "-pthread", "-o"])
        .arg(&exe);
    run(&mut cmd);
    exe
}

/// A command running `exe` against `server` (None = the embedded server).
fn program(exe: &Path, server: Option<&LocalServer>) -> Command {
    let mut cmd = Command::new(exe);
    cmd.env("LD_LIBRARY_PATH", lib_dir())
        .env("V2TIM_APP", APP.to_string())
        .env("V2TIM_KEY", KEY)
        .env_remove("V2TIM_URL");
    if let Some(s) = server {
        cmd.env("V2TIM_URL", &s.url);
    }
    cmd
}

fn run_against_server(src: &str, name: &str, expect: &str) {
    let exe = compile(src, name);
    let server = LocalServer::start(None);
    let out = run(&mut program(&exe, Some(&server)));
    assert!(out.contains(expect), "{name}: {out}");
}

/// Seeds 002/003 (V2TIM's Windows recall sample) nearly verbatim: bob and alice are two
/// processes, each on V2TIMManager::GetInstance(). bob's listeners (three-argument and the
/// deprecated one-argument form) hear alice's recall of the very message she sent.
#[test]
fn seed_recall_sample_between_two_processes() {
    let exe = compile("tests/cpp/test_seed_recall.cpp", "test_seed_recall");
    let server = LocalServer::start(None);
    let bob = Peer::start("bob", program(&exe, Some(&server)).arg("bob"));
    let alice = run(program(&exe, Some(&server)).arg("alice"));
    let msg_id = alice
        .lines()
        .find_map(|l| l.strip_prefix("sent "))
        .unwrap_or_else(|| panic!("alice printed no msgID: {alice}"))
        .trim()
        .to_string();
    assert!(alice.contains(&format!("recalled {msg_id}")), "{alice}");
    let rest = bob.finish();
    assert!(rest.contains(&format!("received {msg_id}\n")), "{rest}");
    assert!(
        rest.contains(&format!("revoked {msg_id} alice reason=\n")),
        "bob heard another recall: {rest}"
    );
}

/// One-to-one: received elements, copies, a recall with reason in both listener forms,
/// history (status 6, revokerInfo, revokeReason) with paging, recall from history, twice,
/// a hand-built message, recall by id.
#[test]
fn history_shows_recalled_messages() {
    run_against_server(
        "tests/cpp/test_history_recall.cpp",
        "test_history_recall",
        "history recall: ok",
    );
}

/// Conversations with the code of Tencent's "Conversation List" and "Unread Count" pages:
/// the list, the listener around a recall of the last message, the total, marking read.
#[test]
fn conversation_list_and_unread_counts() {
    run_against_server(
        "tests/cpp/test_conversations.cpp",
        "test_conversations",
        "conversations: ok",
    );
}

/// Profiles with the code of Tencent's "User Profile" page: SetSelfInfo with modifyFlag,
/// OnSelfInfoUpdated, GetUsersInfo; the sender's nick on a message and the revoker's on a
/// recall ("Alice recalled a message").
#[test]
fn profiles_and_the_revokers_nick_name() {
    run_against_server(
        "tests/cpp/test_profiles.cpp",
        "test_profiles",
        "profiles: ok",
    );
}

/// The simple message API: SendC2CText/CustomMessage, SendGroupTextMessage and a
/// V2TIMSimpleMsgListener with the sender's nick name.
#[test]
fn simple_message_api() {
    run_against_server(
        "tests/cpp/test_simple_msg.cpp",
        "test_simple_msg",
        "simple messages: ok",
    );
}

/// Groups: InviteUserToGroup, SetGroupMemberRole, admin and owner recalls, a member refused
/// (10007), everyone notified with the right operator, group history.
#[test]
fn group_recall_by_admin_and_owner() {
    run_against_server(
        "tests/cpp/test_group_recall.cpp",
        "test_group_recall",
        "group recall: ok",
    );
}

/// Groups with the code of Tencent's "Group Management", "Group Profile" and "Group Member
/// Management" pages: a V2TIMGroupListener hearing every event on every member, CreateGroup
/// with first members, GetJoinedGroupList, GetGroupsInfo, SetGroupInfo, GetGroupMemberList
/// with a filter, KickGroupMember, JoinGroup, QuitGroup (OnQuitFromGroup), DismissGroup, and
/// the tips as V2TIMGroupTipsElem in messages and history.
#[test]
fn group_management_samples() {
    run_against_server("tests/cpp/test_groups.cpp", "test_groups", "groups: ok");
}

/// Error codes through OnError (6013, 200002, 20023, 6017, 10021), NULL callbacks, throwing
/// and self-deleting callbacks, listener identity, SDK listener events.
/// Also: V2TIMSDKConfig::initPath is the SDK's data directory (bob's sync position is kept
/// there).
#[test]
fn errors_and_null_callbacks() {
    let exe = compile("tests/cpp/test_errors.cpp", "test_errors");
    let server = LocalServer::start(None);
    let data = tempfile::tempdir().unwrap();
    let out = run(program(&exe, Some(&server)).env("V2TIM_TEST_DATA_DIR", data.path()));
    assert!(out.contains("errors: ok"), "{out}");
    let state = data.path().join(format!("sdk-{APP}"));
    let files = std::fs::read_dir(&state)
        .unwrap_or_else(|e| panic!("{}: {e}", state.display()))
        .count();
    assert!(files > 0, "the SDK wrote nothing under initPath");
}

/// The same program on the embedded in-process server (no server URL).
#[test]
fn history_on_the_embedded_server() {
    let exe = compile(
        "tests/cpp/test_history_recall.cpp",
        "test_history_recall_embedded",
    );
    let out = run(&mut program(&exe, None));
    assert!(out.contains("history recall: ok"), "{out}");
}

#[test]
fn example_recall_sample_runs() {
    let exe = compile("bindings/cpp/examples/recall_sample.cpp", "recall_sample");
    let out = run(&mut program(&exe, None));
    assert!(
        out.contains("was recalled by alice, reason \"wrong time\""),
        "{out}"
    );
    assert!(out.contains("recalled by alice (wrong time)"), "{out}");
    assert!(out.contains("done"), "{out}");
}

#[test]
fn programs_pass_under_valgrind() {
    if !require("valgrind", "valgrind") {
        return;
    }
    for (src, expect) in [
        ("tests/cpp/test_history_recall.cpp", "history recall: ok"),
        ("tests/cpp/test_errors.cpp", "errors: ok"),
        ("tests/cpp/test_groups.cpp", "groups: ok"),
    ] {
        let name = format!(
            "valgrind_{}",
            Path::new(src).file_stem().unwrap().to_str().unwrap()
        );
        let exe = compile(src, &name);
        let server = LocalServer::start(None);
        let mut cmd = valgrind();
        cmd.arg(&exe)
            .env("LD_LIBRARY_PATH", lib_dir())
            .env("V2TIM_APP", APP.to_string())
            .env("V2TIM_KEY", KEY)
            .env("V2TIM_URL", &server.url);
        let out = run(&mut cmd);
        assert!(out.contains(expect), "{src} under valgrind: {out}");
    }
}

fn headers() -> Vec<PathBuf> {
    let mut headers: Vec<PathBuf> = std::fs::read_dir(root().join("bindings/cpp/include"))
        .expect("bindings/cpp/include")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "h"))
        .collect();
    headers.sort();
    assert!(headers.len() >= 10, "{headers:?}");
    headers
}

/// Every header compiles on its own (it includes what it needs), and the whole layer in
/// C++14/17/20 and with clang++ when installed.
#[test]
fn headers_compile_alone_and_in_later_standards() {
    let dir = out_dir("cpp-tests");
    for h in headers() {
        let name = h.file_name().unwrap().to_str().unwrap().to_string();
        let src = dir.join(format!("alone_{name}.cpp"));
        std::fs::write(
            &src,
            format!("#include \"{name}\"\nint main() {{ return 0; }}\n"),
        )
        .unwrap();
        let mut cmd = Command::new("g++");
        cmd.args(STRICT).arg("-fsyntax-only");
        run(includes(&mut cmd).arg(&src));
    }
    let all = root().join("tests/cpp/test_errors.cpp");
    for std in ["-std=c++14", "-std=c++17", "-std=c++20"] {
        let mut cmd = Command::new("g++");
        cmd.args([
            std,
            "-Wall",
            "-Wextra",
            "-Werror",
            "-pedantic",
            "-fsyntax-only",
        ]);
        run(includes(&mut cmd).arg(&all));
    }
    if require("clang++", "clang") {
        let mut cmd = Command::new("clang++");
        cmd.args(STRICT).arg("-fsyntax-only");
        run(includes(&mut cmd).arg(&all));
    }
}

/// Windows: the C header (as C and C++, DLL import and V2TIM_STATIC), every C++ header and
/// every C++ program pass mingw-w64's syntax check.
#[test]
fn windows_syntax_check_with_mingw() {
    let (gcc, gxx) = ("x86_64-w64-mingw32-gcc", "x86_64-w64-mingw32-g++");
    if !require(gcc, "gcc-mingw-w64-x86-64-posix") || !require(gxx, "g++-mingw-w64-x86-64-posix") {
        return;
    }
    let dir = out_dir("cpp-tests");
    let c = dir.join("mingw_header.c");
    std::fs::write(
        &c,
        "#include \"v2tim.h\"\nint main(void) { return v2tim_last_error_code(); }\n",
    )
    .unwrap();
    // Default (dllimport) and static (no decoration).
    for define in ["-DV2TIM_CHECK_DLLIMPORT=1", "-DV2TIM_STATIC"] {
        run(Command::new(gcc)
            .args([
                "-std=c99",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-pedantic",
                "-fsyntax-only",
            ])
            .arg(define)
            .arg("-I")
            .arg(root().join("include"))
            .arg(&c));
        run(Command::new(gxx)
            .args(STRICT)
            .args(["-fsyntax-only", "-x", "c++"])
            .arg(define)
            .arg("-I")
            .arg(root().join("include"))
            .arg(&c));
    }
    for h in headers() {
        let name = h.file_name().unwrap().to_str().unwrap().to_string();
        let src = dir.join(format!("mingw_{name}.cpp"));
        std::fs::write(
            &src,
            format!("#include \"{name}\"\nint main() {{ return 0; }}\n"),
        )
        .unwrap();
        let mut cmd = Command::new(gxx);
        cmd.args(STRICT).arg("-fsyntax-only");
        run(includes(&mut cmd).arg(&src));
    }
    let mut programs: Vec<PathBuf> = std::fs::read_dir(root().join("tests/cpp"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "cpp"))
        .collect();
    programs.push(root().join("bindings/cpp/examples/recall_sample.cpp"));
    programs.sort();
    for p in programs {
        let mut cmd = Command::new(gxx);
        cmd.args(STRICT).arg("-fsyntax-only");
        run(includes(&mut cmd).arg(&p));
    }
}

/// V2TIMErrorCode.h names every code of the C header (`V2TIM_ERR_X` as V2TIM's `ERR_X`).
#[test]
fn error_code_header_covers_the_c_header() {
    let c = std::fs::read_to_string(root().join("include/v2tim.h")).unwrap();
    let cpp =
        std::fs::read_to_string(root().join("bindings/cpp/include/V2TIMErrorCode.h")).unwrap();
    let mut missing = Vec::new();
    for line in c.lines() {
        let Some(rest) = line.strip_prefix("#define V2TIM_ERR_") else {
            continue;
        };
        let name = rest.split_whitespace().next().unwrap();
        let want = format!("ERR_{name} = V2TIM_ERR_{name},");
        if !cpp.contains(&want) {
            missing.push(want);
        }
    }
    assert!(
        missing.is_empty(),
        "add to bindings/cpp/include/V2TIMErrorCode.h: {missing:?}"
    );
}
