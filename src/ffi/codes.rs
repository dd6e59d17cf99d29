//! Error codes, as `#define`s in the header: V2TIM's numbers, V2TIM's names with a `V2TIM_`
//! prefix (`ERR_SDK_NOT_INITIALIZED` is `V2TIM_ERR_SDK_NOT_INITIALIZED`), and v2tim's own
//! codes from 200000 on.
//!
//! The values are literals because cbindgen cannot evaluate paths into another crate; the
//! compile-time checks at the bottom keep them equal to `v2tim_proto::codes`, the one source
//! of truth shared with the server.

use v2tim_proto::codes;
/// Success.
pub const V2TIM_SUCC: i32 = 0;

// --- SDK-side codes, numbered and named as in V2TIM's TIMErrorCode. ---
/// The server's answer could not be parsed.
pub const V2TIM_ERR_PARSE_RESPONSE_FAILED: i32 = 6001;
/// `v2tim_init_sdk` has not been called (or `v2tim_uninit_sdk` was).
pub const V2TIM_ERR_SDK_NOT_INITIALIZED: i32 = 6013;
/// The call needs a logged-in user: call `v2tim_login` first.
pub const V2TIM_ERR_SDK_NOT_LOGGED_IN: i32 = 6014;
/// The same operation is already in progress (V2TIM spells it PROGESS).
pub const V2TIM_ERR_IN_PROGESS: i32 = 6015;
/// An argument is NULL, not valid UTF-8, empty where an id is required, or otherwise malformed.
pub const V2TIM_ERR_INVALID_PARAMETERS: i32 = 6017;
/// Local storage (data_dir) could not be read or written.
pub const V2TIM_ERR_IO_OPERATION_FAILED: i32 = 6022;
/// The UserSig expired while logged in (see `on_user_sig_expired`).
pub const V2TIM_ERR_USER_SIG_EXPIRED: i32 = 6206;
/// Signed out because the account logged in elsewhere.
pub const V2TIM_ERR_LOGIN_KICKED_OFF_BY_OTHER: i32 = 6208;
/// A user id is malformed (printable ASCII without spaces, 1..32 bytes).
pub const V2TIM_ERR_SDK_COMM_INVALID_IDENTIFIER: i32 = 7003;
/// Too many calls in too short a time (the server: too many failed logins from one
/// address; try again later).
pub const V2TIM_ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT: i32 = 7008;
/// A login is already in progress.
pub const V2TIM_ERR_SDK_ACCOUNT_LOGIN_IN_PROCESS: i32 = 7501;
/// The message body (text, or custom data + description + extension) exceeds 12 KB.
pub const V2TIM_ERR_SDK_MSG_BODY_SIZE_LIMIT: i32 = 8001;
/// A group id is malformed (printable ASCII without spaces, 1..48 bytes).
pub const V2TIM_ERR_SDK_GROUP_INVALID_ID: i32 = 8501;
/// The connection to the server was lost.
pub const V2TIM_ERR_SDK_NET_DISCONNECT: i32 = 9508;
/// Connecting to the server timed out.
pub const V2TIM_ERR_SDK_NET_CONN_TIMEOUT: i32 = 9510;
/// The server refused the connection.
pub const V2TIM_ERR_SDK_NET_CONN_REFUSE: i32 = 9511;
/// The server did not answer a request in time.
pub const V2TIM_ERR_SDK_NET_WAIT_ACK_TIMEOUT: i32 = 9520;
/// A request exceeds the largest frame the server accepts.
pub const V2TIM_ERR_SDK_NET_PKG_SIZE_LIMIT: i32 = 9522;

// --- Server codes, numbered and named as in V2TIM's server error tables. ---
/// The server refused the request as invalid.
pub const V2TIM_ERR_SVR_COMM_INVALID_REQUEST: i32 = 60003;
/// Internal server error.
pub const V2TIM_ERR_SVR_COMM_INTERNAL: i32 = 60004;
/// Login refused: the UserSig has expired.
pub const V2TIM_ERR_SVR_ACCOUNT_USERSIG_EXPIRED: i32 = 70001;
/// Login refused: the UserSig is forged or malformed.
pub const V2TIM_ERR_SVR_ACCOUNT_USERSIG_INVALID: i32 = 70003;
/// Login refused: the UserSig was issued for another user.
pub const V2TIM_ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID: i32 = 70013;
/// Login refused: the UserSig was issued for another SDKAppID.
pub const V2TIM_ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID: i32 = 70014;
/// The SDKAppID is unknown to the server.
pub const V2TIM_ERR_SVR_ACCOUNT_INVALID_SDKAPPID: i32 = 70020;
/// The receiver of a one-to-one message does not exist.
pub const V2TIM_ERR_SVR_MSG_INVALID_TOACCOUNT: i32 = 20003;
/// One-to-one recall refused: past the time limit, or recall is switched off for the app.
pub const V2TIM_ERR_SVR_MSG_REVOKE_TIME_LIMIT: i32 = 20016;
/// One-to-one message not found (or not in a conversation of the caller).
pub const V2TIM_ERR_SVR_MSG_NOT_FOUND: i32 = 20022;
/// The message was already recalled.
pub const V2TIM_ERR_SVR_MSG_ALREADY_REVOKED: i32 = 20023;
/// The server refused the message body as too large.
pub const V2TIM_ERR_SVR_MSG_BODY_SIZE_LIMIT: i32 = 80002;
/// The server refused the group request as invalid (e.g. an unknown group type).
pub const V2TIM_ERR_SVR_GROUP_INVALID_PARAMETERS: i32 = 10004;
/// Not allowed in this group (not a member, or the role does not permit it).
pub const V2TIM_ERR_SVR_GROUP_PERMISSION_DENY: i32 = 10007;
/// Group not found.
pub const V2TIM_ERR_SVR_GROUP_NOT_FOUND: i32 = 10010;
/// Already a member of the group (V2TIM spells it ALLREADY).
pub const V2TIM_ERR_SVR_GROUP_ALLREADY_MEMBER: i32 = 10013;
/// The group id is already used.
pub const V2TIM_ERR_SVR_GROUP_GROUPID_IN_USED: i32 = 10021;
/// Group message to recall not found.
pub const V2TIM_ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND: i32 = 10030;
/// Group recall refused: past the time limit.
pub const V2TIM_ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT: i32 = 10031;
/// Group recall refused: recall is switched off for the app.
pub const V2TIM_ERR_SVR_GROUP_REVOKE_MSG_DENY: i32 = 10032;

// --- v2tim's own codes (V2TIM has none for these), in the 200000 range; numbers are never reused. ---
/// A panic was caught at the C boundary; the call did nothing more.
pub const V2TIM_ERR_PANIC: i32 = 200_001;
/// One-to-one recall of a message the caller did not send (only the sender may).
pub const V2TIM_ERR_REVOKE_NOT_SENDER: i32 = 200_002;
/// The message id is already used by a different message.
pub const V2TIM_ERR_DUPLICATE_MSG_ID: i32 = 200_003;
/// The server does not support this SDK's protocol version.
pub const V2TIM_ERR_PROTOCOL_VERSION: i32 = 200_004;
/// The request is not valid in the connection's current state.
pub const V2TIM_ERR_BAD_STATE: i32 = 200_005;
/// Storage failed on the server; the request had no effect.
pub const V2TIM_ERR_STORAGE: i32 = 200_006;
/// The SDK was shut down (uninit or destroy) while the request was in flight.
pub const V2TIM_ERR_SHUTDOWN: i32 = 200_007;
/// `v2tim_init_sdk` with a NULL or empty `server_url` in a library built without the embedded
/// server (cargo feature `embedded`, off in the builds apps ship): give a server URL.
pub const V2TIM_ERR_NO_EMBEDDED_SERVER: i32 = 200_008;

/// Every code above, for tests that must cover them all.
#[cfg(test)]
pub(crate) const ALL_CODES: &[i32] = &[
    V2TIM_SUCC,
    V2TIM_ERR_PARSE_RESPONSE_FAILED,
    V2TIM_ERR_SDK_NOT_INITIALIZED,
    V2TIM_ERR_SDK_NOT_LOGGED_IN,
    V2TIM_ERR_IN_PROGESS,
    V2TIM_ERR_INVALID_PARAMETERS,
    V2TIM_ERR_IO_OPERATION_FAILED,
    V2TIM_ERR_USER_SIG_EXPIRED,
    V2TIM_ERR_LOGIN_KICKED_OFF_BY_OTHER,
    V2TIM_ERR_SDK_COMM_INVALID_IDENTIFIER,
    V2TIM_ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT,
    V2TIM_ERR_SDK_ACCOUNT_LOGIN_IN_PROCESS,
    V2TIM_ERR_SDK_MSG_BODY_SIZE_LIMIT,
    V2TIM_ERR_SDK_GROUP_INVALID_ID,
    V2TIM_ERR_SDK_NET_DISCONNECT,
    V2TIM_ERR_SDK_NET_CONN_TIMEOUT,
    V2TIM_ERR_SDK_NET_CONN_REFUSE,
    V2TIM_ERR_SDK_NET_WAIT_ACK_TIMEOUT,
    V2TIM_ERR_SDK_NET_PKG_SIZE_LIMIT,
    V2TIM_ERR_SVR_COMM_INVALID_REQUEST,
    V2TIM_ERR_SVR_COMM_INTERNAL,
    V2TIM_ERR_SVR_ACCOUNT_USERSIG_EXPIRED,
    V2TIM_ERR_SVR_ACCOUNT_USERSIG_INVALID,
    V2TIM_ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID,
    V2TIM_ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID,
    V2TIM_ERR_SVR_ACCOUNT_INVALID_SDKAPPID,
    V2TIM_ERR_SVR_MSG_INVALID_TOACCOUNT,
    V2TIM_ERR_SVR_MSG_REVOKE_TIME_LIMIT,
    V2TIM_ERR_SVR_MSG_NOT_FOUND,
    V2TIM_ERR_SVR_MSG_ALREADY_REVOKED,
    V2TIM_ERR_SVR_MSG_BODY_SIZE_LIMIT,
    V2TIM_ERR_SVR_GROUP_INVALID_PARAMETERS,
    V2TIM_ERR_SVR_GROUP_PERMISSION_DENY,
    V2TIM_ERR_SVR_GROUP_NOT_FOUND,
    V2TIM_ERR_SVR_GROUP_ALLREADY_MEMBER,
    V2TIM_ERR_SVR_GROUP_GROUPID_IN_USED,
    V2TIM_ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND,
    V2TIM_ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT,
    V2TIM_ERR_SVR_GROUP_REVOKE_MSG_DENY,
    V2TIM_ERR_PANIC,
    V2TIM_ERR_REVOKE_NOT_SENDER,
    V2TIM_ERR_DUPLICATE_MSG_ID,
    V2TIM_ERR_PROTOCOL_VERSION,
    V2TIM_ERR_BAD_STATE,
    V2TIM_ERR_STORAGE,
    V2TIM_ERR_SHUTDOWN,
    V2TIM_ERR_NO_EMBEDDED_SERVER,
];

// Keeps the literals above in step with the protocol crate.
const _: () = {
    assert!(V2TIM_SUCC == codes::SUCC);
    assert!(V2TIM_ERR_PARSE_RESPONSE_FAILED == codes::ERR_PARSE_RESPONSE_FAILED);
    assert!(V2TIM_ERR_SDK_NOT_INITIALIZED == codes::ERR_SDK_NOT_INITIALIZED);
    assert!(V2TIM_ERR_SDK_NOT_LOGGED_IN == codes::ERR_SDK_NOT_LOGGED_IN);
    assert!(V2TIM_ERR_IN_PROGESS == codes::ERR_IN_PROGESS);
    assert!(V2TIM_ERR_INVALID_PARAMETERS == codes::ERR_INVALID_PARAMETERS);
    assert!(V2TIM_ERR_IO_OPERATION_FAILED == codes::ERR_IO_OPERATION_FAILED);
    assert!(V2TIM_ERR_USER_SIG_EXPIRED == codes::ERR_USER_SIG_EXPIRED);
    assert!(V2TIM_ERR_LOGIN_KICKED_OFF_BY_OTHER == codes::ERR_LOGIN_KICKED_OFF_BY_OTHER);
    assert!(V2TIM_ERR_SDK_COMM_INVALID_IDENTIFIER == codes::ERR_SDK_COMM_INVALID_IDENTIFIER);
    assert!(
        V2TIM_ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT == codes::ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT
    );
    assert!(V2TIM_ERR_SDK_ACCOUNT_LOGIN_IN_PROCESS == codes::ERR_SDK_ACCOUNT_LOGIN_IN_PROCESS);
    assert!(V2TIM_ERR_SDK_MSG_BODY_SIZE_LIMIT == codes::ERR_SDK_MSG_BODY_SIZE_LIMIT);
    assert!(V2TIM_ERR_SDK_GROUP_INVALID_ID == codes::ERR_SDK_GROUP_INVALID_ID);
    assert!(V2TIM_ERR_SDK_NET_DISCONNECT == codes::ERR_SDK_NET_DISCONNECT);
    assert!(V2TIM_ERR_SDK_NET_CONN_TIMEOUT == codes::ERR_SDK_NET_CONN_TIMEOUT);
    assert!(V2TIM_ERR_SDK_NET_CONN_REFUSE == codes::ERR_SDK_NET_CONN_REFUSE);
    assert!(V2TIM_ERR_SDK_NET_WAIT_ACK_TIMEOUT == codes::ERR_SDK_NET_WAIT_ACK_TIMEOUT);
    assert!(V2TIM_ERR_SDK_NET_PKG_SIZE_LIMIT == codes::ERR_SDK_NET_PKG_SIZE_LIMIT);
    assert!(V2TIM_ERR_SVR_COMM_INVALID_REQUEST == codes::ERR_SVR_COMM_INVALID_REQUEST);
    assert!(V2TIM_ERR_SVR_COMM_INTERNAL == codes::ERR_SVR_COMM_INTERNAL);
    assert!(V2TIM_ERR_SVR_ACCOUNT_USERSIG_EXPIRED == codes::ERR_SVR_ACCOUNT_USERSIG_EXPIRED);
    assert!(V2TIM_ERR_SVR_ACCOUNT_USERSIG_INVALID == codes::ERR_SVR_ACCOUNT_USERSIG_INVALID);
    assert!(
        V2TIM_ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID == codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID
    );
    assert!(
        V2TIM_ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID
            == codes::ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID
    );
    assert!(V2TIM_ERR_SVR_ACCOUNT_INVALID_SDKAPPID == codes::ERR_SVR_ACCOUNT_INVALID_SDKAPPID);
    assert!(V2TIM_ERR_SVR_MSG_INVALID_TOACCOUNT == codes::ERR_SVR_MSG_INVALID_TOACCOUNT);
    assert!(V2TIM_ERR_SVR_MSG_REVOKE_TIME_LIMIT == codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT);
    assert!(V2TIM_ERR_SVR_MSG_NOT_FOUND == codes::ERR_SVR_MSG_NOT_FOUND);
    assert!(V2TIM_ERR_SVR_MSG_ALREADY_REVOKED == codes::ERR_SVR_MSG_ALREADY_REVOKED);
    assert!(V2TIM_ERR_SVR_MSG_BODY_SIZE_LIMIT == codes::ERR_SVR_MSG_BODY_SIZE_LIMIT);
    assert!(V2TIM_ERR_SVR_GROUP_INVALID_PARAMETERS == codes::ERR_SVR_GROUP_INVALID_PARAMETERS);
    assert!(V2TIM_ERR_SVR_GROUP_PERMISSION_DENY == codes::ERR_SVR_GROUP_PERMISSION_DENY);
    assert!(V2TIM_ERR_SVR_GROUP_NOT_FOUND == codes::ERR_SVR_GROUP_NOT_FOUND);
    assert!(V2TIM_ERR_SVR_GROUP_ALLREADY_MEMBER == codes::ERR_SVR_GROUP_ALLREADY_MEMBER);
    assert!(V2TIM_ERR_SVR_GROUP_GROUPID_IN_USED == codes::ERR_SVR_GROUP_GROUPID_IN_USED);
    assert!(V2TIM_ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND == codes::ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND);
    assert!(
        V2TIM_ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT == codes::ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT
    );
    assert!(V2TIM_ERR_SVR_GROUP_REVOKE_MSG_DENY == codes::ERR_SVR_GROUP_REVOKE_MSG_DENY);
    assert!(V2TIM_ERR_PANIC == codes::V2TIM_ERR_PANIC);
    assert!(V2TIM_ERR_REVOKE_NOT_SENDER == codes::V2TIM_ERR_REVOKE_NOT_SENDER);
    assert!(V2TIM_ERR_DUPLICATE_MSG_ID == codes::V2TIM_ERR_DUPLICATE_MSG_ID);
    assert!(V2TIM_ERR_PROTOCOL_VERSION == codes::V2TIM_ERR_PROTOCOL_VERSION);
    assert!(V2TIM_ERR_BAD_STATE == codes::V2TIM_ERR_BAD_STATE);
    assert!(V2TIM_ERR_STORAGE == codes::V2TIM_ERR_STORAGE);
    assert!(V2TIM_ERR_SHUTDOWN == codes::V2TIM_ERR_SHUTDOWN);
    assert!(V2TIM_ERR_NO_EMBEDDED_SERVER == codes::V2TIM_ERR_NO_EMBEDDED_SERVER);
};
