//! Result files (`bench/results/*.json`) and what they say about the machine.

use std::path::Path;

use serde_json::{json, Value};

/// Resident set of process `pid`, KiB (VmRSS from /proc).
pub fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The three load averages of /proc/loadavg ("1.02 0.87 0.60").
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// CPU model, cores, memory and kernel, plus the load average when the result was written.
pub fn machine() -> Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_kib = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    json!({
        "cpu": model,
        "cores": cores,
        "mem_gib": (mem_kib as f64 / 1048576.0 * 10.0).round() / 10.0,
        "kernel": kernel.trim(),
        "loadavg_at_end": loadavg(),
    })
}

/// Writes `value` (plus the machine) to `dir/name.json` and prints where.
pub fn write(dir: &Path, name: &str, mut value: Value) {
    value["machine"] = machine();
    std::fs::create_dir_all(dir).expect("results dir");
    let path = dir.join(format!("{name}.json"));
    let text = serde_json::to_string_pretty(&value).expect("json");
    std::fs::write(&path, text + "\n").expect("write result");
    println!("wrote {}", path.display());
}
