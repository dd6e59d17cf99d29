/*
 * Small helpers shared by the C tests: checks that abort with a message, and waits with a
 * timeout (default 10 s, V2TIM_TEST_TIMEOUT_S overrides it: valgrind is slow) so a test
 * never hangs. Every callback also checks that it runs on the one SDK event thread.
 */
#ifndef V2TIM_TEST_HARNESS_H
#define V2TIM_TEST_HARNESS_H

#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "v2tim.h"

#define CHECK(cond)                                                                   \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);        \
      abort();                                                                        \
    }                                                                                 \
  } while (0)

#define CHECK_STR(a, b)                                                               \
  do {                                                                                \
    const char *a_ = (a), *b_ = (b);                                                  \
    if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {                            \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, \
              a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                \
      abort();                                                                        \
    }                                                                                 \
  } while (0)

static pthread_t g_main_thread;
static pthread_mutex_t g_thread_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_event_thread_known = 0;
static pthread_t g_event_thread;

/* Every callback calls this: callbacks run on one thread, never the caller's. */
static inline void on_event_thread(void) {
  pthread_t self = pthread_self();
  CHECK(!pthread_equal(self, g_main_thread));
  pthread_mutex_lock(&g_thread_mu);
  if (!g_event_thread_known) {
    g_event_thread = self;
    g_event_thread_known = 1;
  }
  CHECK(pthread_equal(self, g_event_thread));
  pthread_mutex_unlock(&g_thread_mu);
}

static inline struct timespec deadline(void) {
  const char *env = getenv("V2TIM_TEST_TIMEOUT_S");
  long secs = env ? atol(env) : 10;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += secs > 0 ? secs : 10;
  return ts;
}

/* The outcome of one asynchronous call. */
typedef struct Call {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done;
  int32_t code;
  char desc[256];
  char value[128];
  const V2TIMMessage *sent; /* V2TIMSendCallback: the pointer on_success got */
  V2TIMMessage *items[64];  /* V2TIMMessageListCallback: retained page */
  size_t count;
  int list_json_ok; /* v2tim_message_list_to_json gave a JSON array */
} Call;

static inline void call_init(Call *c) {
  memset(c, 0, sizeof *c);
  pthread_mutex_init(&c->mu, NULL);
  pthread_cond_init(&c->cv, NULL);
}

static inline void call_finish(Call *c, int32_t code, const char *desc) {
  pthread_mutex_lock(&c->mu);
  CHECK(!c->done); /* each callback is called once */
  c->code = code;
  snprintf(c->desc, sizeof c->desc, "%s", desc ? desc : "");
  c->done = 1;
  pthread_cond_broadcast(&c->cv);
  pthread_mutex_unlock(&c->mu);
}

/* Waits for the call to finish; aborts after the timeout. Returns its code. */
static inline int32_t call_wait(Call *c, const char *what) {
  struct timespec ts = deadline();
  pthread_mutex_lock(&c->mu);
  while (!c->done) {
    if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) == ETIMEDOUT) {
      fprintf(stderr, "timed out waiting for %s\n", what);
      abort();
    }
  }
  pthread_mutex_unlock(&c->mu);
  return c->code;
}

static inline void call_release_items(Call *c) {
  size_t i;
  for (i = 0; i < c->count; i++) v2tim_message_release(c->items[i]);
  c->count = 0;
}

static inline void call_destroy(Call *c) {
  call_release_items(c);
  pthread_mutex_destroy(&c->mu);
  pthread_cond_destroy(&c->cv);
}

static inline void cb_success(void *ud) {
  on_event_thread();
  call_finish((Call *)ud, 0, "");
}

static inline void cb_error(void *ud, int32_t code, const char *desc) {
  on_event_thread();
  CHECK(code != 0);
  CHECK(desc != NULL);
  call_finish((Call *)ud, code, desc);
}

static inline void cb_string(void *ud, const char *value) {
  Call *c = (Call *)ud;
  on_event_thread();
  snprintf(c->value, sizeof c->value, "%s", value);
  call_finish(c, 0, "");
}

static inline void cb_sent(void *ud, const V2TIMMessage *msg) {
  Call *c = (Call *)ud;
  on_event_thread();
  c->sent = msg;
  call_finish(c, 0, "");
}

static inline void cb_list(void *ud, const V2TIMMessageList *list) {
  Call *c = (Call *)ud;
  size_t i, n = v2tim_message_list_size(list);
  on_event_thread();
  CHECK(n <= 64);
  /* Messages are lent for the call: retain what we keep. */
  for (i = 0; i < n; i++) c->items[i] = v2tim_message_retain(v2tim_message_list_get(list, i));
  c->count = n;
  CHECK(v2tim_message_list_get(list, n) == NULL);
  {
    char *json = v2tim_message_list_to_json(list);
    c->list_json_ok = json != NULL && json[0] == '[' && (n == 0 || strstr(json, "\"msgID\""));
    v2tim_string_free(json);
  }
  call_finish(c, 0, "");
}

static inline V2TIMCallback callback(Call *c) {
  V2TIMCallback cb;
  cb.user_data = c;
  cb.on_success = cb_success;
  cb.on_error = cb_error;
  return cb;
}

static inline V2TIMStringCallback string_callback(Call *c) {
  V2TIMStringCallback cb;
  cb.user_data = c;
  cb.on_success = cb_string;
  cb.on_error = cb_error;
  return cb;
}

static inline V2TIMSendCallback send_callback(Call *c) {
  V2TIMSendCallback cb;
  cb.user_data = c;
  cb.on_success = cb_sent;
  cb.on_error = cb_error;
  cb.on_progress = NULL;
  return cb;
}

/* Per-user results: value holds them as "user=result,user=result". */
static inline void cb_results(void *ud, const V2TIMGroupMemberOperationResultList *list) {
  Call *c = (Call *)ud;
  size_t i, n = v2tim_group_member_operation_result_list_size(list), at = 0;
  on_event_thread();
  c->value[0] = '\0';
  for (i = 0; i < n && at < sizeof c->value; i++)
    at += (size_t)snprintf(c->value + at, sizeof c->value - at, "%s%s=%u", i ? "," : "",
                           v2tim_group_member_operation_result_list_get_user_id(list, i),
                           v2tim_group_member_operation_result_list_get_result(list, i));
  c->count = n;
  call_finish(c, 0, "");
}

static inline V2TIMGroupMemberOperationResultCallback results_callback(Call *c) {
  V2TIMGroupMemberOperationResultCallback cb;
  cb.user_data = c;
  cb.on_success = cb_results;
  cb.on_error = cb_error;
  return cb;
}

static inline V2TIMMessageListCallback list_callback(Call *c) {
  V2TIMMessageListCallback cb;
  cb.user_data = c;
  cb.on_success = cb_list;
  cb.on_error = cb_error;
  return cb;
}

/* Messages received by a listener, retained until inbox_destroy. */
typedef struct Inbox {
  const char *name;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  V2TIMMessage *items[256];
  size_t count;
} Inbox;

static inline void inbox_init(Inbox *in, const char *name) {
  memset(in, 0, sizeof *in);
  in->name = name;
  pthread_mutex_init(&in->mu, NULL);
  pthread_cond_init(&in->cv, NULL);
}

/* Group tips messages are not counted: tests of them use a V2TIMGroupListener. */
static inline void inbox_on_message(void *ud, const V2TIMMessage *msg) {
  Inbox *in = (Inbox *)ud;
  on_event_thread();
  if (v2tim_message_get_group_tips_elem(msg) != NULL) return;
  pthread_mutex_lock(&in->mu);
  CHECK(in->count < 256);
  in->items[in->count++] = v2tim_message_retain(msg);
  pthread_cond_broadcast(&in->cv);
  pthread_mutex_unlock(&in->mu);
}

static inline size_t inbox_count(Inbox *in) {
  size_t n;
  pthread_mutex_lock(&in->mu);
  n = in->count;
  pthread_mutex_unlock(&in->mu);
  return n;
}

/* Waits until the inbox holds at least n messages; returns the n-th (borrowed from it). */
static inline V2TIMMessage *inbox_wait(Inbox *in, size_t n) {
  struct timespec ts = deadline();
  V2TIMMessage *m;
  pthread_mutex_lock(&in->mu);
  while (in->count < n) {
    if (pthread_cond_timedwait(&in->cv, &in->mu, &ts) == ETIMEDOUT) {
      fprintf(stderr, "timed out: %s has %zu messages, expected %zu\n", in->name, in->count, n);
      abort();
    }
  }
  m = in->items[n - 1];
  pthread_mutex_unlock(&in->mu);
  return m;
}

static inline void inbox_destroy(Inbox *in) {
  size_t i;
  for (i = 0; i < in->count; i++) v2tim_message_release(in->items[i]);
  pthread_mutex_destroy(&in->mu);
  pthread_cond_destroy(&in->cv);
}

/*
 * The server the tests talk to: V2TIM_SERVER_URL, a separately started v2tim-server that
 * knows the test's SDKAppID (and key), or else the embedded one, with UserSigs checked against
 * `key` (NULL: unchecked). A library built without the embedded server (V2TIM_TEST_NO_EMBEDDED=1
 * says so) must refuse the embedded configuration with V2TIM_ERR_NO_EMBEDDED_SERVER first.
 */
static inline void init_for_tests(V2TIMManager *m, uint32_t app, const char *key) {
  const char *url = getenv("V2TIM_SERVER_URL");
  const char *no_embedded = getenv("V2TIM_TEST_NO_EMBEDDED");
  V2TIMSDKConfig cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.secret_key = key;
  if (no_embedded && strcmp(no_embedded, "1") == 0) {
    CHECK(v2tim_init_sdk(m, app, &cfg) == V2TIM_ERR_NO_EMBEDDED_SERVER);
    CHECK(v2tim_last_error_code() == V2TIM_ERR_NO_EMBEDDED_SERVER);
    CHECK(strstr(v2tim_last_error_desc(), "no embedded server") != NULL);
    CHECK(strstr(v2tim_error_desc(V2TIM_ERR_NO_EMBEDDED_SERVER), "server_url") != NULL);
  }
  cfg.server_url = url && url[0] ? url : NULL;
  CHECK(v2tim_init_sdk(m, app, &cfg) == V2TIM_SUCC);
}

static inline V2TIMAdvancedMsgListener inbox_listener(Inbox *in) {
  V2TIMAdvancedMsgListener l;
  memset(&l, 0, sizeof l);
  l.user_data = in;
  l.on_recv_new_message = inbox_on_message;
  l.on_recv_message_revoked = NULL;
  return l;
}

/* A manager of app `app` logged in as `user` (UserSig unchecked), its messages going to
   `in`. */
static inline V2TIMManager *login_with_inbox(uint32_t app, const char *user, Inbox *in) {
  V2TIMManager *m = v2tim_manager_create();
  V2TIMAdvancedMsgListener l = inbox_listener(in);
  Call c;
  init_for_tests(m, app, NULL);
  v2tim_add_advanced_msg_listener(m, &l);
  call_init(&c);
  v2tim_login(m, user, "unchecked", callback(&c));
  CHECK(call_wait(&c, "login") == 0);
  call_destroy(&c);
  return m;
}

/* What a V2TIMUint64Callback answered. */
typedef struct Count {
  Call call;
  uint64_t value;
} Count;

static inline void count_success(void *ud, uint64_t value) {
  Count *c = (Count *)ud;
  on_event_thread();
  c->value = value;
  call_finish(&c->call, 0, "");
}

static inline void count_error(void *ud, int32_t code, const char *desc) {
  on_event_thread();
  call_finish(&((Count *)ud)->call, code, desc);
}

/* v2tim_get_total_unread_message_count, waited for; it must succeed. */
static inline uint64_t total_unread(V2TIMManager *m) {
  Count c;
  V2TIMUint64Callback cb;
  uint64_t v;
  call_init(&c.call);
  c.value = 0;
  cb.user_data = &c;
  cb.on_success = count_success;
  cb.on_error = count_error;
  v2tim_get_total_unread_message_count(m, cb);
  CHECK(call_wait(&c.call, "total unread") == 0);
  v = c.value;
  call_destroy(&c.call);
  return v;
}

/* Waits until the total unread count is `n`; aborts after the timeout. The first message of
   a conversation the SDK has not listed yet reaches on_recv_new_message before the count:
   the count follows once the SDK has read that conversation from the server. */
static inline void wait_total_unread(V2TIMManager *m, uint64_t n) {
  struct timespec until = deadline(), now, nap = {0, 10 * 1000 * 1000};
  uint64_t v;
  while ((v = total_unread(m)) != n) {
    clock_gettime(CLOCK_REALTIME, &now);
    if (now.tv_sec > until.tv_sec) {
      fprintf(stderr, "timed out waiting for a total unread count of %lu (it is %lu)\n",
              (unsigned long)n, (unsigned long)v);
      abort();
    }
    nanosleep(&nap, NULL);
  }
}

#endif
