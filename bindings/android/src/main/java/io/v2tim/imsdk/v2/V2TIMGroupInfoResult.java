package io.v2tim.imsdk.v2;

/** One group of {@code getGroupsInfo}: code 0 and its info, or why not (10010: no such group). */
public class V2TIMGroupInfoResult {
    private final int resultCode;
    private final String resultMessage;
    private final V2TIMGroupInfo groupInfo;

    V2TIMGroupInfoResult(int resultCode, String resultMessage, V2TIMGroupInfo groupInfo) {
        this.resultCode = resultCode;
        this.resultMessage = resultMessage;
        this.groupInfo = groupInfo;
    }

    public int getResultCode() {
        return resultCode;
    }

    public String getResultMessage() {
        return resultMessage;
    }

    /** Null unless the result code is 0. */
    public V2TIMGroupInfo getGroupInfo() {
        return groupInfo;
    }
}
