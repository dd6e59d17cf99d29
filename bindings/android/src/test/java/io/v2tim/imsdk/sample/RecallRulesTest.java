package io.v2tim.imsdk.sample;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.v2tim.imsdk.BaseConstants;
import io.v2tim.imsdk.v2.V2TIMAdvancedMsgListener;
import io.v2tim.imsdk.v2.V2TIMGroupMemberFullInfo;
import io.v2tim.imsdk.v2.V2TIMGroupMemberOperationResult;
import io.v2tim.imsdk.v2.V2TIMManager;
import io.v2tim.imsdk.v2.V2TIMMessage;
import io.v2tim.imsdk.v2.V2TIMMessageListGetOption;
import io.v2tim.imsdk.v2.V2TIMMessageManager;
import io.v2tim.imsdk.v2.V2TIMOfflinePushInfo;
import io.v2tim.imsdk.v2.V2TIMSDKConfig;
import io.v2tim.imsdk.v2.V2TIMUserFullInfo;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.junit.Test;

/** Recall rules, history, errors and listener lifetime, through the Java API. */
public class RecallRulesTest {
    private static V2TIMMessage find(List<V2TIMMessage> page, String msgID) {
        for (V2TIMMessage m : page) {
            if (m.getMsgID().equals(msgID)) {
                return m;
            }
        }
        throw new AssertionError(msgID + " not in the history page");
    }

    private static void assertRecalled(V2TIMMessage m, String by, String reason) {
        assertEquals(V2TIMMessage.V2TIM_MSG_STATUS_LOCAL_REVOKED, m.getStatus());
        assertEquals(by, m.getRevokerInfo().getUserID());
        assertEquals(reason, m.getRevokeReason());
        assertEquals(V2TIMMessage.V2TIM_ELEM_TYPE_NONE, m.getElemType());
        assertNull("content erased", m.getTextElem());
        assertNull(m.getCustomElem());
    }

    @Test
    public void historyShowsTheRecalledMessageWithRevokerReasonAndNoContent() {
        V2TIMManager alice = TestEnv.alice();
        V2TIMManager bob = TestEnv.bob();
        V2TIMMessage kept = TestEnv.sendText(alice, "bob", null, "stays");
        V2TIMMessage gone = TestEnv.sendText(alice, "bob", null, "secret");
        TestEnv.revoke(alice, gone, "oops");
        assertRecalled(gone, "alice", "oops");

        TestEnv.Outcome<List<V2TIMMessage>> page = new TestEnv.Outcome<List<V2TIMMessage>>();
        bob.messageManager().getC2CHistoryMessageList("alice", 20, null, page);
        List<V2TIMMessage> msgs = page.ok();
        V2TIMMessage h = find(msgs, gone.getMsgID());
        assertRecalled(h, "alice", "oops");
        assertEquals("alice", h.getSender());
        assertEquals("alice", h.getUserID());
        assertNull(h.getGroupID());
        assertTrue(!h.isSelf());
        assertTrue(h.getSeq() > 0 && h.getTimestamp() > 0);
        V2TIMMessage k = find(msgs, kept.getMsgID());
        assertEquals(V2TIMMessage.V2TIM_MSG_STATUS_SEND_SUCC, k.getStatus());
        assertEquals("stays", k.getTextElem().getText());
        assertNull(k.getRevokerInfo());
        assertNull(k.getRevokeReason());
        assertTrue("newest first", msgs.indexOf(h) < msgs.indexOf(k));

        // The option form, paging with lastMsg.
        V2TIMMessageListGetOption option = new V2TIMMessageListGetOption();
        option.setGetType(V2TIMMessageListGetOption.V2TIM_GET_CLOUD_OLDER_MSG);
        option.setUserID("bob");
        option.setCount(1);
        option.setLastMsg(gone);
        TestEnv.Outcome<List<V2TIMMessage>> older = new TestEnv.Outcome<List<V2TIMMessage>>();
        alice.messageManager().getHistoryMessageList(option, older);
        List<V2TIMMessage> one = older.ok();
        assertEquals(1, one.size());
        assertEquals(kept.getMsgID(), one.get(0).getMsgID());
        assertTrue(one.get(0).isSelf());

        // Newer pulls: oldest first after lastMsg.
        V2TIMMessageListGetOption newer = new V2TIMMessageListGetOption();
        newer.setGetType(V2TIMMessageListGetOption.V2TIM_GET_CLOUD_NEWER_MSG);
        newer.setUserID("bob");
        newer.setCount(1);
        newer.setLastMsg(one.get(0));
        TestEnv.Outcome<List<V2TIMMessage>> after = new TestEnv.Outcome<List<V2TIMMessage>>();
        alice.messageManager().getHistoryMessageList(newer, after);
        assertEquals(gone.getMsgID(), after.ok().get(0).getMsgID());
        // A time range long before the conversation: nothing (not everything).
        option.setLastMsg(null);
        option.setGetTimeBegin(1_000_000_000L);
        option.setGetTimePeriod(3600);
        TestEnv.Outcome<List<V2TIMMessage>> byTime = new TestEnv.Outcome<List<V2TIMMessage>>();
        alice.messageManager().getHistoryMessageList(option, byTime);
        assertTrue(byTime.ok().isEmpty());
        option.setGetTimeBegin(0);
        option.setGetTimePeriod(0);
        // A type filter: text messages only, the recalled one included (it keeps its type).
        option.setCount(100);
        option.setMessageTypeList(java.util.Arrays.asList(V2TIMMessage.V2TIM_ELEM_TYPE_TEXT));
        TestEnv.Outcome<List<V2TIMMessage>> byType = new TestEnv.Outcome<List<V2TIMMessage>>();
        alice.messageManager().getHistoryMessageList(option, byType);
        List<V2TIMMessage> texts = byType.ok();
        assertRecalled(find(texts, gone.getMsgID()), "alice", "oops");
        assertEquals("stays", find(texts, kept.getMsgID()).getTextElem().getText());
        for (V2TIMMessage t : texts) {
            assertTrue(t.getStatus() == V2TIMMessage.V2TIM_MSG_STATUS_LOCAL_REVOKED
                    || t.getElemType() == V2TIMMessage.V2TIM_ELEM_TYPE_TEXT);
        }
        // What is refused fails with 6017 naming the reason, never silently ignored.
        option.setMessageTypeList(java.util.Arrays.asList(99));
        TestEnv.Outcome<List<V2TIMMessage>> badType = new TestEnv.Outcome<List<V2TIMMessage>>();
        alice.messageManager().getHistoryMessageList(option, badType);
        assertEquals(6017, badType.error());
        option.setMessageTypeList(null);
        option.setLastMsgSeq(3);
        TestEnv.Outcome<List<V2TIMMessage>> bySeq = new TestEnv.Outcome<List<V2TIMMessage>>();
        alice.messageManager().getHistoryMessageList(option, bySeq);
        assertEquals(6017, bySeq.error());
    }

    @Test
    public void groupRecallsByTheAdminAndTheOwnerAfterSetGroupMemberRole() {
        V2TIMManager alice = TestEnv.alice();
        V2TIMManager bob = TestEnv.bob();
        V2TIMManager carol = TestEnv.carol();
        TestEnv.Outcome<String> created = new TestEnv.Outcome<String>();
        alice.createGroup(V2TIMManager.GROUP_TYPE_PUBLIC, "java-" + System.nanoTime(), "java group",
                created);
        String gid = created.ok();
        for (V2TIMManager m : new V2TIMManager[] {bob, carol}) {
            TestEnv.Outcome<Void> joined = new TestEnv.Outcome<Void>();
            m.joinGroup(gid, "hi", joined);
            joined.ok();
        }
        TestEnv.Outcome<Void> promoted = new TestEnv.Outcome<Void>();
        V2TIMManager.getGroupManager().setGroupMemberRole(gid, "bob",
                V2TIMGroupMemberFullInfo.V2TIM_GROUP_MEMBER_ROLE_ADMIN, promoted);
        promoted.ok();
        TestEnv.Inbox carolsInbox = new TestEnv.Inbox();
        carol.messageManager().addAdvancedMsgListener(carolsInbox);
        TestEnv.Inbox bobsInbox = new TestEnv.Inbox();
        bob.messageManager().addAdvancedMsgListener(bobsInbox);

        // The admin recalls an ordinary member's message, holding bob's own copy of it.
        V2TIMMessage spam = TestEnv.sendText(carol, null, gid, "buy my stuff");
        V2TIMMessage bobsCopy = bobsInbox.waitForMessage(spam.getMsgID());
        assertEquals(gid, bobsCopy.getGroupID());
        assertNull(bobsCopy.getUserID());
        TestEnv.revoke(bob, bobsCopy, "spam");
        assertArrayEquals(new String[] {spam.getMsgID(), "bob", "spam"},
                carolsInbox.waitForRecall(spam.getMsgID()));
        assertRecalled(spam, "bob", "spam");

        // The owner recalls the admin's message, holding her own copy of it.
        TestEnv.Inbox alicesInbox = new TestEnv.Inbox();
        alice.messageManager().addAdvancedMsgListener(alicesInbox);
        V2TIMMessage admins = TestEnv.sendText(bob, "", gid, "admin talk");
        V2TIMMessage alicesCopy = alicesInbox.waitForMessage(admins.getMsgID());
        TestEnv.Outcome<Void> byOwner = new TestEnv.Outcome<Void>();
        V2TIMManager.getMessageManager().revokeMessage(alicesCopy, byOwner);
        byOwner.ok();
        assertRecalled(alicesCopy, "alice", "");
        assertArrayEquals(new String[] {admins.getMsgID(), "alice", ""},
                carolsInbox.waitForRecall(admins.getMsgID()));
        // The sender's device is told too; its own object then shows the recall.
        bobsInbox.waitForRecall(admins.getMsgID());
        assertRecalled(admins, "alice", "");
        alice.messageManager().removeAdvancedMsgListener(alicesInbox);

        // A plain member may not recall the owner's message.
        V2TIMMessage owners = TestEnv.sendText(alice, null, gid, "owner's");
        V2TIMMessage carolsCopy = carolsInbox.waitForMessage(owners.getMsgID());
        TestEnv.Outcome<Void> denied = new TestEnv.Outcome<Void>();
        carol.messageManager().revokeMessage(carolsCopy, denied);
        assertEquals(BaseConstants.ERR_SVR_GROUP_PERMISSION_DENY, denied.error());

        TestEnv.Outcome<List<V2TIMMessage>> page = new TestEnv.Outcome<List<V2TIMMessage>>();
        carol.messageManager().getGroupHistoryMessageList(gid, 10, null, page);
        List<V2TIMMessage> h = page.ok();
        assertRecalled(find(h, spam.getMsgID()), "bob", "spam");
        assertRecalled(find(h, admins.getMsgID()), "alice", "");
        assertEquals("owner's", find(h, owners.getMsgID()).getTextElem().getText());

        carol.messageManager().removeAdvancedMsgListener(carolsInbox);
        bob.messageManager().removeAdvancedMsgListener(bobsInbox);
    }

    @Test
    public void workGroupsTakeInvitedMembersAndTheOwnerRecallsThere() {
        V2TIMManager alice = TestEnv.alice();
        V2TIMManager bob = TestEnv.bob();
        TestEnv.Outcome<String> created = new TestEnv.Outcome<String>();
        alice.createGroup(V2TIMManager.GROUP_TYPE_WORK, null, "work", created);
        String gid = created.ok();
        TestEnv.Outcome<Void> join = new TestEnv.Outcome<Void>();
        bob.joinGroup(gid, "", join);
        assertTrue("Work groups are invite-only", join.error() != 0);
        TestEnv.Outcome<List<V2TIMGroupMemberOperationResult>> invited =
                new TestEnv.Outcome<List<V2TIMGroupMemberOperationResult>>();
        V2TIMManager.getGroupManager().inviteUserToGroup(gid, Arrays.asList("bob"), invited);
        List<V2TIMGroupMemberOperationResult> results = invited.ok();
        assertEquals("bob", results.get(0).getMemberID());
        assertEquals(V2TIMGroupMemberOperationResult.OPERATION_RESULT_SUCC, results.get(0).getResult());
        TestEnv.Inbox bobsInbox = new TestEnv.Inbox();
        bob.messageManager().addAdvancedMsgListener(bobsInbox);
        V2TIMMessage m = TestEnv.sendText(bob, null, gid, "in the work group");
        TestEnv.revoke(alice, m, "owner");
        // The sender's device is told too; its message object then shows the recall.
        assertArrayEquals(new String[] {m.getMsgID(), "alice", "owner"},
                bobsInbox.waitForRecall(m.getMsgID()));
        assertRecalled(m, "alice", "owner");
        bob.messageManager().removeAdvancedMsgListener(bobsInbox);
    }

    @Test
    public void onlyTheSenderRecallsAC2CMessageAndOnlyOnce() {
        V2TIMManager alice = TestEnv.alice();
        V2TIMManager bob = TestEnv.bob();
        TestEnv.Inbox inbox = new TestEnv.Inbox();
        bob.messageManager().addAdvancedMsgListener(inbox);
        V2TIMMessage sent = TestEnv.sendText(alice, "bob", null, "mine");
        V2TIMMessage bobsCopy = inbox.waitForMessage(sent.getMsgID());

        TestEnv.Outcome<Void> notSender = new TestEnv.Outcome<Void>();
        bob.messageManager().revokeMessage(bobsCopy, notSender);
        assertEquals(BaseConstants.V2TIM_ERR_REVOKE_NOT_SENDER, notSender.error());
        assertEquals(V2TIMMessage.V2TIM_MSG_STATUS_SEND_SUCC, bobsCopy.getStatus());
        assertEquals("mine", bobsCopy.getTextElem().getText());

        TestEnv.revoke(alice, sent, null);
        TestEnv.Outcome<Void> again = new TestEnv.Outcome<Void>();
        alice.messageManager().revokeMessage(sent, again);
        assertEquals(BaseConstants.ERR_SVR_MSG_ALREADY_REVOKED, again.error());
        bob.messageManager().removeAdvancedMsgListener(inbox);
    }

    @Test
    public void cloudCustomDataTravelsAndAQuoteOfARecalledMessageLosesItsText() {
        V2TIMManager alice = TestEnv.alice();
        V2TIMManager bob = TestEnv.bob();
        TestEnv.Inbox inbox = new TestEnv.Inbox();
        bob.messageManager().addAdvancedMsgListener(inbox);
        try {
            V2TIMMessage quoted = alice.messageManager().createTextMessage("SECRET-QUOTED");
            quoted.setCloudCustomData("{\"k\":1}");
            TestEnv.Outcome<V2TIMMessage> s1 = new TestEnv.Outcome<V2TIMMessage>();
            alice.messageManager().sendMessage(quoted, "bob", null, 0, false, null, s1);
            s1.ok();
            assertEquals("{\"k\":1}", inbox.waitForMessage(quoted.getMsgID()).getCloudCustomData());

            V2TIMMessage reply = alice.messageManager().createTextMessage("a reply");
            reply.setCloudCustomData("{\"messageReply\":{\"messageID\":\"" + quoted.getMsgID()
                    + "\",\"messageAbstract\":\"SECRET-QUOTED\",\"version\":1}}");
            reply.setExcludedFromUnreadCount(true);
            assertTrue(reply.isExcludedFromUnreadCount());
            V2TIMOfflinePushInfo push = new V2TIMOfflinePushInfo();
            push.setTitle("Alice");
            push.setDesc("replied to you");
            push.setAndroidOPPOChannelID("chat");
            push.setExt("{\"route\":\"chat\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            TestEnv.Outcome<V2TIMMessage> s2 = new TestEnv.Outcome<V2TIMMessage>();
            alice.messageManager().sendMessage(reply, "bob", null, 0, false, push, s2);
            s2.ok();
            push.setExt(new byte[] {(byte) 0xff});
            TestEnv.Outcome<V2TIMMessage> badPush = new TestEnv.Outcome<V2TIMMessage>();
            alice.messageManager().sendMessage(alice.messageManager().createTextMessage("x"), "bob",
                    null, 0, false, push, badPush);
            assertEquals(BaseConstants.ERR_INVALID_PARAMETERS, badPush.error());
            V2TIMMessage held = inbox.waitForMessage(reply.getMsgID());
            assertTrue(held.getCloudCustomData().contains("SECRET-QUOTED"));
            assertTrue(held.isExcludedFromUnreadCount());
            assertTrue(!held.isExcludedFromLastMessage());

            TestEnv.revoke(alice, quoted, null);
            inbox.waitForRecall(quoted.getMsgID());
            assertEquals("", quoted.getCloudCustomData());
            long deadline = System.currentTimeMillis() + 10_000;
            while (held.getCloudCustomData().contains("SECRET")
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(held.getCloudCustomData().contains("\"messageAbstract\":\"\""));
            assertTrue(!reply.getCloudCustomData().contains("SECRET"));
            TestEnv.Outcome<List<V2TIMMessage>> page = new TestEnv.Outcome<List<V2TIMMessage>>();
            bob.messageManager().getC2CHistoryMessageList("alice", 10, null, page);
            for (V2TIMMessage m : page.ok()) {
                assertTrue(!m.getCloudCustomData().contains("SECRET"));
            }

            V2TIMMessage big = alice.messageManager().createTextMessage("big");
            char[] x = new char[12 * 1024 + 1];
            Arrays.fill(x, 'x');
            big.setCloudCustomData(new String(x));
            TestEnv.Outcome<V2TIMMessage> s3 = new TestEnv.Outcome<V2TIMMessage>();
            alice.messageManager().sendMessage(big, "bob", null, 0, false, null, s3);
            assertEquals(BaseConstants.ERR_SDK_MSG_BODY_SIZE_LIMIT, s3.error());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            bob.messageManager().removeAdvancedMsgListener(inbox);
        }
    }

    @Test
    public void onlineUserOnlyReachesTheDevicesOnlineAndIsNeverStored() {
        V2TIMManager alice = TestEnv.alice();
        V2TIMManager bob = TestEnv.bob();
        TestEnv.Inbox inbox = new TestEnv.Inbox();
        bob.messageManager().addAdvancedMsgListener(inbox);
        try {
            V2TIMMessage typing = alice.messageManager().createTextMessage("typing...");
            TestEnv.Outcome<V2TIMMessage> sent = new TestEnv.Outcome<V2TIMMessage>();
            String id = alice.messageManager().sendMessage(typing, "bob", null,
                    V2TIMMessage.V2TIM_PRIORITY_DEFAULT, true, null, sent);
            assertTrue(sent.ok() == typing);
            assertEquals(0, typing.getSeq());
            V2TIMMessage got = inbox.waitForMessage(id);
            assertEquals("typing...", got.getTextElem().getText());
            assertEquals("alice", got.getSender());
            assertEquals(0, got.getSeq());
            TestEnv.Outcome<List<V2TIMMessage>> page = new TestEnv.Outcome<List<V2TIMMessage>>();
            bob.messageManager().getC2CHistoryMessageList("alice", 100, null, page);
            for (V2TIMMessage m : page.ok()) {
                assertTrue("never stored", !m.getMsgID().equals(id));
            }
            TestEnv.Outcome<Void> recall = new TestEnv.Outcome<Void>();
            alice.messageManager().revokeMessage(typing, recall);
            assertEquals(BaseConstants.ERR_INVALID_PARAMETERS, recall.error());
        } finally {
            bob.messageManager().removeAdvancedMsgListener(inbox);
        }
    }

    @Test
    public void nullAndBadArgumentsGive6017InOnErrorNeverACrash() {
        V2TIMManager alice = TestEnv.alice();
        V2TIMMessageManager mm = alice.messageManager();
        final int invalid = BaseConstants.ERR_INVALID_PARAMETERS;
        Thread caller = Thread.currentThread();

        TestEnv.Outcome<Void> r1 = new TestEnv.Outcome<Void>();
        mm.revokeMessage(null, r1);
        assertEquals(invalid, r1.error());
        assertNotSame("errors are reported asynchronously, on the SDK thread", caller, r1.thread);
        assertEquals("v2tim-events", r1.thread.getName());

        TestEnv.Outcome<V2TIMMessage> r2 = new TestEnv.Outcome<V2TIMMessage>();
        assertNull(mm.sendMessage(null, "bob", null, 0, false, null, r2));
        assertEquals(invalid, r2.error());

        TestEnv.Outcome<V2TIMMessage> r3 = new TestEnv.Outcome<V2TIMMessage>();
        V2TIMMessage nowhere = mm.createTextMessage("to nobody");
        assertNotNull(mm.sendMessage(nowhere, null, null, 0, false, null, r3));
        assertEquals(invalid, r3.error());

        TestEnv.Outcome<V2TIMMessage> r4 = new TestEnv.Outcome<V2TIMMessage>();
        mm.sendMessage(mm.createTextMessage("online only"), null, null, 0, true, null, r4);
        assertEquals(invalid, r4.error());

        TestEnv.Outcome<List<V2TIMMessage>> r5 = new TestEnv.Outcome<List<V2TIMMessage>>();
        mm.getC2CHistoryMessageList(null, 10, null, r5);
        assertEquals(invalid, r5.error());

        TestEnv.Outcome<List<V2TIMMessage>> r6 = new TestEnv.Outcome<List<V2TIMMessage>>();
        mm.getHistoryMessageList(null, r6);
        assertEquals(invalid, r6.error());

        TestEnv.Outcome<String> r7 = new TestEnv.Outcome<String>();
        alice.createGroup(null, null, null, r7);
        assertEquals(invalid, r7.error());

        TestEnv.Outcome<Void> r8 = new TestEnv.Outcome<Void>();
        alice.joinGroup(null, null, r8);
        assertEquals(invalid, r8.error());

        TestEnv.Outcome<Void> r9 = new TestEnv.Outcome<Void>();
        V2TIMManager.getGroupManager().setGroupMemberRole(null, null, 300, r9);
        assertEquals(invalid, r9.error());

        TestEnv.Outcome<List<V2TIMGroupMemberOperationResult>> r10 =
                new TestEnv.Outcome<List<V2TIMGroupMemberOperationResult>>();
        V2TIMManager.getGroupManager().inviteUserToGroup("some-group", null, r10);
        assertEquals(invalid, r10.error());

        V2TIMManager fresh = V2TIMManager.createInstance();
        TestEnv.Outcome<Void> r11 = new TestEnv.Outcome<Void>();
        fresh.login(null, null, r11);
        assertEquals(invalid, r11.error());
        TestEnv.Outcome<Void> r12 = new TestEnv.Outcome<Void>();
        fresh.login("dave", TestEnv.sig("dave"), r12);
        assertEquals("not initialized", BaseConstants.ERR_SDK_NOT_INITIALIZED, r12.error());
        assertTrue(!fresh.initSDK(0, null));
        assertNull(fresh.messageManager().createTextMessage(null));
        fresh.destroy();
        TestEnv.Outcome<Void> r13 = new TestEnv.Outcome<Void>();
        fresh.logout(r13);
        assertEquals("destroyed", BaseConstants.ERR_SDK_NOT_INITIALIZED, r13.error());

        // Null callbacks and listeners are accepted and ignored.
        mm.revokeMessage(null, null);
        mm.addAdvancedMsgListener(null);
        mm.removeAdvancedMsgListener(null);
        // Every callback above was called exactly once.
        for (TestEnv.Outcome<?> r : new TestEnv.Outcome<?>[] {r1, r2, r3, r4, r5, r6, r7, r8, r9,
                r10, r11, r12, r13}) {
            assertEquals(1, r.calls());
        }
    }

    @Test
    public void aRemovedListenerIsNeverCalledAgain() {
        V2TIMManager alice = TestEnv.alice();
        V2TIMManager bob = TestEnv.bob();
        TestEnv.Inbox removed = new TestEnv.Inbox();
        TestEnv.Inbox stays = new TestEnv.Inbox();
        bob.messageManager().addAdvancedMsgListener(removed);
        bob.messageManager().addAdvancedMsgListener(removed); // once only
        bob.messageManager().addAdvancedMsgListener(stays);
        V2TIMMessage first = TestEnv.sendText(alice, "bob", null, "before removal");
        removed.waitForMessage(first.getMsgID());
        stays.waitForMessage(first.getMsgID());

        bob.messageManager().removeAdvancedMsgListener(removed);
        V2TIMMessage second = TestEnv.sendText(alice, "bob", null, "after removal");
        TestEnv.revoke(alice, first, "late");
        // Events reach listeners in order: once `stays` has both, `removed` would have too.
        stays.waitForMessage(second.getMsgID());
        stays.waitForRecall(first.getMsgID());
        synchronized (removed) {
            assertEquals(1, removed.messages.size());
            assertEquals(0, removed.recalls.size());
        }
        bob.messageManager().removeAdvancedMsgListener(stays);
        bob.messageManager().removeAdvancedMsgListener(stays); // unknown now: no-op
    }

    @Test
    public void anExceptionInAListenerIsClearedAndDeliveryGoesOn() {
        V2TIMManager alice = TestEnv.alice();
        V2TIMManager bob = TestEnv.bob();
        V2TIMAdvancedMsgListener thrower = new V2TIMAdvancedMsgListener() {
            @Override
            public void onRecvNewMessage(V2TIMMessage msg) {
                throw new RuntimeException("a buggy app listener (expected in this test)");
            }
        };
        TestEnv.Inbox after = new TestEnv.Inbox();
        bob.messageManager().addAdvancedMsgListener(thrower);
        bob.messageManager().addAdvancedMsgListener(after);
        V2TIMMessage m1 = TestEnv.sendText(alice, "bob", null, "one");
        V2TIMMessage m2 = TestEnv.sendText(alice, "bob", null, "two");
        after.waitForMessage(m1.getMsgID());
        after.waitForMessage(m2.getMsgID());
        bob.messageManager().removeAdvancedMsgListener(thrower);
        bob.messageManager().removeAdvancedMsgListener(after);
    }

    @Test
    public void callbacksRunOnTheConfiguredExecutor() throws Exception {
        final ExecutorService ui = Executors.newSingleThreadExecutor(new ThreadFactory() {
            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "fake-main-thread");
                t.setDaemon(true);
                return t;
            }
        });
        V2TIMManager erin = V2TIMManager.createInstance();
        V2TIMSDKConfig config = TestEnv.config();
        config.setCallbackExecutor(ui);
        assertTrue(erin.initSDK(TestEnv.app(), config));
        TestEnv.Outcome<Void> login = new TestEnv.Outcome<Void>();
        erin.login("erin", TestEnv.sig("erin"), login);
        login.ok();
        assertEquals("fake-main-thread", login.thread.getName());

        // Records the thread name in place of the reason.
        final TestEnv.Inbox inbox = new TestEnv.Inbox() {
            @Override
            public synchronized void onRecvMessageRevoked(String msgID, V2TIMUserFullInfo op,
                    String reason) {
                super.onRecvMessageRevoked(msgID, op, Thread.currentThread().getName());
            }
        };
        erin.messageManager().addAdvancedMsgListener(inbox);
        V2TIMMessage m = TestEnv.sendText(TestEnv.alice(), "erin", null, "to erin");
        TestEnv.revoke(TestEnv.alice(), m, "x");
        assertEquals("fake-main-thread", inbox.waitForRecall(m.getMsgID())[2]);
        erin.destroy();
        ui.shutdown();
    }

    @Test
    public void eventsStillQueuedInTheExecutorSkipARemovedListener() throws Exception {
        final List<Runnable> queue = new java.util.ArrayList<Runnable>();
        java.util.concurrent.Executor later = new java.util.concurrent.Executor() {
            @Override
            public void execute(Runnable r) {
                synchronized (queue) {
                    queue.add(r);
                    queue.notifyAll();
                }
            }
        };
        V2TIMManager frank = V2TIMManager.createInstance();
        V2TIMSDKConfig config = TestEnv.config();
        config.setCallbackExecutor(later);
        assertTrue(frank.initSDK(TestEnv.app(), config));
        TestEnv.Outcome<Void> login = new TestEnv.Outcome<Void>();
        frank.login("frank", TestEnv.sig("frank"), login);
        runQueued(queue, 1);
        login.ok();

        TestEnv.Inbox inbox = new TestEnv.Inbox();
        frank.messageManager().addAdvancedMsgListener(inbox);
        TestEnv.sendText(TestEnv.alice(), "frank", null, "queued");
        synchronized (queue) {
            long deadline = System.currentTimeMillis() + TestEnv.WAIT_SECONDS * 1000;
            while (queue.isEmpty() && System.currentTimeMillis() < deadline) {
                queue.wait(100);
            }
            assertEquals("the event waits in the executor", 1, queue.size());
        }
        frank.messageManager().removeAdvancedMsgListener(inbox);
        runQueued(queue, 1);
        synchronized (inbox) {
            assertEquals(0, inbox.messages.size());
        }
        frank.destroy();
    }

    @Test
    public void customMessagesCarryDataDescriptionAndExtensionUntilRecalled() throws Exception {
        V2TIMManager alice = TestEnv.alice();
        V2TIMManager bob = TestEnv.bob();
        TestEnv.Inbox inbox = new TestEnv.Inbox();
        bob.messageManager().addAdvancedMsgListener(inbox);
        byte[] data = new byte[] {0, 1, 2, (byte) 0xff, 'x'};
        V2TIMMessage msg = alice.messageManager().createCustomMessage(data, "a card",
                "{\"k\":1}".getBytes("UTF-8"));
        TestEnv.Outcome<V2TIMMessage> sent = new TestEnv.Outcome<V2TIMMessage>();
        alice.messageManager().sendMessage(msg, "bob", null, V2TIMMessage.V2TIM_PRIORITY_HIGH,
                false, new io.v2tim.imsdk.v2.V2TIMOfflinePushInfo(), sent);
        sent.ok();
        V2TIMMessage got = inbox.waitForMessage(msg.getMsgID());
        assertEquals(V2TIMMessage.V2TIM_ELEM_TYPE_CUSTOM, got.getElemType());
        assertNull(got.getTextElem());
        assertArrayEquals(data, got.getCustomElem().getData());
        assertEquals("a card", got.getCustomElem().getDescription());
        assertEquals("{\"k\":1}", new String(got.getCustomElem().getExtension(), "UTF-8"));
        assertEquals(V2TIMMessage.V2TIM_PRIORITY_HIGH, got.getPriority());
        TestEnv.revoke(alice, msg, "");
        inbox.waitForRecall(msg.getMsgID());
        assertRecalled(got, "alice", "");
        bob.messageManager().removeAdvancedMsgListener(inbox);
    }

    @Test
    public void anSDKListenerSeesTheConnection() throws Exception {
        final java.util.concurrent.CountDownLatch connected =
                new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger connecting =
                new java.util.concurrent.atomic.AtomicInteger();
        io.v2tim.imsdk.v2.V2TIMSDKListener listener = new io.v2tim.imsdk.v2.V2TIMSDKListener() {
            @Override
            public void onConnecting() {
                connecting.incrementAndGet();
            }

            @Override
            public void onConnectSuccess() {
                connected.countDown();
            }
        };
        V2TIMManager m = V2TIMManager.createInstance();
        assertTrue(m.initSDK(null, TestEnv.app(), TestEnv.config(), listener));
        TestEnv.login(m, "dave");
        assertTrue(connected.await(TestEnv.WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(connecting.get() >= 1);
        TestEnv.Outcome<Void> out = new TestEnv.Outcome<Void>();
        m.logout(out);
        out.ok();
        assertEquals(V2TIMManager.V2TIM_STATUS_LOGOUT, m.getLoginStatus());
        assertNull(m.getLoginUser());
        m.removeIMSDKListener(listener);
        m.destroy();
    }

    /** Waits for at least {@code n} tasks in {@code queue} and runs all queued ones. */
    private static void runQueued(List<Runnable> queue, int n) throws InterruptedException {
        List<Runnable> tasks;
        synchronized (queue) {
            long deadline = System.currentTimeMillis() + TestEnv.WAIT_SECONDS * 1000;
            while (queue.size() < n && System.currentTimeMillis() < deadline) {
                queue.wait(100);
            }
            tasks = new java.util.ArrayList<Runnable>(queue);
            queue.clear();
        }
        for (Runnable r : tasks) {
            r.run();
        }
    }
}
