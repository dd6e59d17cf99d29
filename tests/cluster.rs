//! A cluster: three `v2tim-server` processes on one PostgreSQL database, told of each
//! other's commits by a NATS server, with real SDK instances logged in on different nodes
//! (SPEC §4.1, docs/SCALING.md §3). Messages and recalls cross nodes; a device offline
//! while things happen catches up on another node; a node SIGKILLed under load and the
//! broker restarted under load lose nothing acknowledged, and every client still gets
//! every message and recall exactly once.
//!
//! Needs the database `V2TIM_CLUSTER_POSTGRES` names (scripts/test.sh starts one with
//! scripts/services.sh) and `nats-server` (Debian's nats-server package), which each test
//! starts on a loopback port of its own.

mod common;
mod native;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::chaos::*;
use common::*;
use v2tim::core::{Manager, SdkConfig};

/// A `nats-server` on 127.0.0.1 that a test stops and starts again on the same port.
struct Nats {
    port: u16,
    child: Option<Child>,
}

impl Nats {
    fn start() -> Nats {
        let port = free_port();
        let mut nats = Nats { port, child: None };
        nats.up();
        nats
    }

    fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    fn up(&mut self) {
        let child = Command::new(nats_binary())
            .args(["-a", "127.0.0.1", "-p", &self.port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nats-server");
        self.child = Some(child);
        let deadline = Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "nats-server did not listen");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Where Debian's nats-server package puts the binary (not on every user's PATH).
const DEBIAN_NATS: &str = "/usr/sbin/nats-server";

fn nats_binary() -> &'static str {
    if native::have("nats-server") {
        "nats-server"
    } else {
        DEBIAN_NATS
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The test database's URL for a schema of its own (every node of the test names it), or
/// `None` when the services are missing (a failure under CI).
fn cluster_database(name: &str) -> Option<String> {
    let base = std::env::var("V2TIM_CLUSTER_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty());
    let Some(base) = base else {
        native::missing(
            "V2TIM_CLUSTER_POSTGRES is not set (scripts/test.sh starts PostgreSQL with scripts/services.sh)",
            "postgresql",
        );
        return None;
    };
    if !Path::new(DEBIAN_NATS).exists() && !native::require("nats-server", "nats-server") {
        return None;
    }
    let schema = format!("cluster_{name}_{}", std::process::id());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("V2TIM_CLUSTER_POSTGRES={base}: {e}"));
        let conn = tokio::spawn(conn);
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .await
            .unwrap();
        drop(client);
        let _ = conn.await;
    });
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{sep}options=-csearch_path%3D{schema}"))
}

struct Cluster {
    db: String,
    nats: Nats,
    nodes: Vec<Option<ServerProcess>>,
    addrs: Vec<String>,
}

impl Cluster {
    fn start(name: &str, n: usize) -> Option<Cluster> {
        let db = cluster_database(name)?;
        let nats = Nats::start();
        let mut cluster = Cluster {
            db,
            nats,
            nodes: Vec::new(),
            addrs: Vec::new(),
        };
        for i in 0..n {
            let node = ServerProcess::start_node(
                "127.0.0.1:0",
                &cluster.db,
                &cluster.nats.url(),
                &format!("n{i}"),
            );
            cluster.addrs.push(node.addr.clone());
            cluster.nodes.push(Some(node));
        }
        Some(cluster)
    }

    /// Node `i`'s URL.
    fn url(&self, i: usize) -> String {
        format!("ws://{}", self.addrs[i])
    }

    /// Every node, node `i` first: a client's `server_url` (it moves on when one fails).
    fn urls_from(&self, i: usize) -> String {
        (0..self.addrs.len())
            .map(|k| self.url((i + k) % self.addrs.len()))
            .collect::<Vec<_>>()
            .join(",")
    }

    fn kill9(&mut self, i: usize) {
        if let Some(node) = self.nodes[i].take() {
            node.kill9();
        }
    }

    /// Starts node `i` again on its address.
    fn restart(&mut self, i: usize) {
        let node =
            ServerProcess::start_node(&self.addrs[i], &self.db, &self.nats.url(), &format!("n{i}"));
        self.nodes[i] = Some(node);
    }
}

#[test]
fn messages_and_recalls_cross_nodes_and_an_offline_device_catches_up_on_another() {
    let Some(cluster) = Cluster::start("cross", 3) else {
        return;
    };
    let alice = login(&cluster.url(0), "alice");
    let bob = login(&cluster.url(1), "bob");
    let carol = login(&cluster.url(2), "carol");
    let (bob_in, carol_in) = (Inbox::attach(&bob), Inbox::attach(&carol));

    // C2C, node 0 -> node 1, and its recall.
    let m = send_text(&alice, "bob", "", "hello from node 0").unwrap();
    assert_eq!(bob_in.wait_for(1)[0].text(), "hello from node 0");
    revoke(&alice, &m, "typo").unwrap();
    let r = bob_in.wait_recalls(1);
    assert_eq!(r[0].msg_id, m.msg_id());

    // A group spread over the three nodes: sent on node 1, recalled there, seen on 0 and 2.
    wait(|d| carol.create_group("Work", "team", "team", d)).unwrap();
    wait(|d| carol.invite_user_to_group("team", vec!["alice".into(), "bob".into()], d)).unwrap();
    let alice_in = Inbox::attach(&alice);
    let g = send_text(&bob, "", "team", "to the team").unwrap();
    assert_eq!(alice_in.wait_for(1)[0].text(), "to the team");
    assert_eq!(carol_in.wait_for(1)[0].text(), "to the team");
    revoke(&bob, &g, "").unwrap();
    assert_eq!(alice_in.wait_recalls(1)[0].msg_id, g.msg_id());
    assert_eq!(carol_in.wait_recalls(1)[0].msg_id, g.msg_id());

    // Bob's device goes offline (from node 1); while it is away, alice sends two and
    // recalls one on node 0. It comes back on node 2 with its cursor (its data dir) and
    // catches up: the message pushed, the recalled one only a tombstone in history.
    let dir = tempfile::tempdir().unwrap();
    let phone = device(&cluster.url(1), "bob", dir.path());
    let phone_in = Inbox::attach(&phone);
    let before = send_text(&alice, "bob", "", "before").unwrap();
    assert_eq!(phone_in.wait_for(1)[0].msg_id(), before.msg_id());
    wait(|d| phone.logout(d)).unwrap();
    phone.uninit_sdk();
    let kept = send_text(&alice, "bob", "", "while you were away").unwrap();
    let gone = send_text(&alice, "bob", "", "SECRET-AWAY-1").unwrap();
    revoke(&alice, &gone, "").unwrap();
    let phone = Manager::new();
    let phone_in = Inbox::attach(&phone);
    sign_in(&phone, &cluster.url(2), "bob", dir.path());
    let got = phone_in.wait_for(1);
    assert_eq!(got[0].msg_id(), kept.msg_id(), "{:?}", phone_in.texts());
    assert!(
        !phone_in.texts().iter().any(|t| t.contains("SECRET-AWAY")),
        "{:?}",
        phone_in.texts()
    );
    let history = wait(|d| phone.get_c2c_history_message_list("alice", 10, None, d)).unwrap();
    let tomb = history
        .iter()
        .find(|h| h.msg_id() == gone.msg_id())
        .expect("the recalled message's tombstone");
    assert!(tomb.is_revoked());
    assert_eq!(tomb.text(), "");
    drop((bob, carol));
}

/// The conversation list across nodes: bob's two devices on two nodes follow alice's
/// messages and recall of the last one from a third, and a read on one device reaches the
/// other through the broker.
#[test]
fn conversation_lists_and_read_positions_cross_nodes() {
    let Some(cluster) = Cluster::start("conv", 3) else {
        return;
    };
    let alice = login(&cluster.url(0), "alice");
    let bob = login(&cluster.url(1), "bob");
    let bob2 = login(&cluster.url(2), "bob");
    let unread = |m: &Manager| {
        wait(|d| m.get_conversation("c2c_alice", d))
            .map(|c| c.unread_count)
            .unwrap_or(u64::MAX)
    };
    let eventually = |m: &Manager, n: u64, what: &str| {
        let deadline = Instant::now() + WAIT;
        while unread(m) != n {
            assert!(Instant::now() < deadline, "{what}: unread {}", unread(m));
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    for m in [&bob, &bob2] {
        assert!(wait(|d| m.get_conversation_list(0, 100, d))
            .unwrap()
            .0
            .is_empty());
    }
    send_text(&alice, "bob", "", "one").unwrap();
    let two = send_text(&alice, "bob", "", "two").unwrap();
    eventually(&bob, 2, "node 1 follows");
    eventually(&bob2, 2, "node 2 follows");
    revoke(&alice, &two, "").unwrap();
    eventually(&bob, 1, "the recall lowers unread on node 1");
    eventually(&bob2, 1, "the recall lowers unread on node 2");
    let last = wait(|d| bob2.get_conversation("c2c_alice", d))
        .unwrap()
        .last_message
        .unwrap();
    assert!(last.is_revoked());
    wait(|d| bob.clean_conversation_unread_message_count("c2c_alice", 0, 0, d)).unwrap();
    eventually(&bob2, 0, "the read on node 1 reaches node 2");
    assert_eq!(wait(|d| bob2.get_total_unread_message_count(d)).unwrap(), 0);
}

/// Online-only messages cross nodes through the broker: bob's devices on two other nodes
/// and alice's second device get it; nothing is stored, so no node's history has it.
#[test]
fn online_only_messages_reach_devices_on_other_nodes_and_are_never_stored() {
    let Some(cluster) = Cluster::start("online", 3) else {
        return;
    };
    let alice = login(&cluster.url(0), "alice");
    let alice2 = login(&cluster.url(2), "alice");
    let bob = login(&cluster.url(1), "bob");
    let bob2 = login(&cluster.url(2), "bob");
    let inboxes = [
        Inbox::attach(&bob),
        Inbox::attach(&bob2),
        Inbox::attach(&alice2),
    ];
    let typing = alice.create_text_message("typing...").unwrap();
    let sent = wait(|d| alice.send_message_with(&typing, "bob", "", 0, true, d)).unwrap();
    assert_eq!(sent.with(|d| d.seq), 0);
    for inbox in &inboxes {
        let got = inbox.wait_for(1);
        assert_eq!(got[0].msg_id(), typing.msg_id());
        assert_eq!(got[0].text(), "typing...");
    }
    for m in [&bob, &bob2] {
        let history = wait(|d| m.get_c2c_history_message_list("alice", 10, None, d)).unwrap();
        assert!(history.is_empty(), "{} stored", history.len());
    }
    // A stored one after it is the only other message anyone gets.
    send_text(&alice, "bob", "", "stored").unwrap();
    for inbox in &inboxes {
        assert_eq!(inbox.wait_for(2)[1].text(), "stored");
    }
}

/// A device of `user` on `url` whose SDK keeps its state (the sync cursor) in `dir`.
fn device(url: &str, user: &str, dir: &std::path::Path) -> Manager {
    let m = Manager::new();
    sign_in(&m, url, user, dir);
    m
}

fn sign_in(m: &Manager, url: &str, user: &str, dir: &std::path::Path) {
    let config = SdkConfig {
        server_url: Some(url.to_owned()),
        data_dir: Some(dir.to_path_buf()),
        ..SdkConfig::default()
    };
    m.init_sdk(APP, config).expect("init");
    wait(|d| m.login(user, &sig(user), d)).unwrap_or_else(|e| panic!("login {user}: {e}"));
}

/// Six SDK clients, two per node, each listing every node (its own first), send and
/// recall C2C and in a group while node 0 is SIGKILLed (its clients move to the next
/// node) and started again, and then the broker is killed and restarted. Afterwards:
/// every acknowledged message and recall is in history, and every client received every
/// message and recall of its conversations exactly once (`common::chaos`).
#[test]
fn a_node_sigkilled_and_the_broker_restarted_under_load_lose_nothing() {
    let Some(mut cluster) = Cluster::start("chaos", 3) else {
        return;
    };
    let seed = seed_from_env("V2TIM_CLUSTER_SEED");
    let urls: Vec<String> = (0..3).map(|i| cluster.urls_from(i)).collect();
    let w = Workload::setup(6, "cl", |i| urls[i % 3].clone());
    let workers = w.start(seed, 4);
    std::thread::sleep(Duration::from_millis(1500));
    cluster.kill9(0);
    std::thread::sleep(Duration::from_millis(1500));
    cluster.restart(0);
    std::thread::sleep(Duration::from_millis(1000));
    cluster.nats.kill9();
    std::thread::sleep(Duration::from_millis(1500));
    cluster.nats.up();
    std::thread::sleep(Duration::from_millis(1500));
    w.stop_and_drain(workers);
    w.wait_connected();
    let stored = w.verify(&cluster.url(1));
    eprintln!(
        "seed {seed}: {stored} messages in history; {}",
        w.ledger.summary()
    );
    assert!(w.ledger.acked_sends() > 0 && w.ledger.acked_recalls() > 0);
}

/// The network-fault workload of `tests/network_faults.rs` against the cluster: every
/// node behind a proxy of its own, two clients per proxy, and random faults on random
/// proxies (connections cut either way mid-stream, outages, answers swallowed then cut).
/// Afterwards the same checks: nothing acknowledged lost, every client got each message
/// and recall of its conversations exactly once.
#[test]
fn random_network_faults_between_clients_and_nodes_lose_nothing() {
    let Some(cluster) = Cluster::start("net", 3) else {
        return;
    };
    let seed = seed_from_env("V2TIM_CLUSTER_NET_SEED");
    let faults = env_num("V2TIM_CLUSTER_NET_FAULTS", 24);
    let mut rng = Rng::new(seed);
    let proxies: Vec<Proxy> = (0..3).map(|i| Proxy::start(&cluster.url(i))).collect();
    let w = Workload::setup(6, "cn", |i| proxies[i % 3].url.clone());
    let workers = w.start(seed, 4);
    for _ in 0..faults {
        std::thread::sleep(rng.millis(50, 400));
        let proxy = &proxies[rng.below(3) as usize];
        inject_fault(&mut rng, proxy);
    }
    std::thread::sleep(Duration::from_millis(500));
    w.stop_and_drain(workers);
    w.wait_connected();
    let stored = w.verify(&cluster.url(2));
    eprintln!(
        "seed {seed}: {faults} faults; {stored} messages in history; {}",
        w.ledger.summary()
    );
    assert!(w.ledger.acked_sends() > 0 && w.ledger.acked_recalls() > 0);
}
