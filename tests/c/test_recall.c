/*
 * Recall through the C ABI: alice recalls a one-to-one message with a reason, bob's
 * listener hears on_recv_message_revoked, every handle and history shows the recalled form,
 * refusals carry V2TIM codes, and recall by id works for apps with their own store.
 */
#include "harness.h"

#define APP 1400000202u

/* What bob's listener heard of recalls. */
typedef struct Recalls {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int count;
  char msg_id[128];
  char operator_id[64];
  char reason[128];
} Recalls;

static Recalls g_recalls = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, "", "", ""};

static void on_revoked(void *ud, const char *msg_id, const V2TIMUserFullInfo *op,
                       const char *reason) {
  Recalls *r = (Recalls *)ud;
  on_event_thread();
  CHECK(msg_id != NULL && op != NULL && reason != NULL);
  pthread_mutex_lock(&r->mu);
  r->count++;
  snprintf(r->msg_id, sizeof r->msg_id, "%s", msg_id);
  snprintf(r->operator_id, sizeof r->operator_id, "%s", v2tim_user_full_info_get_user_id(op));
  snprintf(r->reason, sizeof r->reason, "%s", reason);
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
}

static void wait_recalls(int n) {
  struct timespec ts = deadline();
  pthread_mutex_lock(&g_recalls.mu);
  while (g_recalls.count < n) {
    if (pthread_cond_timedwait(&g_recalls.cv, &g_recalls.mu, &ts) == ETIMEDOUT) {
      fprintf(stderr, "timed out: %d recalls, expected %d\n", g_recalls.count, n);
      abort();
    }
  }
  pthread_mutex_unlock(&g_recalls.mu);
}

static V2TIMManager *login_as(const char *user, V2TIMAdvancedMsgListener *l) {
  V2TIMManager *m = v2tim_manager_create();
  Call c;
  init_for_tests(m, APP, NULL); /* UserSigs unchecked */
  v2tim_add_advanced_msg_listener(m, l);
  call_init(&c);
  v2tim_login(m, user, "unchecked", callback(&c));
  CHECK(call_wait(&c, "login") == 0);
  call_destroy(&c);
  return m;
}

static V2TIMMessage *send_text(V2TIMManager *m, const char *text, const char *to) {
  V2TIMMessage *msg = v2tim_create_text_message(m, text);
  Call c;
  call_init(&c);
  v2tim_send_message(m, msg, to, NULL, V2TIM_PRIORITY_DEFAULT, send_callback(&c));
  CHECK(call_wait(&c, "send") == 0);
  call_destroy(&c);
  return msg;
}

static int32_t revoke(V2TIMManager *m, const V2TIMMessage *msg, const char *reason) {
  Call c;
  int32_t code;
  call_init(&c);
  if (reason)
    v2tim_revoke_message_with_reason(m, msg, reason, callback(&c));
  else
    v2tim_revoke_message(m, msg, callback(&c));
  code = call_wait(&c, "revoke");
  call_destroy(&c);
  return code;
}

static void check_recalled(const V2TIMMessage *m, const char *by, const char *reason) {
  CHECK(v2tim_message_get_status(m) == V2TIM_MSG_STATUS_LOCAL_REVOKED);
  CHECK(v2tim_message_is_revoked(m));
  CHECK_STR(v2tim_message_get_text(m), "");
  CHECK_STR(v2tim_message_get_revoker(m), by);
  CHECK_STR(v2tim_message_get_revoke_reason(m), reason);
}

int main(void) {
  Inbox alice_in, bob_in;
  V2TIMAdvancedMsgListener al, bl;
  V2TIMManager *alice, *bob;
  V2TIMMessage *msg, *bobs, *second;
  const char *text_before;
  char *json;
  Call c;

  g_main_thread = pthread_self();
  inbox_init(&alice_in, "alice");
  inbox_init(&bob_in, "bob");
  al = inbox_listener(&alice_in);
  bl = inbox_listener(&bob_in);
  alice = login_as("alice", &al);
  /* bob has two listeners: messages to the inbox, recalls to g_recalls. */
  bob = login_as("bob", &bl);
  {
    V2TIMAdvancedMsgListener rl;
    memset(&rl, 0, sizeof rl);
    rl.user_data = &g_recalls;
    rl.on_recv_message_revoked = on_revoked;
    v2tim_add_advanced_msg_listener(bob, &rl);
  }

  msg = send_text(alice, "secret", "bob");
  bobs = inbox_wait(&bob_in, 1);
  text_before = v2tim_message_get_text(bobs);
  CHECK_STR(text_before, "secret");

  /* bob may not recall alice's message. */
  CHECK(revoke(bob, bobs, NULL) == V2TIM_ERR_REVOKE_NOT_SENDER);
  CHECK_STR(v2tim_message_get_text(bobs), "secret");

  CHECK(revoke(alice, msg, "typo") == 0);
  check_recalled(msg, "alice", "typo");
  wait_recalls(1);
  CHECK_STR(g_recalls.msg_id, v2tim_message_get_msg_id(msg));
  CHECK_STR(g_recalls.operator_id, "alice");
  CHECK_STR(g_recalls.reason, "typo");
  /* bob's handle turned too; the text pointer read before stays valid. */
  check_recalled(bobs, "alice", "typo");
  CHECK_STR(text_before, "secret");
  json = v2tim_message_to_json(bobs);
  CHECK(strstr(json, "\"isRevoked\":true") != NULL);
  CHECK(strstr(json, "secret") == NULL);
  v2tim_string_free(json);

  /* Twice is refused. */
  CHECK(revoke(alice, msg, NULL) == V2TIM_ERR_SVR_MSG_ALREADY_REVOKED);

  /* History shows it in place, flagged, without content. */
  call_init(&c);
  v2tim_get_c2c_history_message_list(bob, "alice", 10, NULL, list_callback(&c));
  CHECK(call_wait(&c, "history") == 0);
  CHECK(c.count == 1);
  check_recalled(c.items[0], "alice", "typo");
  call_destroy(&c);

  /* By id, for apps that keep their own store; no reason. */
  second = send_text(alice, "second", "bob");
  inbox_wait(&bob_in, 2);
  call_init(&c);
  v2tim_revoke_message_by_id(alice, "bob", NULL, v2tim_message_get_msg_id(second), NULL,
                             callback(&c));
  CHECK(call_wait(&c, "revoke by id") == 0);
  call_destroy(&c);
  check_recalled(second, "alice", "");
  wait_recalls(2);
  CHECK_STR(g_recalls.msg_id, v2tim_message_get_msg_id(second));
  CHECK_STR(g_recalls.reason, "");

  v2tim_message_release(msg);
  v2tim_message_release(second);
  v2tim_manager_destroy(alice);
  v2tim_manager_destroy(bob);
  inbox_destroy(&alice_in);
  inbox_destroy(&bob_in);
  printf("test_recall: ok\n");
  return 0;
}
