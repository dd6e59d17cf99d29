package io.v2tim.imsdk.v2;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Releases the native message a {@link V2TIMMessage} owns once the Java object is
 * unreachable: a {@link PhantomReference} per message on a {@link ReferenceQueue} that one
 * daemon thread ({@code v2tim-cleaner}) drains. Works on every Android API level
 * ({@code java.lang.ref.Cleaner} needs API 33; {@code finalize()} is deprecated).
 */
final class HandleCleaner {
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<Object>();
    /** Keeps the phantom references themselves reachable until they are processed. */
    private static final Set<Ref> REFS =
            Collections.newSetFromMap(new ConcurrentHashMap<Ref, Boolean>());

    private static final class Ref extends PhantomReference<Object> {
        final long handle;

        Ref(Object owner, long handle) {
            super(owner, QUEUE);
            this.handle = handle;
        }
    }

    static {
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                drain();
            }
        }, "v2tim-cleaner");
        t.setDaemon(true);
        t.start();
    }

    private HandleCleaner() {}

    static void register(Object owner, long handle) {
        if (handle != 0) {
            REFS.add(new Ref(owner, handle));
        }
    }

    private static void drain() {
        while (true) {
            try {
                Ref r = (Ref) QUEUE.remove();
                REFS.remove(r);
                NativeBridge.messageRelease(r.handle);
            } catch (InterruptedException e) {
                // Keep draining: the thread lives as long as the process.
            } catch (Throwable t) {
                System.err.println("v2tim-cleaner: " + t);
            }
        }
    }
}
