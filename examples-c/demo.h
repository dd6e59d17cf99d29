/*
 * The scenario both demos run: alice, bob and carol log in and set their nick names,
 * exchange one-to-one and group messages, recall some (the sender; a group admin with a
 * reason; a plain member refused; with V2TIM_DEMO_LATE_RECALL_AFTER_S set, one past the
 * server's time limit), and read their histories, where recalled messages stay in place
 * without content. Bob's conversation list is shown before and after Alice's recall: the
 * last message turns into "Alice recalled a message" and the unread count goes down. Only
 * the server differs: chat_demo.c uses the embedded in-process server, remote_demo.c a
 * separately started v2tim-server.
 *
 * Callbacks arrive on the SDK event thread; the main thread waits for each with a small
 * mutex/condition-variable helper (and gives up after 10 s rather than hang).
 */
#ifndef V2TIM_DEMO_H
#define V2TIM_DEMO_H

#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "v2tim.h"

/* ---- waiting for callbacks ---------------------------------------------------------- */

typedef struct Waiter {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int count;     /* events seen */
  int32_t code;  /* last error code, 0 if none */
  char text[256];
} Waiter;

static void waiter_init(Waiter *w) {
  memset(w, 0, sizeof *w);
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->cv, NULL);
}

static void waiter_signal(Waiter *w, int32_t code, const char *text) {
  pthread_mutex_lock(&w->mu);
  w->count++;
  w->code = code;
  snprintf(w->text, sizeof w->text, "%s", text ? text : "");
  pthread_cond_broadcast(&w->cv);
  pthread_mutex_unlock(&w->mu);
}

/* Waits until `count` events were seen; exits the demo on timeout, and on an error unless
   `what` is NULL (a refusal the demo expects and prints itself). */
static void waiter_wait(Waiter *w, int count, const char *what) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += 10;
  pthread_mutex_lock(&w->mu);
  while (w->count < count) {
    if (pthread_cond_timedwait(&w->cv, &w->mu, &ts) == ETIMEDOUT) {
      fprintf(stderr, "timed out waiting for %s\n", what ? what : "an answer");
      exit(1);
    }
  }
  if (w->code != 0 && what) {
    fprintf(stderr, "%s failed: %d %s\n", what, w->code, w->text);
    exit(1);
  }
  pthread_mutex_unlock(&w->mu);
}

static void sleep_ms(long ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

static void on_ok(void *ud) { waiter_signal((Waiter *)ud, 0, ""); }
static void on_value(void *ud, const char *value) { waiter_signal((Waiter *)ud, 0, value); }
static void on_sent(void *ud, const V2TIMMessage *m) { (void)m; waiter_signal((Waiter *)ud, 0, ""); }
static void on_err(void *ud, int32_t code, const char *desc) { waiter_signal((Waiter *)ud, code, desc); }
/* Every invitee must be added (V2TIM_GROUP_MEMBER_RESULT_SUCC). */
static void on_results(void *ud, const V2TIMGroupMemberOperationResultList *r) {
  size_t i, n = v2tim_group_member_operation_result_list_size(r);
  for (i = 0; i < n; i++)
    if (v2tim_group_member_operation_result_list_get_result(r, i) != V2TIM_GROUP_MEMBER_RESULT_SUCC) {
      waiter_signal((Waiter *)ud, -1, v2tim_group_member_operation_result_list_get_user_id(r, i));
      return;
    }
  waiter_signal((Waiter *)ud, 0, "");
}

/* Runs one call with a V2TIMCallback and waits for it. */
#define CALL(what, expr_with_cb)                     \
  do {                                               \
    Waiter w_;                                       \
    V2TIMCallback cb;                                \
    waiter_init(&w_);                                \
    cb.user_data = &w_;                              \
    cb.on_success = on_ok;                           \
    cb.on_error = on_err;                            \
    expr_with_cb;                                    \
    waiter_wait(&w_, 1, what);                       \
  } while (0)

/* ---- one user ------------------------------------------------------------------------ */

typedef struct User {
  const char *name;
  const char *nick; /* shown to others: the profile's nick name */
  V2TIMManager *manager;
  Waiter inbox;   /* counts messages received */
  Waiter recalls; /* counts recalls heard of */
  V2TIMMessage *inbox_first; /* the first message received, retained */
} User;

/* A group tips message: the server's note of a change of the group's members. */
static void print_tips(const User *u, const V2TIMGroupTipsElem *tips) {
  const V2TIMGroupMemberFullInfoList *members = v2tim_group_tips_get_member_list(tips);
  size_t i, n = v2tim_group_member_info_list_size(members);
  printf("  [%s] group tips (type %u): %s ->", u->name, v2tim_group_tips_get_type(tips),
         v2tim_group_member_info_get_nick_name(v2tim_group_tips_get_op_member(tips)));
  for (i = 0; i < n; i++)
    printf(" %s", v2tim_group_member_info_get_user_id(v2tim_group_member_info_list_get(members, i)));
  printf(" (%u members)\n", v2tim_group_tips_get_member_count(tips));
  fflush(stdout);
}

static void on_new_message(void *ud, const V2TIMMessage *msg) {
  User *u = (User *)ud;
  const char *group = v2tim_message_get_group_id(msg);
  const V2TIMGroupTipsElem *tips = v2tim_message_get_group_tips_elem(msg);
  if (tips) { /* not counted: the demo waits for what people say */
    print_tips(u, tips);
    return;
  }
  /* The sender's nick name comes with every message. */
  if (group[0] != '\0')
    printf("  [%s] received in group %s from %s: %s\n", u->name, group,
           v2tim_message_get_nick_name(msg), v2tim_message_get_text(msg));
  else
    printf("  [%s] received from %s: %s\n", u->name, v2tim_message_get_nick_name(msg),
           v2tim_message_get_text(msg));
  fflush(stdout);
  if (!u->inbox_first) u->inbox_first = v2tim_message_retain(msg); /* outlives the callback */
  waiter_signal(&u->inbox, 0, "");
}

static void on_revoked(void *ud, const char *msg_id, const V2TIMUserFullInfo *who,
                       const char *reason) {
  User *u = (User *)ud;
  (void)msg_id;
  /* The revoker's nick name, as the seeds ask an app to show it. */
  printf("  [%s] %s recalled a message%s%s%s\n", u->name, v2tim_user_full_info_get_nick_name(who),
         reason[0] ? " (reason: " : "", reason, reason[0] ? ")" : "");
  fflush(stdout);
  waiter_signal(&u->recalls, 0, "");
}

static void login(User *u, uint32_t app, const char *key, const char *server_url) {
  V2TIMSDKConfig cfg;
  V2TIMAdvancedMsgListener listener;
  char *sig;
  memset(&cfg, 0, sizeof cfg);
  cfg.server_url = server_url;          /* NULL: embedded in-process server */
  cfg.secret_key = server_url ? NULL : key; /* embedded: check UserSigs against the key */
  u->manager = v2tim_manager_create();
  waiter_init(&u->inbox);
  waiter_init(&u->recalls);
  if (v2tim_init_sdk(u->manager, app, &cfg) != V2TIM_SUCC) {
    fprintf(stderr, "init: %s\n", v2tim_last_error_desc());
    exit(1);
  }
  memset(&listener, 0, sizeof listener);
  listener.user_data = u;
  listener.on_recv_new_message = on_new_message;
  listener.on_recv_message_revoked = on_revoked;
  v2tim_add_advanced_msg_listener(u->manager, &listener); /* copied by the SDK */

  /* A real app gets its UserSig from its own server; demos may compute it. */
  sig = v2tim_gen_user_sig(app, key, u->name, 3600);
  CALL("login", v2tim_login(u->manager, u->name, sig, cb));
  v2tim_string_free(sig);
  CALL("set nick name", v2tim_set_self_info(u->manager, u->nick, NULL, cb));
  printf("%s logged in as \"%s\"\n", u->name, u->nick);
}

/* Sends text to a user (group NULL) or a group (to NULL) and waits for the server's ack;
   returns the message (release it with v2tim_message_release). */
static V2TIMMessage *say_keep(User *from, const char *to, const char *group, const char *text) {
  V2TIMMessage *msg = v2tim_create_text_message(from->manager, text);
  V2TIMSendCallback cb;
  Waiter w;
  waiter_init(&w);
  memset(&cb, 0, sizeof cb);
  cb.user_data = &w;
  cb.on_success = on_sent;
  cb.on_error = on_err;
  printf("%s -> %s: %s\n", from->name, to ? to : group, text);
  v2tim_send_message(from->manager, msg, to, group, V2TIM_PRIORITY_NORMAL, cb);
  waiter_wait(&w, 1, "send");
  return msg;
}

static void say(User *from, const char *to, const char *group, const char *text) {
  v2tim_message_release(say_keep(from, to, group, text));
}

/* Recalls and waits; returns the V2TIM code (0 on success). */
static int32_t recall(User *u, const V2TIMMessage *msg, const char *reason) {
  Waiter w;
  V2TIMCallback cb;
  waiter_init(&w);
  cb.user_data = &w;
  cb.on_success = on_ok;
  cb.on_error = on_err;
  v2tim_revoke_message_with_reason(u->manager, msg, reason, cb);
  waiter_wait(&w, 1, NULL);
  if (w.code != 0) printf("  refused: %d %s\n", w.code, w.text);
  return w.code;
}

/* ---- history ------------------------------------------------------------------------- */

static void print_page(void *ud, const V2TIMMessageList *list) {
  size_t i, n = v2tim_message_list_size(list);
  /* Newest first; print oldest first, like a chat window. */
  for (i = n; i > 0; i--) {
    const V2TIMMessage *m = v2tim_message_list_get(list, i - 1);
    if (v2tim_message_is_revoked(m)) /* status V2TIM_MSG_STATUS_LOCAL_REVOKED, no content */
      printf("    #%llu %s: (recalled by %s%s%s)\n", (unsigned long long)v2tim_message_get_seq(m),
             v2tim_message_get_nick_name(m), v2tim_message_get_revoker_nick_name(m),
             v2tim_message_get_revoke_reason(m)[0] ? ": " : "", v2tim_message_get_revoke_reason(m));
    else
      printf("    #%llu %s: %s\n", (unsigned long long)v2tim_message_get_seq(m),
             v2tim_message_get_nick_name(m), v2tim_message_get_text(m));
  }
  waiter_signal((Waiter *)ud, 0, "");
}

static void print_history(User *u, const char *peer, const char *group) {
  V2TIMMessageListCallback cb;
  Waiter w;
  waiter_init(&w);
  cb.user_data = &w;
  cb.on_success = print_page;
  cb.on_error = on_err;
  printf("  history of %s with %s:\n", u->name, peer ? peer : group);
  if (peer)
    v2tim_get_c2c_history_message_list(u->manager, peer, 20, NULL, cb);
  else
    v2tim_get_group_history_message_list(u->manager, group, 20, NULL, cb);
  waiter_wait(&w, 1, "history");
}

/* ---- the conversation list ----------------------------------------------------------- */

static void print_conversations_page(void *ud, const V2TIMConversationList *list, uint64_t next_seq,
                                     bool is_finished) {
  size_t i, n = v2tim_conversation_list_size(list);
  (void)next_seq;
  (void)is_finished;
  for (i = 0; i < n; i++) {
    const V2TIMConversation *c = v2tim_conversation_list_get(list, i);
    const V2TIMMessage *last = v2tim_conversation_get_last_message(c);
    printf("    %-28s unread %llu  last: ", v2tim_conversation_get_show_name(c),
           (unsigned long long)v2tim_conversation_get_unread_count(c));
    if (!last)
      printf("(none)\n");
    else if (v2tim_message_is_revoked(last)) /* the recalled form: no content, the revoker */
      printf("%s recalled a message\n", v2tim_message_get_revoker_nick_name(last));
    else
      printf("%s: %s\n", v2tim_message_get_nick_name(last), v2tim_message_get_text(last));
  }
  waiter_signal((Waiter *)ud, 0, "");
}

static void print_conversations(User *u) {
  V2TIMConversationResultCallback cb;
  Waiter w;
  waiter_init(&w);
  cb.user_data = &w;
  cb.on_success = print_conversations_page;
  cb.on_error = on_err;
  printf("  %s's conversations, newest first:\n", u->name);
  v2tim_get_conversation_list(u->manager, 0, 100, cb);
  waiter_wait(&w, 1, "conversation list");
}

/* ---- the scenario -------------------------------------------------------------------- */

static int run_demo(uint32_t app, const char *key, const char *server_url) {
  User alice, bob, carol;
  const char *members[] = {"bob", "carol"};
  const char *late = getenv("V2TIM_DEMO_LATE_RECALL_AFTER_S");
  V2TIMMessage *oops, *spam;
  char group[256]; /* the id the server chose (as long as Waiter.text): reruns never clash */
  memset(&alice, 0, sizeof alice);
  memset(&bob, 0, sizeof bob);
  memset(&carol, 0, sizeof carol);
  alice.name = "alice";
  alice.nick = "Alice";
  bob.name = "bob";
  bob.nick = "Bob";
  carol.name = "carol";
  carol.nick = "Carol";

  printf("== server: %s\n", server_url ? server_url : "embedded (in-process)");
  login(&alice, app, key, server_url);
  login(&bob, app, key, server_url);
  login(&carol, app, key, server_url);

  printf("\n== one-to-one\n");
  say(&alice, "bob", NULL, "Hi Bob!");
  waiter_wait(&bob.inbox, 1, "bob's first message");
  say(&bob, "alice", NULL, "Hi Alice, how are you?");
  waiter_wait(&alice.inbox, 1, "alice's first message");

  printf("\n== group\n");
  {
    Waiter w;
    V2TIMStringCallback cb;
    waiter_init(&w);
    cb.user_data = &w;
    cb.on_success = on_value;
    cb.on_error = on_err;
    v2tim_create_group(alice.manager, "Work", NULL, "Demo group", cb);
    waiter_wait(&w, 1, "create group");
    snprintf(group, sizeof group, "%s", w.text);
    printf("alice created group %s\n", group);
  }
  {
    Waiter w;
    V2TIMGroupMemberOperationResultCallback cb;
    waiter_init(&w);
    cb.user_data = &w;
    cb.on_success = on_results;
    cb.on_error = on_err;
    v2tim_invite_user_to_group(alice.manager, group, members, 2, cb);
    waiter_wait(&w, 1, "invite");
  }
  printf("alice invited bob and carol\n");
  say(&alice, NULL, group, "Welcome to the group, Bob and Carol.");
  waiter_wait(&bob.inbox, 2, "bob's group message");
  waiter_wait(&carol.inbox, 1, "carol's group message");
  say(&bob, NULL, group, "Thanks!");
  waiter_wait(&alice.inbox, 2, "alice's group message");
  waiter_wait(&carol.inbox, 2, "carol's second group message");

  printf("\n== recall\n");
  oops = say_keep(&alice, "bob", NULL, "My password is hunter2");
  waiter_wait(&bob.inbox, 3, "bob's message to be recalled");
  print_conversations(&bob);
  printf("alice recalls it\n");
  recall(&alice, oops, "");
  waiter_wait(&bob.recalls, 1, "bob hears of the recall");
  print_conversations(&bob);
  printf("  alice's message now: status %d, text \"%s\"\n", v2tim_message_get_status(oops),
         v2tim_message_get_text(oops));
  v2tim_message_release(oops);

  CALL("set role", v2tim_set_group_member_role(alice.manager, group, "bob", V2TIM_GROUP_MEMBER_ROLE_ADMIN, cb));
  printf("alice (owner) made bob an admin\n");
  spam = say_keep(&carol, NULL, group, "Cheap watches at example.invalid!");
  waiter_wait(&bob.inbox, 4, "carol's spam");
  printf("bob (admin) recalls carol's message\n");
  /* bob recalls by id: the group and the message id are all an app needs to keep. */
  CALL("admin recall",
       v2tim_revoke_message_by_id(bob.manager, NULL, group, v2tim_message_get_msg_id(spam), "spam", cb));
  waiter_wait(&alice.recalls, 1, "alice hears of the admin recall");
  waiter_wait(&carol.recalls, 1, "carol hears of the admin recall");
  printf("carol (a plain member) tries to recall alice's welcome message\n");
  /* The welcome message is the first message carol received; she still holds it. */
  recall(&carol, carol.inbox_first, "");
  v2tim_message_release(spam);

  if (late) {
    int secs = atoi(late);
    V2TIMMessage *msg = say_keep(&alice, "bob", NULL, "Too late to take this back");
    waiter_wait(&bob.inbox, 5, "bob's late message");
    printf("alice waits %d s, past the server's recall time limit, and tries to recall\n", secs);
    sleep_ms(secs * 1000);
    recall(&alice, msg, "");
    v2tim_message_release(msg);
  }

  printf("\n== histories (recalled messages stay in place, without content)\n");
  print_history(&alice, "bob", NULL);
  print_history(&bob, "alice", NULL);
  print_history(&carol, NULL, group);

  CALL("logout", v2tim_logout(alice.manager, cb));
  CALL("logout", v2tim_logout(bob.manager, cb));
  CALL("logout", v2tim_logout(carol.manager, cb));
  if (carol.inbox_first) v2tim_message_release(carol.inbox_first);
  v2tim_manager_destroy(alice.manager);
  v2tim_manager_destroy(bob.manager);
  v2tim_manager_destroy(carol.manager);
  printf("\ndone\n");
  return 0;
}

#endif
