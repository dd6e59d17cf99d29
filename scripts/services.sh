#!/usr/bin/env bash
# Starts and stops the services the cluster tests use, on loopback only, each with its own
# data directory under DIR, so nothing of the machine's own installation is touched:
#
#   bash scripts/services.sh start DIR   PostgreSQL (Debian's postgresql package) on
#                                        127.0.0.1; writes DIR/env, which exports
#                                        V2TIM_TEST_POSTGRES (a database URL)
#   bash scripts/services.sh stop DIR    stops them (the data stays in DIR)
#
# PostgreSQL refuses to run as root: as root, it runs as the package's `postgres` user.
# Exits non-zero, saying what to install, when a service cannot start.
set -uo pipefail

cmd=${1:-}
dir=${2:-}
if [[ -z $cmd || -z $dir ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

# The directory of PostgreSQL's server programs: on PATH, else Debian's newest version.
pg_bin() {
  if command -v pg_ctl >/dev/null 2>&1; then
    # Through symlinks: psql and initdb sit beside the real pg_ctl.
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return
  fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -n $newest && -x $newest/pg_ctl ]] && echo "$newest"
}

# Runs a PostgreSQL program as a user it accepts.
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A TCP port on 127.0.0.1 nothing listens on (bash's /dev/tcp connects, or fails).
free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

start_postgres() {
  local bin port data=$dir/pg
  bin=$(pg_bin)
  if [[ -z $bin ]]; then
    echo "services: PostgreSQL is not installed (apt-get install postgresql)" >&2
    return 1
  fi
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    echo "services: no postgres user to run PostgreSQL as (apt-get install postgresql)" >&2
    return 1
  fi
  mkdir -p "$data"
  [[ $(id -u) -eq 0 ]] && chown postgres "$dir" "$data"
  if [[ ! -f $data/PG_VERSION ]]; then
    as_pg "$bin/initdb" -D "$data" -U v2tim --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 || {
      echo "services: initdb failed; log: $dir/initdb.log" >&2
      return 1
    }
  fi
  for _ in 1 2 3; do
    port=$(free_port) || break
    # fsync stays on: the tests' durability claims hold for the database as configured in
    # production. The server's own connections number 6 per node.
    if as_pg "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 30 start \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
          -c max_connections=400 -c shared_buffers=128MB" >/dev/null; then
      if ! as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U v2tim -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'v2tim'" | grep -q 1; then
        as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U v2tim -d postgres -qc "CREATE DATABASE v2tim" ||
          return 1
      fi
      echo "export V2TIM_TEST_POSTGRES=postgres://v2tim@127.0.0.1:$port/v2tim" >"$dir/env"
      echo "services: PostgreSQL on 127.0.0.1:$port (data $data)"
      return 0
    fi
  done
  echo "services: PostgreSQL did not start; log: $dir/postgres.log" >&2
  return 1
}

stop_postgres() {
  local bin
  bin=$(pg_bin)
  [[ -n $bin && -f $dir/pg/postmaster.pid ]] || return 0
  as_pg "$bin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null
}

case $cmd in
  start)
    mkdir -p "$dir"
    : >"$dir/env"
    start_postgres
    ;;
  stop) stop_postgres ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
