#!/usr/bin/env bash
# Browser tests of the back office and the applicant portal (tests/e2e/back_office.spec.mjs), in
# Debian's Chromium.
#   bash scripts/e2e.sh [path/to/octroi]       (default build/release/octroi; builds nothing)
# One fresh demonstration database and one `octroi serve` per flow, each on a port that the
# kernel picks (--listen 127.0.0.1:0; the server prints its URL). Screenshots go to
# $E2E_ARTIFACTS (build/e2e-artifacts by default), with the servers' logs. Exits with node's
# status. Needs node, npm (only when node_modules is missing: `npm ci` from the lockfile) and
# /usr/bin/chromium (scripts/install-deps.sh installs them).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

octroi=${1:-build/release/octroi}
if [ ! -x "$octroi" ]; then
  echo "e2e: no octroi binary at $octroi (build it: cmake --preset release && cmake --build build/release --target octroi)" >&2
  exit 2
fi
octroi=$(cd "$(dirname "$octroi")" && pwd)/$(basename "$octroi")
chromium=${E2E_CHROMIUM:-/usr/bin/chromium}
export E2E_CHROMIUM=$chromium
artifacts=${E2E_ARTIFACTS:-build/e2e-artifacts}
mkdir -p "$artifacts"
artifacts=$(cd "$artifacts" && pwd)
export E2E_ARTIFACTS=$artifacts

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "e2e: $tool is missing (scripts/install-deps.sh)" >&2; exit 2; }
done
if [ ! -x "$chromium" ]; then
  echo "e2e: no browser at $chromium (scripts/install-deps.sh installs Debian's chromium)" >&2
  exit 2
fi
if [ ! -f node_modules/playwright-core/package.json ]; then
  echo "e2e: npm ci (playwright-core, from package-lock.json)"
  npm ci --no-audit --no-fund
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/octroi-e2e.XXXXXX")
export E2E_TMPDIR=$work  # the browser profiles, removed with the databases
pids=()
node_pid=""
sink_pid=""

stop_servers() {
  local pid status=0
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    # A graceful stop takes milliseconds; a server still there after 10 s is killed.
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "e2e: server $pid did not stop on SIGTERM, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      status=1
    fi
    wait "$pid" 2>/dev/null || { echo "e2e: server $pid exited with status $?" >&2; status=1; }
  done
  pids=()
  return $status
}

cleanup() {
  local rc=$?
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null || true  # playwright closes its browsers on SIGTERM
    wait "$node_pid" 2>/dev/null || true
  fi
  stop_servers || true
  if [ -n "$sink_pid" ]; then kill -TERM "$sink_pid" 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true; fi
  cp "$work"/*.log "$artifacts"/ 2>/dev/null || true
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME [DEMO OPTION…]: a fresh demonstration database with its accounts (and the given
# options of `octroi demo`), served; prints the URL.
start() {
  local name=$1 db="$work/$1.db" log="$work/serve-$1.log" url="" pid
  shift
  "$octroi" demo --accounts "$@" --db "$db" >"$work/demo-$name.log" 2>&1 || {
    echo "e2e: octroi demo --accounts $* failed for $name:" >&2
    cat "$work/demo-$name.log" >&2
    return 1
  }
  if [ -n "$prepare" ]; then "$prepare" "$db" || return 1; fi
  "$octroi" serve --db "$db" --listen 127.0.0.1:0 "${serve_args[@]}" >"$log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 200); do  # up to 20 s
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "e2e: octroi serve stopped at start for $name:" >&2
      cat "$log" >&2
      return 1
    fi
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$log" | head -n 1 || true)
    if [ -n "$url" ] && answers "$url"; then
      echo "${url%/}"
      return 0
    fi
    sleep 0.1
  done
  echo "e2e: octroi serve for $name does not answer after 20 s:" >&2
  cat "$log" >&2
  return 1
}

# answers URL: the server answers an HTTP request for /login (bash's /dev/tcp, no curl needed).
answers() {
  local hostport=${1#http://}
  hostport=${hostport%/}
  local host=${hostport%:*} port=${hostport##*:} status
  status=$(
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf 'GET /login HTTP/1.0\r\nHost: %s\r\n\r\n' "$hostport" >&3
    timeout 5 head -n 1 <&3
  ) 2>/dev/null || return 1
  [[ $status == "HTTP/1."?" 200"* ]]
}

# The portal's e-mails reach a local SMTP sink (tests/tools/smtp_sink.py, Debian's
# python3-aiosmtpd), which writes each message to $E2E_MAILDIR for the browser test to read.
serve_args=()
python=/usr/bin/python3
if ! "$python" -c 'import aiosmtpd' 2>/dev/null; then
  echo "e2e: python3-aiosmtpd is missing (scripts/install-deps.sh installs it)" >&2
  exit 2
fi
smtp_port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export E2E_MAILDIR="$work/mail"
"$python" tests/tools/smtp_sink.py "$smtp_port" "$E2E_MAILDIR" >"$work/smtp-sink.log" 2>&1 &
sink_pid=$!
for _ in $(seq 100); do grep -q ready "$work/smtp-sink.log" && break; sleep 0.1; done
grep -q ready "$work/smtp-sink.log" || { echo "e2e: the SMTP sink did not start:" >&2; cat "$work/smtp-sink.log" >&2; exit 1; }

started=$SECONDS
# Separate starts (not $(start …) in a subshell, whose pids the trap would not see).
prepare=""  # a function run on the database before its server starts
start_into() {  # start_into VAR NAME [DEMO OPTION…]
  local var=$1 name=$2 tmp="$work/url-$2"
  shift 2
  start "$name" "$@" >"$tmp"
  printf -v "$var" '%s' "$(cat "$tmp")"
}
start_into E2E_PLAN_URL plan
start_into E2E_ADOPTION_URL adoption
start_into E2E_REFUSALS_URL refusals
start_into E2E_COMPOSITION_URL composition --without-report
# The portal's journey goes to a vote and a payment today: this year's line of the chèque
# numérique with its AE and CP voted, and the scheme's payment ceilings (décret 2018-514's 30 % and
# 80 %; the demonstration's scheme has none), set as the finance office would.
prepare_portal() {
  local db=$1 year
  year=$(date +%Y)
  "$octroi" budget line create --db "$db" --year "$year" --imputation 936-632-657341-163003-400 \
    --action 16300302 --action-label "Soutien à l'artisanat et aux TPE" >/dev/null &&
    "$octroi" budget vote --db "$db" "$year/16300302" --ae 1000000 --cp 800000 \
      --reference "BP $year" >/dev/null &&
    "$octroi" scheme edit --number 00001176 --db "$db" --advance-max 30 --interim-max 80 \
      >/dev/null
}
serve_args=(--smtp "smtp://127.0.0.1:$smtp_port" --mail-from "Portail des aides <aides@octroi.test>"
  --mail-every-ms 100)
prepare=prepare_portal
start_into E2E_PORTAL_URL portal
prepare=""
serve_args=()
export E2E_PLAN_URL E2E_ADOPTION_URL E2E_REFUSALS_URL E2E_COMPOSITION_URL E2E_PORTAL_URL
E2E_ACCOUNTS=$("$octroi" demo --list-accounts --db "$work/refusals.db")
export E2E_ACCOUNTS
# The register of parties (their numbers, which the article form asks for), as JSON.
E2E_PARTIES=$("$octroi" party list --json --db "$work/composition.db")
export E2E_PARTIES
echo "e2e: servers ready in $((SECONDS - started)) s: $E2E_PLAN_URL $E2E_ADOPTION_URL" \
  "$E2E_REFUSALS_URL $E2E_COMPOSITION_URL $E2E_PORTAL_URL (SMTP sink on $smtp_port)"

status=0
# In the background, so that a SIGTERM or SIGINT to this script is handled at once (the trap
# stops node, its browser and the servers) rather than after node ends.
node tests/e2e/back_office.spec.mjs &
node_pid=$!
wait "$node_pid" || status=$?
node_pid=""
if ! stop_servers; then
  echo "e2e: a server did not stop cleanly (logs in $artifacts)" >&2
  [ "$status" -ne 0 ] || status=1
fi
echo "e2e: done in $((SECONDS - started)) s (status $status)"
exit $status
