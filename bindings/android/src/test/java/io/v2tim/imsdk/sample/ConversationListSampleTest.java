package io.v2tim.imsdk.sample;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.v2tim.imsdk.BaseConstants;
import io.v2tim.imsdk.v2.V2TIMCallback;
import io.v2tim.imsdk.v2.V2TIMConversation;
import io.v2tim.imsdk.v2.V2TIMConversationListener;
import io.v2tim.imsdk.v2.V2TIMConversationResult;
import io.v2tim.imsdk.v2.V2TIMManager;
import io.v2tim.imsdk.v2.V2TIMMessage;
import io.v2tim.imsdk.v2.V2TIMValueCallback;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * The conversation list with the code of Tencent's "Conversation List" and "Unread Count"
 * pages (Android) nearly verbatim, around a recall: when grace recalls heidi's last message,
 * heidi's listener hears onConversationChanged once with the last message recalled and the
 * unread count lowered, and onTotalUnreadMessageCountChanged follows.
 */
public class ConversationListSampleTest {
    /** Records what the listener of Tencent's page would get. */
    static final class Heard extends V2TIMConversationListener {
        final List<V2TIMConversation> news = new ArrayList<V2TIMConversation>();
        final List<V2TIMConversation> changes = new ArrayList<V2TIMConversation>();
        final List<Long> totals = new ArrayList<Long>();

        @Override
        public synchronized void onNewConversation(List<V2TIMConversation> conversationList) {
            news.addAll(conversationList);
            notifyAll();
        }

        @Override
        public synchronized void onConversationChanged(List<V2TIMConversation> conversationList) {
            changes.addAll(conversationList);
            notifyAll();
        }

        @Override
        public synchronized void onTotalUnreadMessageCountChanged(long totalUnreadCount) {
            totals.add(totalUnreadCount);
            notifyAll();
        }

        synchronized void waitTotal(long total) throws InterruptedException {
            long deadline = System.currentTimeMillis() + TestEnv.WAIT_SECONDS * 1000;
            while (totals.isEmpty() || totals.get(totals.size() - 1) != total) {
                long left = deadline - System.currentTimeMillis();
                assertTrue("total " + total + " not reported; got " + totals, left > 0);
                wait(left);
            }
        }

        synchronized int changeCount() {
            return changes.size();
        }

        synchronized V2TIMConversation lastChange() {
            return changes.get(changes.size() - 1);
        }
    }

    @Test
    public void listListenerAndUnreadCountsAroundARecall() throws Exception {
        V2TIMManager grace = TestEnv.loggedIn("grace");
        V2TIMManager heidi = TestEnv.loggedIn("heidi");

        // As on the page: the first page of the list.
        final TestEnv.Outcome<V2TIMConversationResult> first =
                new TestEnv.Outcome<V2TIMConversationResult>();
        heidi.conversationManager().getConversationList(0, 50,
                new V2TIMValueCallback<V2TIMConversationResult>() {
                    @Override
                    public void onSuccess(V2TIMConversationResult v2TIMConversationResult) {
                        first.onSuccess(v2TIMConversationResult);
                    }

                    @Override
                    public void onError(int code, String desc) {
                        first.onError(code, desc);
                    }
                });
        assertTrue(first.ok().isFinished());
        assertTrue(first.ok().getConversationList().isEmpty());

        Heard heard = new Heard();
        heidi.conversationManager().addConversationListener(heard);
        TestEnv.sendText(grace, "heidi", null, "first");
        V2TIMMessage last = TestEnv.sendText(grace, "heidi", null, "meant for someone else");
        heard.waitTotal(2);
        synchronized (heard) {
            assertEquals(1, heard.news.size());
            assertEquals("c2c_grace", heard.news.get(0).getConversationID());
            assertEquals(V2TIMConversation.V2TIM_C2C, heard.news.get(0).getType());
        }

        TestEnv.Outcome<V2TIMConversationResult> page =
                new TestEnv.Outcome<V2TIMConversationResult>();
        heidi.conversationManager().getConversationList(0, 50, page);
        List<V2TIMConversation> list = page.ok().getConversationList();
        assertEquals(1, list.size());
        V2TIMConversation c = list.get(0);
        assertEquals("c2c_grace", c.getConversationID());
        assertEquals("grace", c.getUserID());
        assertNull(c.getGroupID());
        assertEquals("grace", c.getShowName());
        assertEquals(2, c.getUnreadCount());
        assertEquals(last.getMsgID(), c.getLastMessage().getMsgID());
        assertTrue(c.getOrderKey() > 0);

        // As on the "Unread Count" page.
        final TestEnv.Outcome<Long> total = new TestEnv.Outcome<Long>();
        heidi.conversationManager().getTotalUnreadMessageCount(new V2TIMValueCallback<Long>() {
            @Override
            public void onSuccess(Long aLong) {
                total.onSuccess(aLong);
            }

            @Override
            public void onError(int code, String desc) {
                total.onError(code, desc);
            }
        });
        assertEquals(Long.valueOf(2), total.ok());

        // grace recalls the last message: one change, recalled form, unread lowered.
        int before = heard.changeCount();
        TestEnv.revoke(grace, last, null);
        heard.waitTotal(1);
        Thread.sleep(300);
        assertEquals("reported once", before + 1, heard.changeCount());
        V2TIMConversation changed = heard.lastChange();
        assertEquals(1, changed.getUnreadCount());
        V2TIMMessage shown = changed.getLastMessage();
        assertNotNull(shown);
        assertEquals(V2TIMMessage.V2TIM_MSG_STATUS_LOCAL_REVOKED, shown.getStatus());
        assertNull(shown.getTextElem());
        assertEquals("grace", shown.getRevokerInfo().getUserID());
        // The message of the page read before the recall is the same live message.
        assertEquals(V2TIMMessage.V2TIM_MSG_STATUS_LOCAL_REVOKED, c.getLastMessage().getStatus());

        // As on the page: mark read.
        final TestEnv.Outcome<Void> cleaned = new TestEnv.Outcome<Void>();
        heidi.conversationManager().cleanConversationUnreadMessageCount("c2c_grace", 0, 0,
                new V2TIMCallback() {
                    @Override
                    public void onSuccess() {
                        cleaned.onSuccess();
                    }

                    @Override
                    public void onError(int code, String desc) {
                        cleaned.onError(code, desc);
                    }
                });
        cleaned.ok();
        heard.waitTotal(0);

        TestEnv.Outcome<V2TIMConversation> one = new TestEnv.Outcome<V2TIMConversation>();
        heidi.conversationManager().getConversation("c2c_grace", one);
        assertEquals(0, one.ok().getUnreadCount());
        TestEnv.Outcome<V2TIMConversation> bad = new TestEnv.Outcome<V2TIMConversation>();
        heidi.conversationManager().getConversation("grace", bad);
        assertEquals(BaseConstants.ERR_INVALID_PARAMETERS, bad.error());
        TestEnv.Outcome<Void> marked = new TestEnv.Outcome<Void>();
        heidi.messageManager().markC2CMessageAsRead("grace", marked);
        marked.ok();
        TestEnv.Outcome<Void> nul = new TestEnv.Outcome<Void>();
        heidi.messageManager().markC2CMessageAsRead(null, nul);
        assertEquals(BaseConstants.ERR_INVALID_PARAMETERS, nul.error());

        heidi.conversationManager().removeConversationListener(heard);
        grace.destroy();
        heidi.destroy();
    }
}
