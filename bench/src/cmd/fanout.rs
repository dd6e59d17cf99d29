//! `fanout`: an AVChatRoom with M online members (SDK instances in this process, each with
//! its own connection); the owner sends one message, then recalls it, R rounds. Per round:
//! the time from the call until the LAST member's callback ran, until the median one, and
//! until the owner's own completion (the server committed one event per member).
//!
//! All members' callbacks run on this process's one SDK event thread, one after another,
//! as they would not on M phones: the time to the last member includes M callback
//! dispatches here (see `v2tim-bench` C ABI numbers for their cost).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};
use serde_json::json;
use v2tim_bench::capi::{Client, Events};
use v2tim_bench::crowd::{self, Latch};
use v2tim_bench::report;

use super::cycle;

#[derive(clap::Args)]
pub struct Args {
    /// Online members besides the owner.
    #[arg(long, default_value_t = 1000)]
    members: usize,
    /// Send-and-recall rounds.
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Members added by invitation who never log in: a group larger than one machine's
    /// connections (a process here may hold about 20,000).
    #[arg(long, default_value_t = 0)]
    offline_members: usize,
}

/// Arrival times per message id, for new messages and for recalls.
#[derive(Default)]
struct Arrivals {
    seen: Mutex<HashMap<(bool, String), Vec<Instant>>>,
    cv: Condvar,
}

struct Member(Arc<Arrivals>);

impl Events for Member {
    fn new_message(&self, msg_id: &str, at: Instant) {
        self.0.record(false, msg_id, at)
    }
    fn revoked(&self, msg_id: &str, at: Instant) {
        self.0.record(true, msg_id, at)
    }
}

impl Arrivals {
    fn record(&self, recall: bool, msg_id: &str, at: Instant) {
        let mut seen = self.seen.lock();
        let v = seen.entry((recall, msg_id.to_owned())).or_default();
        v.push(at);
        self.cv.notify_all();
    }

    /// Waits until `n` members saw the event; returns their arrival times.
    fn wait(&self, recall: bool, msg_id: &str, n: usize, timeout: Duration) -> Vec<Instant> {
        let deadline = Instant::now() + timeout;
        let key = (recall, msg_id.to_owned());
        let mut seen = self.seen.lock();
        loop {
            let have = seen.get(&key).map_or(0, Vec::len);
            if have >= n || self.cv.wait_until(&mut seen, deadline).timed_out() {
                return seen.get(&key).cloned().unwrap_or_default();
            }
        }
    }
}

/// Last and median arrival after `t0`, ms; None if not everyone got it.
fn spread(t0: Instant, mut at: Vec<Instant>, n: usize) -> (Option<f64>, f64) {
    at.sort();
    let ms = |t: &Instant| (*t - t0).as_secs_f64() * 1e3;
    let median = at.get(at.len() / 2).map_or(f64::NAN, ms);
    let last = (at.len() >= n).then(|| at.last().map_or(f64::NAN, ms));
    (last, median)
}

pub fn run(ctx: &super::Ctx, a: Args) {
    let servers = ctx.servers("fanout");
    let mut owner = Client::new(Some(servers.url(0)));
    owner.login("f-owner").expect("owner login");
    let group = owner
        .create_group("AVChatRoom", "fan")
        .expect("create group");
    let arrivals = Arc::new(Arrivals::default());
    let users: Vec<String> = (0..a.members).map(|i| format!("f-m{i}")).collect();
    let started = Instant::now();
    // With several nodes, members are spread over them (the owner is on node 0).
    let nodes = servers.nodes.len();
    let mut members = Vec::with_capacity(users.len());
    for node in 0..nodes {
        let mine: Vec<String> = users.iter().skip(node).step_by(nodes).cloned().collect();
        members.extend(crowd::login_all(servers.url(node), &mine, |_| {
            Some(Arc::new(Member(arrivals.clone())) as Arc<dyn Events>)
        }));
    }
    let login_s = started.elapsed().as_secs_f64();
    let joined = Arc::new(Latch::default());
    for (i, m) in members.iter().enumerate() {
        // A bounded number of joins in flight, as for the logins.
        joined.wait_for(i.saturating_sub(64), Duration::from_secs(120));
        let j = joined.clone();
        m.join_group_async(&group, move |r| {
            r.expect("join");
            j.add(1);
        });
    }
    assert!(
        joined.wait_for(a.members, Duration::from_secs(300)),
        "joins"
    );
    let join_s = started.elapsed().as_secs_f64() - login_s;
    // Members who are not online: the group's size beyond what one machine can connect.
    let offline: Vec<String> = (0..a.offline_members).map(|i| format!("f-o{i}")).collect();
    for batch in offline.chunks(500) {
        owner.invite(&group, batch).expect("invite offline members");
    }
    eprintln!("{} members joined {group}", a.members);
    let rss_idle = servers.rss_kib();

    let mut rounds = Vec::new();
    for round in 0..a.rounds {
        // Quiet before each round, so rounds do not overlap.
        std::thread::sleep(Duration::from_millis(500));
        let msg = owner.create_text(&format!("fan-out {round}"));
        let id = msg.id();
        let acked = Arc::new(Mutex::new(None));
        let t0 = Instant::now();
        let ack = acked.clone();
        owner.send(&msg, "", &group, move |r| {
            r.expect("send");
            *ack.lock() = Some(Instant::now());
        });
        let got = arrivals.wait(false, &id, a.members, Duration::from_secs(120));
        let (send_last, send_median) = spread(t0, got, a.members);
        let send_ack = acked.lock().take().map(|t| (t - t0).as_secs_f64() * 1e3);
        let probes_before = servers.probes().len();
        let t2 = Instant::now();
        let ack = acked.clone();
        owner.revoke(&msg, move |r| {
            r.expect("recall");
            *ack.lock() = Some(Instant::now());
        });
        let got = arrivals.wait(true, &id, a.members, Duration::from_secs(120));
        let (recall_last, recall_median) = spread(t2, got, a.members);
        let recall_ack = acked.lock().take().map(|t| (t - t2).as_secs_f64() * 1e3);
        // The server's own time for the recall: commit to last frame written (the slowest
        // node's, with several), once the last probe has been logged.
        std::thread::sleep(Duration::from_millis(300));
        let recall_probes: Vec<_> = servers.probes().into_iter().skip(probes_before).collect();
        let in_server = recall_probes
            .iter()
            .map(|p| p.written_ms)
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
        let in_server_queued = recall_probes
            .iter()
            .map(|p| p.queued_ms)
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
        let frames: u64 = recall_probes.iter().map(|p| p.frames).sum();
        println!(
            "round {round}: send last {} ms (median {send_median:.1}, owner's ack {}), \
             recall last {} ms (median {recall_median:.1}, owner's ack {}); in the server: \
             commit to last frame queued {} ms, written {} ms ({frames} frames)",
            fmt(send_last),
            fmt(send_ack),
            fmt(recall_last),
            fmt(recall_ack),
            fmt(in_server_queued),
            fmt(in_server)
        );
        rounds.push(json!({
            "send_last_ms": send_last, "send_median_ms": send_median, "send_ack_ms": send_ack,
            "recall_last_ms": recall_last, "recall_median_ms": recall_median,
            "recall_ack_ms": recall_ack,
            "recall_in_server_queued_ms": in_server_queued,
            "recall_in_server_written_ms": in_server,
            "recall_in_server_frames": frames,
        }));
    }
    let best = |key: &str| {
        let mut v: Vec<f64> = rounds.iter().filter_map(|r| r[key].as_f64()).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied()
    };
    println!(
        "v2tim fanout members={}: median over rounds: send last {} ms, recall last {} ms, \
         recall in the server (commit to last frame written) {} ms",
        a.members,
        fmt(best("send_last_ms")),
        fmt(best("recall_last_ms")),
        fmt(best("recall_in_server_written_ms"))
    );
    let v = json!({
        "system": "v2tim",
        "version": cycle::version(),
        "workload": "fanout",
        "members": a.members,
        "offline_members": a.offline_members,
        "rounds": rounds,
        "median_send_last_ms": best("send_last_ms"),
        "median_recall_last_ms": best("recall_last_ms"),
        "median_recall_in_server_written_ms": best("recall_in_server_written_ms"),
        "login_s": login_s,
        "join_s": join_s,
        "server_rss_kib_idle": rss_idle,
        "backend": ctx.backend.describe(),
        "nodes": nodes,
        "notes": "AVChatRoom, every member online with its own SDK instance and connection, \
                  all in the benchmark process: their callbacks run one by one on its one \
                  SDK event thread.",
    });
    let name = match a.offline_members {
        0 => format!("fanout-{}", a.members),
        k => format!("fanout-{}-of-{}", a.members, a.members + k),
    };
    report::write(&ctx.out, &ctx.result_name(&name), v);
    drop(members);
    servers.stop();
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("(not all)".into(), |v| format!("{v:.1}"))
}
