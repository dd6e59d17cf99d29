package io.v2tim.imsdk.v2;

/** Connection and session events. Threading as {@link V2TIMCallback}. */
public abstract class V2TIMSDKListener {
    public void onConnecting() {}

    public void onConnectSuccess() {}

    public void onConnectFailed(int code, String error) {}

    /** Signed out by the server (the account logged in elsewhere). */
    public void onKickedOffline() {}

    /** The UserSig expired while logged in: log in again with a new one. */
    public void onUserSigExpired() {}

    /** The logged-in user's profile changed (by this device or another): all of it. */
    public void onSelfInfoUpdated(V2TIMUserFullInfo info) {}
}
