/*
 * The conversation list through the C ABI, around recall: when the last message of a
 * conversation is recalled, every device of the receiver hears on_conversation_changed once
 * with the last message in its recalled form and the unread count lowered, and
 * on_total_unread_message_count_changed follows; read positions are the user's on every
 * device; a device that was offline finds all of it in its list when it logs in again.
 */
#include "harness.h"

#define APP 1400000202u

/* What one device's conversation listener heard, copied out of the borrowed lists. */
typedef struct Heard {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int news, changes;
  char id[64];
  uint64_t unread;
  int32_t last_status;
  char last_text[64];
  char last_revoker[64];
  int totals;
  uint64_t total;
} Heard;

static void heard_init(Heard *h) {
  memset(h, 0, sizeof *h);
  pthread_mutex_init(&h->mu, NULL);
  pthread_cond_init(&h->cv, NULL);
}

static void heard_destroy(Heard *h) {
  pthread_mutex_destroy(&h->mu);
  pthread_cond_destroy(&h->cv);
}

static void take(Heard *h, const V2TIMConversationList *list) {
  const V2TIMConversation *c;
  const V2TIMMessage *last;
  CHECK(v2tim_conversation_list_size(list) == 1);
  CHECK(v2tim_conversation_list_get(list, 1) == NULL);
  c = v2tim_conversation_list_get(list, 0);
  snprintf(h->id, sizeof h->id, "%s", v2tim_conversation_get_conversation_id(c));
  CHECK(v2tim_conversation_get_type(c) == V2TIM_C2C);
  h->unread = v2tim_conversation_get_unread_count(c);
  last = v2tim_conversation_get_last_message(c);
  CHECK(last != NULL);
  h->last_status = v2tim_message_get_status(last);
  snprintf(h->last_text, sizeof h->last_text, "%s", v2tim_message_get_text(last));
  snprintf(h->last_revoker, sizeof h->last_revoker, "%s", v2tim_message_get_revoker(last));
}

static void on_new(void *ud, const V2TIMConversationList *list) {
  Heard *h = (Heard *)ud;
  on_event_thread();
  pthread_mutex_lock(&h->mu);
  h->news++;
  take(h, list);
  pthread_cond_broadcast(&h->cv);
  pthread_mutex_unlock(&h->mu);
}

static void on_changed(void *ud, const V2TIMConversationList *list) {
  Heard *h = (Heard *)ud;
  on_event_thread();
  pthread_mutex_lock(&h->mu);
  h->changes++;
  take(h, list);
  pthread_cond_broadcast(&h->cv);
  pthread_mutex_unlock(&h->mu);
}

static void on_total(void *ud, uint64_t total) {
  Heard *h = (Heard *)ud;
  on_event_thread();
  pthread_mutex_lock(&h->mu);
  h->totals++;
  h->total = total;
  pthread_cond_broadcast(&h->cv);
  pthread_mutex_unlock(&h->mu);
}

static V2TIMConversationListener listener(Heard *h) {
  V2TIMConversationListener l;
  l.user_data = h;
  l.on_new_conversation = on_new;
  l.on_conversation_changed = on_changed;
  l.on_total_unread_message_count_changed = on_total;
  return l;
}

/* Waits until the device heard a total of `total`. */
static void wait_total(Heard *h, uint64_t total) {
  struct timespec ts = deadline();
  pthread_mutex_lock(&h->mu);
  while (h->totals == 0 || h->total != total) {
    if (pthread_cond_timedwait(&h->cv, &h->mu, &ts) == ETIMEDOUT) {
      fprintf(stderr, "timed out: total %llu, expected %llu\n", (unsigned long long)h->total,
              (unsigned long long)total);
      abort();
    }
  }
  pthread_mutex_unlock(&h->mu);
}

/* The first page of the list, copied: the first conversation's fields and the count. */
typedef struct Page {
  Call call;
  size_t size;
  char first_id[64];
  uint64_t first_unread;
  int32_t first_last_status;
  char first_last_text[64];
  int finished;
} Page;

static void on_page(void *ud, const V2TIMConversationList *list, uint64_t next_seq,
                    bool is_finished) {
  Page *p = (Page *)ud;
  on_event_thread();
  (void)next_seq;
  p->size = v2tim_conversation_list_size(list);
  p->finished = is_finished;
  if (p->size > 0) {
    const V2TIMConversation *c = v2tim_conversation_list_get(list, 0);
    const V2TIMMessage *last = v2tim_conversation_get_last_message(c);
    snprintf(p->first_id, sizeof p->first_id, "%s", v2tim_conversation_get_conversation_id(c));
    p->first_unread = v2tim_conversation_get_unread_count(c);
    p->first_last_status = last ? v2tim_message_get_status(last) : 0;
    snprintf(p->first_last_text, sizeof p->first_last_text, "%s",
             last ? v2tim_message_get_text(last) : "");
  }
  call_finish(&p->call, 0, "");
}

static void page_error(void *ud, int32_t code, const char *desc) {
  Page *p = (Page *)ud;
  on_event_thread();
  call_finish(&p->call, code, desc);
}

static void read_list(V2TIMManager *m, Page *p) {
  V2TIMConversationResultCallback cb;
  memset(p, 0, sizeof *p);
  call_init(&p->call);
  cb.user_data = p;
  cb.on_success = on_page;
  cb.on_error = page_error;
  v2tim_get_conversation_list(m, 0, 100, cb);
  CHECK(call_wait(&p->call, "conversation list") == 0);
  call_destroy(&p->call);
}

static V2TIMManager *login_as(const char *user) {
  V2TIMManager *m = v2tim_manager_create();
  Call c;
  init_for_tests(m, APP, NULL); /* UserSigs unchecked */
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

static void settle(void) {
  struct timespec pause = {0, 300 * 1000 * 1000};
  nanosleep(&pause, NULL);
}

int main(void) {
  V2TIMManager *alice, *bob, *bob2, *late;
  V2TIMMessage *one, *two, *three;
  Heard h1, h2;
  V2TIMConversationListener l1, l2;
  Page p;
  Call c;
  int i;

  g_main_thread = pthread_self();
  heard_init(&h1);
  heard_init(&h2);
  alice = login_as("conv_alice");
  bob = login_as("conv_bob");
  bob2 = login_as("conv_bob");
  l1 = listener(&h1);
  l2 = listener(&h2);
  /* Changes are reported from the first read of the list on. */
  read_list(bob, &p);
  CHECK(p.size == 0 && p.finished);
  read_list(bob2, &p);
  v2tim_add_conversation_listener(bob, &l1);
  v2tim_add_conversation_listener(bob2, &l2);

  one = send_text(alice, "one", "conv_bob");
  two = send_text(alice, "two", "conv_bob");
  wait_total(&h1, 2);
  wait_total(&h2, 2);
  CHECK(h1.news == 1);
  CHECK_STR(h1.id, "c2c_conv_alice");
  CHECK(h1.unread == 2);
  CHECK_STR(h1.last_text, "two");

  /* The last message is recalled: once on every device, recalled form, unread lowered. */
  settle();
  {
    int before1 = h1.changes, before2 = h2.changes;
    call_init(&c);
    v2tim_revoke_message(alice, two, callback(&c));
    CHECK(call_wait(&c, "revoke") == 0);
    call_destroy(&c);
    wait_total(&h1, 1);
    wait_total(&h2, 1);
    settle();
    CHECK(h1.changes == before1 + 1);
    CHECK(h2.changes == before2 + 1);
  }
  for (i = 0; i < 2; i++) {
    Heard *h = i == 0 ? &h1 : &h2;
    CHECK(h->unread == 1);
    CHECK(h->last_status == V2TIM_MSG_STATUS_LOCAL_REVOKED);
    CHECK_STR(h->last_text, "");
    CHECK_STR(h->last_revoker, "conv_alice");
  }

  /* A device that was not logged in finds it all in its list. */
  late = login_as("conv_bob");
  read_list(late, &p);
  CHECK(p.size == 1);
  CHECK_STR(p.first_id, "c2c_conv_alice");
  CHECK(p.first_unread == 1);
  CHECK(p.first_last_status == V2TIM_MSG_STATUS_LOCAL_REVOKED);
  CHECK_STR(p.first_last_text, "");
  call_init(&c);
  v2tim_logout(late, callback(&c));
  CHECK(call_wait(&c, "logout") == 0);
  call_destroy(&c);
  /* ... and catches up on what came while it was away. */
  three = send_text(alice, "three", "conv_bob");
  wait_total(&h1, 2);
  call_init(&c);
  v2tim_login(late, "conv_bob", "unchecked", callback(&c));
  CHECK(call_wait(&c, "login again") == 0);
  call_destroy(&c);
  read_list(late, &p);
  CHECK(p.first_unread == 2);
  CHECK_STR(p.first_last_text, "three");

  /* Read on one device: the others hear it. */
  call_init(&c);
  v2tim_clean_conversation_unread_message_count(bob, "c2c_conv_alice", 0, 0, callback(&c));
  CHECK(call_wait(&c, "clean") == 0);
  call_destroy(&c);
  wait_total(&h2, 0);
  wait_total(&h1, 0);

  /* Argument errors reach on_error with what was wrong. */
  call_init(&c);
  v2tim_clean_conversation_unread_message_count(bob, "conv_alice", 0, 0, callback(&c));
  CHECK(call_wait(&c, "bad id") == V2TIM_ERR_INVALID_PARAMETERS);
  CHECK(strstr(c.desc, "c2c_") != NULL);
  call_destroy(&c);
  call_init(&c);
  v2tim_clean_conversation_unread_message_count(bob, NULL, 0, 0, callback(&c));
  CHECK(call_wait(&c, "NULL id") == V2TIM_ERR_INVALID_PARAMETERS);
  CHECK(strstr(c.desc, "conversation_id is NULL") != NULL);
  call_destroy(&c);
  CHECK(v2tim_conversation_list_size(NULL) == 0);
  CHECK(v2tim_conversation_get_last_message(NULL) == NULL);
  CHECK_STR(v2tim_conversation_get_conversation_id(NULL), "");

  v2tim_remove_conversation_listener(bob, &l1);
  v2tim_remove_conversation_listener(bob2, &l2);
  v2tim_message_release(one);
  v2tim_message_release(two);
  v2tim_message_release(three);
  v2tim_manager_destroy(late);
  v2tim_manager_destroy(alice);
  v2tim_manager_destroy(bob);
  v2tim_manager_destroy(bob2);
  heard_destroy(&h1);
  heard_destroy(&h2);
  printf("test_conversations: ok\n");
  return 0;
}
