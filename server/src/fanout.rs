//! Pushing one log entry to everyone it is for, and timing that inside the server.

use std::sync::Arc;
use std::time::Instant;

use parking_lot::Mutex;
use v2tim_proto::EncodedEvent;

use crate::handlers::Fanout;
use crate::registry::Registry;

/// Pushes one entry to every online connection of its users. An entry for at least
/// [`PROBE_MIN_USERS`] users is timed from `committed` to its last frame written
/// ([`FanoutProbe`]).
pub(crate) fn push_fanout(registry: &Registry, app: u32, fanout: Fanout, committed: Instant) {
    let encoded = EncodedEvent::new(&fanout.event);
    let probe = (fanout.users.len() >= PROBE_MIN_USERS)
        .then(|| Arc::new(FanoutProbe::new(fanout.event.seq, committed)));
    for user in &fanout.users {
        registry.push_event(app, user, &encoded, probe.as_ref());
    }
}

/// Entries for fewer users are not timed: for them the probe would cost more than the push.
pub(crate) const PROBE_MIN_USERS: usize = 100;

/// Times one entry's fan-out inside the server: from its commit to the moment the last of
/// its frames was written to a socket (or dropped with its connection). Every frame holds
/// a reference; the last one dropped logs the time (target `v2tim_server::fanout`, level
/// info: `RUST_LOG=v2tim_server::fanout=info` shows them; `v2tim-bench fanout` reads them).
#[derive(Debug)]
pub(crate) struct FanoutProbe {
    pos: u64,
    committed: Instant,
    frames: std::sync::atomic::AtomicUsize,
    queued: Mutex<Option<Instant>>,
}

impl FanoutProbe {
    fn new(pos: u64, committed: Instant) -> FanoutProbe {
        FanoutProbe {
            pos,
            committed,
            frames: std::sync::atomic::AtomicUsize::new(0),
            queued: Mutex::new(None),
        }
    }

    /// One more frame carries it.
    pub(crate) fn counted(&self) {
        self.frames
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        *self.queued.lock() = Some(Instant::now());
    }
}

impl Drop for FanoutProbe {
    fn drop(&mut self) {
        let frames = self.frames.load(std::sync::atomic::Ordering::Relaxed);
        let ms = |t: Instant| (t - self.committed).as_secs_f64() * 1e3;
        tracing::info!(
            target: "v2tim_server::fanout",
            pos = self.pos,
            frames,
            commit_to_last_queued_ms = self.queued.lock().map_or(0.0, ms),
            commit_to_last_written_ms = ms(Instant::now()),
            "fan-out written"
        );
    }
}
