#!/usr/bin/env bash
# Runs one tests/cpp program against the server in V2TIM_SERVER_URL (as scripts/with-server.sh
# sets it); test_seed_recall runs as two processes, bob (who waits for the recall) then alice.
#
#   scripts/with-server.sh SERVER --app APP:KEY -- tests/cpp/run_against_server.sh PROGRAM
set -euo pipefail
exe=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export V2TIM_URL=$V2TIM_SERVER_URL V2TIM_TEST_DATA_DIR=$tmp/sdk
if [[ ${exe##*/} != test_seed_recall ]]; then
  "$exe"
  exit
fi
: >"$tmp/bob"
"$exe" bob >"$tmp/bob" &
bob=$!
for _ in $(seq 300); do
  grep -q '^ready' "$tmp/bob" && break
  kill -0 "$bob" 2>/dev/null || break
  sleep 0.1
done
grep -q '^ready' "$tmp/bob" || { cat "$tmp/bob"; exit 1; }
"$exe" alice
wait "$bob" || { cat "$tmp/bob"; exit 1; }
cat "$tmp/bob"
