//! The request handlers: the rules (who may do what, limits, idempotency, recall) applied
//! to storage through [`Tx`], written once for every backend. A client request or admin
//! command is a [`Cmd`]; storage runs it as [`Work`] and finishes it after COMMIT, when its
//! answer is queued and its events pushed.

mod conversations;
mod groups;
mod messages;
pub(crate) mod profiles;
pub(crate) mod recall;
mod relay;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::oneshot;
use v2tim_proto::codes;
use v2tim_proto::frames::{Empty, LoginAck};
use v2tim_proto::{Event, Request, ServerFrame};

use crate::clock::now_ms;
use crate::cluster::relay::Relay;
use crate::fanout::push_fanout;
use crate::outbox::{Outbound, Outbox};
use crate::registry::Registry;
use crate::rules::Refusal;
use crate::store::{Tx, Work};

/// Who is asking, and where the answer goes.
pub(crate) struct Ctx {
    pub app: u32,
    pub user: String,
    pub conn_id: u64,
    pub outbox: Outbox,
}

pub(crate) enum Op {
    /// The storage half of a login whose credentials were already checked: create the
    /// account, read the head, queue the `LoginAck`, then register the connection for pushes.
    /// Doing the last two on the storage thread means every event after the reported head is
    /// pushed, and none before the `LoginAck`. `done` learns whether it worked.
    Login {
        device_id: Option<String>,
        sig_expire_at: i64,
        done: oneshot::Sender<bool>,
    },
    /// Answers after every earlier command of the connection, then closes it.
    Logout,
    Request(Request),
    /// A request of the admin API, on behalf of `administrator`.
    Admin(AdminOp),
    /// The cluster relay's read of the log after a position (`None`: only the head), for
    /// what other nodes committed (`crate::cluster`).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    Relay {
        after: Option<u64>,
    },
}

/// What the admin API asks of storage.
pub(crate) enum AdminOp {
    /// `admin_msgwithdraw`: a C2C message sent `from` → `to`.
    RecallC2c {
        from: String,
        to: String,
        msg_id: String,
        reason: String,
    },
    /// `group_msg_recall`: messages of a group by conversation seq.
    RecallGroup {
        group_id: String,
        seqs: Vec<u64>,
        reason: String,
    },
    GetRecallLimit,
    SetRecallLimit(u32),
    /// `portrait_set`: changes `user`'s profile.
    PortraitSet {
        user: String,
        changes: v2tim_proto::model::ProfileChanges,
    },
    /// `portrait_get`: profiles of existing accounts among `users`.
    PortraitGet {
        users: Vec<String>,
    },
    /// `destroy_group`: dismisses any group, Work groups included.
    DestroyGroup {
        group_id: String,
    },
}

pub(crate) struct Cmd {
    pub ctx: Ctx,
    pub req_id: u64,
    pub op: Op,
    /// A slot of the connection's in-flight budget, freed once the answer is queued (see
    /// `session::MAX_IN_FLIGHT`); `None` for the admin API.
    pub slot: Option<tokio::sync::OwnedSemaphorePermit>,
    /// The connection's unfinished writes (`None`: login and admin commands, which always
    /// run on the writer).
    pub writes: Option<Writes>,
    /// This command's place among them, if it writes; released once it is answered.
    pub writing: Option<Writing>,
}

/// Counts a connection's writes not yet finished. A read of the connection goes to a
/// read-only connection only while there are none, so a client that pipelines a write
/// and a read still reads its own write.
#[derive(Clone, Default)]
pub(crate) struct Writes(Arc<AtomicUsize>);

/// A counted write of a connection; finishing (dropping) it uncounts it.
pub(crate) struct Writing(Arc<AtomicUsize>);

impl Writes {
    /// Counts a write until the returned guard is dropped.
    pub(crate) fn start(&self) -> Writing {
        self.0.fetch_add(1, Ordering::AcqRel);
        Writing(self.0.clone())
    }

    fn none(&self) -> bool {
        self.0.load(Ordering::Acquire) == 0
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Op {
    /// Requests that change nothing.
    pub(crate) fn is_read(&self) -> bool {
        matches!(
            self,
            Op::Request(
                Request::Sync { .. }
                    | Request::SendMessage {
                        online_only: true,
                        ..
                    }
                    | Request::History { .. }
                    | Request::GetGroupMembers { .. }
                    | Request::GetGroupsInfo { .. }
                    | Request::GetJoinedGroups
                    | Request::GetConversationList { .. }
                    | Request::GetConversation { .. }
                    | Request::GetUsersInfo { .. }
            )
        )
    }
}

/// One entry of the log to push to each of `users` (those whose sequence holds it).
pub(crate) struct Fanout {
    pub users: Vec<String>,
    pub event: Event,
}

/// What a successful command leaves to do after COMMIT.
pub(crate) enum Done {
    /// Queue `data` as the answer, after pushing each event to every online connection of
    /// its users (the caller's own included: it moves that connection's `prev` along).
    Answer {
        data: v2tim_proto::AnswerData,
        pushes: Vec<Fanout>,
    },
    /// Queue `data` as the answer, after `notice` to the connections of `users` (all of
    /// them on every node, but the caller's own connection).
    Told {
        data: v2tim_proto::AnswerData,
        users: Vec<String>,
        notice: String,
    },
    LoggedIn {
        head_seq: u64,
    },
    LoggedOut,
    /// The relay's read: the entries to push, and the position up to which it is complete.
    Relayed {
        pushes: Vec<Fanout>,
        upto: u64,
    },
}

/// Where finished commands deliver: the registry of online connections, through the
/// cluster relay when nodes share a database (it orders their pushes).
pub(crate) struct Delivery {
    pub registry: Arc<Registry>,
    pub relay: Option<Arc<Relay>>,
}

impl Done {
    pub(crate) fn answer<T: serde::Serialize>(data: &T) -> Done {
        Done::Answer {
            data: v2tim_proto::AnswerData::of(data),
            pushes: Vec::new(),
        }
    }
}

/// Commands that erase message content when they succeed.
fn erases_content(op: &Op) -> bool {
    matches!(
        op,
        Op::Request(Request::RevokeMessage { .. })
            | Op::Admin(AdminOp::RecallC2c { .. } | AdminOp::RecallGroup { .. })
    )
}

impl Work for Cmd {
    type Output = Done;
    type Error = Refusal;
    type Env = Arc<Delivery>;

    fn run<T: Tx>(
        &self,
        tx: &mut T,
        now_ms: i64,
    ) -> impl std::future::Future<Output = Result<Done, Refusal>> + Send {
        execute(tx, self, now_ms)
    }

    fn erases_content(&self) -> bool {
        erases_content(&self.op)
    }

    fn read_only(&self) -> bool {
        matches!(self.op, Op::Relay { .. })
            || (self.op.is_read() && self.writes.as_ref().is_some_and(Writes::none))
    }

    fn finish(
        self,
        delivery: &Arc<Delivery>,
        result: Result<Done, Refusal>,
        committed: std::time::Instant,
    ) {
        deliver(self, result, delivery, committed)
    }
}

async fn execute<T: Tx>(db: &mut T, cmd: &Cmd, now: i64) -> Result<Done, Refusal> {
    let (app, user) = (cmd.ctx.app, cmd.ctx.user.as_str());
    match &cmd.op {
        Op::Login { .. } => {
            db.ensure_account(app, user, now).await?;
            Ok(Done::LoggedIn {
                head_seq: db.stream_head(app).await?,
            })
        }
        Op::Logout => Ok(Done::LoggedOut),
        Op::Relay { after } => relay::committed_after(db, app, *after).await,
        Op::Admin(admin) => match admin {
            AdminOp::RecallC2c {
                from,
                to,
                msg_id,
                reason,
            } => recall::admin_recall_c2c(db, app, from, to, msg_id, reason, now).await,
            AdminOp::RecallGroup {
                group_id,
                seqs,
                reason,
            } => recall::admin_recall_group(db, app, group_id, seqs, reason, now).await,
            AdminOp::GetRecallLimit => recall::get_limit(db, app).await,
            AdminOp::SetRecallLimit(secs) => recall::set_limit(db, app, *secs).await,
            AdminOp::PortraitSet { user, changes } => {
                profiles::set_self(db, app, user, changes, now).await
            }
            AdminOp::PortraitGet { users } => profiles::get_users(db, app, users).await,
            AdminOp::DestroyGroup { group_id } => {
                groups::dismiss(db, app, user, group_id, true, now).await
            }
        },
        Op::Request(req) => match req {
            Request::SendMessage {
                idem_key,
                msg_id,
                receiver,
                group_id,
                priority,
                elem,
                online_only,
                cloud_custom_data,
                excluded_from_unread,
                excluded_from_last,
                offline_push,
            } => {
                let send = messages::Send {
                    idem_key,
                    msg_id,
                    receiver,
                    group_id,
                    priority: *priority,
                    elem,
                    cloud_custom_data,
                    excluded_from_unread: *excluded_from_unread,
                    excluded_from_last: *excluded_from_last,
                    offline_push: offline_push.as_deref(),
                };
                if *online_only {
                    messages::send_online(db, app, user, &send, now).await
                } else {
                    messages::send(db, app, user, &send, now).await
                }
            }
            Request::Sync { after_seq, limit } => {
                messages::sync(db, app, user, *after_seq, *limit).await
            }
            Request::History {
                conv,
                before_seq,
                count,
                newer,
                after_seq,
                time_from_ms,
                time_to_ms,
                elem_types,
            } => {
                let range = messages::HistoryRange {
                    newer: *newer,
                    before_seq: *before_seq,
                    after_seq: *after_seq,
                    time_from_ms: *time_from_ms,
                    time_to_ms: *time_to_ms,
                    elem_types,
                };
                messages::history(db, app, user, conv, range, *count).await
            }
            Request::CreateGroup {
                group_type,
                group_id,
                name,
                profile,
                member_ids,
            } => {
                groups::create(
                    db, app, user, group_type, group_id, name, profile, member_ids, now,
                )
                .await
            }
            Request::JoinGroup { group_id, .. } => groups::join(db, app, user, group_id, now).await,
            Request::InviteToGroup { group_id, user_ids } => {
                groups::invite(db, app, user, group_id, user_ids, now).await
            }
            Request::QuitGroup { group_id } => groups::quit(db, app, user, group_id, now).await,
            Request::SetMemberRole {
                group_id,
                user_id,
                role,
            } => groups::set_role(db, app, user, group_id, user_id, *role, now).await,
            Request::GetGroupMembers {
                group_id,
                filter,
                next_seq,
                count,
            } => groups::members(db, app, user, group_id, *filter, *next_seq, *count).await,
            Request::KickFromGroup {
                group_id, user_ids, ..
            } => groups::kick(db, app, user, group_id, user_ids, now).await,
            Request::DismissGroup { group_id } => {
                groups::dismiss(db, app, user, group_id, false, now).await
            }
            Request::SetGroupInfo { group_id, changes } => {
                groups::set_info(db, app, user, group_id, changes, now).await
            }
            Request::GetGroupsInfo { group_ids } => groups::infos(db, app, user, group_ids).await,
            Request::GetJoinedGroups => groups::joined(db, app, user).await,
            Request::RevokeMessage {
                idem_key,
                msg_id,
                conv,
                reason,
            } => recall::revoke(db, app, user, idem_key, msg_id, conv, reason, now).await,
            Request::GetConversationList {
                before_order,
                count,
            } => conversations::list(db, app, user, *before_order, *count).await,
            Request::GetConversation { conv } => conversations::get(db, app, user, conv).await,
            Request::SetSelfInfo { changes } => {
                profiles::set_self(db, app, user, changes, now).await
            }
            Request::GetUsersInfo { user_ids } => profiles::get_users(db, app, user_ids).await,
            Request::MarkConversationRead {
                conv,
                upto_seq,
                upto_time_ms,
            } => conversations::mark_read(db, app, user, conv, *upto_seq, *upto_time_ms).await,
            Request::Login { .. } | Request::Logout | Request::Ping => Err(Refusal::new(
                codes::V2TIM_ERR_BAD_STATE,
                format!("{} is handled by the session, not storage", req.op()),
            )),
        },
    }
}

fn deliver(
    cmd: Cmd,
    result: Result<Done, Refusal>,
    delivery: &Delivery,
    committed: std::time::Instant,
) {
    let registry = &delivery.registry;
    // The connection's in-flight slot is freed when the answer is queued.
    let Cmd {
        ctx,
        req_id,
        op,
        slot,
        writes: _,
        writing,
    } = cmd;
    // A closed outbox means the connection is gone; the work is durable regardless.
    let send = |frame: ServerFrame| {
        let _ = ctx.outbox.send(Outbound::Text(frame.encode()));
    };
    match result {
        Ok(Done::Answer { data, pushes }) => {
            let answer = ServerFrame::Res {
                id: req_id,
                code: codes::SUCC,
                desc: String::new(),
                data,
            };
            match &delivery.relay {
                Some(relay) if !pushes.is_empty() => {
                    let outbox = ctx.outbox.clone();
                    relay.local(
                        ctx.app,
                        pushes,
                        committed,
                        Box::new(move || {
                            let _ = outbox.send(Outbound::Text(answer.encode()));
                            drop((slot, writing));
                        }),
                    );
                }
                _ => {
                    for fanout in pushes {
                        push_fanout(registry, ctx.app, fanout, committed);
                    }
                    send(answer);
                }
            }
        }
        Ok(Done::Told {
            data,
            users,
            notice,
        }) => {
            for user in &users {
                registry.tell(ctx.app, user, ctx.conn_id, &notice);
                if let Some(relay) = &delivery.relay {
                    relay.tell_others(ctx.app, user, &notice);
                }
            }
            send(ServerFrame::Res {
                id: req_id,
                code: codes::SUCC,
                desc: String::new(),
                data,
            });
        }
        Ok(Done::Relayed { pushes, upto }) => {
            if let Some(relay) = &delivery.relay {
                relay.relayed(ctx.app, pushes, upto, committed);
            }
        }
        Ok(Done::LoggedIn { head_seq }) => {
            let Op::Login {
                device_id,
                sig_expire_at,
                done,
            } = op
            else {
                return;
            };
            send(ServerFrame::ok(
                req_id,
                &LoginAck {
                    server_time_ms: now_ms(),
                    head_seq,
                    sig_expire_at,
                },
            ));
            registry.register(
                ctx.app,
                &ctx.user,
                device_id,
                ctx.conn_id,
                ctx.outbox.clone(),
                head_seq,
            );
            let _ = done.send(true);
        }
        Ok(Done::LoggedOut) => {
            send(ServerFrame::ok(req_id, &Empty {}));
            let _ = ctx.outbox.send(Outbound::close());
        }
        Err(r) => {
            if let (Op::Relay { .. }, Some(relay)) = (&op, &delivery.relay) {
                tracing::warn!("cluster: reading the log failed: {}", r.desc);
                relay.read_failed(ctx.app);
            }
            send(ServerFrame::err(req_id, r.code, r.desc));
            if let Op::Login { done, .. } = op {
                let _ = done.send(false);
            }
        }
    }
}
