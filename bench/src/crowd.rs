//! Many clients at once: logging in hundreds or thousands of SDK instances with a bounded
//! number of logins in flight, so the server is not measured on a login storm.

use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use crate::capi::{CError, Client, Events};

/// Logins in flight at once.
const LOGIN_WINDOW: usize = 64;

/// A counter that threads can wait on.
#[derive(Default)]
pub struct Latch {
    n: Mutex<usize>,
    cv: Condvar,
}

impl Latch {
    pub fn add(&self, k: usize) {
        *self.n.lock() += k;
        self.cv.notify_all();
    }

    pub fn get(&self) -> usize {
        *self.n.lock()
    }

    /// Waits until the count is at least `target`; false on timeout.
    pub fn wait_for(&self, target: usize, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut n = self.n.lock();
        while *n < target {
            if self.cv.wait_until(&mut n, deadline).timed_out() {
                return *n >= target;
            }
        }
        true
    }
}

/// Logs in `users` on `url`, each with the listener `events(i)` (if any); returns the
/// clients in the same order. Panics with the first login error.
pub fn login_all(
    url: &str,
    users: &[String],
    events: impl Fn(usize) -> Option<Arc<dyn Events>>,
) -> Vec<Client> {
    let started_at = Instant::now();
    let done = Arc::new(Latch::default());
    let failure: Arc<Mutex<Option<(String, CError)>>> = Arc::default();
    let mut clients = Vec::with_capacity(users.len());
    for (i, user) in users.iter().enumerate() {
        // Bounded: at most LOGIN_WINDOW logins unfinished.
        done.wait_for(i.saturating_sub(LOGIN_WINDOW), Duration::from_secs(300));
        let mut c = Client::new(Some(url));
        if let Some(e) = events(i) {
            c.listen(e);
        }
        let (d, f, u) = (done.clone(), failure.clone(), user.clone());
        c.login_async(user, move |r| {
            if let Err(e) = r {
                f.lock().get_or_insert((u, e));
            }
            d.add(1);
        });
        clients.push(c);
    }
    assert!(
        done.wait_for(users.len(), Duration::from_secs(300)),
        "logins did not finish"
    );
    if let Some((u, e)) = failure.lock().take() {
        panic!("login {u}: {e}");
    }
    eprintln!(
        "{} clients logged in in {:.1} s",
        users.len(),
        started_at.elapsed().as_secs_f64()
    );
    clients
}
