# Shared helpers for the benchmark scripts (sourced, not run).

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# bench_database NAME DATA_DIR: the URL of a fresh database for a benchmark —
# with BENCH_BACKEND=postgres (inside scripts/with-postgres.sh) a new database
# NAME on the private cluster, else an SQLite file in DATA_DIR.
bench_database() {
  local name=$1 dir=$2
  if [ "${BENCH_BACKEND:-}" = postgres ]; then
    psql "$NONGSAN_TEST_POSTGRES_URL" -qc "CREATE DATABASE $name" >/dev/null
    echo "${NONGSAN_TEST_POSTGRES_URL%/*}/$name"
  else
    echo "sqlite:$dir/bench.db"
  fi
}

# wait_http URL [seconds]: waits until URL answers.
wait_http() {
  local url=$1 deadline=$((SECONDS + ${2:-60}))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then echo "timed out waiting for $url" >&2; return 1; fi
    sleep 0.2
  done
}

# run_wrk LABEL URL [connections] [seconds] [extra wrk args…]: one line of
# requests/s, p50 and p99 latency.
run_wrk() {
  local label=$1 url=$2 conns=${3:-16} secs=${4:-10}
  shift 4 || shift $#
  local out
  out=$(wrk -t 2 -c "$conns" -d "${secs}s" --latency "$@" "$url" 2>&1)
  local rps p50 p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  printf '%-34s %10s req/s   p50 %8s   p99 %8s   conns %3s%s\n' "$label" "$rps" "$p50" "$p99" "$conns" \
    "${non2xx:+   non-2xx $non2xx}"
}

# run_wrk_cpu LABEL PID URL [connections] [seconds] [extra wrk args…]: as
# run_wrk, plus what the load of others' work does not skew: the server
# process PID's CPU time (user + system, from /proc/PID/stat) per request,
# and the 1-minute load average at the end of the run.
run_wrk_cpu() {
  local label=$1 pid=$2 url=$3 conns=${4:-16} secs=${5:-10}
  shift 5 || shift $#
  local before after out
  before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  out=$(wrk -t 2 -c "$conns" -d "${secs}s" --latency "$@" "$url" 2>&1)
  after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  local rps p50 p99 non2xx requests cpu_us load
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  cpu_us=$(python3 -c "import math; print(f'{math.floor(($after - $before) * 1e7 / $(getconf CLK_TCK) / max(1, ${requests:-0})) / 10:.1f}')")
  load=$(cut -d' ' -f1 /proc/loadavg)
  printf '%-40s %10s req/s   p50 %8s   p99 %8s   cpu %7s us/req   conns %3s   load %s%s\n' "$label" "$rps" \
    "$p50" "$p99" "$cpu_us" "$conns" "$load" "${non2xx:+   non-2xx $non2xx}"
}

# bench_sql URL: runs the SQL on stdin against the benchmark database URL
# (psql for PostgreSQL, the sqlite3 shell for SQLite); rows come out as
# `a|b|c`, one a line, in both.
bench_sql() {
  local url=$1
  case "$url" in
    postgres*) psql "$url" -qAt -v ON_ERROR_STOP=1 ;;
    sqlite:*) sqlite3 -batch -bail "${url#sqlite:}" ;;
    *) echo "bench_sql: unknown database URL $url" >&2; return 1 ;;
  esac
}

# bench_series URL FROM TO: a FROM clause of the integers FROM..TO as n(i),
# in the database's dialect (generate_series, or a recursive CTE).
bench_series() {
  case "$1" in
    postgres*) echo "generate_series($2, $3) AS n(i)" ;;
    *) echo "(WITH RECURSIVE s(i) AS (SELECT $2 UNION ALL SELECT i + 1 FROM s WHERE i < $3) SELECT i FROM s) AS n" ;;
  esac
}
