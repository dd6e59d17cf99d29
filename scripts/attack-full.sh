#!/usr/bin/env bash
# The full-size exhaustion attacks of docs/RELIABILITY.md ("Exhaustion"): the tests of
# server/tests/hardening.rs with V2TIM_ATTACK_FULL=1 (20,000 connections that never log
# in, 2,000 trickled 1 MiB frames under a 3 GiB memory cap, 3,000 slow admin bodies,
# 9,000 x 12 KB to 10 devices that never read), release build, one attack at a time.
# Needs an open-file hard limit of at least 20,000 (ulimit -Hn). Takes a few minutes.
#
#   bash scripts/attack-full.sh [TEST_NAME_FILTER]
set -euo pipefail
cd "$(dirname "$0")/.."
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt 20000 ]; then
  echo "attack-full: the open-file hard limit is $hard; 20,000 connections need 20000" >&2
  exit 1
fi
ulimit -n "$hard"
V2TIM_ATTACK_FULL=1 cargo test --release -p v2tim-server --test hardening -- \
  --test-threads=1 --nocapture "$@"
