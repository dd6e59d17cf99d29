//! The storage thread: group commit, savepoint per command, answers after COMMIT.

use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use v2tim_proto::codes;
use v2tim_proto::frames::{Empty, LoginAck};
use v2tim_proto::{Event, Push, Request, ServerFrame};

use super::{queries, AdminOp, Cmd, Msg, Op};
use crate::clock::now_ms;
use crate::outbox::Outbound;
use crate::registry::Registry;
use crate::rules::Refusal;
use crate::{groups, messages, recall};

/// Most commands per transaction, so one huge burst still answers its first requests soon.
const MAX_BATCH: usize = 512;

/// How long erased content may stay in the WAL file after its recall committed. The
/// checkpoint that removes it blocks this thread (it copies pages and syncs the database
/// file), so doing it after every recall made the next request wait for it: 16 ms median
/// send latency instead of 0.8 ms in `v2tim-bench pairs --pairs 1` (docs/PERFORMANCE.md).
/// Recalls within this window share one checkpoint.
pub(crate) const ERASE_CHECKPOINT_DELAY: Duration = Duration::from_millis(250);

/// What a successful command leaves to do after COMMIT.
pub(crate) enum Done {
    /// Queue `data` as the answer, after pushing each event to the user's other connections.
    Answer {
        data: serde_json::Value,
        pushes: Vec<(String, Event)>,
    },
    LoggedIn {
        head_seq: u64,
    },
    LoggedOut,
}

impl Done {
    pub(crate) fn answer<T: serde::Serialize>(data: &T) -> Done {
        Done::Answer {
            data: serde_json::to_value(data).unwrap_or(serde_json::Value::Null),
            pushes: Vec::new(),
        }
    }
}

pub(super) fn run(mut conn: Connection, rx: mpsc::Receiver<Msg>, registry: Arc<Registry>) {
    // When recalled content still sits in the WAL: the time its checkpoint is due.
    let mut erase_due: Option<Instant> = None;
    loop {
        let first = match erase_due {
            None => rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
            Some(due) => rx.recv_timeout(due.saturating_duration_since(Instant::now())),
        };
        let mut batch = match first {
            Ok(Msg::Cmd(c)) => vec![*c],
            Err(mpsc::RecvTimeoutError::Timeout) => {
                erase_checkpoint(&conn);
                erase_due = None;
                continue;
            }
            Ok(Msg::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let mut stop = false;
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(Msg::Cmd(c)) => batch.push(*c),
                Ok(Msg::Stop) => {
                    stop = true;
                    break;
                }
                Err(_) => break,
            }
        }
        if process(&mut conn, batch, &registry) && erase_due.is_none() {
            erase_due = Some(Instant::now() + ERASE_CHECKPOINT_DELAY);
        }
        // Under steady load the queue never runs dry: check the deadline after each batch too.
        if erase_due.is_some_and(|due| Instant::now() >= due) {
            erase_checkpoint(&conn);
            erase_due = None;
        }
        if stop {
            break;
        }
    }
    // Checkpoint so the main file holds everything (the WAL would be replayed anyway), and
    // no erased content is left in the WAL.
    if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)") {
        tracing::warn!("storage: final checkpoint failed: {e}");
    }
    tracing::debug!("storage thread stopped");
}

/// Copies the pages written since recalls into the database file (where `secure_delete`
/// zeroed the old bytes) and empties the WAL, which still holds the page images from before
/// the recall: erased content is then gone from the files too.
fn erase_checkpoint(conn: &Connection) {
    if let Err(e) = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)") {
        tracing::warn!("storage: checkpoint after recall failed: {e}");
    }
}

/// Runs and commits one batch, then answers; true if it erased message content.
fn process(conn: &mut Connection, batch: Vec<Cmd>, registry: &Registry) -> bool {
    let mut results = Vec::with_capacity(batch.len());
    let committed = match conn.transaction() {
        Ok(mut tx) => {
            for cmd in &batch {
                results.push(run_one(&mut tx, cmd));
            }
            tx.commit()
        }
        Err(e) => Err(e),
    };
    if let Err(e) = committed {
        // Nothing of this batch is durable: every success becomes a failure, and answers
        // computed from uncommitted state (reads) are withdrawn too.
        tracing::error!("storage: commit failed: {e}");
        let refusal = Refusal::from(e);
        results = batch.iter().map(|_| Err(refusal.clone())).collect();
    }
    let erased = batch
        .iter()
        .zip(&results)
        .any(|(cmd, r)| r.is_ok() && erases_content(&cmd.op));
    for (cmd, result) in batch.into_iter().zip(results) {
        deliver(cmd, result, registry);
    }
    erased
}

/// Commands that erase message content when they succeed.
fn erases_content(op: &Op) -> bool {
    matches!(
        op,
        Op::Request(Request::RevokeMessage { .. })
            | Op::Admin(AdminOp::RecallC2c { .. } | AdminOp::RecallGroup { .. })
    )
}

fn run_one(tx: &mut rusqlite::Transaction<'_>, cmd: &Cmd) -> Result<Done, Refusal> {
    let sp = tx.savepoint()?;
    let result = execute(&sp, cmd, now_ms());
    if result.is_ok() {
        sp.commit()?;
    }
    // Dropping an uncommitted savepoint rolls it back: a refused command leaves no trace.
    result
}

fn execute(db: &Connection, cmd: &Cmd, now: i64) -> Result<Done, Refusal> {
    let (app, user) = (cmd.ctx.app, cmd.ctx.user.as_str());
    match &cmd.op {
        Op::Login { .. } => {
            queries::ensure_account(db, app, user, now)?;
            Ok(Done::LoggedIn {
                head_seq: queries::head_seq(db, app, user)?,
            })
        }
        Op::Logout => Ok(Done::LoggedOut),
        Op::Admin(admin) => match admin {
            AdminOp::RecallC2c {
                from,
                to,
                msg_id,
                reason,
            } => recall::admin_recall_c2c(db, app, from, to, msg_id, reason, now),
            AdminOp::RecallGroup {
                group_id,
                seqs,
                reason,
            } => recall::admin_recall_group(db, app, group_id, seqs, reason, now),
            AdminOp::GetRecallLimit => recall::get_limit(db, app),
            AdminOp::SetRecallLimit(secs) => recall::set_limit(db, app, *secs),
        },
        Op::Request(req) => match req {
            Request::SendMessage {
                idem_key,
                msg_id,
                receiver,
                group_id,
                priority,
                elem,
            } => messages::send(
                db, app, user, idem_key, msg_id, receiver, group_id, *priority, elem, now,
            ),
            Request::Sync { after_seq, limit } => messages::sync(db, app, user, *after_seq, *limit),
            Request::History {
                conv,
                before_seq,
                count,
            } => messages::history(db, app, user, conv, *before_seq, *count),
            Request::CreateGroup {
                group_type,
                group_id,
                name,
            } => groups::create(db, app, user, group_type, group_id, name, now),
            Request::JoinGroup { group_id, .. } => groups::join(db, app, user, group_id, now),
            Request::InviteToGroup { group_id, user_ids } => {
                groups::invite(db, app, user, group_id, user_ids, now)
            }
            Request::QuitGroup { group_id } => groups::quit(db, app, user, group_id),
            Request::SetMemberRole {
                group_id,
                user_id,
                role,
            } => groups::set_role(db, app, user, group_id, user_id, *role),
            Request::GetGroupMembers { group_id } => groups::members(db, app, user, group_id),
            Request::RevokeMessage {
                idem_key,
                msg_id,
                conv,
                reason,
            } => recall::revoke(db, app, user, idem_key, msg_id, conv, reason, now),
            Request::Login { .. } | Request::Logout | Request::Ping => Err(Refusal::new(
                codes::V2TIM_ERR_BAD_STATE,
                format!("{} is handled by the session, not storage", req.op()),
            )),
        },
    }
}

fn deliver(cmd: Cmd, result: Result<Done, Refusal>, registry: &Registry) {
    // The connection's in-flight slot is freed when this returns, after the answer is queued.
    let Cmd {
        ctx,
        req_id,
        op,
        slot: _slot,
    } = cmd;
    // A closed outbox means the connection is gone; the work is durable regardless.
    let send = |frame: ServerFrame| {
        let _ = ctx.outbox.send(Outbound::Text(frame.encode()));
    };
    match result {
        Ok(Done::Answer { data, pushes }) => {
            for (user, event) in pushes {
                let frame = ServerFrame::Push {
                    push: Push::Event { event },
                }
                .encode();
                registry.push(ctx.app, &user, ctx.conn_id, &frame);
            }
            send(ServerFrame::Res {
                id: req_id,
                code: codes::SUCC,
                desc: String::new(),
                data,
            });
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
            );
            let _ = done.send(true);
        }
        Ok(Done::LoggedOut) => {
            send(ServerFrame::ok(req_id, &Empty {}));
            let _ = ctx.outbox.send(Outbound::close());
        }
        Err(r) => {
            send(ServerFrame::err(req_id, r.code, r.desc));
            if let Op::Login { done, .. } = op {
                let _ = done.send(false);
            }
        }
    }
}
