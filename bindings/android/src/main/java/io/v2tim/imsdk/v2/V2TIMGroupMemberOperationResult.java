package io.v2tim.imsdk.v2;

/** Per-user outcome of {@link V2TIMGroupManager#inviteUserToGroup}. */
public class V2TIMGroupMemberOperationResult {
    public static final int OPERATION_RESULT_FAIL = 0;
    public static final int OPERATION_RESULT_SUCC = 1;
    public static final int OPERATION_RESULT_INVALID = 2;
    public static final int OPERATION_RESULT_PENDING = 3;
    public static final int OPERATION_RESULT_OVERLIMIT = 4;

    private final String memberID;
    private final int result;

    V2TIMGroupMemberOperationResult(String memberID, int result) {
        this.memberID = memberID;
        this.result = result;
    }

    public String getMemberID() {
        return memberID;
    }

    public int getResult() {
        return result;
    }
}
