/*
 * Groups through the C ABI: v2tim_create_group_with_info with first members (INVITE tips),
 * per-user results of v2tim_invite_user_to_group (already a member: INVALID), the group
 * listener on every member's devices (JOIN, SET_ADMIN, GROUP_INFO_CHANGE, KICKED, QUIT,
 * GROUP_DISMISSED), group tips messages in history,
 * v2tim_get_groups_info (a missing group has its own result), v2tim_get_joined_group_list,
 * v2tim_get_group_member_list with a filter, kicking, dismissing, and a tips message refused
 * as a recall.
 */
#include "harness.h"

#define APP 1400000202u

/* The tips heard by one device's group listener, as "type:op:members" lines. */
typedef struct Tips {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int count;
  char last[256];
  char changes[128];
  uint32_t member_count;
} Tips;

static void on_tips(void *ud, const char *group_id, const V2TIMGroupTipsElem *tips) {
  Tips *t = (Tips *)ud;
  const V2TIMGroupMemberFullInfoList *members = v2tim_group_tips_get_member_list(tips);
  size_t i, n = v2tim_group_member_info_list_size(members), at;
  on_event_thread();
  pthread_mutex_lock(&t->mu);
  at = (size_t)snprintf(t->last, sizeof t->last, "%s:%u:%s:", group_id, v2tim_group_tips_get_type(tips),
                        v2tim_group_member_info_get_user_id(v2tim_group_tips_get_op_member(tips)));
  for (i = 0; i < n && at < sizeof t->last; i++)
    at += (size_t)snprintf(t->last + at, sizeof t->last - at, "%s%s", i ? "," : "",
                           v2tim_group_member_info_get_user_id(v2tim_group_member_info_list_get(members, i)));
  t->changes[0] = '\0';
  for (i = 0, at = 0; i < v2tim_group_tips_get_change_info_count(tips) && at < sizeof t->changes; i++)
    at += (size_t)snprintf(t->changes + at, sizeof t->changes - at, "%u=%s;",
                           v2tim_group_tips_get_change_info_type(tips, i),
                           v2tim_group_tips_get_change_info_value(tips, i));
  t->member_count = v2tim_group_tips_get_member_count(tips);
  t->count++;
  pthread_cond_broadcast(&t->cv);
  pthread_mutex_unlock(&t->mu);
}

/* Waits for the n-th tips and checks it. */
static void expect_tips(Tips *t, int n, const char *want) {
  struct timespec ts = deadline();
  pthread_mutex_lock(&t->mu);
  while (t->count < n) {
    if (pthread_cond_timedwait(&t->cv, &t->mu, &ts) == ETIMEDOUT) {
      fprintf(stderr, "timed out waiting for tips %d (%s)\n", n, want);
      abort();
    }
  }
  if (t->count != n || strcmp(t->last, want) != 0) {
    fprintf(stderr, "tips %d: got %s (count %d), want %s\n", n, t->last, t->count, want);
    abort();
  }
  pthread_mutex_unlock(&t->mu);
}

typedef struct Device {
  V2TIMManager *m;
  Tips tips;
  Inbox inbox;
} Device;

static void login_device(Device *d, const char *user) {
  V2TIMAdvancedMsgListener l;
  V2TIMGroupListener g;
  Call c;
  memset(&d->tips, 0, sizeof d->tips);
  pthread_mutex_init(&d->tips.mu, NULL);
  pthread_cond_init(&d->tips.cv, NULL);
  inbox_init(&d->inbox, user);
  d->m = v2tim_manager_create();
  init_for_tests(d->m, APP, NULL);
  l = inbox_listener(&d->inbox);
  v2tim_add_advanced_msg_listener(d->m, &l);
  memset(&g, 0, sizeof g);
  g.user_data = &d->tips;
  g.on_group_tips = on_tips;
  v2tim_add_group_listener(d->m, &g);
  call_init(&c);
  v2tim_login(d->m, user, "unchecked", callback(&c));
  CHECK(call_wait(&c, "login") == 0);
  call_destroy(&c);
}

/* What a V2TIMGroupInfoListCallback or member page answered, copied out. */
typedef struct Groups {
  Call call;
  size_t size;
  int32_t codes[4];
  char names[4][64];
  char notification[64];
  uint32_t member_count, role;
  char members[128];
  uint64_t next_seq;
} Groups;

static void on_groups(void *ud, const V2TIMGroupInfoList *list) {
  Groups *g = (Groups *)ud;
  size_t i;
  on_event_thread();
  g->size = v2tim_group_info_list_size(list);
  for (i = 0; i < g->size && i < 4; i++) {
    const V2TIMGroupInfo *info = v2tim_group_info_list_get(list, i);
    g->codes[i] = v2tim_group_info_list_get_result_code(list, i);
    if (!info) {
      CHECK(g->codes[i] != 0);
      CHECK(strlen(v2tim_group_info_list_get_result_message(list, i)) > 0);
      continue;
    }
    snprintf(g->names[i], sizeof g->names[i], "%s", v2tim_group_info_get_group_name(info));
    if (i == 0) {
      snprintf(g->notification, sizeof g->notification, "%s", v2tim_group_info_get_notification(info));
      g->member_count = v2tim_group_info_get_member_count(info);
      g->role = v2tim_group_info_get_role(info);
      CHECK_STR(v2tim_group_info_get_group_type(info), "Public");
      CHECK(v2tim_group_info_get_create_time(info) > 0);
    }
  }
  call_finish(&g->call, 0, "");
}

static void on_members(void *ud, const V2TIMGroupMemberFullInfoList *list, uint64_t next_seq) {
  Groups *g = (Groups *)ud;
  size_t i, at = 0, n = v2tim_group_member_info_list_size(list);
  on_event_thread();
  g->members[0] = '\0';
  for (i = 0; i < n && at < sizeof g->members; i++) {
    const V2TIMGroupMemberFullInfo *m = v2tim_group_member_info_list_get(list, i);
    at += (size_t)snprintf(g->members + at, sizeof g->members - at, "%s%s/%u", i ? "," : "",
                           v2tim_group_member_info_get_user_id(m), v2tim_group_member_info_get_role(m));
    CHECK(v2tim_group_member_info_get_join_time(m) > 0);
  }
  g->next_seq = next_seq;
  call_finish(&g->call, 0, "");
}

static void groups_error(void *ud, int32_t code, const char *desc) {
  on_event_thread();
  call_finish(&((Groups *)ud)->call, code, desc);
}

int main(void) {
  Device owner, admin, member, member2;
  V2TIMGroupInfoParam info;
  V2TIMGroupInfoListCallback gcb;
  V2TIMGroupMemberInfoResultCallback mcb;
  const char *first[1] = {"grp_admin"};
  const char *again[2] = {"grp_admin", "grp_member"};
  const char *kick[1] = {"grp_member"};
  const char *asked[2] = {"c-groups-1", "c-groups-none"};
  Groups g;
  Call c;
  V2TIMMessage *sent;
  char want[128];

  g_main_thread = pthread_self();
  login_device(&owner, "grp_owner");
  login_device(&admin, "grp_admin");
  login_device(&member, "grp_member");
  login_device(&member2, "grp_member"); /* a second device of the same user */

  /* Created with a profile and a first member: both hear the INVITE tips. */
  memset(&info, 0, sizeof info);
  info.group_type = "Public";
  info.group_id = "c-groups-1";
  info.group_name = "C groups";
  info.notification = "be nice";
  call_init(&c);
  v2tim_create_group_with_info(owner.m, &info, first, 1, string_callback(&c));
  CHECK(call_wait(&c, "create with info") == 0);
  CHECK_STR(c.value, "c-groups-1");
  call_destroy(&c);
  expect_tips(&owner.tips, 1, "c-groups-1:2:grp_owner:grp_admin");
  expect_tips(&admin.tips, 1, "c-groups-1:2:grp_owner:grp_admin");
  CHECK(owner.tips.member_count == 2);

  /* Per-user results: the admin is already in, the member is added. Both of the member's
     devices hear it. */
  call_init(&c);
  v2tim_invite_user_to_group(owner.m, "c-groups-1", again, 2, results_callback(&c));
  CHECK(call_wait(&c, "invite") == 0);
  CHECK_STR(c.value, "grp_admin=2,grp_member=1");
  call_destroy(&c);
  expect_tips(&member.tips, 1, "c-groups-1:2:grp_owner:grp_member");
  expect_tips(&member2.tips, 1, "c-groups-1:2:grp_owner:grp_member");

  /* Admin granted, then the profile changed: every member's devices hear both. */
  call_init(&c);
  v2tim_set_group_member_role(owner.m, "c-groups-1", "grp_admin", V2TIM_GROUP_MEMBER_ROLE_ADMIN,
                              callback(&c));
  CHECK(call_wait(&c, "set admin") == 0);
  call_destroy(&c);
  expect_tips(&member2.tips, 2, "c-groups-1:5:grp_owner:grp_admin");
  info.group_name = "C groups, renamed";
  call_init(&c);
  v2tim_set_group_info(admin.m, &info, V2TIM_GROUP_INFO_MODIFY_FLAG_GROUP_NAME, callback(&c));
  CHECK(call_wait(&c, "set group info") == 0);
  call_destroy(&c);
  expect_tips(&member.tips, 3, "c-groups-1:7:grp_admin:");
  CHECK_STR(member.tips.changes, "1=C groups, renamed;");

  /* A plain member may not change it. */
  call_init(&c);
  v2tim_set_group_info(member.m, &info, V2TIM_GROUP_INFO_MODIFY_FLAG_NOTIFICATION, callback(&c));
  CHECK(call_wait(&c, "member sets info") == V2TIM_ERR_SVR_GROUP_PERMISSION_DENY);
  call_destroy(&c);

  /* Profiles, each with its own result. */
  memset(&g, 0, sizeof g);
  call_init(&g.call);
  gcb.user_data = &g;
  gcb.on_success = on_groups;
  gcb.on_error = groups_error;
  v2tim_get_groups_info(member.m, asked, 2, gcb);
  CHECK(call_wait(&g.call, "groups info") == 0);
  CHECK(g.size == 2);
  CHECK(g.codes[0] == 0 && g.codes[1] == V2TIM_ERR_SVR_GROUP_NOT_FOUND);
  CHECK_STR(g.names[0], "C groups, renamed");
  CHECK_STR(g.notification, "be nice");
  CHECK(g.member_count == 3 && g.role == V2TIM_GROUP_MEMBER_ROLE_MEMBER);
  call_destroy(&g.call);
  memset(&g, 0, sizeof g);
  call_init(&g.call);
  v2tim_get_joined_group_list(admin.m, gcb);
  CHECK(call_wait(&g.call, "joined groups") == 0);
  CHECK(g.size == 1 && g.codes[0] == 0);
  call_destroy(&g.call);

  /* Members, filtered: owner and admins. */
  memset(&g, 0, sizeof g);
  call_init(&g.call);
  mcb.user_data = &g;
  mcb.on_success = on_members;
  mcb.on_error = groups_error;
  v2tim_get_group_member_list(member.m, "c-groups-1",
                              V2TIM_GROUP_MEMBER_FILTER_OWNER | V2TIM_GROUP_MEMBER_FILTER_ADMIN, 0, mcb);
  CHECK(call_wait(&g.call, "member list") == 0);
  /* Join order (by user id within one millisecond). */
  CHECK(strcmp(g.members, "grp_owner/400,grp_admin/300") == 0 ||
        strcmp(g.members, "grp_admin/300,grp_owner/400") == 0);
  CHECK(g.next_seq == 0);
  call_destroy(&g.call);

  /* Tips are messages of the group: in history (newest first), not in the inbox (the
     harness leaves them out), and never recalled. */
  sent = v2tim_create_text_message(owner.m, "after the tips");
  call_init(&c);
  v2tim_send_message(owner.m, sent, NULL, "c-groups-1", V2TIM_PRIORITY_NORMAL, send_callback(&c));
  CHECK(call_wait(&c, "send") == 0);
  call_destroy(&c);
  CHECK_STR(v2tim_message_get_text(inbox_wait(&member.inbox, 1)), "after the tips");
  CHECK(inbox_count(&member.inbox) == 1);
  v2tim_message_release(sent);
  call_init(&c);
  v2tim_get_group_history_message_list(member.m, "c-groups-1", 10, NULL, list_callback(&c));
  CHECK(call_wait(&c, "history") == 0);
  /* The message, the profile change, the admin, both invitations (history is the group's). */
  CHECK(c.count == 5);
  CHECK(v2tim_message_get_group_tips_elem(c.items[0]) == NULL);
  CHECK(v2tim_message_get_elem_type(c.items[1]) == V2TIM_ELEM_TYPE_GROUP_TIPS);
  CHECK(v2tim_group_tips_get_type(v2tim_message_get_group_tips_elem(c.items[1])) ==
        V2TIM_GROUP_TIPS_TYPE_GROUP_INFO_CHANGE);
  {
    Call r;
    call_init(&r);
    v2tim_revoke_message(owner.m, c.items[1], callback(&r));
    CHECK(call_wait(&r, "recall of tips") == V2TIM_ERR_SVR_GROUP_REVOKE_MSG_DENY);
    call_destroy(&r);
  }
  {
    /* The option form: a group start by seq (included), newer pulls oldest first, a time
       range intersected with the start, and type filters. */
    uint64_t seq3 = v2tim_message_get_seq(c.items[2]);
    V2TIMMessageListGetOption o;
    Call h;
    memset(&o, 0, sizeof o);
    o.get_type = 2; /* V2TIM_GET_CLOUD_NEWER_MSG */
    o.group_id = "c-groups-1";
    o.count = 10;
    o.last_msg_seq = seq3;
    call_init(&h);
    v2tim_get_history_message_list(member.m, &o, list_callback(&h));
    CHECK(call_wait(&h, "newer from a seq") == 0);
    CHECK(h.count == 3);
    CHECK(v2tim_message_get_seq(h.items[0]) == seq3);
    CHECK(v2tim_message_get_seq(h.items[2]) == v2tim_message_get_seq(c.items[0]));
    call_destroy(&h);
    o.get_type = 1; /* older, from the same seq, included */
    call_init(&h);
    v2tim_get_history_message_list(member.m, &o, list_callback(&h));
    CHECK(call_wait(&h, "older from a seq") == 0);
    CHECK(h.count == 3);
    CHECK(v2tim_message_get_seq(h.items[0]) == seq3);
    call_destroy(&h);
    o.last_msg_seq = 0;
    o.get_time_begin = 1000000000; /* 2001: older than the group */
    o.get_time_period = 3600;
    call_init(&h);
    v2tim_get_history_message_list(member.m, &o, list_callback(&h));
    CHECK(call_wait(&h, "a range before the group") == 0);
    CHECK(h.count == 0);
    call_destroy(&h);
    {
      /* Of the five: one text message and four tips, newest first. */
      int32_t types[2] = {V2TIM_ELEM_TYPE_TEXT, V2TIM_ELEM_TYPE_GROUP_TIPS};
      o.get_type = 1;
      o.get_time_begin = 0;
      o.get_time_period = 0;
      o.message_types = types;
      o.message_type_count = 1;
      call_init(&h);
      v2tim_get_history_message_list(member.m, &o, list_callback(&h));
      CHECK(call_wait(&h, "text only") == 0);
      CHECK(h.count == 1);
      CHECK(v2tim_message_get_seq(h.items[0]) == v2tim_message_get_seq(c.items[0]));
      call_destroy(&h);
      o.message_types = &types[1];
      o.count = 2;
      call_init(&h);
      v2tim_get_history_message_list(member.m, &o, list_callback(&h));
      CHECK(call_wait(&h, "tips only") == 0);
      CHECK(h.count == 2);
      CHECK(v2tim_message_get_elem_type(h.items[0]) == V2TIM_ELEM_TYPE_GROUP_TIPS);
      CHECK(v2tim_message_get_seq(h.items[0]) == v2tim_message_get_seq(c.items[1]));
      CHECK(v2tim_message_get_seq(h.items[1]) == v2tim_message_get_seq(c.items[2]));
      call_destroy(&h);
      o.message_types = types;
      o.message_type_count = 2;
      o.count = 10;
      call_init(&h);
      v2tim_get_history_message_list(member.m, &o, list_callback(&h));
      CHECK(call_wait(&h, "both types") == 0);
      CHECK(h.count == 5);
      call_destroy(&h);
      types[0] = 40;
      call_init(&h);
      v2tim_get_history_message_list(member.m, &o, list_callback(&h));
      CHECK(call_wait(&h, "a bad type") == V2TIM_ERR_INVALID_PARAMETERS);
      CHECK(strstr(h.desc, "40 is not a V2TIMElemType") != NULL);
      call_destroy(&h);
    }
    o.message_types = NULL;
    o.message_type_count = 0;
    o.user_id = "grp_owner"; /* both ids */
    call_init(&h);
    v2tim_get_history_message_list(member.m, &o, list_callback(&h));
    CHECK(call_wait(&h, "both ids") == V2TIM_ERR_INVALID_PARAMETERS);
    CHECK(strstr(h.desc, "exactly one") != NULL);
    call_destroy(&h);
    call_init(&h);
    v2tim_get_history_message_list(member.m, NULL, list_callback(&h));
    CHECK(call_wait(&h, "NULL option") == V2TIM_ERR_INVALID_PARAMETERS);
    call_destroy(&h);
  }
  call_destroy(&c);

  /* Kicked: the kicked user's devices hear it too; then the admin quits. */
  call_init(&c);
  v2tim_kick_group_member(admin.m, "c-groups-1", kick, 1, "bye", results_callback(&c));
  CHECK(call_wait(&c, "kick") == 0);
  CHECK_STR(c.value, "grp_member=1");
  call_destroy(&c);
  expect_tips(&member2.tips, 4, "c-groups-1:4:grp_admin:grp_member");
  call_init(&c);
  v2tim_quit_group(admin.m, "c-groups-1", callback(&c));
  CHECK(call_wait(&c, "quit") == 0);
  call_destroy(&c);
  expect_tips(&owner.tips, 6, "c-groups-1:3:grp_admin:grp_admin");
  CHECK(owner.tips.member_count == 1);
  CHECK(member.tips.count == 4); /* no longer a member: not told */

  /* Dismissed: the owner's listener hears GROUP_DISMISSED; the group is gone. */
  call_init(&c);
  v2tim_dismiss_group(owner.m, "c-groups-1", callback(&c));
  CHECK(call_wait(&c, "dismiss") == 0);
  call_destroy(&c);
  snprintf(want, sizeof want, "c-groups-1:%d:grp_owner:", V2TIM_GROUP_TIPS_TYPE_GROUP_DISMISSED);
  expect_tips(&owner.tips, 7, want);
  call_init(&c);
  v2tim_join_group(member.m, "c-groups-1", NULL, callback(&c));
  CHECK(call_wait(&c, "join a dismissed group") == V2TIM_ERR_SVR_GROUP_NOT_FOUND);
  call_destroy(&c);

  inbox_destroy(&owner.inbox);
  inbox_destroy(&admin.inbox);
  inbox_destroy(&member.inbox);
  inbox_destroy(&member2.inbox);
  v2tim_manager_destroy(owner.m);
  v2tim_manager_destroy(admin.m);
  v2tim_manager_destroy(member.m);
  v2tim_manager_destroy(member2.m);
  printf("test_groups: ok\n");
  return 0;
}
