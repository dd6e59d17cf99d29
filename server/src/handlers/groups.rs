//! Group handlers: creation, joining, invitations, removals, roles, profiles, dismissal,
//! member lists. They run on the storage thread inside the command's savepoint. A member's
//! span of the group's conversation starts and ends with its membership (see
//! `store::Membership`), and every change of members or profile writes a group tips message
//! into the conversation: members see it in sync, pushes and history, and SDKs turn it into
//! `V2TIMGroupListener` events. Who joins is a member before the tips are written, who
//! leaves after, so both see them.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use v2tim_proto::codes;
use v2tim_proto::frames::{
    Empty, GroupIdAck, GroupInfoResult, GroupList, GroupsInfo, MemberResults, MembersPage,
};
use v2tim_proto::group::{
    change_type, member_filter, member_result, tips_type, GroupChange, GroupChanges, GroupInfo,
    GroupProfile, GroupTips, MemberInfo, MemberResult,
};
use v2tim_proto::limits::{self, MAX_GROUPS_INFO, MAX_MEMBER_PAGE};
use v2tim_proto::model::{priority, role, Elem, Event, EventBody, MessageInfo};

use crate::handlers::profiles::Names;
use crate::handlers::{Done, Fanout};
use crate::rules::{self, Refusal};
use crate::store::{self, EntryKind, GroupRow, Tx};
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

/// Ends `user`'s membership; what the member had stays in its sequence, and recalls of it
/// still come.
async fn remove_member<T: Tx>(
    db: &mut T,
    app: u32,
    group_id: &str,
    user: &str,
) -> Result<(), Refusal> {
    db.delete_member(app, group_id, user).await?;
    let head = db.stream_head(app).await?;
    db.leave_conv(app, user, &store::group_key(group_id), head)
        .await?;
    Ok(())
}

/// The group and the caller's role, or the refusal for a missing (or dismissed) group.
async fn group_and_role<T: Tx>(
    db: &mut T,
    app: u32,
    group_id: &str,
    user: &str,
) -> Result<(GroupRow, Option<u32>), Refusal> {
    rules::check_group_id(group_id)?;
    let group = db
        .get_group(app, group_id)
        .await?
        .ok_or_else(|| Refusal::group_not_found(group_id))?;
    let role = db.member_role(app, group_id, user).await?;
    Ok((group, role))
}

/// As [`group_and_role`], for a caller who must be a member.
async fn group_of_member<T: Tx>(
    db: &mut T,
    app: u32,
    group_id: &str,
    user: &str,
) -> Result<(GroupRow, u32), Refusal> {
    match group_and_role(db, app, group_id, user).await? {
        (group, Some(role)) => Ok((group, role)),
        (_, None) => Err(Refusal::group_denied(format!(
            "not a member of group {group_id:?}"
        ))),
    }
}

/// A member as tips name it: with the current nick name and face URL.
async fn tips_member<T: Tx>(
    db: &mut T,
    app: u32,
    names: &mut Names,
    user: &str,
) -> Result<MemberInfo, Refusal> {
    let (nick_name, face_url) = names.of(db, app, user).await?;
    Ok(MemberInfo {
        user_id: user.to_string(),
        nick_name,
        face_url,
        ..MemberInfo::default()
    })
}

/// What a group tips message tells: `kind` done by `op` to `members` (for a profile change,
/// the `changes`).
struct Tips<'a> {
    kind: u32,
    op: &'a str,
    members: &'a [String],
    changes: Vec<GroupChange>,
}

impl<'a> Tips<'a> {
    fn about(kind: u32, op: &'a str, members: &'a [String]) -> Self {
        Tips {
            kind,
            op,
            members,
            changes: Vec::new(),
        }
    }

    /// A change `op` made to the group itself (its profile, its owner, its end).
    fn of_group(kind: u32, op: &'a str, changes: Vec<GroupChange>) -> Self {
        Tips {
            kind,
            op,
            members: &[],
            changes,
        }
    }
}

/// Writes a group tips message into the group's conversation, for the members of this
/// moment; pushed to them after commit. Tips are not unread.
async fn write_tips<T: Tx>(
    db: &mut T,
    app: u32,
    group_id: &str,
    tips: Tips<'_>,
    now: i64,
) -> Result<Fanout, Refusal> {
    let Tips {
        kind,
        op,
        members,
        changes,
    } = tips;
    let mut names = Names::default();
    let op_user = tips_member(db, app, &mut names, op).await?;
    let mut named = Vec::with_capacity(members.len());
    for m in members {
        named.push(tips_member(db, app, &mut names, m).await?);
    }
    let audience: Vec<String> = db
        .members(app, group_id)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    let tips = GroupTips {
        tips_type: kind,
        op_user,
        members: named,
        changes,
        // QUIT, KICKED and GROUP_DISMISSED are written while those leaving are members
        // still (so they are told): they are not counted.
        member_count: match kind {
            tips_type::QUIT | tips_type::KICKED => audience.len().saturating_sub(members.len()),
            tips_type::GROUP_DISMISSED => 0,
            _ => audience.len(),
        } as u32,
    };
    let key = store::group_key(group_id);
    let seq = db.next_conv_seq(app, &key).await?;
    let pos = db
        .append_log(app, &key, EntryKind::Message, seq, None, now)
        .await?;
    let msg = MessageInfo {
        msg_id: format!("{}{pos}", rules::TIPS_MSG_PREFIX),
        seq,
        sender: op.to_string(),
        receiver: String::new(),
        group_id: group_id.to_string(),
        timestamp_ms: now,
        priority: priority::NORMAL,
        elem: Elem::GroupTips(Box::new(tips)),
        revoked: None,
        nick_name: String::new(),
        face_url: String::new(),
        excluded_from_unread: true,
        excluded_from_last: false,
        cloud_custom_data: String::new(),
    };
    db.insert_message(app, &key, &msg, pos, None, None).await?;
    let mut msg = msg;
    names.fill(db, app, &mut msg).await?;
    Ok(Fanout {
        users: audience,
        event: Event {
            seq: pos,
            body: EventBody::NewMessage { msg },
        },
    })
}

fn answer_with<T: serde::Serialize>(data: &T, pushes: Vec<Fanout>) -> Done {
    Done::Answer {
        data: v2tim_proto::AnswerData::of(data),
        pushes,
    }
}

fn check_user_list(user_ids: &[String], what: &str) -> Result<(), Refusal> {
    if user_ids.is_empty() || user_ids.len() > rules::MAX_INVITEES {
        return Err(Refusal::group_params(format!(
            "{what} names 1 to {} users",
            rules::MAX_INVITEES
        )));
    }
    if let Some(bad) = user_ids.iter().find(|u| !limits::is_valid_user_id(u)) {
        return Err(Refusal::group_params(format!(
            "{bad:?} is not a valid user id"
        )));
    }
    Ok(())
}

async fn free_group_id<T: Tx>(db: &mut T, app: u32, now: i64) -> Result<String, Refusal> {
    for _ in 0..16 {
        let candidate = generated_group_id(now);
        if !db.group_exists(app, &candidate).await? {
            return Ok(candidate);
        }
    }
    Err(Refusal::new(
        codes::ERR_SVR_COMM_INTERNAL,
        "could not generate a free group id",
    ))
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn create<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_type: &str,
    group_id: &str,
    name: &str,
    profile: &GroupProfile,
    member_ids: &[String],
    now: i64,
) -> Result<Done, Refusal> {
    rules::check_new_group(group_type, group_id, name)?;
    profile.check().map_err(Refusal::group_params)?;
    if !member_ids.is_empty() {
        check_user_list(member_ids, "the initial member list")?;
    }
    let group_id = if group_id.is_empty() {
        free_group_id(db, app, now).await?
    } else if db.group_exists(app, group_id).await? {
        return Err(Refusal::new(
            codes::ERR_SVR_GROUP_GROUPID_IN_USED,
            format!("group id {group_id:?} is already in use"),
        ));
    } else {
        group_id.to_string()
    };
    db.insert_group(app, &group_id, group_type, name, caller, now)
        .await?;
    if *profile != GroupProfile::default() {
        db.set_group_info(app, &group_id, name, profile).await?;
    }
    add_member(db, app, &group_id, caller, role::OWNER, now).await?;
    let mut added = Vec::new();
    for user in member_ids {
        if user != caller && !added.contains(user) {
            if added.len() + 1 >= rules::max_members(group_type) {
                return Err(Refusal::group_params(format!(
                    "a {group_type} group holds at most {} members",
                    rules::max_members(group_type)
                )));
            }
            db.ensure_account(app, user, now).await?;
            add_member(db, app, &group_id, user, role::MEMBER, now).await?;
            added.push(user.clone());
        }
    }
    let mut pushes = Vec::new();
    if !added.is_empty() {
        let f = write_tips(
            db,
            app,
            &group_id,
            Tips::about(tips_type::INVITE, caller, &added),
            now,
        )
        .await?;
        pushes.push(f);
    }
    Ok(answer_with(&GroupIdAck { group_id }, pushes))
}

pub(crate) async fn join<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
    now: i64,
) -> Result<Done, Refusal> {
    let (group, role) = group_and_role(db, app, group_id, caller).await?;
    if role.is_some() {
        return Err(Refusal::new(
            codes::ERR_SVR_GROUP_ALLREADY_MEMBER,
            format!("already a member of group {group_id:?}"),
        ));
    }
    if !rules::may_join_freely(&group.group_type) {
        return Err(Refusal::group_denied(format!(
            "{} groups are invite-only",
            group.group_type
        )));
    }
    if db.member_count(app, group_id).await? >= rules::max_members(&group.group_type) {
        return Err(Refusal::new(
            codes::ERR_SVR_GROUP_FULL_MEMBER_COUNT,
            format!("group {group_id:?} is full"),
        ));
    }
    add_member(db, app, group_id, caller, role::MEMBER, now).await?;
    let caller_list = [caller.to_string()];
    let tips = Tips::about(tips_type::JOIN, caller, &caller_list);
    let f = write_tips(db, app, group_id, tips, now).await?;
    Ok(answer_with(&Empty {}, vec![f]))
}

/// Adds the invitees as members; each gets its own result (already a member: INVALID; past
/// the group's size: OVERLIMIT). An invitee's account is created if it never logged in.
pub(crate) async fn invite<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
    user_ids: &[String],
    now: i64,
) -> Result<Done, Refusal> {
    let (group, role) = group_of_member(db, app, group_id, caller)
        .await
        .map_err(|_| {
            Refusal::group_denied(format!("only members may invite to group {group_id:?}"))
        })?;
    if !rules::may_invite(&group.group_type, role) {
        return Err(Refusal::group_denied(format!(
            "only the owner and admins may invite to a {} group",
            group.group_type
        )));
    }
    check_user_list(user_ids, "invite")?;
    let mut count = db.member_count(app, group_id).await?;
    let max = rules::max_members(&group.group_type);
    let mut results = Vec::with_capacity(user_ids.len());
    let mut added = Vec::new();
    for user in user_ids {
        let result = if db.member_role(app, group_id, user).await?.is_some() {
            member_result::INVALID
        } else if count >= max {
            member_result::OVERLIMIT
        } else {
            db.ensure_account(app, user, now).await?;
            add_member(db, app, group_id, user, role::MEMBER, now).await?;
            added.push(user.clone());
            count += 1;
            member_result::SUCC
        };
        results.push(MemberResult {
            user_id: user.clone(),
            result,
        });
    }
    let mut pushes = Vec::new();
    if !added.is_empty() {
        pushes.push(
            write_tips(
                db,
                app,
                group_id,
                Tips::about(tips_type::INVITE, caller, &added),
                now,
            )
            .await?,
        );
    }
    Ok(answer_with(&MemberResults { results }, pushes))
}

/// Removes members: each gets its own result (not a member, or not removable by the
/// caller: INVALID).
pub(crate) async fn kick<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
    user_ids: &[String],
    now: i64,
) -> Result<Done, Refusal> {
    let (_, role) = group_of_member(db, app, group_id, caller).await?;
    if role == role::MEMBER {
        return Err(Refusal::group_denied(
            "only the owner and admins may remove members",
        ));
    }
    check_user_list(user_ids, "kick")?;
    let mut results = Vec::with_capacity(user_ids.len());
    let mut kicked = Vec::new();
    for user in user_ids {
        let target = db.member_role(app, group_id, user).await?;
        let ok = user != caller
            && !kicked.contains(user)
            && target.is_some_and(|t| rules::may_kick(role, t));
        if ok {
            kicked.push(user.clone());
        }
        results.push(MemberResult {
            user_id: user.clone(),
            result: if ok {
                member_result::SUCC
            } else {
                member_result::INVALID
            },
        });
    }
    let mut pushes = Vec::new();
    if !kicked.is_empty() {
        // Written while the kicked are members, so their devices learn it too.
        pushes.push(
            write_tips(
                db,
                app,
                group_id,
                Tips::about(tips_type::KICKED, caller, &kicked),
                now,
            )
            .await?,
        );
        for user in &kicked {
            remove_member(db, app, group_id, user).await?;
        }
    }
    Ok(answer_with(&MemberResults { results }, pushes))
}

pub(crate) async fn quit<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
    now: i64,
) -> Result<Done, Refusal> {
    let (_, role) = group_of_member(db, app, group_id, caller).await?;
    if role == role::OWNER {
        return Err(Refusal::group_denied(
            "the owner cannot quit the group; transfer ownership first (set_member_role 400)",
        ));
    }
    let caller_list = [caller.to_string()];
    let tips = Tips::about(tips_type::QUIT, caller, &caller_list);
    let f = write_tips(db, app, group_id, tips, now).await?;
    remove_member(db, app, group_id, caller).await?;
    Ok(answer_with(&Empty {}, vec![f]))
}

/// Ends the group: the owner (not of a Work group), or the admin API (`by_admin`). Every
/// member gets the GROUP_DISMISSED tips and leaves; the id stays taken.
pub(crate) async fn dismiss<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
    by_admin: bool,
    now: i64,
) -> Result<Done, Refusal> {
    let (group, role) = group_and_role(db, app, group_id, caller).await?;
    if !by_admin && !rules::may_dismiss(&group.group_type, role.unwrap_or(0)) {
        return Err(Refusal::group_denied(if group.group_type == "Work" {
            "Work groups cannot be dismissed by their members (V2TIM's rule); the admin API \
             can (destroy_group)"
        } else {
            "only the group owner may dismiss the group"
        }));
    }
    let tips = Tips::of_group(tips_type::GROUP_DISMISSED, caller, Vec::new());
    let f = write_tips(db, app, group_id, tips, now).await?;
    let head = db.stream_head(app).await?;
    let key = store::group_key(group_id);
    for user in &f.users {
        db.leave_conv(app, user, &key, head).await?;
    }
    db.dismiss_group(app, group_id, now).await?;
    Ok(answer_with(&Empty {}, vec![f]))
}

pub(crate) async fn set_info<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
    changes: &GroupChanges,
    now: i64,
) -> Result<Done, Refusal> {
    let (mut group, role) = group_of_member(db, app, group_id, caller).await?;
    if !rules::may_set_group_info(&group.group_type, role) {
        return Err(Refusal::group_denied(format!(
            "only the owner and admins may change the profile of a {} group",
            group.group_type
        )));
    }
    changes.check().map_err(Refusal::group_params)?;
    let changed = changes.apply(&mut group.name, &mut group.profile);
    if changed.is_empty() {
        return Ok(Done::answer(&Empty {}));
    }
    db.set_group_info(app, group_id, &group.name, &group.profile)
        .await?;
    let tips = Tips::of_group(tips_type::GROUP_INFO_CHANGE, caller, changed);
    let f = write_tips(db, app, group_id, tips, now).await?;
    Ok(answer_with(&Empty {}, vec![f]))
}

/// Owner only: 200/300 set another member's role (tips SET_ADMIN / CANCEL_ADMIN), 400
/// hands ownership over (tips GROUP_INFO_CHANGE, owner).
pub(crate) async fn set_role<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
    target: &str,
    new_role: u32,
    now: i64,
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
    let Some(old_role) = db.member_role(app, group_id, target).await? else {
        return Err(Refusal::group_params(format!(
            "{target:?} is not a member of group {group_id:?}"
        )));
    };
    if old_role == new_role {
        return Ok(Done::answer(&Empty {}));
    }
    db.set_member_role(app, group_id, target, new_role).await?;
    let target_list = [target.to_string()];
    let tips = match new_role {
        role::OWNER => {
            db.set_member_role(app, group_id, caller, role::MEMBER)
                .await?;
            db.set_group_owner(app, group_id, target).await?;
            let change = GroupChange {
                kind: change_type::OWNER,
                value: target.to_string(),
            };
            Tips::of_group(tips_type::GROUP_INFO_CHANGE, caller, vec![change])
        }
        role::ADMIN => Tips::about(tips_type::SET_ADMIN, caller, &target_list),
        _ => Tips::about(tips_type::CANCEL_ADMIN, caller, &target_list),
    };
    let f = write_tips(db, app, group_id, tips, now).await?;
    Ok(answer_with(&Empty {}, vec![f]))
}

/// Members in join order with their names, filtered and paged by offset.
pub(crate) async fn members<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
    filter: u32,
    next_seq: u64,
    count: u32,
) -> Result<Done, Refusal> {
    group_of_member(db, app, group_id, caller)
        .await
        .map_err(|_| {
            Refusal::group_denied(format!(
                "only members may list the members of group {group_id:?}"
            ))
        })?;
    let count = if count == 0 || count > MAX_MEMBER_PAGE {
        MAX_MEMBER_PAGE
    } else {
        count
    } as usize;
    let wanted = |r: u32| {
        filter == member_filter::ALL
            || match r {
                role::OWNER => filter & member_filter::OWNER != 0,
                role::ADMIN => filter & member_filter::ADMIN != 0,
                _ => filter & member_filter::COMMON != 0,
            }
    };
    let all: Vec<MemberInfo> = db
        .members(app, group_id)
        .await?
        .into_iter()
        .filter(|m| wanted(m.role))
        .collect();
    let from = usize::try_from(next_seq)
        .unwrap_or(usize::MAX)
        .min(all.len());
    let to = (from + count).min(all.len());
    let mut names = Names::default();
    let mut page = Vec::with_capacity(to - from);
    for mut m in all[from..to].iter().cloned() {
        (m.nick_name, m.face_url) = names.of(db, app, &m.user_id).await?;
        page.push(m);
    }
    Ok(Done::answer(&MembersPage {
        members: page,
        next_seq: if to < all.len() { to as u64 } else { 0 },
    }))
}

async fn info_of<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_id: &str,
    group: GroupRow,
) -> Result<GroupInfo, Refusal> {
    let members = db.members(app, group_id).await?;
    let me = members.iter().find(|m| m.user_id == caller);
    Ok(GroupInfo {
        group_id: group_id.to_string(),
        group_type: group.group_type,
        name: group.name,
        notification: group.profile.notification,
        introduction: group.profile.introduction,
        face_url: group.profile.face_url,
        owner: group.owner,
        create_time_ms: group.created_ms,
        member_count: members.len() as u32,
        role: me.map_or(0, |m| m.role),
        join_time_ms: me.map_or(0, |m| m.join_time_ms),
    })
}

/// Profiles of groups, each with its own result (a missing or dismissed group: 10010).
pub(crate) async fn infos<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    group_ids: &[String],
) -> Result<Done, Refusal> {
    if group_ids.is_empty() || group_ids.len() > MAX_GROUPS_INFO {
        return Err(Refusal::group_params(format!(
            "group_ids must name 1 to {MAX_GROUPS_INFO} groups"
        )));
    }
    let mut results = Vec::with_capacity(group_ids.len());
    for gid in group_ids {
        let result = match group_and_role(db, app, gid, caller).await {
            Ok((group, _)) => Ok(info_of(db, app, caller, gid, group).await?),
            Err(r) => Err(r),
        };
        results.push(match result {
            Ok(info) => GroupInfoResult {
                group_id: gid.clone(),
                code: codes::SUCC,
                desc: String::new(),
                info: Some(info),
            },
            Err(r) => GroupInfoResult {
                group_id: gid.clone(),
                code: r.code,
                desc: r.desc,
                info: None,
            },
        });
    }
    Ok(Done::answer(&GroupsInfo { results }))
}

/// The caller's groups, in the order joined.
pub(crate) async fn joined<T: Tx>(db: &mut T, app: u32, caller: &str) -> Result<Done, Refusal> {
    let mut groups = Vec::new();
    for gid in db.joined_groups(app, caller).await? {
        if let Some(group) = db.get_group(app, &gid).await? {
            groups.push(info_of(db, app, caller, &gid, group).await?);
        }
    }
    Ok(Done::answer(&GroupList { groups }))
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
