package io.v2tim.imsdk.v2;

import java.util.ArrayList;
import java.util.List;

/** Group membership calls (group creation and joining are on {@link V2TIMManager}). */
public class V2TIMGroupManager {
    private final V2TIMManager manager;

    V2TIMGroupManager(V2TIMManager manager) {
        this.manager = manager;
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
     * Adds users to a group (the way into Work groups). On success every user's result is
     * {@link V2TIMGroupMemberOperationResult#OPERATION_RESULT_SUCC}; a refusal fails the
     * whole call through {@code onError}.
     */
    public void inviteUserToGroup(String groupID, final List<String> userList,
            final V2TIMValueCallback<List<V2TIMGroupMemberOperationResult>> callback) {
        String[] users = userList == null ? null : userList.toArray(new String[0]);
        NativeCallback cb = callback == null ? null : new NativeCallback(manager) {
            @Override
            void success(Object value) {
                List<V2TIMGroupMemberOperationResult> results =
                        new ArrayList<V2TIMGroupMemberOperationResult>();
                for (String u : userList) {
                    results.add(new V2TIMGroupMemberOperationResult(u,
                            V2TIMGroupMemberOperationResult.OPERATION_RESULT_SUCC));
                }
                callback.onSuccess(results);
            }

            @Override
            void error(int code, String desc) {
                callback.onError(code, desc);
            }
        };
        NativeBridge.inviteUserToGroup(manager.id, groupID, users, cb);
    }
}
