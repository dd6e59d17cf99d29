#!/usr/bin/env bash
# Runs README.md's commands as written. Every ```sh block of README carries a marker on the
# line before it, which says how it runs; a block without one fails this script:
#
#   <!-- ci: top -->     the two commands at the top: scripts/test.sh runs them itself (the
#                        example step, and the test command that runs this script); checked
#                        to be exactly those two
#   <!-- ci: run -->     each line in order, in the repository
#   <!-- ci: server -->  a server command, started in the background in a scratch directory
#                        (where target/ and examples-c/ lead to the repository's, so relative
#                        paths such as ./data stay out of the checkout); ready once its
#                        --listen port accepts connections
#   <!-- ci: client -->  run against that server twice, then again after the server was
#                        stopped with Ctrl-C (SIGINT) and restarted on the same data directory
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

declare -a kinds=() blocks=()
marker='' in_block=false block='' lineno=0
while IFS= read -r line; do
  lineno=$((lineno + 1))
  if $in_block; then
    if [[ $line == '```' ]]; then
      in_block=false
      kinds+=("$marker") blocks+=("$block")
      marker=''
    else
      block+="$line"$'\n'
    fi
  elif [[ $line == '```sh' ]]; then
    [[ -n $marker ]] || { echo "README.md:$lineno: a sh block without a <!-- ci: ... --> marker" >&2; exit 1; }
    in_block=true block=''
  elif [[ $line =~ ^\<!--\ ci:\ ([a-z]+)\ --\>$ ]]; then
    marker=${BASH_REMATCH[1]}
  elif [[ -n $line ]]; then
    marker=''
  fi
done <README.md

scratch=$(mktemp -d)
server_pid=''
stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -INT "$server_pid" 2>/dev/null || true
  local status=0
  wait "$server_pid" || status=$?
  server_pid=''
  if ((status != 0)); then
    echo "the server exited with status $status after Ctrl-C:" >&2
    cat "$scratch/server.log" >&2
    return 1
  fi
}
trap 'stop_server || true; rm -rf "$scratch"' EXIT
mkdir -p "$scratch/cwd"
ln -s "$root/target" "$scratch/cwd/target"
ln -s "$root/examples-c" "$scratch/cwd/examples-c"

server_cmd='' client_cmd=''
accepts() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
start_server() {
  local port
  port=$(sed -n 's/.*--listen [^ ]*:\([0-9][0-9]*\).*/\1/p' <<<"$server_cmd")
  [[ -n $port ]] || { echo "no --listen HOST:PORT in: $server_cmd" >&2; return 1; }
  # Another program on the port would be taken for README's server.
  if accepts "$port"; then
    echo "port $port is already in use: README's server command cannot run here" >&2
    return 1
  fi
  echo "\$ $server_cmd &"
  (cd "$scratch/cwd" && exec bash -c "exec $server_cmd") >>"$scratch/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do
    kill -0 "$server_pid" 2>/dev/null || break
    accepts "$port" && return 0
    sleep 0.1
  done
  echo "the server did not listen on port $port:" >&2
  cat "$scratch/server.log" >&2
  return 1
}
run_client() {
  echo "\$ $client_cmd"
  (cd "$scratch/cwd" && bash -euo pipefail -c "$client_cmd")
}

for i in "${!kinds[@]}"; do
  case ${kinds[$i]} in
    top)
      expected=$'make -C examples-c run\nbash scripts/test.sh'
      actual=$(sed 's/[[:space:]]*#.*//' <<<"${blocks[$i]}" | sed '/^$/d')
      if [[ $actual != "$expected" ]]; then
        echo "README's top block changed; scripts/test.sh runs: $expected" >&2
        exit 1
      fi
      ;;
    run)
      while IFS= read -r cmd; do
        [[ -n $cmd ]] || continue
        echo "\$ $cmd"
        bash -euo pipefail -c "$cmd"
      done <<<"${blocks[$i]}"
      ;;
    server) server_cmd=$(sed '/^$/d' <<<"${blocks[$i]}") ;;
    client) client_cmd=$(sed '/^$/d' <<<"${blocks[$i]}") ;;
    *) echo "README.md: unknown marker ci: ${kinds[$i]}" >&2; exit 1 ;;
  esac
done

[[ -n $server_cmd && -n $client_cmd ]] || { echo "README has no server/client blocks" >&2; exit 1; }
start_server
run_client
run_client
stop_server
echo "(Ctrl-C; the server stopped cleanly; starting it again on the same ./data)"
start_server
run_client
stop_server
echo "every README command ran as written"
