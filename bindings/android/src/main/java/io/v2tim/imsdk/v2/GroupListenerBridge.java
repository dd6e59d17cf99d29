package io.v2tim.imsdk.v2;

/**
 * What native code holds for a registered {@link V2TIMGroupListener} ({@link #active}: see
 * {@link AdvancedMsgListenerBridge}). Turns each group tips into the listener method of its
 * type.
 */
final class GroupListenerBridge {
    final long id;
    volatile boolean active = true;
    private final V2TIMManager manager;
    private final V2TIMGroupListener listener;

    GroupListenerBridge(V2TIMManager manager, V2TIMGroupListener listener) {
        this.id = V2TIMManager.nextListenerId();
        this.manager = manager;
        this.listener = listener;
    }

    /** Called by native code: the tips as a {@link GroupTable}. */
    void onGroupTips(final String groupID, Object[] table) {
        final V2TIMGroupTipsElem tips = new GroupTable(table).tips(groupID);
        final String me = manager.getLoginUser();
        manager.dispatch(new Runnable() {
            @Override
            public void run() {
                if (active) {
                    deliver(groupID, tips, me);
                }
            }
        });
    }

    private void deliver(String g, V2TIMGroupTipsElem t, String me) {
        switch (t.getType()) {
            case V2TIMGroupTipsElem.V2TIM_GROUP_TIPS_TYPE_JOIN:
                listener.onMemberEnter(g, t.getMemberList());
                break;
            case V2TIMGroupTipsElem.V2TIM_GROUP_TIPS_TYPE_INVITE:
                listener.onMemberInvited(g, t.getOpMember(), t.getMemberList());
                break;
            case V2TIMGroupTipsElem.V2TIM_GROUP_TIPS_TYPE_QUIT:
                if (t.getOpMember().getUserID().equals(me)) {
                    listener.onQuitFromGroup(g);
                } else {
                    listener.onMemberLeave(g, t.getOpMember());
                }
                break;
            case V2TIMGroupTipsElem.V2TIM_GROUP_TIPS_TYPE_KICKED:
                listener.onMemberKicked(g, t.getOpMember(), t.getMemberList());
                break;
            case V2TIMGroupTipsElem.V2TIM_GROUP_TIPS_TYPE_SET_ADMIN:
                listener.onGrantAdministrator(g, t.getOpMember(), t.getMemberList());
                break;
            case V2TIMGroupTipsElem.V2TIM_GROUP_TIPS_TYPE_CANCEL_ADMIN:
                listener.onRevokeAdministrator(g, t.getOpMember(), t.getMemberList());
                break;
            case V2TIMGroupTipsElem.V2TIM_GROUP_TIPS_TYPE_GROUP_INFO_CHANGE:
                listener.onGroupInfoChanged(g, t.getGroupChangeInfoList());
                break;
            case V2TIMGroupTipsElem.GROUP_DISMISSED:
                listener.onGroupDismissed(g, t.getOpMember());
                break;
            default:
                break;
        }
    }
}
