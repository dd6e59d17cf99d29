// v2tim C++ layer: V2TIMGroupManager (as V2TIM's V2TIMGroupManager.h).

#ifndef V2TIM_CPP_GROUP_MANAGER_H
#define V2TIM_CPP_GROUP_MANAGER_H

#include "V2TIMCallback.h"
#include "V2TIMDefine.h"
#include "V2TIMDetail.h"
#include "V2TIMGroup.h"

/// Groups of one SDK instance: get it with V2TIMManager::GetGroupManager(); it lives as
/// long as its V2TIMManager. Outcomes arrive on the SDK event thread.
class TIM_API V2TIMGroupManager {
public:
    /// Creates a group of `groupType` ("Work", "Public", "Meeting", "AVChatRoom",
    /// "Community") with id `groupID` ("" lets the server choose) named `groupName`; the
    /// creator is its owner. OnSuccess gets the group id. (Same as V2TIMManager::CreateGroup.)
    void CreateGroup(const V2TIMString &groupType, const V2TIMString &groupID, const V2TIMString &groupName,
                     V2TIMValueCallback<V2TIMString> *callback) {
        v2tim::c::v2tim_create_group(manager_, groupType.CString(), v2tim::detail::OrNull(groupID),
                                     groupName.CString(),
                                     v2tim::detail::Trampolines::StringCallback(callback));
    }

    /// Sets the role of `userID` in `groupID`: a V2TIMGroupMemberRole (200 member, 300
    /// admin, 400 owner: transfers ownership). Only the owner may change roles (10007).
    void SetGroupMemberRole(const V2TIMString &groupID, const V2TIMString &userID, uint32_t role,
                            V2TIMCallback *callback) {
        v2tim::c::v2tim_set_group_member_role(manager_, groupID.CString(), userID.CString(), role,
                                              v2tim::detail::Trampolines::Callback(callback));
    }

    /// Adds `userList` to `groupID`. OnSuccess gets one result per user: SUCC, INVALID
    /// (already a member) or OVERLIMIT (the group is full); a refusal of the whole call
    /// (not allowed to invite, bad arguments) is OnError.
    void InviteUserToGroup(const V2TIMString &groupID, const V2TIMStringVector &userList,
                           V2TIMValueCallback<V2TIMGroupMemberOperationResultVector> *callback) {
        namespace c = v2tim::c;
        typedef v2tim::detail::Trampolines T;
        std::vector<const char *> ids;
        for (size_t i = 0; i < userList.Size(); i++) ids.push_back(userList[i].CString());
        c::V2TIMGroupMemberOperationResultCallback cb = c::V2TIMGroupMemberOperationResultCallback();
        if (callback) {
            T::Invite *inv = new T::Invite();
            inv->cb = callback;
            cb.user_data = inv;
            cb.on_success = &T::InviteSuccess;
            cb.on_error = &T::InviteError;
        }
        c::v2tim_invite_user_to_group(manager_, groupID.CString(), ids.empty() ? nullptr : &ids[0], ids.size(),
                                      cb);
    }

    /// v2tim extension: the C manager this object works on.
    v2tim::c::V2TIMManager *Handle() const { return manager_; }

private:
    friend class V2TIMManager;
    explicit V2TIMGroupManager(v2tim::c::V2TIMManager *manager) : manager_(manager) {}
    V2TIMGroupManager(const V2TIMGroupManager &);
    V2TIMGroupManager &operator=(const V2TIMGroupManager &);

    v2tim::c::V2TIMManager *manager_;
};

#endif  // V2TIM_CPP_GROUP_MANAGER_H
