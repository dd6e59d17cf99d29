//! The SDK's log, to the host (V2TIMLogListener): a `tracing` subscriber that formats each
//! event as one line and hands it to the listener on the SDK event thread.
//!
//! Installed as the process's global subscriber the first time a listener is set (a
//! process that installed its own keeps it, and the listener is not called). Levels are
//! V2TIM's: 3 debug, 4 info, 5 warn, 6 error; 0 sends nothing.

use std::fmt::Write as _;
use std::sync::{Arc, Once};

use parking_lot::RwLock;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

use super::dispatch::post;

/// Receives one log line with its V2TIM level.
pub type LogSink = Arc<dyn Fn(i32, &str) + Send + Sync>;

/// V2TIM log levels.
pub mod log_level {
    pub const NONE: i32 = 0;
    pub const DEBUG: i32 = 3;
    pub const INFO: i32 = 4;
    pub const WARN: i32 = 5;
    pub const ERROR: i32 = 6;
}

static SINK: RwLock<Option<(LogSink, i32)>> = RwLock::new(None);
static INSTALL: Once = Once::new();

/// Sends the SDK's log lines of level `min_level` and above to `sink` (`None`: to nobody).
pub fn set_log_listener(sink: Option<LogSink>, min_level: i32) {
    let installing = sink.is_some();
    *SINK.write() = sink.map(|s| (s, min_level));
    if installing {
        INSTALL.call_once(|| {
            if tracing::subscriber::set_global_default(HostLog).is_err() {
                // The process has its own subscriber: the SDK's events go there.
            }
        });
    }
}

fn v2tim_level(level: &Level) -> i32 {
    match *level {
        Level::ERROR => log_level::ERROR,
        Level::WARN => log_level::WARN,
        Level::INFO => log_level::INFO,
        _ => log_level::DEBUG,
    }
}

fn wanted(level: &Level) -> bool {
    match &*SINK.read() {
        Some((_, min)) => *min != log_level::NONE && v2tim_level(level) >= *min,
        None => false,
    }
}

struct HostLog;

/// The event's message, then its other fields as ` name=value`.
#[derive(Default)]
struct Line(String, String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.1, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push_str(value);
        } else {
            let _ = write!(self.1, " {}={value}", field.name());
        }
    }
}

impl Subscriber for HostLog {
    // Asked at every event, so a listener or level set later takes effect at once.
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        wanted(metadata.level())
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let Some((sink, _)) = SINK.read().clone() else {
            return;
        };
        let meta = event.metadata();
        let mut line = Line::default();
        event.record(&mut line);
        let text = format!("{}: {}{}", meta.target(), line.0, line.1);
        let level = v2tim_level(meta.level());
        post(move || sink(level, &text));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
