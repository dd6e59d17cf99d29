package io.v2tim.imsdk.v2;

/**
 * A first member of {@code createGroup(info, memberList, callback)}. Every first member joins
 * as an ordinary member: the role is kept and not used (roles are set with
 * {@code setGroupMemberRole}).
 */
public class V2TIMCreateGroupMemberInfo {
    private String userID;
    private int role = V2TIMGroupMemberFullInfo.V2TIM_GROUP_MEMBER_ROLE_MEMBER;

    public V2TIMCreateGroupMemberInfo() {}

    public String getUserID() {
        return userID;
    }

    public void setUserID(String userID) {
        this.userID = userID;
    }

    public int getRole() {
        return role;
    }

    public void setRole(int role) {
        this.role = role;
    }
}
