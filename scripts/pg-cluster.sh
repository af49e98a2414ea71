#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for octroi's tests and benchmarks.
#
#   scripts/pg-cluster.sh start DIR   creates DIR (if missing), a cluster in DIR/data listening on
#                                     a Unix socket in DIR only, a database `octroi` owned by the
#                                     superuser `octroi`; prints its connection URL
#   scripts/pg-cluster.sh url DIR     prints the URL of the cluster running in DIR
#   scripts/pg-cluster.sh stop DIR    stops it (immediate mode) and removes DIR; succeeds if the
#                                     cluster is already gone
#
# stdout carries exactly the URL (start, url), e.g.
#   postgresql:///octroi?host=/tmp/tmp.Xyz&port=54329&user=octroi
# everything else goes to stderr. Port: $OCTROI_PG_PORT, default 54329 (only the socket's name:
# there is no TCP listener, so clusters in different DIRs may share a port).
#
# As root, the cluster runs as the `postgres` system user if it exists, else as a system user
# `octroi-pg` created for it; DIR is made that user's. As any other user, it runs as that user.
# The user must be able to traverse DIR's parents: pass `$(mktemp -d)` itself as DIR (it is then
# chowned), or a path whose parents are traversable (a non-traversable parent under the temporary
# directory gets o+x, anything else is refused with a message).
# Binaries: `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin.
# Trust authentication, fsync off: for tests only, never for data that matters.
set -euo pipefail

export PATH="$PATH:/usr/sbin:/sbin"

readonly MARKER=.octroi-pg-cluster   # in DIR: port=, user= (what stop and url need)

log() { echo "pg-cluster: $*" >&2; }
die() { echo "pg-cluster: $*" >&2; exit 1; }

usage() {
  echo "usage: $0 start|stop|url DIR" >&2
  exit 2
}

# The directory holding initdb, pg_ctl, pg_isready, createdb.
find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1 && d="$(pg_config --bindir 2>/dev/null)" &&
     [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
    echo "$d"
    return 0
  fi
  d="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
    echo "$d"
    return 0
  fi
  return 1
}

# Runs "$@" as $run_user (empty: as ourselves), from / so that an unreadable cwd does not matter.
run_user=""
as_user() {
  if [ -z "$run_user" ]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    (cd / && runuser -u "$run_user" -- "$@")
  else
    (cd / && su -s /bin/sh "$run_user" -c "$(printf '%q ' "$@")")
  fi
}

# The unprivileged user a root invocation runs the cluster as (created if needed).
pick_root_user() {
  if id -u postgres >/dev/null 2>&1; then
    echo postgres
    return 0
  fi
  if ! id -u octroi-pg >/dev/null 2>&1; then
    log "creating system user octroi-pg"
    useradd --system --no-create-home --shell /usr/sbin/nologin octroi-pg >&2
  fi
  echo octroi-pg
}

# DIR, absolute and physical, checked against what a socket path and a URL can carry.
absolute_dir() {
  local d="$1"
  [ -n "$d" ] || die "DIR is empty"
  case "$d" in /*) ;; *) d="$PWD/$d" ;; esac
  if [ -d "$d" ]; then d="$(cd "$d" && pwd -P)"; fi
  if ! [[ "$d" =~ ^/[A-Za-z0-9/._+@:~-]*$ ]]; then
    die "DIR '$d': only letters, digits and / . _ + @ : ~ - are supported (it goes into a URL and into unix_socket_directories)"
  fi
  [ "$d" != "/" ] || die "DIR must not be /"
  echo "$d"
}

marker_get() {  # marker_get DIR KEY
  sed -n "s/^$2=//p" "$1/$MARKER" 2>/dev/null | head -n 1
}

# Whether $1 is the pid of a live (not zombie) postgres process.
postmaster_alive() {
  local pid="$1" state
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/stat" ] || return 1
  state="$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$pid/stat" 2>/dev/null || true)"
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q postgres
}

url_of() {  # url_of DIR PORT
  echo "postgresql:///octroi?host=$1&port=$2&user=octroi"
}

# Gives $run_user traversal of DIR's ancestors: those under the temporary directory get o+x,
# any other blocking ancestor is refused.
ensure_reachable() {
  local dir="$1" tmp a blocked=()
  tmp="$(cd "${TMPDIR:-/tmp}" 2>/dev/null && pwd -P || echo /tmp)"
  a="$(dirname "$dir")"
  while :; do
    if [ -d "$a" ] && ! as_user test -x "$a"; then blocked+=("$a"); fi
    [ "$a" != "/" ] || break
    a="$(dirname "$a")"
  done
  [ ${#blocked[@]} -gt 0 ] || return 0
  for a in "${blocked[@]}"; do
    case "$a/" in
      "$tmp"/?*/) ;;
      *) die "user ${run_user:-$(id -un)} cannot traverse $a (a parent of $dir): pass a directory under $tmp (e.g. \$(mktemp -d)) or run: chmod o+x $a" ;;
    esac
  done
  for a in "${blocked[@]}"; do
    log "chmod o+x $a (so that ${run_user:-$(id -un)} can reach $dir)"
    chmod o+x "$a"
  done
}

cmd_start() {
  local dir port bindir locale_opt
  port="${OCTROI_PG_PORT:-54329}"
  if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
    die "bad port '$port' (OCTROI_PG_PORT)"
  fi
  bindir="$(find_bindir)" ||
    die "no PostgreSQL server binaries (pg_config --bindir, /usr/lib/postgresql/*/bin); install them: apt-get install -y postgresql"

  dir="$(absolute_dir "$1")"
  if [ -e "$dir/data" ]; then
    die "$dir already holds a cluster ($dir/data): use '$0 url $dir', or '$0 stop $dir' first"
  fi
  # A Unix socket path is at most 107 bytes.
  local sock="$dir/.s.PGSQL.$port"
  [ ${#sock} -le 107 ] || die "DIR is too long for a Unix socket path ($sock: ${#sock} > 107 bytes)"

  if [ "$(id -u)" -eq 0 ]; then
    run_user="$(pick_root_user)"
  fi
  ensure_reachable "$dir"   # before creating anything
  mkdir -p "$dir"
  dir="$(absolute_dir "$dir")"
  sock="$dir/.s.PGSQL.$port"
  [ ${#sock} -le 107 ] || die "DIR is too long for a Unix socket path ($sock: ${#sock} > 107 bytes)"
  if [ -n "$run_user" ]; then chown "$run_user": "$dir"; fi
  chmod 0755 "$dir"   # the socket (mode 0777) is then usable by any local user
  as_user test -w "$dir" || die "user ${run_user:-$(id -un)} cannot write in $dir"
  printf 'port=%s\nuser=%s\n' "$port" "${run_user:-$(id -un)}" > "$dir/$MARKER"

  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale_opt=(--locale=C.UTF-8)
  else
    locale_opt=(--no-locale)
  fi

  log "initdb in $dir/data as ${run_user:-$(id -un)} ($bindir)"
  as_user "$bindir/initdb" -D "$dir/data" -A trust -U octroi -E UTF8 "${locale_opt[@]}" --nosync >&2 ||
    die "initdb failed"
  as_user tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# octroi throw-away test cluster (scripts/pg-cluster.sh): never for data that matters.
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 128MB
EOF

  log "starting on $sock (log: $dir/server.log)"
  if ! as_user "$bindir/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/server.log" start >&2; then
    tail -n 30 "$dir/server.log" >&2 2>/dev/null || true
    die "the server did not start (see $dir/server.log)"
  fi
  as_user "$bindir/createdb" -h "$dir" -p "$port" -U octroi -O octroi octroi >&2 ||
    die "createdb octroi failed"
  url_of "$dir" "$port"
}

cmd_url() {
  local dir port bindir
  dir="$(absolute_dir "$1")"
  [ -f "$dir/$MARKER" ] || die "no cluster in $dir"
  port="$(marker_get "$dir" port)"
  [ -n "$port" ] || port="$(sed -n 4p "$dir/data/postmaster.pid" 2>/dev/null || true)"
  [ -n "$port" ] || die "no port recorded in $dir"
  if bindir="$(find_bindir)" && [ -x "$bindir/pg_isready" ]; then
    "$bindir/pg_isready" -q -h "$dir" -p "$port" -d octroi -U octroi ||
      die "the cluster in $dir is not running"
  else
    [ -S "$dir/.s.PGSQL.$port" ] || die "the cluster in $dir is not running"
  fi
  url_of "$dir" "$port"
}

cmd_stop() {
  local dir bindir pid owner
  dir="$(absolute_dir "$1")"
  if [ ! -e "$dir" ]; then
    log "$dir does not exist: nothing to stop"
    return 0
  fi
  if [ ! -f "$dir/$MARKER" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    die "$dir was not made by '$0 start' ($MARKER missing): not removing it"
  fi
  pid="$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)"
  if postmaster_alive "$pid"; then
    if [ "$(id -u)" -eq 0 ]; then
      owner="$(stat -c %U "$dir/data")"
      [ "$owner" = root ] || run_user="$owner"
    fi
    if bindir="$(find_bindir)"; then
      log "stopping the cluster in $dir"
      as_user "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >&2 ||
        log "pg_ctl stop failed"
    fi
    # No pg_ctl, or it failed: SIGQUIT (immediate shutdown) to the postmaster if it still runs.
    if postmaster_alive "$pid"; then
      log "sending SIGQUIT to postmaster $pid"
      kill -QUIT "$pid" || true
      for _ in $(seq 1 100); do postmaster_alive "$pid" || break; sleep 0.1; done
    fi
  else
    log "no server running in $dir"
  fi
  rm -rf -- "$dir"
  log "removed $dir"
}

[ $# -eq 2 ] || usage
case "$1" in
  start) cmd_start "$2" ;;
  stop) cmd_stop "$2" ;;
  url) cmd_url "$2" ;;
  *) usage ;;
esac
