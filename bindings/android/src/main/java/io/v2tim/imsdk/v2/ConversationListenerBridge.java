package io.v2tim.imsdk.v2;

import java.util.List;

/**
 * What native code holds for a registered {@link V2TIMConversationListener} ({@link #active}:
 * see {@link AdvancedMsgListenerBridge}).
 */
final class ConversationListenerBridge {
    final long id;
    volatile boolean active = true;
    private final V2TIMManager manager;
    private final V2TIMConversationListener listener;

    ConversationListenerBridge(V2TIMManager manager, V2TIMConversationListener listener) {
        this.id = V2TIMManager.nextListenerId();
        this.manager = manager;
        this.listener = listener;
    }

    /** Called by native code. */
    void onNewConversation(final List<V2TIMConversation> list) {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                if (active) {
                    listener.onNewConversation(list);
                }
            }
        });
    }

    /** Called by native code. */
    void onConversationChanged(final List<V2TIMConversation> list) {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                if (active) {
                    listener.onConversationChanged(list);
                }
            }
        });
    }

    /** Called by native code. */
    void onTotalUnreadMessageCountChanged(final long total) {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                if (active) {
                    listener.onTotalUnreadMessageCountChanged(total);
                }
            }
        });
    }
}
