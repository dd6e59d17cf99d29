package io.v2tim.imsdk.v2;

import java.util.List;

/**
 * A group tips element: the server writes one into the group's conversation for every
 * membership and profile change. {@link #getOpMember()} did it (for JOIN and QUIT: who joined
 * or left), {@link #getMemberList()} are those it concerns, {@link #getGroupChangeInfoList()}
 * what changed; names are those of when it was written.
 */
public class V2TIMGroupTipsElem extends V2TIMElem {
    public static final int V2TIM_GROUP_TIPS_TYPE_JOIN = 0x01;
    public static final int V2TIM_GROUP_TIPS_TYPE_INVITE = 0x02;
    public static final int V2TIM_GROUP_TIPS_TYPE_QUIT = 0x03;
    public static final int V2TIM_GROUP_TIPS_TYPE_KICKED = 0x04;
    public static final int V2TIM_GROUP_TIPS_TYPE_SET_ADMIN = 0x05;
    public static final int V2TIM_GROUP_TIPS_TYPE_CANCEL_ADMIN = 0x06;
    public static final int V2TIM_GROUP_TIPS_TYPE_GROUP_INFO_CHANGE = 0x07;
    public static final int V2TIM_GROUP_TIPS_TYPE_MEMBER_INFO_CHANGE = 0x08;
    /** v2tim: the group was dismissed; only seen by the group listener. */
    static final int GROUP_DISMISSED = 256;

    private final String groupID;
    private final int type;
    private final V2TIMGroupMemberInfo opMember;
    private final List<V2TIMGroupMemberInfo> memberList;
    private final List<V2TIMGroupChangeInfo> groupChangeInfoList;
    private final int memberCount;

    V2TIMGroupTipsElem(String groupID, int type, V2TIMGroupMemberInfo opMember,
            List<V2TIMGroupMemberInfo> memberList, List<V2TIMGroupChangeInfo> groupChangeInfoList,
            int memberCount) {
        super(null);
        this.groupID = groupID;
        this.type = type;
        this.opMember = opMember;
        this.memberList = memberList;
        this.groupChangeInfoList = groupChangeInfoList;
        this.memberCount = memberCount;
    }

    public String getGroupID() {
        return groupID;
    }

    public int getType() {
        return type;
    }

    public V2TIMGroupMemberInfo getOpMember() {
        return opMember;
    }

    public List<V2TIMGroupMemberInfo> getMemberList() {
        return memberList;
    }

    public List<V2TIMGroupChangeInfo> getGroupChangeInfoList() {
        return groupChangeInfoList;
    }

    /** Members after the change. */
    public int getMemberCount() {
        return memberCount;
    }
}
