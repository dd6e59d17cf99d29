/* Uses the installed C ABI through pkg-config (`gcc main.c $(pkg-config --cflags --libs
 * v2tim)`), on the embedded server: alice sends bob a message and recalls it; bob's listener
 * hears the recall. Prints "pkg-config consumer: ok". */

#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "v2tim.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int done_count = 0, last_code = 0, revoked = 0;
static char revoked_id[128], revoked_by[64];

static void finish(int code) {
  pthread_mutex_lock(&mu);
  last_code = code;
  done_count++;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
}
static void ok(void *ud) { (void)ud; finish(0); }
static void err(void *ud, int32_t code, const char *desc) {
  (void)ud;
  fprintf(stderr, "error %d: %s\n", (int)code, desc);
  finish(code);
}
static void sent(void *ud, const V2TIMMessage *m) { (void)ud; (void)m; finish(0); }
static void on_revoked(void *ud, const char *id, const V2TIMUserFullInfo *op, const char *reason) {
  (void)ud;
  (void)reason;
  pthread_mutex_lock(&mu);
  snprintf(revoked_id, sizeof revoked_id, "%s", id);
  snprintf(revoked_by, sizeof revoked_by, "%s", v2tim_user_full_info_get_user_id(op));
  revoked = 1;
  pthread_cond_broadcast(&cv);
  pthread_mutex_unlock(&mu);
}

/* Waits until `*what` reaches `n` (10 s at most); returns last_code, or -1 on timeout. */
static int wait_for(int *what, int n) {
  struct timespec ts;
  int r = 0;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += 10;
  pthread_mutex_lock(&mu);
  while (*what < n && r == 0) r = pthread_cond_timedwait(&cv, &mu, &ts);
  r = *what >= n ? last_code : -1;
  pthread_mutex_unlock(&mu);
  return r;
}

static int login(V2TIMManager *m, const char *user) {
  V2TIMSDKConfig config;
  V2TIMCallback cb = {NULL, ok, err};
  memset(&config, 0, sizeof config);
  if (v2tim_init_sdk(m, 1400000001, &config) != V2TIM_SUCC) return -1;
  v2tim_login(m, user, "any", cb);
  return wait_for(&done_count, done_count + 1);
}

int main(void) {
  V2TIMManager *alice = v2tim_manager_get_instance(), *bob = v2tim_manager_create();
  V2TIMAdvancedMsgListener listener = {NULL, NULL, on_revoked};
  V2TIMSendCallback send_cb = {NULL, sent, err, NULL};
  V2TIMCallback cb = {NULL, ok, err};
  V2TIMMessage *msg;
  const char *id;
  int n;
  if (login(alice, "alice") != 0 || login(bob, "bob") != 0) return 1;
  v2tim_add_advanced_msg_listener(bob, &listener);
  msg = v2tim_create_text_message(alice, "via pkg-config");
  n = done_count;
  id = v2tim_send_message(alice, msg, "bob", NULL, V2TIM_PRIORITY_DEFAULT, send_cb);
  if (!id || wait_for(&done_count, n + 1) != 0) return 1;
  n = done_count;
  v2tim_revoke_message(alice, msg, cb);
  if (wait_for(&done_count, n + 1) != 0 || wait_for(&revoked, 1) != 0) return 1;
  if (strcmp(revoked_id, id) != 0 || strcmp(revoked_by, "alice") != 0) return 1;
  v2tim_remove_advanced_msg_listener(bob, &listener);
  v2tim_message_release(msg);
  v2tim_manager_destroy(bob);
  v2tim_uninit_sdk(alice);
  printf("pkg-config consumer: ok\n");
  return 0;
}
