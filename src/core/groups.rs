//! Groups: V2TIMGroupManager's calls beyond joining, quitting and roles (those are in
//! `manager`). Group events reach hosts through [`GroupListener`], from group tips.

use std::sync::Arc;

use v2tim_proto::group::{GroupChanges, GroupInfo, GroupProfile, MemberResult};
use v2tim_proto::model::ConvRef;
use v2tim_proto::{
    limits, GroupIdAck, GroupInfoResult, GroupList, GroupsInfo, MemberResults, MembersPage, Request,
};

use super::error::Error;
use super::listener::{GroupListener, ListenerKey};
use super::manager::{check_group_id, check_user_id, fail, Completion, Manager};

/// Checks a list of user ids named by an invitation or removal.
fn check_users(user_ids: &[String]) -> Result<(), Error> {
    if user_ids.is_empty() {
        return Err(Error::invalid("the user list is empty"));
    }
    user_ids
        .iter()
        .try_for_each(|u| check_user_id(u, "each user id of the list"))
}

impl Manager {
    /// Creates a group (V2TIMGroupManager::createGroup(info, memberList)): `profile` sets
    /// its notification, introduction and face URL; `member_ids` join at once. `done` gets
    /// the group id.
    pub fn create_group_with(
        &self,
        group_type: &str,
        group_id: &str,
        group_name: &str,
        profile: GroupProfile,
        member_ids: Vec<String>,
        done: Completion<String>,
    ) {
        if !group_id.is_empty() {
            if let Err(e) = check_group_id(group_id) {
                return fail(done, e);
            }
        }
        if !member_ids.is_empty() {
            if let Err(e) = check_users(&member_ids) {
                return fail(done, e);
            }
        }
        let req = Request::CreateGroup {
            group_type: group_type.to_owned(),
            group_id: group_id.to_owned(),
            name: group_name.to_owned(),
            profile,
            member_ids,
        };
        let inner = Arc::clone(&self.inner);
        self.call(
            req,
            move |ack: GroupIdAck| {
                // The group's conversation exists from now on, before any message.
                inner.fetch_conversation(
                    ConvRef::Group {
                        group_id: ack.group_id.clone(),
                    },
                    0,
                );
                Ok(ack.group_id)
            },
            done,
        );
    }

    /// Adds users to a group; `done` gets one result per user.
    pub fn invite_user_to_group(
        &self,
        group_id: &str,
        user_ids: Vec<String>,
        done: Completion<Vec<MemberResult>>,
    ) {
        self.member_call(group_id, user_ids, done, |group_id, user_ids| {
            Request::InviteToGroup { group_id, user_ids }
        })
    }

    /// Removes members (the owner anyone, an admin ordinary members); `done` gets one
    /// result per user.
    pub fn kick_group_member(
        &self,
        group_id: &str,
        user_ids: Vec<String>,
        reason: &str,
        done: Completion<Vec<MemberResult>>,
    ) {
        let reason = reason.to_owned();
        self.member_call(group_id, user_ids, done, move |group_id, user_ids| {
            Request::KickFromGroup {
                group_id,
                user_ids,
                reason,
            }
        })
    }

    fn member_call(
        &self,
        group_id: &str,
        user_ids: Vec<String>,
        done: Completion<Vec<MemberResult>>,
        req: impl FnOnce(String, Vec<String>) -> Request,
    ) {
        if let Err(e) = check_group_id(group_id).and_then(|_| check_users(&user_ids)) {
            return fail(done, e);
        }
        self.call(
            req(group_id.to_owned(), user_ids),
            |r: MemberResults| Ok(r.results),
            done,
        );
    }

    /// Ends a group (its owner; not a Work group).
    pub fn dismiss_group(&self, group_id: &str, done: Completion<()>) {
        let req = Request::DismissGroup {
            group_id: group_id.to_owned(),
        };
        self.group_call(group_id, req, done);
    }

    /// Changes the fields of `changes` that are set.
    pub fn set_group_info(&self, group_id: &str, changes: GroupChanges, done: Completion<()>) {
        if let Err(e) = changes.check() {
            return fail(done, Error::invalid(e));
        }
        let req = Request::SetGroupInfo {
            group_id: group_id.to_owned(),
            changes,
        };
        self.group_call(group_id, req, done);
    }

    /// Profiles of up to 100 groups, each with its own result.
    pub fn get_groups_info(&self, group_ids: Vec<String>, done: Completion<Vec<GroupInfoResult>>) {
        if group_ids.is_empty() || group_ids.len() > limits::MAX_GROUPS_INFO {
            return fail(
                done,
                Error::invalid(format!(
                    "group_id_list must name 1 to {} groups",
                    limits::MAX_GROUPS_INFO
                )),
            );
        }
        if let Some(e) = group_ids.iter().find_map(|g| check_group_id(g).err()) {
            return fail(done, e);
        }
        self.call(
            Request::GetGroupsInfo { group_ids },
            |r: GroupsInfo| Ok(r.results),
            done,
        );
    }

    /// The groups the user is a member of.
    pub fn get_joined_group_list(&self, done: Completion<Vec<GroupInfo>>) {
        self.call(Request::GetJoinedGroups, |r: GroupList| Ok(r.groups), done);
    }

    /// A page of members: `filter` a V2TIMGroupMemberFilter combination (0: all), from
    /// `next_seq` (0: the start; the page's `next_seq` is 0 after the last).
    pub fn get_group_member_list(
        &self,
        group_id: &str,
        filter: u32,
        next_seq: u64,
        done: Completion<MembersPage>,
    ) {
        if let Err(e) = check_group_id(group_id) {
            return fail(done, e);
        }
        let req = Request::GetGroupMembers {
            group_id: group_id.to_owned(),
            filter,
            next_seq,
            count: 0,
        };
        self.call(req, Ok, done);
    }

    /// Registers (or replaces, for the same key) a group listener.
    pub fn add_group_listener(&self, key: ListenerKey, listener: Arc<dyn GroupListener>) {
        self.inner.group_listeners.add(key, listener);
    }

    /// After this returns, the listener is never called again.
    pub fn remove_group_listener(&self, key: ListenerKey) {
        self.inner.group_listeners.remove(key);
    }
}
