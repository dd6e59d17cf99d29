package io.v2tim.imsdk.v2;

/**
 * A message. Getters read the SDK's current state of the message: an object the app holds
 * turns to its recalled form (status {@link #V2TIM_MSG_STATUS_LOCAL_REVOKED}, content empty,
 * revoker and reason set) as soon as this device learns of the recall.
 *
 * <p>Create messages with {@link V2TIMMessageManager#createTextMessage} or
 * {@link V2TIMMessageManager#createCustomMessage}. The native message is released when this
 * object becomes unreachable.
 */
public class V2TIMMessage {
    public static final int V2TIM_MSG_STATUS_SENDING = 1;
    public static final int V2TIM_MSG_STATUS_SEND_SUCC = 2;
    public static final int V2TIM_MSG_STATUS_SEND_FAIL = 3;
    public static final int V2TIM_MSG_STATUS_HAS_DELETED = 4;
    public static final int V2TIM_MSG_STATUS_LOCAL_IMPORTED = 5;
    public static final int V2TIM_MSG_STATUS_LOCAL_REVOKED = 6;

    public static final int V2TIM_ELEM_TYPE_NONE = 0;
    public static final int V2TIM_ELEM_TYPE_TEXT = 1;
    public static final int V2TIM_ELEM_TYPE_CUSTOM = 2;
    public static final int V2TIM_ELEM_TYPE_IMAGE = 3;
    public static final int V2TIM_ELEM_TYPE_SOUND = 4;
    public static final int V2TIM_ELEM_TYPE_VIDEO = 5;
    public static final int V2TIM_ELEM_TYPE_FILE = 6;
    public static final int V2TIM_ELEM_TYPE_LOCATION = 7;
    public static final int V2TIM_ELEM_TYPE_FACE = 8;
    public static final int V2TIM_ELEM_TYPE_GROUP_TIPS = 9;
    public static final int V2TIM_ELEM_TYPE_MERGER = 10;

    public static final int V2TIM_PRIORITY_DEFAULT = 0;
    public static final int V2TIM_PRIORITY_HIGH = 1;
    public static final int V2TIM_PRIORITY_NORMAL = 2;
    public static final int V2TIM_PRIORITY_LOW = 3;

    // Fields of NativeBridge.messageString / messageLong (keep in step with src/jni/message.rs).
    static final int S_MSG_ID = 0;
    static final int S_SENDER = 1;
    static final int S_USER_ID = 2;
    static final int S_GROUP_ID = 3;
    static final int S_TEXT = 4;
    static final int S_CUSTOM_DESCRIPTION = 5;
    static final int S_CUSTOM_EXTENSION = 6;
    static final int S_REVOKER = 7;
    static final int S_REVOKE_REASON = 8;
    static final int S_NICK_NAME = 9;
    static final int S_FACE_URL = 10;
    static final int S_REVOKER_NICK = 11;
    static final int S_REVOKER_FACE = 12;
    static final int S_CLOUD_CUSTOM_DATA = 13;
    static final int L_TIMESTAMP = 0;
    static final int L_SEQ = 1;
    static final int L_STATUS = 2;
    static final int L_IS_SELF = 3;
    static final int L_ELEM_TYPE = 4;
    static final int L_PRIORITY = 5;
    static final int L_EXCLUDED_FROM_UNREAD = 8;
    static final int L_EXCLUDED_FROM_LAST = 9;

    /** One reference to the native message, released by {@link HandleCleaner}. */
    final long handle;

    // What the app set for sending, until sendMessage hands it to the native message (which
    // checks it and reports a refusal through the send callback).
    String pendingCloudCustomData;
    Boolean pendingExcludedFromUnread;
    Boolean pendingExcludedFromLast;

    /** Takes ownership of {@code handle} (called by native code, and by the managers). */
    V2TIMMessage(long handle) {
        this.handle = handle;
        HandleCleaner.register(this, handle);
    }

    String string(int field) {
        return NativeBridge.messageString(this, handle, field);
    }

    private long number(int field) {
        return NativeBridge.messageLong(this, handle, field);
    }

    public String getMsgID() {
        return string(S_MSG_ID);
    }

    /** Server time of the message in seconds (0 until the server accepted it). */
    public long getTimestamp() {
        return number(L_TIMESTAMP);
    }

    public String getSender() {
        return string(S_SENDER);
    }

    /** C2C: the other user of the conversation; null for group messages. */
    public String getUserID() {
        return string(S_USER_ID);
    }

    /** The group of a group message; null for C2C messages. */
    public String getGroupID() {
        return string(S_GROUP_ID);
    }

    /** Position in the conversation (0 until the server accepted it). */
    public long getSeq() {
        return number(L_SEQ);
    }

    /** One of the {@code V2TIM_MSG_STATUS_*} values; 6 once recalled. */
    public int getStatus() {
        return (int) number(L_STATUS);
    }

    public boolean isSelf() {
        return number(L_IS_SELF) != 0;
    }

    /**
     * {@link #V2TIM_ELEM_TYPE_TEXT}, {@link #V2TIM_ELEM_TYPE_CUSTOM},
     * {@link #V2TIM_ELEM_TYPE_GROUP_TIPS}, or NONE once recalled.
     */
    public int getElemType() {
        return (int) number(L_ELEM_TYPE);
    }

    public int getPriority() {
        return (int) number(L_PRIORITY);
    }

    /** The text element, or null if this is not (or no longer, once recalled) a text message. */
    public V2TIMTextElem getTextElem() {
        return getElemType() == V2TIM_ELEM_TYPE_TEXT ? new V2TIMTextElem(this) : null;
    }

    /** The group tips element, or null if this is not a group tips message. */
    public V2TIMGroupTipsElem getGroupTipsElem() {
        if (getElemType() != V2TIM_ELEM_TYPE_GROUP_TIPS) {
            return null;
        }
        Object[] table = NativeBridge.messageGroupTips(this, handle);
        return table == null ? null : new GroupTable(table).tips(getGroupID());
    }

    /** The custom element, or null if this is not (or no longer) a custom message. */
    public V2TIMCustomElem getCustomElem() {
        return getElemType() == V2TIM_ELEM_TYPE_CUSTOM ? new V2TIMCustomElem(this) : null;
    }

    /** Who recalled the message (user ID only); null unless recalled. */
    public V2TIMUserFullInfo getRevokerInfo() {
        String revoker = string(S_REVOKER);
        return revoker == null ? null
                : new V2TIMUserFullInfo(revoker, string(S_REVOKER_NICK), string(S_REVOKER_FACE));
    }

    /** The sender's nick name (their profile when the server reported it); "" when none. */
    public String getNickName() {
        return string(S_NICK_NAME);
    }

    /** The sender's face URL; "" when none. */
    public String getFaceUrl() {
        return string(S_FACE_URL);
    }

    /** Why it was recalled ("" if no reason was given); null unless recalled. */
    public String getRevokeReason() {
        return string(S_REVOKE_REASON);
    }

    /**
     * Data sent and stored with the message (UTF-8, at most 12 KB), e.g. TUIKit's reply
     * quote; takes effect when the message is sent (later calls change nothing).
     */
    public void setCloudCustomData(String data) {
        pendingCloudCustomData = data == null ? "" : data;
    }

    /** "" when none, and once recalled; a quote of a recalled message has its abstract blanked. */
    public String getCloudCustomData() {
        String pending = pendingCloudCustomData;
        return pending != null ? pending : string(S_CLOUD_CUSTOM_DATA);
    }

    /** The message counts in no unread count; takes effect when it is sent. */
    public void setExcludedFromUnreadCount(boolean excluded) {
        pendingExcludedFromUnread = excluded;
    }

    public boolean isExcludedFromUnreadCount() {
        Boolean pending = pendingExcludedFromUnread;
        return pending != null ? pending : number(L_EXCLUDED_FROM_UNREAD) != 0;
    }

    /** The message is never a conversation's last message; takes effect when it is sent. */
    public void setExcludedFromLastMessage(boolean excluded) {
        pendingExcludedFromLast = excluded;
    }

    public boolean isExcludedFromLastMessage() {
        Boolean pending = pendingExcludedFromLast;
        return pending != null ? pending : number(L_EXCLUDED_FROM_LAST) != 0;
    }

    @Override
    public String toString() {
        return "V2TIMMessage{msgID=" + getMsgID() + ", status=" + getStatus() + "}";
    }
}
