package io.v2tim.imsdk.v2;

import java.util.List;

/**
 * Conversation list events ({@link V2TIMConversationManager#addConversationListener}),
 * reported from the end of the first read of the list after login on
 * ({@code getConversationList} answers that read). Every method has an empty default body.
 */
public abstract class V2TIMConversationListener {
    /** Not called by v2tim: the list is read after every login and reconnection. */
    public void onSyncServerStart() {}

    /** Not called by v2tim (see {@link #onSyncServerStart()}). */
    public void onSyncServerFinish() {}

    /** Not called by v2tim (see {@link #onSyncServerStart()}). */
    public void onSyncServerFailed() {}

    /** Conversations the list did not hold before. */
    public void onNewConversation(List<V2TIMConversation> conversationList) {}

    /**
     * Conversations whose last message (or its recall), unread count, order or name changed:
     * each once per change.
     */
    public void onConversationChanged(List<V2TIMConversation> conversationList) {}

    /** The sum of every conversation's unread count changed. */
    public void onTotalUnreadMessageCountChanged(long totalUnreadCount) {}
}
