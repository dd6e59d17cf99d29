//! What the C ABI costs a caller: getters, the time `v2tim_revoke_message` (and friends) take
//! to return, and the time a result takes to reach a C callback. benches/README.md says what
//! each benchmark contains; run with `cargo bench --bench c_abi`.
//!
//! Every `v2tim_*` call is made the way a C host makes it: through an `extern "C"` function
//! pointer the optimizer cannot see through (as a call into the shared library would be),
//! with NUL-terminated strings, `#[repr(C)]` callback structs holding `extern "C"` functions
//! and a `user_data` pointer, and the ownership rules of include/v2tim.h (getters of
//! `V2TIMMessage` lend their strings; `v2tim_get_login_user` gives one to free with
//! `v2tim_string_free`). The SDK is real: "alice" logs in through the C ABI (and "carol"
//! through the Rust core API, for comparison) against the embedded in-process server that a
//! config without a server URL starts. The peer "bob" stays offline, so that no second SDK
//! in this process competes for the CPU; the server stores his messages all the same.

use std::ffi::{c_char, c_void, CStr};
use std::hint::black_box;
use std::ptr::null;
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::sync::{mpsc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode};
use v2tim::core;
use v2tim::ffi::*;

/// An SDKAppID of its own: the embedded server is per app id and process.
const APP: u32 = 1_400_000_931;
const PEER: &CStr = c"bob";
const TEXT: &CStr = c"hello from the c_abi benchmark";
const REASON: &CStr = c"benchmark";
/// No wait for the SDK may take longer than this; the benchmark panics instead of hanging.
const WAIT: Duration = Duration::from_secs(120);
/// Messages recalled during setup, recalled again (and refused) by `already_revoked`.
const REVOKED_POOL: usize = 256;

// ---------------------------------------------------------------------------------------
// Completions: C callbacks that count into a `Tally` passed as `user_data`.

/// What the callbacks of one kind of call have seen. Lives in a static: `user_data` must
/// outlive every callback, which may run after the benchmark's loop.
struct Tally {
    calls: AtomicU64,
    errors: AtomicU64,
    last_error: AtomicI32,
    /// When the latest callback started, in ns since [`clock`]'s origin.
    at_ns: AtomicU64,
    mu: Mutex<()>,
    cv: Condvar,
}

impl Tally {
    const fn new() -> Tally {
        Tally {
            calls: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            last_error: AtomicI32::new(0),
            at_ns: AtomicU64::new(0),
            mu: Mutex::new(()),
            cv: Condvar::new(),
        }
    }

    fn user_data(&'static self) -> *mut c_void {
        self as *const Tally as *mut c_void
    }

    fn calls(&self) -> u64 {
        self.calls.load(Ordering::Acquire)
    }

    fn errors(&self) -> u64 {
        self.errors.load(Ordering::Acquire)
    }

    /// Called first thing by every callback, on the SDK event thread.
    fn hit(&self, code: i32) {
        self.at_ns.store(now_ns(), Ordering::Relaxed);
        if code != 0 {
            self.last_error.store(code, Ordering::Relaxed);
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        let _g = self.mu.lock().unwrap();
        self.calls.fetch_add(1, Ordering::Release);
        self.cv.notify_all();
    }

    /// Blocks (untimed waits) until `n` callbacks have run in all.
    fn wait_for(&self, n: u64, what: &str) {
        let deadline = Instant::now() + WAIT;
        let mut g = self.mu.lock().unwrap();
        while self.calls() < n {
            let left = deadline
                .checked_duration_since(Instant::now())
                .unwrap_or_else(|| panic!("timed out waiting for {what}: {}/{n}", self.calls()));
            g = self.cv.wait_timeout(g, left).unwrap().0;
        }
    }

    /// Spins, yielding the CPU, until `n` callbacks have run in all; returns when the n-th
    /// started (ns since [`clock`]'s origin). For latencies: one call in flight at a time.
    fn spin_for(&self, n: u64, what: &str) -> u64 {
        let started = Instant::now();
        while self.calls() < n {
            std::thread::yield_now();
            if started.elapsed() > WAIT {
                panic!("timed out waiting for {what}");
            }
        }
        self.at_ns.load(Ordering::Relaxed)
    }
}

/// For calls whose callbacks must all succeed (setup, pools, fresh recalls).
static SETUP: Tally = Tally::new();
static SEND: Tally = Tally::new();
static REVOKE: Tally = Tally::new();
/// For recalls the server refuses (already recalled).
static REFUSED: Tally = Tally::new();
/// For calls that fail in the SDK, before any request.
static LOCAL: Tally = Tally::new();

fn clock() -> &'static Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    ORIGIN.get_or_init(Instant::now)
}

fn now_ns() -> u64 {
    clock().elapsed().as_nanos() as u64
}

/// # Safety
/// `ud` is the `user_data` of one of the callbacks below: a `&'static Tally`.
unsafe fn tally<'a>(ud: *mut c_void) -> &'a Tally {
    // SAFETY: see above.
    unsafe { &*(ud as *const Tally) }
}

unsafe extern "C" fn on_success(ud: *mut c_void) {
    // SAFETY: every V2TIMCallback here carries a Tally.
    unsafe { tally(ud) }.hit(0)
}

unsafe extern "C" fn on_error(ud: *mut c_void, code: i32, desc: *const c_char) {
    // SAFETY: every callback struct here carries a Tally.
    let t = unsafe { tally(ud) };
    // Check the header's promises: a code, and a description borrowed for the call.
    let code = if code == 0 || desc.is_null() {
        -1
    } else {
        code
    };
    t.hit(code)
}

unsafe extern "C" fn on_sent(ud: *mut c_void, message: *const V2TIMMessage) {
    // SAFETY: every V2TIMSendCallback here carries a Tally.
    let t = unsafe { tally(ud) };
    t.hit(if message.is_null() { -1 } else { 0 })
}

fn callback(t: &'static Tally) -> V2TIMCallback {
    V2TIMCallback {
        user_data: t.user_data(),
        on_success: Some(on_success),
        on_error: Some(on_error),
    }
}

fn send_callback(t: &'static Tally) -> V2TIMSendCallback {
    V2TIMSendCallback {
        user_data: t.user_data(),
        on_success: Some(on_sent),
        on_error: Some(on_error),
        on_progress: None,
    }
}

/// Panics if `t` saw errors since `errors_before` (`what` did not work as the bench assumes).
fn expect_no_errors(t: &Tally, errors_before: u64, what: &str) {
    let n = t.errors() - errors_before;
    assert!(
        n == 0,
        "{what}: {n} callbacks failed, last with code {}",
        t.last_error.load(Ordering::Relaxed)
    );
}

// ---------------------------------------------------------------------------------------
// The entry points, as C sees them: function pointers into the library.

type CreateText = unsafe extern "C" fn(*mut V2TIMManager, *const c_char) -> *mut V2TIMMessage;
type SendFn = unsafe extern "C" fn(
    *mut V2TIMManager,
    *mut V2TIMMessage,
    *const c_char,
    *const c_char,
    i32,
    V2TIMSendCallback,
) -> *const c_char;
type Revoke = unsafe extern "C" fn(*mut V2TIMManager, *const V2TIMMessage, V2TIMCallback);
type RevokeWithReason =
    unsafe extern "C" fn(*mut V2TIMManager, *const V2TIMMessage, *const c_char, V2TIMCallback);

fn create_text_fn() -> CreateText {
    black_box(v2tim_create_text_message)
}
fn send_fn() -> SendFn {
    black_box(v2tim_send_message)
}
fn revoke_fn() -> Revoke {
    black_box(v2tim_revoke_message)
}
fn revoke_with_reason_fn() -> RevokeWithReason {
    black_box(v2tim_revoke_message_with_reason)
}

const PRIORITY: i32 = V2TIMMessagePriority::V2TIM_PRIORITY_DEFAULT as i32;

// ---------------------------------------------------------------------------------------
// The SDK under test.

struct Sdk {
    /// Logged in as "alice" through the C ABI.
    alice: *mut V2TIMManager,
    /// A text message alice sent to bob (status SEND_SUCC), owned by us.
    msg: *mut V2TIMMessage,
    /// A text message alice created and never sent (recalling it fails in the SDK).
    unsent: *mut V2TIMMessage,
    /// Messages alice sent and recalled.
    revoked: Vec<*mut V2TIMMessage>,
    /// Logged in as "carol" through the Rust core API.
    core: core::Manager,
    /// A text message carol sent to bob.
    core_msg: core::Message,
}

// SAFETY: managers and messages are thread-safe handles (include/v2tim.h); the pointers are
// owned by this struct for the life of the process.
unsafe impl Send for Sdk {}
// SAFETY: as above.
unsafe impl Sync for Sdk {}

static SDK: OnceLock<Sdk> = OnceLock::new();

/// The SDK, started on first use (so that `--list` and filtered runs stay quick).
fn sdk() -> &'static Sdk {
    SDK.get_or_init(Sdk::start)
}

impl Sdk {
    fn start() -> Sdk {
        clock();
        // SAFETY (the C calls below): valid arguments, as the header requires.
        let alice = v2tim_manager_create();
        assert!(!alice.is_null());
        let config = V2TIMSDKConfig {
            server_url: null(), // embedded server
            data_dir: null(),   // in memory
            log_level: 0,
            secret_key: null(), // UserSigs not checked
        };
        assert_eq!(unsafe { v2tim_init_sdk(alice, APP, &config) }, V2TIM_SUCC);
        let (n, e) = (SETUP.calls(), SETUP.errors());
        unsafe {
            v2tim_login(
                alice,
                c"alice".as_ptr(),
                c"unchecked".as_ptr(),
                callback(&SETUP),
            )
        };
        SETUP.wait_for(n + 1, "login");
        expect_no_errors(&SETUP, e, "login");
        assert_eq!(
            unsafe { v2tim_get_login_status(alice) },
            V2TIMLoginStatus::V2TIM_STATUS_LOGINED as i32
        );

        let msg = send_pool(alice, 1)[0];
        assert_eq!(
            unsafe { v2tim_message_get_status(msg) },
            V2TIMMessageStatus::V2TIM_MSG_STATUS_SEND_SUCC as i32
        );
        let unsent = unsafe { v2tim_create_text_message(alice, TEXT.as_ptr()) };
        assert!(!unsent.is_null());
        let revoked = send_pool(alice, REVOKED_POOL);
        let (n, e) = (SETUP.calls(), SETUP.errors());
        for &m in &revoked {
            unsafe { v2tim_revoke_message(alice, m, callback(&SETUP)) };
        }
        SETUP.wait_for(n + REVOKED_POOL as u64, "setup recalls");
        expect_no_errors(&SETUP, e, "setup recalls");

        let core = core::Manager::new();
        core.init_sdk(APP, core::SdkConfig::default())
            .expect("core init_sdk");
        let (tx, rx) = mpsc::channel::<core::Result<()>>();
        let t = tx.clone();
        core.login(
            "carol",
            "unchecked",
            Box::new(move |r| {
                let _ = t.send(r);
            }),
        );
        rx.recv_timeout(WAIT)
            .expect("core login")
            .expect("core login");
        let core_msg = core
            .create_text_message(TEXT.to_str().unwrap())
            .expect("core create_text_message");
        core.send_message(
            &core_msg,
            "bob",
            "",
            PRIORITY,
            Box::new(move |r| {
                let _ = tx.send(r.map(|_| ()));
            }),
        );
        rx.recv_timeout(WAIT)
            .expect("core send")
            .expect("core send");
        settle();

        Sdk {
            alice,
            msg,
            unsent,
            revoked,
            core,
            core_msg,
        }
    }

    fn stop(&self) {
        // SAFETY: we own one reference to each message and the manager.
        unsafe {
            for &m in self.revoked.iter().chain([&self.msg, &self.unsent]) {
                v2tim_message_release(m);
            }
            v2tim_manager_destroy(self.alice);
        }
        self.core.uninit_sdk();
    }
}

/// `n` new text messages of `manager`, created through the C ABI; owned by the caller.
fn create_messages(manager: *mut V2TIMManager, n: usize) -> Vec<*mut V2TIMMessage> {
    let create = create_text_fn();
    (0..n)
        .map(|_| {
            // SAFETY: a live manager and a C string.
            let m = unsafe { create(manager, TEXT.as_ptr()) };
            assert!(!m.is_null(), "create_text_message failed");
            m
        })
        .collect()
}

/// `n` text messages sent to bob (all sends in flight at once, then waited for).
fn send_pool(manager: *mut V2TIMManager, n: usize) -> Vec<*mut V2TIMMessage> {
    let msgs = create_messages(manager, n);
    let (calls, errors) = (SETUP.calls(), SETUP.errors());
    let send = send_fn();
    for &m in &msgs {
        // SAFETY: live manager and message, C strings.
        unsafe {
            send(
                manager,
                m,
                PEER.as_ptr(),
                null(),
                PRIORITY,
                send_callback(&SETUP),
            )
        };
    }
    SETUP.wait_for(calls + n as u64, "sending a pool");
    expect_no_errors(&SETUP, errors, "sending a pool");
    msgs
}

fn release_all(msgs: Vec<*mut V2TIMMessage>) {
    for m in msgs {
        // SAFETY: each message is ours, given back once.
        unsafe { v2tim_message_release(m) };
    }
}

// ---------------------------------------------------------------------------------------
// Recording what criterion measured, for the summary at the end.

struct Record {
    id: String,
    samples: usize,
    /// (iterations, time) of every call of the routine: criterion's warm-up calls first,
    /// then one call per sample.
    runs: Vec<(u64, Duration)>,
    /// What the calling thread did during the timed calls of each run (`revoke_return`).
    uses: Vec<Option<ThreadUse>>,
}

static RECORDS: Mutex<Vec<Record>> = Mutex::new(Vec::new());

fn record(id: &str, samples: usize, iters: u64, d: Duration, used: Option<ThreadUse>) {
    let mut recs = RECORDS.lock().unwrap();
    let i = match recs.iter().position(|r| r.id == id) {
        Some(i) => i,
        None => {
            recs.push(Record {
                id: id.to_owned(),
                samples,
                runs: Vec::new(),
                uses: Vec::new(),
            });
            recs.len() - 1
        }
    };
    recs[i].runs.push((iters, d));
    recs[i].uses.push(used);
}

/// The calling thread's CPU time and context switches, read outside the timed part.
#[derive(Clone, Copy, Default)]
struct ThreadUse {
    cpu: Duration,
    /// Blocked (waiting for a lock, a syscall that sleeps).
    voluntary: u64,
    /// Preempted (another thread got the CPU).
    involuntary: u64,
}

impl ThreadUse {
    fn now() -> ThreadUse {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: zeroed rusage is a valid value; both calls get writable pointers.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: as above.
        let ok = unsafe {
            libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) == 0
                && libc::getrusage(libc::RUSAGE_THREAD, &mut ru) == 0
        };
        assert!(ok, "clock_gettime / getrusage");
        ThreadUse {
            cpu: Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32),
            voluntary: ru.ru_nvcsw as u64,
            involuntary: ru.ru_nivcsw as u64,
        }
    }

    fn since(self, before: ThreadUse) -> ThreadUse {
        ThreadUse {
            cpu: self.cpu.saturating_sub(before.cpu),
            voluntary: self.voluntary - before.voluntary,
            involuntary: self.involuntary - before.involuntary,
        }
    }

    fn add(&mut self, other: ThreadUse) {
        self.cpu += other.cpu;
        self.voluntary += other.voluntary;
        self.involuntary += other.involuntary;
    }
}

/// The current run's [`ThreadUse`], summed by the routines that measure it.
static RUN_USE: Mutex<Option<ThreadUse>> = Mutex::new(None);

fn add_run_use(used: ThreadUse) {
    RUN_USE
        .lock()
        .unwrap()
        .get_or_insert_with(ThreadUse::default)
        .add(used);
}

fn fmt_ns(ns: f64) -> String {
    if ns < 1e3 {
        format!("{ns:.1} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{:.2} ms", ns / 1e6)
    }
}

fn print_summary(wall: Duration) {
    let recs = RECORDS.lock().unwrap();
    if recs.is_empty() {
        return;
    }
    println!();
    println!(
        "c_abi summary: time per call over criterion's samples (the last `samples` runs of \
         each routine): the median and the mean of the per-sample means, and criterion's \
         point estimate (slope; the mean when every sample has the same iteration count); \
         `calls` includes the warm-up"
    );
    println!(
        "{:<52} {:>11} {:>11} {:>11} {:>8} {:>10}",
        "benchmark", "median", "mean", "estimate", "samples", "calls"
    );
    for r in recs.iter() {
        let runs = &r.runs[r.runs.len().saturating_sub(r.samples)..];
        let mut per: Vec<f64> = runs
            .iter()
            .map(|(n, d)| d.as_nanos() as f64 / (*n).max(1) as f64)
            .collect();
        per.sort_by(|a, b| a.total_cmp(b));
        let median = if per.len() % 2 == 1 {
            per[per.len() / 2]
        } else {
            (per[per.len() / 2 - 1] + per[per.len() / 2]) / 2.0
        };
        let mean = per.iter().sum::<f64>() / per.len() as f64;
        // Criterion's point estimate: the slope of time over iterations through the origin
        // (least squares); with flat sampling (equal iteration counts) that is the mean.
        let (xy, xx) = runs.iter().fold((0.0, 0.0), |(xy, xx), (n, d)| {
            let x = *n as f64;
            (xy + x * d.as_nanos() as f64, xx + x * x)
        });
        let slope = if xx > 0.0 { xy / xx } else { 0.0 };
        let calls: u64 = r.runs.iter().map(|(n, _)| n).sum();
        if std::env::var_os("C_ABI_DUMP").is_some() {
            let all: Vec<String> = r
                .runs
                .iter()
                .map(|(n, d)| format!("{n}:{}", fmt_ns(d.as_nanos() as f64 / (*n).max(1) as f64)))
                .collect();
            println!("  {} runs: {}", r.id, all.join(" "));
        }
        println!(
            "{:<52} {:>11} {:>11} {:>11} {:>8} {:>10}",
            r.id,
            fmt_ns(median),
            fmt_ns(mean),
            fmt_ns(slope),
            per.len(),
            calls
        );
    }
    let mut header = true;
    for r in recs.iter() {
        let n = r.runs.len().saturating_sub(r.samples);
        let mut used = ThreadUse::default();
        let mut calls = 0;
        for ((iters, _), u) in r.runs[n..].iter().zip(&r.uses[n..]) {
            if let Some(u) = u {
                used.add(*u);
                calls += iters;
            }
        }
        if calls == 0 {
            continue;
        }
        if header {
            println!(
                "the calling thread during the timed calls, per call (same samples): CPU time, \
                 context switches (voluntary: it blocked; involuntary: it was preempted)"
            );
            header = false;
        }
        let per = |x: u64| x as f64 / calls as f64;
        println!(
            "{:<52} {:>11} {:>9.3} vol {:>9.3} invol",
            r.id,
            fmt_ns(used.cpu.as_nanos() as f64 / calls as f64),
            per(used.voluntary),
            per(used.involuntary)
        );
    }
    let code = |t: &Tally| t.last_error.load(Ordering::Relaxed);
    println!(
        "callbacks: sends {} ({} failed), fresh recalls {} ({} failed), refused recalls {} \
         (last code {}), local errors {} (last code {})",
        SEND.calls(),
        SEND.errors(),
        REVOKE.calls(),
        REVOKE.errors(),
        REFUSED.calls(),
        code(&REFUSED),
        LOCAL.calls(),
        code(&LOCAL)
    );
    println!("wall time of the run: {:.1} s", wall.as_secs_f64());
}

// ---------------------------------------------------------------------------------------
// Groups.

struct Group<'a> {
    g: BenchmarkGroup<'a, WallTime>,
    name: &'static str,
    samples: usize,
}

impl<'a> Group<'a> {
    fn new(
        c: &'a mut Criterion,
        name: &'static str,
        samples: usize,
        warm_up_ms: u64,
        measurement_ms: u64,
        mode: SamplingMode,
    ) -> Group<'a> {
        let mut g = c.benchmark_group(name);
        g.sample_size(samples)
            .warm_up_time(Duration::from_millis(warm_up_ms))
            .measurement_time(Duration::from_millis(measurement_ms))
            .sampling_mode(mode);
        Group { g, name, samples }
    }

    /// `routine(sdk, iters)` runs `iters` iterations and returns the time they count for.
    fn custom(&mut self, name: &str, mut routine: impl FnMut(&'static Sdk, u64) -> Duration) {
        let id = format!("{}/{name}", self.name);
        let samples = self.samples;
        self.g.bench_function(name, move |b| {
            b.iter_custom(|iters| {
                *RUN_USE.lock().unwrap() = None;
                let d = routine(sdk(), iters);
                let used = RUN_USE.lock().unwrap().take();
                record(&id, samples, iters, d, used);
                d
            })
        });
    }

    /// Times `iters` back-to-back calls of `f`.
    fn looped<R>(&mut self, name: &str, mut f: impl FnMut(&'static Sdk) -> R) {
        self.custom(name, move |s, iters| {
            let t = Instant::now();
            for _ in 0..iters {
                black_box(f(s));
            }
            t.elapsed()
        });
    }

    fn finish(self) {
        self.g.finish();
    }
}

/// Synchronous getters, through the C ABI and, for comparison, the Rust core API.
fn getters(c: &mut Criterion) {
    let mut g = Group::new(c, "getter", 50, 500, 2000, SamplingMode::Auto);

    // The floor: an indirect call and a thread-local read, no guard, no handle.
    g.looped("c_last_error_code", |_| {
        let f: extern "C" fn() -> i32 = black_box(v2tim_last_error_code);
        f()
    });

    g.looped("c_message_get_status", |s| {
        let f: unsafe extern "C" fn(*const V2TIMMessage) -> i32 =
            black_box(v2tim_message_get_status);
        // SAFETY: a live message.
        unsafe { f(black_box(s.msg)) }
    });
    g.looped("core_message_status", |s| black_box(&s.core_msg).status());

    // Borrowed strings: nothing to free (valid while the message lives).
    g.looped("c_message_get_msg_id", |s| {
        let f: unsafe extern "C" fn(*const V2TIMMessage) -> *const c_char =
            black_box(v2tim_message_get_msg_id);
        // SAFETY: a live message.
        unsafe { f(black_box(s.msg)) }
    });
    g.looped("core_message_msg_id", |s| {
        black_box(&s.core_msg).msg_id().as_ptr()
    });

    g.looped("c_message_get_text", |s| {
        let f: unsafe extern "C" fn(*const V2TIMMessage) -> *const c_char =
            black_box(v2tim_message_get_text);
        // SAFETY: a live message.
        unsafe { f(black_box(s.msg)) }
    });
    g.looped("core_message_text", |s| black_box(&s.core_msg).text());

    g.looped("c_get_login_status", |s| {
        let f: unsafe extern "C" fn(*mut V2TIMManager) -> i32 = black_box(v2tim_get_login_status);
        // SAFETY: a live manager.
        unsafe { f(black_box(s.alice)) }
    });
    g.looped("core_get_login_status", |s| {
        black_box(&s.core).get_login_status()
    });

    // An owned string: the caller frees it with v2tim_string_free (counted).
    g.looped("c_get_login_user_and_free", |s| {
        let get: unsafe extern "C" fn(*mut V2TIMManager) -> *mut c_char =
            black_box(v2tim_get_login_user);
        let free: unsafe extern "C" fn(*mut c_char) = black_box(v2tim_string_free);
        // SAFETY: a live manager; the string is ours, freed once.
        unsafe {
            let user = get(black_box(s.alice));
            free(black_box(user));
        }
    });
    g.looped("core_get_login_user", |s| {
        black_box(&s.core).get_login_user()
    });

    g.finish();
}

/// Time for the asynchronous calls to return to the caller. One call at a time, on an idle
/// SDK as an app's single recall finds it: only the call is timed; its callback, and the
/// SDK's going idle again, are waited for untimed. `revoke_message_burst` times
/// back-to-back calls instead, with all callbacks waited for after the batch.
fn revoke_return(c: &mut Criterion) {
    let mut g = Group::new(c, "revoke_return", 10, 1000, 5000, SamplingMode::Flat);

    g.custom("revoke_message", |s, iters| {
        let pool = send_pool(s.alice, iters as usize);
        let errors = REVOKE.errors();
        let (revoke, cb) = (revoke_fn(), callback(&REVOKE));
        settle();
        let d = one_by_one(&REVOKE, &pool, |m| {
            // SAFETY: live manager and message.
            unsafe { revoke(s.alice, m, cb) }
        });
        expect_no_errors(&REVOKE, errors, "revoke_message");
        release_all(pool);
        d
    });

    g.custom("revoke_message_with_reason", |s, iters| {
        let pool = send_pool(s.alice, iters as usize);
        let errors = REVOKE.errors();
        let (revoke, cb) = (revoke_with_reason_fn(), callback(&REVOKE));
        settle();
        let d = one_by_one(&REVOKE, &pool, |m| {
            // SAFETY: live manager and message, a C string.
            unsafe { revoke(s.alice, m, REASON.as_ptr(), cb) }
        });
        expect_no_errors(&REVOKE, errors, "revoke_message_with_reason");
        release_all(pool);
        d
    });

    // The same client path; the server refuses (V2TIM_ERR_SVR_MSG_ALREADY_REVOKED).
    g.custom("revoke_message_already_revoked", |s, iters| {
        let (revoke, cb) = (revoke_fn(), callback(&REFUSED));
        let pool: Vec<_> = (0..iters as usize)
            .map(|i| s.revoked[i % REVOKED_POOL])
            .collect();
        one_by_one(&REFUSED, &pool, |m| {
            // SAFETY: live manager and message.
            unsafe { revoke(s.alice, m, cb) }
        })
    });

    g.custom("revoke_message_burst", |s, iters| {
        let pool = send_pool(s.alice, iters as usize);
        let (calls, errors) = (REVOKE.calls(), REVOKE.errors());
        let (revoke, cb) = (revoke_fn(), callback(&REVOKE));
        settle();
        let u0 = ThreadUse::now();
        let t = Instant::now();
        for &m in &pool {
            // SAFETY: live manager and message.
            unsafe { revoke(s.alice, m, cb) };
        }
        let d = t.elapsed();
        add_run_use(ThreadUse::now().since(u0));
        REVOKE.wait_for(calls + iters, "recalls");
        expect_no_errors(&REVOKE, errors, "revoke_message_burst");
        release_all(pool);
        d
    });

    g.custom("send_message", |s, iters| {
        let msgs = create_messages(s.alice, iters as usize);
        let errors = SEND.errors();
        let (send, cb) = (send_fn(), send_callback(&SEND));
        settle();
        let d = one_by_one(&SEND, &msgs, |m| {
            // SAFETY: live manager and message, C strings.
            black_box(unsafe { send(s.alice, m, PEER.as_ptr(), null(), PRIORITY, cb) });
        });
        expect_no_errors(&SEND, errors, "send_message");
        release_all(msgs);
        d
    });

    g.finish();
}

/// Times `call(m)` for each message, each on an idle SDK: before each call, untimed, wait
/// until the SDK's threads are idle; after it, for its callback on `t`. The sum of the call
/// times.
fn one_by_one(
    t: &'static Tally,
    msgs: &[*mut V2TIMMessage],
    mut call: impl FnMut(*mut V2TIMMessage),
) -> Duration {
    let mut total = Duration::ZERO;
    let mut used = ThreadUse::default();
    for &m in msgs {
        settle();
        let n = t.calls();
        let u0 = ThreadUse::now();
        let t0 = Instant::now();
        call(m);
        total += t0.elapsed();
        used.add(ThreadUse::now().since(u0));
        t.wait_for(n + 1, "a callback");
    }
    add_run_use(used);
    total
}

/// CPU time used by the whole process (every thread) so far.
fn process_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a writable timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Waits (untimed) until the SDK's threads and the embedded server are idle, e.g. done with
/// the echoes of a pool just sent: under 0.2 ms of CPU used in 2 ms (at most 3 s).
fn settle() {
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        let before = process_cpu();
        std::thread::sleep(Duration::from_millis(2));
        if process_cpu() - before < Duration::from_micros(200) {
            return;
        }
    }
}

/// Time from the call to the start of its C callback, one call in flight at a time.
fn callback_dispatch(c: &mut Criterion) {
    let mut g = Group::new(c, "callback_dispatch", 20, 1000, 6000, SamplingMode::Flat);

    // Refused by the C layer's argument check, reported on the event thread.
    g.custom("local_error_null_message", |s, iters| {
        let (revoke, cb) = (revoke_fn(), callback(&LOCAL));
        let mut total = 0;
        for _ in 0..iters {
            let n = LOCAL.calls();
            let t0 = now_ns();
            // SAFETY: a live manager; NULL message is an error the header documents.
            unsafe { revoke(s.alice, null(), cb) };
            total += LOCAL.spin_for(n + 1, "on_error") - t0;
        }
        Duration::from_nanos(total)
    });

    // Passes the C layer, refused by the core (never sent), reported on the event thread.
    g.custom("local_error_unsent_message", |s, iters| {
        let (revoke, cb) = (revoke_fn(), callback(&LOCAL));
        let mut total = 0;
        for _ in 0..iters {
            let n = LOCAL.calls();
            let t0 = now_ns();
            // SAFETY: live manager and message.
            unsafe { revoke(s.alice, s.unsent, cb) };
            total += LOCAL.spin_for(n + 1, "on_error") - t0;
        }
        Duration::from_nanos(total)
    });

    // Round trips to the embedded server.
    g.custom("send_roundtrip", |s, iters| {
        let msgs = create_messages(s.alice, iters as usize);
        let errors = SEND.errors();
        let (send, cb) = (send_fn(), send_callback(&SEND));
        settle();
        let mut total = 0;
        for &m in &msgs {
            let n = SEND.calls();
            let t0 = now_ns();
            // SAFETY: live manager and message, C strings.
            unsafe { send(s.alice, m, PEER.as_ptr(), null(), PRIORITY, cb) };
            total += SEND.spin_for(n + 1, "on_success") - t0;
        }
        expect_no_errors(&SEND, errors, "send_roundtrip");
        release_all(msgs);
        Duration::from_nanos(total)
    });

    g.custom("revoke_roundtrip", |s, iters| {
        let pool = send_pool(s.alice, iters as usize);
        let errors = REVOKE.errors();
        let (revoke, cb) = (revoke_fn(), callback(&REVOKE));
        settle();
        let mut total = 0;
        for &m in &pool {
            let n = REVOKE.calls();
            let t0 = now_ns();
            // SAFETY: live manager and message.
            unsafe { revoke(s.alice, m, cb) };
            total += REVOKE.spin_for(n + 1, "on_success") - t0;
        }
        expect_no_errors(&REVOKE, errors, "revoke_roundtrip");
        release_all(pool);
        Duration::from_nanos(total)
    });

    g.finish();
}

fn main() {
    let started = Instant::now();
    let mut c = Criterion::default().configure_from_args();
    getters(&mut c);
    revoke_return(&mut c);
    callback_dispatch(&mut c);
    c.final_summary();
    print_summary(started.elapsed());
    if let Some(s) = SDK.get() {
        s.stop();
    }
}
