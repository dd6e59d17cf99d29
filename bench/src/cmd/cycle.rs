//! The send-then-recall cycle that `pairs` and `latency` time, over sender/receiver pairs.
//!
//! A cycle: the sender sends (t0, just before `v2tim_send_message`), the receiver's
//! `on_recv_new_message` runs (t1), the sender recalls as soon as it may: when both the
//! receiver has the message and the sender's send completed, from whichever callback comes
//! second (t2, just before `v2tim_revoke_message`); the receiver's `on_recv_message_revoked`
//! runs (t3).
//! Send latency is t1 - t0, recall latency t3 - t2. Closed loop: the next cycle of a pair
//! starts from the t3 callback. Open loop: a scheduler starts cycles at a steady rate.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use once_cell::sync::OnceCell;
use parking_lot::Mutex;
use serde_json::{json, Value};
use v2tim_bench::capi::{Client, Events, Msg};
use v2tim_bench::crowd;
use v2tim_bench::stats::Samples;

struct Cycle {
    pair: usize,
    sent: Instant,
    recv: Option<Instant>,
    /// The sender's `on_success` ran: only then may it recall.
    acked: Option<Instant>,
    revoke: Option<Instant>,
    revoked: Option<Instant>,
    msg: Option<Arc<Msg>>,
}

pub struct Tracker {
    senders: OnceCell<Vec<Client>>,
    receivers: Vec<String>,
    cycles: Mutex<HashMap<String, Cycle>>,
    /// Closed loop: start the pair's next cycle when its recall arrived.
    closed_loop: bool,
    running: AtomicBool,
    errors: AtomicU64,
    first_error: Mutex<Option<String>>,
    seq: AtomicU64,
}

struct Receiver {
    tracker: Arc<Tracker>,
}

impl Events for Receiver {
    fn new_message(&self, msg_id: &str, at: Instant) {
        self.tracker.received(msg_id, at)
    }
    fn revoked(&self, msg_id: &str, at: Instant) {
        self.tracker.revoked(msg_id, at)
    }
}

/// Pair `i` is sender `s<i>` (on `tx_url`) and receiver `r<i>` (on `rx_url`), user ids
/// prefixed by `run`.
pub fn setup(
    rx_url: &str,
    tx_url: &str,
    run: &str,
    pairs: usize,
    closed_loop: bool,
) -> Arc<Tracker> {
    let receivers: Vec<String> = (0..pairs).map(|i| format!("{run}-r{i}")).collect();
    let senders: Vec<String> = (0..pairs).map(|i| format!("{run}-s{i}")).collect();
    let tracker = Arc::new(Tracker {
        senders: OnceCell::new(),
        receivers: receivers.clone(),
        cycles: Mutex::new(HashMap::new()),
        closed_loop,
        running: AtomicBool::new(true),
        errors: AtomicU64::new(0),
        first_error: Mutex::new(None),
        seq: AtomicU64::new(0),
    });
    let t = tracker.clone();
    let rx = crowd::login_all(rx_url, &receivers, move |_| {
        Some(Arc::new(Receiver { tracker: t.clone() }) as Arc<dyn Events>)
    });
    // Receivers live as long as the process: the benchmark exits when it is done.
    std::mem::forget(rx);
    let tx = crowd::login_all(tx_url, &senders, |_| None);
    let _ = tracker.senders.set(tx);
    tracker
}

impl Tracker {
    fn error(&self, what: &str, e: impl std::fmt::Display) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        self.first_error
            .lock()
            .get_or_insert_with(|| format!("{what}: {e}"));
    }

    /// Starts one cycle of pair `pair`.
    pub fn start(self: &Arc<Self>, pair: usize) {
        let sender = &self.senders.get().expect("senders")[pair];
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        let msg = Arc::new(sender.create_text(&format!("bench {pair} {n}")));
        let id = msg.id();
        self.cycles.lock().insert(
            id.clone(),
            Cycle {
                pair,
                sent: Instant::now(),
                recv: None,
                acked: None,
                revoke: None,
                revoked: None,
                msg: Some(msg.clone()),
            },
        );
        let me = self.clone();
        sender.send(&msg, &self.receivers[pair], "", move |r| match r {
            Ok(()) => {
                let at = Instant::now();
                me.step(&id, |c| c.acked = Some(at))
            }
            Err(e) => {
                me.error("send", e);
                me.cycles.lock().remove(&id);
                if me.closed_loop && me.running.load(Ordering::Relaxed) {
                    me.start(pair);
                }
            }
        });
    }

    fn received(self: &Arc<Self>, msg_id: &str, at: Instant) {
        self.step(msg_id, |c| c.recv = Some(at))
    }

    /// Records one step of a cycle; once the receiver has the message and the sender's send
    /// completed (in either order), the sender recalls it.
    fn step(self: &Arc<Self>, msg_id: &str, f: impl FnOnce(&mut Cycle)) {
        let (pair, msg) = {
            let mut cycles = self.cycles.lock();
            let Some(c) = cycles.get_mut(msg_id) else {
                return;
            };
            f(c);
            if c.recv.is_none() || c.acked.is_none() || c.revoke.is_some() {
                return;
            }
            c.revoke = Some(Instant::now());
            (c.pair, c.msg.take())
        };
        let Some(msg) = msg else {
            self.error("recall", "message handle missing");
            return;
        };
        let me = self.clone();
        self.senders.get().expect("senders")[pair].revoke(&msg, move |r| {
            if let Err(e) = r {
                me.error("recall", e);
            }
        });
    }

    fn revoked(self: &Arc<Self>, msg_id: &str, at: Instant) {
        let pair = {
            let mut cycles = self.cycles.lock();
            let Some(c) = cycles.get_mut(msg_id) else {
                return;
            };
            c.revoked = Some(at);
            c.pair
        };
        if self.closed_loop && self.running.load(Ordering::Relaxed) {
            self.start(pair);
        }
    }

    pub fn stop(&self) {
        self.running.store(false, Ordering::Relaxed);
    }

    /// Waits until every started cycle finished (or `timeout`); returns the unfinished.
    pub fn drain(&self, timeout: Duration) -> usize {
        let deadline = Instant::now() + timeout;
        loop {
            let open = self
                .cycles
                .lock()
                .values()
                .filter(|c| c.revoked.is_none())
                .count();
            if open == 0 || Instant::now() >= deadline {
                return open;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The cycles that started in `[from, to)`.
    pub fn results(&self, from: Instant, to: Instant) -> Results {
        let mut r = Results::default();
        for c in self.cycles.lock().values() {
            if c.sent < from || c.sent >= to {
                continue;
            }
            match (c.recv, c.acked, c.revoke, c.revoked) {
                (Some(t1), Some(ack), Some(t2), Some(t3)) => {
                    r.send.push(t1 - c.sent);
                    r.send_ack.push(ack - c.sent);
                    r.recall.push(t3 - t2);
                    r.cycles += 1;
                }
                _ => r.lost += 1,
            }
        }
        r
    }

    pub fn errors(&self) -> (u64, Option<String>) {
        (
            self.errors.load(Ordering::Relaxed),
            self.first_error.lock().clone(),
        )
    }
}

/// What the finished cycles of a time window measured.
#[derive(Default)]
pub struct Results {
    /// Send call to the receiver's `on_recv_new_message`.
    pub send: Samples,
    /// Send call to the sender's `on_success` (durably stored).
    pub send_ack: Samples,
    /// Recall call to the receiver's `on_recv_message_revoked`.
    pub recall: Samples,
    pub cycles: usize,
    /// Cycles started in the window that never finished.
    pub lost: usize,
}

impl Results {
    /// The common part of a result file.
    pub fn json(&self) -> Value {
        json!({
            "send_ms": self.send.summary(),
            "send_ack_ms": self.send_ack.summary(),
            "recall_ms": self.recall.summary(),
            "send_cdf_ms": self.send.cdf(),
            "recall_cdf_ms": self.recall.cdf(),
        })
    }

    pub fn print(&self) {
        print_line("send", &self.send);
        print_line("ack", &self.send_ack);
        print_line("recall", &self.recall);
    }
}

/// Prints a one-line summary of a latency distribution.
pub fn print_line(what: &str, s: &Samples) {
    let m = s.summary();
    println!(
        "{what:<7} n={:<7} p50={:.2} ms  p99={:.2} ms  p999={:.2} ms  max={:.2} ms",
        m.n, m.p50, m.p99, m.p999, m.max
    );
}

/// `git describe` of the tree the benchmark was built from, if any.
pub fn version() -> String {
    let rev = std::process::Command::new("git")
        .args(["describe", "--always", "--dirty"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{} ({rev})", env!("CARGO_PKG_VERSION"))
}
