#!/usr/bin/env bash
# Every test of the project, in the order a failure is cheapest to find: set-up (installs
# what is missing: scripts/setup.sh), formatting, lints, the build, unit and integration
# tests (SDK <-> server over real sockets; C and C++ tests compiled with gcc/g++ and run under
# valgrind; Java tests on the JVM; the clang module-map check), the C example end to end,
# README's commands as written, the library without the embedded server (size budget, C
# tests against a separate server), the missing-tool check, AddressSanitizer, and a short
# run of every fuzz target.
#
# Every step runs even when an earlier one failed; the run ends with one summary (each step
# passed / failed / skipped, with its time and counts) and exits non-zero if anything failed.
# A step or test whose tool is missing fails when CI is set (not "false" or "0") or
# V2TIM_REQUIRE_ALL=1; elsewhere it is skipped, and listed as skipped in the summary.
# Each step's whole output is kept in target/test-logs/<step>.log.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

logs=$root/target/test-logs
mkdir -p "$logs"
# Tests that skip a check for want of a tool append a line here (tests/native/mod.rs).
export V2TIM_SKIP_LOG=$logs/skips.log
: >"$V2TIM_SKIP_LOG"
require_all=false
if [[ ${V2TIM_REQUIRE_ALL:-} == 1 ]] || [[ -n ${CI:-} && ${CI} != false && ${CI} != 0 ]]; then
  require_all=true
  export V2TIM_REQUIRE_ALL=1
fi

names=() results=() times=() notes=()

record() { names+=("$1"); results+=("$2"); times+=("$3"); notes+=("$4"); }

# step NAME COMMAND...: runs COMMAND, its output shown and kept in target/test-logs/NAME.log.
step() {
  local name=$1 start status
  shift
  printf '\n==== %s: %s\n' "$name" "$*"
  start=$SECONDS
  "$@" 2>&1 | tee "$logs/$name.log"
  status=${PIPESTATUS[0]}
  if ((status == 0)); then
    record "$name" passed $((SECONDS - start)) ""
  else
    record "$name" failed $((SECONDS - start)) "exit status $status; log: target/test-logs/$name.log"
  fi
  return "$status"
}

# skip NAME REASON: a step that cannot run here; a failure where everything must run.
skip() {
  printf '\n==== %s: %s\n' "$1" "$2"
  if $require_all; then record "$1" failed 0 "$2"; else record "$1" skipped 0 "$2"; fi
}

have_nightly() { rustup run nightly rustc --version >/dev/null 2>&1; }

# Counts from libtest's "test result:" lines and cargo's list of failed test binaries.
test_counts() {
  local log=$logs/$1.log
  awk '/^test result:/ {
         for (i = 1; i <= NF; i++) {
           if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i
           if ($(i+1) ~ /^ignored/) g += $i
         }
         n++
       }
       END { printf "%d passed, %d failed, %d ignored in %d suites", p, f, g, n }' "$log"
  local failed targets
  failed=$(sed -n 's/^test \(.*\) \.\.\. FAILED$/\1/p' "$log" | sort -u | paste -sd' ' -)
  targets=$(sed -n '/target.* failed:$/,$ s/^    `\(.*\)`$/\1/p' "$log" | paste -sd, -)
  [[ -n $failed ]] && printf '; failed tests: %s' "$failed"
  [[ -n $targets ]] && printf '; failed binaries: %s' "$targets"
  return 0
}

if ! step setup bash scripts/setup.sh && ! $require_all; then
  # Without root the set-up cannot install; what it missed shows up as skips below.
  results[-1]=skipped
fi
step fmt cargo fmt --all -- --check
# --all-features: one build that also carries the JNI glue (feature `jni`) and the Node-API
# addon (feature `node`), which the Java and Node tests load (tests/java.rs, tests/node.rs:
# node --test, tsc, npm pack); the C tests ignore the Java_* and napi exports.
step clippy cargo clippy --workspace --all-targets --all-features -- -D warnings
# The library without the embedded server (the build apps ship) has code of its own.
step clippy-dist cargo clippy -p v2tim --lib --no-default-features --features jni -- -D warnings
# The desktop library's embedded server is v2tim-server without its feature `postgres`.
step clippy-embedded cargo clippy -p v2tim --lib -- -D warnings
# The C, C++ and Java tests link the cdylib; the durability tests start the server binary.
step build cargo build --workspace --all-features
# PostgreSQL for the cluster tests (tests/cluster.rs, V2TIM_CLUSTER_POSTGRES) and the server
# suite's second run: scripts/services.sh starts one on 127.0.0.1 with its own data dir,
# stopped when this script ends. The cluster tests start their own nats-server.
services_dir=$(mktemp -d /tmp/v2tim-services.XXXXXX)
chmod 755 "$services_dir"
trap 'bash "$root/scripts/services.sh" stop "$services_dir"; rm -rf "$services_dir"' EXIT
postgres_url=
if bash scripts/services.sh start "$services_dir" >"$logs/services.log" 2>&1; then
  # shellcheck disable=SC1091
  source "$services_dir/env"
  postgres_url=$V2TIM_TEST_POSTGRES
  unset V2TIM_TEST_POSTGRES
  export V2TIM_CLUSTER_POSTGRES=$postgres_url
fi
# --no-fail-fast: one failing test binary does not hide the others.
step tests cargo test --workspace --all-features --no-fail-fast
notes[-1]="$(test_counts tests)${notes[-1]:+; ${notes[-1]}}"
# The server's whole suite again on PostgreSQL (SPEC §4.1), each test server on a schema of
# its own, with the PostgreSQL-only tests (server/tests/postgres.rs, ignored above).
if [[ -n $postgres_url ]]; then
  step tests-postgres env V2TIM_TEST_POSTGRES="$postgres_url" \
    cargo test -p v2tim-server --all-features --no-fail-fast -- --include-ignored
  notes[-1]="$(test_counts tests-postgres)${notes[-1]:+; ${notes[-1]}}"
else
  skip tests-postgres "$(tail -1 "$logs/services.log")"
fi
step example make -C examples-c run
# README's build and server commands, verbatim (scripts/readme-commands.sh).
step readme bash scripts/readme-commands.sh
# The library an app ships: no embedded server. Its size budget, and the C tests against a
# separately started server.
step no-embedded bash scripts/no-embedded.sh
# With a tool hidden from PATH and CI set, the tests that need it fail and name its package.
step missing-tool bash scripts/missing-tool-check.sh
# The C and C++ tests again under AddressSanitizer + LeakSanitizer: the library (and the
# server the C++ programs use) built with nightly's -Zsanitizer=address in target/asan, the
# programs with clang -fsanitize=address (docs/RELIABILITY.md, Sanitizers). Nightly only.
if have_nightly; then
  step asan make -C tests/c asan
else
  skip asan "no nightly toolchain (rustup toolchain install nightly)"
fi
# A smoke run of the cargo-fuzz targets over the committed corpus (long runs: fuzz/README.md).
if have_nightly; then
  step fuzz bash fuzz/run-smoke.sh "${V2TIM_FUZZ_SECONDS:-10}"
else
  skip fuzz "no nightly toolchain (rustup toolchain install nightly)"
fi

# Checks inside the test suites that were skipped for want of a tool.
mapfile -t skipped_checks < <(sort -u "$V2TIM_SKIP_LOG")

printf '\n==== summary\n'
failed=0 passed=0 skipped=0
for i in "${!names[@]}"; do
  printf '%-15s %-8s %5ss  %s\n' "${names[$i]}" "${results[$i]}" "${times[$i]}" "${notes[$i]}"
  case ${results[$i]} in
    passed) passed=$((passed + 1)) ;;
    failed) failed=$((failed + 1)) ;;
    *) skipped=$((skipped + 1)) ;;
  esac
done
for s in "${skipped_checks[@]}"; do printf 'skipped check: %s\n' "$s"; done
printf '%d steps: %d passed, %d failed, %d skipped; %d checks inside the tests skipped\n' \
  "${#names[@]}" "$passed" "$failed" "$skipped" "${#skipped_checks[@]}"
((failed == 0))
