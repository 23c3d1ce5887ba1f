#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for development and tests, built from the machine's PostgreSQL binaries.
#
#   scripts/dev-db.sh start    create (first time) and start the cluster on a free loopback port
#   scripts/dev-db.sh stop     stop it (the data stays until you delete the folder)
#   scripts/dev-db.sh destroy  stop it and delete its folder
#   scripts/dev-db.sh status   say whether it runs, and where
#   scripts/dev-db.sh url      print its postgresql:// URL (superuser postgres, with the generated password)
#   scripts/dev-db.sh psql     open psql on it (extra arguments go to psql)
#   scripts/dev-db.sh standby PRIMARY_DIR   create (pg_basebackup -R) and start a streaming standby of the cluster
#                              in PRIMARY_DIR, in $TESLADB_DEV_DB_DIR (same password, its own port)
#   scripts/dev-db.sh promote  promote this standby to a primary (pg_ctl promote)
#
# The cluster lives in $TESLADB_DEV_DB_DIR (default: .dev-db/ at the repository root, git-ignored).
# It runs with fsync, synchronous_commit and full_page_writes off (fast tests); TESLADB_DEV_DB_DURABLE=1 at creation
# leaves them at PostgreSQL's defaults (on), as production servers (Supabase) run: scripts/bench.sh uses that.
# When the binaries are missing and we are root, Debian's postgresql package is installed with apt.
# As root, the server runs as the postgres OS user (PostgreSQL refuses to run as root).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${TESLADB_DEV_DB_DIR:-$root/.dev-db}
data=$dir/data
say() { printf 'dev-db: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

find_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { printf '%s\n' "$d"; }
  done | sort -V | tail -n 1
}

bindir=$(find_bindir)
ensure_binaries() {
  [ -n "$bindir" ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing PostgreSQL server binaries with apt (Debian package postgresql)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    bindir=$(find_bindir)
  fi
  [ -n "$bindir" ] || die "no PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin); install Debian's 'postgresql' package."
}

# As root, run PostgreSQL programs as the postgres OS user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Below the kernel's ephemeral range (32768–60999 here): a port picked inside it can be taken, between the check and
# the server's bind, as the local port of one of the many client connections the tests open ("could not bind IPv4
# address: Address already in use", seen in a clean-clone CI run). start() also retries on a new port.
free_port() {
  local p tries=0 low=32768 base=10000
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  [ "$low" -gt $((base + 2000)) ] || base=1024
  while [ $tries -lt 200 ]; do
    p=$(( base + RANDOM % (low - base) ))
    if ! port_in_use "$p"; then printf '%s\n' "$p"; return 0; fi
    tries=$((tries + 1))
  done
  die "found no free loopback port"
}

is_running() { [ -f "$data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; }

password() { cat "$dir/password"; }
port() { cat "$dir/port"; }
url() { printf 'postgresql://postgres:%s@127.0.0.1:%s/postgres\n' "$(password)" "$(port)"; }

init_cluster() {
  mkdir -p "$dir"
  # A password of letters and digits: usable as is in a URL and a keyword string.
  # (tr dies of SIGPIPE when head has enough: expected, hence '|| true' under pipefail)
  { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24 || true; } >"$dir/password"
  chmod 600 "$dir/password"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir"
    chmod 700 "$dir"
  fi
  local pwfile
  pwfile=$(mktemp)
  password >"$pwfile"
  [ "$(id -u)" -eq 0 ] && chown postgres "$pwfile"
  as_owner "$bindir/initdb" -D "$data" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { rm -f "$pwfile"; cat "$dir/initdb.log" >&2; die "initdb failed"; }
  rm -f "$pwfile"
  # Throwaway cluster: enough connections for parallel test classes; durability off for speed unless asked for.
  cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 300
log_min_messages = warning
CONF
  if [ "${TESLADB_DEV_DB_DURABLE:-0}" = 1 ]; then
    say "durable: fsync, synchronous_commit and full_page_writes left at PostgreSQL's defaults (on)"
  else
    printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >>"$data/postgresql.conf"
  fi
}

start() {
  ensure_binaries
  if is_running; then say "already running at 127.0.0.1:$(port)"; return 0; fi
  [ -f "$data/PG_VERSION" ] || init_cluster
  local p opts extra="" attempt logged
  # pg_cron (Debian's postgresql-NN-cron), when installed, must be preloaded; its jobs live in database postgres
  # and run in background workers (its default, a libpq login to localhost, needs a password it does not have).
  if [ -f "${bindir%/bin}/lib/pg_cron.so" ]; then
    extra=" -c shared_preload_libraries=pg_cron -c cron.database_name=postgres -c cron.use_background_workers=on"
  fi
  for attempt in 1 2 3 4 5; do
    p=$(free_port)
    printf '%s\n' "$p" >"$dir/port"
    opts="-p $p$extra"
    logged=$( [ -f "$dir/server.log" ] && wc -l <"$dir/server.log" || echo 0 )
    if as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -o "$opts" -w -t 60 start >/dev/null; then
      say "running at 127.0.0.1:$p (data in $data)"
      return 0
    fi
    # Another process took the port between the check and the bind: try another one.
    tail -n +$((logged + 1)) "$dir/server.log" 2>/dev/null | grep -q "Address already in use" || break
    say "port $p was taken meanwhile (attempt $attempt of 5); trying another"
  done
  tail -n 20 "$dir/server.log" >&2
  die "the server did not start (log: $dir/server.log)"
}

# A streaming standby of another dev-db cluster: a base backup with -R (standby.signal and primary_conninfo),
# then the same start as a primary on a port of its own.
standby() {
  local primary=${1:-}
  [ -n "$primary" ] && [ -f "$primary/port" ] || die "standby: give the folder of a running dev-db cluster (its TESLADB_DEV_DB_DIR)"
  ensure_binaries
  if is_running; then say "already running at 127.0.0.1:$(port)"; return 0; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$dir"
    cp "$primary/password" "$dir/password"
    chmod 600 "$dir/password"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir" "$dir/password"; chmod 700 "$dir"; fi
    as_owner env PGPASSWORD="$(password)" "$bindir/pg_basebackup" -D "$data" -R -X stream -c fast \
      -h 127.0.0.1 -p "$(cat "$primary/port")" -U postgres >"$dir/basebackup.log" 2>&1 \
      || { cat "$dir/basebackup.log" >&2; die "pg_basebackup failed"; }
    printf "unix_socket_directories = '%s'\n" "$dir" >>"$data/postgresql.conf"
  fi
  start
}

promote() {
  is_running || die "not running"
  as_owner "$bindir/pg_ctl" -D "$data" -w -t 60 promote >/dev/null
  say "promoted: 127.0.0.1:$(port) is a primary"
}

stop() {
  [ -n "$bindir" ] || return 0
  if is_running; then
    as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    say "stopped"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  standby) standby "${2:-}" ;;
  promote) promote ;;
  destroy) stop; rm -rf "$dir"; say "deleted $dir" ;;
  status)
    if [ -n "$bindir" ] && is_running; then say "running at 127.0.0.1:$(port) (data in $data)"; else say "not running"; exit 3; fi ;;
  url)
    is_running || die "not running: run scripts/dev-db.sh start"
    url ;;
  psql)
    is_running || die "not running: run scripts/dev-db.sh start"
    shift
    # Through libpq's environment, so that psql's own -d/-U/-c options still work.
    PGHOST=127.0.0.1 PGPORT=$(port) PGUSER=postgres PGPASSWORD=$(password) PGDATABASE=${PGDATABASE:-postgres} exec psql "$@" ;;
  *)
    sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2 ;;
esac
