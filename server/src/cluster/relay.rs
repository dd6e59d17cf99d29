//! The relay: the order in which a node pushes the log to its connections.
//!
//! Every connection's pushes must follow its user's sequence in position order (each push
//! carries `prev`, the position of the one before: PROTOCOL.md §4). On one node the writer
//! finishes in commit order, so pushing at finish is enough. With several nodes on one
//! database, positions are handed out in commit order across all of them, but a node only
//! finishes its own works: it learns of the others' entries from the database, when a
//! notice (the broker), a poll, or the gap before its own next position tells it to read.
//!
//! So, per app, the relay keeps the position up to which it has pushed everything
//! (`delivered`). Its own commit that starts right after it is pushed (and answered) at
//! once; one further on waits, answer included, until a read of the entries in between
//! (a [`handlers::relay`](crate::handlers) work on a read-only connection) has been
//! pushed. Positions at or before `delivered` are never pushed twice.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use parking_lot::{Condvar, Mutex};

use crate::fanout::push_fanout;
use crate::handlers::Fanout;
use crate::registry::Registry;

/// Asks storage for the entries of an app after a position (`None`: only its head); the
/// answer comes back through [`Relay::relayed`].
pub(crate) type ReadLog = Box<dyn Fn(u32, Option<u64>) + Send + Sync>;
/// Tells the other nodes that an app's log grew to a position.
pub(crate) type Announce = Box<dyn Fn(u32, u64) + Send + Sync>;
/// Asks the other nodes to queue a push outside the sync sequence (a frame) to every
/// connection of a user of an app.
pub(crate) type Tell = Box<dyn Fn(u32, &str, &str) + Send + Sync>;

/// An answer held back until the pushes before it are out.
pub(crate) type Then = Box<dyn FnOnce() + Send>;

struct Held {
    pushes: Vec<Fanout>,
    last: u64,
    then: Then,
    /// When what the pushes say became durable (or was read, for other nodes' entries).
    committed: Instant,
}

#[derive(Default)]
struct AppLog {
    /// Everything up to here is pushed; `None` until the first read says where it starts.
    delivered: Option<u64>,
    /// The newest position known to be committed (own commits, notices).
    known: u64,
    /// A read is under way: no second one until it answers.
    reading: bool,
    /// Own commits waiting for the entries before them, by first position.
    held: BTreeMap<u64, Held>,
}

pub(crate) struct Relay {
    registry: Arc<Registry>,
    apps: Mutex<HashMap<u32, AppLog>>,
    started: Condvar,
    read_log: OnceLock<ReadLog>,
    announce: OnceLock<Announce>,
    tell: OnceLock<Tell>,
}

impl Relay {
    pub(crate) fn new(registry: Arc<Registry>) -> Arc<Relay> {
        Arc::new(Relay {
            registry,
            apps: Mutex::new(HashMap::new()),
            started: Condvar::new(),
            read_log: OnceLock::new(),
            announce: OnceLock::new(),
            tell: OnceLock::new(),
        })
    }

    /// Has the other nodes queue `frame` to `user`'s connections there (best effort: a
    /// lost notice leaves those devices to learn it at their next read).
    pub(crate) fn tell_others(&self, app: u32, user: &str, frame: &str) {
        if let Some(tell) = self.tell.get() {
            tell(app, user, frame);
        }
    }

    /// This node committed `pushes` (ascending positions, at least one); `then` answers the
    /// request once they are out.
    pub(crate) fn local(&self, app: u32, pushes: Vec<Fanout>, committed: Instant, then: Then) {
        let (Some(first), Some(last)) = (
            pushes.first().map(|p| p.event.seq),
            pushes.last().map(|p| p.event.seq),
        ) else {
            then();
            return;
        };
        if let Some(announce) = self.announce.get() {
            announce(app, last);
        }
        let mut ready = Vec::new();
        let need_read = {
            let mut apps = self.apps.lock();
            let log = apps.entry(app).or_default();
            log.known = log.known.max(last);
            match log.delivered {
                Some(d) if first <= d + 1 => {
                    // A read may have pushed the first of them already, from storage.
                    let pushes = pushes.into_iter().filter(|p| p.event.seq > d).collect();
                    ready.push(Held {
                        pushes,
                        last,
                        then,
                        committed,
                    });
                    log.delivered = Some(d.max(last));
                    Self::take_ready(log, &mut ready);
                    push_all(&self.registry, app, std::mem::take(&mut ready));
                    false
                }
                _ => {
                    log.held.insert(
                        first,
                        Held {
                            pushes,
                            last,
                            then,
                            committed,
                        },
                    );
                    !std::mem::replace(&mut log.reading, true)
                }
            }
        };
        if need_read {
            self.read_after_delivered(app);
        }
    }

    /// A read of the log answered: the entries after the position it was asked for, up to
    /// `upto`.
    pub(crate) fn relayed(&self, app: u32, pushes: Vec<Fanout>, upto: u64, read: Instant) {
        let mut ready = Vec::new();
        let read_again = {
            let mut apps = self.apps.lock();
            let log = apps.entry(app).or_default();
            log.reading = false;
            log.known = log.known.max(upto);
            let starting = log.delivered.is_none();
            let from = log.delivered.unwrap_or(upto);
            let fresh: Vec<Fanout> = pushes.into_iter().filter(|p| p.event.seq > from).collect();
            if let Some(last) = fresh.last().map(|p| p.event.seq) {
                ready.push(Held {
                    pushes: fresh,
                    last,
                    then: Box::new(|| {}),
                    committed: read,
                });
            }
            log.delivered = Some(from.max(upto));
            Self::take_ready(log, &mut ready);
            push_all(&self.registry, app, std::mem::take(&mut ready));
            if starting {
                self.started.notify_all();
            }
            let behind = log.known > log.delivered.unwrap_or(0) || !log.held.is_empty();
            behind && !std::mem::replace(&mut log.reading, true)
        };
        if read_again {
            self.read_after_delivered(app);
        }
    }

    /// A read of the log failed: try again at the next notice or poll.
    pub(crate) fn read_failed(&self, app: u32) {
        if let Some(log) = self.apps.lock().get_mut(&app) {
            log.reading = false;
        }
    }

    /// Moves the held commits that now follow `delivered` into `ready`.
    fn take_ready(log: &mut AppLog, ready: &mut Vec<Held>) {
        while let Some(entry) = log.held.first_entry() {
            let d = log.delivered.unwrap_or(0);
            if *entry.key() > d + 1 {
                break;
            }
            let held = entry.remove();
            log.delivered = Some(d.max(held.last));
            ready.push(held);
        }
    }

    fn read_after_delivered(&self, app: u32) {
        let after = self.apps.lock().get(&app).and_then(|l| l.delivered);
        self.read(app, after);
    }

    fn read(&self, app: u32, after: Option<u64>) {
        match self.read_log.get() {
            Some(read) => read(app, after),
            None => self.read_failed(app),
        }
    }
}

/// What only the cluster thread and its start call (feature `postgres`).
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
impl Relay {
    /// Connects the relay to storage and the broker (once, at start).
    pub(crate) fn connect(&self, read_log: ReadLog, announce: Announce, tell: Tell) {
        let _ = self.read_log.set(read_log);
        let _ = self.announce.set(announce);
        let _ = self.tell.set(tell);
    }

    /// Another node asks to queue `frame` to `user`'s connections on this one.
    pub(crate) fn told(&self, app: u32, user: &str, frame: &str) {
        self.registry.tell(app, user, 0, frame);
    }

    /// Asks where each app's log stands and waits (up to `wait`) for the answers: until
    /// then no connection can be served in order.
    pub(crate) fn start(&self, apps: &[u32], wait: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + wait;
        for &app in apps {
            self.apps.lock().entry(app).or_default().reading = true;
            self.read(app, None);
        }
        let mut state = self.apps.lock();
        while !apps
            .iter()
            .all(|a| state.get(a).is_some_and(|l| l.delivered.is_some()))
        {
            if self.started.wait_until(&mut state, deadline).timed_out() {
                return false;
            }
        }
        true
    }

    /// Another node says an app's log reached `head`.
    pub(crate) fn noticed(&self, app: u32, head: u64) {
        let need_read = {
            let mut apps = self.apps.lock();
            let log = apps.entry(app).or_default();
            log.known = log.known.max(head);
            log.delivered.is_some_and(|d| head > d) && !std::mem::replace(&mut log.reading, true)
        };
        if need_read {
            self.read_after_delivered(app);
        }
    }

    /// The poll: reads every app's log after what was pushed (an empty answer when nothing
    /// changed), for the notices a broker lost or never carried.
    pub(crate) fn poll(&self) {
        let due: Vec<u32> = self
            .apps
            .lock()
            .iter_mut()
            .filter(|(_, log)| log.delivered.is_some() && !log.reading)
            .map(|(app, log)| {
                log.reading = true;
                *app
            })
            .collect();
        for app in due {
            self.read_after_delivered(app);
        }
    }
}

/// Pushes, in order, and answers each request after its pushes. Called with the relay's
/// lock held, so two threads never interleave their pushes (the registry never calls back).
fn push_all(registry: &Registry, app: u32, ready: Vec<Held>) {
    for held in ready {
        for fanout in held.pushes {
            push_fanout(registry, app, fanout, held.committed);
        }
        (held.then)();
    }
}
