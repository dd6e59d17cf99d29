package io.v2tim.imsdk.sample;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.v2tim.imsdk.v2.V2TIMGroupMemberInfo;
import io.v2tim.imsdk.v2.V2TIMManager;
import io.v2tim.imsdk.v2.V2TIMMessage;
import io.v2tim.imsdk.v2.V2TIMSimpleMsgListener;
import io.v2tim.imsdk.v2.V2TIMUserFullInfo;
import io.v2tim.imsdk.v2.V2TIMUserInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * The simple message API: sendC2CTextMessage, sendC2CCustomMessage, sendGroupTextMessage and
 * a V2TIMSimpleMsgListener hearing each kind with the sender's nick name.
 */
public class SimpleMsgTest {
    static final class Heard extends V2TIMSimpleMsgListener {
        final List<String> lines = new ArrayList<String>();

        @Override
        public synchronized void onRecvC2CTextMessage(String msgID, V2TIMUserInfo sender,
                String text) {
            lines.add("c2c text " + sender.getUserID() + "/" + sender.getNickName() + ": " + text);
            notifyAll();
        }

        @Override
        public synchronized void onRecvC2CCustomMessage(String msgID, V2TIMUserInfo sender,
                byte[] customData) {
            lines.add("c2c custom " + sender.getUserID() + ": " + customData.length + " bytes");
            notifyAll();
        }

        @Override
        public synchronized void onRecvGroupTextMessage(String msgID, String groupID,
                V2TIMGroupMemberInfo sender, String text) {
            lines.add("group " + groupID + " text " + sender.getNickName() + ": " + text);
            notifyAll();
        }

        synchronized void waitFor(int n) throws InterruptedException {
            long deadline = System.currentTimeMillis() + TestEnv.WAIT_SECONDS * 1000;
            while (lines.size() < n) {
                long left = deadline - System.currentTimeMillis();
                assertTrue("timed out: " + lines, left > 0);
                wait(left);
            }
        }
    }

    @Test
    public void sendAndReceiveSimply() throws Exception {
        V2TIMManager kim = TestEnv.loggedIn("kim");
        V2TIMManager leo = TestEnv.loggedIn("leo");
        V2TIMUserFullInfo me = new V2TIMUserFullInfo();
        me.setNickname("Kim");
        TestEnv.Outcome<Void> named = new TestEnv.Outcome<Void>();
        kim.setSelfInfo(me, named);
        named.ok();

        Heard heard = new Heard();
        leo.addSimpleMsgListener(heard);
        leo.addSimpleMsgListener(heard);
        TestEnv.Outcome<V2TIMMessage> sent = new TestEnv.Outcome<V2TIMMessage>();
        String id = kim.sendC2CTextMessage("hi leo", "leo", sent);
        assertEquals(id, sent.ok().getMsgID());
        TestEnv.Outcome<V2TIMMessage> custom = new TestEnv.Outcome<V2TIMMessage>();
        kim.sendC2CCustomMessage(new byte[] {1, 2, 3}, "leo", custom);
        custom.ok();
        TestEnv.Outcome<String> created = new TestEnv.Outcome<String>();
        kim.createGroup(V2TIMManager.GROUP_TYPE_PUBLIC, "simple-j", "Simple", created);
        created.ok();
        TestEnv.Outcome<Void> joined = new TestEnv.Outcome<Void>();
        leo.joinGroup("simple-j", "", joined);
        joined.ok();
        TestEnv.Outcome<V2TIMMessage> group = new TestEnv.Outcome<V2TIMMessage>();
        kim.sendGroupTextMessage("hi all", "simple-j", V2TIMMessage.V2TIM_PRIORITY_NORMAL, group);
        group.ok();

        heard.waitFor(3);
        synchronized (heard) {
            assertEquals(3, heard.lines.size());
            assertEquals("c2c text kim/Kim: hi leo", heard.lines.get(0));
            assertEquals("c2c custom kim: 3 bytes", heard.lines.get(1));
            assertEquals("group simple-j text Kim: hi all", heard.lines.get(2));
        }
        leo.removeSimpleMsgListener(heard);
        TestEnv.Outcome<V2TIMMessage> after = new TestEnv.Outcome<V2TIMMessage>();
        kim.sendC2CTextMessage("not heard", "leo", after);
        after.ok();
        Thread.sleep(300);
        synchronized (heard) {
            assertEquals(3, heard.lines.size());
        }
        kim.destroy();
        leo.destroy();
    }
}
