//! Error codes. Numbers and names follow V2TIM (Tencent Cloud Chat) where it has one;
//! codes V2TIM lacks live in the 200000 range ([`EXT_BASE`]) and are never reused.

pub const SUCC: i32 = 0;

// --- SDK-side (client) codes, as in V2TIM's TIMErrorCode ---
pub const ERR_PARSE_RESPONSE_FAILED: i32 = 6001;
pub const ERR_SDK_NOT_INITIALIZED: i32 = 6013;
pub const ERR_SDK_NOT_LOGGED_IN: i32 = 6014;
pub const ERR_IN_PROGESS: i32 = 6015;
pub const ERR_INVALID_PARAMETERS: i32 = 6017;
pub const ERR_IO_OPERATION_FAILED: i32 = 6022;
pub const ERR_USER_SIG_EXPIRED: i32 = 6206;
pub const ERR_LOGIN_KICKED_OFF_BY_OTHER: i32 = 6208;
pub const ERR_SDK_COMM_INVALID_IDENTIFIER: i32 = 7003;
/// Too many calls (v2tim: too many failed logins from one address).
pub const ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT: i32 = 7008;
pub const ERR_SDK_ACCOUNT_LOGIN_IN_PROCESS: i32 = 7501;
pub const ERR_SDK_MSG_BODY_SIZE_LIMIT: i32 = 8001;
pub const ERR_SDK_GROUP_INVALID_ID: i32 = 8501;
pub const ERR_SDK_NET_DISCONNECT: i32 = 9508;
pub const ERR_SDK_NET_CONN_TIMEOUT: i32 = 9510;
pub const ERR_SDK_NET_CONN_REFUSE: i32 = 9511;
pub const ERR_SDK_NET_WAIT_ACK_TIMEOUT: i32 = 9520;
pub const ERR_SDK_NET_PKG_SIZE_LIMIT: i32 = 9522;

// --- Server codes, as in V2TIM's REST / server error tables ---
pub const ERR_SVR_COMM_INVALID_REQUEST: i32 = 60003;
pub const ERR_SVR_COMM_INTERNAL: i32 = 60004;
pub const ERR_SVR_ACCOUNT_USERSIG_EXPIRED: i32 = 70001;
pub const ERR_SVR_ACCOUNT_USERSIG_INVALID: i32 = 70003;
pub const ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID: i32 = 70013;
pub const ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID: i32 = 70014;
pub const ERR_SVR_ACCOUNT_INVALID_SDKAPPID: i32 = 70020;
pub const ERR_SVR_MSG_INVALID_TOACCOUNT: i32 = 20003;
pub const ERR_SVR_MSG_REVOKE_TIME_LIMIT: i32 = 20016;
pub const ERR_SVR_MSG_NOT_FOUND: i32 = 20022;
pub const ERR_SVR_MSG_ALREADY_REVOKED: i32 = 20023;
pub const ERR_SVR_MSG_BODY_SIZE_LIMIT: i32 = 80002;
pub const ERR_SVR_GROUP_INVALID_PARAMETERS: i32 = 10004;
pub const ERR_SVR_GROUP_PERMISSION_DENY: i32 = 10007;
pub const ERR_SVR_GROUP_NOT_FOUND: i32 = 10010;
pub const ERR_SVR_GROUP_ALLREADY_MEMBER: i32 = 10013;
pub const ERR_SVR_GROUP_FULL_MEMBER_COUNT: i32 = 10014;
pub const ERR_SVR_GROUP_GROUPID_IN_USED: i32 = 10021;
pub const ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND: i32 = 10030;
pub const ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT: i32 = 10031;
pub const ERR_SVR_GROUP_REVOKE_MSG_DENY: i32 = 10032;

// --- v2tim's own codes (no V2TIM equivalent) ---
pub const EXT_BASE: i32 = 200_000;
/// A panic was caught at the C boundary; the call did nothing more.
pub const V2TIM_ERR_PANIC: i32 = 200_001;
/// C2C recall of a message the caller did not send.
pub const V2TIM_ERR_REVOKE_NOT_SENDER: i32 = 200_002;
/// The message id is already used by a different message.
pub const V2TIM_ERR_DUPLICATE_MSG_ID: i32 = 200_003;
/// The protocol version of the client is not supported by the server.
pub const V2TIM_ERR_PROTOCOL_VERSION: i32 = 200_004;
/// The request is not valid in the connection's current state (e.g. before login).
pub const V2TIM_ERR_BAD_STATE: i32 = 200_005;
/// Storage failed; the request had no effect.
pub const V2TIM_ERR_STORAGE: i32 = 200_006;
/// The SDK was shut down (uninit/destroy) while the request was in flight.
pub const V2TIM_ERR_SHUTDOWN: i32 = 200_007;
/// No server_url was given, and the library was built without the embedded server.
pub const V2TIM_ERR_NO_EMBEDDED_SERVER: i32 = 200_008;
