package io.v2tim.imsdk.v2;

/** Options of {@link V2TIMMessageManager#getHistoryMessageList}. */
public class V2TIMMessageListGetOption {
    public static final int V2TIM_GET_CLOUD_OLDER_MSG = 1;
    public static final int V2TIM_GET_CLOUD_NEWER_MSG = 2;
    public static final int V2TIM_GET_LOCAL_OLDER_MSG = 3;
    public static final int V2TIM_GET_LOCAL_NEWER_MSG = 4;

    private int getType = V2TIM_GET_CLOUD_OLDER_MSG;
    private String userID;
    private String groupID;
    private int count;
    private V2TIMMessage lastMsg;

    /** Older-message types (1, 3) are supported; newer (2, 4) give 6017. */
    public void setGetType(int getType) {
        this.getType = getType;
    }

    public int getGetType() {
        return getType;
    }

    public void setUserID(String userID) {
        this.userID = userID;
    }

    public String getUserID() {
        return userID;
    }

    public void setGroupID(String groupID) {
        this.groupID = groupID;
    }

    public String getGroupID() {
        return groupID;
    }

    public void setCount(int count) {
        this.count = count;
    }

    public int getCount() {
        return count;
    }

    public void setLastMsg(V2TIMMessage lastMsg) {
        this.lastMsg = lastMsg;
    }

    public V2TIMMessage getLastMsg() {
        return lastMsg;
    }
}
