//! Every connection's outbound queue, and the server-wide budget for what they hold.
//!
//! Answers and pushes are queued for a connection's writer task, which writes them to
//! the socket. A client that does not read makes its queue grow; the queue is bounded in
//! frames and in bytes, and all queues together by [`Buffers`]' total: when a frame would
//! take the total past it, the queue holding the most bytes (the slowest reader) is cut
//! off. A cut-off connection is closed at once, its queued frames dropped; the device
//! catches up by sync when it reconnects, so nothing durable is lost.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

use parking_lot::Mutex;
use tokio::sync::{mpsc, Notify};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::limits::Limits;

/// What a connection's writer is told to do with its socket.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Send this text frame.
    Text(String),
    /// Send this text frame, then drop the probe that times its fan-out.
    Tracked(String, Arc<crate::fanout::FanoutProbe>),
    /// Send `last` (if any) and a close frame (with `code` and its reason, if given),
    /// then end the connection.
    Close {
        last: Option<String>,
        code: Option<(CloseCode, &'static str)>,
    },
}

impl Outbound {
    /// The text frame it carries, which the byte budget counts.
    fn text(&self) -> Option<&str> {
        match self {
            Outbound::Text(t) | Outbound::Tracked(t, _) => Some(t),
            Outbound::Close { .. } => None,
        }
    }

    /// A close with nothing more to say.
    pub(crate) fn close() -> Self {
        Outbound::Close {
            last: None,
            code: None,
        }
    }
}

/// The server-wide accounting of queued bytes, and the per-connection bounds.
pub(crate) struct Buffers {
    max_frames: usize,
    max_bytes: usize,
    max_total: usize,
    total: AtomicUsize,
    next_id: AtomicU64,
    /// Every live queue, to find the slowest reader when the total is exceeded.
    queues: Mutex<HashMap<u64, Weak<Queue>>>,
}

/// One connection's queue state, shared by its senders and its receiver.
#[derive(Debug)]
struct Queue {
    id: u64,
    frames: AtomicUsize,
    bytes: AtomicUsize,
    cut: AtomicBool,
    /// Wakes the writer when the queue is cut off.
    cut_signal: Notify,
    tx: mpsc::UnboundedSender<Outbound>,
}

/// The sending side of a connection's queue.
#[derive(Clone)]
pub(crate) struct Outbox {
    queue: Arc<Queue>,
    buffers: Arc<Buffers>,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("id", &self.queue.id)
            .finish()
    }
}

/// The writer's receiving side.
pub(crate) struct OutboxRx {
    rx: mpsc::UnboundedReceiver<Outbound>,
    queue: Arc<Queue>,
    buffers: Arc<Buffers>,
}

impl Buffers {
    pub(crate) fn new(limits: &Limits) -> Arc<Self> {
        Arc::new(Buffers {
            max_frames: limits.max_queued_frames_per_conn,
            max_bytes: limits.max_queued_bytes_per_conn,
            max_total: limits.max_queued_bytes_total,
            total: AtomicUsize::new(0),
            next_id: AtomicU64::new(1),
            queues: Mutex::new(HashMap::new()),
        })
    }

    /// A new connection's queue.
    pub(crate) fn outbox(self: &Arc<Self>) -> (Outbox, OutboxRx) {
        let (tx, rx) = mpsc::unbounded_channel();
        let queue = Arc::new(Queue {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            frames: AtomicUsize::new(0),
            bytes: AtomicUsize::new(0),
            cut: AtomicBool::new(false),
            cut_signal: Notify::new(),
            tx,
        });
        self.queues.lock().insert(queue.id, Arc::downgrade(&queue));
        (
            Outbox {
                queue: queue.clone(),
                buffers: self.clone(),
            },
            OutboxRx {
                rx,
                queue,
                buffers: self.clone(),
            },
        )
    }

    /// Bytes queued for all connections.
    pub(crate) fn total(&self) -> usize {
        self.total.load(Ordering::Relaxed)
    }

    /// Cuts off the queue with the most bytes queued, unless the queues already cut off
    /// (whose bytes leave the budget as their writers drop them) bring the rest under it:
    /// one push to many slow connections must not cut a fast one too.
    fn cut_slowest(&self) {
        let live: Vec<Arc<Queue>> = self
            .queues
            .lock()
            .values()
            .filter_map(Weak::upgrade)
            .collect();
        let leaving: usize = live
            .iter()
            .filter(|q| q.cut.load(Ordering::Relaxed))
            .map(|q| q.bytes.load(Ordering::Relaxed))
            .sum();
        if self.total().saturating_sub(leaving) <= self.max_total {
            return;
        }
        let slowest = live
            .iter()
            .filter(|q| !q.cut.load(Ordering::Relaxed))
            .max_by_key(|q| q.bytes.load(Ordering::Relaxed));
        if let Some(q) = slowest {
            tracing::warn!(
                total = self.total(),
                max_total = self.max_total,
                queued = q.bytes.load(Ordering::Relaxed),
                "queued bytes over the server's budget; closing the slowest reader"
            );
            q.cut_off();
        }
    }

    fn unqueue(&self, queue: &Queue, len: usize) {
        queue.frames.fetch_sub(1, Ordering::Relaxed);
        queue.bytes.fetch_sub(len, Ordering::Relaxed);
        self.total.fetch_sub(len, Ordering::Relaxed);
    }
}

impl Queue {
    fn cut_off(&self) {
        if !self.cut.swap(true, Ordering::Relaxed) {
            self.cut_signal.notify_one();
        }
    }
}

impl Outbox {
    /// Queues `out`; false when the connection is gone or was cut off for not reading.
    pub(crate) fn send(&self, out: Outbound) -> bool {
        let q = &self.queue;
        if q.cut.load(Ordering::Relaxed) {
            return false;
        }
        let Some(text) = out.text() else {
            return q.tx.send(out).is_ok();
        };
        let len = text.len();
        let b = &self.buffers;
        let frames = q.frames.fetch_add(1, Ordering::Relaxed) + 1;
        let bytes = q.bytes.fetch_add(len, Ordering::Relaxed) + len;
        let total = b.total.fetch_add(len, Ordering::Relaxed) + len;
        if frames > b.max_frames || bytes > b.max_bytes {
            tracing::warn!(
                frames,
                bytes,
                "connection not reading its frames; closing it"
            );
            q.cut_off();
        } else if total > b.max_total {
            b.cut_slowest();
        }
        if q.cut.load(Ordering::Relaxed) || q.tx.send(out).is_err() {
            b.unqueue(q, len);
            return false;
        }
        true
    }

    /// Cuts the connection off: its writer stops at once and drops what is queued.
    pub(crate) fn cut_off(&self) {
        self.queue.cut_off();
    }
}

impl OutboxRx {
    /// The next thing to write; `None` when every sender is gone.
    pub(crate) async fn recv(&mut self) -> Option<Outbound> {
        let out = self.rx.recv().await;
        if let Some(t) = out.as_ref().and_then(Outbound::text) {
            self.buffers.unqueue(&self.queue, t.len());
        }
        out
    }

    /// What tells the writer that the queue was cut off.
    pub(crate) fn cut_signal(&self) -> CutSignal {
        CutSignal(self.queue.clone())
    }

    #[cfg(test)]
    pub(crate) fn is_cut(&self) -> bool {
        self.queue.cut.load(Ordering::Relaxed)
    }

    /// Nothing is queued right now.
    pub(crate) fn is_empty(&self) -> bool {
        self.rx.is_empty()
    }

    #[cfg(test)]
    pub(crate) fn try_recv(&mut self) -> Option<Outbound> {
        let out = self.rx.try_recv().ok();
        if let Some(t) = out.as_ref().and_then(Outbound::text) {
            self.buffers.unqueue(&self.queue, t.len());
        }
        out
    }
}

/// Resolves [`CutSignal::cut`] once its queue is cut off.
pub(crate) struct CutSignal(Arc<Queue>);

impl CutSignal {
    /// Resolves once the queue is cut off (at once if it already is).
    pub(crate) async fn cut(&self) {
        loop {
            let notified = self.0.cut_signal.notified();
            if self.0.cut.load(Ordering::Relaxed) {
                return;
            }
            notified.await;
        }
    }
}

impl Drop for OutboxRx {
    /// What was never written leaves the budget with the connection.
    fn drop(&mut self) {
        self.queue.cut.store(true, Ordering::Relaxed);
        self.rx.close();
        while let Ok(out) = self.rx.try_recv() {
            if let Some(t) = out.text() {
                self.buffers.unqueue(&self.queue, t.len());
            }
        }
        self.buffers.queues.lock().remove(&self.queue.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buffers(frames: usize, bytes: usize, total: usize) -> Arc<Buffers> {
        Buffers::new(&Limits {
            max_queued_frames_per_conn: frames,
            max_queued_bytes_per_conn: bytes,
            max_queued_bytes_total: total,
            ..Limits::default()
        })
    }

    #[tokio::test]
    async fn a_connection_that_does_not_read_is_cut_off_by_frames_or_bytes() {
        let b = buffers(3, 1 << 20, 1 << 30);
        let (tx, mut rx) = b.outbox();
        for _ in 0..3 {
            assert!(tx.send(Outbound::Text("x".into())));
        }
        assert!(!tx.send(Outbound::Text("x".into())));
        assert!(rx.is_cut());
        rx.cut_signal().cut().await;
        assert!(!tx.send(Outbound::Text("x".into())), "stays cut off");
        assert!(matches!(rx.recv().await, Some(Outbound::Text(_))));
        drop(rx);
        assert_eq!(b.total(), 0, "dropped frames leave the budget");

        let b = buffers(100, 10, 1 << 30);
        let (tx, rx) = b.outbox();
        assert!(tx.send(Outbound::Text("0123456789".into())));
        assert!(!tx.send(Outbound::Text("a".into())), "11 bytes > 10");
        assert!(rx.is_cut());
        assert_eq!(b.total(), 10);
    }

    #[tokio::test]
    async fn over_the_total_the_slowest_reader_is_cut() {
        let b = buffers(100, 100, 25);
        let (slow, slow_rx) = b.outbox();
        let (fast, mut fast_rx) = b.outbox();
        assert!(slow.send(Outbound::Text("x".repeat(20))));
        assert!(fast.send(Outbound::Text("y".repeat(4))));
        assert!(!fast_rx.is_cut());
        // 20 + 4 + 4 > 25: the slow queue (20 bytes) goes, the fast one's frame is kept.
        assert!(fast.send(Outbound::Text("y".repeat(4))));
        assert!(slow_rx.is_cut());
        assert!(!fast_rx.is_cut());
        assert!(!slow.send(Outbound::Text("x".into())));
        // The slow queue's 20 bytes are still counted until its writer drops them, but
        // they are leaving: another frame over the total does not cut the fast queue.
        assert!(fast.send(Outbound::Text("y".repeat(4))));
        assert!(!fast_rx.is_cut());
        assert!(matches!(fast_rx.recv().await, Some(Outbound::Text(_))));
        drop(slow_rx);
        assert_eq!(b.total(), 8);
        assert!(matches!(fast_rx.recv().await, Some(Outbound::Text(_))));
        assert_eq!(b.total(), 4);
    }

    #[test]
    fn closes_are_not_counted_and_a_gone_connection_refuses() {
        let b = buffers(1, 1, 1);
        let (tx, rx) = b.outbox();
        assert!(tx.send(Outbound::close()));
        drop(rx);
        assert!(!tx.send(Outbound::Text("x".into())));
        assert_eq!(b.total(), 0);
    }
}
