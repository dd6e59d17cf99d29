//! History: `v2tim_get_c2c_history_message_list` of 20 from a one-to-one conversation of
//! 1,000,000 messages, cold and warm.
//!
//! Cold means a server process started just before the call (no server-side cache can help)
//! with the database evicted from the OS page cache where the kernel lets us, and a client
//! that has just logged in. Warm means the same call again and again on that server and
//! client. Seeding goes through the real protocol and takes minutes, so the seeded database
//! is kept (`<data>/history-<N>`) and reused until `--reseed`.
//!
//! `--while-writing` measures the same reads while other users keep the server writing
//! (the `throughput` send load, `--writers` senders with `--writer-window` sends in flight),
//! started on each new server before its client logs in.

use std::ffi::{c_char, c_void, CStr, CString};
use std::os::fd::AsRawFd;
use std::path::Path;
use std::ptr;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use serde_json::json;
use v2tim::ffi::*;
use v2tim_bench::capi::{CError, Client};
use v2tim_bench::crowd::{self, Latch};
use v2tim_bench::load::{Rate, Writers};
use v2tim_bench::report;
use v2tim_bench::server::ServerProcess;
use v2tim_bench::stats::Samples;

/// The two ends of the conversation.
const A: &str = "hist-a";
const B: &str = "hist-b";

/// Written next to the database once seeding finished; its absence means "seed again".
const MARKER: &str = "seeded.json";

/// How long one history call or one stalled stretch of seeding may take before we give up.
const WAIT: Duration = Duration::from_secs(120);

#[derive(clap::Args)]
pub struct Args {
    /// Messages in the conversation.
    #[arg(long, default_value_t = 1_000_000)]
    messages: u64,
    /// Messages per page.
    #[arg(long, default_value_t = 20)]
    count: i32,
    /// Cold reads, each on a newly started server with a new client.
    #[arg(long, default_value_t = 5)]
    cold: usize,
    /// Warm reads, one after another, on the last cold run's server and client.
    #[arg(long, default_value_t = 200)]
    warm: usize,
    /// Seeding clients: devices of the two users in turn, each sending to the other user.
    #[arg(long, default_value_t = 2)]
    senders: usize,
    /// Sends each seeding client keeps queued in its SDK (which puts 32 of them on the wire).
    #[arg(long, default_value_t = 256)]
    window: usize,
    /// Seed again even if a database with this many messages is there.
    #[arg(long)]
    reseed: bool,
    /// Read while other users' sends keep the server writing (each cold run's server gets
    /// its writers before the reading client logs in; the warm reads run on the last one's).
    #[arg(long)]
    while_writing: bool,
    /// Background senders with --while-writing (each to its own online receiver).
    #[arg(long, default_value_t = 10)]
    writers: usize,
    /// Sends each background sender keeps in flight.
    #[arg(long, default_value_t = 32)]
    writer_window: usize,
}

/// How long the background writers run on a new server before the first read.
const WRITE_FIRST: Duration = Duration::from_secs(2);

/// Starts the background writers on `server` if asked to, and lets them get going.
fn start_writers(server: &ServerProcess, args: &Args, run: usize) -> Option<Writers> {
    if !args.while_writing {
        return None;
    }
    let w = Writers::start(
        &server.url,
        &format!("hw{run}"),
        args.writers,
        args.writer_window,
    );
    std::thread::sleep(WRITE_FIRST);
    Some(w)
}

/// What seeding left behind, kept in the marker file so a reused database still reports it.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Seeded {
    messages: u64,
    /// The message sent alone after all others: the conversation's newest.
    last_msg_id: String,
    last_text: String,
    seconds: f64,
    msgs_per_s: f64,
    senders: usize,
    window: usize,
    loadavg_after: String,
    /// This process's VmRSS before and after seeding (the SDK instances' growth), if known.
    #[serde(default)]
    bench_rss_kib: Option<(u64, u64)>,
}

pub fn run(ctx: &super::Ctx, args: Args) {
    assert!(args.messages >= 2, "--messages must be at least 2");
    assert!(
        (1..=20).contains(&args.senders),
        "--senders: 1..=20 (10 devices per user)"
    );
    let load_before = report::loadavg();
    let dir = ctx.data.join(format!("history-{}", args.messages));
    let reused = if args.reseed {
        None
    } else {
        read_marker(&dir, args.messages)
    };
    let seed_reused = reused.is_some();
    let seeded = match reused {
        Some(s) => {
            println!(
                "reusing {} ({} messages, seeded at {:.0} msgs/s)",
                dir.display(),
                s.messages,
                s.msgs_per_s
            );
            s
        }
        None => seed(&dir, &args),
    };
    let db_bytes = dir_bytes(&dir);

    let mut cold = Samples::default();
    let mut cold_ms = Vec::new();
    let mut cold_next_pages_ms = Vec::new();
    let mut starts_ms = Vec::new();
    let mut logins_ms = Vec::new();
    let mut evictions = Vec::new();
    let mut write_rates: Vec<Rate> = Vec::new();
    let mut last: Option<(Client, Option<Writers>, ServerProcess)> = None;
    for i in 0..args.cold.max(1) {
        // The previous run's server must be gone before its files are evicted.
        if let Some((client, writers, server)) = last.take() {
            drop(client);
            write_rates.extend(writers.map(Writers::stop));
            drop(server);
        }
        let eviction = evict(&dir);
        let t = Instant::now();
        let server = ServerProcess::start(&dir);
        starts_ms.push(ms(t.elapsed()));
        let writers = start_writers(&server, &args, i);
        let mut client = Client::new(Some(&server.url));
        let t = Instant::now();
        client.login(A).unwrap_or_else(|e| panic!("login {A}: {e}"));
        logins_ms.push(ms(t.elapsed()));
        let (page, took) = timed_page(&client, args.count, None);
        check_newest(&page, &seeded, args.count);
        cold.push(took);
        cold_ms.push(ms(took));
        // The next pages: the index path is in memory now, the rows further back are not.
        let mut next = Vec::new();
        let mut prev = page;
        for _ in 0..5 {
            let (p, took) = timed_page(&client, args.count, prev.last.as_ref());
            check_follows(&p, &prev, args.count);
            next.push(ms(took));
            prev = p;
        }
        println!(
            "cold {}: server start {:.0} ms, login {:.0} ms, newest {} in {:.2} ms, next 5 pages {:?} ms, page cache before/after eviction {}/{} KiB",
            i + 1,
            starts_ms[i],
            logins_ms[i],
            args.count,
            ms(took),
            next.iter().map(|v| round2(*v)).collect::<Vec<_>>(),
            eviction.resident_before_kib,
            eviction.resident_after_kib,
        );
        cold_next_pages_ms.push(next);
        evictions.push(eviction);
        last = Some((client, writers, server));
    }
    let (client, writers, server) = last.take().expect("at least one cold run");
    let rss_after_cold = server.rss_kib();

    let warm_started = (Instant::now(), writers.as_ref().map_or(0, Writers::acks));
    let mut warm = Samples::default();
    for _ in 0..args.warm {
        let (page, took) = timed_page(&client, args.count, None);
        check_newest(&page, &seeded, args.count);
        warm.push(took);
    }
    // Five pages in: what "load earlier messages" costs once the user scrolled a bit.
    let mut anchor = timed_page(&client, args.count, None).0;
    for _ in 0..4 {
        let p = timed_page(&client, args.count, anchor.last.as_ref()).0;
        check_follows(&p, &anchor, args.count);
        anchor = p;
    }
    let mut deep = Samples::default();
    let mut deep_first_seq = 0;
    for _ in 0..args.warm {
        let (p, took) = timed_page(&client, args.count, anchor.last.as_ref());
        check_follows(&p, &anchor, args.count);
        deep_first_seq = p.items[0].seq;
        deep.push(took);
    }
    let rss_after_warm = server.rss_kib();
    // The writers' rate while the warm reads ran (the cold runs' is in write_rates).
    let warm_writes_per_s = writers
        .as_ref()
        .map(|w| (w.acks() - warm_started.1) as f64 / warm_started.0.elapsed().as_secs_f64());
    drop(client);
    write_rates.extend(writers.map(Writers::stop));
    server.stop();

    let warm_sum = warm.summary();
    let deep_sum = deep.summary();
    let cold_sum = cold.summary();
    let evict_worked = evictions
        .iter()
        .all(|e| e.resident_before_kib == 0 || e.resident_after_kib * 10 < e.resident_before_kib);
    let notes = format!(
        "One C2C conversation {A} <-> {B} of {n} messages seeded through the C ABI by {s} \
         client(s) (devices of both users sending to each other, {w} sends queued per client, \
         the SDK keeps 32 on the wire) against v2tim-server with durable storage (SQLite WAL, \
         synchronous=FULL, group commit); the last message is sent alone so it is the newest. \
         Seeding rate = messages / wall time including the server's fsyncs{reuse}. Cold: \
         server process SIGKILLed and started again on the same data dir, db files fdatasync'd \
         and posix_fadvise(DONTNEED)'d first (page-cache residency measured with mincore: \
         {evict}), new SDK instance logged in as {A}, then one \
         v2tim_get_c2c_history_message_list(peer={B}, count={c}, last_msg=NULL) timed from \
         the call to on_success; the next 5 pages (last_msg = previous page's last) follow. \
         Warm: the same call repeated sequentially on the last cold run's server/client; \
         warm_deep_ms: the page 5 pages in (last_msg = last message of page 5, newest seq \
         {deep_first_seq}). Each result checked: {c} messages, seqs consecutive and \
         descending, newest seq = {n} and its id/text = the last message seeded. History \
         reads run on the server's read-only WAL connections (server/src/store/sqlite/\
         reader.rs), beside the writer, over the messages table clustered by (app, \
         conv_key, seq). {writing} Loopback only; 2 shared cores, \
         loadavg before {load_before}.",
        n = args.messages,
        s = seeded.senders,
        w = seeded.window,
        c = args.count,
        reuse = if seed_reused {
            " (database reused from an earlier run; rate from its marker file)"
        } else {
            ""
        },
        writing = if args.while_writing {
            format!(
                "While writing: {w} other senders, each to its own online receiver, kept \
                 {k} durable sends in flight on every server from {f:?} before its reading \
                 client logged in until the reads ended (background_writes).",
                w = args.writers,
                k = args.writer_window,
                f = WRITE_FIRST,
            )
        } else {
            "Nothing else ran against the server.".to_owned()
        },
        evict = if evict_worked {
            "eviction worked"
        } else {
            "eviction did NOT (fully) work, see page_cache"
        },
    );
    let writing = match warm_writes_per_s {
        Some(r) => format!(
            " while {} senders wrote ({:.0} sends/s during the warm reads, {:?} per cold run)",
            args.writers,
            r,
            write_rates
                .iter()
                .map(|w| w.per_s.round())
                .collect::<Vec<_>>()
        ),
        None => String::new(),
    };
    println!(
        "history of {} ({:.0} MB on disk){writing}: seeded at {:.0} msgs/s; cold {:?} ms (p50 {:.2}); warm p50 {:.3} p99 {:.3} ms; 5 pages in p50 {:.3} p99 {:.3} ms",
        args.messages,
        db_bytes as f64 / 1e6,
        seeded.msgs_per_s,
        cold_ms.iter().map(|v| round2(*v)).collect::<Vec<_>>(),
        cold_sum.p50,
        warm_sum.p50,
        warm_sum.p99,
        deep_sum.p50,
        deep_sum.p99,
    );
    let name = if args.while_writing {
        "history-while-writing"
    } else {
        "history"
    };
    report::write(
        ctx.out(),
        name,
        json!({
            "workload": name,
            "messages": args.messages,
            "count": args.count,
            "seed_msgs_per_s": seeded.msgs_per_s,
            "seed": seeded,
            "seed_reused": seed_reused,
            "db_bytes": db_bytes,
            "cold_ms": cold_ms,
            "cold_summary": cold_sum,
            "cold_next_pages_ms": cold_next_pages_ms,
            "cold_server_start_ms": starts_ms,
            "cold_login_ms": logins_ms,
            "page_cache": {
                "method": "fdatasync + posix_fadvise(POSIX_FADV_DONTNEED) on every file of the data dir, residency by mincore",
                "worked": evict_worked,
                "runs": evictions,
            },
            "warm_ms": warm_sum,
            "warm_cdf_ms": warm.cdf(),
            "warm_deep_ms": deep_sum,
            "server_rss_kib": {"after_cold": rss_after_cold, "after_warm": rss_after_warm},
            "loadavg_before": load_before,
            "background_writes": args.while_writing.then(|| json!({
                "writers": args.writers,
                "window": args.writer_window,
                "runs": write_rates,
                "during_warm_per_s": warm_writes_per_s,
            })),
            "notes": notes,
        }),
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn read_marker(dir: &Path, messages: u64) -> Option<Seeded> {
    let text = std::fs::read_to_string(dir.join(MARKER)).ok()?;
    let s: Seeded = serde_json::from_str(&text).ok()?;
    (s.messages == messages).then_some(s)
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Fills a fresh database with `args.messages` messages between A and B.
fn seed(dir: &Path, args: &Args) -> Seeded {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("data dir");
    let server = ServerProcess::start(dir);
    if args.senders == 1 {
        // B never sends, but must exist to be sent to.
        let mut b = Client::new(Some(&server.url));
        b.login(B).unwrap_or_else(|e| panic!("login {B}: {e}"));
    }
    let users: Vec<String> = (0..args.senders)
        .map(|i| if i % 2 == 0 { A } else { B }.to_owned())
        .collect();
    let clients = crowd::login_all(&server.url, &users, |_| None);

    let rss_before = report::rss_kib(std::process::id());
    let bulk = args.messages - 1;
    let done = Arc::new(Latch::default());
    let failure: Arc<Mutex<Option<CError>>> = Arc::default();
    println!(
        "seeding {} messages with {} client(s), {} queued each ...",
        args.messages, args.senders, args.window
    );
    let t0 = Instant::now();
    std::thread::scope(|s| {
        for (i, c) in clients.iter().enumerate() {
            let (done, failure) = (done.clone(), failure.clone());
            let (senders, window) = (args.senders as u64, args.window);
            s.spawn(move || {
                let peer = if c.user() == A { B } else { A };
                let mine = Arc::new(Latch::default());
                for (sent, k) in (i as u64..bulk).step_by(senders as usize).enumerate() {
                    if sent >= window && !mine.wait_for(sent + 1 - window, WAIT) {
                        failure.lock().get_or_insert(CError {
                            code: -1,
                            desc: format!("no send completed within {WAIT:?}"),
                        });
                    }
                    if failure.lock().is_some() {
                        return;
                    }
                    let (d, m, f) = (done.clone(), mine.clone(), failure.clone());
                    // Dropped at once: the SDK keeps its own reference until the callback.
                    let _ = c.send_text(
                        peer,
                        "",
                        &format!("history seed {k} of {senders}"),
                        move |r| {
                            if let Err(e) = r {
                                f.lock().get_or_insert(e);
                            }
                            m.add(1);
                            d.add(1);
                        },
                    );
                }
            });
        }
        let mut last = (Instant::now(), 0);
        loop {
            if done.wait_for(bulk as usize, Duration::from_secs(15)) {
                break;
            }
            if let Some(e) = failure.lock().as_ref() {
                panic!("seeding failed: {e}");
            }
            let n = done.get();
            println!(
                "  {n} sent, {:.0} msgs/s lately, {:.0} s in",
                (n - last.1) as f64 / last.0.elapsed().as_secs_f64(),
                t0.elapsed().as_secs_f64()
            );
            if n == last.1 && last.0.elapsed() > WAIT {
                panic!("seeding stalled at {n}");
            }
            if n != last.1 {
                last = (Instant::now(), n);
            }
        }
    });
    if let Some(e) = failure.lock().take() {
        panic!("seeding failed: {e}");
    }
    let text = format!("history last of {}", args.messages);
    let (tx, rx) = mpsc::channel();
    let msg = clients[0].send_text(B, "", &text, move |r| {
        let _ = tx.send(r);
    });
    rx.recv_timeout(WAIT)
        .expect("last message: no answer")
        .unwrap_or_else(|e| panic!("last message: {e}"));
    let seconds = t0.elapsed().as_secs_f64();
    let seeded = Seeded {
        messages: args.messages,
        last_msg_id: msg.id(),
        last_text: text,
        seconds,
        msgs_per_s: args.messages as f64 / seconds,
        senders: args.senders,
        window: args.window,
        loadavg_after: report::loadavg(),
        bench_rss_kib: Some((rss_before, report::rss_kib(std::process::id()))),
    };
    drop(msg);
    drop(clients);
    server.stop();
    std::fs::write(
        dir.join(MARKER),
        serde_json::to_string_pretty(&seeded).expect("json"),
    )
    .expect("marker");
    println!(
        "seeded {} messages in {:.1} s: {:.0} msgs/s; this process's VmRSS {:?} KiB before/after",
        args.messages, seconds, seeded.msgs_per_s, seeded.bench_rss_kib
    );
    seeded
}

/// One message of a page, copied out of the callback.
struct Item {
    id: String,
    seq: u64,
    text: String,
}

/// A message handle of our own (`v2tim_message_retain`), to page from.
struct Held(*mut V2TIMMessage);
unsafe impl Send for Held {}

impl Drop for Held {
    fn drop(&mut self) {
        unsafe { v2tim_message_release(self.0) }
    }
}

struct Page {
    /// When `on_success` started: the end of the timed span.
    at: Instant,
    items: Vec<Item>,
    last: Option<Held>,
}

type Reply = mpsc::Sender<Result<Page, CError>>;

unsafe fn cstr(p: *const c_char) -> String {
    if p.is_null() {
        String::new()
    } else {
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

unsafe extern "C" fn list_ok(ud: *mut c_void, list: *const V2TIMMessageList) {
    let at = Instant::now();
    let tx = Box::from_raw(ud as *mut Reply);
    let n = v2tim_message_list_size(list);
    let items = (0..n)
        .map(|i| {
            let m = v2tim_message_list_get(list, i);
            Item {
                id: cstr(v2tim_message_get_msg_id(m)),
                seq: v2tim_message_get_seq(m),
                text: cstr(v2tim_message_get_text(m)),
            }
        })
        .collect();
    // The list is only lent for this call; paging needs its last message afterwards.
    let last = (n > 0).then(|| Held(v2tim_message_retain(v2tim_message_list_get(list, n - 1))));
    let _ = tx.send(Ok(Page { at, items, last }));
}

unsafe extern "C" fn list_err(ud: *mut c_void, code: i32, desc: *const c_char) {
    let tx = Box::from_raw(ud as *mut Reply);
    let _ = tx.send(Err(CError {
        code,
        desc: cstr(desc),
    }));
}

/// One `v2tim_get_c2c_history_message_list` with B, timed from the call to `on_success`.
fn timed_page(client: &Client, count: i32, last: Option<&Held>) -> (Page, Duration) {
    let (tx, rx) = mpsc::channel::<Result<Page, CError>>();
    let cb = V2TIMMessageListCallback {
        user_data: Box::into_raw(Box::new(tx as Reply)) as *mut c_void,
        on_success: Some(list_ok),
        on_error: Some(list_err),
    };
    let peer = CString::new(B).expect("no NUL");
    let last = last.map_or(ptr::null(), |h| h.0 as *const V2TIMMessage);
    let t = Instant::now();
    unsafe { v2tim_get_c2c_history_message_list(client.manager(), peer.as_ptr(), count, last, cb) };
    let page = rx
        .recv_timeout(WAIT)
        .expect("history: no answer")
        .unwrap_or_else(|e| panic!("history: {e}"));
    let took = page.at.duration_since(t);
    (page, took)
}

/// `count` messages, newest first, one seq apart.
fn check_run(page: &Page, count: i32) {
    assert_eq!(page.items.len(), count as usize, "page size");
    for w in page.items.windows(2) {
        assert_eq!(
            w[1].seq + 1,
            w[0].seq,
            "seqs must be consecutive, newest first"
        );
    }
}

fn check_newest(page: &Page, seeded: &Seeded, count: i32) {
    check_run(page, count);
    let top = &page.items[0];
    assert_eq!(top.seq, seeded.messages, "newest seq = message count");
    assert_eq!(
        top.id, seeded.last_msg_id,
        "newest = the last message seeded"
    );
    assert_eq!(top.text, seeded.last_text, "newest text");
}

fn check_follows(page: &Page, prev: &Page, count: i32) {
    check_run(page, count);
    let before = prev.items.last().expect("non-empty page").seq;
    assert_eq!(
        page.items[0].seq + 1,
        before,
        "next page starts right below"
    );
}

/// Page-cache residency of the data dir's files before and after trying to evict them.
#[derive(Debug, Serialize)]
struct Eviction {
    resident_before_kib: u64,
    resident_after_kib: u64,
    file_kib: u64,
    errors: Vec<String>,
}

/// Flushes and drops the data dir's files from the OS page cache (no root needed, unlike
/// /proc/sys/vm/drop_caches, and no effect on anyone else's files).
fn evict(dir: &Path) -> Eviction {
    let mut e = Eviction {
        resident_before_kib: 0,
        resident_after_kib: 0,
        file_kib: 0,
        errors: Vec::new(),
    };
    let Ok(rd) = std::fs::read_dir(dir) else {
        return e;
    };
    for entry in rd.flatten() {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let Ok(file) = std::fs::File::open(&path) else {
            e.errors.push(format!("open {}", path.display()));
            continue;
        };
        let fd = file.as_raw_fd();
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        e.file_kib += len / 1024;
        e.resident_before_kib += resident_kib(fd, len);
        // Dirty pages cannot be dropped: write them back first.
        let rc = unsafe { libc::fdatasync(fd) };
        if rc != 0 {
            e.errors.push(format!(
                "fdatasync {}: {}",
                path.display(),
                std::io::Error::last_os_error()
            ));
        }
        let rc = unsafe { libc::posix_fadvise(fd, 0, 0, libc::POSIX_FADV_DONTNEED) };
        if rc != 0 {
            e.errors.push(format!(
                "posix_fadvise {}: {}",
                path.display(),
                std::io::Error::from_raw_os_error(rc)
            ));
        }
        e.resident_after_kib += resident_kib(fd, len);
    }
    e
}

/// KiB of the file's first `len` bytes in the page cache (mincore on a read-only mapping).
fn resident_kib(fd: i32, len: u64) -> u64 {
    if len == 0 {
        return 0;
    }
    unsafe {
        let page = libc::sysconf(libc::_SC_PAGESIZE) as u64;
        let addr = libc::mmap(
            ptr::null_mut(),
            len as usize,
            libc::PROT_READ,
            libc::MAP_SHARED,
            fd,
            0,
        );
        if addr == libc::MAP_FAILED {
            return 0;
        }
        let pages = len.div_ceil(page) as usize;
        let mut vec = vec![0u8; pages];
        let rc = libc::mincore(addr, len as usize, vec.as_mut_ptr());
        libc::munmap(addr, len as usize);
        if rc != 0 {
            return 0;
        }
        vec.iter().filter(|b| **b & 1 != 0).count() as u64 * page / 1024
    }
}
