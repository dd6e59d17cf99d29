//! Groups: the group calls, the group listener and group tips.
//!
//! Group values cross to Java as a table, `Object[] {String[] strings, long[] numbers}`,
//! that `GroupTable.java` reads back, in order, into V2TIM's objects: one native helper
//! serves every group type instead of a JNI constructor call per field (the library an app
//! ships is smaller by it). The order of each type is written once here and once in
//! `GroupTable.java`.

use jni::objects::{JClass, JObject, JObjectArray, JString, JValue};
use jni::sys::{jint, jlong};
use jni::JNIEnv;

use crate::core::{
    Error, GroupChanges, GroupInfo, GroupInfoResult, GroupListener, GroupProfile, GroupTips,
    MemberInfo, MemberResult, MembersPage,
};

use super::callbacks::{null, Once};
use super::env::{self, entry, entry_with_callback, string, string_or_empty};
use super::listeners::{self, Held};
use super::manager::{manager, Kind};

/// A table being filled: the strings and numbers of one or more group values.
#[derive(Default)]
struct Table<'s> {
    strings: Vec<&'s str>,
    numbers: Vec<i64>,
}

impl<'s> Table<'s> {
    /// user id, nick name, face URL; role, join time (seconds).
    fn member(&mut self, m: &'s MemberInfo) {
        self.strings
            .extend([m.user_id.as_str(), &m.nick_name, &m.face_url]);
        self.numbers
            .extend([i64::from(m.role), m.join_time_ms.div_euclid(1000)]);
    }

    /// id, type, name, notification, introduction, face URL, owner; creation time
    /// (seconds), member count, the user's role, the user's join time (seconds).
    fn group(&mut self, g: &'s GroupInfo) {
        self.strings.extend([
            g.group_id.as_str(),
            &g.group_type,
            &g.name,
            &g.notification,
            &g.introduction,
            &g.face_url,
            &g.owner,
        ]);
        self.numbers.extend([
            g.create_time_ms.div_euclid(1000),
            i64::from(g.member_count),
            i64::from(g.role),
            g.join_time_ms.div_euclid(1000),
        ]);
    }

    /// type, member count, member count of the list, change count; the op member, the
    /// members, then each change's type (number) and value (string).
    fn tips(&mut self, t: &'s GroupTips) {
        self.numbers.extend([
            i64::from(t.tips_type),
            i64::from(t.member_count),
            t.members.len() as i64,
            t.changes.len() as i64,
        ]);
        self.member(&t.op_user);
        for m in &t.members {
            self.member(m);
        }
        for c in &t.changes {
            self.numbers.push(i64::from(c.kind));
            self.strings.push(&c.value);
        }
    }

    fn into_java<'a>(self, env: &mut JNIEnv<'a>) -> jni::errors::Result<JObject<'a>> {
        let strings = env.new_object_array(
            self.strings.len() as i32,
            "java/lang/String",
            JObject::null(),
        )?;
        for (i, s) in self.strings.iter().enumerate() {
            let js = env.new_string(s)?;
            env.set_object_array_element(&strings, i as i32, &js)?;
            env.delete_local_ref(js)?;
        }
        let numbers = env.new_long_array(self.numbers.len() as i32)?;
        env.set_long_array_region(&numbers, 0, &self.numbers)?;
        let table = env.new_object_array(2, "java/lang/Object", JObject::null())?;
        env.set_object_array_element(&table, 0, &strings)?;
        env.set_object_array_element(&table, 1, &numbers)?;
        env.delete_local_ref(strings)?;
        env.delete_local_ref(numbers)?;
        Ok(table.into())
    }
}

/// A count, then each group.
fn groups_table<'a>(
    env: &mut JNIEnv<'a>,
    groups: Vec<GroupInfo>,
) -> jni::errors::Result<JObject<'a>> {
    let mut t = Table::default();
    t.numbers.push(groups.len() as i64);
    for g in &groups {
        t.group(g);
    }
    t.into_java(env)
}

/// A count, then per group: its code and message, then the group (empty when it has none).
fn results_table<'a>(
    env: &mut JNIEnv<'a>,
    results: Vec<GroupInfoResult>,
) -> jni::errors::Result<JObject<'a>> {
    let empty = GroupInfo::default();
    let mut t = Table::default();
    t.numbers.push(results.len() as i64);
    for r in &results {
        t.numbers.push(i64::from(r.code));
        t.strings.push(&r.desc);
        t.group(r.info.as_ref().unwrap_or(&empty));
    }
    t.into_java(env)
}

/// The next page's offset, a count, then each member.
fn page_table<'a>(env: &mut JNIEnv<'a>, page: MembersPage) -> jni::errors::Result<JObject<'a>> {
    let mut t = Table::default();
    t.numbers.extend([
        i64::try_from(page.next_seq).unwrap_or(i64::MAX),
        page.members.len() as i64,
    ]);
    for m in &page.members {
        t.member(m);
    }
    t.into_java(env)
}

/// A count, then each user id (string) and result (number).
fn member_results_table<'a>(
    env: &mut JNIEnv<'a>,
    results: Vec<MemberResult>,
) -> jni::errors::Result<JObject<'a>> {
    let mut t = Table::default();
    t.numbers.push(results.len() as i64);
    for r in &results {
        t.strings.push(&r.user_id);
        t.numbers.push(i64::from(r.result));
    }
    t.into_java(env)
}

fn group_id_value<'a>(env: &mut JNIEnv<'a>, id: String) -> jni::errors::Result<JObject<'a>> {
    Ok(env.new_string(id)?.into())
}

/// The group tips of a message as a table (see [`Table::tips`]), or null.
pub(crate) fn tips_of<'a>(
    env: &mut JNIEnv<'a>,
    tips: Option<&GroupTips>,
) -> jni::errors::Result<JObject<'a>> {
    match tips {
        Some(tips) => {
            let mut t = Table::default();
            t.tips(tips);
            t.into_java(env)
        }
        None => Ok(JObject::null()),
    }
}

pub(crate) struct JavaGroupListener {
    bridge: Held,
}

impl JavaGroupListener {
    pub(crate) fn new(bridge: Held) -> Self {
        JavaGroupListener { bridge }
    }
}

impl GroupListener for JavaGroupListener {
    fn on_group_tips(&self, group_id: &str, tips: &GroupTips) {
        env::call_java("onGroupTips", |env| {
            let id: JObject = env.new_string(group_id)?.into();
            let table = tips_of(env, Some(tips))?;
            env.call_method(
                self.bridge.as_obj(),
                "onGroupTips",
                "(Ljava/lang/String;[Ljava/lang/Object;)V",
                &[JValue::Object(&id), JValue::Object(&table)],
            )?;
            Ok(())
        })
    }
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_addGroupListener<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    id: jlong,
    bridge: JObject<'l>,
) {
    entry(&mut env, "addGroupListener", (), |env| {
        listeners::add(env, mgr, Kind::Group, id, &bridge)
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_removeGroupListener<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    id: jlong,
) {
    entry(&mut env, "removeGroupListener", (), |_| {
        listeners::remove(mgr, Kind::Group, id);
        Ok(())
    })
}

/// `onSuccess(String groupID)`. `profile` is {notification, introduction, faceUrl}.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_createGroupWithInfo<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    group_type: JString<'l>,
    group_id: JString<'l>,
    group_name: JString<'l>,
    profile: JObjectArray<'l>,
    member_ids: JObjectArray<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "createGroup", &once, (), |env| {
        let m = manager(mgr)?;
        let group_type = string(env, &group_type, "groupType")?;
        let group_id = string_or_empty(env, &group_id, "groupID")?;
        let group_name = string_or_empty(env, &group_name, "groupName")?;
        let [notification, introduction, face_url] = profile_strings(env, &profile)?;
        let members = if member_ids.is_null() {
            Vec::new()
        } else {
            env::string_array(env, &member_ids, "memberList")?
        };
        let profile = GroupProfile {
            notification,
            introduction,
            face_url,
        };
        m.core.create_group_with(
            &group_type,
            &group_id,
            &group_name,
            profile,
            members,
            once.completion(group_id_value),
        );
        Ok(())
    })
}

/// `values` is {name, notification, introduction, faceUrl}: those whose V2TIM modify flag
/// bit is in `flags` change.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_setGroupInfo<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    group_id: JString<'l>,
    flags: jint,
    values: JObjectArray<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "setGroupInfo", &once, (), |env| {
        let m = manager(mgr)?;
        let group_id = string(env, &group_id, "groupID")?;
        let [name, notification, introduction, face_url] = env::string_array(env, &values, "info")?
            .try_into()
            .map_err(|_| Error::invalid("info must have four fields"))?;
        let pick = |bit: jint, v: String| (flags & bit != 0).then_some(v);
        let changes = GroupChanges {
            name: pick(1, name),
            notification: pick(2, notification),
            introduction: pick(4, introduction),
            face_url: pick(8, face_url),
        };
        m.core
            .set_group_info(&group_id, changes, once.completion(null));
        Ok(())
    })
}

fn profile_strings(env: &mut JNIEnv, profile: &JObjectArray) -> Result<[String; 3], Error> {
    env::string_array(env, profile, "info")?
        .try_into()
        .map_err(|_| Error::invalid("info must have three fields"))
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_getGroupsInfo<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    group_ids: JObjectArray<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "getGroupsInfo", &once, (), |env| {
        let m = manager(mgr)?;
        let ids = env::string_array(env, &group_ids, "groupIDList")?;
        m.core.get_groups_info(ids, once.completion(results_table));
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_getJoinedGroupList<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "getJoinedGroupList", &once, (), |_| {
        manager(mgr)?
            .core
            .get_joined_group_list(once.completion(groups_table));
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_getGroupMemberList<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    group_id: JString<'l>,
    filter: jint,
    next_seq: jlong,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "getGroupMemberList", &once, (), |env| {
        let m = manager(mgr)?;
        let group_id = string(env, &group_id, "groupID")?;
        let next_seq =
            u64::try_from(next_seq).map_err(|_| Error::invalid("nextSeq must not be negative"))?;
        let filter = u32::try_from(filter).map_err(|_| Error::invalid("filter is not a filter"))?;
        m.core
            .get_group_member_list(&group_id, filter, next_seq, once.completion(page_table));
        Ok(())
    })
}

/// `onSuccess(table of results)`, as `inviteUserToGroup`.
#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_kickGroupMember<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    group_id: JString<'l>,
    user_ids: JObjectArray<'l>,
    reason: JString<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "kickGroupMember", &once, (), |env| {
        let m = manager(mgr)?;
        let group_id = string(env, &group_id, "groupID")?;
        let users = env::string_array(env, &user_ids, "memberList")?;
        let reason = string_or_empty(env, &reason, "reason")?;
        m.core.kick_group_member(
            &group_id,
            users,
            &reason,
            once.completion(member_results_table),
        );
        Ok(())
    })
}

/// The per-user results of an invitation, as a table.
pub(crate) fn invite_completion(once: &Once) -> crate::core::Completion<Vec<MemberResult>> {
    once.completion(member_results_table)
}

#[no_mangle]
pub extern "system" fn Java_io_v2tim_imsdk_v2_NativeBridge_dismissGroup<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    mgr: jlong,
    group_id: JString<'l>,
    cb: JObject<'l>,
) {
    let once = Once::new(&mut env, &cb);
    entry_with_callback(&mut env, "dismissGroup", &once, (), |env| {
        let m = manager(mgr)?;
        let group_id = string(env, &group_id, "groupID")?;
        m.core.dismiss_group(&group_id, once.completion(null));
        Ok(())
    })
}
