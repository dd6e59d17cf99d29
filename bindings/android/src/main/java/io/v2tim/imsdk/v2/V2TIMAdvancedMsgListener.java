package io.v2tim.imsdk.v2;

/**
 * Message events. Override what you need; every method is empty here.
 *
 * <p>A recall calls both {@link #onRecvMessageRevoked(String)} and then
 * {@link #onRecvMessageRevoked(String, V2TIMUserFullInfo, String)} on each listener, for the
 * same event, as V2TIM (7.4 and later) does; override one of them (the three-argument form
 * carries who recalled and why). The recalling device itself is not told of its own recall
 * (its {@code revokeMessage} callback is); the user's other devices are.
 *
 * <p>Events run on the SDK event thread (see {@link V2TIMCallback} about threading). After
 * {@link V2TIMMessageManager#removeAdvancedMsgListener} returns, the listener is not called
 * again.
 */
public abstract class V2TIMAdvancedMsgListener {
    /** A message arrived (also one the user sent from another device). */
    public void onRecvNewMessage(V2TIMMessage msg) {}

    /**
     * A message was recalled.
     *
     * @deprecated as in V2TIM: use {@link #onRecvMessageRevoked(String, V2TIMUserFullInfo,
     *     String)}; both are called for each recall.
     */
    @Deprecated
    public void onRecvMessageRevoked(String msgID) {}

    /**
     * A message was recalled by {@code operateUser} (only its user ID is filled in), with
     * {@code reason} ("" when none was given).
     */
    public void onRecvMessageRevoked(String msgID, V2TIMUserFullInfo operateUser, String reason) {}

    /** Not called by v2tim (messages cannot be modified); present so V2TIM code compiles. */
    public void onRecvMessageModified(V2TIMMessage msg) {}
}
