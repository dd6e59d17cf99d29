#!/usr/bin/env bash
# Every benchmark of docs/PERFORMANCE.md in one run, then the charts:
#
#   bash bench/run.sh [all|v2tim|peers|micro|charts]...      (default: all)
#
#   v2tim   v2tim-bench: pairs (10, 50), latency (10/100/1,000 clients), throughput
#           (1/10/100/1,000 senders), fanout (1,000/10,000 members), history (1M), footprint
#   peers   bench/peers/run.sh: Synapse and Prosody on the pairs workload (10, 50 pairs)
#   micro   cargo bench --bench c_abi (criterion; the C ABI's own costs)
#   charts  bench/charts.py: docs/perf-*.svg/png and the v2tim/peer ratio table
#
# Results go to bench/results/*.json (BENCH_OUT to change). BENCH_SECONDS (default 30) is
# the measured time of each timed workload. Nothing here is pass/fail: read the numbers.
# Takes about 30 min the first time (1M-message history seed, peer installs), 12 min after.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=${BENCH_OUT:-bench/results}
SECS=${BENCH_SECONDS:-30}
PARTS=("$@")
[ ${#PARTS[@]} -gt 0 ] || PARTS=(all)
want() { [[ " ${PARTS[*]} " == *" all "* || " ${PARTS[*]} " == *" $1 "* ]]; }

echo "== machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"

if want v2tim; then
  cargo build --release -p v2tim -p v2tim-server -p v2tim-bench
  B="target/release/v2tim-bench --out $OUT"
  for p in 10 50; do $B pairs --pairs "$p" --seconds "$SECS"; done
  for n in 10 100 1000; do $B latency --clients "$n" --rate 200 --seconds "$SECS"; done
  for n in 1 10 100 1000; do $B throughput --clients "$n" --seconds 15; done
  for m in 1000 10000; do $B fanout --members "$m" --rounds 5; done
  $B history
  $B footprint
fi
if want peers; then
  for p in 10 50; do bash bench/peers/run.sh --pairs "$p" --seconds "$SECS" --out "$OUT"; done
fi
if want micro; then
  cargo bench --bench c_abi
fi
if want charts; then
  VENV=target/bench-venv
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -c 'import matplotlib' 2>/dev/null ||
    "$VENV/bin/pip" install -q -r bench/requirements-charts.txt
  "$VENV/bin/python" bench/charts.py "$OUT" docs
fi
