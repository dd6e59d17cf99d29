//! Groups on the wire: a group's profile, what `set_group_info` changes, members, and the
//! group tips message the server writes into a group's conversation for every change of
//! its membership or profile.

use serde::{Deserialize, Serialize};

use crate::limits;

/// V2TIM's group tips types (`V2TIMGroupTipsType`), and v2tim's dismissal notice.
pub mod tips_type {
    pub const JOIN: u32 = 1;
    pub const INVITE: u32 = 2;
    pub const QUIT: u32 = 3;
    pub const KICKED: u32 = 4;
    pub const SET_ADMIN: u32 = 5;
    pub const CANCEL_ADMIN: u32 = 6;
    pub const GROUP_INFO_CHANGE: u32 = 7;
    /// Not a V2TIM tips type: the group was dismissed. It ends every member's span of the
    /// group's conversation; SDKs report it as `onGroupDismissed`, never as a message.
    pub const GROUP_DISMISSED: u32 = 256;
}

/// V2TIM's group profile change types (`V2TIMGroupInfoChangeType`).
pub mod change_type {
    pub const NAME: u32 = 1;
    pub const INTRODUCTION: u32 = 2;
    pub const NOTIFICATION: u32 = 3;
    pub const FACE_URL: u32 = 4;
    pub const OWNER: u32 = 5;
}

/// V2TIM's member list filters (`V2TIMGroupMemberFilter`): 0 is everyone, otherwise any
/// combination of the bits.
pub mod member_filter {
    pub const ALL: u32 = 0;
    pub const OWNER: u32 = 1;
    pub const ADMIN: u32 = 2;
    pub const COMMON: u32 = 4;
}

/// V2TIM's per-user results of invitations and removals (`V2TIMGroupMemberResult`).
pub mod member_result {
    pub const FAIL: u32 = 0;
    pub const SUCC: u32 = 1;
    /// Not applicable to this user: already a member (invite), not a member (kick), or the
    /// caller may not remove them.
    pub const INVALID: u32 = 2;
    /// The group is full.
    pub const OVERLIMIT: u32 = 4;
}

/// A group member, with the member's current nick name and face URL (profile). In a tips
/// message the names are those of the moment the tips were written, and `role` and
/// `join_time_ms` are 0.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberInfo {
    pub user_id: String,
    #[serde(default)]
    pub role: u32,
    #[serde(default)]
    pub join_time_ms: i64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub nick_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub face_url: String,
}

/// A group's profile, and the caller's place in it (`role` 0 and `join_time_ms` 0 for a
/// caller who is not a member).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupInfo {
    pub group_id: String,
    pub group_type: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub notification: String,
    #[serde(default)]
    pub introduction: String,
    #[serde(default)]
    pub face_url: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub create_time_ms: i64,
    #[serde(default)]
    pub member_count: u32,
    #[serde(default)]
    pub role: u32,
    #[serde(default)]
    pub join_time_ms: i64,
}

/// The part of a group's profile its members edit, stored as one document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupProfile {
    #[serde(default)]
    pub notification: String,
    #[serde(default)]
    pub introduction: String,
    #[serde(default)]
    pub face_url: String,
}

impl GroupProfile {
    /// A profile given whole (at creation): each field within its limit. The English reason
    /// when it is refused.
    pub fn check(&self) -> Result<(), String> {
        GroupChanges {
            name: None,
            notification: Some(self.notification.clone()),
            introduction: Some(self.introduction.clone()),
            face_url: Some(self.face_url.clone()),
        }
        .check()
    }
}

/// What `set_group_info` changes: each field that is present.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupChanges {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_url: Option<String>,
}

impl GroupChanges {
    fn fields(&self) -> [(&'static str, u32, &Option<String>, usize); 4] {
        [
            (
                "group name",
                change_type::NAME,
                &self.name,
                limits::MAX_GROUP_NAME_BYTES,
            ),
            (
                "notification",
                change_type::NOTIFICATION,
                &self.notification,
                limits::MAX_GROUP_NOTIFICATION_BYTES,
            ),
            (
                "introduction",
                change_type::INTRODUCTION,
                &self.introduction,
                limits::MAX_GROUP_INTRODUCTION_BYTES,
            ),
            (
                "face URL",
                change_type::FACE_URL,
                &self.face_url,
                limits::MAX_PROFILE_TEXT_BYTES,
            ),
        ]
    }

    /// Checked by the SDK (to fail fast) and the server (which trusts no client): the
    /// English reason when the change is refused.
    pub fn check(&self) -> Result<(), String> {
        let mut any = false;
        for (what, _, v, max) in self.fields() {
            if let Some(v) = v {
                any = true;
                if v.len() > max {
                    return Err(format!("the {what} is over {max} bytes"));
                }
            }
        }
        if any {
            Ok(())
        } else {
            Err("the change names no field".into())
        }
    }

    /// Applies the changes and answers what they changed, as V2TIM reports it.
    pub fn apply(&self, name: &mut String, p: &mut GroupProfile) -> Vec<GroupChange> {
        let mut changed = Vec::new();
        for (_, kind, v, _) in self.fields() {
            let Some(v) = v else { continue };
            let dst = match kind {
                change_type::NAME => &mut *name,
                change_type::NOTIFICATION => &mut p.notification,
                change_type::INTRODUCTION => &mut p.introduction,
                _ => &mut p.face_url,
            };
            if dst != v {
                dst.clone_from(v);
                changed.push(GroupChange {
                    kind,
                    value: v.clone(),
                });
            }
        }
        changed
    }
}

/// One changed field of a group's profile (`V2TIMGroupChangeInfo`): a [`change_type`] and
/// the new value (for `OWNER`, the new owner's user id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupChange {
    pub kind: u32,
    #[serde(default)]
    pub value: String,
}

/// The content of a group tips message (`V2TIMGroupTipsElem`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupTips {
    /// A [`tips_type`].
    pub tips_type: u32,
    /// Who did it (for JOIN and QUIT, the member who joined or left).
    pub op_user: MemberInfo,
    /// Whom it concerns: joined, invited, left, kicked, made or unmade admin.
    #[serde(default)]
    pub members: Vec<MemberInfo>,
    /// GROUP_INFO_CHANGE: what changed.
    #[serde(default)]
    pub changes: Vec<GroupChange>,
    /// Members after the change.
    #[serde(default)]
    pub member_count: u32,
}

/// Per-user outcome of an invitation or removal (`V2TIMGroupMemberOperationResult`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberResult {
    pub user_id: String,
    /// A [`member_result`].
    pub result: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_report_only_what_differs() {
        let c = GroupChanges {
            name: Some("n".into()),
            notification: Some("same".into()),
            ..Default::default()
        };
        assert!(c.check().is_ok());
        let mut name = "old".to_string();
        let mut p = GroupProfile {
            notification: "same".into(),
            ..Default::default()
        };
        let changed = c.apply(&mut name, &mut p);
        assert_eq!(
            changed,
            vec![GroupChange {
                kind: change_type::NAME,
                value: "n".into()
            }]
        );
        assert_eq!(name, "n");
        assert!(GroupChanges::default().check().is_err());
        let long = GroupChanges {
            introduction: Some("x".repeat(limits::MAX_GROUP_INTRODUCTION_BYTES + 1)),
            ..Default::default()
        };
        assert!(long.check().unwrap_err().contains("introduction"));
    }
}
