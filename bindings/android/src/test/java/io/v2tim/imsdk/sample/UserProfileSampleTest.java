package io.v2tim.imsdk.sample;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.v2tim.imsdk.BaseConstants;
import io.v2tim.imsdk.v2.V2TIMAdvancedMsgListener;
import io.v2tim.imsdk.v2.V2TIMCallback;
import io.v2tim.imsdk.v2.V2TIMManager;
import io.v2tim.imsdk.v2.V2TIMMessage;
import io.v2tim.imsdk.v2.V2TIMSDKListener;
import io.v2tim.imsdk.v2.V2TIMUserFullInfo;
import io.v2tim.imsdk.v2.V2TIMValueCallback;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.Test;

/**
 * Profiles with the code of Tencent's "User Profile" page (Android) nearly verbatim:
 * setSelfInfo, onSelfInfoUpdated, getUsersInfo. Around them: the sender's nick name on a
 * received message, and a recall's operateUser with the revoker's nick name, so the app
 * shows "Ivan recalled a message".
 */
public class UserProfileSampleTest {
    static final class Heard extends V2TIMAdvancedMsgListener {
        final List<V2TIMMessage> messages = new ArrayList<V2TIMMessage>();
        final List<String> shown = new ArrayList<String>();

        @Override
        public synchronized void onRecvNewMessage(V2TIMMessage msg) {
            messages.add(msg);
            notifyAll();
        }

        @Override
        public synchronized void onRecvMessageRevoked(String msgID,
                V2TIMUserFullInfo operateUser, String reason) {
            shown.add(operateUser.getNickName() + " recalled a message");
            notifyAll();
        }

        synchronized void waitFor(int messages, int recalls) throws InterruptedException {
            long deadline = System.currentTimeMillis() + TestEnv.WAIT_SECONDS * 1000;
            while (this.messages.size() < messages || shown.size() < recalls) {
                long left = deadline - System.currentTimeMillis();
                assertTrue("timed out", left > 0);
                wait(left);
            }
        }
    }

    @Test
    public void setSelfInfoGetUsersInfoAndTheRevokersNickName() throws Exception {
        V2TIMManager ivan = TestEnv.loggedIn("ivan");
        V2TIMManager judy = TestEnv.loggedIn("judy");

        // Listen for the callback for a user's profile change (as on the page).
        final TestEnv.Outcome<V2TIMUserFullInfo> updated = new TestEnv.Outcome<V2TIMUserFullInfo>();
        ivan.addIMSDKListener(new V2TIMSDKListener() {
            @Override
            public void onSelfInfoUpdated(V2TIMUserFullInfo info) {
                // Received the callback for a user's profile change
                updated.onSuccess(info);
            }
        });

        // Set the user's profile (as on the page).
        V2TIMUserFullInfo info = new V2TIMUserFullInfo();
        info.setNickname("Ivan");
        info.setFaceUrl("https://example.com/ivan.png");
        HashMap<String, byte[]> custom = new HashMap<String, byte[]>();
        custom.put("city", new byte[] {1, 2, 0, 3});
        info.setCustomInfo(custom);
        info.setGender(V2TIMUserFullInfo.V2TIM_GENDER_MALE);
        final TestEnv.Outcome<Void> set = new TestEnv.Outcome<Void>();
        ivan.setSelfInfo(info, new V2TIMCallback() {
            @Override
            public void onSuccess() {
                // User's profile set successfully
                set.onSuccess();
            }

            @Override
            public void onError(int code, String desc) {
                // Failed to set the user's profile
                set.onError(code, desc);
            }
        });
        set.ok();
        assertEquals("Ivan", updated.ok().getNickName());

        // Get the profile of a non-friend user (as on the page).
        List<String> userIDList = new ArrayList<String>();
        userIDList.add("ivan");
        final TestEnv.Outcome<List<V2TIMUserFullInfo>> got =
                new TestEnv.Outcome<List<V2TIMUserFullInfo>>();
        judy.getUsersInfo(userIDList, new V2TIMValueCallback<List<V2TIMUserFullInfo>>() {
            @Override
            public void onSuccess(List<V2TIMUserFullInfo> profiles) {
                // Obtained the profile of the non-friend user successfully
                got.onSuccess(profiles);
            }

            @Override
            public void onError(int code, String desc) {
                // Failed to obtain the profile of the non-friend user
                got.onError(code, desc);
            }
        });
        List<V2TIMUserFullInfo> profiles = got.ok();
        assertEquals(1, profiles.size());
        V2TIMUserFullInfo p = profiles.get(0);
        assertEquals("ivan", p.getUserID());
        assertEquals("Ivan", p.getNickName());
        assertEquals("https://example.com/ivan.png", p.getFaceUrl());
        assertEquals(V2TIMUserFullInfo.V2TIM_GENDER_MALE, p.getGender());
        assertArrayEquals(new byte[] {1, 2, 0, 3}, p.getCustomInfo().get("city"));

        // The sender's nick on a message, the revoker's on the recall.
        Heard heard = new Heard();
        judy.messageManager().addAdvancedMsgListener(heard);
        V2TIMMessage msg = TestEnv.sendText(ivan, "judy", null, "oops");
        heard.waitFor(1, 0);
        assertEquals("Ivan", heard.messages.get(0).getNickName());
        assertEquals("https://example.com/ivan.png", heard.messages.get(0).getFaceUrl());
        TestEnv.revoke(ivan, msg, null);
        heard.waitFor(1, 1);
        assertEquals("Ivan recalled a message", heard.shown.get(0));
        assertEquals("Ivan", heard.messages.get(0).getRevokerInfo().getNickName());

        // Errors name the real reason.
        V2TIMUserFullInfo bad = new V2TIMUserFullInfo();
        bad.setGender(7);
        TestEnv.Outcome<Void> refused = new TestEnv.Outcome<Void>();
        ivan.setSelfInfo(bad, refused);
        assertEquals(BaseConstants.ERR_INVALID_PARAMETERS, refused.error());
        TestEnv.Outcome<List<V2TIMUserFullInfo>> none = new TestEnv.Outcome<List<V2TIMUserFullInfo>>();
        judy.getUsersInfo(null, none);
        assertEquals(BaseConstants.ERR_INVALID_PARAMETERS, none.error());

        judy.messageManager().removeAdvancedMsgListener(heard);
        ivan.destroy();
        judy.destroy();
    }
}
