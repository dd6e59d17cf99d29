package io.v2tim.imsdk.v2;

/**
 * A conversation of the logged-in user (V2TIMConversation): a snapshot taken when the SDK
 * reported it, except {@link #getLastMessage()}, the live message (a recall shows on it).
 */
public class V2TIMConversation {
    public static final int V2TIM_C2C = 1;
    public static final int V2TIM_GROUP = 2;

    private final int type;
    private final String conversationID;
    private final String userID;
    private final String groupID;
    private final String groupType;
    private final String showName;
    private final String faceUrl;
    private final long unreadCount;
    private final long orderKey;
    private final V2TIMMessage lastMessage;

    /** Made by native code. */
    V2TIMConversation(int type, String conversationID, String userID, String groupID,
            String groupType, String showName, String faceUrl, long unreadCount, long orderKey,
            V2TIMMessage lastMessage) {
        this.type = type;
        this.conversationID = conversationID;
        this.userID = userID;
        this.groupID = groupID;
        this.groupType = groupType;
        this.showName = showName;
        this.faceUrl = faceUrl;
        this.unreadCount = unreadCount;
        this.orderKey = orderKey;
        this.lastMessage = lastMessage;
    }

    /** {@link #V2TIM_C2C} or {@link #V2TIM_GROUP}. */
    public int getType() {
        return type;
    }

    /** "c2c_&lt;userID&gt;" or "group_&lt;groupID&gt;". */
    public String getConversationID() {
        return conversationID;
    }

    /** C2C: the other user; null for groups (as V2TIM). */
    public String getUserID() {
        return type == V2TIM_C2C ? userID : null;
    }

    /** Groups: the group; null for C2C (as V2TIM). */
    public String getGroupID() {
        return type == V2TIM_GROUP ? groupID : null;
    }

    /** Groups: "Work", "Public", "Meeting", "AVChatRoom" or "Community"; null for C2C. */
    public String getGroupType() {
        return type == V2TIM_GROUP ? groupType : null;
    }

    /** C2C: the other user's id; groups: the group's name (its id when unnamed). */
    public String getShowName() {
        return showName;
    }

    public String getFaceUrl() {
        return faceUrl;
    }

    /** Messages from others after the user's read position, not recalled. */
    public int getUnreadCount() {
        return (int) Math.min(unreadCount, Integer.MAX_VALUE);
    }

    /** The newest message, or null; after a recall it is in its recalled form. */
    public V2TIMMessage getLastMessage() {
        return lastMessage;
    }

    /** Larger is more recent activity: sort by it, largest first. */
    public long getOrderKey() {
        return orderKey;
    }

    /** v2tim has no drafts: always null. */
    public String getDraftText() {
        return null;
    }

    /** v2tim has no drafts: always 0. */
    public long getDraftTimestamp() {
        return 0;
    }

    /** v2tim has no pinned conversations: always false. */
    public boolean isPinned() {
        return false;
    }
}
