//! The Swift package (bindings/swift) without a Swift compiler (this machine and CI have none):
//!
//! - its C module `CV2TIM` is imported by clang (`@import CV2TIM;`, Objective-C mode, the way
//!   Swift's clang importer reads the same module map), autolinks `v2tim`, and a program
//!   using it logs in two users on the embedded server, sends, recalls, and sees the recall
//!   arrive; the same for the module map that goes into v2tim.xcframework;
//! - the module map reaches the one generated header (include/v2tim.h), not a copy;
//! - every C function the Swift sources call is declared in the header, with the number of
//!   arguments the Swift call passes; every C callback struct the Swift sources build names
//!   exactly the header's fields, in order (Swift's memberwise initializer of an imported C
//!   struct takes all of them); every V2TIM_* constant they use exists with the same value.
//!
//! So renaming a C function, adding a callback field or renumbering an enum breaks this test
//! even though the Swift code itself is not compiled here.

mod native;

use native::{lib_dir, out_dir, require, root, run};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn swift_dir() -> PathBuf {
    root().join("bindings/swift")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn header() -> String {
    read(&root().join("include/v2tim.h"))
}

/// The Swift sources of the V2TIM module, by file name, comments removed.
fn swift_sources() -> BTreeMap<String, String> {
    let dir = swift_dir().join("Sources/V2TIM");
    let mut sources = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "swift") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            sources.insert(name, strip_line_comments(&read(&path)));
        }
    }
    assert!(!sources.is_empty(), "no Swift sources in {}", dir.display());
    sources
}

/// The Objective-C checks compile `@import CV2TIM;` with clang.
fn clang_present() -> bool {
    require("clang", "clang")
}

/// Removes `// ...` comments (outside string literals) from Swift source.
fn strip_line_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let bytes = line.as_bytes();
        let mut in_string = false;
        let mut end = bytes.len();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if in_string => i += 1,
                b'"' => in_string = !in_string,
                b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                    end = i;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        out.push_str(&line[..end]);
        out.push('\n');
    }
    out
}

/// Removes `/* ... */` and `// ...` comments from C source.
fn strip_c_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let block = rest.find("/*");
        let line = rest.find("//");
        match (block, line) {
            (Some(b), l) if l.is_none_or(|l| b < l) => {
                out.push_str(&rest[..b]);
                let end = rest[b..].find("*/").expect("unterminated comment") + b + 2;
                rest = &rest[end..];
            }
            (_, Some(l)) => {
                out.push_str(&rest[..l]);
                rest = &rest[l..];
                rest = rest.find('\n').map_or("", |n| &rest[n..]);
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Every `prefix...(` identifier in `text` (starting with `prefix`), with the byte offset just
/// past its opening parenthesis.
fn calls<'a>(text: &'a str, prefix: &str) -> Vec<(&'a str, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find(prefix) {
        let start = from + pos;
        from = start + prefix.len();
        if start > 0 && (is_ident(bytes[start - 1]) || bytes[start - 1] == b'.') {
            continue;
        }
        let mut end = start + prefix.len();
        while end < bytes.len() && is_ident(bytes[end]) {
            end += 1;
        }
        if bytes.get(end) == Some(&b'(') {
            found.push((&text[start..end], end + 1));
        }
    }
    found
}

/// The text between the parenthesis opened just before `open` and its match.
fn parenthesized(text: &str, open: usize) -> &str {
    let bytes = text.as_bytes();
    let mut depth = 1;
    let mut in_string = false;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'(' | b'[' | b'{' if !in_string => depth += 1,
            b')' | b']' | b'}' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return &text[open..i];
                }
            }
            _ => {}
        }
        i += 1;
    }
    panic!("unbalanced parentheses after: {}", &text[open..]);
}

/// The top-level pieces of an argument list (split at commas outside nested brackets and
/// string literals).
fn top_level_split(args: &str) -> Vec<&str> {
    let bytes = args.as_bytes();
    let (mut depth, mut in_string, mut start) = (0, false, 0);
    let mut parts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'(' | b'[' | b'{' if !in_string => depth += 1,
            b')' | b']' | b'}' if !in_string => depth -= 1,
            b',' if !in_string && depth == 0 => {
                parts.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let last = args[start..].trim();
    if !last.is_empty() || !parts.is_empty() {
        parts.push(last);
    }
    parts
}

/// The functions the header declares, with their parameter counts.
fn declared_functions(header: &str) -> BTreeMap<String, usize> {
    let code = strip_c_comments(header);
    let mut functions = BTreeMap::new();
    for (name, open) in calls(&code, "v2tim_") {
        let params = parenthesized(&code, open).trim();
        let count = if params == "void" {
            0
        } else {
            top_level_split(params).len()
        };
        functions.insert(name.to_string(), count);
    }
    functions
}

/// The fields of every `typedef struct Name { ... } Name;` in the header, in order.
fn declared_structs(header: &str) -> BTreeMap<String, Vec<String>> {
    let code = strip_c_comments(header);
    let mut structs = BTreeMap::new();
    let mut from = 0;
    while let Some(pos) = code[from..].find("typedef struct ") {
        let start = from + pos + "typedef struct ".len();
        from = start;
        let name_end = start + code[start..].find(|c: char| !is_ident(c as u8)).unwrap();
        let name = &code[start..name_end];
        let after = code[name_end..].trim_start();
        if !after.starts_with('{') {
            continue; // an opaque handle
        }
        let open = code.len() - after.len() + 1;
        let body = parenthesized(&code, open);
        let mut fields = Vec::new();
        for decl in body.split(';').map(str::trim).filter(|d| !d.is_empty()) {
            let field = match decl.find("(*") {
                Some(p) => decl[p + 2..].split(')').next().unwrap().trim(),
                None => decl.rsplit(|c: char| !is_ident(c as u8)).next().unwrap(),
            };
            fields.push(field.to_string());
        }
        structs.insert(name.to_string(), fields);
    }
    structs
}

/// `NAME = value` of every enumerator and `#define NAME value` of the header.
fn declared_constants(header: &str) -> BTreeMap<String, i64> {
    let code = strip_c_comments(header);
    let mut constants = BTreeMap::new();
    for line in code.lines().map(str::trim) {
        let (name, value) = if let Some(define) = line.strip_prefix("#define ") {
            let mut parts = define.split_whitespace();
            match (parts.next(), parts.next()) {
                (Some(n), Some(v)) => (n, v),
                _ => continue,
            }
        } else if let Some((n, v)) = line.split_once(" = ") {
            (n.trim(), v.trim_end_matches(',').trim())
        } else {
            continue;
        };
        if let Ok(value) = value.parse::<i64>() {
            if name.starts_with("V2TIM_") {
                constants.insert(name.to_string(), value);
            }
        }
    }
    constants
}

#[test]
fn module_map_links_v2tim_and_includes_the_generated_header() {
    let module_dir = swift_dir().join("Sources/CV2TIM");
    let map = strip_c_comments(&read(&module_dir.join("module.modulemap")));
    for line in [
        "module CV2TIM",
        "header \"shim.h\"",
        "link \"v2tim\"",
        "export *",
    ] {
        assert!(
            map.contains(line),
            "Sources/CV2TIM/module.modulemap lacks `{line}`:\n{map}"
        );
    }

    // The shim reaches include/v2tim.h of this checkout by a relative path: no copy.
    let shim = strip_c_comments(&read(&module_dir.join("shim.h")));
    let included: Vec<&str> = shim
        .lines()
        .filter_map(|l| l.trim().strip_prefix("#include \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert_eq!(
        included.len(),
        1,
        "shim.h should include one header: {included:?}"
    );
    let target = module_dir
        .join(included[0])
        .canonicalize()
        .unwrap_or_else(|e| {
            panic!(
                "shim.h includes {}, which does not resolve: {e}",
                included[0]
            )
        });
    assert_eq!(
        target,
        root().join("include/v2tim.h").canonicalize().unwrap(),
        "shim.h must include the generated include/v2tim.h"
    );

    // The xcframework's module map: same module, header copied next to it, no link line
    // (the static library of the slice is linked by Xcode / SwiftPM).
    let xcf = strip_c_comments(&read(&swift_dir().join("xcframework/module.modulemap")));
    assert!(xcf.contains("module CV2TIM") && xcf.contains("header \"v2tim.h\""));
    assert!(
        !xcf.contains("link "),
        "xcframework module map must not autolink:\n{xcf}"
    );

    // The package declares the module under that name, and the script that builds the
    // xcframework is valid bash using the files it copies.
    let package = read(&swift_dir().join("Package.swift"));
    assert!(package.starts_with("// swift-tools-version:5."));
    for needle in [
        "name: \"CV2TIM\"",
        "path: \"Sources/CV2TIM\"",
        "name: \"V2TIM\"",
        "v2tim.xcframework",
    ] {
        assert!(package.contains(needle), "Package.swift lacks {needle}");
    }
    let script = swift_dir().join("build-xcframework.sh");
    let text = read(&script);
    for needle in [
        "include/v2tim.h",
        "bindings/swift/xcframework/module.modulemap",
        "xcodebuild -create-xcframework",
        "aarch64-apple-ios",
        "aarch64-apple-ios-sim",
        "x86_64-apple-ios",
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
    ] {
        assert!(text.contains(needle), "build-xcframework.sh lacks {needle}");
    }
    run(Command::new("bash").arg("-n").arg(&script));
}

#[test]
fn swift_sources_call_only_declared_functions_with_their_arity() {
    let declared = declared_functions(&header());
    assert!(
        declared.len() > 40,
        "parsed too few declarations: {declared:?}"
    );
    let mut called = 0;
    for (file, text) in swift_sources() {
        for (name, open) in calls(&text, "v2tim_") {
            let Some(&params) = declared.get(name) else {
                panic!("{file} calls {name}, which include/v2tim.h does not declare");
            };
            let args = top_level_split(parenthesized(&text, open)).len();
            assert_eq!(
                args, params,
                "{file} calls {name} with {args} arguments; the header declares {params}"
            );
            called += 1;
        }
    }
    // The wrapper really goes through the C ABI (and the scan found the calls).
    assert!(
        called >= 40,
        "only {called} C calls found in the Swift sources"
    );
}

#[test]
fn swift_sources_build_callback_structs_with_the_header_fields() {
    let structs = declared_structs(&header());
    for name in [
        "V2TIMCallback",
        "V2TIMSendCallback",
        "V2TIMStringCallback",
        "V2TIMMessageListCallback",
        "V2TIMAdvancedMsgListener",
        "V2TIMSDKConfig",
    ] {
        assert!(structs.contains_key(name), "header has no struct {name}");
    }
    let mut built = BTreeMap::new();
    for (file, text) in swift_sources() {
        for (name, open) in calls(&text, "CV2TIM.") {
            let name = name.trim_start_matches("CV2TIM.");
            let Some(fields) = structs.get(name) else {
                panic!("{file} builds CV2TIM.{name}, which the header does not define");
            };
            let labels: Vec<&str> = top_level_split(parenthesized(&text, open))
                .iter()
                .filter_map(|arg| arg.split_once(':').map(|(label, _)| label.trim()))
                .collect();
            if labels.is_empty() {
                continue; // the zero initializer `CV2TIM.Name()`
            }
            assert_eq!(
                labels, *fields,
                "{file}: CV2TIM.{name}(...) must name the header's fields in order"
            );
            *built.entry(name.to_string()).or_insert(0) += 1;
        }
    }
    for name in [
        "V2TIMCallback",
        "V2TIMSendCallback",
        "V2TIMStringCallback",
        "V2TIMMessageListCallback",
        "V2TIMAdvancedMsgListener",
        "V2TIMSDKListener",
        "V2TIMSDKConfig",
        "V2TIMConversationListener",
        "V2TIMConversationResultCallback",
        "V2TIMConversationCallback",
        "V2TIMUint64Callback",
        "V2TIMUserFullInfoListCallback",
        "V2TIMSelfInfo",
        "V2TIMLogListener",
    ] {
        assert!(
            built.contains_key(name),
            "the Swift sources never build {name}"
        );
    }
}

#[test]
fn swift_constants_and_enums_match_the_header() {
    let constants = declared_constants(&header());
    assert_eq!(constants.get("V2TIM_MSG_STATUS_LOCAL_REVOKED"), Some(&6));
    let mut checked = 0;
    for (file, text) in swift_sources() {
        for line in text.lines().map(str::trim) {
            // `case V2TIM_X = n` in a Swift enum: same number as the header, where it has one.
            if let Some(case) = line.strip_prefix("case V2TIM_") {
                let (name, value) = case.split_once('=').expect("enum case with a raw value");
                let name = format!("V2TIM_{}", name.trim());
                let value: i64 = value.trim().parse().unwrap();
                if let Some(&declared) = constants.get(&name) {
                    assert_eq!(
                        value, declared,
                        "{file}: {name} is {declared} in the header"
                    );
                    checked += 1;
                }
                continue;
            }
            // Any other V2TIM_* identifier is a C constant: it must exist.
            let mut rest = line;
            while let Some(pos) = rest.find("V2TIM_") {
                let tail = &rest[pos..];
                let end = tail
                    .find(|c: char| !is_ident(c as u8))
                    .unwrap_or(tail.len());
                let ident = &tail[..end];
                let before = rest[..pos].chars().last();
                if before != Some('.') && !before.is_some_and(|c| is_ident(c as u8)) {
                    assert!(
                        constants.contains_key(ident),
                        "{file} uses {ident}, which include/v2tim.h does not define"
                    );
                }
                rest = &tail[end..];
            }
        }
    }
    assert!(
        checked >= 10,
        "only {checked} enum cases checked against the header"
    );
}

#[test]
fn swift_api_keeps_v2tims_swift_names() {
    let all: String = swift_sources().into_values().collect();
    for signature in [
        "public static func sharedInstance() -> V2TIMManager",
        "public func initSDK(_ sdkAppID: Int32, config: V2TIMSDKConfig) -> Bool",
        "public func login(userID: String, userSig: String, succ: V2TIMSucc?, fail: V2TIMFail?)",
        "public func logout(succ: V2TIMSucc?, fail: V2TIMFail?)",
        "public func addAdvancedMsgListener(listener: V2TIMAdvancedMsgListener)",
        "public func removeAdvancedMsgListener(listener: V2TIMAdvancedMsgListener)",
        "public func createTextMessage(text: String) -> V2TIMMessage!",
        "message: V2TIMMessage, receiver: String?, groupID: String?,",
        "priority: V2TIMMessagePriority, onlineUserOnly: Bool,",
        "offlinePushInfo: V2TIMOfflinePushInfo?, progress: V2TIMProgress?,",
        "public func revokeMessage(msg: V2TIMMessage, succ: V2TIMSucc?, fail: V2TIMFail?)",
        "userID: String, count: Int32, lastMsg: V2TIMMessage?,",
        "groupID: String, count: Int32, lastMsg: V2TIMMessage?,",
        "groupType: String, groupID: String?, groupName: String,",
        "public func joinGroup(groupID: String, msg: String?, succ: V2TIMSucc?, fail: V2TIMFail?)",
        "groupID: String, memberUserID: String, newRole: UInt32,",
        "func onRecvNewMessage(msg: V2TIMMessage)",
        "func onRecvMessageRevoked(msgID: String, operateUser: V2TIMUserFullInfo, reason: String?)",
        "func onRecvMessageRevoked(_ msgID: String)",
        "public protocol V2TIMAdvancedMsgListener: AnyObject",
        "public protocol V2TIMSDKListener: AnyObject",
        "public func addIMSDKListener(listener: V2TIMSDKListener)",
        "public func removeIMSDKListener(listener: V2TIMSDKListener)",
        "func onConnectFailed(_ code: Int32, err: String?)",
        "func onKickedOffline()",
        "func onUserSigExpired()",
        "public var revokerInfo: V2TIMUserFullInfo?",
        "public var revokeReason: String?",
        "public var callbackQueue: DispatchQueue?",
        "public func addConversationListener(listener: V2TIMConversationListener)",
        "public func removeConversationListener(listener: V2TIMConversationListener)",
        "nextSeq: UInt64, count: Int32, succ: V2TIMConversationResultSucc?, fail: V2TIMFail?",
        "conversationID: String, succ: V2TIMConversationSucc?, fail: V2TIMFail?",
        "succ: V2TIMTotalUnreadMessageCountSucc?, fail: V2TIMFail?",
        "conversationID: String, cleanTimestamp: UInt64, cleanSequence: UInt64,",
        "func onNewConversation(conversationList: [V2TIMConversation])",
        "func onConversationChanged(conversationList: [V2TIMConversation])",
        "func onTotalUnreadMessageCountChanged(totalUnreadCount: UInt64)",
        "public let lastMessage: V2TIMMessage?",
        "public let unreadCount: Int32",
        "public func setSelfInfo(info: V2TIMUserFullInfo, succ: V2TIMSucc?, fail: V2TIMFail?)",
        "_ userIDList: [String], succ: V2TIMUserFullInfoListSucc?, fail: V2TIMFail?",
        "func onSelfInfoUpdated(info: V2TIMUserFullInfo)",
        "public func addSimpleMsgListener(listener: V2TIMSimpleMsgListener)",
        "public var logListener: V2TIMLogListener?",
        "_ text: String, to userID: String, succ: V2TIMSucc?, fail: V2TIMFail?",
        "func onRecvC2CTextMessage(_ msgID: String, sender info: V2TIMUserInfo, text: String)",
        "public var nickName: String? { optionalString(v2tim_message_get_nick_name(handle)) }",
        "public protocol V2TIMGroupListener: AnyObject",
        "public func addGroupListener(listener: V2TIMGroupListener)",
        "public func removeGroupListener(listener: V2TIMGroupListener)",
        "func onMemberEnter(_ groupID: String?, memberList: [V2TIMGroupMemberInfo]?)",
        "func onQuitFromGroup(_ groupID: String?)",
        "_ info: V2TIMGroupInfo, memberList: [V2TIMCreateGroupMemberInfo]?,",
        "public func getJoinedGroupList(_ succ: V2TIMGroupInfoListSucc?, fail: V2TIMFail?)",
        "_ groupIDList: [String], succ: V2TIMGroupInfoResultListSucc?, fail: V2TIMFail?",
        "_ groupID: String, filter: UInt32, nextSeq: UInt64,",
        "public func dismissGroup(_ groupID: String, succ: V2TIMSucc?, fail: V2TIMFail?)",
        "public var groupTipsElem: V2TIMGroupTipsElem?",
    ] {
        assert!(all.contains(signature), "Swift sources lack `{signature}`");
    }
}

/// A program that uses the C ABI through `@import CV2TIM;` only: two users on the embedded
/// server, a message sent, recalled with a reason, the recall heard by the receiver.
const RECALL_PROGRAM: &str = r#"
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
@import CV2TIM;

#define APP 1400000501u
#define CHECK(c) do { if (!(c)) { \
  fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); exit(1); } } while (0)

typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done;
  int code;
  char text[512];
} Slot;

static void slot_init(Slot *s) {
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->cv, NULL);
  s->done = 0;
  s->code = 0;
  s->text[0] = 0;
}

static void slot_set(Slot *s, int code, const char *text) {
  pthread_mutex_lock(&s->mu);
  s->done = 1;
  s->code = code;
  snprintf(s->text, sizeof s->text, "%s", text ? text : "(null)");
  pthread_cond_broadcast(&s->cv);
  pthread_mutex_unlock(&s->mu);
}

static int slot_wait(Slot *s, const char *what) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 15;
  pthread_mutex_lock(&s->mu);
  while (!s->done) {
    if (pthread_cond_timedwait(&s->cv, &s->mu, &until) != 0 && !s->done) {
      fprintf(stderr, "timed out waiting for %s\n", what);
      exit(1);
    }
  }
  s->done = 0;
  int code = s->code;
  pthread_mutex_unlock(&s->mu);
  return code;
}

static void succeeded(void *ud) { slot_set(ud, 0, ""); }
static void failed(void *ud, int32_t code, const char *desc) { slot_set(ud, code ? code : -1, desc); }
static void sent(void *ud, const V2TIMMessage *m) { (void)m; slot_set(ud, 0, ""); }
static V2TIMCallback callback(Slot *s) {
  V2TIMCallback c = {.user_data = s, .on_success = succeeded, .on_error = failed};
  return c;
}

static Slot received, revoked;
static void on_new(void *ud, const V2TIMMessage *m) {
  (void)ud;
  slot_set(&received, 0, v2tim_message_get_text(m));
}
static void on_revoked(void *ud, const char *id, const V2TIMUserFullInfo *who, const char *reason) {
  (void)ud;
  char text[512];
  snprintf(text, sizeof text, "%s|%s|%s", id, v2tim_user_full_info_get_user_id(who), reason);
  slot_set(&revoked, 0, text);
}

static V2TIMManager *login_as(const char *user) {
  V2TIMManager *m = v2tim_manager_create();
  V2TIMSDKConfig config = {.server_url = NULL, .data_dir = NULL, .log_level = 0, .secret_key = NULL};
  CHECK(v2tim_init_sdk(m, APP, &config) == V2TIM_SUCC);
  Slot s;
  slot_init(&s);
  v2tim_login(m, user, "unchecked", callback(&s));
  CHECK(slot_wait(&s, "login") == 0);
  return m;
}

int main(void) {
  char *sig = v2tim_gen_user_sig(APP, "secret", "alice", 60);
  CHECK(sig != NULL && strlen(sig) > 20);
  v2tim_string_free(sig);
  CHECK(strcmp(v2tim_error_desc(V2TIM_ERR_SVR_MSG_ALREADY_REVOKED), "unknown error") != 0);

  slot_init(&received);
  slot_init(&revoked);
  V2TIMManager *alice = login_as("alice");
  V2TIMManager *bob = login_as("bob");
  V2TIMAdvancedMsgListener listener = {
      .user_data = NULL, .on_recv_new_message = on_new, .on_recv_message_revoked = on_revoked};
  v2tim_add_advanced_msg_listener(bob, &listener);

  V2TIMMessage *msg = v2tim_create_text_message(alice, "hello through CV2TIM");
  CHECK(msg != NULL);
  Slot s;
  slot_init(&s);
  V2TIMSendCallback send_cb = {.user_data = &s, .on_success = sent, .on_error = failed, .on_progress = NULL};
  const char *id = v2tim_send_message(alice, msg, "bob", NULL, V2TIM_PRIORITY_DEFAULT, send_cb);
  CHECK(id != NULL);
  char msg_id[128];
  snprintf(msg_id, sizeof msg_id, "%s", id);
  CHECK(slot_wait(&s, "send") == 0);
  CHECK(slot_wait(&received, "bob receives") == 0);
  CHECK(strcmp(received.text, "hello through CV2TIM") == 0);

  v2tim_revoke_message_with_reason(alice, msg, "wrong chat", callback(&s));
  CHECK(slot_wait(&s, "recall") == 0);
  CHECK(v2tim_message_get_status(msg) == V2TIM_MSG_STATUS_LOCAL_REVOKED);
  CHECK(v2tim_message_is_revoked(msg));
  CHECK(strcmp(v2tim_message_get_text(msg), "") == 0);
  CHECK(strcmp(v2tim_message_get_revoker(msg), "alice") == 0);
  CHECK(slot_wait(&revoked, "bob hears the recall") == 0);
  char expected[512];
  snprintf(expected, sizeof expected, "%s|alice|wrong chat", msg_id);
  if (strcmp(revoked.text, expected) != 0) {
    fprintf(stderr, "recall event %s, expected %s\n", revoked.text, expected);
    return 1;
  }
  v2tim_revoke_message(alice, msg, callback(&s));
  CHECK(slot_wait(&s, "second recall") == V2TIM_ERR_SVR_MSG_ALREADY_REVOKED);

  v2tim_remove_advanced_msg_listener(bob, &listener);
  v2tim_message_release(msg);
  v2tim_manager_destroy(alice);
  v2tim_manager_destroy(bob);
  printf("recalled %s through CV2TIM\n", msg_id);
  return 0;
}
"#;

/// Compiles RECALL_PROGRAM against the module map `module_map`, checks the object asks the
/// linker for v2tim when `autolinks`, links it with libv2tim.so and runs it.
fn import_and_run(module_map: &Path, name: &str, autolinks: bool) {
    if !clang_present() {
        return;
    }
    let dir = out_dir("swift-module").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("recall.m");
    std::fs::write(&source, RECALL_PROGRAM).unwrap();
    let object = dir.join("recall.o");
    // Objective-C mode for `@import` (what an Objective-C app writes; Swift's importer
    // reads the same module map). No Objective-C runtime is used.
    run(Command::new("clang")
        .args([
            "-x",
            "objective-c",
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-fmodules",
        ])
        .arg(format!("-fmodule-map-file={}", module_map.display()))
        .arg(format!(
            "-fmodules-cache-path={}",
            dir.join("module-cache").display()
        ))
        .arg("-c")
        .arg(&source)
        .arg("-o")
        .arg(&object));

    // `link "v2tim"` becomes an ELF .linker-options entry ("lib", "v2tim"): the module map's
    // link line is spelled right (lld and Apple's ld honour it; GNU ld ignores it, hence -l).
    let options = Command::new("readelf")
        .args(["-p", ".linker-options"])
        .arg(&object)
        .output();
    match options {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout);
            // Lines like `  [     4]  v2tim`: the option strings, in key, value pairs.
            let entries: Vec<&str> = text
                .lines()
                .filter_map(|l| l.split_once(']').map(|(_, v)| v.trim()))
                .collect();
            let asks = entries.windows(2).any(|w| w == ["lib", "v2tim"]);
            assert_eq!(
                asks,
                autolinks,
                "{name}: .linker-options of the object:\n{text}{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Err(e) => eprintln!("readelf not available ({e}); autolink entry not checked"),
    }

    let lib = lib_dir();
    let exe = dir.join("recall");
    run(Command::new("clang")
        .arg(&object)
        .arg("-L")
        .arg(&lib)
        .arg("-lv2tim")
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-lpthread")
        .arg("-o")
        .arg(&exe));
    let out = run(&mut Command::new(&exe));
    assert!(out.contains("through CV2TIM"), "{name}: {out}");
}

#[test]
fn clang_imports_cv2tim_and_a_recall_runs_through_it() {
    import_and_run(
        &swift_dir().join("Sources/CV2TIM/module.modulemap"),
        "package",
        true,
    );
}

#[test]
fn xcframework_headers_import_as_cv2tim() {
    // The Headers directory as build-xcframework.sh lays it out.
    let headers = out_dir("swift-module").join("xcframework-headers");
    std::fs::create_dir_all(&headers).unwrap();
    std::fs::copy(root().join("include/v2tim.h"), headers.join("v2tim.h")).unwrap();
    std::fs::copy(
        swift_dir().join("xcframework/module.modulemap"),
        headers.join("module.modulemap"),
    )
    .unwrap();
    import_and_run(&headers.join("module.modulemap"), "xcframework", false);
}
