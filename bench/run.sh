#!/usr/bin/env bash
# What `make bench` runs once octroi_bench is built (bench/README.md):
#
#   bash bench/run.sh OUT.json [Google Benchmark flags…]
#
# starts a throw-away PostgreSQL cluster (scripts/pg-cluster.sh) in a fresh directory, makes its
# commits durable (fsync, synchronous_commit and full_page_writes on: the cluster script turns
# them off for tests), runs build/release/bench/octroi_bench with OCTROI_BENCH_PG_URL pointing at
# it, writes the JSON results to OUT.json, and stops the cluster, also when something fails or
# the run is interrupted. The settings the server reports are recorded in the JSON's context.
# Port (only the name of the socket, which lives in the fresh directory): $OCTROI_BENCH_PG_PORT,
# default 54402.
set -euo pipefail

out="${1:-build/bench.json}"
[ $# -eq 0 ] || shift
bin=build/release/bench/octroi_bench
[ -x "$bin" ] || { echo "bench: $bin is missing (make bench builds it)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"

dir="$(mktemp -d)"
log="$(mktemp)"
bench_pid=""
cleanup() {
  # Interrupted while the benchmark runs: stop it (only it: the process this script started)
  # before its server goes away.
  if [ -n "$bench_pid" ] && kill -0 "$bench_pid" 2>/dev/null; then
    kill -TERM "$bench_pid" 2>/dev/null || true
    wait "$bench_pid" 2>/dev/null || true
  fi
  bash scripts/pg-cluster.sh stop "$dir" >>"$log" 2>&1 ||
    { echo "bench: could not stop the cluster in $dir:" >&2; cat "$log" >&2; }
  rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! url="$(OCTROI_PG_PORT="${OCTROI_BENCH_PG_PORT:-54402}" bash scripts/pg-cluster.sh start "$dir" 2>>"$log")"; then
  cat "$log" >&2
  exit 1
fi

psql_() { psql -X -q -v ON_ERROR_STOP=1 "$url" "$@"; }
# ALTER SYSTEM cannot run in a transaction block: one -c each. All three are reloadable (sighup).
psql_ -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" \
  -c "ALTER SYSTEM SET full_page_writes = on" -c "SELECT pg_reload_conf()" >/dev/null
# The reload is asynchronous: wait until a new session sees it.
settings=""
for _ in $(seq 1 50); do
  settings="$(psql_ -At -F ' ' -c "SELECT current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes')")"
  [ "$settings" = "on on on" ] && break
  sleep 0.1
done
if [ "$settings" != "on on on" ]; then
  echo "bench: the cluster did not take fsync/synchronous_commit/full_page_writes = on (got: $settings)" >&2
  exit 1
fi
echo "bench: PostgreSQL $(psql_ -At -c 'SHOW server_version') in $dir, fsync = on, synchronous_commit = on, full_page_writes = on" >&2

# In the background, so that a signal to this script is handled at once (bash runs traps only
# between foreground commands), not after the whole run.
OCTROI_BENCH_PG_URL="$url" "$bin" --benchmark_out="$out" --benchmark_out_format=json "$@" &
bench_pid=$!
wait "$bench_pid"
