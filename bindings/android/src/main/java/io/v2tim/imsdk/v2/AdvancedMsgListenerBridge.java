package io.v2tim.imsdk.v2;

/**
 * What native code holds for a registered {@link V2TIMAdvancedMsgListener}. With a callback
 * executor, an event may still sit in the executor's queue when the listener is removed;
 * {@link #active} makes such an event skip the listener, so that nothing is delivered after
 * {@code removeAdvancedMsgListener} returns (in the executor's order).
 */
final class AdvancedMsgListenerBridge {
    final long id;
    volatile boolean active = true;
    private final V2TIMManager manager;
    private final V2TIMAdvancedMsgListener listener;

    AdvancedMsgListenerBridge(V2TIMManager manager, V2TIMAdvancedMsgListener listener) {
        this.id = V2TIMManager.nextListenerId();
        this.manager = manager;
        this.listener = listener;
    }

    /** Called by native code. */
    void onRecvNewMessage(final V2TIMMessage msg) {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                if (active) {
                    listener.onRecvNewMessage(msg);
                }
            }
        });
    }

    /** Called by native code: both forms, deprecated first, as V2TIM does. */
    @SuppressWarnings("deprecation")
    void onRecvMessageRevoked(final String msgID, final V2TIMUserFullInfo operateUser,
            final String reason) {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                if (!active) {
                    return;
                }
                try {
                    listener.onRecvMessageRevoked(msgID);
                } finally {
                    if (active) {
                        listener.onRecvMessageRevoked(msgID, operateUser, reason);
                    }
                }
            }
        });
    }
}
