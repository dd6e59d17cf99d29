//! Crash durability under load: SDK clients send (C2C and in a group) and recall while the
//! real `v2tim-server` binary is killed with SIGKILL at random moments and restarted on the
//! same data directory and address. Afterwards every acknowledged message and recall is in
//! the server's history, every call completed exactly once, and every client holds exactly
//! the server's state (see `common::chaos`).
//!
//! Short by default (20 kills); `scripts/crash-loop.sh` runs the long version through
//! `V2TIM_CRASH_KILLS` and `V2TIM_CRASH_SEED`. The seed is printed; a failure replays with it
//! (the kill moments replay exactly, the interleaving with the OS scheduler does not).

mod common;

use std::time::{Duration, Instant};

use common::chaos::*;
use common::*;

#[test]
fn sigkill_at_random_moments_loses_nothing_acknowledged_and_clients_converge() {
    let seed = seed_from_env("V2TIM_CRASH_SEED");
    let kills = env_num("V2TIM_CRASH_KILLS", 20);
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap();
    let mut srv = ServerProcess::start(dir.path(), "127.0.0.1:0");
    let addr = srv.addr.clone();
    let url = srv.url();
    let w = Workload::setup(4, "crash", |_| url.clone());
    let started = Instant::now();
    let workers = w.start(seed, 4);
    for k in 0..kills {
        std::thread::sleep(rng.millis(100, 700));
        srv.kill9();
        std::thread::sleep(rng.millis(0, 300));
        srv = ServerProcess::start(dir.path(), &addr);
        if (k + 1) % 10 == 0 {
            eprintln!(
                "{} kills, {:.1?}: {}",
                k + 1,
                started.elapsed(),
                w.ledger.summary()
            );
        }
    }
    std::thread::sleep(Duration::from_millis(500));
    w.stop_and_drain(workers);
    // One more kill after the last acknowledgement: everything acknowledged is on disk.
    srv.kill9();
    let srv = ServerProcess::start(dir.path(), &addr);
    w.wait_connected();
    let stored = w.verify(&srv.url());
    eprintln!(
        "seed {seed}: {kills} kills + 1 in {:.1?}; {stored} messages in history; {}",
        started.elapsed(),
        w.ledger.summary()
    );
    assert!(w.ledger.acked_sends() > 0 && w.ledger.acked_recalls() > 0);
}
