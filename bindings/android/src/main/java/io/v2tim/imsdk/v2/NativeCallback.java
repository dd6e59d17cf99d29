package io.v2tim.imsdk.v2;

import java.util.List;

/**
 * The one callback shape native code calls: {@code onSuccess(Object)} or
 * {@code onError(int, String)}, exactly once, on the SDK event thread. Subclasses adapt it to
 * the public callbacks; {@link V2TIMManager#dispatch} hops to the configured executor.
 */
abstract class NativeCallback {
    private final V2TIMManager manager;

    NativeCallback(V2TIMManager manager) {
        this.manager = manager;
    }

    /** Called by native code. */
    final void onSuccess(final Object value) {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                success(value);
            }
        });
    }

    /** Called by native code. */
    final void onError(final int code, final String desc) {
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                error(code, desc);
            }
        });
    }

    abstract void success(Object value);

    abstract void error(int code, String desc);

    static NativeCallback of(V2TIMManager manager, final V2TIMCallback cb) {
        if (cb == null) {
            return null;
        }
        return new NativeCallback(manager) {
            @Override
            void success(Object value) {
                cb.onSuccess();
            }

            @Override
            void error(int code, String desc) {
                cb.onError(code, desc);
            }
        };
    }

    @SuppressWarnings("unchecked")
    static <T> NativeCallback value(V2TIMManager manager, final V2TIMValueCallback<T> cb) {
        if (cb == null) {
            return null;
        }
        return new NativeCallback(manager) {
            @Override
            void success(Object value) {
                cb.onSuccess((T) value);
            }

            @Override
            void error(int code, String desc) {
                cb.onError(code, desc);
            }
        };
    }

    static NativeCallback messages(V2TIMManager manager,
            V2TIMValueCallback<List<V2TIMMessage>> cb) {
        return value(manager, cb);
    }
}
