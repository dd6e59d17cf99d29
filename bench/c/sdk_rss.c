/*
 * SDK memory as a C app sees it: VmRSS of this process at start, after
 * v2tim_manager_create + v2tim_init_sdk, and after logging in, either to a v2tim server
 * (URL given) or to the embedded in-process server ("-"). Run by `v2tim-bench footprint`.
 *
 *   sdk_rss <ws-url | -> <user> <sdkappid> <secret-key>
 *
 * Prints one "<stage> <KiB>" line per stage; exits non-zero on any failure.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "v2tim.h"

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "VmRSS:", 6) == 0) {
      kib = strtol(line + 6, NULL, 10);
      break;
    }
  }
  fclose(f);
  return kib;
}

/* The login completes on the SDK event thread; main waits for it here. */
struct wait {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done;
  int code;
  char desc[256];
};

static void finish(struct wait *w, int code, const char *desc) {
  pthread_mutex_lock(&w->mu);
  w->done = 1;
  w->code = code;
  snprintf(w->desc, sizeof w->desc, "%s", desc ? desc : "");
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
}

static void on_ok(void *ud) { finish(ud, 0, ""); }
static void on_err(void *ud, int32_t code, const char *desc) { finish(ud, code, desc); }

/* Lets the SDK's background threads finish what login started before measuring. */
static void settle(void) {
  struct timespec ts = {1, 0};
  nanosleep(&ts, NULL);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s <ws-url | -> <user> <sdkappid> <secret-key>\n", argv[0]);
    return 2;
  }
  const char *url = strcmp(argv[1], "-") == 0 ? NULL : argv[1];
  const char *user = argv[2];
  uint32_t app = (uint32_t)strtoul(argv[3], NULL, 10);
  const char *key = argv[4];

  printf("start %ld\n", rss_kib());

  V2TIMManager *m = v2tim_manager_create();
  V2TIMSDKConfig config = {url, NULL, 0, key};
  int32_t rc = v2tim_init_sdk(m, app, &config);
  if (rc != 0) {
    fprintf(stderr, "v2tim_init_sdk: %d\n", rc);
    return 1;
  }
  printf("init %ld\n", rss_kib());

  char *sig = v2tim_gen_user_sig(app, key, user, 24 * 3600);
  if (!sig) {
    fprintf(stderr, "v2tim_gen_user_sig failed\n");
    return 1;
  }
  struct wait w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, ""};
  V2TIMCallback cb = {&w, on_ok, on_err};
  v2tim_login(m, user, sig, cb);
  v2tim_string_free(sig);
  pthread_mutex_lock(&w.mu);
  while (!w.done) pthread_cond_wait(&w.cv, &w.mu);
  pthread_mutex_unlock(&w.mu);
  if (w.code != 0) {
    fprintf(stderr, "login: %d %s\n", w.code, w.desc);
    return 1;
  }
  printf("login %ld\n", rss_kib());
  settle();
  printf("login_settled %ld\n", rss_kib());
  fflush(stdout);

  v2tim_manager_destroy(m);
  return 0;
}
