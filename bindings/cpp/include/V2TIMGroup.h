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

/// A group member as V2TIM reports one (V2TIMGroupMemberFullInfo). v2tim fills userID,
/// nickName and faceURL (the user's profile); nameCard and friendRemark stay empty (no group
/// name cards, no friends), role is V2TIM_GROUP_MEMBER_UNDEFINED where it is not known.
struct TIM_API V2TIMGroupMemberFullInfo {
    V2TIMString userID;
    V2TIMString nickName;
    V2TIMString nameCard;
    V2TIMString friendRemark;
    V2TIMString faceURL;
    uint32_t role;
    int64_t joinTime;

    V2TIMGroupMemberFullInfo() : role(V2TIM_GROUP_MEMBER_UNDEFINED), joinTime(0) {}
};

#endif  // V2TIM_CPP_GROUP_H
