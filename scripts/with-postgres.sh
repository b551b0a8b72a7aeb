#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARGS…]
#
# Runs CMD with a private, throwaway PostgreSQL 15 cluster and
# NONGSAN_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:PORT/postgres set.
# The cluster lives in a fresh temporary directory, listens on a free loopback
# port (trust auth, 127.0.0.1 only; its unix socket stays in that directory),
# runs with fsync=off because its data is thrown away, and is stopped and
# deleted when CMD ends, however it ends. Exits with CMD's status.
#
# initdb refuses to run as root, so as root the server runs as the `postgres`
# OS user (created by the postgresql-15 package); CMD still runs as the caller.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
START_ATTEMPTS=5          # new port per attempt, in case another process grabs ours
START_TIMEOUT_SECONDS=60
MAX_CONNECTIONS=300       # parallel tests each hold a small pool

for tool in initdb pg_ctl; do
  if [ ! -x "$PG_BIN/$tool" ]; then
    echo "with-postgres: $PG_BIN/$tool not found (run scripts/deps.sh)" >&2
    exit 1
  fi
done

# Runs from the cluster directory: the caller's working directory (e.g. a CI
# checkout under /root) may be closed to the postgres user.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$dir" && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# A directory the server user can reach: as root, $TMPDIR may be private to root.
base=${TMPDIR:-/tmp}
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$base"; then
  base=/tmp
fi
dir=$(mktemp -d "$base/nongsan-pg.XXXXXX")
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi

cleanup() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

as_server_user "$PG_BIN/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 --no-sync \
  --auth=trust >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
cat >"$dir/data/pg_hba.conf" <<HBA
local all all trust
host  all all 127.0.0.1/32 trust
HBA
cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = $MAX_CONNECTIONS
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/data/pg_hba.conf"; fi

port=""
for attempt in $(seq 1 "$START_ATTEMPTS"); do
  candidate=$(free_port)
  if as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -t "$START_TIMEOUT_SECONDS" -o "-p $candidate" start >/dev/null 2>&1; then
    port=$candidate
    break
  fi
  echo "with-postgres: start on port $candidate failed (attempt $attempt)" >&2
done
if [ -z "$port" ]; then
  cat "$dir/server.log" >&2 || true
  exit 1
fi

export NONGSAN_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$port (data in $dir)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
