package io.v2tim.imsdk.v2;

/** What native code holds for a registered {@link V2TIMSDKListener}. */
final class SDKListenerBridge {
    private final V2TIMManager manager;
    private final V2TIMSDKListener listener;

    SDKListenerBridge(V2TIMManager manager, V2TIMSDKListener listener) {
        this.manager = manager;
        this.listener = listener;
    }

    void onConnecting() {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                listener.onConnecting();
            }
        });
    }

    void onConnectSuccess() {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                listener.onConnectSuccess();
            }
        });
    }

    void onConnectFailed(final int code, final String error) {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                listener.onConnectFailed(code, error);
            }
        });
    }

    void onKickedOffline() {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                listener.onKickedOffline();
            }
        });
    }

    void onUserSigExpired() {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                listener.onUserSigExpired();
            }
        });
    }
}
