/*
 * The C ABI end to end: alice and bob on the embedded server or V2TIM_SERVER_URL's (UserSigs
 * checked against a secret key), one-to-one and group messages through listeners, history
 * paging, custom data, reference counting, JSON export, NULL arguments, listener removal.
 */
#include "harness.h"

#define APP 1400000201u
#define KEY "c-test-secret-key"

static V2TIMManager *login_as(const char *user, Inbox *inbox, V2TIMSDKListener *sdk) {
  V2TIMManager *m = v2tim_manager_create();
  V2TIMAdvancedMsgListener l = inbox_listener(inbox);
  Call c;
  char *sig, *me;
  CHECK(m != NULL);
  init_for_tests(m, APP, KEY); /* UserSigs checked against KEY */
  v2tim_add_advanced_msg_listener(m, &l);
  v2tim_add_sdk_listener(m, sdk);

  /* A forged UserSig is refused. */
  sig = v2tim_gen_user_sig(APP, "not-the-key", user, 3600);
  call_init(&c);
  v2tim_login(m, user, sig, callback(&c));
  CHECK(call_wait(&c, "forged login") == V2TIM_ERR_SVR_ACCOUNT_USERSIG_INVALID);
  call_destroy(&c);
  v2tim_string_free(sig);

  sig = v2tim_gen_user_sig(APP, KEY, user, 3600);
  CHECK(sig != NULL);
  call_init(&c);
  v2tim_login(m, user, sig, callback(&c));
  if (call_wait(&c, "login") != 0) {
    fprintf(stderr, "login %s: %d %s\n", user, c.code, c.desc);
    abort();
  }
  call_destroy(&c);
  v2tim_string_free(sig);
  CHECK(v2tim_get_login_status(m) == V2TIM_STATUS_LOGINED);
  me = v2tim_get_login_user(m);
  CHECK_STR(me, user);
  v2tim_string_free(me);
  CHECK(v2tim_get_server_time(m) > 1600000000);
  return m;
}

/* Sends and waits; returns the message (owned by the caller). */
static V2TIMMessage *send_text(V2TIMManager *m, const char *text, const char *to,
                               const char *group) {
  V2TIMMessage *msg = v2tim_create_text_message(m, text);
  const char *id;
  Call c;
  CHECK(msg != NULL);
  CHECK(v2tim_message_get_status(msg) == V2TIM_MSG_STATUS_SENDING);
  call_init(&c);
  id = v2tim_send_message(m, msg, to, group, V2TIM_PRIORITY_NORMAL, send_callback(&c));
  CHECK(id != NULL);
  CHECK(id == v2tim_message_get_msg_id(msg)); /* borrowed from the message */
  if (call_wait(&c, "send") != 0) {
    fprintf(stderr, "send %s: %d %s\n", text, c.code, c.desc);
    abort();
  }
  CHECK(c.sent == msg); /* on_success gets the very pointer that was sent */
  call_destroy(&c);
  CHECK(v2tim_message_get_status(msg) == V2TIM_MSG_STATUS_SEND_SUCC);
  CHECK(v2tim_message_get_seq(msg) > 0);
  CHECK(v2tim_message_get_timestamp(msg) > 1600000000);
  CHECK(v2tim_message_is_self(msg));
  return msg;
}

static int g_connected;
static void on_connect_success(void *ud) {
  on_event_thread();
  (void)ud;
  __atomic_add_fetch(&g_connected, 1, __ATOMIC_SEQ_CST);
}

static void test_null_arguments(V2TIMManager *m) {
  Call c;
  CHECK(v2tim_create_text_message(NULL, "x") == NULL);
  CHECK(v2tim_last_error_code() == V2TIM_ERR_INVALID_PARAMETERS);
  CHECK(strstr(v2tim_last_error_desc(), "manager is NULL") != NULL);
  CHECK(v2tim_create_text_message(m, NULL) == NULL);
  CHECK_STR(v2tim_last_error_desc(), "text is NULL");
  CHECK(v2tim_message_get_text(NULL) == NULL);
  CHECK(v2tim_message_get_status(NULL) == 0);
  CHECK(v2tim_init_sdk(m, APP, NULL) == V2TIM_ERR_INVALID_PARAMETERS);
  v2tim_message_release(NULL);
  v2tim_string_free(NULL);
  v2tim_manager_destroy(NULL);
  CHECK(v2tim_last_error_code() == 0);
  CHECK_STR(v2tim_error_desc(V2TIM_ERR_SDK_NOT_LOGGED_IN), "not logged in");

  call_init(&c);
  v2tim_join_group(m, "", NULL, callback(&c));
  CHECK(call_wait(&c, "join with empty id") == V2TIM_ERR_INVALID_PARAMETERS);
  CHECK_STR(c.desc, "group_id is empty");
  call_destroy(&c);

  call_init(&c);
  CHECK(v2tim_send_message(m, NULL, "bob", NULL, 0, send_callback(&c)) == NULL);
  CHECK(call_wait(&c, "send NULL") == V2TIM_ERR_INVALID_PARAMETERS);
  call_destroy(&c);
}

static void test_c2c(V2TIMManager *alice, Inbox *bob_in) {
  size_t before = inbox_count(bob_in);
  V2TIMMessage *sent = send_text(alice, "hello bob", "bob", NULL);
  V2TIMMessage *got = inbox_wait(bob_in, before + 1);
  char *json;
  CHECK_STR(v2tim_message_get_text(got), "hello bob");
  CHECK_STR(v2tim_message_get_sender(got), "alice");
  CHECK_STR(v2tim_message_get_user_id(got), "alice"); /* the peer, seen from bob */
  CHECK_STR(v2tim_message_get_receiver(got), "bob");
  CHECK_STR(v2tim_message_get_group_id(got), "");
  CHECK_STR(v2tim_message_get_msg_id(got), v2tim_message_get_msg_id(sent));
  CHECK(v2tim_message_get_seq(got) == v2tim_message_get_seq(sent));
  CHECK(!v2tim_message_is_self(got));
  CHECK(!v2tim_message_is_revoked(got));
  CHECK_STR(v2tim_message_get_revoker(got), "");
  CHECK(v2tim_message_get_elem_type(got) == V2TIM_ELEM_TYPE_TEXT);
  CHECK(v2tim_message_get_priority(got) == V2TIM_PRIORITY_NORMAL);
  CHECK_STR(v2tim_message_get_user_id(sent), "bob");

  json = v2tim_message_to_json(got);
  CHECK(json != NULL && strstr(json, "\"text\":\"hello bob\"") != NULL);
  v2tim_string_free(json);

  /* retain/release: an extra reference, given back. */
  CHECK(v2tim_message_retain(sent) == sent);
  v2tim_message_release(sent);
  v2tim_message_release(sent);
}

static void test_custom(V2TIMManager *alice, Inbox *bob_in) {
  static const uint8_t data[] = {0, 1, 2, 255, 0};
  size_t before = inbox_count(bob_in), len = 0;
  V2TIMMessage *msg = v2tim_create_custom_message(alice, data, sizeof data, "desc", "ext");
  V2TIMMessage *got;
  const uint8_t *bytes;
  Call c;
  CHECK(msg != NULL);
  call_init(&c);
  v2tim_send_message(alice, msg, "bob", NULL, V2TIM_PRIORITY_DEFAULT, send_callback(&c));
  CHECK(call_wait(&c, "send custom") == 0);
  call_destroy(&c);
  v2tim_message_release(msg);

  got = inbox_wait(bob_in, before + 1);
  CHECK(v2tim_message_get_elem_type(got) == V2TIM_ELEM_TYPE_CUSTOM);
  bytes = v2tim_message_get_custom_data(got, &len);
  CHECK(len == sizeof data && memcmp(bytes, data, len) == 0);
  CHECK_STR(v2tim_message_get_custom_description(got), "desc");
  CHECK_STR(v2tim_message_get_custom_extension(got), "ext");
  CHECK_STR(v2tim_message_get_text(got), "");
}

static void test_group(V2TIMManager *alice, V2TIMManager *bob, Inbox *bob_in) {
  const char *ids[1] = {"bob"};
  size_t before;
  V2TIMMessage *sent, *got;
  Call c;

  call_init(&c);
  v2tim_create_group(alice, "Work", "c-group-1", "C test group", string_callback(&c));
  if (call_wait(&c, "create group") != 0) {
    fprintf(stderr, "create group: %d %s\n", c.code, c.desc);
    abort();
  }
  CHECK_STR(c.value, "c-group-1");
  call_destroy(&c);

  call_init(&c);
  v2tim_invite_user_to_group(alice, "c-group-1", ids, 1, results_callback(&c));
  CHECK(call_wait(&c, "invite") == 0);
  CHECK_STR(c.value, "bob=1"); /* V2TIM_GROUP_MEMBER_RESULT_SUCC */
  call_destroy(&c);

  before = inbox_count(bob_in);
  sent = send_text(alice, "hello group", NULL, "c-group-1");
  got = inbox_wait(bob_in, before + 1);
  CHECK_STR(v2tim_message_get_text(got), "hello group");
  CHECK_STR(v2tim_message_get_group_id(got), "c-group-1");
  CHECK_STR(v2tim_message_get_user_id(got), "");
  v2tim_message_release(sent);

  /* bob answers in the group; then alice makes bob an admin. */
  sent = send_text(bob, "hi all", NULL, "c-group-1");
  v2tim_message_release(sent);
  call_init(&c);
  v2tim_set_group_member_role(alice, "c-group-1", "bob", V2TIM_GROUP_MEMBER_ROLE_ADMIN,
                              callback(&c));
  CHECK(call_wait(&c, "set role") == 0);
  call_destroy(&c);

  call_init(&c);
  v2tim_get_group_history_message_list(bob, "c-group-1", 10, NULL, list_callback(&c));
  CHECK(call_wait(&c, "group history") == 0);
  /* Newest first, with the group tips of bob's role and of his invitation. */
  CHECK(c.count == 4);
  CHECK(v2tim_group_tips_get_type(v2tim_message_get_group_tips_elem(c.items[0])) ==
        V2TIM_GROUP_TIPS_TYPE_SET_ADMIN);
  CHECK_STR(v2tim_message_get_text(c.items[1]), "hi all");
  CHECK_STR(v2tim_message_get_text(c.items[2]), "hello group");
  CHECK(v2tim_group_tips_get_type(v2tim_message_get_group_tips_elem(c.items[3])) ==
        V2TIM_GROUP_TIPS_TYPE_INVITE);
  call_destroy(&c);
}

static void test_history_paging(V2TIMManager *alice, V2TIMManager *bob) {
  char text[32];
  int i;
  size_t seen = 0;
  uint64_t last_seq = 0;
  V2TIMMessage *last = NULL;
  for (i = 0; i < 5; i++) {
    snprintf(text, sizeof text, "page %d", i);
    v2tim_message_release(send_text(alice, text, "bob", NULL));
  }
  /* 7 messages alice -> bob so far (hello bob, custom, 5 pages): read them 3 at a time. */
  for (;;) {
    Call c;
    size_t k;
    call_init(&c);
    v2tim_get_c2c_history_message_list(bob, "alice", 3, last, list_callback(&c));
    CHECK(call_wait(&c, "c2c history") == 0);
    if (last) v2tim_message_release(last);
    last = NULL;
    for (k = 0; k < c.count; k++) {
      uint64_t seq = v2tim_message_get_seq(c.items[k]);
      CHECK(last_seq == 0 || seq < last_seq); /* strictly older, no overlap */
      last_seq = seq;
    }
    if (c.count == 0) {
      call_destroy(&c);
      break;
    }
    if (seen == 0) CHECK_STR(v2tim_message_get_text(c.items[0]), "page 4");
    seen += c.count;
    last = v2tim_message_retain(c.items[c.count - 1]);
    call_destroy(&c);
    CHECK(seen <= 7);
  }
  CHECK(seen == 7);
}

static int g_removed_calls;
static void removed_on_message(void *ud, const V2TIMMessage *msg) {
  (void)ud;
  (void)msg;
  __atomic_add_fetch(&g_removed_calls, 1, __ATOMIC_SEQ_CST);
}

/* Polls `*counter` until it reaches `n` or the harness deadline passes. */
static void wait_counter(int *counter, int n) {
  struct timespec ts = deadline(), nap = {0, 1000000};
  struct timespec now;
  while (__atomic_load_n(counter, __ATOMIC_SEQ_CST) < n) {
    clock_gettime(CLOCK_REALTIME, &now);
    if (now.tv_sec > ts.tv_sec || (now.tv_sec == ts.tv_sec && now.tv_nsec >= ts.tv_nsec)) return;
    nanosleep(&nap, NULL);
  }
}

static void test_listener_removal(V2TIMManager *alice, V2TIMManager *bob, Inbox *bob_in) {
  V2TIMAdvancedMsgListener l, copy;
  size_t before = inbox_count(bob_in);
  memset(&l, 0, sizeof l);
  l.user_data = &g_removed_calls;
  l.on_recv_new_message = removed_on_message;
  v2tim_add_advanced_msg_listener(bob, &l);
  v2tim_add_advanced_msg_listener(bob, &l); /* same contents: registered once */
  v2tim_message_release(send_text(alice, "to both listeners", "bob", NULL));
  inbox_wait(bob_in, before + 1);
  /* Listeners run one after the other on the event thread, the inbox first: this one may
     not have run yet when the inbox has the message. */
  wait_counter(&g_removed_calls, 1);
  CHECK(__atomic_load_n(&g_removed_calls, __ATOMIC_SEQ_CST) == 1);

  /* Removal by contents: a copy at another address removes it. */
  copy = l;
  v2tim_remove_advanced_msg_listener(bob, &copy);
  v2tim_message_release(send_text(alice, "after removal", "bob", NULL));
  /* Events are delivered in order: once the inbox has the next message, every listener
     of "after removal" has run. */
  v2tim_message_release(send_text(alice, "fence", "bob", NULL));
  inbox_wait(bob_in, before + 3);
  CHECK(__atomic_load_n(&g_removed_calls, __ATOMIC_SEQ_CST) == 1);
}

int main(void) {
  Inbox alice_in, bob_in;
  V2TIMSDKListener sdk;
  V2TIMManager *alice, *bob;
  Call c;
  char *json;

  g_main_thread = pthread_self();
  memset(&sdk, 0, sizeof sdk);
  sdk.on_connect_success = on_connect_success;
  inbox_init(&alice_in, "alice");
  inbox_init(&bob_in, "bob");

  alice = login_as("alice", &alice_in, &sdk);
  bob = login_as("bob", &bob_in, &sdk);
  test_null_arguments(alice);
  test_c2c(alice, &bob_in);
  test_custom(alice, &bob_in);
  test_group(alice, bob, &bob_in);
  test_history_paging(alice, bob);
  test_listener_removal(alice, bob, &bob_in);

  /* list JSON export, from a history callback */
  call_init(&c);
  v2tim_get_c2c_history_message_list(alice, "bob", 2, NULL, list_callback(&c));
  CHECK(call_wait(&c, "history for json") == 0);
  CHECK(c.count == 2);
  CHECK(c.list_json_ok);
  json = v2tim_message_to_json(c.items[0]);
  CHECK(strstr(json, "\"msgID\"") != NULL);
  v2tim_string_free(json);
  call_destroy(&c);

  call_init(&c);
  v2tim_logout(alice, callback(&c));
  CHECK(call_wait(&c, "logout") == 0);
  call_destroy(&c);
  CHECK(v2tim_get_login_status(alice) == V2TIM_STATUS_LOGOUT);

  v2tim_manager_destroy(alice);
  v2tim_manager_destroy(bob); /* destroy while logged in: uninit does the logout */
  inbox_destroy(&alice_in);
  inbox_destroy(&bob_in);
  /* The SDK listener (shared by both managers) heard both connections. */
  CHECK(__atomic_load_n(&g_connected, __ATOMIC_SEQ_CST) >= 2);
  /* The process-wide instance is one stable pointer; destroying it only uninitializes. */
  CHECK(v2tim_manager_get_instance() == v2tim_manager_get_instance());
  v2tim_manager_destroy(v2tim_manager_get_instance());
  CHECK(v2tim_get_login_status(v2tim_manager_get_instance()) == V2TIM_STATUS_LOGOUT);
  printf("test_basic: ok (%d connects)\n", __atomic_load_n(&g_connected, __ATOMIC_SEQ_CST));
  return 0;
}
