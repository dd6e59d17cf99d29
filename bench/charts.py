#!/usr/bin/env python3
"""Renders bench/results/*.json as charts in docs/ (SVG and PNG).

    python3 bench/charts.py [RESULTS_DIR] [OUT_DIR]

Needs matplotlib (bench/run.sh installs it into target/bench-venv). Every chart is drawn
from whatever result files exist; a missing workload is left out, not invented.
"""
import glob
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

RESULTS = sys.argv[1] if len(sys.argv) > 1 else "bench/results"
OUT = sys.argv[2] if len(sys.argv) > 2 else "docs"
COLORS = {"v2tim": "#1f77b4", "synapse": "#d62728", "prosody": "#2ca02c"}


def load(pattern):
    out = []
    for path in sorted(glob.glob(os.path.join(RESULTS, pattern))):
        with open(path) as f:
            out.append(json.load(f))
    return out


def load_pairs():
    """The pairs results of the peers and of v2tim on SQLite, one node: the PostgreSQL and
    cluster runs (`bench/run.sh cluster`) are a different comparison."""
    return [r for r in load("*-pairs-*.json")
            if r["system"] != "v2tim" or r.get("backend", "SQLite").startswith("SQLite")]


def save(fig, name):
    os.makedirs(OUT, exist_ok=True)
    for ext in ("svg", "png"):
        path = os.path.join(OUT, f"{name}.{ext}")
        fig.savefig(path, dpi=110, bbox_inches="tight", metadata={"Date": None} if ext == "svg" else None)
        print("wrote", path)
    plt.close(fig)


def cdf_axes(ax, title):
    ax.set_xscale("log")
    ax.set_xlabel("latency (ms, log scale)")
    ax.set_ylabel("fraction of samples at or below")
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")


def machine_note(results):
    for r in results:
        m = r.get("machine")
        if m:
            return f"{m.get('cpu', '?')}, {m.get('cores', '?')} cores"
    return ""


def latency_chart():
    """Recall and send latency distributions: v2tim at N clients, and the pairs workload
    on every system."""
    lat = sorted(load("v2tim-latency-*.json"), key=lambda r: r["clients"])
    pairs = load_pairs()
    if not lat and not pairs:
        return
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    q = [i / 100 for i in range(101)]
    for r in lat:
        label = f"v2tim, {r['clients']} clients, {r['rate_per_s']:.0f} cycles/s"
        axes[0].plot(r["recall_cdf_ms"], q, label=label + " (recall)")
        axes[0].plot(r["send_cdf_ms"], q, linestyle=":", label=label + " (send)")
    cdf_axes(axes[0], "v2tim: open loop, send and recall latency")
    for r in sorted(pairs, key=lambda r: (r["pairs"], r["system"])):
        color = COLORS.get(r["system"])
        style = "-" if r["pairs"] == min(p["pairs"] for p in pairs) else "--"
        axes[1].plot(r["recall_cdf_ms"], q, color=color, linestyle=style,
                     label=f"{r['system']}, {r['pairs']} pairs")
    cdf_axes(axes[1], "recall latency, closed loop (pairs): v2tim vs peers")
    fig.suptitle(f"Recall latency distribution ({machine_note(lat + pairs)})", fontsize=10)
    save(fig, "perf-latency")


def throughput_chart():
    """Durable sends and recalls per second against concurrency, and whole send+recall
    cycles per second on every system."""
    tp = sorted(load("v2tim-throughput-*.json"), key=lambda r: r["clients"])
    pairs = load_pairs()
    if not tp and not pairs:
        return
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    if tp:
        xs = [r["clients"] for r in tp]
        axes[0].plot(xs, [r["sends"]["per_s"] for r in tp], marker="o", label="sends/s")
        axes[0].plot(xs, [r["recalls"]["per_s"] for r in tp], marker="s", label="recalls/s")
        axes[0].set_xscale("log")
        axes[0].set_ylim(bottom=0)
        axes[0].set_xlabel("sending clients (each with an online receiver)")
        axes[0].set_ylabel("acknowledged (committed) per second")
        axes[0].set_title("v2tim: durable throughput vs clients")
        axes[0].grid(True, which="both", alpha=0.3)
        axes[0].legend()
    sizes = sorted({r["pairs"] for r in pairs})
    systems = [s for s in ("v2tim", "prosody", "synapse") if any(r["system"] == s for r in pairs)]
    width = 0.8 / max(len(systems), 1)
    for i, s in enumerate(systems):
        ys = []
        for p in sizes:
            match = [r["cycles_per_s"] for r in pairs if r["system"] == s and r["pairs"] == p]
            ys.append(match[0] if match else 0)
        xs = [j + i * width for j in range(len(sizes))]
        bars = axes[1].bar(xs, ys, width, color=COLORS.get(s), label=s)
        axes[1].bar_label(bars, fmt="%.0f", fontsize=8)
    axes[1].set_xticks([j + width * (len(systems) - 1) / 2 for j in range(len(sizes))])
    axes[1].set_xticklabels([f"{p} pairs" for p in sizes])
    axes[1].set_ylabel("send+recall cycles per second")
    axes[1].set_title("closed loop: whole recall cycles/s (higher is better)")
    axes[1].legend()
    fig.suptitle(f"Throughput ({machine_note(tp + pairs)})", fontsize=10)
    save(fig, "perf-throughput")


def fanout_chart():
    fan = sorted(load("v2tim-fanout-*.json"), key=lambda r: r["members"])
    if not fan:
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    labels = [f"{r['members']:,} members" for r in fan]
    xs = range(len(fan))
    b1 = ax.bar([x - 0.2 for x in xs], [r["median_send_last_ms"] or 0 for r in fan], 0.4,
                label="send: last member")
    b2 = ax.bar([x + 0.2 for x in xs], [r["median_recall_last_ms"] or 0 for r in fan], 0.4,
                label="recall: last member")
    ax.bar_label(b1, fmt="%.0f", fontsize=8)
    ax.bar_label(b2, fmt="%.0f", fontsize=8)
    ax.set_xticks(list(xs))
    ax.set_xticklabels(labels)
    ax.set_ylabel("ms to the last member (median of rounds)")
    ax.set_title("AVChatRoom fan-out")
    ax.legend()
    save(fig, "perf-fanout")


def ratio_table():
    """Prints the pairs results and the ratios v2tim/peer as a Markdown table: latency
    ratios below 1 and throughput ratios above 1 favour v2tim."""
    pairs = load_pairs()
    if not pairs:
        return
    print()
    print("| system | pairs | cycles/s | send p50 / p99 ms | recall p50 / p99 / p999 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in sorted(pairs, key=lambda r: (r["pairs"], r["system"])):
        s, c = r["send_ms"], r["recall_ms"]
        print(f"| {r['system']} | {r['pairs']} | {r['cycles_per_s']:.1f} | "
              f"{s['p50']:.2f} / {s['p99']:.2f} | {c['p50']:.2f} / {c['p99']:.2f} / {c['p999']:.2f} | "
              f"{r['errors']} |")
    print()
    print("| pairs | peer | recall p50 v2tim/peer | recall p99 v2tim/peer | cycles/s v2tim/peer |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for p in sorted({r["pairs"] for r in pairs}):
        mine = [r for r in pairs if r["system"] == "v2tim" and r["pairs"] == p]
        if not mine:
            continue
        v = mine[0]
        for peer in [r for r in pairs if r["system"] != "v2tim" and r["pairs"] == p]:
            print(f"| {p} | {peer['system']} | "
                  f"{v['recall_ms']['p50'] / peer['recall_ms']['p50']:.3f} | "
                  f"{v['recall_ms']['p99'] / peer['recall_ms']['p99']:.3f} | "
                  f"{v['cycles_per_s'] / peer['cycles_per_s']:.1f} |")


if __name__ == "__main__":
    ratio_table()
    latency_chart()
    throughput_chart()
    fanout_chart()
