package io.v2tim.imsdk.v2;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.v2tim.imsdk.sample.TestEnv;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * Java message objects release their native message when collected (PhantomReference
 * cleaner): the count of live native handles goes back down after a GC.
 */
public class MessageCleanupTest {
    private static final int N = 5000;

    @Test
    public void droppedMessagesAreReleasedAndHeldOnesStayReadable() throws Exception {
        V2TIMMessageManager mm = TestEnv.alice().messageManager();
        V2TIMMessage held = mm.createTextMessage("held");
        long before = NativeBridge.liveMessageHandles();
        List<V2TIMMessage> garbage = new ArrayList<V2TIMMessage>();
        for (int i = 0; i < N; i++) {
            garbage.add(mm.createTextMessage("garbage " + i));
        }
        assertTrue(NativeBridge.liveMessageHandles() >= before + N);
        assertEquals("garbage 17", garbage.get(17).getTextElem().getText());
        garbage = null;

        long deadline = System.currentTimeMillis() + TestEnv.WAIT_SECONDS * 1000;
        long live = NativeBridge.liveMessageHandles();
        // Slack for handles other code might create meanwhile; the N dropped ones must go.
        long target = before + 100;
        while (live > target && System.currentTimeMillis() < deadline) {
            System.gc();
            Thread.sleep(20);
            live = NativeBridge.liveMessageHandles();
        }
        assertTrue("live handles " + live + " > " + target + " after GC", live <= target);
        assertEquals("held", held.getTextElem().getText());
    }
}
