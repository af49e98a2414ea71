#!/usr/bin/env bash
# HTTP benchmark of `octroi serve` (issue 6), with wrk from Debian on loopback:
#
#   bash bench/http_bench.sh [OCTROI_BINARY] [SECONDS]
#
# On a fresh SQLite demonstration it measures, at 64 and 256 connections:
#   baseline  GET /api/v1/me with a bearer token: the server's floor (HTTP, the token lookup,
#             no dossier): the other figures are read as ratios of it
#   read      GET /api/v1/applications/EX070158 (the dossier, its plan, award and history)
#   write     PATCH /api/v1/applications/EX070162/plan, alternating two balanced plans, each a
#             committed transaction with its audit line
#   floor     nginx from Debian (when installed) serving a 1 KiB static file: the machine's HTTP
#             floor, measured in the same run; octroi's figures are also printed as its ratios
# and prints requests/s, the latency wrk reports (p50, p99, max) and its errors and timeouts.
# Recorded, never asserted (bench/RESULTS.md). The server runs with 8 handler threads (issue 15:
# open connections hold none); wrk with 2 (2-core machine).
set -euo pipefail

bin="${1:-build/release/octroi}"
seconds="${2:-10}"
command -v wrk >/dev/null || { echo "http_bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
dir="$(mktemp -d)"
server_pid=""
nginx_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill -TERM "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_for() {  # url: until it answers, at most 10 s
  for _ in $(seq 100); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "http_bench: $1 does not answer" >&2
  return 1
}

db="$dir/bench.db"
"$bin" demo --accounts --db "$db" >/dev/null
token="$("$bin" token issue --label bench --owner admin --db "$db")"
port="$(free_port)"
"$bin" serve --db "$db" --listen "127.0.0.1:$port" --threads "${OCTROI_BENCH_THREADS:-8}" \
  ${OCTROI_BENCH_KEEPALIVE:+--keep-alive-requests "$OCTROI_BENCH_KEEPALIVE"} >/dev/null 2>"$dir/access.log" &
server_pid=$!
wait_for "http://127.0.0.1:$port/api/v1/openapi.json"
base="http://127.0.0.1:$port"
auth="Authorization: Bearer $token"
# EX070162 back to instruction, so that its plan may change.
curl -s -o /dev/null -H "$auth" -H 'Content-Type: application/json' \
  -d '{"event":"reopen","reason":"banc d essai"}' "$base/api/v1/applications/EX070162/events"

cat >"$dir/write.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  local e, r = "10580.00", "7780.00"
  if n % 2 == 0 then e, r = "10581.00", "7781.00" end
  local body = '{"changes":[{"op":"set","side":"expense","line":1,"amount":"' .. e ..
    '"},{"op":"set","side":"resource","line":1,"amount":"' .. r .. '"}]}'
  return wrk.format("PATCH", "/api/v1/applications/EX070162/plan",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN")},
    body)
end
LUA

floor_url=""
if command -v nginx >/dev/null; then
  nginx_port="$(free_port)"
  mkdir -p "$dir/www"
  head -c 1024 /dev/zero | tr '\0' 'x' >"$dir/www/floor.txt"
  cat >"$dir/nginx.conf" <<NGINX
user root;
worker_processes 2;
daemon off;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 4096; }
http { access_log off; server { listen 127.0.0.1:$nginx_port; root $dir/www; } }
NGINX
  nginx -c "$dir/nginx.conf" -p "$dir" &
  nginx_pid=$!
  floor_url="http://127.0.0.1:$nginx_port/floor.txt"
  wait_for "$floor_url"
fi

declare -A floor_rps
run() {  # name connections path [script]
  local name="$1" conns="$2" path="$3" script="${4:-}"
  local out
  if [ "$name" = floor ]; then
    out="$(wrk -t2 -c"$conns" -d"${seconds}s" --latency "$floor_url")"
  elif [ -n "$script" ]; then
    out="$(TOKEN="$token" wrk -t2 -c"$conns" -d"${seconds}s" --latency -s "$script" "$base$path")"
  else
    out="$(wrk -t2 -c"$conns" -d"${seconds}s" --latency -H "$auth" "$base$path")"
  fi
  local rps p50 p99 max errors ratio=""
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  max="$(awk '$1=="Latency" {print $4}' <<<"$out")"
  errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)"
  if [ "$name" = floor ]; then
    floor_rps[$conns]="$rps"
  elif [ -n "${floor_rps[$conns]:-}" ]; then
    ratio="$(awk -v a="$rps" -v b="${floor_rps[$conns]}" 'BEGIN { printf "%.3f of the floor", a / b }')"
  fi
  printf '%-9s %4s conn  %10s req/s  p50 %8s  p99 %8s  max %8s  %s %s\n' "$name" "$conns" \
    "$rps" "$p50" "$p99" "$max" "$ratio" "$errors"
}

echo "octroi serve, SQLite, $(nproc) cores, ${seconds}s per run"
for c in 64 256; do
  [ -n "$floor_url" ] && run floor "$c" /floor.txt
  run baseline "$c" /api/v1/me
  run read "$c" /api/v1/applications/EX070158
  run write "$c" /api/v1/applications/EX070162/plan "$dir/write.lua"
done
"$bin" ledger verify --db "$db" >/dev/null && "$bin" audit verify --db "$db" >/dev/null &&
  echo "After the run: ledger verify and audit verify clean."
