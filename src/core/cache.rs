//! The one live object per message id, so every holder of a message sees one state.
//!
//! The map holds weak references: it keeps no message alive. Dead entries (and the
//! allocation a `Weak` pins) are dropped by a sweep whenever the map doubles past its size
//! after the last sweep, so its size stays proportional to the messages the host holds,
//! at an amortized constant cost per insert.

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use super::message::{Message, MessageObj};

/// Smallest size at which a sweep runs.
const MIN_SWEEP: usize = 1024;

pub(crate) struct MessageCache {
    map: HashMap<String, Weak<MessageObj>>,
    sweep_at: usize,
}

impl MessageCache {
    pub(crate) fn new() -> Self {
        MessageCache {
            map: HashMap::new(),
            sweep_at: MIN_SWEEP,
        }
    }

    /// The live object for `msg_id`, if the host still holds one.
    pub(crate) fn get(&self, msg_id: &str) -> Option<Message> {
        self.map.get(msg_id).and_then(Weak::upgrade)
    }

    pub(crate) fn insert(&mut self, msg: &Message) {
        if self.map.len() >= self.sweep_at {
            self.map.retain(|_, w| w.strong_count() > 0);
            self.sweep_at = (self.map.len() * 2).max(MIN_SWEEP);
        }
        self.map
            .insert(msg.msg_id().to_owned(), Arc::downgrade(msg));
    }

    /// Every message the host still holds.
    pub(crate) fn live(&self) -> Vec<Message> {
        self.map.values().filter_map(Weak::upgrade).collect()
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use v2tim_proto::model::Elem;

    fn msg(i: usize) -> Message {
        MessageObj::new_local(format!("m{i}"), "me".into(), Elem::None)
    }

    #[test]
    fn dropped_messages_do_not_accumulate() {
        let mut cache = MessageCache::new();
        for i in 0..100_000 {
            cache.insert(&msg(i));
        }
        assert!(cache.len() <= MIN_SWEEP, "{} entries", cache.len());
    }

    #[test]
    fn held_messages_stay_findable_and_the_map_tracks_them() {
        let mut cache = MessageCache::new();
        let held: Vec<Message> = (0..5_000).map(msg).collect();
        for m in &held {
            cache.insert(m);
        }
        for i in 5_000..50_000 {
            cache.insert(&msg(i));
        }
        assert!(held.iter().all(|m| cache.get(m.msg_id()).is_some()));
        assert!(cache.len() <= 4 * held.len(), "{} entries", cache.len());
        assert!(cache.get("m49999").is_none());
    }
}
