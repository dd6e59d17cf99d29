//! Size and format limits checked on both sides (the SDK to fail fast, the server because it
//! cannot trust any client).

/// Longest user id, in bytes.
pub const MAX_USER_ID_BYTES: usize = 32;
/// Longest group id, in bytes.
pub const MAX_GROUP_ID_BYTES: usize = 48;
/// Longest message id, in bytes.
pub const MAX_MSG_ID_BYTES: usize = 64;
/// Largest message body (text, or custom data + description + extension), in bytes.
pub const MAX_MSG_BODY_BYTES: usize = 12 * 1024;
/// Largest `cloud_custom_data` of a message, in bytes.
pub const MAX_CLOUD_CUSTOM_DATA_BYTES: usize = 12 * 1024;
/// Largest offline push info of a message, as stored (JSON), in bytes.
pub const MAX_OFFLINE_PUSH_BYTES: usize = 4 * 1024;
/// Largest frame either side accepts, in bytes.
pub const MAX_FRAME_BYTES: usize = 1024 * 1024;
/// Largest group name, in bytes.
pub const MAX_GROUP_NAME_BYTES: usize = 100;
/// Longest group notification and introduction, in bytes (V2TIM's limits).
pub const MAX_GROUP_NOTIFICATION_BYTES: usize = 300;
pub const MAX_GROUP_INTRODUCTION_BYTES: usize = 240;
/// Most members one member-list page carries.
pub const MAX_MEMBER_PAGE: u32 = 100;
/// Most groups one `get_groups_info` names.
pub const MAX_GROUPS_INFO: usize = 100;
/// Most events one sync page carries.
pub const MAX_SYNC_PAGE: u32 = 500;
/// Most messages one history page carries.
pub const MAX_HISTORY_PAGE: u32 = 100;
/// Most element types one history read filters on (V2TIM's types are 0 to 31).
pub const MAX_HISTORY_ELEM_TYPES: usize = 32;
/// Most conversations one conversation-list page carries.
pub const MAX_CONVERSATION_PAGE: u32 = 100;

/// Most users one `get_users_info` names.
pub const MAX_USERS_INFO: usize = 100;
/// Longest nick name, face URL or self signature, in bytes.
pub const MAX_PROFILE_TEXT_BYTES: usize = 500;
/// Most custom profile keys a user has, longest key, largest value (decoded bytes).
pub const MAX_PROFILE_CUSTOM_KEYS: usize = 20;
pub const MAX_PROFILE_CUSTOM_KEY_BYTES: usize = 16;
pub const MAX_PROFILE_CUSTOM_VALUE_BYTES: usize = 500;

/// The identity the admin API runs as.
pub const ADMIN_USER_ID: &str = "administrator";

/// Printable ASCII without space, 1..=`max` bytes: the rule for user, group and message ids.
pub fn is_valid_id(id: &str, max: usize) -> bool {
    !id.is_empty() && id.len() <= max && id.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

pub fn is_valid_user_id(id: &str) -> bool {
    is_valid_id(id, MAX_USER_ID_BYTES)
}

pub fn is_valid_group_id(id: &str) -> bool {
    is_valid_id(id, MAX_GROUP_ID_BYTES)
}

pub fn is_valid_msg_id(id: &str) -> bool {
    is_valid_id(id, MAX_MSG_ID_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_user_id("alice"));
        assert!(is_valid_user_id(&"a".repeat(32)));
        assert!(!is_valid_user_id(&"a".repeat(33)));
        assert!(!is_valid_user_id(""));
        assert!(!is_valid_user_id("a b"));
        assert!(!is_valid_user_id("é"));
        assert!(!is_valid_user_id("a\nb"));
    }
}
