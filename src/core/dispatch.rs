//! The SDK event thread: runs completions and listener callbacks one at a time, in the
//! order they were posted, with no internal lock held, so a callback may call back into
//! the SDK (even remove its own listener).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::ThreadId;

use once_cell::sync::Lazy;
use parking_lot::Mutex;

use super::listener::ListenerKey;

type Job = Box<dyn FnOnce() + Send + 'static>;

struct EventThread {
    tx: mpsc::Sender<Job>,
    id: ThreadId,
}

static EVENT_THREAD: Lazy<EventThread> = Lazy::new(|| {
    let (tx, rx) = mpsc::channel::<Job>();
    let handle = std::thread::Builder::new()
        .name("v2tim-events".into())
        .spawn(move || {
            for job in rx {
                // A panic in an adapter must not end the thread every later event needs.
                if catch_unwind(AssertUnwindSafe(job)).is_err() {
                    tracing::error!("a callback panicked; the event was dropped");
                }
            }
        })
        .expect("the SDK event thread could not start");
    EventThread {
        tx,
        id: handle.thread().id(),
    }
});

/// True on the SDK event thread (where callbacks run).
pub fn is_event_thread() -> bool {
    std::thread::current().id() == EVENT_THREAD.id
}

/// Runs `f` on the SDK event thread, after everything posted before it.
pub fn post(f: impl FnOnce() + Send + 'static) {
    // The receiver lives as long as the process, so sending cannot fail.
    let _ = EVENT_THREAD.tx.send(Box::new(f));
}

/// One registered listener. `running` is held by the event thread while it calls the
/// listener, so a removal from another thread can wait for a call in progress to end.
struct Slot<L: ?Sized> {
    key: ListenerKey,
    active: AtomicBool,
    running: Mutex<()>,
    listener: Arc<L>,
}

/// The listeners of one kind registered on one manager.
pub(crate) struct Listeners<L: ?Sized> {
    slots: Mutex<Vec<Arc<Slot<L>>>>,
}

impl<L: ?Sized + Send + Sync + 'static> Listeners<L> {
    pub fn new() -> Self {
        Listeners {
            slots: Mutex::new(Vec::new()),
        }
    }

    pub fn add(&self, key: ListenerKey, listener: Arc<L>) {
        let slot = Arc::new(Slot {
            key,
            active: AtomicBool::new(true),
            running: Mutex::new(()),
            listener,
        });
        let old = {
            let mut slots = self.slots.lock();
            let old = slots
                .iter()
                .position(|s| s.key == key)
                .map(|i| slots.remove(i));
            slots.push(slot);
            old
        };
        if let Some(old) = old {
            retire(&old);
        }
    }

    /// After this returns the listener is not called again.
    pub fn remove(&self, key: ListenerKey) {
        let old = {
            let mut slots = self.slots.lock();
            slots
                .iter()
                .position(|s| s.key == key)
                .map(|i| slots.remove(i))
        };
        if let Some(old) = old {
            retire(&old);
        }
    }

    /// Posts `f` for every listener registered when the event thread gets to it.
    pub fn emit(self: &Arc<Self>, f: impl Fn(&L) + Send + 'static) {
        self.emit_boxed(Box::new(f))
    }

    /// The body of [`Listeners::emit`], once per listener kind rather than once per event
    /// (the library a phone ships is smaller by it).
    fn emit_boxed(self: &Arc<Self>, f: Box<dyn Fn(&L) + Send>) {
        let me = Arc::clone(self);
        post(move || {
            let snapshot: Vec<_> = me.slots.lock().clone();
            for slot in snapshot {
                let _running = slot.running.lock();
                if slot.active.load(Ordering::Acquire) {
                    f(&slot.listener);
                }
            }
        });
    }
}

fn retire<L: ?Sized>(slot: &Slot<L>) {
    slot.active.store(false, Ordering::Release);
    if !is_event_thread() {
        // Wait out a call of this listener that started before the flag was cleared.
        drop(slot.running.lock());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn posts_run_in_order_on_one_thread() {
        let (tx, rx) = mpsc::channel();
        for i in 0..100 {
            let tx = tx.clone();
            post(move || tx.send((i, is_event_thread())).unwrap());
        }
        let got: Vec<_> = (0..100).map(|_| rx.recv().unwrap()).collect();
        assert!(got.iter().enumerate().all(|(i, &(j, on))| i == j && on));
    }

    #[test]
    fn a_panicking_job_does_not_stop_the_thread() {
        post(|| panic!("boom"));
        let (tx, rx) = mpsc::channel();
        post(move || tx.send(()).unwrap());
        rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
    }

    #[test]
    fn removed_listener_is_not_called() {
        let calls = Arc::new(AtomicUsize::new(0));
        let l: Arc<Listeners<AtomicUsize>> = Arc::new(Listeners::new());
        l.add([1; 8], calls.clone());
        l.emit(|c| {
            c.fetch_add(1, Ordering::SeqCst);
        });
        l.remove([1; 8]);
        l.emit(|c| {
            c.fetch_add(1, Ordering::SeqCst);
        });
        let (tx, rx) = mpsc::channel();
        post(move || tx.send(()).unwrap());
        rx.recv().unwrap();
        assert!(calls.load(Ordering::SeqCst) <= 1);
    }
}
