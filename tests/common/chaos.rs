//! A workload for the fault tests: several SDK clients send (C2C and in one group) and recall
//! their own messages while something breaks underneath them. Every call's outcome is
//! recorded, and at the end the server's history and every client's view are compared.
//!
//! What [`Workload::verify`] asserts:
//! - every callback fired exactly once (success or error, never both, never none);
//! - every acknowledged send is in the server's history, once, with its text (unless
//!   recalled), and nothing is in history that no client sent;
//! - every acknowledged recall shows as recalled (flag set, content empty); a message shows
//!   recalled only if a recall of it was requested;
//! - every client received (`on_recv_new_message`) exactly the messages of others in its
//!   conversations, each once, and was told of exactly the recalls of others
//!   (`on_recv_message_revoked`), each once; the message objects it holds show the recall.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

use super::*;

/// Injects one random fault through `proxy` and says which: 0 cut on the way up after up
/// to 600 bytes, 1 the same on the way down, 2 an outage of 0 to 300 ms, 3 answers and
/// pushes swallowed for 0 to 300 ms, then the connection cut.
pub fn inject_fault(rng: &mut Rng, proxy: &Proxy) -> usize {
    let kind = rng.below(4) as usize;
    match kind {
        0 => proxy.cut_up_after(rng.below(600) as i64),
        1 => proxy.cut_down_after(rng.below(600) as i64),
        2 => {
            proxy.fail();
            std::thread::sleep(rng.millis(0, 300));
            proxy.restore();
        }
        _ => {
            proxy.mute();
            std::thread::sleep(rng.millis(0, 300));
            proxy.fail();
            proxy.restore();
        }
    }
    kind
}

/// SplitMix64: a small seeded generator, so a failing run can be repeated from its seed.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Uniform in `lo..hi` milliseconds.
    pub fn millis(&mut self, lo: u64, hi: u64) -> Duration {
        Duration::from_millis(lo + self.below(hi - lo))
    }
}

/// The seed from `var` if set, else from the clock; printed so a failure can be replayed.
pub fn seed_from_env(var: &str) -> u64 {
    let seed = std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("seed: {seed} (replay with {var}={seed})");
    seed
}

/// A number from the environment, or `default`.
pub fn env_num(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// A conversation, named the same way from both sides.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Conv {
    /// The two users, sorted.
    C2c(String, String),
    Group(String),
}

impl Conv {
    pub fn c2c(a: &str, b: &str) -> Conv {
        if a < b {
            Conv::C2c(a.into(), b.into())
        } else {
            Conv::C2c(b.into(), a.into())
        }
    }

    pub fn has(&self, user: &str, group_members: &[String]) -> bool {
        match self {
            Conv::C2c(a, b) => a == user || b == user,
            Conv::Group(_) => group_members.iter().any(|m| m == user),
        }
    }
}

/// How one call ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Err(i32, String),
}

impl<T> From<&Result<T, Error>> for Outcome {
    fn from(r: &Result<T, Error>) -> Outcome {
        match r {
            Ok(_) => Outcome::Ok,
            Err(e) => Outcome::Err(e.code, e.desc.clone()),
        }
    }
}

pub struct SendRec {
    pub sender: String,
    pub conv: Conv,
    pub text: String,
    pub outcomes: Vec<Outcome>,
}

/// Every call the workload made and how each ended.
#[derive(Default)]
pub struct Ledger {
    pub sends: Mutex<BTreeMap<String, SendRec>>,
    /// Recalls by message id (each message is recalled at most once).
    pub recalls: Mutex<BTreeMap<String, Vec<Outcome>>>,
    pub in_flight: AtomicUsize,
}

impl Ledger {
    pub fn acked_sends(&self) -> usize {
        let s = self.sends.lock();
        s.values().filter(|r| r.outcomes == [Outcome::Ok]).count()
    }

    pub fn acked_recalls(&self) -> usize {
        let r = self.recalls.lock();
        r.values().filter(|o| **o == [Outcome::Ok]).count()
    }

    /// (code, count) of every error reported.
    pub fn error_codes(&self) -> BTreeMap<i32, usize> {
        let mut out = BTreeMap::new();
        let sends = self.sends.lock();
        let recalls = self.recalls.lock();
        for o in sends
            .values()
            .flat_map(|s| s.outcomes.iter())
            .chain(recalls.values().flatten())
        {
            if let Outcome::Err(code, _) = o {
                *out.entry(*code).or_default() += 1;
            }
        }
        out
    }

    pub fn summary(&self) -> String {
        // One lock at a time (a guard in a format! argument lives to the end of it).
        let sends = self.sends.lock().len();
        let recalls = self.recalls.lock().len();
        let (acked_sends, acked_recalls) = (self.acked_sends(), self.acked_recalls());
        let errors = self.error_codes();
        format!(
            "{sends} sends ({acked_sends} acknowledged), {recalls} recalls \
             ({acked_recalls} acknowledged), errors by code {errors:?}"
        )
    }
}

/// One SDK client of the workload.
pub struct Client {
    pub user: String,
    pub m: Manager,
    pub inbox: Arc<Inbox>,
    pub events: Arc<SdkEvents>,
    /// Messages this client sent that the server acknowledged, not yet recalled.
    pub acked: Arc<Mutex<Vec<Message>>>,
}

pub struct Workload {
    pub users: Vec<String>,
    pub group: String,
    pub clients: Vec<Client>,
    pub ledger: Arc<Ledger>,
    pub stop: Arc<AtomicBool>,
}

/// Every message of `conv` as `m` reads it from the server, oldest first.
pub fn full_history(m: &Manager, conv: &Conv, me: &str) -> Vec<Message> {
    let mut out: Vec<Message> = Vec::new();
    loop {
        let last = out.last().cloned();
        let page = match conv {
            Conv::C2c(a, b) => {
                let peer = if a == me { b } else { a };
                wait(|d| m.get_c2c_history_message_list(peer, 100, last.as_ref(), d))
            }
            Conv::Group(g) => wait(|d| m.get_group_history_message_list(g, 100, last.as_ref(), d)),
        }
        .unwrap_or_else(|e| panic!("history of {conv:?}: {e:?}"));
        let n = page.len();
        out.extend(page);
        if n < 100 {
            break;
        }
    }
    out.reverse();
    // Group tips are the server's, not the workload's sends.
    out.retain(|m| m.group_tips().is_none());
    out
}

impl Workload {
    /// Logs in `n` users (named `{prefix}{i}`) on `urls(i)` and puts them all in one
    /// Meeting group.
    pub fn setup(n: usize, prefix: &str, urls: impl Fn(usize) -> String) -> Workload {
        let users: Vec<String> = (0..n).map(|i| format!("{prefix}{i}")).collect();
        let clients: Vec<Client> = users
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let m = login(&urls(i), u);
                Client {
                    user: u.clone(),
                    inbox: Inbox::attach(&m),
                    events: SdkEvents::attach(&m),
                    acked: Arc::default(),
                    m,
                }
            })
            .collect();
        let group = format!("{prefix}-group");
        let g = wait(|d| clients[0].m.create_group("Meeting", &group, "chaos", d)).unwrap();
        assert_eq!(g, group);
        for c in &clients[1..] {
            wait(|d| c.m.join_group(&group, "", d)).unwrap();
        }
        Workload {
            users,
            group,
            clients,
            ledger: Arc::default(),
            stop: Arc::default(),
        }
    }

    /// Starts one thread per client that sends and recalls until [`Workload::stop`], with
    /// up to `max_in_flight` calls outstanding per client.
    pub fn start(&self, seed: u64, max_in_flight: usize) -> Vec<JoinHandle<()>> {
        self.clients
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let m = c.m.clone();
                let me = c.user.clone();
                let acked = c.acked.clone();
                let peers: Vec<String> = self.users.iter().filter(|u| **u != me).cloned().collect();
                let group = self.group.clone();
                let ledger = self.ledger.clone();
                let stop = self.stop.clone();
                let mut rng = Rng::new(seed ^ (i as u64 + 1).wrapping_mul(0x1234_5678_9ABC));
                std::thread::spawn(move || {
                    let mine = Arc::new(AtomicUsize::new(0));
                    let mut n = 0u64;
                    while !stop.load(Ordering::SeqCst) {
                        if mine.load(Ordering::SeqCst) >= max_in_flight {
                            std::thread::sleep(Duration::from_millis(2));
                            continue;
                        }
                        let recall_target = if rng.below(4) == 0 {
                            let mut a = acked.lock();
                            let len = a.len();
                            // Recent ones only: the default time limit is 120 s.
                            (len > 0).then(|| {
                                let k = len - 1 - rng.below(len.min(20) as u64) as usize;
                                a.remove(k)
                            })
                        } else {
                            None
                        };
                        mine.fetch_add(1, Ordering::SeqCst);
                        ledger.in_flight.fetch_add(1, Ordering::SeqCst);
                        let (mine2, ledger2) = (mine.clone(), ledger.clone());
                        if let Some(msg) = recall_target {
                            let id = msg.msg_id().to_owned();
                            ledger.recalls.lock().insert(id.clone(), Vec::new());
                            m.revoke_message(
                                &msg,
                                "chaos",
                                Box::new(move |r| {
                                    ledger2
                                        .recalls
                                        .lock()
                                        .get_mut(&id)
                                        .unwrap()
                                        .push((&r).into());
                                    ledger2.in_flight.fetch_sub(1, Ordering::SeqCst);
                                    mine2.fetch_sub(1, Ordering::SeqCst);
                                }),
                            );
                        } else {
                            n += 1;
                            let text = format!("{me} #{n}");
                            let msg = m.create_text_message(&text).unwrap();
                            let id = msg.msg_id().to_owned();
                            let (to, grp, conv) = if rng.below(10) < 7 {
                                let p = &peers[rng.below(peers.len() as u64) as usize];
                                (p.as_str(), "", Conv::c2c(&me, p))
                            } else {
                                ("", group.as_str(), Conv::Group(group.clone()))
                            };
                            ledger.sends.lock().insert(
                                id.clone(),
                                SendRec {
                                    sender: me.clone(),
                                    conv,
                                    text,
                                    outcomes: Vec::new(),
                                },
                            );
                            let acked2 = acked.clone();
                            m.send_message(
                                &msg,
                                to,
                                grp,
                                0,
                                Box::new(move |r| {
                                    if let Ok(m) = &r {
                                        acked2.lock().push(m.clone());
                                    }
                                    ledger2
                                        .sends
                                        .lock()
                                        .get_mut(&id)
                                        .unwrap()
                                        .outcomes
                                        .push((&r).into());
                                    ledger2.in_flight.fetch_sub(1, Ordering::SeqCst);
                                    mine2.fetch_sub(1, Ordering::SeqCst);
                                }),
                            );
                        }
                        std::thread::sleep(rng.millis(1, 15));
                    }
                })
            })
            .collect()
    }

    /// Stops the workers and waits until every call they made has completed.
    pub fn stop_and_drain(&self, workers: Vec<JoinHandle<()>>) {
        self.stop.store(true, Ordering::SeqCst);
        for w in workers {
            w.join().unwrap();
        }
        // A request lives at most REQUEST_TIMEOUT (30 s) in the SDK; then it fails.
        let deadline = Instant::now() + Duration::from_secs(90);
        while self.ledger.in_flight.load(Ordering::SeqCst) > 0 {
            assert!(
                Instant::now() < deadline,
                "{} calls never completed: a callback vanished",
                self.ledger.in_flight.load(Ordering::SeqCst)
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Every client is logged in and connected.
    pub fn wait_connected(&self) {
        for c in &self.clients {
            eventually(&format!("{} is logged in again", c.user), || {
                c.m.get_login_status() == v2tim::core::login_status::LOGINED
            });
        }
    }

    /// The checks listed in the module doc, against the server at `url`. Returns the
    /// number of messages in the server's history.
    pub fn verify(&self, url: &str) -> usize {
        // Late second callbacks would show up here.
        std::thread::sleep(Duration::from_millis(300));
        let ledger = &self.ledger;
        let sends = ledger.sends.lock();
        let recalls = ledger.recalls.lock();
        for (id, s) in sends.iter() {
            assert_eq!(s.outcomes.len(), 1, "send {id}: callbacks {:?}", s.outcomes);
        }
        for (id, r) in recalls.iter() {
            assert_eq!(r.len(), 1, "recall {id}: callbacks {r:?}");
        }

        // The server's state, read by fresh devices.
        let mut convs: Vec<Conv> = Vec::new();
        for (i, a) in self.users.iter().enumerate() {
            for b in &self.users[i + 1..] {
                convs.push(Conv::c2c(a, b));
            }
        }
        convs.push(Conv::Group(self.group.clone()));
        let checkers: HashMap<&str, Manager> = self
            .users
            .iter()
            .map(|u| (u.as_str(), login(url, u)))
            .collect();
        let mut server: BTreeMap<String, (Conv, Message)> = BTreeMap::new();
        for conv in &convs {
            let reader = match conv {
                Conv::C2c(a, _) => a.as_str(),
                Conv::Group(_) => self.users[0].as_str(),
            };
            for m in full_history(&checkers[reader], conv, reader) {
                let id = m.msg_id().to_owned();
                let rec = sends
                    .get(&id)
                    .unwrap_or_else(|| panic!("{id} in {conv:?} was never sent"));
                let d = m.data();
                assert_eq!(&rec.conv, conv, "{id} is in the wrong conversation");
                assert_eq!(rec.sender, d.sender, "{id}: sender");
                if m.is_revoked() {
                    assert!(recalls.contains_key(&id), "{id} recalled but never asked");
                    assert_eq!(m.text(), "", "{id}: recalled content is served");
                    assert_eq!(m.status(), 6);
                } else {
                    assert_eq!(m.text(), rec.text, "{id}: text");
                }
                assert!(
                    server.insert(id.clone(), (conv.clone(), m)).is_none(),
                    "{id} twice in history"
                );
            }
        }
        let mut acked_then_lost = Vec::new();
        let mut erred_but_stored = 0;
        for (id, s) in sends.iter() {
            match (&s.outcomes[0], server.contains_key(id)) {
                (Outcome::Ok, false) => acked_then_lost.push(id.clone()),
                (Outcome::Err(..), true) => erred_but_stored += 1,
                _ => {}
            }
        }
        assert!(
            acked_then_lost.is_empty(),
            "acknowledged sends missing from history: {acked_then_lost:?}"
        );
        for (id, r) in recalls.iter() {
            if r[0] == Outcome::Ok {
                let (_, m) = &server[id];
                assert!(
                    m.is_revoked(),
                    "acknowledged recall of {id} is not in history"
                );
            }
        }
        eprintln!(
            "history: {} messages, {} recalled; {} sends reported an error yet were stored",
            server.len(),
            server.values().filter(|(_, m)| m.is_revoked()).count(),
            erred_but_stored
        );

        // Every client converges on the server's state.
        for c in &self.clients {
            let mine = |conv: &Conv| conv.has(&c.user, &self.users);
            let want_new: BTreeSet<&str> = server
                .iter()
                .filter(|(_, (conv, m))| mine(conv) && m.data().sender != c.user)
                .map(|(id, _)| id.as_str())
                .collect();
            // Recalls the client requested itself are not reported to it; one whose call
            // failed (the answer was lost) may be either.
            let ambiguous = |id: &str| recalls.get(id).is_some_and(|r| r[0] != Outcome::Ok);
            let want_recalls: BTreeSet<&str> = server
                .iter()
                .filter(|(id, (conv, m))| {
                    mine(conv)
                        && m.data().revoked.is_some_and(|r| r.revoker != c.user)
                        && !ambiguous(id)
                })
                .map(|(id, _)| id.as_str())
                .collect();
            let deadline = Instant::now() + Duration::from_secs(60);
            while c.inbox.len() < want_new.len()
                || c.inbox
                    .recalls()
                    .iter()
                    .filter(|r| !ambiguous(&r.msg_id))
                    .count()
                    < want_recalls.len()
            {
                if Instant::now() > deadline {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            std::thread::sleep(Duration::from_millis(200));
            let got = c.inbox.wait_for(0);
            let mut seen = BTreeSet::new();
            for m in &got {
                assert!(
                    seen.insert(m.msg_id().to_owned()),
                    "{} received {} twice",
                    c.user,
                    m.msg_id()
                );
                let (_, truth) = server
                    .get(m.msg_id())
                    .unwrap_or_else(|| panic!("{} received {} not in history", c.user, m.msg_id()));
                assert_eq!(
                    m.is_revoked(),
                    truth.is_revoked(),
                    "{}: {}",
                    c.user,
                    m.msg_id()
                );
                assert_eq!(m.text(), truth.text(), "{}: {}", c.user, m.msg_id());
            }
            let seen: BTreeSet<&str> = seen.iter().map(String::as_str).collect();
            let missing: Vec<_> = want_new.difference(&seen).collect();
            assert!(missing.is_empty(), "{} never received {missing:?}", c.user);
            let mut told = BTreeSet::new();
            for r in c.inbox.recalls() {
                assert!(
                    told.insert(r.msg_id.clone()),
                    "{} told of recall {} twice",
                    c.user,
                    r.msg_id
                );
            }
            let told: BTreeSet<&str> = told
                .iter()
                .map(String::as_str)
                .filter(|id| !ambiguous(id))
                .collect();
            assert_eq!(told, want_recalls, "{}: recalls reported", c.user);
        }
        server.len()
    }
}
