// v2tim C++ layer: V2TIMGroupManager (as V2TIM's V2TIMGroupManager.h).

#ifndef V2TIM_CPP_GROUP_MANAGER_H
#define V2TIM_CPP_GROUP_MANAGER_H

#include "V2TIMCallback.h"
#include "V2TIMDefine.h"
#include "V2TIMDetail.h"
#include "V2TIMGroup.h"
#include "V2TIMListener.h"

#include <vector>

namespace v2tim {
namespace detail {

/// Trampolines of the group calls and of V2TIMGroupListener (see V2TIMDetail.h).
struct GroupTrampolines {
    // V2TIMValueCallback<V2TIMGroupInfoResultVector> (GetGroupsInfo)
    static void ResultsSuccess(void *ud, const c::V2TIMGroupInfoList *list) {
        try {
            V2TIMGroupInfoResultVector v;
            size_t n = c::v2tim_group_info_list_size(list);
            for (size_t i = 0; i < n; i++) {
                V2TIMGroupInfoResult r;
                r.resultCode = c::v2tim_group_info_list_get_result_code(list, i);
                r.resultMsg = Str(c::v2tim_group_info_list_get_result_message(list, i));
                r.info = GroupFromHandle(c::v2tim_group_info_list_get(list, i));
                v.PushBack(r);
            }
            static_cast<V2TIMValueCallback<V2TIMGroupInfoResultVector> *>(ud)->OnSuccess(v);
        } catch (...) {
        }
    }
    static void ResultsError(void *ud, int32_t code, const char *desc) {
        try {
            static_cast<V2TIMValueCallback<V2TIMGroupInfoResultVector> *>(ud)->OnError(code, Str(desc));
        } catch (...) {
        }
    }
    static c::V2TIMGroupInfoListCallback Results(V2TIMValueCallback<V2TIMGroupInfoResultVector> *cb) {
        c::V2TIMGroupInfoListCallback s = c::V2TIMGroupInfoListCallback();
        if (cb) {
            s.user_data = cb;
            s.on_success = &ResultsSuccess;
            s.on_error = &ResultsError;
        }
        return s;
    }

    // V2TIMValueCallback<V2TIMGroupInfoVector> (GetJoinedGroupList)
    static void GroupsSuccess(void *ud, const c::V2TIMGroupInfoList *list) {
        try {
            V2TIMGroupInfoVector v;
            size_t n = c::v2tim_group_info_list_size(list);
            for (size_t i = 0; i < n; i++) v.PushBack(GroupFromHandle(c::v2tim_group_info_list_get(list, i)));
            static_cast<V2TIMValueCallback<V2TIMGroupInfoVector> *>(ud)->OnSuccess(v);
        } catch (...) {
        }
    }
    static void GroupsError(void *ud, int32_t code, const char *desc) {
        try {
            static_cast<V2TIMValueCallback<V2TIMGroupInfoVector> *>(ud)->OnError(code, Str(desc));
        } catch (...) {
        }
    }
    static c::V2TIMGroupInfoListCallback Groups(V2TIMValueCallback<V2TIMGroupInfoVector> *cb) {
        c::V2TIMGroupInfoListCallback s = c::V2TIMGroupInfoListCallback();
        if (cb) {
            s.user_data = cb;
            s.on_success = &GroupsSuccess;
            s.on_error = &GroupsError;
        }
        return s;
    }

    // V2TIMValueCallback<V2TIMGroupMemberInfoResult> (GetGroupMemberList)
    static void PageSuccess(void *ud, const c::V2TIMGroupMemberFullInfoList *members, uint64_t next_seq) {
        try {
            V2TIMGroupMemberInfoResult r;
            r.nextSequence = next_seq;
            r.memberInfoList = MembersFromList(members);
            static_cast<V2TIMValueCallback<V2TIMGroupMemberInfoResult> *>(ud)->OnSuccess(r);
        } catch (...) {
        }
    }
    static void PageError(void *ud, int32_t code, const char *desc) {
        try {
            static_cast<V2TIMValueCallback<V2TIMGroupMemberInfoResult> *>(ud)->OnError(code, Str(desc));
        } catch (...) {
        }
    }
    static c::V2TIMGroupMemberInfoResultCallback Page(V2TIMValueCallback<V2TIMGroupMemberInfoResult> *cb) {
        c::V2TIMGroupMemberInfoResultCallback s = c::V2TIMGroupMemberInfoResultCallback();
        if (cb) {
            s.user_data = cb;
            s.on_success = &PageSuccess;
            s.on_error = &PageError;
        }
        return s;
    }

    // Per-user results (InviteUserToGroup, KickGroupMember)
    static c::V2TIMGroupMemberOperationResultCallback MemberResults(
        V2TIMValueCallback<V2TIMGroupMemberOperationResultVector> *callback) {
        c::V2TIMGroupMemberOperationResultCallback cb = c::V2TIMGroupMemberOperationResultCallback();
        if (callback) {
            Trampolines::Invite *inv = new Trampolines::Invite();
            inv->cb = callback;
            cb.user_data = inv;
            cb.on_success = &Trampolines::InviteSuccess;
            cb.on_error = &Trampolines::InviteError;
        }
        return cb;
    }

    // V2TIMGroupListener: one adapter per (manager, listener), so that QUIT can tell the
    // logged-in user's own leaving (OnQuitFromGroup) from another member's.
    struct GroupAdapter {
        V2TIMGroupListener *listener;
        c::V2TIMManager *manager;
    };
    static void Tips(void *ud, const char *group_id, const c::V2TIMGroupTipsElem *tips) {
        try {
            GroupAdapter *a = static_cast<GroupAdapter *>(ud);
            V2TIMGroupListener *l = a->listener;
            V2TIMString g = Str(group_id);
            V2TIMGroupTipsElem e = TipsFromHandle(g, tips);
            switch (c::v2tim_group_tips_get_type(tips)) {
                case c::V2TIM_GROUP_TIPS_TYPE_JOIN:
                    l->OnMemberEnter(g, e.memberList);
                    break;
                case c::V2TIM_GROUP_TIPS_TYPE_INVITE:
                    l->OnMemberInvited(g, e.opMember, e.memberList);
                    break;
                case c::V2TIM_GROUP_TIPS_TYPE_QUIT: {
                    char *me = c::v2tim_get_login_user(a->manager);
                    bool self = me && e.opMember.userID == V2TIMString(me);
                    c::v2tim_string_free(me);
                    if (self)
                        l->OnQuitFromGroup(g);
                    else
                        l->OnMemberLeave(g, e.opMember);
                    break;
                }
                case c::V2TIM_GROUP_TIPS_TYPE_KICKED:
                    l->OnMemberKicked(g, e.opMember, e.memberList);
                    break;
                case c::V2TIM_GROUP_TIPS_TYPE_SET_ADMIN:
                    l->OnGrantAdministrator(g, e.opMember, e.memberList);
                    break;
                case c::V2TIM_GROUP_TIPS_TYPE_CANCEL_ADMIN:
                    l->OnRevokeAdministrator(g, e.opMember, e.memberList);
                    break;
                case c::V2TIM_GROUP_TIPS_TYPE_GROUP_INFO_CHANGE:
                    l->OnGroupInfoChanged(g, e.groupChangeInfoList);
                    break;
                case c::V2TIM_GROUP_TIPS_TYPE_GROUP_DISMISSED:
                    l->OnGroupDismissed(g, e.opMember);
                    break;
                default:
                    break;
            }
        } catch (...) {
        }
    }
    static c::V2TIMGroupListener Listener(GroupAdapter *a) {
        c::V2TIMGroupListener s = c::V2TIMGroupListener();
        s.user_data = a;
        s.on_group_tips = &Tips;
        return s;
    }
};

/// The C form of a V2TIMGroupInfo; its strings point into `info`.
inline c::V2TIMGroupInfoParam GroupParam(const V2TIMGroupInfo &info) {
    c::V2TIMGroupInfoParam p = c::V2TIMGroupInfoParam();
    p.group_type = info.groupType.CString();
    p.group_id = OrNull(info.groupID);
    p.group_name = info.groupName.CString();
    p.notification = info.notification.CString();
    p.introduction = info.introduction.CString();
    p.face_url = info.faceURL.CString();
    return p;
}

/// The C form of a list of ids; pointers into `ids`.
inline std::vector<const char *> Ids(const V2TIMStringVector &ids) {
    std::vector<const char *> v;
    for (size_t i = 0; i < ids.Size(); i++) v.push_back(ids[i].CString());
    return v;
}

}  // namespace detail
}  // namespace v2tim

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

    /// Creates a group from `info` (groupType, groupID "" to let the server choose,
    /// groupName, notification, introduction, faceURL) with the first members `memberList`
    /// (they hear OnMemberInvited); the creator is its owner. OnSuccess gets the group id.
    void CreateGroup(const V2TIMGroupInfo &info, const V2TIMCreateGroupMemberInfoVector &memberList,
                     V2TIMValueCallback<V2TIMString> *callback) {
        V2TIMStringVector userIDs;
        for (size_t i = 0; i < memberList.Size(); i++) userIDs.PushBack(memberList[i].userID);
        std::vector<const char *> ids = v2tim::detail::Ids(userIDs);
        v2tim::c::V2TIMGroupInfoParam p = v2tim::detail::GroupParam(info);
        v2tim::c::v2tim_create_group_with_info(manager_, &p, ids.empty() ? nullptr : &ids[0], ids.size(),
                                               v2tim::detail::Trampolines::StringCallback(callback));
    }

    /// The groups the user is a member of.
    void GetJoinedGroupList(V2TIMValueCallback<V2TIMGroupInfoVector> *callback) {
        v2tim::c::v2tim_get_joined_group_list(manager_, v2tim::detail::GroupTrampolines::Groups(callback));
    }

    /// Profiles of up to 100 groups, each with its own result (10010: no such group).
    void GetGroupsInfo(const V2TIMStringVector &groupIDList, V2TIMValueCallback<V2TIMGroupInfoResultVector> *callback) {
        std::vector<const char *> ids = v2tim::detail::Ids(groupIDList);
        v2tim::c::v2tim_get_groups_info(manager_, ids.empty() ? nullptr : &ids[0], ids.size(),
                                        v2tim::detail::GroupTrampolines::Results(callback));
    }

    /// Changes the fields of group `info.groupID` that `info.modifyFlag` names
    /// (V2TIMGroupInfoModifyFlag bits): the owner and admins may, or any member of a Work
    /// group. Every member hears OnGroupInfoChanged.
    void SetGroupInfo(const V2TIMGroupInfo &info, V2TIMCallback *callback) {
        v2tim::c::V2TIMGroupInfoParam p = v2tim::detail::GroupParam(info);
        v2tim::c::v2tim_set_group_info(manager_, &p, info.modifyFlag, v2tim::detail::Trampolines::Callback(callback));
    }

    /// A page of members in join order: `filter` V2TIMGroupMemberFilter bits, `nextSeq` 0
    /// for the first page, then the previous page's nextSequence until it is 0.
    void GetGroupMemberList(const V2TIMString &groupID, uint32_t filter, uint64_t nextSeq,
                            V2TIMValueCallback<V2TIMGroupMemberInfoResult> *callback) {
        v2tim::c::v2tim_get_group_member_list(manager_, groupID.CString(), filter, nextSeq,
                                              v2tim::detail::GroupTrampolines::Page(callback));
    }

    /// Adds `userList` to `groupID`. OnSuccess gets one result per user: SUCC, INVALID
    /// (already a member) or OVERLIMIT (the group is full); a refusal of the whole call
    /// (not allowed to invite, bad arguments) is OnError.
    void InviteUserToGroup(const V2TIMString &groupID, const V2TIMStringVector &userList,
                           V2TIMValueCallback<V2TIMGroupMemberOperationResultVector> *callback) {
        std::vector<const char *> ids = v2tim::detail::Ids(userList);
        v2tim::c::v2tim_invite_user_to_group(manager_, groupID.CString(), ids.empty() ? nullptr : &ids[0],
                                             ids.size(), v2tim::detail::GroupTrampolines::MemberResults(callback));
    }

    /// Removes `memberList` from `groupID`: the owner anyone, an admin ordinary members.
    /// OnSuccess gets one result per user (INVALID: not a member, or not removable by the
    /// caller); the removed hear OnMemberKicked too.
    void KickGroupMember(const V2TIMString &groupID, const V2TIMStringVector &memberList, const V2TIMString &reason,
                         V2TIMValueCallback<V2TIMGroupMemberOperationResultVector> *callback) {
        std::vector<const char *> ids = v2tim::detail::Ids(memberList);
        v2tim::c::v2tim_kick_group_member(manager_, groupID.CString(), ids.empty() ? nullptr : &ids[0], ids.size(),
                                          reason.CString(), v2tim::detail::GroupTrampolines::MemberResults(callback));
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
