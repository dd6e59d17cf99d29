package io.v2tim.imsdk.v2;

import io.v2tim.imsdk.BaseConstants;
import java.nio.charset.Charset;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Messages: create, send, recall, history, and message events. */
public class V2TIMMessageManager {
    private static final Charset UTF8 = Charset.forName("UTF-8");

    private final V2TIMManager manager;
    private final Map<V2TIMAdvancedMsgListener, AdvancedMsgListenerBridge> listeners =
            new IdentityHashMap<V2TIMAdvancedMsgListener, AdvancedMsgListenerBridge>();

    V2TIMMessageManager(V2TIMManager manager) {
        this.manager = manager;
    }

    /** Adding the same listener object twice registers it once. */
    public void addAdvancedMsgListener(V2TIMAdvancedMsgListener listener) {
        if (listener == null) {
            return;
        }
        synchronized (listeners) {
            if (listeners.containsKey(listener)) {
                return;
            }
            AdvancedMsgListenerBridge bridge = new AdvancedMsgListenerBridge(manager, listener);
            listeners.put(listener, bridge);
            NativeBridge.addAdvancedMsgListener(manager.id, bridge.id, bridge);
        }
    }

    /**
     * After this returns the listener is not called again (called from another thread while
     * one of its events runs, it waits for that event to end; with a callback executor,
     * events still queued there skip it), and the SDK no longer references it.
     */
    public void removeAdvancedMsgListener(V2TIMAdvancedMsgListener listener) {
        AdvancedMsgListenerBridge bridge;
        synchronized (listeners) {
            bridge = listeners.remove(listener);
        }
        if (bridge != null) {
            bridge.active = false;
            NativeBridge.removeAdvancedMsgListener(manager.id, bridge.id);
        }
    }

    /**
     * Marks the C2C conversation with {@code userID} read (deprecated in V2TIM for
     * {@link V2TIMConversationManager#cleanConversationUnreadMessageCount}).
     */
    public void markC2CMessageAsRead(String userID, V2TIMCallback callback) {
        if (userID == null) {
            NativeBridge.postError(NativeCallback.of(manager, callback),
                    BaseConstants.ERR_INVALID_PARAMETERS, "userID is null");
            return;
        }
        NativeBridge.markMessageAsRead(manager.id, userID, null,
                NativeCallback.of(manager, callback));
    }

    /** Marks the conversation of group {@code groupID} read (deprecated in V2TIM, as above). */
    public void markGroupMessageAsRead(String groupID, V2TIMCallback callback) {
        if (groupID == null) {
            NativeBridge.postError(NativeCallback.of(manager, callback),
                    BaseConstants.ERR_INVALID_PARAMETERS, "groupID is null");
            return;
        }
        NativeBridge.markMessageAsRead(manager.id, null, groupID,
                NativeCallback.of(manager, callback));
    }

    void clearListeners() {
        synchronized (listeners) {
            for (AdvancedMsgListenerBridge bridge : listeners.values()) {
                bridge.active = false;
            }
            listeners.clear();
        }
    }

    private V2TIMMessage wrap(long handle) {
        return handle == 0 ? null : new V2TIMMessage(handle);
    }

    /**
     * A text message (up to 12 KB). Unlike V2TIM it needs {@code initSDK} first: before, or
     * with {@code text} null, it returns null.
     */
    public V2TIMMessage createTextMessage(String text) {
        if (text == null) {
            return null;
        }
        try {
            return wrap(NativeBridge.createTextMessage(manager.id, text));
        } catch (RuntimeException e) {
            System.err.println("v2tim: createTextMessage: " + e.getMessage());
            return null;
        }
    }

    public V2TIMMessage createCustomMessage(byte[] data) {
        return createCustomMessage(data, "", null);
    }

    /** {@code extension} is kept as UTF-8 text. Returns null as {@link #createTextMessage}. */
    public V2TIMMessage createCustomMessage(byte[] data, String description, byte[] extension) {
        if (data == null) {
            return null;
        }
        String ext = extension == null ? "" : new String(extension, UTF8);
        try {
            return wrap(NativeBridge.createCustomMessage(manager.id, data, description, ext));
        } catch (RuntimeException e) {
            System.err.println("v2tim: createCustomMessage: " + e.getMessage());
            return null;
        }
    }

    /**
     * Sends {@code message} to {@code receiver} (C2C) or {@code groupID} (pass null or "" for
     * the other). Returns the message ID (null if {@code message} is null). On success
     * {@code callback.onSuccess} gets {@code message} itself, now with the server's seq and
     * timestamp. {@code onlineUserOnly = true}: only the devices online now get it
     * ({@code onRecvNewMessage}); it is never stored (not in history, no unread count, no
     * conversation change, seq 0, cannot be recalled). {@code offlinePushInfo}, when any of
     * its setters was called, is kept by the server with the message for a push service.
     */
    public String sendMessage(final V2TIMMessage message, String receiver, String groupID,
            int priority, boolean onlineUserOnly, V2TIMOfflinePushInfo offlinePushInfo,
            final V2TIMSendCallback<V2TIMMessage> callback) {
        NativeCallback cb = callback == null ? null : new NativeCallback(manager) {
            @Override
            void success(Object value) {
                callback.onSuccess(message);
            }

            @Override
            void error(int code, String desc) {
                callback.onError(code, desc);
            }
        };
        if (message == null) {
            return NativeBridge.sendMessage(manager.id, null, 0, receiver, groupID, priority,
                    onlineUserOnly, null, -1, -1, null, null, cb);
        }
        String[] pushStrings = null;
        int[] pushNumbers = null;
        if (offlinePushInfo != null && offlinePushInfo.changed) {
            String ext = utf8(offlinePushInfo.getExt());
            if (ext == null) {
                NativeBridge.postError(cb, BaseConstants.ERR_INVALID_PARAMETERS,
                        "offlinePushInfo.ext is not UTF-8 text");
                return message.getMsgID();
            }
            pushStrings = offlinePushInfo.strings(ext);
            pushNumbers = offlinePushInfo.numbers();
        }
        String id = NativeBridge.sendMessage(manager.id, message, message.handle, receiver,
                groupID, priority, onlineUserOnly, message.pendingCloudCustomData,
                tri(message.pendingExcludedFromUnread), tri(message.pendingExcludedFromLast),
                pushStrings, pushNumbers, cb);
        // Handed to the native message (or refused through onError): it answers from now on.
        message.pendingCloudCustomData = null;
        message.pendingExcludedFromUnread = null;
        message.pendingExcludedFromLast = null;
        return id;
    }

    /** {@code bytes} as UTF-8 text ("" for null), or null when they are not UTF-8. */
    private static String utf8(byte[] bytes) {
        if (bytes == null) {
            return "";
        }
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    /** -1 not set, 0 false, 1 true. */
    private static int tri(Boolean b) {
        return b == null ? -1 : b ? 1 : 0;
    }

    /**
     * Recalls {@code msg} (see the recall rules: C2C only its sender; in groups also the owner,
     * and admins for ordinary members' messages; within the app's time limit). On success
     * {@code msg}, and every other object of this message, shows the recalled form.
     */
    public void revokeMessage(V2TIMMessage msg, V2TIMCallback callback) {
        revokeMessage(msg, null, callback);
    }

    /** v2tim extension: recall with a reason the other participants receive. */
    public void revokeMessage(V2TIMMessage msg, String reason, V2TIMCallback callback) {
        NativeBridge.revokeMessage(manager.id, msg, msg == null ? 0 : msg.handle, reason,
                NativeCallback.of(manager, callback));
    }

    /** Newest first: {@code count} messages older than {@code lastMsg} (null = the newest). */
    public void getC2CHistoryMessageList(String userID, int count, V2TIMMessage lastMsg,
            V2TIMValueCallback<List<V2TIMMessage>> callback) {
        history(userID, null, count, lastMsg, callback);
    }

    /** As {@link #getC2CHistoryMessageList}, for a group. */
    public void getGroupHistoryMessageList(String groupID, int count, V2TIMMessage lastMsg,
            V2TIMValueCallback<List<V2TIMMessage>> callback) {
        history(null, groupID, count, lastMsg, callback);
    }

    /**
     * Messages of the C2C conversation ({@code option.setUserID}) or group
     * ({@code option.setGroupID}): older ones newest first, newer ones oldest first, from
     * {@code lastMsg} (excluded) or, in a group, {@code lastMsgSeq} (included), within
     * {@code getTimeBegin}/{@code getTimePeriod} (seconds) when set. v2tim has no local store,
     * so the CLOUD and LOCAL types are the same. {@code messageTypeList} keeps those element
     * types (recalled messages keep theirs); a bad option gives 6017 naming it.
     */
    public void getHistoryMessageList(V2TIMMessageListGetOption option,
            V2TIMValueCallback<List<V2TIMMessage>> callback) {
        if (option == null) {
            NativeBridge.postError(NativeCallback.messages(manager, callback), 6017,
                    "option is null");
            return;
        }
        List<Integer> types = option.getMessageTypeList();
        int[] typeArray = null;
        if (types != null) {
            typeArray = new int[types.size()];
            for (int i = 0; i < typeArray.length; i++) {
                Integer t = types.get(i);
                typeArray[i] = t == null ? -1 : t; // refused, never read as a type
            }
        }
        V2TIMMessage lastMsg = option.getLastMsg();
        NativeBridge.getHistoryMessageList(manager.id, option.getUserID(), option.getGroupID(),
                option.getGetType(), option.getCount(), lastMsg,
                lastMsg == null ? 0 : lastMsg.handle, option.getLastMsgSeq(),
                option.getGetTimeBegin(), option.getGetTimePeriod(), typeArray,
                NativeCallback.messages(manager, callback));
    }

    private void history(String userID, String groupID, int count, V2TIMMessage lastMsg,
            V2TIMValueCallback<List<V2TIMMessage>> callback) {
        NativeBridge.getHistoryMessageList(manager.id, userID, groupID,
                V2TIMMessageListGetOption.V2TIM_GET_CLOUD_OLDER_MSG, count, lastMsg,
                lastMsg == null ? 0 : lastMsg.handle, 0, 0, 0, null,
                NativeCallback.messages(manager, callback));
    }
}
