package io.v2tim.imsdk.v2;

/**
 * Outcome of {@link V2TIMMessageManager#sendMessage}. {@link #onProgress} is reserved for
 * media messages and is not called for text or custom messages.
 */
public interface V2TIMSendCallback<T> extends V2TIMValueCallback<T> {
    void onProgress(int progress);
}
