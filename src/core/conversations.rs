//! The conversation list (V2TIMConversationManager): one entry per conversation of the
//! logged-in user, kept current from the sync sequence, with the changes reported to
//! conversation listeners.
//!
//! The server's view of a conversation ([`ConversationInfo`]) is exact as of a stream
//! position, `as_of`; the sync sequence then carries each later message and recall. So an
//! entry takes a server view only when it is not older than what the entry already holds,
//! and takes an event only when the event is newer than the entry: every event counts once,
//! whether it came before or after the view. A view older than the entry (it raced an
//! event) is read again.
//!
//! The list is read from the server at every connection (a reconnect catches up on what
//! happened meanwhile, read positions of other devices included); until the first read
//! ends, calls that list wait for it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use v2tim_proto::model::{ConvRef, ConversationInfo, MessageInfo};

use super::message::Message;

/// V2TIM conversation types.
pub mod conversation_type {
    pub const C2C: i32 = 1;
    pub const GROUP: i32 = 2;
}

/// A conversation as the host sees it (V2TIMConversation): a snapshot, except for the last
/// message, which is the live message object (a recall shows on it at once).
#[derive(Clone, Debug)]
pub struct Conversation {
    /// "c2c_<userID>" or "group_<groupID>".
    pub conversation_id: String,
    /// One of [`conversation_type`].
    pub conv_type: i32,
    pub user_id: String,
    pub group_id: String,
    /// C2C: the other user's nick name (their id when they have none); group: its name
    /// (its id when unnamed).
    pub show_name: String,
    pub face_url: String,
    /// Groups: "Work", "Public", ...; empty for C2C.
    pub group_type: String,
    pub unread_count: u64,
    pub last_message: Option<Message>,
    /// Larger is more recent activity; the list is sorted by it, newest first.
    pub order_key: u64,
}

/// The V2TIM conversation id of a conversation.
pub fn conversation_id(conv: &ConvRef) -> String {
    match conv {
        ConvRef::C2c { peer } => format!("c2c_{peer}"),
        ConvRef::Group { group_id } => format!("group_{group_id}"),
    }
}

/// The conversation of a V2TIM conversation id, if it is one.
pub fn parse_conversation_id(id: &str) -> Option<ConvRef> {
    if let Some(peer) = id.strip_prefix("c2c_") {
        return Some(ConvRef::C2c {
            peer: peer.to_owned(),
        });
    }
    id.strip_prefix("group_").map(|g| ConvRef::Group {
        group_id: g.to_owned(),
    })
}

/// The conversation a message belongs to, seen by `me`.
pub(crate) fn conv_of(msg: &MessageInfo, me: &str) -> ConvRef {
    if !msg.group_id.is_empty() {
        return ConvRef::Group {
            group_id: msg.group_id.clone(),
        };
    }
    let peer = if msg.sender == me {
        &msg.receiver
    } else {
        &msg.sender
    };
    ConvRef::C2c { peer: peer.clone() }
}

struct Entry {
    conv: ConvRef,
    group_type: String,
    group_name: String,
    peer_nick: String,
    peer_face: String,
    last: Option<Message>,
    last_seq: u64,
    unread: u64,
    read_seq: u64,
    order_key: u64,
    as_of: u64,
}

/// What the host was last shown of a conversation: a change of any of these is reported.
#[derive(PartialEq, Eq, Clone)]
struct Shown {
    last_id: Option<String>,
    last_revoked: bool,
    unread: u64,
    order_key: u64,
    group_name: String,
    peer_nick: String,
}

impl Entry {
    fn from_info(info: ConversationInfo, last: Option<Message>) -> Entry {
        Entry {
            last_seq: info.last_message.as_ref().map_or(0, |m| m.seq),
            conv: info.conv,
            group_type: info.group_type,
            group_name: info.group_name,
            peer_nick: info.peer_nick,
            peer_face: info.peer_face,
            last,
            unread: info.unread_count,
            read_seq: info.read_seq,
            order_key: info.order_key,
            as_of: info.as_of,
        }
    }

    fn shown(&self) -> Shown {
        Shown {
            last_id: self.last.as_ref().map(|m| m.msg_id().to_owned()),
            last_revoked: self.last.as_ref().is_some_and(|m| m.is_revoked()),
            unread: self.unread,
            order_key: self.order_key,
            group_name: self.group_name.clone(),
            peer_nick: self.peer_nick.clone(),
        }
    }

    fn snapshot(&self, id: &str) -> Conversation {
        let (conv_type, user_id, group_id, show_name) = match &self.conv {
            ConvRef::C2c { peer } => {
                let name = if self.peer_nick.is_empty() {
                    peer.clone()
                } else {
                    self.peer_nick.clone()
                };
                (conversation_type::C2C, peer.clone(), String::new(), name)
            }
            ConvRef::Group { group_id } => {
                let name = if self.group_name.is_empty() {
                    group_id.clone()
                } else {
                    self.group_name.clone()
                };
                (
                    conversation_type::GROUP,
                    String::new(),
                    group_id.clone(),
                    name,
                )
            }
        };
        Conversation {
            conversation_id: id.to_owned(),
            conv_type,
            user_id,
            group_id,
            show_name,
            face_url: self.peer_face.clone(),
            group_type: self.group_type.clone(),
            unread_count: self.unread,
            last_message: self.last.clone(),
            order_key: self.order_key,
        }
    }
}

/// What applying something leaves to report to the host.
#[derive(Default)]
pub(crate) struct Report {
    pub new: Vec<Conversation>,
    pub changed: Vec<Conversation>,
    /// The new total unread count, when it changed.
    pub total: Option<u64>,
}

impl Report {
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.changed.is_empty() && self.total.is_none()
    }
}

/// An event of a conversation whose entry is being read from the server: applied to the
/// server's view once it comes, if the view is older.
struct Pending {
    pos: u64,
    recall: bool,
    info: MessageInfo,
    msg: Message,
}

/// Whether a message may be a conversation's last message: not one its sender excluded,
/// not the notice that the group was dismissed.
fn shows_as_last(info: &MessageInfo) -> bool {
    let dismissal = matches!(&info.elem, v2tim_proto::model::Elem::GroupTips(t)
        if t.tips_type == v2tim_proto::group::tips_type::GROUP_DISMISSED);
    !info.excluded_from_last && !dismissal
}

/// Applies an event at stream position `pos` to an entry, unless the entry already holds it.
fn apply(
    e: &mut Entry,
    pos: u64,
    recall: bool,
    info: &MessageInfo,
    msg: &Message,
    me: &str,
) -> bool {
    if pos <= e.as_of {
        return false;
    }
    e.as_of = pos;
    e.order_key = pos;
    let counts = info.sender != me && info.seq > e.read_seq && !info.excluded_from_unread;
    if recall {
        if counts {
            e.unread = e.unread.saturating_sub(1);
        }
        // The last message, if it is this one, is the same live object: already recalled.
    } else {
        if info.seq >= e.last_seq && shows_as_last(info) {
            e.last_seq = info.seq;
            e.last = Some(Arc::clone(msg));
        }
        // Counted even when the message is already recalled: its recall follows in the
        // sequence and takes it off again.
        if counts {
            e.unread += 1;
        }
    }
    true
}

/// The logged-in user's conversations.
#[derive(Default)]
pub(crate) struct ConvCache {
    entries: HashMap<String, Entry>,
    /// The list was read from the server once this login: changes are reported from then
    /// on (the first read is what the host asks for with `get_conversation_list`).
    pub loaded: bool,
    /// A read of the list is under way.
    pub loading: bool,
    /// Events of conversations the list does not hold (yet), by conversation id: a read
    /// of each is under way, or starts when the list's read ends.
    pending: HashMap<String, Vec<Pending>>,
    /// What the host was shown, by conversation id.
    shown: HashMap<String, Shown>,
    shown_total: u64,
    /// Entries that changed since the last report.
    touched: HashSet<String>,
}

/// What an event or a view needs next.
pub(crate) enum Next {
    Nothing,
    /// Read this conversation from the server.
    Fetch(ConvRef),
}

impl ConvCache {
    /// A new message of the user's sequence at stream position `pos`.
    pub fn on_message(&mut self, pos: u64, info: &MessageInfo, msg: &Message, me: &str) -> Next {
        self.on_event(pos, false, info, msg, me)
    }

    /// The recall of a message of the user's sequence, at stream position `pos`; `msg` is
    /// the message's live object.
    pub fn on_recall(&mut self, pos: u64, info: &MessageInfo, msg: &Message, me: &str) -> Next {
        self.on_event(pos, true, info, msg, me)
    }

    fn on_event(
        &mut self,
        pos: u64,
        recall: bool,
        info: &MessageInfo,
        msg: &Message,
        me: &str,
    ) -> Next {
        let conv = conv_of(info, me);
        let id = conversation_id(&conv);
        if let Some(e) = self.entries.get_mut(&id) {
            if apply(e, pos, recall, info, msg, me) {
                self.touched.insert(id);
            }
            return Next::Nothing;
        }
        let waiting = self.pending.entry(id).or_default();
        let first = waiting.is_empty();
        waiting.push(Pending {
            pos,
            recall,
            info: info.clone(),
            msg: Arc::clone(msg),
        });
        if first && !self.loading {
            Next::Fetch(conv)
        } else {
            Next::Nothing
        }
    }

    /// A server view of a conversation; `last` is its last message, interned.
    pub fn on_view(&mut self, info: ConversationInfo, last: Option<Message>, me: &str) -> Next {
        let id = conversation_id(&info.conv);
        if let Some(e) = self.entries.get(&id) {
            if e.as_of > info.as_of {
                // Older than events already applied: read again.
                return Next::Fetch(info.conv);
            }
        }
        let mut e = Entry::from_info(info, last);
        for p in self.pending.remove(&id).unwrap_or_default() {
            apply(&mut e, p.pos, p.recall, &p.info, &p.msg, me);
        }
        self.entries.insert(id.clone(), e);
        self.touched.insert(id);
        Next::Nothing
    }

    /// Starts a read of the whole list.
    pub fn start_load(&mut self) {
        self.loading = true;
    }

    /// The read of the list ended; answers the conversations to read one by one (those
    /// with events the list did not hold).
    pub fn finish_load(&mut self, ok: bool) -> Vec<ConvRef> {
        self.loading = false;
        if ok && !self.loaded {
            // The first read is the host's starting point, not a change.
            self.loaded = true;
            self.shown = self
                .entries
                .iter()
                .map(|(id, e)| (id.clone(), e.shown()))
                .collect();
            self.shown_total = self.total();
            self.touched.clear();
        }
        self.pending
            .keys()
            .filter_map(|id| parse_conversation_id(id))
            .collect()
    }

    /// What changed since the last report, for the listeners; nothing before the first
    /// read of the list ended.
    pub fn report(&mut self) -> Report {
        let mut report = Report::default();
        if !self.loaded {
            return report;
        }
        for id in self.touched.drain() {
            let Some(e) = self.entries.get(&id) else {
                continue;
            };
            let now = e.shown();
            match self.shown.insert(id.clone(), now.clone()) {
                None => report.new.push(e.snapshot(&id)),
                Some(before) if before != now => report.changed.push(e.snapshot(&id)),
                Some(_) => {}
            }
        }
        let total = self.total();
        if total != self.shown_total {
            self.shown_total = total;
            report.total = Some(total);
        }
        report
    }

    pub fn total(&self) -> u64 {
        self.entries.values().map(|e| e.unread).sum()
    }

    pub fn get(&self, id: &str) -> Option<Conversation> {
        self.entries.get(id).map(|e| e.snapshot(id))
    }

    /// The list sorted newest first, from below `next_seq` (0: the top), at most `count`;
    /// the next page's `next_seq`, and whether this page is the last.
    pub fn page(&self, next_seq: u64, count: usize) -> (Vec<Conversation>, u64, bool) {
        let before = if next_seq == 0 { u64::MAX } else { next_seq };
        let mut all: Vec<(&String, &Entry)> = self
            .entries
            .iter()
            .filter(|(_, e)| e.order_key < before)
            .collect();
        all.sort_by(|a, b| b.1.order_key.cmp(&a.1.order_key).then(a.0.cmp(b.0)));
        let finished = all.len() <= count;
        let page: Vec<Conversation> = all
            .into_iter()
            .take(count)
            .map(|(id, e)| e.snapshot(id))
            .collect();
        let next = page.last().map_or(0, |c| c.order_key);
        (page, next, finished)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use v2tim_proto::model::{Elem, RevokeInfo};

    use crate::core::message::MessageObj;

    fn msg(seq: u64, from: &str, to: &str) -> MessageInfo {
        MessageInfo {
            msg_id: format!("m{seq}"),
            seq,
            sender: from.into(),
            receiver: to.into(),
            group_id: String::new(),
            timestamp_ms: 0,
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

    fn view(unread: u64, last: Option<MessageInfo>, as_of: u64) -> ConversationInfo {
        ConversationInfo {
            conv: ConvRef::C2c {
                peer: "alice".into(),
            },
            group_type: String::new(),
            group_name: String::new(),
            peer_nick: String::new(),
            peer_face: String::new(),
            last_message: last,
            unread_count: unread,
            read_seq: 0,
            order_key: as_of,
            as_of,
        }
    }

    fn loaded_with(v: ConversationInfo) -> ConvCache {
        let mut c = ConvCache::default();
        c.start_load();
        let last = v
            .last_message
            .as_ref()
            .map(|m| MessageObj::from_info(m, "bob"));
        c.on_view(v, last, "bob");
        assert!(c.finish_load(true).is_empty());
        c
    }

    #[test]
    fn an_event_counts_once_whether_before_or_after_the_view() {
        let m1 = msg(1, "alice", "bob");
        let mut c = loaded_with(view(1, Some(m1.clone()), 10));
        let m = MessageObj::from_info(&m1, "bob");
        // Already in the view (position 10 <= as_of).
        c.on_message(10, &m1, &m, "bob");
        assert_eq!(c.total(), 1);
        let m2 = msg(2, "alice", "bob");
        c.on_message(11, &m2, &MessageObj::from_info(&m2, "bob"), "bob");
        let r = c.report();
        assert_eq!(r.total, Some(2));
        assert_eq!(r.changed.len(), 1);
        assert_eq!(r.changed[0].last_message.as_ref().unwrap().msg_id(), "m2");
        // A view older than that is read again, not taken.
        assert!(matches!(
            c.on_view(view(1, Some(m1), 10), None, "bob"),
            Next::Fetch(_)
        ));
        assert_eq!(c.total(), 2);
    }

    #[test]
    fn a_recall_lowers_unread_and_reports_once() {
        let m1 = msg(1, "alice", "bob");
        let mut c = loaded_with(view(1, Some(m1.clone()), 10));
        let last = c.get("c2c_alice").unwrap().last_message.unwrap();
        let recalled = MessageInfo {
            elem: Elem::None,
            revoked: Some(RevokeInfo {
                revoker: "alice".into(),
                reason: String::new(),
                time_ms: 1,
                revoker_nick: String::new(),
                revoker_face: String::new(),
            }),
            ..m1
        };
        last.apply_info(&recalled, "bob");
        c.on_recall(12, &recalled, &last, "bob");
        // Seen again (a resync): no second change.
        c.on_recall(12, &recalled, &last, "bob");
        let r = c.report();
        assert_eq!(r.total, Some(0));
        assert_eq!(r.changed.len(), 1);
        assert!(r.changed[0].last_message.as_ref().unwrap().is_revoked());
        assert!(c.report().is_empty());
    }

    #[test]
    fn events_of_unknown_conversations_wait_for_its_view() {
        let mut c = ConvCache::default();
        c.start_load();
        let m1 = msg(1, "carol", "bob");
        let o1 = MessageObj::from_info(&m1, "bob");
        assert!(matches!(c.on_message(5, &m1, &o1, "bob"), Next::Nothing));
        assert_eq!(c.finish_load(true).len(), 1, "read once the list is in");
        let m2 = msg(2, "carol", "bob");
        let o2 = MessageObj::from_info(&m2, "bob");
        assert!(
            matches!(c.on_message(6, &m2, &o2, "bob"), Next::Nothing),
            "a read is already under way"
        );
        assert!(c.get("c2c_carol").is_none());
        // The view was taken between the two: the second applies on top of it.
        let mut v = view(1, Some(m1), 5);
        v.conv = ConvRef::C2c {
            peer: "carol".into(),
        };
        c.on_view(v, Some(o1), "bob");
        let got = c.get("c2c_carol").unwrap();
        assert_eq!(got.unread_count, 2);
        assert_eq!(got.last_message.unwrap().msg_id(), "m2");
        let r = c.report();
        assert_eq!((r.new.len(), r.total), (1, Some(2)));
    }

    #[test]
    fn ids_round_trip() {
        for id in ["c2c_alice", "group_g1"] {
            assert_eq!(conversation_id(&parse_conversation_id(id).unwrap()), id);
        }
        assert!(parse_conversation_id("alice").is_none());
    }
}
