#!/usr/bin/env bash
# The long version of tests/crash_durability.rs: SDK clients send and recall (C2C and in a
# group) while the v2tim-server binary is SIGKILLed at random moments and restarted on the
# same data directory; afterwards every acknowledged message and recall must be stored and
# every client must hold exactly the server's state.
#
#   scripts/crash-loop.sh [KILLS] [ROUNDS]     # defaults: 200 kills, 3 rounds
#
# Each round is one run of the test with KILLS kills (the CI suite runs it with 20) and a
# fresh seed, printed; replay a failing round with V2TIM_CRASH_SEED=<seed> (set it here to
# fix the seed of every round). Release build, so the load per second is higher.
set -euo pipefail
cd "$(dirname "$0")/.."

kills=${1:-200}
rounds=${2:-3}
# The test starts target/release/v2tim-server: build it, and the test, first.
cargo build --release -p v2tim-server --bin v2tim-server
cargo test --release --test crash_durability --no-run

for ((r = 1; r <= rounds; r++)); do
  echo "=== round $r of $rounds: $kills kills"
  start=$(date +%s)
  V2TIM_CRASH_KILLS=$kills RUST_LOG=${RUST_LOG:-warn} \
    cargo test --release --test crash_durability -- --nocapture 2>&1 \
    | grep -Ev '^\S+Z +(INFO|DEBUG) ' || { echo "round $r FAILED"; exit 1; }
  echo "=== round $r passed in $(( $(date +%s) - start )) s"
done
echo "crash loop: $rounds rounds of $kills kills passed"
