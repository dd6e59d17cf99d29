package io.v2tim.imsdk.v2;

/**
 * What native code holds for a registered {@link V2TIMSDKListener} ({@link #active}: see
 * {@link AdvancedMsgListenerBridge}).
 */
final class SDKListenerBridge {
    final long id;
    volatile boolean active = true;
    private final V2TIMManager manager;
    private final V2TIMSDKListener listener;

    SDKListenerBridge(V2TIMManager manager, V2TIMSDKListener listener) {
        this.id = V2TIMManager.nextListenerId();
        this.manager = manager;
        this.listener = listener;
    }

    void onConnecting() {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                if (active) {
                    listener.onConnecting();
                }
            }
        });
    }

    void onConnectSuccess() {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                if (active) {
                    listener.onConnectSuccess();
                }
            }
        });
    }

    void onConnectFailed(final int code, final String error) {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                if (active) {
                    listener.onConnectFailed(code, error);
                }
            }
        });
    }

    void onKickedOffline() {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                if (active) {
                    listener.onKickedOffline();
                }
            }
        });
    }

    void onUserSigExpired() {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                if (active) {
                    listener.onUserSigExpired();
                }
            }
        });
    }

    void onSelfInfoUpdated(final V2TIMUserFullInfo info) {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                if (active) {
                    listener.onSelfInfoUpdated(info);
                }
            }
        });
    }
}
