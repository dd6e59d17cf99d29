//! A background write load: senders, each to its own online receiver, keep a window of
//! durable sends in flight until stopped (the `throughput` workload's send phase), so other
//! workloads can be measured while the server is writing.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use crate::capi::{Client, NoEvents};
use crate::crowd;

/// What the senders share.
#[derive(Default)]
struct Counters {
    running: AtomicBool,
    acks: AtomicU64,
    errors: AtomicU64,
    first_error: Mutex<Option<String>>,
}

/// Senders writing until [`Writers::stop`] (or drop).
pub struct Writers {
    counters: Arc<Counters>,
    senders: Vec<Arc<Client>>,
    receivers: Vec<Client>,
    started: Instant,
}

/// What a stretch of writing did.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Rate {
    pub acks: u64,
    pub seconds: f64,
    pub per_s: f64,
    pub errors: u64,
}

impl Writers {
    /// Logs in `n` senders and `n` receivers on `url` (users `<prefix>-s<i>`, `<prefix>-r<i>`)
    /// and starts each sender with `window` sends in flight.
    pub fn start(url: &str, prefix: &str, n: usize, window: usize) -> Writers {
        let rx: Vec<String> = (0..n).map(|i| format!("{prefix}-r{i}")).collect();
        let tx: Vec<String> = (0..n).map(|i| format!("{prefix}-s{i}")).collect();
        let receivers = crowd::login_all(url, &rx, |_| Some(Arc::new(NoEvents) as _));
        let senders: Vec<Arc<Client>> = crowd::login_all(url, &tx, |_| None)
            .into_iter()
            .map(Arc::new)
            .collect();
        let counters = Arc::new(Counters::default());
        counters.running.store(true, Ordering::Relaxed);
        for (s, to) in senders.iter().zip(rx) {
            let to: Arc<str> = to.into();
            for _ in 0..window {
                pump(s.clone(), to.clone(), counters.clone());
            }
        }
        Writers {
            counters,
            senders,
            receivers,
            started: Instant::now(),
        }
    }

    /// Acknowledged sends so far.
    pub fn acks(&self) -> u64 {
        self.counters.acks.load(Ordering::Relaxed)
    }

    /// Stops sending, lets what is in flight finish, and says what the whole run did.
    pub fn stop(self) -> Rate {
        let c = &self.counters;
        c.running.store(false, Ordering::Relaxed);
        let seconds = self.started.elapsed().as_secs_f64();
        let acks = self.acks();
        // Each send's callback holds its sender: wait until every one has run, so the last
        // reference (whose drop shuts the SDK instance down) is ours, not an SDK thread's.
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut answered = true;
        while self.senders.iter().any(|s| Arc::strong_count(s) > 1) {
            if Instant::now() > deadline {
                answered = false;
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if let Some(e) = c.first_error.lock().as_ref() {
            eprintln!("background writers: first error: {e}");
        }
        let rate = Rate {
            acks,
            seconds,
            per_s: acks as f64 / seconds,
            errors: c.errors.load(Ordering::Relaxed),
        };
        if answered {
            drop(self.senders);
        } else {
            // Dropping them here could shut an instance down from its own callback thread.
            eprintln!("background writers: sends still unanswered after 30 s; leaving them");
            std::mem::forget(self.senders);
        }
        drop(self.receivers);
        rate
    }
}

fn pump(client: Arc<Client>, to: Arc<str>, c: Arc<Counters>) {
    if !c.running.load(Ordering::Relaxed) {
        return;
    }
    let msg = client.create_text("background write");
    let (cl, t, cc) = (client.clone(), to.clone(), c.clone());
    client.send(&msg, &to, "", move |r| {
        match r {
            Ok(()) => {
                cc.acks.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                cc.errors.fetch_add(1, Ordering::Relaxed);
                cc.first_error.lock().get_or_insert_with(|| e.to_string());
            }
        }
        pump(cl, t, cc);
    });
}
