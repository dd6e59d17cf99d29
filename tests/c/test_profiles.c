/*
 * Profiles through the C ABI: v2tim_set_self_info (the pinned nick/face form) and
 * v2tim_set_self_info_fields (every field, custom bytes), v2tim_get_users_info, the sender's
 * nick name on a received message, and a recall's operate_user and revoker carrying the
 * revoker's nick name and face URL ("Alice recalled a message"). Also the log listener: the
 * SDK's line for alice's connection reaches it at level INFO.
 */
#include "harness.h"

#define APP 1400000202u

typedef struct Heard {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int messages, recalls, self_updates;
  char sender_nick[64];
  char shown[128];
  char revoker_face[128];
  char self_nick[64];
} Heard;

static void heard_signal(Heard *h) {
  pthread_cond_broadcast(&h->cv);
  pthread_mutex_unlock(&h->mu);
}

static void on_message(void *ud, const V2TIMMessage *m) {
  Heard *h = (Heard *)ud;
  on_event_thread();
  pthread_mutex_lock(&h->mu);
  h->messages++;
  snprintf(h->sender_nick, sizeof h->sender_nick, "%s", v2tim_message_get_nick_name(m));
  heard_signal(h);
}

static void on_revoked(void *ud, const char *msg_id, const V2TIMUserFullInfo *op,
                       const char *reason) {
  Heard *h = (Heard *)ud;
  (void)msg_id;
  (void)reason;
  on_event_thread();
  pthread_mutex_lock(&h->mu);
  h->recalls++;
  snprintf(h->shown, sizeof h->shown, "%s recalled a message",
           v2tim_user_full_info_get_nick_name(op));
  snprintf(h->revoker_face, sizeof h->revoker_face, "%s", v2tim_user_full_info_get_face_url(op));
  heard_signal(h);
}

static void on_self(void *ud, const V2TIMUserFullInfo *info) {
  Heard *h = (Heard *)ud;
  on_event_thread();
  pthread_mutex_lock(&h->mu);
  h->self_updates++;
  snprintf(h->self_nick, sizeof h->self_nick, "%s", v2tim_user_full_info_get_nick_name(info));
  heard_signal(h);
}

/* What the log listener heard: "connected to ..." lines at level INFO. */
static Heard g_log;

static void on_log(void *ud, int32_t level, const char *text) {
  Heard *h = (Heard *)ud;
  on_event_thread();
  CHECK(level >= V2TIM_LOG_INFO && level <= V2TIM_LOG_ERROR);
  pthread_mutex_lock(&h->mu);
  if (level == V2TIM_LOG_INFO && strstr(text, "connected to") && strstr(text, "as prof_alice"))
    h->messages++;
  heard_signal(h);
}

static void wait_count(Heard *h, const int *field, int n, const char *what) {
  struct timespec ts = deadline();
  pthread_mutex_lock(&h->mu);
  while (*field < n) {
    if (pthread_cond_timedwait(&h->cv, &h->mu, &ts) == ETIMEDOUT) {
      fprintf(stderr, "timed out waiting for %s\n", what);
      abort();
    }
  }
  pthread_mutex_unlock(&h->mu);
}

/* What get_users_info answered, copied out of the borrowed list. */
typedef struct Users {
  Call call;
  size_t size;
  char nick[64], face[128], signature[64], city[16];
  size_t city_len;
  int32_t gender;
  uint32_t level;
} Users;

static void on_users(void *ud, const V2TIMUserFullInfoList *list) {
  Users *u = (Users *)ud;
  on_event_thread();
  u->size = v2tim_user_full_info_list_size(list);
  if (u->size > 0) {
    const V2TIMUserFullInfo *i = v2tim_user_full_info_list_get(list, 0);
    const uint8_t *value = NULL;
    size_t len = 0;
    snprintf(u->nick, sizeof u->nick, "%s", v2tim_user_full_info_get_nick_name(i));
    snprintf(u->face, sizeof u->face, "%s", v2tim_user_full_info_get_face_url(i));
    snprintf(u->signature, sizeof u->signature, "%s", v2tim_user_full_info_get_self_signature(i));
    u->gender = v2tim_user_full_info_get_gender(i);
    u->level = v2tim_user_full_info_get_level(i);
    CHECK(v2tim_user_full_info_get_custom_info_count(i) == 1);
    CHECK_STR(v2tim_user_full_info_get_custom_info(i, 0, &value, &len), "city");
    CHECK(len <= sizeof u->city);
    memcpy(u->city, value, len);
    u->city_len = len;
    CHECK(v2tim_user_full_info_get_custom_info(i, 1, &value, &len) == NULL);
  }
  call_finish(&u->call, 0, "");
}

static void users_error(void *ud, int32_t code, const char *desc) {
  on_event_thread();
  call_finish(&((Users *)ud)->call, code, desc);
}

static V2TIMManager *login_as(const char *user, Heard *h) {
  V2TIMManager *m = v2tim_manager_create();
  V2TIMAdvancedMsgListener l;
  V2TIMSDKListener s;
  Call c;
  init_for_tests(m, APP, NULL);
  memset(&l, 0, sizeof l);
  l.user_data = h;
  l.on_recv_new_message = on_message;
  l.on_recv_message_revoked = on_revoked;
  v2tim_add_advanced_msg_listener(m, &l);
  memset(&s, 0, sizeof s);
  s.user_data = h;
  s.on_self_info_updated = on_self;
  v2tim_add_sdk_listener(m, &s);
  call_init(&c);
  v2tim_login(m, user, "unchecked", callback(&c));
  CHECK(call_wait(&c, "login") == 0);
  call_destroy(&c);
  return m;
}

int main(void) {
  Heard ha, hb;
  V2TIMManager *alice, *bob;
  V2TIMMessage *msg;
  V2TIMSelfInfo info;
  const char *keys[1] = {"city"};
  const uint8_t city[6] = {'P', 'a', 'r', 0, 'i', 's'};
  const uint8_t *values[1];
  size_t lengths[1] = {sizeof city};
  const char *ids[2] = {"prof_alice", "prof_nobody"};
  Users users;
  Call c;

  g_main_thread = pthread_self();
  memset(&ha, 0, sizeof ha);
  memset(&hb, 0, sizeof hb);
  pthread_mutex_init(&ha.mu, NULL);
  pthread_cond_init(&ha.cv, NULL);
  pthread_mutex_init(&hb.mu, NULL);
  pthread_cond_init(&hb.cv, NULL);
  values[0] = city;
  memset(&g_log, 0, sizeof g_log);
  pthread_mutex_init(&g_log.mu, NULL);
  pthread_cond_init(&g_log.cv, NULL);
  {
    V2TIMLogListener ll;
    ll.user_data = &g_log;
    ll.on_log = on_log;
    v2tim_set_log_listener(&ll, V2TIM_LOG_INFO);
  }
  alice = login_as("prof_alice", &ha);
  wait_count(&g_log, &g_log.messages, 1, "the log line of alice's connection");
  bob = login_as("prof_bob", &hb);

  /* The pinned form: nick and face, NULL leaves a field as it is. */
  call_init(&c);
  v2tim_set_self_info(alice, "Alice", "https://example.com/a.png", callback(&c));
  CHECK(call_wait(&c, "set_self_info") == 0);
  call_destroy(&c);
  wait_count(&ha, &ha.self_updates, 1, "on_self_info_updated");
  CHECK_STR(ha.self_nick, "Alice");

  /* Every field: only those flagged change. */
  memset(&info, 0, sizeof info);
  info.modify_flag = V2TIM_USER_INFO_MODIFY_FLAG_SELF_SIGNATURE | V2TIM_USER_INFO_MODIFY_FLAG_GENDER |
                     V2TIM_USER_INFO_MODIFY_FLAG_LEVEL | V2TIM_USER_INFO_MODIFY_FLAG_CUSTOM;
  info.nick_name = "NOT APPLIED";
  info.self_signature = "hi there";
  info.gender = V2TIM_GENDER_FEMALE;
  info.level = 3;
  info.custom_info_keys = keys;
  info.custom_info_values = values;
  info.custom_info_lengths = lengths;
  info.custom_info_count = 1;
  call_init(&c);
  v2tim_set_self_info_fields(alice, &info, callback(&c));
  CHECK(call_wait(&c, "set_self_info_fields") == 0);
  call_destroy(&c);

  memset(&users, 0, sizeof users);
  call_init(&users.call);
  {
    V2TIMUserFullInfoListCallback cb;
    cb.user_data = &users;
    cb.on_success = on_users;
    cb.on_error = users_error;
    v2tim_get_users_info(bob, ids, 2, cb);
  }
  CHECK(call_wait(&users.call, "get_users_info") == 0);
  call_destroy(&users.call);
  CHECK(users.size == 1); /* prof_nobody has no account */
  CHECK_STR(users.nick, "Alice");
  CHECK_STR(users.face, "https://example.com/a.png");
  CHECK_STR(users.signature, "hi there");
  CHECK(users.gender == V2TIM_GENDER_FEMALE && users.level == 3);
  CHECK(users.city_len == sizeof city && memcmp(users.city, city, sizeof city) == 0);

  /* The sender's nick on a message, the revoker's on the recall. */
  msg = v2tim_create_text_message(alice, "oops");
  call_init(&c);
  v2tim_send_message(alice, msg, "prof_bob", NULL, V2TIM_PRIORITY_DEFAULT, send_callback(&c));
  CHECK(call_wait(&c, "send") == 0);
  call_destroy(&c);
  CHECK_STR(v2tim_message_get_nick_name(msg), "Alice");
  wait_count(&hb, &hb.messages, 1, "bob's message");
  CHECK_STR(hb.sender_nick, "Alice");
  call_init(&c);
  v2tim_revoke_message(alice, msg, callback(&c));
  CHECK(call_wait(&c, "revoke") == 0);
  call_destroy(&c);
  wait_count(&hb, &hb.recalls, 1, "bob hears of the recall");
  CHECK_STR(hb.shown, "Alice recalled a message");
  CHECK_STR(hb.revoker_face, "https://example.com/a.png");
  CHECK_STR(v2tim_message_get_revoker_nick_name(msg), "Alice");
  CHECK_STR(v2tim_message_get_revoker_face_url(msg), "https://example.com/a.png");

  /* Argument errors name what was wrong. */
  info.modify_flag = V2TIM_USER_INFO_MODIFY_FLAG_NICK;
  info.nick_name = NULL;
  call_init(&c);
  v2tim_set_self_info_fields(alice, &info, callback(&c));
  CHECK(call_wait(&c, "a NULL nick") == V2TIM_ERR_INVALID_PARAMETERS);
  CHECK(strstr(c.desc, "nick_name is NULL") != NULL);
  call_destroy(&c);
  memset(&users, 0, sizeof users);
  call_init(&users.call);
  {
    V2TIMUserFullInfoListCallback cb;
    cb.user_data = &users;
    cb.on_success = on_users;
    cb.on_error = users_error;
    v2tim_get_users_info(bob, ids, 0, cb);
  }
  CHECK(call_wait(&users.call, "no ids") == V2TIM_ERR_INVALID_PARAMETERS);
  CHECK(strstr(users.call.desc, "count must be 1 to 100") != NULL);
  call_destroy(&users.call);

  v2tim_set_log_listener(NULL, V2TIM_LOG_NONE);
  v2tim_message_release(msg);
  v2tim_manager_destroy(alice);
  v2tim_manager_destroy(bob);
  pthread_mutex_destroy(&ha.mu);
  pthread_cond_destroy(&ha.cv);
  pthread_mutex_destroy(&hb.mu);
  pthread_cond_destroy(&hb.cv);
  printf("test_profiles: ok (log listener too)\n");
  return 0;
}
