package io.v2tim.imsdk.sample;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.v2tim.imsdk.v2.V2TIMAdvancedMsgListener;
import io.v2tim.imsdk.v2.V2TIMCallback;
import io.v2tim.imsdk.v2.V2TIMManager;
import io.v2tim.imsdk.v2.V2TIMMessage;
import io.v2tim.imsdk.v2.V2TIMUserFullInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;

/**
 * The Android samples of Tencent Cloud Chat's "Recall a Message" guide (seeds 002 and 003),
 * as an app would port them: only the imports changed ({@code com.tencent.imsdk.v2} to
 * {@code io.v2tim.imsdk.v2}). What the samples leave as comments is filled in with
 * recording for the assertions.
 */
public class SeedRecallSampleTest {
    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue("timed out waiting for " + what, latch.await(TestEnv.WAIT_SECONDS, TimeUnit.SECONDS));
    }

    /** "Recalling a Message (by the Sender)": alice, on getInstance(), recalls; bob is told. */
    @Test
    public void theSenderRecallsWithTheSampleCode() throws Exception {
        TestEnv.alice();
        V2TIMManager bob = TestEnv.bob();
        // bob's chat screen and listener (the receiver's sample, on bob's own instance).
        final List<V2TIMMessage> msgList = Collections.synchronizedList(new ArrayList<V2TIMMessage>());
        final CountDownLatch received = new CountDownLatch(1);
        final CountDownLatch bubbleChanged = new CountDownLatch(1);
        final AtomicReference<V2TIMMessage> recalledBubble = new AtomicReference<V2TIMMessage>();
        final AtomicReference<V2TIMUserFullInfo> operator = new AtomicReference<V2TIMUserFullInfo>();
        final AtomicReference<String> why = new AtomicReference<String>();
        V2TIMAdvancedMsgListener bobsListener = new V2TIMAdvancedMsgListener() {
            @Override
            public void onRecvNewMessage(V2TIMMessage msg) {
                msgList.add(msg);
                received.countDown();
            }

            @Override
            public void onRecvMessageRevoked(String msgID, V2TIMUserFullInfo operateUser, String reason) {
                for (V2TIMMessage msg : msgList) {
                    if (msg.getMsgID().equals(msgID)) {
                        // You need to change the bubble status for the message on the UI after receiving the message recall notification.
                        recalledBubble.set(msg);
                        operator.set(operateUser);
                        why.set(reason);
                        bubbleChanged.countDown();
                    }
                }
            }
        };
        bob.messageManager().addAdvancedMsgListener(bobsListener);

        V2TIMMessage v2TIMMessage = TestEnv.sendText(TestEnv.alice(), "bob", null, "seed 003: recall me");
        await(received, "bob receives the message");
        assertEquals("seed 003: recall me", msgList.get(0).getTextElem().getText());

        final CountDownLatch done = new CountDownLatch(1);
        final AtomicInteger failed = new AtomicInteger(-1);
        // ---- seed 003, Android, verbatim ----
        V2TIMManager.getMessageManager().revokeMessage(v2TIMMessage, new V2TIMCallback() {
            @Override
            public void onError(int code, String desc) {
                // The message failed to be recalled
                failed.set(code);
                done.countDown();
            }
            @Override
            public void onSuccess() {
                // Message recalled successfully
                failed.set(0);
                done.countDown();
            }
        });
        // ----
        await(done, "the revokeMessage callback");
        assertEquals("revokeMessage succeeds", 0, failed.get());

        await(bubbleChanged, "bob's onRecvMessageRevoked");
        V2TIMMessage bubble = recalledBubble.get();
        assertEquals(v2TIMMessage.getMsgID(), bubble.getMsgID());
        assertEquals("alice", operator.get().getUserID());
        assertEquals("the seed's revokeMessage has no reason", "", why.get());
        // The message objects both sides hold turned to the recalled form.
        for (V2TIMMessage m : new V2TIMMessage[] {bubble, v2TIMMessage}) {
            assertEquals(V2TIMMessage.V2TIM_MSG_STATUS_LOCAL_REVOKED, m.getStatus());
            assertEquals("alice", m.getRevokerInfo().getUserID());
            assertEquals("", m.getRevokeReason());
            assertNull("content erased", m.getTextElem());
        }
        bob.messageManager().removeAdvancedMsgListener(bobsListener);
    }

    /**
     * "Noticing a Message Recall (by the Receiver)", current form (seed 002's 7.4+ version):
     * the listener on getInstance() (alice) learns of carol's recall, with the reason given
     * through v2tim's revokeMessage(msg, reason, callback).
     */
    @Test
    public void theReceiverIsToldWithTheSampleListener() throws Exception {
        TestEnv.alice();
        V2TIMManager carol = TestEnv.carol();
        final List<V2TIMMessage> msgList = Collections.synchronizedList(new ArrayList<V2TIMMessage>());
        final CountDownLatch received = new CountDownLatch(1);
        final List<String[]> changed = Collections.synchronizedList(new ArrayList<String[]>());
        final CountDownLatch bubbleChanged = new CountDownLatch(1);
        // ---- seed 002, Android (7.4 and later), verbatim but for the recording ----
        V2TIMManager.getMessageManager().addAdvancedMsgListener(new V2TIMAdvancedMsgListener() {
            @Override
            public void onRecvNewMessage(V2TIMMessage msg) {
                // (`msgList` is the message list on the current chat interface)
                msgList.add(msg);
                received.countDown();
            }
            @Override
            public void onRecvMessageRevoked(String msgID, V2TIMUserFullInfo operateUser, String reason) {
                for (V2TIMMessage msg : msgList) {
                    if (msg.getMsgID().equals(msgID)) {
                        // You need to change the bubble status for the message on the UI after receiving the message recall notification.
                        changed.add(new String[] {msgID, operateUser.getUserID(), reason,
                                String.valueOf(msg.getStatus())});
                        bubbleChanged.countDown();
                    }
                }
            }
        });
        // ----
        V2TIMMessage sent = TestEnv.sendText(carol, "alice", null, "seed 002: typo");
        await(received, "alice receives carol's message");
        TestEnv.revoke(carol, sent, "typo");
        await(bubbleChanged, "alice's onRecvMessageRevoked");
        String[] c = changed.get(0);
        assertEquals(sent.getMsgID(), c[0]);
        assertEquals("carol", c[1]);
        assertEquals("typo", c[2]);
        assertEquals(String.valueOf(V2TIMMessage.V2TIM_MSG_STATUS_LOCAL_REVOKED), c[3]);
    }

    /**
     * Seed 003's receiver sample (the deprecated one-argument form). As in V2TIM, a recall
     * calls the one-argument form and then the three-argument form of the same listener.
     */
    @Test
    @SuppressWarnings("deprecation")
    public void theDeprecatedOneArgumentFormIsCalledToo() throws Exception {
        TestEnv.alice();
        V2TIMManager carol = TestEnv.carol();
        final List<V2TIMMessage> msgList = Collections.synchronizedList(new ArrayList<V2TIMMessage>());
        final CountDownLatch received = new CountDownLatch(1);
        final CountDownLatch bubbleChanged = new CountDownLatch(1);
        final AtomicReference<String> seen = new AtomicReference<String>();
        // ---- seed 003, Android, verbatim but for the recording ----
        V2TIMManager.getMessageManager().addAdvancedMsgListener(new V2TIMAdvancedMsgListener() {
            @Override
            public void onRecvNewMessage(V2TIMMessage msg) {
                msgList.add(msg);
                received.countDown();
            }
            @Override
            public void onRecvMessageRevoked(String msgID) {
                // `msgList` is the message list on the current chat interface
                for (V2TIMMessage msg : msgList) {
                    if (msg.getMsgID().equals(msgID)) {
                        // `msg` is the recalled message. You need to change the corresponding message bubble state on the UI.
                        seen.set(msgID);
                        bubbleChanged.countDown();
                    }
                }
            }
        });
        // ----
        // A listener overriding both forms sees the order.
        final List<String> order = Collections.synchronizedList(new ArrayList<String>());
        final CountDownLatch both = new CountDownLatch(2);
        V2TIMAdvancedMsgListener twoForms = new V2TIMAdvancedMsgListener() {
            @Override
            public void onRecvMessageRevoked(String msgID) {
                order.add("1:" + msgID);
                both.countDown();
            }

            @Override
            public void onRecvMessageRevoked(String msgID, V2TIMUserFullInfo operateUser, String reason) {
                order.add("3:" + msgID + ":" + operateUser.getUserID());
                both.countDown();
            }
        };
        V2TIMManager.getMessageManager().addAdvancedMsgListener(twoForms);

        V2TIMMessage sent = TestEnv.sendText(carol, "alice", null, "seed 003: old listener");
        await(received, "alice receives carol's message");
        TestEnv.revoke(carol, sent, null);
        await(bubbleChanged, "the one-argument onRecvMessageRevoked");
        assertEquals(sent.getMsgID(), seen.get());
        await(both, "both forms");
        assertEquals("1:" + sent.getMsgID(), order.get(0));
        assertEquals("3:" + sent.getMsgID() + ":carol", order.get(1));
        V2TIMManager.getMessageManager().removeAdvancedMsgListener(twoForms);
    }
}
