package io.v2tim.imsdk.v2;

/** Outcome of a call with a result. Threading as {@link V2TIMCallback}. */
public interface V2TIMValueCallback<T> {
    void onSuccess(T t);

    void onError(int code, String desc);
}
