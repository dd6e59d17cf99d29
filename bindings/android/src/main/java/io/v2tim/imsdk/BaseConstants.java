package io.v2tim.imsdk;

/**
 * Error codes (V2TIM's numbers, as {@code com.tencent.imsdk.BaseConstants}), plus v2tim's own
 * from 200000 on. Every {@code onError} also carries an English description.
 */
public final class BaseConstants {
    public static final int ERR_SUCC = 0;
    public static final int ERR_PARSE_RESPONSE_FAILED = 6001;
    public static final int ERR_SDK_NOT_INITIALIZED = 6013;
    public static final int ERR_SDK_NOT_LOGGED_IN = 6014;
    public static final int ERR_IN_PROGESS = 6015;
    public static final int ERR_INVALID_PARAMETERS = 6017;
    public static final int ERR_IO_OPERATION_FAILED = 6022;
    public static final int ERR_USER_SIG_EXPIRED = 6206;
    public static final int ERR_LOGIN_KICKED_OFF_BY_OTHER = 6208;
    public static final int ERR_SDK_COMM_INVALID_IDENTIFIER = 7003;
    public static final int ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT = 7008;
    public static final int ERR_SDK_ACCOUNT_LOGIN_IN_PROCESS = 7501;
    public static final int ERR_SDK_MSG_BODY_SIZE_LIMIT = 8001;
    public static final int ERR_SDK_GROUP_INVALID_ID = 8501;
    public static final int ERR_SDK_NET_DISCONNECT = 9508;
    public static final int ERR_SDK_NET_CONN_TIMEOUT = 9510;
    public static final int ERR_SDK_NET_CONN_REFUSE = 9511;
    public static final int ERR_SDK_NET_WAIT_ACK_TIMEOUT = 9520;
    public static final int ERR_SDK_NET_PKG_SIZE_LIMIT = 9522;
    public static final int ERR_SVR_COMM_INVALID_REQUEST = 60003;
    public static final int ERR_SVR_COMM_INTERNAL = 60004;
    public static final int ERR_SVR_ACCOUNT_USERSIG_EXPIRED = 70001;
    public static final int ERR_SVR_ACCOUNT_USERSIG_INVALID = 70003;
    public static final int ERR_SVR_MSG_INVALID_TOACCOUNT = 20003;
    public static final int ERR_SVR_MSG_REVOKE_TIME_LIMIT = 20016;
    public static final int ERR_SVR_MSG_NOT_FOUND = 20022;
    public static final int ERR_SVR_MSG_ALREADY_REVOKED = 20023;
    public static final int ERR_SVR_GROUP_INVALID_PARAMETERS = 10004;
    public static final int ERR_SVR_GROUP_PERMISSION_DENY = 10007;
    public static final int ERR_SVR_GROUP_NOT_FOUND = 10010;
    public static final int ERR_SVR_GROUP_ALLREADY_MEMBER = 10013;
    public static final int ERR_SVR_GROUP_GROUPID_IN_USED = 10021;
    public static final int ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND = 10030;
    public static final int ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT = 10031;
    public static final int ERR_SVR_GROUP_REVOKE_MSG_DENY = 10032;

    /** v2tim: an internal error (a caught panic); the call did nothing more. */
    public static final int V2TIM_ERR_PANIC = 200001;
    /** v2tim: C2C recall of a message the caller did not send (only the sender may). */
    public static final int V2TIM_ERR_REVOKE_NOT_SENDER = 200002;
    public static final int V2TIM_ERR_DUPLICATE_MSG_ID = 200003;
    public static final int V2TIM_ERR_PROTOCOL_VERSION = 200004;
    public static final int V2TIM_ERR_BAD_STATE = 200005;
    public static final int V2TIM_ERR_STORAGE = 200006;
    /** v2tim: the SDK was uninitialized while the request was in flight. */
    public static final int V2TIM_ERR_SHUTDOWN = 200007;
    /** v2tim: no server URL, and the library was built without the embedded server. */
    public static final int V2TIM_ERR_NO_EMBEDDED_SERVER = 200008;

    private BaseConstants() {}
}
