package io.v2tim.imsdk.v2;

import java.util.List;

/** A page of {@code getGroupMemberList}: ask again with {@link #getNextSeq()} until it is 0. */
public class V2TIMGroupMemberInfoResult {
    private final long nextSeq;
    private final List<V2TIMGroupMemberFullInfo> memberInfoList;

    V2TIMGroupMemberInfoResult(long nextSeq, List<V2TIMGroupMemberFullInfo> memberInfoList) {
        this.nextSeq = nextSeq;
        this.memberInfoList = memberInfoList;
    }

    public long getNextSeq() {
        return nextSeq;
    }

    public List<V2TIMGroupMemberFullInfo> getMemberInfoList() {
        return memberInfoList;
    }
}
