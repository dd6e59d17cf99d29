//! The conversation list: each of the user's conversations with its last message, unread
//! count and order, computed from the conversation's log and the user's read position
//! (no per-member rows are written when a message is sent), and read positions.

use v2tim_proto::codes;
use v2tim_proto::frames::{ConversationAck, ConversationPage};
use v2tim_proto::limits::{self, MAX_CONVERSATION_PAGE};
use v2tim_proto::model::{ConvRef, ConversationInfo, MessageInfo};
use v2tim_proto::{Push, ServerFrame};

use crate::handlers::messages::PAGE_BYTE_BUDGET;
use crate::handlers::profiles::named;
use crate::handlers::Done;
use crate::rules::{self, Refusal};
use crate::store::{self, ConvRow, HistoryQuery, Tx};

/// The conversation of `key` from `user`'s side.
fn conv_ref(user: &str, key: &str) -> Option<ConvRef> {
    if let Some(group_id) = key.strip_prefix("grp:") {
        return Some(ConvRef::Group {
            group_id: group_id.to_string(),
        });
    }
    let (a, b) = key.strip_prefix("c2c:")?.split_once(' ')?;
    let peer = if a == user { b } else { a };
    Some(ConvRef::C2c {
        peer: peer.to_string(),
    })
}

/// The conversation key of `conv` for `user`, checked as for reading its history.
fn conv_key(user: &str, conv: &ConvRef) -> Result<String, Refusal> {
    match conv {
        ConvRef::C2c { peer } => {
            if !limits::is_valid_user_id(peer) {
                return Err(Refusal::invalid("peer must be a valid user id"));
            }
            Ok(store::c2c_key(user, peer))
        }
        ConvRef::Group { group_id } => {
            rules::check_group_id(group_id)?;
            Ok(store::group_key(group_id))
        }
    }
}

/// The conversation's newest message, if any.
pub(crate) async fn newest_message<T: Tx>(
    db: &mut T,
    app: u32,
    key: &str,
) -> Result<Option<MessageInfo>, Refusal> {
    Ok(db
        .history(app, key, &HistoryQuery::older(u64::MAX, 1), &mut |_| true)
        .await?
        .into_iter()
        .next())
}

/// The conversation's last message: the newest one its sender did not exclude
/// (`isExcludedFromLastMessage`).
async fn last_message<T: Tx>(
    db: &mut T,
    app: u32,
    key: &str,
) -> Result<Option<MessageInfo>, Refusal> {
    let q = HistoryQuery {
        skip_flags: store::EXCLUDED_FROM_LAST,
        ..HistoryQuery::older(u64::MAX, 1)
    };
    Ok(db
        .history(app, key, &q, &mut |_| true)
        .await?
        .into_iter()
        .next())
}

fn no_such_conversation() -> Refusal {
    Refusal::new(
        codes::ERR_SVR_COMM_INVALID_REQUEST,
        "no such conversation: it has no message yet, or the caller is not a member",
    )
}

fn order_key(row: &ConvRow) -> u64 {
    row.last_pos.max(row.joined_pos)
}

/// The conversation as of stream position `head` (the transaction's snapshot).
async fn summary<T: Tx>(
    db: &mut T,
    app: u32,
    user: &str,
    row: &ConvRow,
    head: u64,
) -> Result<Option<ConversationInfo>, Refusal> {
    let Some(conv) = conv_ref(user, &row.conv_key) else {
        return Ok(None);
    };
    let (group_type, group_name) = match &conv {
        ConvRef::Group { group_id } => match db.get_group(app, group_id).await? {
            Some(g) => (g.group_type, g.name),
            None => return Ok(None),
        },
        ConvRef::C2c { .. } => Default::default(),
    };
    let (peer_nick, peer_face) = match &conv {
        ConvRef::C2c { peer } => db
            .profile(app, peer)
            .await?
            .map(|p| (p.nick_name, p.face_url))
            .unwrap_or_default(),
        ConvRef::Group { .. } => Default::default(),
    };
    let last_message = last_message(db, app, &row.conv_key).await?;
    // Messages of a group from before the user joined are not the user's.
    let last_message = match last_message {
        Some(m) if row.last_pos > row.joined_pos => Some(named(db, app, m).await?),
        _ => None,
    };
    let unread_count = db
        .count_unread(app, &row.conv_key, user, row.read_seq, row.joined_pos)
        .await?;
    Ok(Some(ConversationInfo {
        conv,
        group_type,
        group_name,
        peer_nick,
        peer_face,
        last_message,
        unread_count,
        read_seq: row.read_seq,
        order_key: order_key(row),
        as_of: head,
    }))
}

/// A page of the caller's conversations, newest activity first.
pub(crate) async fn list<T: Tx>(
    db: &mut T,
    app: u32,
    user: &str,
    before_order: Option<u64>,
    count: u32,
) -> Result<Done, Refusal> {
    let count = match count {
        0 => MAX_CONVERSATION_PAGE,
        n => n.min(MAX_CONVERSATION_PAGE),
    } as usize;
    let head = db.stream_head(app).await?;
    let before = before_order.unwrap_or(u64::MAX);
    let mut rows: Vec<ConvRow> = db
        .conversation_rows(app, user, None)
        .await?
        .into_iter()
        .filter(|r| order_key(r) < before)
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(order_key(r)));
    let mut more = rows.len() > count;
    rows.truncate(count);
    let mut used = 0usize;
    let mut conversations = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let Some(info) = summary(db, app, user, row, head).await? else {
            continue;
        };
        used += serde_json::to_vec(&info).map_or(0, |v| v.len() + 1);
        // The first always goes, so paging always advances.
        if used > PAGE_BYTE_BUDGET && !conversations.is_empty() {
            more = more || i < rows.len();
            break;
        }
        conversations.push(info);
    }
    Ok(Done::answer(&ConversationPage {
        conversations,
        more,
    }))
}

async fn one<T: Tx>(
    db: &mut T,
    app: u32,
    user: &str,
    key: &str,
) -> Result<ConversationInfo, Refusal> {
    let head = db.stream_head(app).await?;
    let row = db.conversation_rows(app, user, Some(key)).await?.pop();
    let info = match row {
        Some(row) => summary(db, app, user, &row, head).await?,
        None => None,
    };
    info.ok_or_else(no_such_conversation)
}

/// One of the caller's conversations.
pub(crate) async fn get<T: Tx>(
    db: &mut T,
    app: u32,
    user: &str,
    conv: &ConvRef,
) -> Result<Done, Refusal> {
    let key = conv_key(user, conv)?;
    let conversation = one(db, app, user, &key).await?;
    Ok(Done::answer(&ConversationAck { conversation }))
}

/// Moves the caller's read position; the caller's other devices are told.
pub(crate) async fn mark_read<T: Tx>(
    db: &mut T,
    app: u32,
    user: &str,
    conv: &ConvRef,
    upto_seq: u64,
    upto_time_ms: i64,
) -> Result<Done, Refusal> {
    let key = conv_key(user, conv)?;
    // The conversation must be the caller's before anything is written.
    if db
        .conversation_rows(app, user, Some(&key))
        .await?
        .is_empty()
    {
        return Err(no_such_conversation());
    }
    let seq = match (upto_seq, upto_time_ms) {
        (0, 0) => u64::MAX,
        (0, t) => db.seq_at_time(app, &key, t).await?,
        (s, _) => s,
    };
    // "All" is the newest message now, not every seq to come.
    let last = newest_message(db, app, &key).await?.map_or(0, |m| m.seq);
    db.set_read_seq(app, user, &key, seq.min(last)).await?;
    let conversation = one(db, app, user, &key).await?;
    let notice = ServerFrame::Push {
        push: Push::ConversationRead { conv: conv.clone() },
    }
    .encode();
    Ok(Done::Told {
        data: v2tim_proto::AnswerData::of(&ConversationAck { conversation }),
        users: vec![user.to_string()],
        notice,
    })
}
