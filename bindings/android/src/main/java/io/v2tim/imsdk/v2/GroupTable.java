package io.v2tim.imsdk.v2;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the group values native code sends as a table ({@code Object[] {String[], long[]}}),
 * in the order src/jni/groups.rs writes them.
 */
final class GroupTable {
    private final String[] strings;
    private final long[] numbers;
    private int s;
    private int n;

    GroupTable(Object table) {
        Object[] t = (Object[]) table;
        strings = (String[]) t[0];
        numbers = (long[]) t[1];
    }

    String string() {
        return strings[s++];
    }

    long number() {
        return numbers[n++];
    }

    int count() {
        return (int) number();
    }

    /** user id, nick name, face URL; role, join time. */
    V2TIMGroupMemberFullInfo member() {
        V2TIMGroupMemberFullInfo m = new V2TIMGroupMemberFullInfo(string(), string(), string());
        m.role = (int) number();
        m.joinTime = number();
        return m;
    }

    /** id, type, name, notification, introduction, face URL, owner; times, count, role. */
    V2TIMGroupInfo group() {
        V2TIMGroupInfo g = new V2TIMGroupInfo();
        g.groupID = string();
        g.groupType = string();
        g.groupName = string();
        g.notification = string();
        g.introduction = string();
        g.faceUrl = string();
        g.owner = string();
        g.createTime = number();
        g.memberCount = (int) number();
        g.role = (int) number();
        g.joinTime = number();
        return g;
    }

    List<V2TIMGroupInfo> groups() {
        int count = count();
        List<V2TIMGroupInfo> list = new ArrayList<V2TIMGroupInfo>(count);
        for (int i = 0; i < count; i++) {
            list.add(group());
        }
        return list;
    }

    List<V2TIMGroupInfoResult> results() {
        int count = count();
        List<V2TIMGroupInfoResult> list = new ArrayList<V2TIMGroupInfoResult>(count);
        for (int i = 0; i < count; i++) {
            int code = (int) number();
            String message = string();
            V2TIMGroupInfo info = group();
            list.add(new V2TIMGroupInfoResult(code, message, code == 0 ? info : null));
        }
        return list;
    }

    V2TIMGroupMemberInfoResult page() {
        long nextSeq = number();
        int count = count();
        List<V2TIMGroupMemberFullInfo> members = new ArrayList<V2TIMGroupMemberFullInfo>(count);
        for (int i = 0; i < count; i++) {
            members.add(member());
        }
        return new V2TIMGroupMemberInfoResult(nextSeq, members);
    }

    List<V2TIMGroupMemberOperationResult> memberResults() {
        int count = count();
        List<V2TIMGroupMemberOperationResult> list =
                new ArrayList<V2TIMGroupMemberOperationResult>(count);
        for (int i = 0; i < count; i++) {
            list.add(new V2TIMGroupMemberOperationResult(string(), (int) number()));
        }
        return list;
    }

    /** type, member count, list sizes; op member, members, changes. */
    V2TIMGroupTipsElem tips(String groupID) {
        int type = (int) number();
        int memberCount = (int) number();
        int members = count();
        int changes = count();
        V2TIMGroupMemberInfo op = member();
        List<V2TIMGroupMemberInfo> list = new ArrayList<V2TIMGroupMemberInfo>(members);
        for (int i = 0; i < members; i++) {
            list.add(member());
        }
        List<V2TIMGroupChangeInfo> changed = new ArrayList<V2TIMGroupChangeInfo>(changes);
        for (int i = 0; i < changes; i++) {
            changed.add(new V2TIMGroupChangeInfo((int) number(), string()));
        }
        return new V2TIMGroupTipsElem(groupID, type, op, list, changed, memberCount);
    }
}
