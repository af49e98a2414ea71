#!/usr/bin/env bash
# The applicant portal's submissions beside the agents' writes (issue 19), with wrk on loopback:
#
#   bash bench/portal_bench.sh [OCTROI_BINARY] [SECONDS]
#
# On a fresh SQLite demonstration, 64 connections each:
#   agents      POST /api/v1/applications with a bearer token: a new draft with its plan (one
#               committed transaction with its history and audit line): the baseline
#   applicants  on /api/v1/portal, each connection alternately creates a draft for its commune
#               (POST /applications) and submits the draft it created before (POST
#               …/{number}/submission: the workflow's submit, the acknowledgement of receipt and
#               its e-mail in the outbox); the submissions per second are counted in the database
#               (application_receipts) after the run
# Prints requests/s, the latency wrk reports, the submissions/s and their ratio to the agents'
# writes/s. Recorded, never asserted (bench/RESULTS.md). Needs wrk and sqlite3 (Debian).
set -euo pipefail

bin="${1:-build/release/octroi}"
seconds="${2:-10}"
for tool in wrk sqlite3 curl; do
  command -v "$tool" >/dev/null || { echo "portal_bench: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
dir="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
db="$dir/bench.db"
"$bin" demo --accounts --db "$db" >/dev/null
token="$("$bin" token issue --label bench --owner admin --db "$db")"
"$bin" serve --db "$db" --listen "127.0.0.1:$port" >/dev/null 2>"$dir/serve.log" &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -s -o /dev/null "$base/portail" && break; sleep 0.1; done

# One applicant, verified by the code of the e-mail waiting in the outbox, acting for a commune.
email="bench@gagny.test"
curl -s -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"display_name\":\"Banc d'essai\",\"password\":\"un mot de passe solide\"}" \
  "$base/api/v1/portal/accounts"
code="$(sqlite3 "$db" "SELECT body FROM outgoing_mail WHERE recipient = '$email'" | grep -o 'code=[0-9a-f]\{64\}' | head -1 | cut -d= -f2)"
curl -s -o /dev/null -H 'Content-Type: application/json' -d "{\"code\":\"$code\"}" \
  "$base/api/v1/portal/accounts/verification"
login="$(curl -s -c "$dir/jar" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"un mot de passe solide\"}" "$base/api/v1/portal/session")"
csrf="$(sed 's/.*"csrf_token": *"\([0-9a-f]*\)".*/\1/' <<<"$(tr -d '\n' <<<"$login")")"
cookie="$(awk '$6 == "octroi_portail" {print $7}' "$dir/jar")"
party="$(curl -s -b "octroi_portail=$cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"siret":"21930048700010","legal_name":"Commune de Gagny","city":"Gagny"}' \
  "$base/api/v1/portal/organisations" | tr -d '\n' | sed 's/.*"id": *\([0-9]*\).*/\1/')"

plan='"start":"2023-02-01","end":"2023-12-31","reference_year":"2023","expenses":[{"label":"Abonnements","amount":"16000.00","eligible":true}],"resources":[{"label":"Région","amount":"8000","kind":"authority"},{"label":"Commune","amount":"8000","kind":"self_funding"}]'
cat >"$dir/agents.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = '{"scheme":"00001176","party":3,"title":"Banc d essai",$plan}'
LUA
cat >"$dir/applicants.lua" <<LUA
-- Each thread: create a draft, then submit the one created before (a queue of numbers).
local queue = {}
local created = [[{"scheme":"00001176","party":$party,"title":"Banc d essai",$plan}]]
request = function()
  local headers = {["Content-Type"] = "application/json", ["Cookie"] = "octroi_portail=$cookie",
                   ["X-CSRF-Token"] = "$csrf"}
  if #queue > 0 then
    local n = table.remove(queue, 1)
    return wrk.format("POST", "/api/v1/portal/applications/" .. n .. "/submission", headers, "")
  end
  return wrk.format("POST", "/api/v1/portal/applications", headers, created)
end
response = function(status, headers, body)
  if status == 201 then
    local n = string.match(body, '"number": *"(EX%d+)"')
    if n then table.insert(queue, n) end
  end
end
LUA

run() {  # name script path
  local out rps p50 p99 errors
  out="$(wrk -t2 -c64 -d"${seconds}s" --latency -s "$2" "$base$3")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)"
  printf '%-10s 64 conn  %10s req/s  p50 %8s  p99 %8s  %s\n' "$1" "$rps" "$p50" "$p99" "$errors"
  echo "$rps" >"$dir/$1.rps"
}

echo "octroi serve, SQLite, $(nproc) cores, ${seconds}s per run"
run agents "$dir/agents.lua" /api/v1/applications
before="$(sqlite3 "$db" 'SELECT count(*) FROM application_receipts')"
run applicants "$dir/applicants.lua" /api/v1/portal/applications
after="$(sqlite3 "$db" 'SELECT count(*) FROM application_receipts')"
awk -v n="$((after - before))" -v s="$seconds" -v a="$(cat "$dir/agents.rps")" \
  'BEGIN { printf "submissions: %d in %d s = %.1f/s, %.3f of the agents'"'"' writes/s (each submission also creates its draft)\n", n, s, n / s, (n / s) / a }'
"$bin" audit verify --db "$db" >/dev/null && echo "After the run: audit verify clean."
