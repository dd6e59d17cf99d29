#!/usr/bin/env bash
# Peer benchmark: Matrix Synapse (SQLite) and Prosody (XMPP) on v2tim's "pairs" workload
# (send, then recall, receiver notified). Installs what is missing, starts each server on
# 127.0.0.1 with its own config and fresh data dir under target/bench-peers/, creates the
# users, runs the driver, and always stops the server it started.
#
#   bash bench/peers/run.sh [--pairs P] [--seconds D] [--warmup W] [--out DIR] [synapse|prosody|all]
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1  # keep bench/peers free of __pycache__

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/peers"
PAIRS=10
SECONDS_RUN=30
WARMUP=5
OUT="$ROOT/bench/results"
WHICH=all
while [ $# -gt 0 ]; do
  case "$1" in
    --pairs) PAIRS=$2; shift 2 ;;
    --seconds) SECONDS_RUN=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    synapse|prosody|all) WHICH=$1; shift ;;
    -h|--help) sed -n 2,7p "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac

SCRATCH="$ROOT/target/bench-peers"
VENV="$SCRATCH/venv"
mkdir -p "$SCRATCH" "$OUT"

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "run.sh: server $SERVER_PID did not stop on TERM, killing" >&2
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_port() { # port timeout_s pid
  local t0; t0=$(date +%s)
  until python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || { echo "run.sh: server exited before listening" >&2; return 1; }
    [ $(( $(date +%s) - t0 )) -lt "$2" ] || { echo "run.sh: port $1 not open after $2 s" >&2; return 1; }
    sleep 0.2
  done
}

ensure_venv() {
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import synapse, slixmpp, aiohttp' 2>/dev/null; then
    return
  fi
  local t0; t0=$(now)
  echo "run.sh: installing $(grep -v '^#' "$HERE/requirements.txt" | xargs) into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt"
  echo "run.sh: Python packages installed in $(since "$t0") s"
}

ensure_prosody() {
  if command -v prosody >/dev/null && command -v prosodyctl >/dev/null; then return; fi
  local t0; t0=$(now)
  echo "run.sh: installing prosody from Debian"
  # Keep the package's own service from starting: we run our own instance below.
  local made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ] || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prosody >/dev/null
  [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
  # If a service manager started it anyway, stop and disable the system instance.
  if command -v systemctl >/dev/null && systemctl is-active --quiet prosody 2>/dev/null; then
    systemctl stop prosody || true
    systemctl disable prosody || true
  fi
  echo "run.sh: prosody installed in $(since "$t0") s"
}

load_note() { echo "load before run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"; }
# Median latency of a small SQLite WAL commit (fsync) in the scratch dir: Synapse's SQLite cost is bound by it.
wal_commit_ms() {
  python3 - "$SCRATCH/walprobe.db" <<'PY'
import os, sqlite3, sys, time
p = sys.argv[1]
c = sqlite3.connect(p, isolation_level=None)
c.execute("pragma journal_mode=WAL"); c.execute("create table if not exists t(x)")
ts = []
for i in range(50):
    t = time.perf_counter(); c.execute("begin"); c.execute("insert into t values (?)", (i,)); c.execute("commit")
    ts.append((time.perf_counter() - t) * 1000)
c.close()
for suffix in ("", "-wal", "-shm"):
    try: os.remove(p + suffix)
    except OSError: pass
print(f"{sorted(ts)[25]:.1f}")
PY
}

run_synapse() {
  ensure_venv
  local dir="$SCRATCH/synapse" port secret t0 version py="$VENV/bin/python"
  rm -rf "$dir"; mkdir -p "$dir/data"
  port=$(free_port)
  secret=$("$py" -c 'import secrets; print(secrets.token_hex(24))')
  version="Synapse $("$py" -c 'import importlib.metadata as m; print(m.version("matrix-synapse"))')"
  t0=$(now)
  (cd "$dir" && "$py" -m synapse.app.homeserver --server-name localhost --config-path "$dir/homeserver.yaml" \
      --data-directory "$dir/data" --generate-config --report-stats=no >/dev/null)
  # Overrides (a second config file wins over the generated one, key by key).
  local big='{per_second: 100000, burst_count: 100000}'
  cat > "$dir/bench.yaml" <<EOF
listeners:
  - port: $port
    type: http
    tls: false
    x_forwarded: false
    bind_addresses: ['127.0.0.1']
    resources:
      - names: [client]
        compress: false
registration_shared_secret: "$secret"
report_stats: false
trusted_key_servers: []
suppress_key_server_warning: true
federation_domain_whitelist: []
url_preview_enabled: false
bcrypt_rounds: 4
rc_message: $big
rc_registration: $big
rc_login: {address: $big, account: $big, failed_attempts: $big}
rc_joins: {local: $big, remote: $big}
rc_joins_per_room: $big
rc_invites: {per_room: $big, per_user: $big, per_issuer: $big}
rc_room_creation: $big
rc_admin_redaction: $big
rc_presence: {per_user: $big}
EOF
  # For experiments only (the reported runs leave it unset): extra YAML appended to the overrides.
  [ -z "${SYNAPSE_EXTRA_YAML:-}" ] || printf '%s\n' "$SYNAPSE_EXTRA_YAML" >> "$dir/bench.yaml"
  local walms; walms=$(wal_commit_ms)
  echo "run.sh: synapse: $version on 127.0.0.1:$port, data in $dir ($(load_note); SQLite WAL commit p50 $walms ms here)"
  (cd "$dir" && exec "$py" -m synapse.app.homeserver -c "$dir/homeserver.yaml" -c "$dir/bench.yaml") \
    >"$dir/stdout.log" 2>&1 &
  SERVER_PID=$!
  wait_port "$port" 120 "$SERVER_PID" || { tail -20 "$dir/stdout.log" >&2; return 1; }
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
  echo "run.sh: synapse answering after $(since "$t0") s (config generation + schema + start)"
  local notes="Synapse from PyPI, SQLite database, one plain-HTTP client listener on 127.0.0.1, no federation listener, federation_domain_whitelist: [], trusted_key_servers: [], report_stats: false, url_preview_enabled: false. Non-default: every rc_* rate limit (rc_message, rc_registration, rc_login, rc_joins, rc_joins_per_room, rc_invites, rc_room_creation, rc_admin_redaction, rc_presence) raised to 100000/s burst 100000, because the default rc_message (0.2/s, burst 10 per user) would throttle each sender to one send+redact cycle every 10 s and measure the limiter, not the server; bcrypt_rounds: 4 (default 12) only to make creating the users fast, it is not on the measured path. Users are created with the shared-secret admin registration API; each pair is a private_chat room (is_direct) with exactly its two users, both joined; each receiver long-polls /sync (timeout 30 s, filter: only m.room.message and m.room.redaction timeline events, no presence/ephemeral/account data). Recall = PUT /rooms/{room}/redact/{event_id} with reason 'bench'; the receiver is notified when the m.room.redaction event arrives in its /sync; Synapse serves the redacted event pruned to every client at once and purges its stored content after redaction_retention_period (default 7 days). Logging as generated (INFO to a file). SQLite means one database connection, so every transaction of every request is serialised, and each commit is an fsync (a small WAL commit took $walms ms median on this disk just before the run). Times measured by the driver (aiohttp, one asyncio process holding all clients; send latency includes the receiver's /sync wake-up). $(load_note)."
  t0=$(now)
  (cd "$HERE" && "$py" matrix_driver.py --base "http://127.0.0.1:$port" --secret "$secret" --pairs "$PAIRS" \
      --seconds "$SECONDS_RUN" --warmup "$WARMUP" --out "$OUT" --version "$version" --notes "$notes" --server-pid "$SERVER_PID")
  echo "run.sh: synapse driver finished in $(since "$t0") s"
  stop_server
}

run_prosody() {
  ensure_venv
  ensure_prosody
  local dir="$SCRATCH/prosody" port t0 cfg py="$VENV/bin/python"
  rm -rf "$dir"; mkdir -p "$dir/data"
  port=$(free_port)
  cfg="$dir/prosody.cfg.lua"
  cat > "$cfg" <<EOF
-- Benchmark instance: loopback only, c2s only, own data dir. Written by bench/peers/run.sh.
run_as_root = true
pidfile = "$dir/prosody.pid"
data_path = "$dir/data"
plugin_paths = {}
log = { info = "$dir/prosody.log"; error = "$dir/prosody.err" }
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { $port }
c2s_direct_tls_ports = {}
legacy_ssl_ports = {}
s2s_ports = {}
http_ports = {}
https_ports = {}
component_ports = {}
modules_enabled = {
  "roster"; "saslauth"; "disco"; "carbons"; "pep"; "private"; "blocklist";
  "vcard4"; "vcard_legacy"; "version"; "uptime"; "time"; "ping";
}
modules_disabled = { "s2s"; "tls" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
storage = "internal"
VirtualHost "localhost"
EOF
  t0=$(now)
  local i
  for i in $(seq 0 $((PAIRS - 1))); do
    prosodyctl --config "$cfg" register "benchs$i" localhost "pw-s-$i" >/dev/null
    prosodyctl --config "$cfg" register "benchr$i" localhost "pw-r-$i" >/dev/null
  done
  echo "run.sh: prosody: $((2 * PAIRS)) users created in $(since "$t0") s; c2s on 127.0.0.1:$port, data in $dir ($(load_note))"
  t0=$(now)
  prosody --config "$cfg" -F >"$dir/stdout.log" 2>&1 &
  SERVER_PID=$!
  wait_port "$port" 60 "$SERVER_PID" || { tail -20 "$dir/stdout.log" "$dir/prosody.err" >&2; return 1; }
  echo "run.sh: prosody answering after $(since "$t0") s"
  local notes="Prosody from Debian 12 (apt), its own config and data dir, run in the foreground as root (run_as_root = true, so the fresh data dir under target/ needs no chown). Only c2s, on one 127.0.0.1 port; s2s and TLS modules disabled, no HTTP. Non-default: c2s_require_encryption = false and allow_unencrypted_plain_auth = true because the benchmark has no certificate and stays on loopback (the client authenticates with SCRAM-SHA-1 over plain TCP). Modules: roster, saslauth, disco, carbons, pep, private, blocklist, vcard4, vcard_legacy, version, uptime, time, ping (the usual default set minus TLS/s2s/admin); no mod_mam (an archive is not enabled by default), no mod_limits, internal_hashed auth, internal (file) storage. Users created with prosodyctl register. Each pair is a direct <message type='chat'> exchange between two bare JIDs on the VirtualHost 'localhost', both clients online with presence. Recall = XEP-0424 retraction <retract id=X xmlns='urn:xmpp:message-retract:1'/> referencing the XEP-0359 origin-id X of the original (equal to its stanza id), with a XEP-0428 fallback body and a XEP-0334 store hint; the receiver is notified when the retraction stanza arrives. Prosody only routes the retraction, it never erases or rewrites the original message (nothing is stored: no archive, the receiver is online). $(load_note)."
  t0=$(now)
  (cd "$HERE" && "$py" xmpp_driver.py --port "$port" --domain localhost --pairs "$PAIRS" \
      --seconds "$SECONDS_RUN" --warmup "$WARMUP" --out "$OUT" --notes "$notes" --server-pid "$SERVER_PID")
  echo "run.sh: prosody driver finished in $(since "$t0") s"
  stop_server
}

case "$WHICH" in
  synapse) run_synapse ;;
  prosody) run_prosody ;;
  all) run_synapse; run_prosody ;;
esac
