//! V2TIM's enumerations, with V2TIM's names and numbers. Functions take and return them as
//! plain integers (`int32_t status`, `uint32_t role`) as the pinned signatures do; these
//! enums name the values.

#![allow(non_camel_case_types)]

use v2tim_proto::model::{elem_type, priority, role, status};

use crate::core::{conversation_type, log_level, login_status};

/// Status of a message (`v2tim_message_get_status`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMMessageStatus {
    /// Created or being sent, not yet accepted by the server.
    V2TIM_MSG_STATUS_SENDING = 1,
    /// Accepted and stored by the server.
    V2TIM_MSG_STATUS_SEND_SUCC = 2,
    /// Sending failed.
    V2TIM_MSG_STATUS_SEND_FAIL = 3,
    /// Deleted.
    V2TIM_MSG_STATUS_HAS_DELETED = 4,
    /// Imported locally.
    V2TIM_MSG_STATUS_LOCAL_IMPORTED = 5,
    /// Recalled: content erased, revoker and reason readable.
    V2TIM_MSG_STATUS_LOCAL_REVOKED = 6,
}

/// Log levels (`v2tim_set_log_listener`, `V2TIMSDKConfig.log_level`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMLogLevel {
    /// Nothing.
    V2TIM_LOG_NONE = 0,
    V2TIM_LOG_DEBUG = 3,
    V2TIM_LOG_INFO = 4,
    V2TIM_LOG_WARN = 5,
    V2TIM_LOG_ERROR = 6,
}

/// A profile's gender (`v2tim_user_full_info_get_gender`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMGender {
    V2TIM_GENDER_UNKNOWN = 0,
    V2TIM_GENDER_MALE = 1,
    V2TIM_GENDER_FEMALE = 2,
}

/// Who may send a friend request (`v2tim_user_full_info_get_allow_type`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMFriendAllowType {
    V2TIM_FRIEND_ALLOW_ANY = 0,
    V2TIM_FRIEND_NEED_CONFIRM = 1,
    V2TIM_FRIEND_DENY_ANY = 2,
}

/// Type of a conversation (`v2tim_conversation_get_type`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMConversationType {
    /// One-to-one: "c2c_<userID>".
    V2TIM_C2C = 1,
    /// A group's: "group_<groupID>".
    V2TIM_GROUP = 2,
}

/// Kind of content of a message (`v2tim_message_get_elem_type`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMElemType {
    /// No content: the message was recalled (its content erased).
    V2TIM_ELEM_TYPE_NONE = 0,
    /// Text (`v2tim_create_text_message`).
    V2TIM_ELEM_TYPE_TEXT = 1,
    /// Custom binary data with description and extension (`v2tim_create_custom_message`).
    V2TIM_ELEM_TYPE_CUSTOM = 2,
    /// Group tips, written by the server (`v2tim_message_get_group_tips_elem`).
    V2TIM_ELEM_TYPE_GROUP_TIPS = 9,
}

/// Priority of a message (`priority` of `v2tim_send_message`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMMessagePriority {
    V2TIM_PRIORITY_DEFAULT = 0,
    V2TIM_PRIORITY_HIGH = 1,
    V2TIM_PRIORITY_NORMAL = 2,
    V2TIM_PRIORITY_LOW = 3,
}

/// Role of a group member (`role` of `v2tim_set_group_member_role`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMGroupMemberRole {
    /// Ordinary member.
    V2TIM_GROUP_MEMBER_ROLE_MEMBER = 200,
    /// Administrator.
    V2TIM_GROUP_MEMBER_ROLE_ADMIN = 300,
    /// Owner ("super" in V2TIM); setting it transfers ownership.
    V2TIM_GROUP_MEMBER_ROLE_SUPER = 400,
}

/// Login status (`v2tim_get_login_status`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMLoginStatus {
    V2TIM_STATUS_LOGINED = 1,
    V2TIM_STATUS_LOGINING = 2,
    V2TIM_STATUS_LOGOUT = 3,
}

// The core and the protocol use plain constants; keep both spellings equal.
const _: () = {
    use V2TIMMessageStatus::*;
    assert!(V2TIM_MSG_STATUS_SENDING as i32 == status::SENDING);
    assert!(V2TIM_MSG_STATUS_SEND_SUCC as i32 == status::SEND_SUCC);
    assert!(V2TIM_MSG_STATUS_SEND_FAIL as i32 == status::SEND_FAIL);
    assert!(V2TIM_MSG_STATUS_HAS_DELETED as i32 == status::HAS_DELETED);
    assert!(V2TIM_MSG_STATUS_LOCAL_IMPORTED as i32 == status::LOCAL_IMPORTED);
    assert!(V2TIM_MSG_STATUS_LOCAL_REVOKED as i32 == status::LOCAL_REVOKED);
    assert!(V2TIMLogLevel::V2TIM_LOG_INFO as i32 == log_level::INFO);
    assert!(V2TIMLogLevel::V2TIM_LOG_ERROR as i32 == log_level::ERROR);
    assert!(V2TIMConversationType::V2TIM_C2C as i32 == conversation_type::C2C);
    assert!(V2TIMConversationType::V2TIM_GROUP as i32 == conversation_type::GROUP);
    assert!(V2TIMElemType::V2TIM_ELEM_TYPE_NONE as i32 == elem_type::NONE);
    assert!(V2TIMElemType::V2TIM_ELEM_TYPE_TEXT as i32 == elem_type::TEXT);
    assert!(V2TIMElemType::V2TIM_ELEM_TYPE_CUSTOM as i32 == elem_type::CUSTOM);
    assert!(V2TIMElemType::V2TIM_ELEM_TYPE_GROUP_TIPS as i32 == elem_type::GROUP_TIPS);
    assert!(
        V2TIMGroupTipsType::V2TIM_GROUP_TIPS_TYPE_GROUP_DISMISSED as u32
            == v2tim_proto::group::tips_type::GROUP_DISMISSED
    );
    assert!(
        V2TIMGroupTipsType::V2TIM_GROUP_TIPS_TYPE_GROUP_INFO_CHANGE as u32
            == v2tim_proto::group::tips_type::GROUP_INFO_CHANGE
    );
    assert!(
        V2TIMGroupMemberResult::V2TIM_GROUP_MEMBER_RESULT_OVERLIMIT as u32
            == v2tim_proto::group::member_result::OVERLIMIT
    );
    assert!(V2TIMMessagePriority::V2TIM_PRIORITY_DEFAULT as i32 == priority::DEFAULT);
    assert!(V2TIMMessagePriority::V2TIM_PRIORITY_HIGH as i32 == priority::HIGH);
    assert!(V2TIMMessagePriority::V2TIM_PRIORITY_NORMAL as i32 == priority::NORMAL);
    assert!(V2TIMMessagePriority::V2TIM_PRIORITY_LOW as i32 == priority::LOW);
    assert!(V2TIMGroupMemberRole::V2TIM_GROUP_MEMBER_ROLE_MEMBER as u32 == role::MEMBER);
    assert!(V2TIMGroupMemberRole::V2TIM_GROUP_MEMBER_ROLE_ADMIN as u32 == role::ADMIN);
    assert!(V2TIMGroupMemberRole::V2TIM_GROUP_MEMBER_ROLE_SUPER as u32 == role::OWNER);
    assert!(V2TIMLoginStatus::V2TIM_STATUS_LOGINED as i32 == login_status::LOGINED);
    assert!(V2TIMLoginStatus::V2TIM_STATUS_LOGINING as i32 == login_status::LOGINING);
    assert!(V2TIMLoginStatus::V2TIM_STATUS_LOGOUT as i32 == login_status::LOGOUT);
};
/// `modify_flags` bits of `v2tim_set_group_info` (V2TIMGroupInfoModifyFlag).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMGroupInfoModifyFlag {
    V2TIM_GROUP_INFO_MODIFY_FLAG_GROUP_NAME = 1,
    V2TIM_GROUP_INFO_MODIFY_FLAG_NOTIFICATION = 2,
    V2TIM_GROUP_INFO_MODIFY_FLAG_INTRODUCTION = 4,
    V2TIM_GROUP_INFO_MODIFY_FLAG_FACE_URL = 8,
}

/// What a group tips message reports (`v2tim_group_tips_get_type`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMGroupTipsType {
    V2TIM_GROUP_TIPS_TYPE_JOIN = 1,
    V2TIM_GROUP_TIPS_TYPE_INVITE = 2,
    V2TIM_GROUP_TIPS_TYPE_QUIT = 3,
    V2TIM_GROUP_TIPS_TYPE_KICKED = 4,
    V2TIM_GROUP_TIPS_TYPE_SET_ADMIN = 5,
    V2TIM_GROUP_TIPS_TYPE_CANCEL_ADMIN = 6,
    V2TIM_GROUP_TIPS_TYPE_GROUP_INFO_CHANGE = 7,
    /// v2tim: the group was dismissed (V2TIM's onGroupDismissed); only in
    /// `V2TIMGroupListener.on_group_tips`, never in a message the app is given.
    V2TIM_GROUP_TIPS_TYPE_GROUP_DISMISSED = 256,
}

/// What changed in a GROUP_INFO_CHANGE tips (`v2tim_group_tips_get_change_info_type`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMGroupInfoChangeType {
    V2TIM_GROUP_INFO_CHANGE_TYPE_NAME = 1,
    V2TIM_GROUP_INFO_CHANGE_TYPE_INTRODUCTION = 2,
    V2TIM_GROUP_INFO_CHANGE_TYPE_NOTIFICATION = 3,
    V2TIM_GROUP_INFO_CHANGE_TYPE_FACE_URL = 4,
    V2TIM_GROUP_INFO_CHANGE_TYPE_OWNER = 5,
}

/// Which members `v2tim_get_group_member_list` lists (bits; 0 all).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMGroupMemberFilter {
    V2TIM_GROUP_MEMBER_FILTER_ALL = 0,
    V2TIM_GROUP_MEMBER_FILTER_OWNER = 1,
    V2TIM_GROUP_MEMBER_FILTER_ADMIN = 2,
    V2TIM_GROUP_MEMBER_FILTER_COMMON = 4,
}

/// How `v2tim_send_message_with_flags` sends (bits; 0 as `v2tim_send_message`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMSendFlag {
    V2TIM_SEND_FLAG_NONE = 0,
    /// V2TIM's `onlineUserOnly`: to the devices online now only; never stored, not in
    /// history or sync, no unread count, no conversation change, cannot be recalled.
    V2TIM_SEND_FLAG_ONLINE_USER_ONLY = 1,
}

/// Per-user result of an invitation or removal
/// (`v2tim_group_member_operation_result_list_get_result`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2TIMGroupMemberResult {
    V2TIM_GROUP_MEMBER_RESULT_FAIL = 0,
    V2TIM_GROUP_MEMBER_RESULT_SUCC = 1,
    V2TIM_GROUP_MEMBER_RESULT_INVALID = 2,
    V2TIM_GROUP_MEMBER_RESULT_PENDING = 3,
    V2TIM_GROUP_MEMBER_RESULT_OVERLIMIT = 4,
}
