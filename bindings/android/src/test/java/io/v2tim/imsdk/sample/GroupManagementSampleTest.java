package io.v2tim.imsdk.sample;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.v2tim.imsdk.BaseConstants;
import io.v2tim.imsdk.v2.V2TIMCallback;
import io.v2tim.imsdk.v2.V2TIMCreateGroupMemberInfo;
import io.v2tim.imsdk.v2.V2TIMGroupChangeInfo;
import io.v2tim.imsdk.v2.V2TIMGroupInfo;
import io.v2tim.imsdk.v2.V2TIMGroupInfoResult;
import io.v2tim.imsdk.v2.V2TIMGroupListener;
import io.v2tim.imsdk.v2.V2TIMGroupMemberFullInfo;
import io.v2tim.imsdk.v2.V2TIMGroupMemberInfo;
import io.v2tim.imsdk.v2.V2TIMGroupMemberInfoResult;
import io.v2tim.imsdk.v2.V2TIMGroupMemberOperationResult;
import io.v2tim.imsdk.v2.V2TIMGroupTipsElem;
import io.v2tim.imsdk.v2.V2TIMManager;
import io.v2tim.imsdk.v2.V2TIMMessage;
import io.v2tim.imsdk.v2.V2TIMMessageListGetOption;
import io.v2tim.imsdk.v2.V2TIMValueCallback;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;

/**
 * Groups with the code of Tencent's "Group Management", "Group Profile" and "Group Member
 * Management" pages (Android): a V2TIMGroupListener added with addGroupListener, createGroup
 * with a V2TIMGroupInfo and V2TIMCreateGroupMemberInfo list, joinGroup, getJoinedGroupList,
 * getGroupsInfo, setGroupInfo, getGroupMemberList with a filter and nextSeq, kickGroupMember,
 * quitGroup and dismissGroup. Every member's listener hears each event with the right
 * operator; tips are messages (getGroupTipsElem) and are in history.
 */
public class GroupManagementSampleTest {
    /** Records each event as "event group op members". */
    static final class Events extends V2TIMGroupListener {
        private final List<String> events = new ArrayList<String>();

        private static String names(List<V2TIMGroupMemberInfo> members) {
            StringBuilder s = new StringBuilder();
            for (V2TIMGroupMemberInfo m : members) {
                s.append(s.length() == 0 ? "" : ",").append(m.getUserID());
            }
            return s.toString();
        }

        private synchronized void add(String e) {
            events.add(e);
            notifyAll();
        }

        @Override
        public void onMemberEnter(String groupID, List<V2TIMGroupMemberInfo> memberList) {
            // A member joined the group. All the group members can receive the notification.
            add("enter " + groupID + " " + names(memberList));
        }

        @Override
        public void onMemberLeave(String groupID, V2TIMGroupMemberInfo member) {
            // A member left the group. All the group members can receive the notification.
            add("leave " + groupID + " " + member.getUserID());
        }

        @Override
        public void onMemberInvited(String groupID, V2TIMGroupMemberInfo opUser,
                List<V2TIMGroupMemberInfo> memberList) {
            add("invited " + groupID + " " + opUser.getUserID() + " " + names(memberList));
        }

        @Override
        public void onMemberKicked(String groupID, V2TIMGroupMemberInfo opUser,
                List<V2TIMGroupMemberInfo> memberList) {
            add("kicked " + groupID + " " + opUser.getUserID() + " " + names(memberList));
        }

        @Override
        public void onGrantAdministrator(String groupID, V2TIMGroupMemberInfo opUser,
                List<V2TIMGroupMemberInfo> memberList) {
            add("admin " + groupID + " " + opUser.getUserID() + " " + names(memberList));
        }

        @Override
        public void onGroupInfoChanged(String groupID, List<V2TIMGroupChangeInfo> changeInfos) {
            StringBuilder s = new StringBuilder("changed " + groupID);
            for (V2TIMGroupChangeInfo c : changeInfos) {
                s.append(' ').append(c.getType()).append('=').append(c.getValue());
            }
            add(s.toString());
        }

        @Override
        public void onQuitFromGroup(String groupID) {
            add("quit " + groupID);
        }

        @Override
        public void onGroupDismissed(String groupID, V2TIMGroupMemberInfo opUser) {
            add("dismissed " + groupID + " " + opUser.getUserID());
        }

        @Override
        public void onReceiveRESTCustomData(String groupID, byte[] customData) {
            // Custom system notification sent by the server (v2tim sends none).
            add("rest " + groupID);
        }

        /** Waits for the {@code n}th event and returns it. */
        synchronized String waitFor(int n) throws InterruptedException {
            long deadline = System.currentTimeMillis() + TestEnv.WAIT_SECONDS * 1000;
            while (events.size() < n) {
                long left = deadline - System.currentTimeMillis();
                assertTrue("timed out waiting for event " + n + " after " + events, left > 0);
                wait(left);
            }
            assertEquals(events.toString(), n, events.size());
            return events.get(n - 1);
        }
    }

    @Test
    public void theGroupManagementSamples() throws Exception {
        V2TIMManager mike = TestEnv.loggedIn("mike");
        V2TIMManager nina = TestEnv.loggedIn("nina");
        V2TIMManager oscar = TestEnv.loggedIn("oscar");
        Events mikeEvents = new Events();
        Events ninaEvents = new Events();
        Events oscarEvents = new Events();
        mike.addGroupListener(mikeEvents);
        mike.addGroupListener(mikeEvents); // twice registers once
        nina.addGroupListener(ninaEvents);
        oscar.addGroupListener(oscarEvents);

        // "Group Management": create a group with its first members (as on the page).
        V2TIMGroupInfo v2TIMGroupInfo = new V2TIMGroupInfo();
        v2TIMGroupInfo.setGroupName("testPublic");
        v2TIMGroupInfo.setGroupType(V2TIMManager.GROUP_TYPE_PUBLIC);
        v2TIMGroupInfo.setGroupID("java-groups");
        v2TIMGroupInfo.setIntroduction("this is a test Public group");
        List<V2TIMCreateGroupMemberInfo> memberInfoList = new ArrayList<>();
        V2TIMCreateGroupMemberInfo memberA = new V2TIMCreateGroupMemberInfo();
        memberA.setUserID("nina");
        memberInfoList.add(memberA);
        final TestEnv.Outcome<String> created = new TestEnv.Outcome<String>();
        mike.groupManager().createGroup(v2TIMGroupInfo, memberInfoList,
                new V2TIMValueCallback<String>() {
                    @Override
                    public void onError(int code, String desc) {
                        // Failed to create the group
                        created.onError(code, desc);
                    }

                    @Override
                    public void onSuccess(String groupID) {
                        // The group was created successfully
                        created.onSuccess(groupID);
                    }
                });
        assertEquals("java-groups", created.ok());
        assertEquals("invited java-groups mike nina", mikeEvents.waitFor(1));
        assertEquals("invited java-groups mike nina", ninaEvents.waitFor(1));

        // Join (Public groups let anyone in).
        TestEnv.Outcome<Void> joined = new TestEnv.Outcome<Void>();
        oscar.joinGroup("java-groups", "it's me!", joined);
        joined.ok();
        assertEquals("enter java-groups oscar", mikeEvents.waitFor(2));
        assertEquals("enter java-groups oscar", ninaEvents.waitFor(2));
        assertEquals("enter java-groups oscar", oscarEvents.waitFor(1));

        // The joined groups.
        TestEnv.Outcome<List<V2TIMGroupInfo>> list = new TestEnv.Outcome<List<V2TIMGroupInfo>>();
        oscar.groupManager().getJoinedGroupList(list);
        List<V2TIMGroupInfo> groups = list.ok();
        assertEquals(1, groups.size());
        assertEquals("java-groups", groups.get(0).getGroupID());
        assertEquals("Public", groups.get(0).getGroupType());
        assertEquals("testPublic", groups.get(0).getGroupName());
        assertEquals("this is a test Public group", groups.get(0).getIntroduction());
        assertEquals("mike", groups.get(0).getOwner());
        assertEquals(3, groups.get(0).getMemberCount());
        assertEquals(V2TIMGroupMemberFullInfo.V2TIM_GROUP_MEMBER_ROLE_MEMBER,
                groups.get(0).getRole());
        assertTrue(groups.get(0).getCreateTime() > 1_700_000_000L);

        // "Group Member Management": nina becomes an admin.
        TestEnv.Outcome<Void> promoted = new TestEnv.Outcome<Void>();
        mike.groupManager().setGroupMemberRole("java-groups", "nina",
                V2TIMGroupMemberFullInfo.V2TIM_GROUP_MEMBER_ROLE_ADMIN, promoted);
        promoted.ok();
        assertEquals("admin java-groups mike nina", oscarEvents.waitFor(2));
        ninaEvents.waitFor(3);
        mikeEvents.waitFor(3);

        // "Group Profile": change the name and the notification (the setters say which).
        V2TIMGroupInfo change = new V2TIMGroupInfo();
        change.setGroupID("java-groups");
        change.setGroupName("New name");
        change.setNotification("Be nice");
        TestEnv.Outcome<Void> set = new TestEnv.Outcome<Void>();
        mike.groupManager().setGroupInfo(change, new V2TIMCallback() {
            @Override
            public void onSuccess() {
                // Modified the group profile successfully
                set.onSuccess();
            }

            @Override
            public void onError(int code, String desc) {
                // Failed to modify the group profile
                set.onError(code, desc);
            }
        });
        set.ok();
        assertEquals("changed java-groups 1=New name 3=Be nice", oscarEvents.waitFor(3));
        ninaEvents.waitFor(4);
        mikeEvents.waitFor(4);
        V2TIMGroupInfo byOscar = new V2TIMGroupInfo();
        byOscar.setGroupID("java-groups");
        byOscar.setIntroduction("not allowed");
        TestEnv.Outcome<Void> refused = new TestEnv.Outcome<Void>();
        oscar.groupManager().setGroupInfo(byOscar, refused);
        assertEquals(BaseConstants.ERR_SVR_GROUP_PERMISSION_DENY, refused.error());

        // Profiles of the group and of one that does not exist.
        TestEnv.Outcome<List<V2TIMGroupInfoResult>> infos =
                new TestEnv.Outcome<List<V2TIMGroupInfoResult>>();
        mike.groupManager().getGroupsInfo(Arrays.asList("java-groups", "java-missing"), infos);
        List<V2TIMGroupInfoResult> results = infos.ok();
        assertEquals(2, results.size());
        assertEquals(0, results.get(0).getResultCode());
        assertEquals("New name", results.get(0).getGroupInfo().getGroupName());
        assertEquals("Be nice", results.get(0).getGroupInfo().getNotification());
        assertEquals(V2TIMGroupMemberFullInfo.V2TIM_GROUP_MEMBER_ROLE_SUPER,
                results.get(0).getGroupInfo().getRole());
        assertEquals(BaseConstants.ERR_SVR_GROUP_NOT_FOUND, results.get(1).getResultCode());
        assertTrue(!results.get(1).getResultMessage().isEmpty());
        assertNull(results.get(1).getGroupInfo());

        // The admins (as on the page: filter and nextSeq), then everyone in join order.
        int filter = V2TIMGroupMemberFullInfo.V2TIM_GROUP_MEMBER_FILTER_ADMIN;
        long nextSeq = 0;
        TestEnv.Outcome<V2TIMGroupMemberInfoResult> admins =
                new TestEnv.Outcome<V2TIMGroupMemberInfoResult>();
        mike.groupManager().getGroupMemberList("java-groups", filter, nextSeq, admins);
        V2TIMGroupMemberInfoResult page = admins.ok();
        assertEquals(0, page.getNextSeq());
        assertEquals(1, page.getMemberInfoList().size());
        assertEquals("nina", page.getMemberInfoList().get(0).getUserID());
        assertEquals(V2TIMGroupMemberFullInfo.V2TIM_GROUP_MEMBER_ROLE_ADMIN,
                page.getMemberInfoList().get(0).getRole());
        TestEnv.Outcome<V2TIMGroupMemberInfoResult> all =
                new TestEnv.Outcome<V2TIMGroupMemberInfoResult>();
        nina.groupManager().getGroupMemberList("java-groups",
                V2TIMGroupMemberFullInfo.V2TIM_GROUP_MEMBER_FILTER_ALL, 0, all);
        List<V2TIMGroupMemberFullInfo> members = all.ok().getMemberInfoList();
        assertEquals(3, members.size());
        assertEquals("mike", members.get(0).getUserID());
        assertEquals("oscar", members.get(2).getUserID());
        assertTrue(members.get(2).getJoinTime() > 1_700_000_000L);

        // The admin removes oscar (and someone who is not a member): a result per user.
        TestEnv.Outcome<List<V2TIMGroupMemberOperationResult>> kicked =
                new TestEnv.Outcome<List<V2TIMGroupMemberOperationResult>>();
        nina.groupManager().kickGroupMember("java-groups", Arrays.asList("oscar", "nobody"), "",
                kicked);
        List<V2TIMGroupMemberOperationResult> kickResults = kicked.ok();
        assertEquals(2, kickResults.size());
        assertEquals("oscar", kickResults.get(0).getMemberID());
        assertEquals(V2TIMGroupMemberOperationResult.OPERATION_RESULT_SUCC,
                kickResults.get(0).getResult());
        assertEquals(V2TIMGroupMemberOperationResult.OPERATION_RESULT_INVALID,
                kickResults.get(1).getResult());
        assertEquals("kicked java-groups nina oscar", oscarEvents.waitFor(4));
        assertEquals("kicked java-groups nina oscar", mikeEvents.waitFor(5));
        ninaEvents.waitFor(5);

        // Inviting a member again: INVALID for that user, not an error.
        TestEnv.Outcome<List<V2TIMGroupMemberOperationResult>> again =
                new TestEnv.Outcome<List<V2TIMGroupMemberOperationResult>>();
        mike.groupManager().inviteUserToGroup("java-groups", Arrays.asList("nina", "oscar"),
                again);
        List<V2TIMGroupMemberOperationResult> invited = again.ok();
        assertEquals(V2TIMGroupMemberOperationResult.OPERATION_RESULT_INVALID,
                invited.get(0).getResult());
        assertEquals(V2TIMGroupMemberOperationResult.OPERATION_RESULT_SUCC,
                invited.get(1).getResult());
        assertEquals("invited java-groups mike oscar", oscarEvents.waitFor(5));
        mikeEvents.waitFor(6);
        ninaEvents.waitFor(6);

        // oscar quits: he hears onQuitFromGroup, the others onMemberLeave.
        TestEnv.Outcome<Void> quit = new TestEnv.Outcome<Void>();
        oscar.quitGroup("java-groups", quit);
        quit.ok();
        assertEquals("quit java-groups", oscarEvents.waitFor(6));
        assertEquals("leave java-groups oscar", mikeEvents.waitFor(7));
        assertEquals("leave java-groups oscar", ninaEvents.waitFor(7));

        // The tips are in history, newest first.
        V2TIMMessageListGetOption option = new V2TIMMessageListGetOption();
        option.setGetType(V2TIMMessageListGetOption.V2TIM_GET_CLOUD_OLDER_MSG);
        option.setGroupID("java-groups");
        option.setCount(20);
        TestEnv.Outcome<List<V2TIMMessage>> history = new TestEnv.Outcome<List<V2TIMMessage>>();
        nina.messageManager().getHistoryMessageList(option, history);
        List<V2TIMMessage> messages = history.ok();
        assertEquals(7, messages.size());
        V2TIMGroupTipsElem last = messages.get(0).getGroupTipsElem();
        assertNotNull(last);
        assertEquals(V2TIMMessage.V2TIM_ELEM_TYPE_GROUP_TIPS, messages.get(0).getElemType());
        assertEquals(V2TIMGroupTipsElem.V2TIM_GROUP_TIPS_TYPE_QUIT, last.getType());
        assertEquals("oscar", last.getOpMember().getUserID());
        assertEquals("java-groups", last.getGroupID());
        assertEquals(2, last.getMemberCount());
        V2TIMGroupTipsElem profile = messages.get(3).getGroupTipsElem();
        assertEquals(V2TIMGroupTipsElem.V2TIM_GROUP_TIPS_TYPE_GROUP_INFO_CHANGE, profile.getType());
        assertEquals(2, profile.getGroupChangeInfoList().size());
        assertEquals(V2TIMGroupChangeInfo.V2TIM_GROUP_INFO_CHANGE_TYPE_NAME,
                profile.getGroupChangeInfoList().get(0).getType());
        assertNull(messages.get(3).getTextElem());

        // The owner dismisses the group (as on the page).
        mike.removeGroupListener(mikeEvents);
        final TestEnv.Outcome<Void> dismissed = new TestEnv.Outcome<Void>();
        mike.dismissGroup("java-groups", new V2TIMCallback() {
            @Override
            public void onSuccess() {
                // Disbanded the group successfully
                dismissed.onSuccess();
            }

            @Override
            public void onError(int code, String desc) {
                // Failed to disband the group
                dismissed.onError(code, desc);
            }
        });
        dismissed.ok();
        assertEquals("dismissed java-groups mike", ninaEvents.waitFor(8));
        TestEnv.Outcome<Void> late = new TestEnv.Outcome<Void>();
        oscar.joinGroup("java-groups", "", late);
        assertEquals(BaseConstants.ERR_SVR_GROUP_NOT_FOUND, late.error());
        if (mikeEvents.events.size() != 7) {
            fail("a removed listener was called: " + mikeEvents.events);
        }

        nina.removeGroupListener(ninaEvents);
        oscar.removeGroupListener(oscarEvents);
        for (V2TIMManager m : new V2TIMManager[] {mike, nina, oscar}) {
            m.unInitSDK();
        }
    }
}
