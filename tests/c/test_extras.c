/*
 * Message extras through the C ABI: cloudCustomData set before sending, received and in
 * history; a TUIKit reply quoting a message (cloudCustomData messageReply) loses the quoted
 * text when that message is recalled, in the reply bob already holds and in history; the
 * excluded-from-unread flag keeps a message out of the unread count. Setters refuse NULL,
 * messages already sent and data over the limit.
 */
#include "harness.h"

#define APP 1400000202u

static void send_to(V2TIMManager *m, V2TIMMessage *msg, const char *to) {
  Call c;
  call_init(&c);
  v2tim_send_message(m, msg, to, NULL, V2TIM_PRIORITY_NORMAL, send_callback(&c));
  CHECK(call_wait(&c, "send") == 0);
  call_destroy(&c);
}

int main(void) {
  Inbox a_in, b_in;
  V2TIMManager *alice, *bob;
  V2TIMMessage *quoted, *reply, *quiet, *got_reply;
  char cloud[512];
  char big[12 * 1024 + 2];
  Call h;
  size_t i;

  g_main_thread = pthread_self();
  inbox_init(&a_in, "alice");
  inbox_init(&b_in, "bob");
  alice = login_with_inbox(APP, "ext_alice", &a_in);
  bob = login_with_inbox(APP, "ext_bob", &b_in);

  quoted = v2tim_create_text_message(alice, "SECRET-QUOTED");
  CHECK(v2tim_message_set_cloud_custom_data(quoted, "{\"k\":1}") == V2TIM_SUCC);
  CHECK_STR(v2tim_message_get_cloud_custom_data(quoted), "{\"k\":1}");
  send_to(alice, quoted, "ext_bob");
  CHECK_STR(v2tim_message_get_cloud_custom_data(inbox_wait(&b_in, 1)), "{\"k\":1}");
  /* Sent: no more changes. */
  CHECK(v2tim_message_set_cloud_custom_data(quoted, "{}") == V2TIM_ERR_INVALID_PARAMETERS);
  CHECK(strstr(v2tim_last_error_desc(), "already sent") != NULL);

  snprintf(cloud, sizeof cloud,
           "{\"messageReply\":{\"messageID\":\"%s\",\"messageAbstract\":\"SECRET-QUOTED\","
           "\"messageSender\":\"ext_alice\",\"messageType\":1,\"version\":1}}",
           v2tim_message_get_msg_id(quoted));
  reply = v2tim_create_text_message(alice, "my reply");
  CHECK(v2tim_message_set_cloud_custom_data(reply, cloud) == V2TIM_SUCC);
  {
    /* Offline push info goes with it (the server keeps it for a push service). */
    V2TIMOfflinePushInfo push;
    memset(&push, 0, sizeof push);
    push.title = "Alice";
    push.desc = "replied to you";
    push.android_oppo_channel_id = "chat";
    push.android_vivo_classification = 1;
    CHECK(v2tim_message_set_offline_push_info(reply, &push) == V2TIM_SUCC);
    push.desc = "\xff";
    CHECK(v2tim_message_set_offline_push_info(reply, &push) == V2TIM_ERR_INVALID_PARAMETERS);
    CHECK(strstr(v2tim_last_error_desc(), "desc is not valid UTF-8") != NULL);
    push.desc = "replied to you";
    CHECK(v2tim_message_set_offline_push_info(reply, &push) == V2TIM_SUCC);
  }
  send_to(alice, reply, "ext_bob");
  got_reply = inbox_wait(&b_in, 2);
  CHECK(strstr(v2tim_message_get_cloud_custom_data(got_reply), "SECRET-QUOTED") != NULL);

  /* Not counted as unread, never the last message. */
  quiet = v2tim_create_text_message(alice, "quiet");
  CHECK(!v2tim_message_is_excluded_from_unread_count(quiet));
  CHECK(v2tim_message_set_excluded_from_unread_count(quiet, true) == V2TIM_SUCC);
  CHECK(v2tim_message_set_excluded_from_last_message(quiet, true) == V2TIM_SUCC);
  CHECK(v2tim_message_is_excluded_from_unread_count(quiet));
  CHECK(v2tim_message_is_excluded_from_last_message(quiet));
  send_to(alice, quiet, "ext_bob");
  CHECK(v2tim_message_is_excluded_from_unread_count(inbox_wait(&b_in, 3)));
  CHECK(total_unread(bob) == 2);
  v2tim_message_release(quiet);

  /* The quoted message is recalled: the reply bob holds and bob's history lose its text. */
  call_init(&h);
  v2tim_revoke_message(alice, quoted, callback(&h));
  CHECK(call_wait(&h, "recall") == 0);
  call_destroy(&h);
  for (i = 0; i < 500 && strstr(v2tim_message_get_cloud_custom_data(got_reply), "SECRET"); i++) {
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  CHECK(strstr(v2tim_message_get_cloud_custom_data(got_reply), "SECRET") == NULL);
  CHECK(strstr(v2tim_message_get_cloud_custom_data(got_reply), "\"messageAbstract\":\"\"") != NULL);
  CHECK(strstr(v2tim_message_get_cloud_custom_data(reply), "SECRET") == NULL);
  CHECK_STR(v2tim_message_get_cloud_custom_data(quoted), "");
  call_init(&h);
  v2tim_get_c2c_history_message_list(bob, "ext_alice", 10, NULL, list_callback(&h));
  CHECK(call_wait(&h, "history") == 0);
  CHECK(h.count == 3);
  for (i = 0; i < h.count; i++) {
    char *json = v2tim_message_to_json(h.items[i]);
    CHECK(strstr(json, "SECRET") == NULL);
    v2tim_string_free(json);
  }
  call_destroy(&h);

  /* Argument errors. */
  CHECK(v2tim_message_set_offline_push_info(reply, NULL) == V2TIM_ERR_INVALID_PARAMETERS);
  CHECK(strstr(v2tim_last_error_desc(), "already sent") != NULL);
  CHECK(v2tim_message_set_offline_push_info(NULL, NULL) == V2TIM_ERR_INVALID_PARAMETERS);
  CHECK(v2tim_message_set_cloud_custom_data(NULL, "x") == V2TIM_ERR_INVALID_PARAMETERS);
  CHECK(v2tim_message_get_cloud_custom_data(NULL) == NULL);
  CHECK(!v2tim_message_is_excluded_from_last_message(NULL));
  CHECK(v2tim_message_set_excluded_from_last_message(NULL, true) == V2TIM_ERR_INVALID_PARAMETERS);
  quiet = v2tim_create_text_message(alice, "too much");
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = 0;
  CHECK(v2tim_message_set_cloud_custom_data(quiet, big) == V2TIM_ERR_SDK_MSG_BODY_SIZE_LIMIT);
  CHECK_STR(v2tim_message_get_cloud_custom_data(quiet), "");
  /* A refused setter leaves what was set before. */
  CHECK(v2tim_message_set_cloud_custom_data(quiet, "{}") == V2TIM_SUCC);
  CHECK(v2tim_message_set_cloud_custom_data(quiet, big) == V2TIM_ERR_SDK_MSG_BODY_SIZE_LIMIT);
  CHECK_STR(v2tim_message_get_cloud_custom_data(quiet), "{}");
  CHECK(v2tim_message_set_cloud_custom_data(quiet, "\xff") == V2TIM_ERR_INVALID_PARAMETERS);
  v2tim_message_release(quiet);

  v2tim_message_release(reply);
  v2tim_message_release(quoted);
  v2tim_manager_destroy(bob);
  v2tim_manager_destroy(alice);
  inbox_destroy(&b_in);
  inbox_destroy(&a_in);
  printf("test_extras: ok\n");
  return 0;
}
