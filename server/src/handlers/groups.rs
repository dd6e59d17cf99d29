//! Group handlers: creation, joining, invitations, leaving, roles, member lists. They run
//! on the storage thread inside the command's savepoint. A member's span of the group's
//! conversation starts and ends with its membership (see `store::Membership`). Membership
//! changes are not yet announced as sync events (a later issue adds group events).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use v2tim_proto::codes;
use v2tim_proto::frames::{Empty, GroupIdAck, MembersPage};
use v2tim_proto::limits;
use v2tim_proto::model::role;

use crate::handlers::Done;
use crate::rules::{self, Refusal};
use crate::store::{self, Tx};

/// A fresh candidate id like V2TIM's `@TGS#2FGU3UIIM`: base36 of a per-process random hash
/// of a counter and the clock (unguessable enough not to collide with a client's choice;
/// collisions are checked anyway).
fn generated_group_id(now: i64) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_i64(now);
    let mut n = h.finish();
    let mut digits = Vec::new();
    while n > 0 {
        let d = (n % 36) as u8;
        digits.push(if d < 10 { b'0' + d } else { b'A' + d - 10 });
        n /= 36;
    }
    digits.reverse();
    let tail = String::from_utf8(digits).unwrap_or_default();
    format!(
        "{}{}",
        rules::GENERATED_GROUP_PREFIX,
        if tail.is_empty() { "0" } else { &tail }
    )
}

/// Makes `user` a member of the group and of its conversation, whose entries from now on
/// are the user's.
async fn add_member<T: Tx>(
    db: &mut T,
    app: u32,
    group_id: &str,
    user: &str,
    role: u32,
    now: i64,
) -> Result<(), Refusal> {
    db.insert_member(app, group_id, user, role, now).await?;
    let head = db.stream_head(app).await?;
    let key = store::group_key(group_id);
    db.join_conv(app, user, &key, head).await?;
    // What was said before the user joined is not unread for them.
    if let Some(m) = super::conversations::newest_message(db, app, &key).await? {
        db.set_read_seq(app, user, &key, m.seq).await?;
    }
    Ok(())
}

/// The group's type and the caller's role, or the refusal for a missing group.
async fn group_and_role<T: Tx>(
    db: &mut T,
    app: u32,
    group_id: &str,
    user: &str,
) -> Result<(String, Option<u32>), Refusal> {
    rules::check_group_id(group_id)?;
    let group = db
        .get_group(app, group_id)
        .await?
        .ok_or_else(|| Refusal::group_not_found(group_id))?;
    let role = db.member_role(app, group_id, user).await?;
    Ok((group.group_type, role))
}

pub(crate) async fn create<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_type: &str,
    group_id: &str,
    name: &str,
    now: i64,
) -> Result<Done, Refusal> {
    rules::check_new_group(group_type, group_id, name)?;
    let group_id = if group_id.is_empty() {
        let mut tries = 0;
        loop {
            let candidate = generated_group_id(now);
            if !db.group_exists(app, &candidate).await? {
                break candidate;
            }
            tries += 1;
            if tries > 16 {
                return Err(Refusal::new(
                    codes::ERR_SVR_COMM_INTERNAL,
                    "could not generate a free group id",
                ));
            }
        }
    } else {
        if db.group_exists(app, group_id).await? {
            return Err(Refusal::new(
                codes::ERR_SVR_GROUP_GROUPID_IN_USED,
                format!("group id {group_id:?} is already in use"),
            ));
        }
        group_id.to_string()
    };
    db.insert_group(app, &group_id, group_type, name, caller, now)
        .await?;
    add_member(db, app, &group_id, caller, role::OWNER, now).await?;
    Ok(Done::answer(&GroupIdAck { group_id }))
}

pub(crate) async fn join<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
    now: i64,
) -> Result<Done, Refusal> {
    let (group_type, role) = group_and_role(db, app, group_id, caller).await?;
    if role.is_some() {
        return Err(Refusal::new(
            codes::ERR_SVR_GROUP_ALLREADY_MEMBER,
            format!("already a member of group {group_id:?}"),
        ));
    }
    if !rules::may_join_freely(&group_type) {
        return Err(Refusal::group_denied(format!(
            "{group_type} groups are invite-only"
        )));
    }
    add_member(db, app, group_id, caller, role::MEMBER, now).await?;
    Ok(Done::answer(&Empty {}))
}

/// Adds the invitees as members. Invitees already in the group are left as they are; an
/// invitee's account is created if it never logged in.
pub(crate) async fn invite<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
    user_ids: &[String],
    now: i64,
) -> Result<Done, Refusal> {
    let (group_type, role) = group_and_role(db, app, group_id, caller).await?;
    let Some(role) = role else {
        return Err(Refusal::group_denied(format!(
            "only members may invite to group {group_id:?}"
        )));
    };
    if !rules::may_invite(&group_type, role) {
        return Err(Refusal::group_denied(format!(
            "only the owner and admins may invite to a {group_type} group"
        )));
    }
    if user_ids.is_empty() || user_ids.len() > rules::MAX_INVITEES {
        return Err(Refusal::group_params(format!(
            "invite names 1 to {} users",
            rules::MAX_INVITEES
        )));
    }
    if let Some(bad) = user_ids.iter().find(|u| !limits::is_valid_user_id(u)) {
        return Err(Refusal::group_params(format!(
            "{bad:?} is not a valid user id"
        )));
    }
    for user in user_ids {
        if db.member_role(app, group_id, user).await?.is_none() {
            db.ensure_account(app, user, now).await?;
            add_member(db, app, group_id, user, role::MEMBER, now).await?;
        }
    }
    Ok(Done::answer(&Empty {}))
}

pub(crate) async fn quit<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
) -> Result<Done, Refusal> {
    let (_, role) = group_and_role(db, app, group_id, caller).await?;
    match role {
        None => Err(Refusal::group_denied(format!(
            "not a member of group {group_id:?}"
        ))),
        Some(role::OWNER) => Err(Refusal::group_denied(
            "the owner cannot quit the group; transfer ownership first (set_member_role 400)",
        )),
        Some(_) => {
            db.delete_member(app, group_id, caller).await?;
            // What the member had stays in its sequence, and recalls of it still come.
            let head = db.stream_head(app).await?;
            db.leave_conv(app, caller, &store::group_key(group_id), head)
                .await?;
            Ok(Done::answer(&Empty {}))
        }
    }
}

/// Owner only: 200/300 set another member's role, 400 hands ownership over.
pub(crate) async fn set_role<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
    target: &str,
    new_role: u32,
) -> Result<Done, Refusal> {
    let (_, role) = group_and_role(db, app, group_id, caller).await?;
    if role != Some(role::OWNER) {
        return Err(Refusal::group_denied(
            "only the group owner may set member roles",
        ));
    }
    if !rules::is_settable_role(new_role) {
        return Err(Refusal::group_params(
            "role must be 200 (member), 300 (admin) or 400 (owner)",
        ));
    }
    if target == caller {
        return Err(Refusal::group_params(
            "the owner cannot change its own role; transfer ownership to another member",
        ));
    }
    if db.member_role(app, group_id, target).await?.is_none() {
        return Err(Refusal::group_params(format!(
            "{target:?} is not a member of group {group_id:?}"
        )));
    }
    db.set_member_role(app, group_id, target, new_role).await?;
    if new_role == role::OWNER {
        db.set_member_role(app, group_id, caller, role::MEMBER)
            .await?;
        db.set_group_owner(app, group_id, target).await?;
    }
    Ok(Done::answer(&Empty {}))
}

pub(crate) async fn members<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
) -> Result<Done, Refusal> {
    let (_, role) = group_and_role(db, app, group_id, caller).await?;
    if role.is_none() {
        return Err(Refusal::group_denied(format!(
            "only members may list the members of group {group_id:?}"
        )));
    }
    Ok(Done::answer(&MembersPage {
        members: db.members(app, group_id).await?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_valid_and_distinct() {
        let a = generated_group_id(1);
        let b = generated_group_id(1);
        assert_ne!(a, b);
        assert!(a.starts_with("@TGS#"));
        assert!(limits::is_valid_group_id(&a), "{a}");
    }
}
