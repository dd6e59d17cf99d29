package io.v2tim.imsdk.v2;

/** Group member roles (V2TIM's numbers), for {@link V2TIMGroupManager#setGroupMemberRole}. */
public class V2TIMGroupMemberFullInfo extends V2TIMGroupMemberInfo {
    public static final int V2TIM_GROUP_MEMBER_UNDEFINED = 0;
    public static final int V2TIM_GROUP_MEMBER_ROLE_MEMBER = 200;
    public static final int V2TIM_GROUP_MEMBER_ROLE_ADMIN = 300;
    public static final int V2TIM_GROUP_MEMBER_ROLE_SUPER = 400;

    private V2TIMGroupMemberFullInfo() {}
}
