/*
 * Online-only messages (V2TIM's onlineUserOnly) through v2tim_send_message_with_flags:
 * they reach the devices online now (both of bob's, and alice's other device) and nothing
 * else: no history, no unread, no conversation, seq 0, and they cannot be recalled. Group
 * ones reach the members online. Unknown flag bits are refused by name.
 */
#include "harness.h"

#define APP 1400000202u

static int32_t send_online(V2TIMManager *m, V2TIMMessage *msg, const char *to, const char *group,
                           uint32_t flags, Call *c) {
  call_init(c);
  v2tim_send_message_with_flags(m, msg, to, group, V2TIM_PRIORITY_NORMAL, flags, send_callback(c));
  return call_wait(c, "online send");
}

/* Messages in the history, group tips left out. */
static size_t history_size(V2TIMManager *m, const char *peer, const char *group) {
  Call h;
  size_t i, n = 0;
  call_init(&h);
  if (peer)
    v2tim_get_c2c_history_message_list(m, peer, 20, NULL, list_callback(&h));
  else
    v2tim_get_group_history_message_list(m, group, 20, NULL, list_callback(&h));
  CHECK(call_wait(&h, "history") == 0);
  for (i = 0; i < h.count; i++)
    if (v2tim_message_get_elem_type(h.items[i]) != V2TIM_ELEM_TYPE_GROUP_TIPS) n++;
  call_destroy(&h);
  return n;
}

int main(void) {
  Inbox a1_in, a2_in, b1_in, b2_in, c_in;
  V2TIMManager *a1, *a2, *b1, *b2, *carol;
  V2TIMMessage *msg, *got;
  Call c;

  g_main_thread = pthread_self();
  inbox_init(&a1_in, "alice's first device");
  inbox_init(&a2_in, "alice's second device");
  inbox_init(&b1_in, "bob's first device");
  inbox_init(&b2_in, "bob's second device");
  inbox_init(&c_in, "carol");
  a1 = login_with_inbox(APP, "onl_alice", &a1_in);
  a2 = login_with_inbox(APP, "onl_alice", &a2_in);
  b1 = login_with_inbox(APP, "onl_bob", &b1_in);
  b2 = login_with_inbox(APP, "onl_bob", &b2_in);

  msg = v2tim_create_text_message(a1, "typing...");
  CHECK(send_online(a1, msg, "onl_bob", NULL, V2TIM_SEND_FLAG_ONLINE_USER_ONLY, &c) == 0);
  call_destroy(&c);
  CHECK(v2tim_message_get_seq(msg) == 0);
  CHECK(v2tim_message_get_status(msg) == V2TIM_MSG_STATUS_SEND_SUCC);
  got = inbox_wait(&b1_in, 1);
  CHECK_STR(v2tim_message_get_text(got), "typing...");
  CHECK_STR(v2tim_message_get_sender(got), "onl_alice");
  CHECK(v2tim_message_get_seq(got) == 0);
  CHECK_STR(v2tim_message_get_text(inbox_wait(&b2_in, 1)), "typing...");
  CHECK_STR(v2tim_message_get_text(inbox_wait(&a2_in, 1)), "typing...");

  /* Never stored: no history, no unread; it cannot be recalled. */
  CHECK(history_size(b1, "onl_alice", NULL) == 0);
  CHECK(history_size(a1, "onl_bob", NULL) == 0);
  CHECK(total_unread(b1) == 0);
  call_init(&c);
  v2tim_revoke_message(a1, msg, callback(&c));
  CHECK(call_wait(&c, "recall of an online message") == V2TIM_ERR_INVALID_PARAMETERS);
  CHECK(strstr(c.desc, "online-only") != NULL);
  call_destroy(&c);
  v2tim_message_release(msg);

  /* A stored message after it: the only one in history and in the unread count, and the
     only other message a device gets. */
  msg = v2tim_create_text_message(a1, "stored");
  CHECK(send_online(a1, msg, "onl_bob", NULL, V2TIM_SEND_FLAG_NONE, &c) == 0);
  call_destroy(&c);
  CHECK(v2tim_message_get_seq(msg) == 1);
  v2tim_message_release(msg);
  CHECK_STR(v2tim_message_get_text(inbox_wait(&b1_in, 2)), "stored");
  CHECK(history_size(b1, "onl_alice", NULL) == 1);
  wait_total_unread(b1, 1);

  /* Groups: the members online get it; carol, who logs in afterwards, never does. */
  call_init(&c);
  v2tim_create_group(a1, "Public", "onl-group", "online", string_callback(&c));
  CHECK(call_wait(&c, "create group") == 0);
  call_destroy(&c);
  call_init(&c);
  v2tim_join_group(b1, "onl-group", "", callback(&c));
  CHECK(call_wait(&c, "join") == 0);
  call_destroy(&c);
  msg = v2tim_create_text_message(a1, "group typing...");
  CHECK(send_online(a1, msg, NULL, "onl-group", V2TIM_SEND_FLAG_ONLINE_USER_ONLY, &c) == 0);
  call_destroy(&c);
  v2tim_message_release(msg);
  got = inbox_wait(&b2_in, 3);
  CHECK_STR(v2tim_message_get_text(got), "group typing...");
  CHECK_STR(v2tim_message_get_group_id(got), "onl-group");
  carol = login_with_inbox(APP, "onl_carol", &c_in);
  call_init(&c);
  v2tim_join_group(carol, "onl-group", "", callback(&c));
  CHECK(call_wait(&c, "carol joins") == 0);
  call_destroy(&c);
  CHECK(history_size(carol, NULL, "onl-group") == 0);
  CHECK(inbox_count(&c_in) == 0);

  /* Unknown bits: refused by name, nothing sent. */
  msg = v2tim_create_text_message(a1, "never");
  CHECK(send_online(a1, msg, "onl_bob", NULL, 0x6, &c) == V2TIM_ERR_INVALID_PARAMETERS);
  CHECK(strstr(c.desc, "not V2TIMSendFlags") != NULL);
  call_destroy(&c);
  v2tim_message_release(msg);

  v2tim_manager_destroy(carol);
  v2tim_manager_destroy(b2);
  v2tim_manager_destroy(b1);
  v2tim_manager_destroy(a2);
  v2tim_manager_destroy(a1);
  inbox_destroy(&c_in);
  inbox_destroy(&b2_in);
  inbox_destroy(&b1_in);
  inbox_destroy(&a2_in);
  inbox_destroy(&a1_in);
  printf("test_online: ok\n");
  return 0;
}
