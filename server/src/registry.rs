//! Who is online: the open connections of each user, and delivery of pushes to them.
//!
//! Every connection has one outbound queue ([`Outbox`]) drained by its session task to the
//! socket. Answers to requests and pushes both go through it, and only the storage thread
//! enqueues pushes and storage answers, in commit order, so each connection sees its
//! frames in the order of the user's sync sequence.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;
use v2tim_proto::{EncodedEvent, Push, ServerFrame};

use crate::fanout::FanoutProbe;
use crate::outbox::{Outbound, Outbox};

struct Device {
    conn_id: u64,
    /// `None` for a client that gave no device id: such a connection is its own device.
    device_id: Option<String>,
    outbox: Outbox,
    /// Everything of the user's sequence up to here was sent to this connection (the
    /// login's head, then each push): the next push's `prev`.
    sent_upto: u64,
}

/// Online devices by (SDKAppID, user id). Devices of a user are kept in login order, oldest
/// first, so the one to sign out when there are too many is at the front.
pub(crate) struct Registry {
    users: Mutex<HashMap<(u32, String), Vec<Device>>>,
    max_devices: usize,
}

fn kicked_frame(reason: &str) -> String {
    ServerFrame::Push {
        push: Push::Kicked {
            reason: reason.to_string(),
        },
    }
    .encode()
}

impl Registry {
    pub(crate) fn new(max_devices: usize) -> Self {
        Registry {
            users: Mutex::new(HashMap::new()),
            max_devices: max_devices.max(1),
        }
    }

    /// Adds a logged-in connection. A connection of the same device is replaced, and the
    /// oldest devices beyond the limit are signed out; both get `Push::Kicked` and close.
    pub(crate) fn register(
        &self,
        app: u32,
        user: &str,
        device_id: Option<String>,
        conn_id: u64,
        outbox: Outbox,
        head: u64,
    ) {
        let mut users = self.users.lock();
        let devices = users.entry((app, user.to_string())).or_default();
        let mut kicked = Vec::new();
        if device_id.is_some() {
            devices.retain(|d| {
                if d.device_id == device_id {
                    kicked.push((
                        d.outbox.clone(),
                        "this device logged in again on another connection",
                    ));
                    false
                } else {
                    true
                }
            });
        }
        devices.push(Device {
            conn_id,
            device_id,
            outbox,
            sent_upto: head,
        });
        while devices.len() > self.max_devices {
            let oldest = devices.remove(0);
            kicked.push((
                oldest.outbox,
                "too many devices online; the oldest was signed out",
            ));
        }
        drop(users);
        for (outbox, reason) in kicked {
            // A closed queue means the session already ended: nothing to sign out.
            let _ = outbox.send(Outbound::Close {
                last: Some(kicked_frame(reason)),
                code: None,
            });
        }
    }

    /// Removes a connection when its session ends (no-op if it was already replaced).
    pub(crate) fn unregister(&self, app: u32, user: &str, conn_id: u64) {
        let mut users = self.users.lock();
        let key = (app, user.to_string());
        if let Some(devices) = users.get_mut(&key) {
            devices.retain(|d| d.conn_id != conn_id);
            if devices.is_empty() {
                users.remove(&key);
            }
        }
    }

    /// Queues the event to every online connection of the user, each with its own `prev`.
    /// Called in commit order, so `prev` is exact.
    pub(crate) fn push_event(
        &self,
        app: u32,
        user: &str,
        event: &EncodedEvent,
        probe: Option<&Arc<FanoutProbe>>,
    ) {
        let mut users = self.users.lock();
        if let Some(devices) = users.get_mut(&(app, user.to_string())) {
            for d in devices.iter_mut() {
                // A device that logged in at or after this position syncs it instead (a
                // cluster node may push what others committed after such a login).
                if event.seq <= d.sent_upto {
                    continue;
                }
                let frame = event.push_frame(d.sent_upto);
                let out = match probe {
                    Some(p) => {
                        p.counted();
                        Outbound::Tracked(frame, p.clone())
                    }
                    None => Outbound::Text(frame),
                };
                let _ = d.outbox.send(out);
                d.sent_upto = event.seq;
            }
        }
    }

    /// Queues `frame` (a push outside the sync sequence) to every online connection of the
    /// user but `except_conn`.
    pub(crate) fn tell(&self, app: u32, user: &str, except_conn: u64, frame: &str) {
        let users = self.users.lock();
        if let Some(devices) = users.get(&(app, user.to_string())) {
            for d in devices.iter().filter(|d| d.conn_id != except_conn) {
                let _ = d.outbox.send(Outbound::Text(frame.to_string()));
            }
        }
    }

    /// Closes every registered connection (server shutdown).
    pub(crate) fn close_all(&self) {
        let mut users = self.users.lock();
        for (_, devices) in users.drain() {
            for d in devices {
                let _ = d.outbox.send(Outbound::close());
            }
        }
    }

    /// Number of online connections of a user.
    pub(crate) fn online(&self, app: u32, user: &str) -> usize {
        self.users
            .lock()
            .get(&(app, user.to_string()))
            .map_or(0, Vec::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::limits::Limits;
    use crate::outbox::{Buffers, OutboxRx};

    fn conn() -> (Outbox, OutboxRx) {
        Buffers::new(&Limits::default()).outbox()
    }

    fn is_kick(o: Option<Outbound>) -> bool {
        matches!(o, Some(Outbound::Close { last: Some(s), .. }) if s.contains("kicked"))
    }

    #[test]
    fn same_device_replaces_and_oldest_is_kicked() {
        let r = Registry::new(2);
        let (a, mut ar) = conn();
        let (b, mut br) = conn();
        let (c, mut cr) = conn();
        let (d, mut dr) = conn();
        r.register(1, "u", Some("d1".into()), 1, a, 0);
        r.register(1, "u", Some("d1".into()), 2, b, 0);
        assert!(is_kick(ar.try_recv()));
        assert_eq!(r.online(1, "u"), 1);
        r.register(1, "u", Some("d2".into()), 3, c, 0);
        r.register(1, "u", None, 4, d, 7);
        assert!(is_kick(br.try_recv()), "oldest device d1 signed out");
        assert_eq!(r.online(1, "u"), 2);
        let prev_of = |o: Option<Outbound>| match o {
            Some(Outbound::Text(s)) => {
                let v: serde_json::Value = serde_json::from_str(&s).unwrap();
                v["push"]["prev"].as_u64()
            }
            _ => None,
        };
        let event = |seq| {
            EncodedEvent::new(&v2tim_proto::Event {
                seq,
                body: v2tim_proto::EventBody::NewMessage {
                    msg: v2tim_proto::MessageInfo {
                        msg_id: "m".into(),
                        seq: 1,
                        sender: "a".into(),
                        receiver: "u".into(),
                        group_id: String::new(),
                        timestamp_ms: 0,
                        priority: 0,
                        elem: v2tim_proto::Elem::None,
                        revoked: None,
                        nick_name: String::new(),
                        face_url: String::new(),
                        excluded_from_unread: false,
                        excluded_from_last: false,
                        cloud_custom_data: String::new(),
                    },
                },
            })
        };
        // Each connection's prev starts at its login head and follows its own pushes.
        r.push_event(1, "u", &event(9), None);
        assert_eq!(prev_of(cr.try_recv()), Some(0));
        assert_eq!(prev_of(dr.try_recv()), Some(7));
        r.push_event(1, "u", &event(12), None);
        assert_eq!(prev_of(cr.try_recv()), Some(9));
        assert_eq!(prev_of(dr.try_recv()), Some(9));
        // A replaced connection unregistering later does not remove the new one.
        r.unregister(1, "u", 1);
        assert_eq!(r.online(1, "u"), 2);
        r.unregister(1, "u", 3);
        r.unregister(1, "u", 4);
        assert_eq!(r.online(1, "u"), 0);
    }
}
