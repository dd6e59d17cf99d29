"""Shared helpers for the peer drivers: percentiles, the pairs-loop result and its JSON file.

Percentiles are nearest-rank on the sorted samples: the q-th percentile of n
samples is the ceil(q/100 * n)-th smallest (1-based), and q = 0 is the minimum.
"""

import asyncio
import json
import math
import os
import time


def nearest_rank(sorted_samples, q):
    n = len(sorted_samples)
    if n == 0:
        return 0.0
    rank = max(1, math.ceil(q / 100.0 * n))
    return float(sorted_samples[min(rank, n) - 1])


def summary(samples):
    s = sorted(samples)
    n = len(s)
    return {
        "n": n,
        "mean": (sum(s) / n) if n else 0.0,
        "p50": nearest_rank(s, 50),
        "p90": nearest_rank(s, 90),
        "p99": nearest_rank(s, 99),
        "p999": nearest_rank(s, 99.9),
        "max": float(s[-1]) if n else 0.0,
    }


def cdf(samples):
    s = sorted(samples)
    return [nearest_rank(s, q) for q in range(101)]


class Recorder:
    """Collects samples of the recorded window only (after the warm-up, before the end).

    A cycle counts when it started inside the window [start, start + seconds) and
    completed (its recall was seen by the receiver) before start + seconds + grace.
    Errors (timeouts, failed requests) are counted inside the window too.
    """

    def __init__(self, warmup_s, seconds):
        self.warmup_s = warmup_s
        self.seconds = seconds
        self.t_begin = None  # monotonic time at which the warm-up began
        self.send_ms = []
        self.recall_ms = []
        self.cycles = 0
        self.errors = 0
        self.error_kinds = {}

    def begin(self):
        self.t_begin = time.monotonic()

    @property
    def window_start(self):
        return self.t_begin + self.warmup_s

    @property
    def window_end(self):
        return self.t_begin + self.warmup_s + self.seconds

    def in_window(self, t):
        return self.window_start <= t < self.window_end

    def cycle(self, t0, t1, t2, t3):
        if self.in_window(t0) and t3 < self.window_end:
            self.send_ms.append((t1 - t0) * 1000.0)
            self.recall_ms.append((t3 - t2) * 1000.0)
            self.cycles += 1

    def error(self, t0, kind):
        if self.in_window(t0):
            self.errors += 1
            self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


def cpu_seconds(pid):
    """utime + stime of a process, in seconds (Linux /proc); None if unreadable."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def runqueue_wait_seconds(pid):
    """Time the process's threads spent runnable but waiting for a CPU (Linux schedstat), in seconds."""
    total = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    total += int(f.read().split()[1])
            except (OSError, ValueError, IndexError):
                pass
    except OSError:
        return None
    return total / 1e9


class CpuWatch:
    """CPU used by the server process and by this driver over the recorded window, and the load."""

    def __init__(self, server_pid):
        self.server_pid = server_pid
        self.start = None

    def _now(self):
        srv = (cpu_seconds(self.server_pid), runqueue_wait_seconds(self.server_pid)) if self.server_pid else (None, None)
        return (time.monotonic(), srv, (time.process_time(), runqueue_wait_seconds(os.getpid())))

    def begin(self):
        self.start = self._now()

    def note(self):
        if self.start is None:
            return ""
        t1, s1, d1 = self._now()
        t0, s0, d0 = self.start
        wall = t1 - t0
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
        def part(name, a, b):
            if a[0] is None or b[0] is None:
                return ""
            txt = f"{name} {b[0] - a[0]:.1f} CPU-s ({100 * (b[0] - a[0]) / wall:.0f}% of one core"
            if a[1] is not None and b[1] is not None:
                txt += f", {b[1] - a[1]:.1f} s runnable but waiting for a CPU"
            return txt + ")"

        parts = [p for p in (part("server process", s0, s1), part("driver", d0, d1)) if p]
        return (
            f" During the {wall:.1f} s recorded window: {'; '.join(parts)}; "
            f"load average at its end {load} on {os.cpu_count()} cores."
        )


def write_result(outdir, system, version, pairs, rec, notes):
    os.makedirs(outdir, exist_ok=True)
    result = {
        "system": system,
        "version": version,
        "workload": "pairs",
        "pairs": pairs,
        "seconds": rec.seconds,
        "warmup_s": rec.warmup_s,
        "cycles": rec.cycles,
        "cycles_per_s": rec.cycles / rec.seconds if rec.seconds else 0.0,
        "errors": rec.errors,
        "send_ms": summary(rec.send_ms),
        "recall_ms": summary(rec.recall_ms),
        "send_cdf_ms": cdf(rec.send_ms),
        "recall_cdf_ms": cdf(rec.recall_ms),
        "notes": notes + (f" Error kinds: {json.dumps(rec.error_kinds)}." if rec.error_kinds else ""),
    }
    path = os.path.join(outdir, f"{system}-pairs-{pairs}.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(
        f"{system} {version} pairs={pairs}: {result['cycles']} cycles in {rec.seconds}s "
        f"= {result['cycles_per_s']:.1f}/s, errors={rec.errors}; "
        f"send p50/p99/p999 = {result['send_ms']['p50']:.2f}/{result['send_ms']['p99']:.2f}/"
        f"{result['send_ms']['p999']:.2f} ms; recall p50/p99/p999 = {result['recall_ms']['p50']:.2f}/"
        f"{result['recall_ms']['p99']:.2f}/{result['recall_ms']['p999']:.2f} ms -> {path}"
    )
    return path


class Arrivals:
    """Arrival times a receiver's events are matched against: a waiter per expected key,
    and events that came before their waiter existed (bounded, so stray events do not
    pile up)."""

    def __init__(self):
        self.waiters = {}  # key -> future resolved with the monotonic arrival time
        self.early = {}  # key -> arrival time, for events seen before their waiter exists

    def expect(self, key):
        fut = asyncio.get_running_loop().create_future()
        if key in self.early:
            fut.set_result(self.early.pop(key))
        else:
            self.waiters[key] = fut
        return fut

    def arrived(self, key, t):
        fut = self.waiters.pop(key, None)
        if fut is not None:
            if not fut.done():
                fut.set_result(t)
        elif len(self.early) < 1000:
            self.early[key] = t

    def forget(self, key):
        self.waiters.pop(key, None)
        self.early.pop(key, None)


async def measure(rec, stop, tasks, server_pid):
    """Waits out the recorder's warm-up and window while `tasks` run, sampling the server's
    CPU over the window; then stops and reaps the tasks. Returns the CPU note for the result."""
    cpu = CpuWatch(server_pid)
    await asyncio.sleep(max(0.0, rec.window_start - time.monotonic()))
    cpu.begin()
    await asyncio.sleep(max(0.0, rec.window_end - time.monotonic()))
    cpu_note = cpu.note()
    stop.set()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return cpu_note
