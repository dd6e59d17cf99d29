package io.v2tim.imsdk.v2;

/**
 * The native methods of {@code libv2tim.so} (Rust, {@code src/jni}). Package-private: the
 * public classes of this package are the API. Loading this class loads the library.
 *
 * <p>Managers are {@code long} ids into a native registry (a destroyed id fails cleanly).
 * Messages are {@code long} handles owning one reference to the native message; natives that
 * read a message also take the Java object so that it stays reachable (and its handle
 * unreleased) for the duration of the call.
 */
final class NativeBridge {
    static {
        System.loadLibrary("v2tim");
        nativeInit();
    }

    private NativeBridge() {}

    /** Forces the library to load (and fails early if it cannot). */
    static void load() {}

    static native void nativeInit();

    static native long createManager();

    static native void destroyManager(long mgr);

    static native int initSDK(long mgr, int sdkAppID, String serverURL, String secretKey,
            String initPath, int logLevel);

    static native void unInitSDK(long mgr);

    static native void login(long mgr, String userID, String userSig, NativeCallback cb);

    static native void logout(long mgr, NativeCallback cb);

    static native String getLoginUser(long mgr);

    static native int getLoginStatus(long mgr);

    static native long getServerTime(long mgr);

    static native void addSDKListener(long mgr, long id, SDKListenerBridge bridge);

    static native void removeSDKListener(long mgr, long id);

    static native void addAdvancedMsgListener(long mgr, long id, AdvancedMsgListenerBridge bridge);

    static native void removeAdvancedMsgListener(long mgr, long id);

    static native void addConversationListener(long mgr, long id,
            ConversationListenerBridge bridge);

    static native void removeConversationListener(long mgr, long id);

    static native void getConversationList(long mgr, long nextSeq, int count, NativeCallback cb);

    static native void getConversation(long mgr, String conversationID, NativeCallback cb);

    static native void getTotalUnreadMessageCount(long mgr, NativeCallback cb);

    static native void cleanConversationUnreadMessageCount(long mgr, String conversationID,
            long cleanTimestamp, long cleanSequence, NativeCallback cb);

    /** {@code userID} xor {@code groupID} (the other null). */
    static native void markMessageAsRead(long mgr, String userID, String groupID,
            NativeCallback cb);

    static native void setSelfInfo(long mgr, int flags, String nickName, String faceUrl,
            String selfSignature, int gender, int role, int level, long birthday, int allowType,
            String[] customKeys, byte[][] customValues, NativeCallback cb);

    /** {@code onSuccess(ArrayList<V2TIMUserFullInfo>)}. */
    static native void getUsersInfo(long mgr, String[] userIDs, NativeCallback cb);

    /** The process's log listener (replacing the previous one); null stops it. */
    static native void setLogListener(V2TIMLogListener listener, int minLevel);

    static native void createGroup(long mgr, String groupType, String groupID, String groupName,
            NativeCallback cb);

    static native void joinGroup(long mgr, String groupID, String message, NativeCallback cb);

    static native void quitGroup(long mgr, String groupID, NativeCallback cb);

    static native void inviteUserToGroup(long mgr, String groupID, String[] userIDs,
            NativeCallback cb);

    static native void setGroupMemberRole(long mgr, String groupID, String userID, int role,
            NativeCallback cb);

    // Group values arrive as tables (Object[] {String[], long[]}) that GroupTable reads.

    /** {@code profile}: notification, introduction, faceUrl. {@code onSuccess(String)}. */
    static native void createGroupWithInfo(long mgr, String groupType, String groupID,
            String groupName, String[] profile, String[] memberIDs, NativeCallback cb);

    /** {@code values}: name, notification, introduction, faceUrl; {@code flags} which. */
    static native void setGroupInfo(long mgr, String groupID, int flags, String[] values,
            NativeCallback cb);

    /** {@code onSuccess(table of results)}. */
    static native void getGroupsInfo(long mgr, String[] groupIDs, NativeCallback cb);

    /** {@code onSuccess(table of groups)}. */
    static native void getJoinedGroupList(long mgr, NativeCallback cb);

    /** {@code onSuccess(table: next seq, members)}. */
    static native void getGroupMemberList(long mgr, String groupID, int filter, long nextSeq,
            NativeCallback cb);

    /** {@code onSuccess(table of per-user results)}, as inviteUserToGroup. */
    static native void kickGroupMember(long mgr, String groupID, String[] userIDs, String reason,
            NativeCallback cb);

    static native void dismissGroup(long mgr, String groupID, NativeCallback cb);

    static native void addGroupListener(long mgr, long id, GroupListenerBridge bridge);

    static native void removeGroupListener(long mgr, long id);

    /** The group tips of a message as a table; null for other kinds. */
    static native Object[] messageGroupTips(V2TIMMessage msg, long handle);

    static native long createTextMessage(long mgr, String text);

    static native long createCustomMessage(long mgr, byte[] data, String description,
            String extension);

    /** {@code cloudCustomData} null and {@code excludedFrom*} -1 leave those as they are. */
    static native String sendMessage(long mgr, V2TIMMessage msg, long handle, String receiver,
            String groupID, int priority, boolean onlineUserOnly, String cloudCustomData,
            int excludedFromUnread, int excludedFromLast, String[] pushStrings, int[] pushNumbers,
            NativeCallback cb);

    static native void revokeMessage(long mgr, V2TIMMessage msg, long handle, String reason,
            NativeCallback cb);

    /** All of V2TIMMessageListGetOption; {@code messageTypes} may be null. */
    static native void getHistoryMessageList(long mgr, String userID, String groupID,
            int getType, int count, V2TIMMessage lastMsg, long lastHandle, long lastMsgSeq,
            long timeBegin, long timePeriod, int[] messageTypes, NativeCallback cb);

    static native String messageString(V2TIMMessage msg, long handle, int field);

    static native long messageLong(V2TIMMessage msg, long handle, int field);

    static native byte[] messageCustomData(V2TIMMessage msg, long handle);

    static native void messageRelease(long handle);

    /** Reports an error found on the Java side through {@code cb}, on the event thread. */
    static native void postError(NativeCallback cb, int code, String desc);

    /** Message handles held by Java objects and not yet released (tests, diagnostics). */
    static native long liveMessageHandles();

    /** Debug builds of the library only: panics on purpose (see src/jni/debug.rs). */
    static native void debugPanic(int mode, NativeCallback cb);

    /** Listener objects native code holds a global reference to (tests, diagnostics). */
    static native long liveListenerRefs();
}
