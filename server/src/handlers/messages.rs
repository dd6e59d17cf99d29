//! Sending, syncing and reading history: the handlers run on the storage thread inside the
//! command's savepoint.

use serde::Serialize;
use v2tim_proto::codes;
use v2tim_proto::frames::{HistoryPage, Push, SendAck, ServerFrame, SyncPage};
use v2tim_proto::limits::{self, MAX_HISTORY_PAGE, MAX_SYNC_PAGE};
use v2tim_proto::model::{ConvRef, Elem, Event, EventBody, MessageInfo};

use crate::handlers::profiles::{named, Names};
use crate::handlers::{Done, Fanout};
use crate::rules::{self, Refusal, Target};
use crate::store::{self, Entry, EntryKind, HistoryQuery, Tx};

/// Pages stop growing past this many bytes of JSON so the answer frame stays well under
/// [`limits::MAX_FRAME_BYTES`], which the client enforces too.
pub(crate) const PAGE_BYTE_BUDGET: usize = limits::MAX_FRAME_BYTES * 3 / 4;

/// A closure for the query's `keep`: true while the items seen so far fit the budget.
fn budget<T: Serialize>() -> impl FnMut(&T) -> bool {
    let mut used = 0usize;
    move |item: &T| {
        used += serde_json::to_vec(item).map_or(0, |v| v.len() + 1);
        used <= PAGE_BYTE_BUDGET
    }
}

/// A `send_message` request's message.
pub(crate) struct Send<'a> {
    pub idem_key: &'a str,
    pub msg_id: &'a str,
    pub receiver: &'a str,
    pub group_id: &'a str,
    pub priority: i32,
    pub elem: &'a Elem,
    pub cloud_custom_data: &'a str,
    pub excluded_from_unread: bool,
    pub excluded_from_last: bool,
    pub offline_push: Option<&'a v2tim_proto::OfflinePushInfo>,
}

impl<'a> Send<'a> {
    fn check(&self) -> Result<Target<'a>, Refusal> {
        let target = rules::check_send(
            self.idem_key,
            self.msg_id,
            self.receiver,
            self.group_id,
            self.priority,
            self.elem,
        )?;
        rules::check_cloud_custom_data(self.cloud_custom_data)?;
        if let Some(push) = self.offline_push {
            rules::check_offline_push(push)?;
        }
        Ok(target)
    }

    fn info(&self, sender: &str, seq: u64, now: i64) -> MessageInfo {
        MessageInfo {
            msg_id: self.msg_id.to_string(),
            seq,
            sender: sender.to_string(),
            receiver: self.receiver.to_string(),
            group_id: self.group_id.to_string(),
            timestamp_ms: now,
            priority: self.priority,
            elem: self.elem.clone(),
            revoked: None,
            nick_name: String::new(),
            face_url: String::new(),
            excluded_from_unread: self.excluded_from_unread,
            excluded_from_last: self.excluded_from_last,
            cloud_custom_data: self.cloud_custom_data.to_string(),
        }
    }
}

/// The members of `gid`, when `sender` is one of them.
async fn group_audience<T: Tx>(
    db: &mut T,
    app: u32,
    gid: &str,
    sender: &str,
) -> Result<Vec<String>, Refusal> {
    if !db.group_exists(app, gid).await? {
        return Err(Refusal::group_not_found(gid));
    }
    if db.member_role(app, gid, sender).await?.is_none() {
        return Err(Refusal::group_denied(format!(
            "only members may send to group {gid:?}"
        )));
    }
    let members = db.members(app, gid).await?;
    Ok(members.into_iter().map(|m| m.user_id).collect())
}

/// Refuses a `msg_id` a stored message of the app already has.
async fn unused_msg_id<T: Tx>(db: &mut T, app: u32, msg_id: &str) -> Result<(), Refusal> {
    if db.message_exists(app, msg_id).await? {
        return Err(Refusal::new(
            codes::V2TIM_ERR_DUPLICATE_MSG_ID,
            format!("msg_id {msg_id:?} is already used by another message"),
        ));
    }
    Ok(())
}

/// Sends a message to the devices online now (V2TIM's `onlineUserOnly`), under the rules
/// of a stored one, writing nothing: no log entry, no conversation change, no unread.
/// Told to every connection of the receiver (or the group's members) and of the sender,
/// but the sending one; a device that is offline never gets it.
pub(crate) async fn send_online<T: Tx>(
    db: &mut T,
    app: u32,
    sender: &str,
    send: &Send<'_>,
    now: i64,
) -> Result<Done, Refusal> {
    let mut users = match send.check()? {
        Target::C2c(peer) => vec![peer.to_string()],
        Target::Group(gid) => group_audience(db, app, gid, sender).await?,
    };
    if !users.iter().any(|u| u == sender) {
        users.push(sender.to_string());
    }
    unused_msg_id(db, app, send.msg_id).await?;
    let msg = named(db, app, send.info(sender, 0, now)).await?;
    let notice = ServerFrame::Push {
        push: Push::OnlineMessage { msg: msg.clone() },
    }
    .encode();
    Ok(Done::Told {
        data: v2tim_proto::AnswerData::of(&SendAck { msg }),
        users,
        notice,
    })
}

/// Stores a message and appends it to its conversation's log: a constant number of writes
/// whatever the number of participants, who are pushed the entry after commit.
pub(crate) async fn send<T: Tx>(
    db: &mut T,
    app: u32,
    sender: &str,
    send: &Send<'_>,
    now: i64,
) -> Result<Done, Refusal> {
    let target = send.check()?;
    let (idem_key, msg_id, group_id) = (send.idem_key, send.msg_id, send.group_id);

    // A retry gets the original answer. The message is re-read rather than replayed from a
    // copy, so a retry after a recall does not bring the content back.
    if let Some((_op, original)) = db.idem_lookup(app, sender, idem_key).await? {
        let msg = db.get_message(app, &original).await?.ok_or_else(|| {
            Refusal::new(
                codes::V2TIM_ERR_STORAGE,
                "the original message of this idem_key is missing",
            )
        })?;
        let msg = named(db, app, msg).await?;
        return Ok(Done::answer(&SendAck { msg }));
    }
    unused_msg_id(db, app, msg_id).await?;

    let (conv_key, participants) = match target {
        Target::C2c(peer) => {
            // Receivers need no prior login: their account is created when first addressed.
            db.ensure_account(app, peer, now).await?;
            let mut who = vec![sender.to_string()];
            if peer != sender {
                who.push(peer.to_string());
            }
            (store::c2c_key(sender, peer), who)
        }
        Target::Group(gid) => (
            store::group_key(gid),
            group_audience(db, app, gid, sender).await?,
        ),
    };

    let seq = db.next_conv_seq(app, &conv_key).await?;
    if seq == 1 && group_id.is_empty() {
        // A C2C conversation's two ends see all of it, from its first message on (group
        // members join a group's conversation when they join the group).
        for user in &participants {
            db.join_conv(app, user, &conv_key, 0).await?;
        }
    }
    let pos = db
        .append_log(app, &conv_key, EntryKind::Message, seq, None, now)
        .await?;
    let msg = send.info(sender, seq, now);
    db.insert_message(app, &conv_key, &msg, pos, Some(idem_key), send.offline_push)
        .await?;
    let msg = named(db, app, msg).await?;
    let event = Event {
        seq: pos,
        body: EventBody::NewMessage { msg: msg.clone() },
    };
    let data = v2tim_proto::AnswerData::of(&SendAck { msg });
    Ok(Done::Answer {
        data,
        pushes: vec![Fanout {
            users: participants,
            event,
        }],
    })
}

/// The entries of the user's sequence after `after`, ascending, at most `limit`: those of
/// each of the user's conversations within its membership, and for a membership that
/// ended, the recalls of what it held. Also the position up to which the answer is
/// complete: each conversation is read one page at a time, so past the last entry of a
/// full page that conversation may hold more.
async fn visible_entries<T: Tx>(
    db: &mut T,
    app: u32,
    user: &str,
    after: u64,
    head: u64,
    limit: u32,
) -> Result<(Vec<Entry>, u64), Refusal> {
    let mut found = Vec::new();
    let mut complete_upto = head;
    let page_of = |page: Vec<Entry>, complete_upto: &mut u64| {
        if page.len() as u32 >= limit {
            if let Some(last) = page.last() {
                *complete_upto = (*complete_upto).min(last.pos);
            }
        }
        page
    };
    for m in db.memberships_after(app, user, after).await? {
        let from = after.max(m.joined_pos);
        let upto = m.left_pos.unwrap_or(head);
        if from < upto {
            let page = db
                .entries(app, &m.conv_key, from, upto, false, limit)
                .await?;
            found.extend(page_of(page, &mut complete_upto));
        }
        if let Some(left) = m.left_pos {
            let page = db
                .entries(app, &m.conv_key, after.max(left), head, true, limit)
                .await?;
            found.extend(
                page_of(page, &mut complete_upto)
                    .into_iter()
                    .filter(|e| e.msg_pos > m.joined_pos && e.msg_pos <= left),
            );
        }
    }
    // A user who left and joined again has overlapping spans; each entry counts once.
    found.sort_by_key(|e| e.pos);
    found.dedup_by_key(|e| e.pos);
    found.retain(|e| e.pos <= complete_upto);
    if found.len() > limit as usize {
        found.truncate(limit as usize);
        complete_upto = found.last().map_or(complete_upto, |e| e.pos);
    }
    Ok((found, complete_upto))
}

/// The caller's events after `after_seq` (a stream position). `limit` 0 means the most a
/// page holds. The page's `head_seq` is the position up to which it holds every event of
/// the sequence; `more` when that is short of the stream's head.
pub(crate) async fn sync<T: Tx>(
    db: &mut T,
    app: u32,
    user: &str,
    after_seq: u64,
    limit: u32,
) -> Result<Done, Refusal> {
    let limit = if limit == 0 {
        MAX_SYNC_PAGE
    } else {
        limit.min(MAX_SYNC_PAGE)
    };
    let head = db.stream_head(app).await?;
    let (entries, mut complete_upto) =
        visible_entries(db, app, user, after_seq, head, limit).await?;
    let mut keep = budget();
    let mut names = Names::default();
    let mut events: Vec<Event> = Vec::with_capacity(entries.len());
    for e in entries {
        let Some(mut msg) = db.get_message_by_seq(app, &e.conv_key, e.conv_seq).await? else {
            return Err(Refusal::new(
                codes::V2TIM_ERR_STORAGE,
                format!("the message of log entry {} is missing", e.pos),
            ));
        };
        names.fill(db, app, &mut msg).await?;
        let body = match e.kind {
            EntryKind::Message => EventBody::NewMessage { msg },
            EntryKind::Recall => EventBody::MessageRevoked { msg },
        };
        let ev = Event { seq: e.pos, body };
        // The first event always goes, whatever its size, so paging always advances.
        if !keep(&ev) && !events.is_empty() {
            complete_upto = events.last().map_or(complete_upto, |e| e.seq);
            break;
        }
        events.push(ev);
    }
    Ok(Done::answer(&SyncPage {
        events,
        more: complete_upto < head,
        head_seq: complete_upto,
    }))
}

/// A page of a conversation's messages, newest first. `count` 0 means the most a page holds.
/// The direction, start and time range of a history read, as the client sent them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HistoryRange<'a> {
    pub newer: bool,
    pub before_seq: Option<u64>,
    pub after_seq: Option<u64>,
    pub time_from_ms: Option<i64>,
    pub time_to_ms: Option<i64>,
    pub elem_types: &'a [i32],
}

/// `types` as a bit set (bit `t` for type `t`); 0 when empty, which keeps every type.
fn elem_type_mask(types: &[i32]) -> Result<u32, Refusal> {
    if types.len() > limits::MAX_HISTORY_ELEM_TYPES {
        return Err(Refusal::invalid(format!(
            "elem_types lists more than {} types",
            limits::MAX_HISTORY_ELEM_TYPES
        )));
    }
    types
        .iter()
        .try_fold(0u32, |mask, &t| match u32::try_from(t) {
            Ok(bit @ 0..=31) => Ok(mask | 1 << bit),
            _ => Err(Refusal::invalid(format!(
                "elem type {t} is not a V2TIMElemType (0 to 31)"
            ))),
        })
}

impl HistoryRange<'_> {
    fn query(&self) -> Result<HistoryQuery, Refusal> {
        if self.newer && self.before_seq.is_some() {
            return Err(Refusal::invalid(
                "before_seq reads older messages, not newer",
            ));
        }
        if !self.newer && self.after_seq.is_some() {
            return Err(Refusal::invalid("after_seq needs newer"));
        }
        let from = self.time_from_ms.unwrap_or(i64::MIN);
        let to = self.time_to_ms.unwrap_or(i64::MAX);
        if from > to {
            return Err(Refusal::invalid("time_from_ms is after time_to_ms"));
        }
        Ok(HistoryQuery {
            newer: self.newer,
            before_seq: self.before_seq.unwrap_or(u64::MAX),
            after_seq: self.after_seq.unwrap_or(0),
            time_from_ms: from,
            time_to_ms: to,
            elem_type_mask: elem_type_mask(self.elem_types)?,
            skip_flags: 0,
            count: 0,
        })
    }
}

pub(crate) async fn history<T: Tx>(
    db: &mut T,
    app: u32,
    user: &str,
    conv: &ConvRef,
    range: HistoryRange<'_>,
    count: u32,
) -> Result<Done, Refusal> {
    let mut q = range.query()?;
    let count = if count == 0 {
        MAX_HISTORY_PAGE
    } else {
        count.min(MAX_HISTORY_PAGE)
    };
    let conv_key = match conv {
        // The key is built from the caller's own id, so a caller can only ever read the
        // conversations it is one of the two ends of.
        ConvRef::C2c { peer } => {
            if !limits::is_valid_user_id(peer) {
                return Err(Refusal::invalid("peer must be a valid user id"));
            }
            store::c2c_key(user, peer)
        }
        ConvRef::Group { group_id } => {
            rules::check_group_id(group_id)?;
            if !db.group_exists(app, group_id).await? {
                return Err(Refusal::group_not_found(group_id));
            }
            if db.member_role(app, group_id, user).await?.is_none() {
                return Err(Refusal::group_denied(format!(
                    "only members may read the history of group {group_id:?}"
                )));
            }
            store::group_key(group_id)
        }
    };
    q.count = count;
    // Newer with neither a start nor a time range: nothing is newer than the newest.
    let unbounded = range.time_from_ms.is_none() && range.time_to_ms.is_none();
    let mut messages = if q.newer && range.after_seq.is_none() && unbounded {
        Vec::new()
    } else {
        db.history(app, &conv_key, &q, &mut budget()).await?
    };
    Names::default().fill_all(db, app, &mut messages).await?;
    Ok(Done::answer(&HistoryPage { messages }))
}
