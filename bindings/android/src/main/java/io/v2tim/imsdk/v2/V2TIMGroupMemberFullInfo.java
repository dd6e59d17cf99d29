package io.v2tim.imsdk.v2;

/**
 * A group member with its role (V2TIM's V2TIMGroupMemberFullInfo). In events and tips the
 * role is {@link #V2TIM_GROUP_MEMBER_UNDEFINED} and the join time 0.
 */
public class V2TIMGroupMemberFullInfo extends V2TIMGroupMemberInfo {
    public static final int V2TIM_GROUP_MEMBER_UNDEFINED = 0;
    public static final int V2TIM_GROUP_MEMBER_ROLE_MEMBER = 200;
    public static final int V2TIM_GROUP_MEMBER_ROLE_ADMIN = 300;
    public static final int V2TIM_GROUP_MEMBER_ROLE_SUPER = 400;

    /** {@code getGroupMemberList} filters (bits). */
    public static final int V2TIM_GROUP_MEMBER_FILTER_ALL = 0x00;
    public static final int V2TIM_GROUP_MEMBER_FILTER_OWNER = 0x01;
    public static final int V2TIM_GROUP_MEMBER_FILTER_ADMIN = 0x02;
    public static final int V2TIM_GROUP_MEMBER_FILTER_COMMON = 0x04;

    int role;
    long joinTime;

    V2TIMGroupMemberFullInfo(String userID, String nickName, String faceUrl) {
        super(userID, nickName, faceUrl);
    }

    public int getRole() {
        return role;
    }

    /** Seconds since the epoch. */
    public long getJoinTime() {
        return joinTime;
    }
}
