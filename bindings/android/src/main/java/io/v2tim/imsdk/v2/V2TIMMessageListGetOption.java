package io.v2tim.imsdk.v2;

import java.util.List;

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
    private long lastMsgSeq;
    private long getTimeBegin;
    private long getTimePeriod;
    private List<Integer> messageTypeList;

    /** Older (1, 3: newest first) or newer (2, 4: oldest first); LOCAL reads the server too. */
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

    /** Groups only: the start, included (one-to-one history pages with lastMsg: 6017). */
    public void setLastMsgSeq(long lastMsgSeq) {
        this.lastMsgSeq = lastMsgSeq;
    }

    public long getLastMsgSeq() {
        return lastMsgSeq;
    }

    /**
     * Seconds since the epoch; 0 is now. Older pulls read {@code [begin - period, begin]},
     * newer pulls {@code [begin, begin + period]}.
     */
    public void setGetTimeBegin(long getTimeBegin) {
        this.getTimeBegin = getTimeBegin;
    }

    public long getGetTimeBegin() {
        return getTimeBegin;
    }

    /** Seconds; 0 is no limit. */
    public void setGetTimePeriod(long getTimePeriod) {
        this.getTimePeriod = getTimePeriod;
    }

    public long getGetTimePeriod() {
        return getTimePeriod;
    }

    /**
     * Element types to keep (a recalled message keeps the type it was sent with); null or
     * empty keeps all. A value outside 0..31 fails the call with 6017.
     */
    public void setMessageTypeList(List<Integer> messageTypeList) {
        this.messageTypeList = messageTypeList;
    }

    public List<Integer> getMessageTypeList() {
        return messageTypeList;
    }
}
