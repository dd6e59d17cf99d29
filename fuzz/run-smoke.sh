#!/usr/bin/env bash
# Builds every fuzz target and runs each for N seconds (default 20) over the committed corpus
# and seeds. New inputs go to a temporary directory, so the repository is left unchanged.
# Exits non-zero on the first finding (its input is written to fuzz/artifacts/<target>/).
#
#   bash fuzz/run-smoke.sh [SECONDS]
#
# Needs the nightly toolchain; installs cargo-fuzz when it is missing.
set -euo pipefail

secs="${1:-20}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

targets=(wire_frames admin_api usersig c_abi_strings)
start=$(date +%s)
cargo +nightly fuzz build
echo "built in $(( $(date +%s) - start )) s"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for t in "${targets[@]}"; do
  extra=()
  # The SDK keeps connections, caches and runtime threads across calls on purpose; LSan's
  # per-input leak check reports their buffers (see fuzz/README.md).
  [ "$t" = c_abi_strings ] && extra=(-detect_leaks=0)
  mkdir -p "$scratch/$t"
  echo "== $t: ${secs} s"
  status=0
  cargo +nightly fuzz run "$t" "$scratch/$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
    -max_total_time="$secs" -print_final_stats=1 "${extra[@]}" >"$scratch/$t.log" 2>&1 || status=$?
  grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|Done )|ERROR|panicked|SUMMARY' \
    "$scratch/$t.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$scratch/$t.log" >&2
    echo "fuzz target $t failed; see fuzz/artifacts/$t/" >&2
    exit 1
  fi
done
echo "smoke run done in $(( $(date +%s) - start )) s"
