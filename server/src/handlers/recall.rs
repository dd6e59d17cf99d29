//! Message recall ("revoke"): the rules of SPEC §2, for SDK requests and the admin API. The
//! handlers run on the storage thread inside the command's savepoint: every check comes
//! before the first write, so a refused recall changes nothing, and the marking, the erasing
//! of the content and the events for every participant commit together.

use std::collections::BTreeSet;

use serde_json::json;
use v2tim_proto::codes;
use v2tim_proto::frames::RevokeAck;
use v2tim_proto::limits;
use v2tim_proto::model::{role, ConvRef, Elem, Event, EventBody, MessageInfo, RevokeInfo};

use crate::handlers::profiles::named;
use crate::handlers::{Done, Fanout};
use crate::rules::{self, Refusal};
use crate::store::{self, EntryKind, Tx};

/// Op name stored with idempotency records of recalls.
const OP_REVOKE: &str = "revoke_message";
/// Who recalls through the admin API.
pub(crate) const ADMINISTRATOR: &str = rules::ADMIN_IDENTIFIER;
/// Most sequence numbers one `group_msg_recall` may name.
pub(crate) const MAX_ADMIN_RECALL_SEQS: usize = 100;

fn c2c_not_found(msg_id: &str) -> Refusal {
    Refusal::new(
        codes::ERR_SVR_MSG_NOT_FOUND,
        format!("message {msg_id:?} not found in this conversation"),
    )
}

fn group_not_found_msg(what: &str) -> Refusal {
    Refusal::new(
        codes::ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND,
        format!("message {what} not found in this group"),
    )
}

fn tips_not_recallable() -> Refusal {
    Refusal::new(
        codes::ERR_SVR_GROUP_REVOKE_MSG_DENY,
        "group tips are written by the server and cannot be recalled",
    )
}

fn already_revoked(msg_id: &str) -> Refusal {
    Refusal::new(
        codes::ERR_SVR_MSG_ALREADY_REVOKED,
        format!("message {msg_id:?} was already recalled"),
    )
}

/// Checks the app's time limit (`limit_secs` 0: recall off) against the message's server
/// timestamp, both in milliseconds. Just inside the limit passes.
fn check_time(msg: &MessageInfo, group: bool, limit_secs: u32, now: i64) -> Result<(), Refusal> {
    if limit_secs == 0 {
        let code = if group {
            codes::ERR_SVR_GROUP_REVOKE_MSG_DENY
        } else {
            codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT
        };
        return Err(Refusal::new(
            code,
            "message recall is switched off for this app (recall time limit 0)",
        ));
    }
    let age_ms = now - msg.timestamp_ms;
    if age_ms > i64::from(limit_secs) * 1000 {
        let code = if group {
            codes::ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT
        } else {
            codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT
        };
        return Err(Refusal::new(
            code,
            format!(
                "the message was sent {} s ago; it may be recalled within {limit_secs} s",
                age_ms / 1000
            ),
        ));
    }
    Ok(())
}

fn check_reason(reason: &str) -> Result<(), Refusal> {
    if reason.len() > rules::MAX_REVOKE_REASON_BYTES {
        return Err(Refusal::invalid(format!(
            "reason is {} bytes, the most is {}",
            reason.len(),
            rules::MAX_REVOKE_REASON_BYTES
        )));
    }
    Ok(())
}

/// Blanks the recalled message's text in the replies quoting it (TUIKit's
/// `messageReply.messageAbstract`), so it survives nowhere; sync and history read them
/// from storage, and SDKs blank the copies they hold when the recall reaches them.
async fn blank_quotes<T: Tx>(db: &mut T, app: u32, msg_id: &str) -> Result<(), Refusal> {
    for (reply, cloud) in db.quoting(app, msg_id).await? {
        if let Some(blanked) = v2tim_proto::quote::blank_abstract(&cloud, msg_id) {
            db.set_cloud_custom_data(app, &reply, &blanked).await?;
        }
    }
    Ok(())
}

/// The writes of a recall, all checks done: marks the message, erases its content and
/// appends the recall to the conversation's log, whatever the number of participants.
/// Pushed after commit to everyone whose sequence holds the entry: the two ends of a C2C
/// conversation; a group's current members, and former members who had the message.
/// Returns the recalled form and the push.
async fn apply<T: Tx>(
    db: &mut T,
    app: u32,
    msg: MessageInfo,
    revoker: &str,
    reason: &str,
    now: i64,
    revoke_key: Option<&str>,
) -> Result<(MessageInfo, Fanout), Refusal> {
    let (conv_key, msg_pos) = db.message_place(app, &msg.msg_id).await?.ok_or_else(|| {
        Refusal::new(
            codes::V2TIM_ERR_STORAGE,
            format!("message {:?} has no log entry", msg.msg_id),
        )
    })?;
    db.mark_revoked(app, &msg.msg_id, revoker, reason, now, revoke_key)
        .await?;
    blank_quotes(db, app, &msg.msg_id).await?;
    let pos = db
        .append_log(
            app,
            &conv_key,
            EntryKind::Recall,
            msg.seq,
            Some(msg_pos),
            now,
        )
        .await?;
    let mut who = BTreeSet::new();
    if msg.group_id.is_empty() {
        who.insert(msg.sender.clone());
        who.insert(msg.receiver.clone());
    } else {
        who.extend(
            db.members(app, &msg.group_id)
                .await?
                .into_iter()
                .map(|m| m.user_id),
        );
        who.extend(db.former_members_at(app, &conv_key, msg_pos).await?);
    }
    let recalled = MessageInfo {
        elem: Elem::None,
        cloud_custom_data: String::new(),
        revoked: Some(RevokeInfo {
            revoker: revoker.to_string(),
            reason: reason.to_string(),
            time_ms: now,
            revoker_nick: String::new(),
            revoker_face: String::new(),
        }),
        ..msg
    };
    let recalled = named(db, app, recalled).await?;
    let push = Fanout {
        users: who.into_iter().collect(),
        event: Event {
            seq: pos,
            body: EventBody::MessageRevoked {
                msg: recalled.clone(),
            },
        },
    };
    Ok((recalled, push))
}

/// `revoke_message` from a logged-in user.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn revoke<T: Tx>(
    db: &mut T,
    app: u32,
    caller: &str,
    idem_key: &str,
    msg_id: &str,
    conv: &ConvRef,
    reason: &str,
    now: i64,
) -> Result<Done, Refusal> {
    if !limits::is_valid_id(idem_key, rules::MAX_IDEM_KEY_BYTES) {
        return Err(Refusal::invalid(
            "idem_key must be 1 to 128 printable ASCII characters without spaces",
        ));
    }
    if !limits::is_valid_msg_id(msg_id) {
        return Err(Refusal::invalid(
            "msg_id must be 1 to 64 printable ASCII characters without spaces",
        ));
    }
    check_reason(reason)?;

    // A retry after a lost answer gets the first answer (re-read: the recalled form) and no
    // second event.
    if let Some((op, original)) = db.idem_lookup(app, caller, idem_key).await? {
        if op != OP_REVOKE || original != msg_id {
            return Err(Refusal::invalid(
                "idem_key was already used by another request",
            ));
        }
        let msg = db.get_message(app, msg_id).await?.ok_or_else(|| {
            Refusal::new(
                codes::V2TIM_ERR_STORAGE,
                "the recalled message of this idem_key is missing",
            )
        })?;
        let msg = named(db, app, msg).await?;
        return Ok(Done::answer(&RevokeAck { msg }));
    }

    let limit = db.recall_limit(app).await?;
    let msg = match conv {
        ConvRef::C2c { peer } => {
            if !limits::is_valid_user_id(peer) {
                return Err(Refusal::invalid("peer must be a valid user id"));
            }
            // Only a message of the caller's own conversation with `peer` is found; anything
            // else gets the same answer as an unknown id.
            let msg = db
                .get_message(app, msg_id)
                .await?
                .filter(|m| {
                    m.group_id.is_empty()
                        && store::c2c_key(&m.sender, &m.receiver) == store::c2c_key(caller, peer)
                })
                .ok_or_else(|| c2c_not_found(msg_id))?;
            if msg.sender != caller {
                return Err(Refusal::new(
                    codes::V2TIM_ERR_REVOKE_NOT_SENDER,
                    "only the sender may recall a one-to-one message",
                ));
            }
            if msg.revoked.is_some() {
                return Err(already_revoked(msg_id));
            }
            check_time(&msg, false, limit, now)?;
            msg
        }
        ConvRef::Group { group_id } => {
            rules::check_group_id(group_id)?;
            if !db.group_exists(app, group_id).await? {
                return Err(Refusal::group_not_found(group_id));
            }
            let Some(caller_role) = db.member_role(app, group_id, caller).await? else {
                return Err(Refusal::group_denied(format!(
                    "only members may recall messages of group {group_id:?}"
                )));
            };
            let msg = db
                .get_message(app, msg_id)
                .await?
                .filter(|m| m.group_id == *group_id)
                .ok_or_else(|| group_not_found_msg(&format!("{msg_id:?}")))?;
            if matches!(msg.elem, Elem::GroupTips(_)) {
                return Err(tips_not_recallable());
            }
            if msg.sender != caller {
                // The author's current role; an author who left counts as a plain member.
                let sender_role = db
                    .member_role(app, group_id, &msg.sender)
                    .await?
                    .unwrap_or(role::MEMBER);
                if !rules::may_recall_others(caller_role, sender_role) {
                    return Err(Refusal::group_denied(
                        "the owner may recall anyone's message, an admin only ordinary \
                         members', everyone else only their own",
                    ));
                }
            }
            if msg.revoked.is_some() {
                return Err(already_revoked(msg_id));
            }
            check_time(&msg, true, limit, now)?;
            msg
        }
    };
    let (msg, push) = apply(db, app, msg, caller, reason, now, Some(idem_key)).await?;
    let data = v2tim_proto::AnswerData::of(&RevokeAck { msg });
    Ok(Done::Answer {
        data,
        pushes: vec![push],
    })
}

/// Admin API `admin_msgwithdraw`: recalls the C2C message `msg_id` that `from` sent to
/// `to`. No time limit.
pub(crate) async fn admin_recall_c2c<T: Tx>(
    db: &mut T,
    app: u32,
    from: &str,
    to: &str,
    msg_id: &str,
    reason: &str,
    now: i64,
) -> Result<Done, Refusal> {
    check_reason(reason)?;
    let msg = db
        .get_message(app, msg_id)
        .await?
        .filter(|m| m.group_id.is_empty() && m.sender == from && m.receiver == to)
        .ok_or_else(|| c2c_not_found(msg_id))?;
    if msg.revoked.is_some() {
        return Err(already_revoked(msg_id));
    }
    let (msg, push) = apply(db, app, msg, ADMINISTRATOR, reason, now, None).await?;
    let data = v2tim_proto::AnswerData::of(&RevokeAck { msg });
    Ok(Done::Answer {
        data,
        pushes: vec![push],
    })
}

/// Admin API `group_msg_recall`: recalls messages of a group by conversation seq, each on
/// its own (answer: `RecallRetList` of `{MsgSeq, RetCode}`). No time limit.
pub(crate) async fn admin_recall_group<T: Tx>(
    db: &mut T,
    app: u32,
    group_id: &str,
    seqs: &[u64],
    reason: &str,
    now: i64,
) -> Result<Done, Refusal> {
    check_reason(reason)?;
    rules::check_group_id(group_id)?;
    if !db.group_exists(app, group_id).await? {
        return Err(Refusal::group_not_found(group_id));
    }
    if seqs.is_empty() || seqs.len() > MAX_ADMIN_RECALL_SEQS {
        return Err(Refusal::invalid(format!(
            "MsgSeqList names 1 to {MAX_ADMIN_RECALL_SEQS} messages"
        )));
    }
    let conv_key = store::group_key(group_id);
    let mut results = Vec::with_capacity(seqs.len());
    let mut pushes = Vec::new();
    for &seq in seqs {
        let code = match db.get_message_by_seq(app, &conv_key, seq).await? {
            None => codes::ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND,
            Some(m) if m.revoked.is_some() => codes::ERR_SVR_MSG_ALREADY_REVOKED,
            Some(m) if matches!(m.elem, Elem::GroupTips(_)) => codes::ERR_SVR_GROUP_REVOKE_MSG_DENY,
            Some(m) => {
                let (_, p) = apply(db, app, m, ADMINISTRATOR, reason, now, None).await?;
                pushes.push(p);
                codes::SUCC
            }
        };
        results.push(json!({"MsgSeq": seq, "RetCode": code}));
    }
    Ok(Done::Answer {
        data: v2tim_proto::AnswerData::of(&json!({ "RecallRetList": results })),
        pushes,
    })
}

/// Admin API: the app's recall time limit.
pub(crate) async fn get_limit<T: Tx>(db: &mut T, app: u32) -> Result<Done, Refusal> {
    let secs = db.recall_limit(app).await?;
    Ok(Done::Answer {
        data: v2tim_proto::AnswerData::of(&json!({ "RecallTimeLimitSecs": secs })),
        pushes: Vec::new(),
    })
}

/// Admin API: sets the app's recall time limit (stored; survives restarts).
pub(crate) async fn set_limit<T: Tx>(db: &mut T, app: u32, secs: u32) -> Result<Done, Refusal> {
    if secs > crate::config::MAX_RECALL_TIME_LIMIT_SECS {
        return Err(Refusal::invalid(format!(
            "RecallTimeLimitSecs must be 0 to {} (7 days)",
            crate::config::MAX_RECALL_TIME_LIMIT_SECS
        )));
    }
    db.set_recall_limit(app, secs).await?;
    Ok(Done::Answer {
        data: v2tim_proto::AnswerData::of(&json!({})),
        pushes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg_at(ts: i64) -> MessageInfo {
        MessageInfo {
            msg_id: "m".into(),
            seq: 1,
            sender: "a".into(),
            receiver: "b".into(),
            group_id: String::new(),
            timestamp_ms: ts,
            priority: 0,
            elem: Elem::Text { text: "x".into() },
            revoked: None,
            nick_name: String::new(),
            face_url: String::new(),
            excluded_from_unread: false,
            excluded_from_last: false,
            cloud_custom_data: String::new(),
        }
    }

    #[test]
    fn time_limit_is_counted_in_milliseconds_on_both_sides() {
        let sent = 1_700_000_000_123;
        let m = msg_at(sent);
        // Exactly at the limit: allowed; one millisecond later: refused.
        assert!(check_time(&m, false, 120, sent + 120_000).is_ok());
        assert!(check_time(&m, true, 120, sent + 120_000).is_ok());
        let c2c = check_time(&m, false, 120, sent + 120_001).unwrap_err();
        assert_eq!(c2c.code, codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT);
        let grp = check_time(&m, true, 120, sent + 120_001).unwrap_err();
        assert_eq!(grp.code, codes::ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT);
        // Seconds mistaken for milliseconds would refuse this at once.
        assert!(check_time(&m, false, 1, sent + 999).is_ok());
        // Seven days, the maximum.
        let week = crate::config::MAX_RECALL_TIME_LIMIT_SECS;
        assert!(check_time(&m, false, week, sent + i64::from(week) * 1000).is_ok());
        // 0: off, whatever the age.
        assert_eq!(
            check_time(&m, false, 0, sent).unwrap_err().code,
            codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT
        );
        assert_eq!(
            check_time(&m, true, 0, sent).unwrap_err().code,
            codes::ERR_SVR_GROUP_REVOKE_MSG_DENY
        );
    }
}
