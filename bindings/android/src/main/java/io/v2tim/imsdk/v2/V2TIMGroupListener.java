package io.v2tim.imsdk.v2;

import java.util.List;

/**
 * Group events ({@link V2TIMManager#addGroupListener}), from the group tips the server writes
 * for every change: each reaches every device of every member once, in order, also after
 * being offline. The tips are also messages of the group ({@code onRecvNewMessage}, history),
 * except the dismissal. Override what you need.
 */
public abstract class V2TIMGroupListener {
    /** Members joined ({@code joinGroup}). */
    public void onMemberEnter(String groupID, List<V2TIMGroupMemberInfo> memberList) {}

    /** A member left ({@code quitGroup}). */
    public void onMemberLeave(String groupID, V2TIMGroupMemberInfo member) {}

    /** {@code opUser} invited {@code memberList} (also the first members of a new group). */
    public void onMemberInvited(String groupID, V2TIMGroupMemberInfo opUser,
            List<V2TIMGroupMemberInfo> memberList) {}

    /** {@code opUser} removed {@code memberList}; the removed hear it too. */
    public void onMemberKicked(String groupID, V2TIMGroupMemberInfo opUser,
            List<V2TIMGroupMemberInfo> memberList) {}

    /** The owner {@code opUser} dismissed the group. */
    public void onGroupDismissed(String groupID, V2TIMGroupMemberInfo opUser) {}

    /** The profile changed (an ownership transfer is an OWNER change). */
    public void onGroupInfoChanged(String groupID, List<V2TIMGroupChangeInfo> changeInfos) {}

    public void onGrantAdministrator(String groupID, V2TIMGroupMemberInfo opUser,
            List<V2TIMGroupMemberInfo> memberList) {}

    public void onRevokeAdministrator(String groupID, V2TIMGroupMemberInfo opUser,
            List<V2TIMGroupMemberInfo> memberList) {}

    /** The logged-in user left the group (on this device or another), instead of onMemberLeave. */
    public void onQuitFromGroup(String groupID) {}

    /** Declared for ported code; v2tim never calls it (the first members hear onMemberInvited). */
    public void onGroupCreated(String groupID) {}

    /** Declared for ported code; v2tim never calls it (no custom group notifications). */
    public void onReceiveRESTCustomData(String groupID, byte[] customData) {}
}
