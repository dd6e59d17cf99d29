#!/usr/bin/env bash
# Runs a command against a v2tim-server of its own:
#
#   scripts/with-server.sh SERVER_BINARY [SERVER OPTIONS...] -- COMMAND [ARGS...]
#
# Starts SERVER_BINARY --listen 127.0.0.1:0 --data-dir <new temporary directory> OPTIONS,
# waits (up to 30 s) for its "listening on ADDR" line, runs COMMAND with V2TIM_SERVER_URL set
# to ws://ADDR, then stops the server with SIGTERM and checks it exits cleanly. The server's
# log is printed when the server or the command fails; the directory is removed either way.
# Exits with the command's status (or 1 when only the server failed).
set -uo pipefail

server=$1
shift
opts=()
while (($#)) && [[ $1 != -- ]]; do opts+=("$1"); shift; done
[[ ${1:-} == -- ]] || { echo "usage: $0 SERVER_BINARY [OPTIONS...] -- COMMAND..." >&2; exit 2; }
shift

dir=$(mktemp -d)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
show_log() { echo "---- v2tim-server log ----" >&2; cat "$dir/err" >&2; echo "---- end of log ----" >&2; }

"$server" --listen 127.0.0.1:0 --data-dir "$dir/data" "${opts[@]}" >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 300); do
  grep -q '^listening on ' "$dir/out" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
addr=$(sed -n 's/^listening on //p' "$dir/out" | head -n 1)
if [[ -z $addr ]]; then
  echo "v2tim-server did not start" >&2
  show_log
  exit 1
fi
echo "v2tim-server listening on $addr"

V2TIM_SERVER_URL="ws://$addr" "$@"
status=$?
kill -TERM "$pid"
wait "$pid"
server_status=$?
pid=
if ((server_status != 0)); then
  echo "v2tim-server exited with status $server_status" >&2
fi
if ((status != 0 || server_status != 0)); then
  show_log
fi
((status != 0)) && exit "$status"
exit $((server_status != 0))
