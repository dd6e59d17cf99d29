#!/usr/bin/env bash
# Every benchmark of docs/PERFORMANCE.md in one run, then the charts:
#
#   bash bench/run.sh [all|v2tim|peers|micro|charts]...      (default: all)
#
#   v2tim   v2tim-bench: pairs (10, 50), latency (10/100/1,000 clients), throughput
#           (1/10/100/1,000 senders), fanout (1,000/10,000 members, and 100,000 of whom
#           10,000 online), history (1M; idle and while 10 senders write), footprint
#   cluster pairs 10, throughput 10 and fanout 1,000 on PostgreSQL: one node, and three
#           nodes with NATS (scripts/services.sh starts PostgreSQL, and nats-server runs on
#           a loopback port, both stopped at the end; needs postgresql and nats-server)
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
  cargo build --release -p v2tim-server -p v2tim-bench
  # Alone, as an app builds it: built with the server, the SDK's embedded server would get
  # the server binary's features (PostgreSQL, NATS) and footprint would measure those.
  cargo build --release -p v2tim
  B="target/release/v2tim-bench --out $OUT"
  for p in 10 50; do $B pairs --pairs "$p" --seconds "$SECS"; done
  for n in 10 100 1000; do $B latency --clients "$n" --rate 200 --seconds "$SECS"; done
  for n in 1 10 100 1000; do $B throughput --clients "$n" --seconds 15; done
  for m in 1000 10000; do $B fanout --members "$m" --rounds 5; done
  $B fanout --members 10000 --offline-members 90000 --rounds 3
  $B history
  $B history --while-writing
  $B footprint
fi
if want cluster; then
  cargo build --release -p v2tim-server -p v2tim-bench
  SVC=$(mktemp -d /tmp/v2tim-bench-services.XXXXXX)
  chmod 755 "$SVC"
  NATS_PORT=$((20000 + RANDOM % 20000))
  nats-server -a 127.0.0.1 -p "$NATS_PORT" >"$SVC/nats.log" 2>&1 &
  NATS_PID=$!
  trap 'kill $NATS_PID 2>/dev/null; bash scripts/services.sh stop "$SVC"; rm -rf "$SVC"' EXIT
  bash scripts/services.sh start "$SVC"
  # shellcheck disable=SC1091
  source "$SVC/env"
  B="target/release/v2tim-bench --out $OUT"
  for nodes in "--nodes 1" "--nodes 3 --broker nats://127.0.0.1:$NATS_PORT"; do
    # shellcheck disable=SC2086
    C="$B --database $V2TIM_TEST_POSTGRES $nodes"
    $C pairs --pairs 10 --seconds "$SECS"
    $C throughput --clients 10 --seconds 15
    $C fanout --members 1000 --rounds 5
  done
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
