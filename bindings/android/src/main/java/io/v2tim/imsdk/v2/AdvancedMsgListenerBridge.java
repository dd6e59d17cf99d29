package io.v2tim.imsdk.v2;

/** What native code holds for a registered {@link V2TIMAdvancedMsgListener}. */
final class AdvancedMsgListenerBridge {
    private final V2TIMManager manager;
    private final V2TIMAdvancedMsgListener listener;

    AdvancedMsgListenerBridge(V2TIMManager manager, V2TIMAdvancedMsgListener listener) {
        this.manager = manager;
        this.listener = listener;
    }

    /** Called by native code. */
    void onRecvNewMessage(final V2TIMMessage msg) {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                listener.onRecvNewMessage(msg);
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
                try {
                    listener.onRecvMessageRevoked(msgID);
                } finally {
                    listener.onRecvMessageRevoked(msgID, operateUser, reason);
                }
            }
        });
    }
}
