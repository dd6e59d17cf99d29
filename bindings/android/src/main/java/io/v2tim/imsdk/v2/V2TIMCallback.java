package io.v2tim.imsdk.v2;

/**
 * Outcome of a call without a result. Exactly one method is called, once.
 *
 * <p>Threading (differs from V2TIM): callbacks run on the SDK event thread, a native thread
 * attached to the JVM, one at a time and in order — not on the Android main thread as in
 * V2TIM. Post to the main thread yourself (e.g. {@code runOnUiThread}), or set
 * {@link V2TIMSDKConfig#setCallbackExecutor} to have the SDK do it.
 */
public interface V2TIMCallback {
    void onSuccess();

    void onError(int code, String desc);
}
