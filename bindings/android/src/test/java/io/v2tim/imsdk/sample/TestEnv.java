package io.v2tim.imsdk.sample;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.v2tim.imsdk.v2.V2TIMAdvancedMsgListener;
import io.v2tim.imsdk.v2.V2TIMCallback;
import io.v2tim.imsdk.v2.V2TIMManager;
import io.v2tim.imsdk.v2.V2TIMMessage;
import io.v2tim.imsdk.v2.V2TIMSDKConfig;
import io.v2tim.imsdk.v2.V2TIMSendCallback;
import io.v2tim.imsdk.v2.V2TIMUserFullInfo;
import io.v2tim.imsdk.v2.V2TIMValueCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The server and users the Rust test (tests/java.rs) set up, passed as system properties:
 * {@code v2tim.url}, {@code v2tim.app}, {@code v2tim.sig.<user>}. Users: alice on
 * {@link V2TIMManager#getInstance()}, the others on {@link V2TIMManager#createInstance()}.
 */
public final class TestEnv {
    public static final long WAIT_SECONDS = 10;

    private static V2TIMManager bob;
    private static V2TIMManager carol;

    private TestEnv() {}

    public static String url() {
        String url = System.getProperty("v2tim.url");
        if (url == null) {
            throw new IllegalStateException("run through `cargo test --features jni --test java`");
        }
        return url;
    }

    public static int app() {
        return Integer.parseInt(System.getProperty("v2tim.app"));
    }

    public static String sig(String user) {
        return System.getProperty("v2tim.sig." + user);
    }

    public static V2TIMSDKConfig config() {
        V2TIMSDKConfig config = new V2TIMSDKConfig();
        config.setServerURL(url());
        return config;
    }

    /** The process-wide instance, logged in as alice. */
    public static synchronized V2TIMManager alice() {
        V2TIMManager m = V2TIMManager.getInstance();
        if (!"alice".equals(m.getLoginUser())) {
            assertTrue(m.initSDK(null, app(), config()));
            login(m, "alice");
        }
        return m;
    }

    public static synchronized V2TIMManager bob() {
        if (bob == null) {
            bob = loggedIn("bob");
        }
        return bob;
    }

    public static synchronized V2TIMManager carol() {
        if (carol == null) {
            carol = loggedIn("carol");
        }
        return carol;
    }

    /** A new instance logged in as {@code user}. */
    public static V2TIMManager loggedIn(String user) {
        V2TIMManager m = V2TIMManager.createInstance();
        assertTrue(m.initSDK(app(), config()));
        login(m, user);
        return m;
    }

    public static void login(V2TIMManager m, String user) {
        Outcome<Void> r = new Outcome<Void>();
        m.login(user, sig(user), r);
        r.ok();
        assertEquals(user, m.getLoginUser());
        assertEquals(V2TIMManager.V2TIM_STATUS_LOGINED, m.getLoginStatus());
    }

    public static V2TIMMessage sendText(V2TIMManager m, String to, String group, String text) {
        V2TIMMessage msg = m.messageManager().createTextMessage(text);
        Outcome<V2TIMMessage> r = new Outcome<V2TIMMessage>();
        String id = m.messageManager().sendMessage(msg, to, group,
                V2TIMMessage.V2TIM_PRIORITY_DEFAULT, false, null, r);
        assertEquals(msg.getMsgID(), id);
        assertTrue(r.ok() == msg);
        return msg;
    }

    public static void revoke(V2TIMManager m, V2TIMMessage msg, String reason) {
        Outcome<Void> r = new Outcome<Void>();
        m.messageManager().revokeMessage(msg, reason, r);
        r.ok();
    }

    /** Any callback shape; records its one outcome and the thread it arrived on. */
    public static final class Outcome<T>
            implements V2TIMCallback, V2TIMValueCallback<T>, V2TIMSendCallback<T> {
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile boolean success;
        private volatile T value;
        private volatile int code;
        private volatile String desc;
        public volatile Thread thread;
        private volatile int calls;

        @Override
        public void onSuccess() {
            onSuccess(null);
        }

        @Override
        public void onSuccess(T t) {
            value = t;
            success = true;
            finish();
        }

        @Override
        public void onError(int code, String desc) {
            this.code = code;
            this.desc = desc;
            finish();
        }

        @Override
        public void onProgress(int progress) {}

        private void finish() {
            calls++;
            thread = Thread.currentThread();
            done.countDown();
        }

        public Outcome<T> await() {
            try {
                assertTrue("no callback within " + WAIT_SECONDS + " s",
                        done.await(WAIT_SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return this;
        }

        public T ok() {
            await();
            if (!success) {
                fail("onError(" + code + ", " + desc + ")");
            }
            return value;
        }

        /** The error code (fails if the call succeeded); the description must be readable. */
        public int error() {
            await();
            assertFalse("expected onError, got onSuccess", success);
            assertTrue("empty error description", desc != null && !desc.isEmpty());
            return code;
        }

        public int calls() {
            return calls;
        }
    }

    /** A listener recording everything, with waits. */
    public static class Inbox extends V2TIMAdvancedMsgListener {
        public final List<V2TIMMessage> messages = new ArrayList<V2TIMMessage>();
        public final List<String[]> recalls = new ArrayList<String[]>();

        @Override
        public synchronized void onRecvNewMessage(V2TIMMessage msg) {
            messages.add(msg);
            notifyAll();
        }

        @Override
        public synchronized void onRecvMessageRevoked(String msgID, V2TIMUserFullInfo operateUser,
                String reason) {
            recalls.add(new String[] {msgID, operateUser.getUserID(), reason});
            notifyAll();
        }

        public synchronized V2TIMMessage waitForMessage(String msgID) {
            long deadline = System.currentTimeMillis() + WAIT_SECONDS * 1000;
            while (true) {
                for (V2TIMMessage m : messages) {
                    if (m.getMsgID().equals(msgID)) {
                        return m;
                    }
                }
                waitUntil(deadline, "message " + msgID);
            }
        }

        /** {msgID, operator, reason} of the recall of {@code msgID}. */
        public synchronized String[] waitForRecall(String msgID) {
            long deadline = System.currentTimeMillis() + WAIT_SECONDS * 1000;
            while (true) {
                for (String[] r : recalls) {
                    if (r[0].equals(msgID)) {
                        return r;
                    }
                }
                waitUntil(deadline, "recall of " + msgID);
            }
        }

        private void waitUntil(long deadline, String what) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                fail("timed out waiting for " + what);
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
