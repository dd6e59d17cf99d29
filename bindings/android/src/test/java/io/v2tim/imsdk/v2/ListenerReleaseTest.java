package io.v2tim.imsdk.v2;

import static org.junit.Assert.assertEquals;

import io.v2tim.imsdk.sample.TestEnv;
import org.junit.Test;

/**
 * Native code lets go of a listener (deletes its JNI global reference) when it is removed,
 * and of every listener of a manager when that manager is uninitialized or destroyed.
 */
public class ListenerReleaseTest {
    private static void awaitLiveListeners(long expected) throws InterruptedException {
        // A removal during an event of the listener releases it right after that event.
        long deadline = System.currentTimeMillis() + TestEnv.WAIT_SECONDS * 1000;
        while (NativeBridge.liveListenerRefs() != expected
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, NativeBridge.liveListenerRefs());
    }

    @Test
    public void removeReleasesTheListener() throws Exception {
        V2TIMManager bob = TestEnv.bob();
        long before = NativeBridge.liveListenerRefs();
        V2TIMAdvancedMsgListener l = new V2TIMAdvancedMsgListener() {};
        V2TIMSDKListener s = new V2TIMSDKListener() {};
        bob.messageManager().addAdvancedMsgListener(l);
        bob.messageManager().addAdvancedMsgListener(l);
        bob.addIMSDKListener(s);
        assertEquals(before + 2, NativeBridge.liveListenerRefs());
        bob.messageManager().removeAdvancedMsgListener(l);
        bob.removeIMSDKListener(s);
        awaitLiveListeners(before);
    }

    @Test
    public void unInitAndDestroyReleaseEveryListener() throws Exception {
        long before = NativeBridge.liveListenerRefs();
        V2TIMManager m = TestEnv.loggedIn("dave");
        m.messageManager().addAdvancedMsgListener(new V2TIMAdvancedMsgListener() {});
        m.messageManager().addAdvancedMsgListener(new V2TIMAdvancedMsgListener() {});
        m.addIMSDKListener(new V2TIMSDKListener() {});
        assertEquals(before + 3, NativeBridge.liveListenerRefs());
        m.unInitSDK();
        awaitLiveListeners(before);
        assertEquals(V2TIMManager.V2TIM_STATUS_LOGOUT, m.getLoginStatus());

        m.addIMSDKListener(new V2TIMSDKListener() {});
        assertEquals(before + 1, NativeBridge.liveListenerRefs());
        m.destroy();
        awaitLiveListeners(before);
    }
}
