package io.v2tim.imsdk.v2;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The conversation list of the logged-in user ({@link V2TIMManager#getConversationManager()}).
 * After login the SDK reads it from the server (and again after every reconnection); calls
 * made before that read ended wait for it.
 */
public class V2TIMConversationManager {
    private final V2TIMManager manager;
    private final Map<V2TIMConversationListener, ConversationListenerBridge> listeners =
            new IdentityHashMap<V2TIMConversationListener, ConversationListenerBridge>();

    V2TIMConversationManager(V2TIMManager manager) {
        this.manager = manager;
    }

    /** Adding the same listener object twice registers it once. */
    public void addConversationListener(V2TIMConversationListener listener) {
        if (listener == null) {
            return;
        }
        synchronized (listeners) {
            if (listeners.containsKey(listener)) {
                return;
            }
            ConversationListenerBridge bridge = new ConversationListenerBridge(manager, listener);
            listeners.put(listener, bridge);
            NativeBridge.addConversationListener(manager.id, bridge.id, bridge);
        }
    }

    /** After this returns the listener is not called again. */
    public void removeConversationListener(V2TIMConversationListener listener) {
        ConversationListenerBridge bridge;
        synchronized (listeners) {
            bridge = listeners.remove(listener);
        }
        if (bridge != null) {
            bridge.active = false;
            NativeBridge.removeConversationListener(manager.id, bridge.id);
        }
    }

    void clearListeners() {
        synchronized (listeners) {
            for (ConversationListenerBridge bridge : listeners.values()) {
                bridge.active = false;
            }
            listeners.clear();
        }
    }

    /**
     * A page of the list, newest activity first: {@code nextSeq} 0 for the first page, then
     * the previous page's {@link V2TIMConversationResult#getNextSeq()} until
     * {@link V2TIMConversationResult#isFinished()}. {@code count} 1 to 100 (6017 otherwise).
     */
    public void getConversationList(long nextSeq, int count,
            V2TIMValueCallback<V2TIMConversationResult> callback) {
        NativeBridge.getConversationList(manager.id, nextSeq, count,
                NativeCallback.value(manager, callback));
    }

    /** One conversation by id ("c2c_&lt;userID&gt;" or "group_&lt;groupID&gt;"). */
    public void getConversation(String conversationID,
            V2TIMValueCallback<V2TIMConversation> callback) {
        NativeBridge.getConversation(manager.id, conversationID,
                NativeCallback.value(manager, callback));
    }

    /** The sum of every conversation's unread count. */
    public void getTotalUnreadMessageCount(V2TIMValueCallback<Long> callback) {
        NativeBridge.getTotalUnreadMessageCount(manager.id,
                NativeCallback.value(manager, callback));
    }

    /**
     * Marks a conversation read on every device of the user: up to the message of seq
     * {@code cleanSequence} when it is not 0, else up to the newest message sent at or before
     * {@code cleanTimestamp} (seconds) when that is not 0, else all of it.
     */
    public void cleanConversationUnreadMessageCount(String conversationID, long cleanTimestamp,
            long cleanSequence, V2TIMCallback callback) {
        NativeBridge.cleanConversationUnreadMessageCount(manager.id, conversationID,
                cleanTimestamp, cleanSequence, NativeCallback.of(manager, callback));
    }
}
