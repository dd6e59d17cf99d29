// v2tim C++ layer: group types and enums (as V2TIM's V2TIMGroup.h). Enum numbers are V2TIM's.

#ifndef V2TIM_CPP_GROUP_H
#define V2TIM_CPP_GROUP_H

#include "V2TIMCommon.h"
#include "V2TIMDefine.h"
#include "V2TIMString.h"

/// Role of a group member (SetGroupMemberRole).
enum V2TIMGroupMemberRole {
    V2TIM_GROUP_MEMBER_UNDEFINED = 0,
    V2TIM_GROUP_MEMBER_ROLE_MEMBER = 200,  ///< ordinary member
    V2TIM_GROUP_MEMBER_ROLE_ADMIN = 300,   ///< administrator
    V2TIM_GROUP_MEMBER_ROLE_SUPER = 400,   ///< owner; setting it transfers ownership
};

/// Outcome for one user of InviteUserToGroup.
enum V2TIMGroupMemberResult {
    V2TIM_GROUP_MEMBER_RESULT_FAIL = 0,
    V2TIM_GROUP_MEMBER_RESULT_SUCC = 1,
    V2TIM_GROUP_MEMBER_RESULT_INVALID = 2,
    V2TIM_GROUP_MEMBER_RESULT_PENDING = 3,
    V2TIM_GROUP_MEMBER_RESULT_OVERLIMIT = 4,
};

struct TIM_API V2TIMGroupMemberOperationResult {
    V2TIMString userID;
    V2TIMGroupMemberResult result;

    V2TIMGroupMemberOperationResult() : result(V2TIM_GROUP_MEMBER_RESULT_FAIL) {}
};

typedef V2TIMVector<V2TIMGroupMemberOperationResult> V2TIMGroupMemberOperationResultVector;

/// Which members GetGroupMemberList lists (bits; 0 all).
enum V2TIMGroupMemberFilter {
    V2TIM_GROUP_MEMBER_FILTER_ALL = 0x00,
    V2TIM_GROUP_MEMBER_FILTER_OWNER = 0x01,
    V2TIM_GROUP_MEMBER_FILTER_ADMIN = 0x02,
    V2TIM_GROUP_MEMBER_FILTER_COMMON = 0x04,
};

/// The fields SetGroupInfo changes (V2TIMGroupInfo::modifyFlag bits).
enum V2TIMGroupInfoModifyFlag {
    V2TIM_GROUP_INFO_MODIFY_FLAG_UNKNOWN = 0x00,
    V2TIM_GROUP_INFO_MODIFY_FLAG_GROUP_NAME = 0x01,
    V2TIM_GROUP_INFO_MODIFY_FLAG_NOTIFICATION = 0x01 << 1,
    V2TIM_GROUP_INFO_MODIFY_FLAG_INTRODUCTION = 0x01 << 2,
    V2TIM_GROUP_INFO_MODIFY_FLAG_FACE_URL = 0x01 << 3,
};

/// What a group profile change changed (V2TIMGroupChangeInfo::type).
enum V2TIMGroupInfoChangeType {
    V2TIM_GROUP_INFO_CHANGE_TYPE_NAME = 0x01,
    V2TIM_GROUP_INFO_CHANGE_TYPE_INTRODUCTION = 0x02,
    V2TIM_GROUP_INFO_CHANGE_TYPE_NOTIFICATION = 0x03,
    V2TIM_GROUP_INFO_CHANGE_TYPE_FACE_URL = 0x04,
    V2TIM_GROUP_INFO_CHANGE_TYPE_OWNER = 0x05,
};

/// What a group tips message reports (V2TIMGroupTipsElem::type).
enum V2TIMGroupTipsType {
    V2TIM_GROUP_TIPS_TYPE_JOIN = 0x01,
    V2TIM_GROUP_TIPS_TYPE_INVITE = 0x02,
    V2TIM_GROUP_TIPS_TYPE_QUIT = 0x03,
    V2TIM_GROUP_TIPS_TYPE_KICKED = 0x04,
    V2TIM_GROUP_TIPS_TYPE_SET_ADMIN = 0x05,
    V2TIM_GROUP_TIPS_TYPE_CANCEL_ADMIN = 0x06,
    V2TIM_GROUP_TIPS_TYPE_GROUP_INFO_CHANGE = 0x07,
    V2TIM_GROUP_TIPS_TYPE_MEMBER_INFO_CHANGE = 0x08,
};

/// A group member as events name one (V2TIMGroupMemberInfo). v2tim fills userID, nickName
/// and faceURL (the user's profile); nameCard and friendRemark stay empty (no group name
/// cards, no friends).
struct TIM_API V2TIMGroupMemberInfo {
    V2TIMString userID;
    V2TIMString nickName;
    V2TIMString nameCard;
    V2TIMString friendRemark;
    V2TIMString faceURL;

    V2TIMGroupMemberInfo() {}
    virtual ~V2TIMGroupMemberInfo() {}
};

typedef V2TIMVector<V2TIMGroupMemberInfo> V2TIMGroupMemberInfoVector;

/// A group member with its role (V2TIMGroupMemberFullInfo): role is
/// V2TIM_GROUP_MEMBER_UNDEFINED and joinTime 0 where they are not known (in tips, for the
/// sender of a message).
struct TIM_API V2TIMGroupMemberFullInfo : public V2TIMGroupMemberInfo {
    uint32_t role;
    int64_t joinTime;  ///< seconds since the epoch

    V2TIMGroupMemberFullInfo() : role(V2TIM_GROUP_MEMBER_UNDEFINED), joinTime(0) {}
};

typedef V2TIMVector<V2TIMGroupMemberFullInfo> V2TIMGroupMemberFullInfoVector;

/// A page of GetGroupMemberList: ask again with nextSequence until it is 0.
struct TIM_API V2TIMGroupMemberInfoResult {
    uint64_t nextSequence;
    V2TIMGroupMemberFullInfoVector memberInfoList;

    V2TIMGroupMemberInfoResult() : nextSequence(0) {}
};

/// One first member of CreateGroup(info, memberList, ...). v2tim adds every first member as
/// an ordinary member (role is accepted and not used); roles are set with
/// SetGroupMemberRole.
struct TIM_API V2TIMCreateGroupMemberInfo {
    V2TIMString userID;
    uint32_t role;

    V2TIMCreateGroupMemberInfo() : role(V2TIM_GROUP_MEMBER_ROLE_MEMBER) {}
};

typedef V2TIMVector<V2TIMCreateGroupMemberInfo> V2TIMCreateGroupMemberInfoVector;

/// One field a group profile change changed: `value` is the new value (OWNER: the new
/// owner's userID).
struct TIM_API V2TIMGroupChangeInfo {
    V2TIMGroupInfoChangeType type;
    V2TIMString value;
    V2TIMString key;  ///< custom fields only: always empty in v2tim
    bool boolValue;
    uint32_t intValue;

    V2TIMGroupChangeInfo() : type(V2TIM_GROUP_INFO_CHANGE_TYPE_NAME), boolValue(false), intValue(0) {}
};

typedef V2TIMVector<V2TIMGroupChangeInfo> V2TIMGroupChangeInfoVector;

/// A group's profile (V2TIMGroupInfo). For CreateGroup: groupType, groupID ("" lets the
/// server choose), groupName, notification, introduction, faceURL. For SetGroupInfo:
/// groupID and the fields `modifyFlag` names (V2TIMGroupInfoModifyFlag bits). The rest is
/// filled by GetGroupsInfo and GetJoinedGroupList.
struct TIM_API V2TIMGroupInfo {
    V2TIMString groupID;
    V2TIMString groupType;
    V2TIMString groupName;
    V2TIMString notification;
    V2TIMString introduction;
    V2TIMString faceURL;
    V2TIMString owner;
    int64_t createTime;   ///< seconds since the epoch
    uint32_t memberCount;
    uint32_t role;        ///< the user's V2TIMGroupMemberRole (0: not a member)
    int64_t joinTime;     ///< when the user joined, seconds since the epoch
    uint32_t modifyFlag;  ///< SetGroupInfo: V2TIMGroupInfoModifyFlag bits

    V2TIMGroupInfo() : createTime(0), memberCount(0), role(0), joinTime(0), modifyFlag(0) {}
};

typedef V2TIMVector<V2TIMGroupInfo> V2TIMGroupInfoVector;

/// One group of GetGroupsInfo: resultCode 0 and its info, or why not (10010: no such group).
struct TIM_API V2TIMGroupInfoResult {
    int resultCode;
    V2TIMString resultMsg;
    V2TIMGroupInfo info;

    V2TIMGroupInfoResult() : resultCode(0) {}
};

typedef V2TIMVector<V2TIMGroupInfoResult> V2TIMGroupInfoResultVector;

namespace v2tim {
namespace detail {

inline V2TIMGroupMemberFullInfo MemberFromHandle(const c::V2TIMGroupMemberFullInfo *info) {
    V2TIMGroupMemberFullInfo m;
    if (info) {
        m.userID = Str(c::v2tim_group_member_info_get_user_id(info));
        m.nickName = Str(c::v2tim_group_member_info_get_nick_name(info));
        m.faceURL = Str(c::v2tim_group_member_info_get_face_url(info));
        m.role = c::v2tim_group_member_info_get_role(info);
        m.joinTime = c::v2tim_group_member_info_get_join_time(info);
    }
    return m;
}

inline V2TIMGroupMemberFullInfoVector MembersFromList(const c::V2TIMGroupMemberFullInfoList *list) {
    V2TIMGroupMemberFullInfoVector v;
    size_t n = c::v2tim_group_member_info_list_size(list);
    for (size_t i = 0; i < n; i++) v.PushBack(MemberFromHandle(c::v2tim_group_member_info_list_get(list, i)));
    return v;
}

inline V2TIMGroupInfo GroupFromHandle(const c::V2TIMGroupInfo *g) {
    V2TIMGroupInfo info;
    if (g) {
        info.groupID = Str(c::v2tim_group_info_get_group_id(g));
        info.groupType = Str(c::v2tim_group_info_get_group_type(g));
        info.groupName = Str(c::v2tim_group_info_get_group_name(g));
        info.notification = Str(c::v2tim_group_info_get_notification(g));
        info.introduction = Str(c::v2tim_group_info_get_introduction(g));
        info.faceURL = Str(c::v2tim_group_info_get_face_url(g));
        info.owner = Str(c::v2tim_group_info_get_owner(g));
        info.createTime = c::v2tim_group_info_get_create_time(g);
        info.memberCount = c::v2tim_group_info_get_member_count(g);
        info.role = c::v2tim_group_info_get_role(g);
        info.joinTime = c::v2tim_group_info_get_join_time(g);
    }
    return info;
}

}  // namespace detail
}  // namespace v2tim

#endif  // V2TIM_CPP_GROUP_H
