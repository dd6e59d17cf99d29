package io.v2tim.imsdk.v2;

import io.v2tim.imsdk.BaseConstants;
import java.util.List;

/**
 * Group calls (creating, joining, quitting and dismissing are also on {@link V2TIMManager}).
 * Group values arrive from native code as tables that {@link GroupTable} reads.
 */
public class V2TIMGroupManager {
    private final V2TIMManager manager;

    V2TIMGroupManager(V2TIMManager manager) {
        this.manager = manager;
    }

    /** Reads a table into what the public callback gets. */
    private interface Reader<T> {
        T read(GroupTable table);
    }

    private <T> NativeCallback table(final V2TIMValueCallback<T> callback, final Reader<T> reader) {
        if (callback == null) {
            return null;
        }
        return new NativeCallback(manager) {
            @Override
            void success(Object value) {
                callback.onSuccess(reader.read(new GroupTable(value)));
            }

            @Override
            void error(int code, String desc) {
                callback.onError(code, desc);
            }
        };
    }

    private static final Reader<List<V2TIMGroupMemberOperationResult>> MEMBER_RESULTS =
            new Reader<List<V2TIMGroupMemberOperationResult>>() {
                @Override
                public List<V2TIMGroupMemberOperationResult> read(GroupTable t) {
                    return t.memberResults();
                }
            };

    /** Fields not given are "" (native code refuses null elements). */
    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String[] array(List<String> list) {
        return list == null ? null : list.toArray(new String[0]);
    }

    /**
     * Creates a group from {@code info} (type, ID or null to let the server choose, name,
     * notification, introduction, face URL) with the first members {@code memberList} (they
     * hear {@code onMemberInvited}); the creator is its owner. The callback gets the group ID.
     */
    public void createGroup(V2TIMGroupInfo info, List<V2TIMCreateGroupMemberInfo> memberList,
            V2TIMValueCallback<String> callback) {
        NativeCallback cb = NativeCallback.value(manager, callback);
        if (info == null) {
            NativeBridge.postError(cb, BaseConstants.ERR_INVALID_PARAMETERS, "info is null");
            return;
        }
        String[] members = null;
        if (memberList != null) {
            members = new String[memberList.size()];
            for (int i = 0; i < members.length; i++) {
                V2TIMCreateGroupMemberInfo m = memberList.get(i);
                members[i] = m == null ? null : m.getUserID();
            }
        }
        NativeBridge.createGroupWithInfo(manager.id, info.groupType, info.groupID, info.groupName,
                new String[] {nz(info.notification), nz(info.introduction), nz(info.faceUrl)}, members, cb);
    }

    /** The groups the user is a member of. */
    public void getJoinedGroupList(V2TIMValueCallback<List<V2TIMGroupInfo>> callback) {
        NativeBridge.getJoinedGroupList(manager.id,
                table(callback, new Reader<List<V2TIMGroupInfo>>() {
                    @Override
                    public List<V2TIMGroupInfo> read(GroupTable t) {
                        return t.groups();
                    }
                }));
    }

    /** Profiles of up to 100 groups, each with its own result (10010: no such group). */
    public void getGroupsInfo(List<String> groupIDList,
            V2TIMValueCallback<List<V2TIMGroupInfoResult>> callback) {
        NativeBridge.getGroupsInfo(manager.id, array(groupIDList),
                table(callback, new Reader<List<V2TIMGroupInfoResult>>() {
                    @Override
                    public List<V2TIMGroupInfoResult> read(GroupTable t) {
                        return t.results();
                    }
                }));
    }

    /**
     * Changes the fields of group {@code info.getGroupID()} whose setters were called
     * (name, notification, introduction, face URL): the owner and admins may, or any member
     * of a Work group. Every member hears {@code onGroupInfoChanged}.
     */
    public void setGroupInfo(V2TIMGroupInfo info, V2TIMCallback callback) {
        NativeCallback cb = NativeCallback.of(manager, callback);
        if (info == null) {
            NativeBridge.postError(cb, BaseConstants.ERR_INVALID_PARAMETERS, "info is null");
            return;
        }
        NativeBridge.setGroupInfo(manager.id, info.groupID, info.modifyFlag,
                new String[] {nz(info.groupName), nz(info.notification), nz(info.introduction),
                        nz(info.faceUrl)},
                cb);
    }

    /**
     * A page of members in join order: {@code filter} {@link V2TIMGroupMemberFullInfo}'s
     * {@code V2TIM_GROUP_MEMBER_FILTER_*} bits, {@code nextSeq} 0 for the first page, then the
     * previous page's {@code getNextSeq()} until it is 0.
     */
    public void getGroupMemberList(String groupID, int filter, long nextSeq,
            V2TIMValueCallback<V2TIMGroupMemberInfoResult> callback) {
        NativeBridge.getGroupMemberList(manager.id, groupID, filter, nextSeq,
                table(callback, new Reader<V2TIMGroupMemberInfoResult>() {
                    @Override
                    public V2TIMGroupMemberInfoResult read(GroupTable t) {
                        return t.page();
                    }
                }));
    }

    /**
     * {@code role}: {@link V2TIMGroupMemberFullInfo#V2TIM_GROUP_MEMBER_ROLE_MEMBER} (200),
     * {@code _ADMIN} (300), or {@code _SUPER} (400, transfers ownership). Only the owner may
     * change roles.
     */
    public void setGroupMemberRole(String groupID, String userID, int role,
            V2TIMCallback callback) {
        NativeBridge.setGroupMemberRole(manager.id, groupID, userID, role,
                NativeCallback.of(manager, callback));
    }

    /**
     * Adds users to a group (the way into Work groups). The callback gets one result per
     * user: {@link V2TIMGroupMemberOperationResult#OPERATION_RESULT_SUCC}, {@code _INVALID}
     * (already a member) or {@code _OVERLIMIT} (the group is full); a refusal of the whole
     * call (not allowed to invite, bad arguments) is {@code onError}.
     */
    public void inviteUserToGroup(String groupID, List<String> userList,
            V2TIMValueCallback<List<V2TIMGroupMemberOperationResult>> callback) {
        NativeBridge.inviteUserToGroup(manager.id, groupID, array(userList),
                table(callback, MEMBER_RESULTS));
    }

    /**
     * Removes members: the owner anyone, an admin ordinary members. One result per user
     * ({@code _INVALID}: not a member, or not removable by the caller); the removed hear
     * {@code onMemberKicked} too.
     */
    public void kickGroupMember(String groupID, List<String> memberList, String reason,
            V2TIMValueCallback<List<V2TIMGroupMemberOperationResult>> callback) {
        NativeBridge.kickGroupMember(manager.id, groupID, array(memberList), reason,
                table(callback, MEMBER_RESULTS));
    }
}
