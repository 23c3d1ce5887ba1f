#!/usr/bin/env bash
# End-to-end check of tesladb-admin as an operator uses it: the real binary in a real terminal (tmux), against a
# throwaway PostgreSQL loaded with the demo's sample data. Types keys with send-keys, reads the screen with
# capture-pane. Exits 0 when every check passed; prints the screen it was waiting on when one did not.
#
#   scripts/e2e-admin.sh          (needs tmux; scripts/test.sh runs it when tmux is installed)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
command -v tmux >/dev/null || { echo "e2e-admin.sh: tmux is not installed (apt-get install tmux)." >&2; exit 2; }

export TESLADB_DEV_DB_DIR
TESLADB_DEV_DB_DIR=$(mktemp -d /tmp/tesladb-e2e-db.XXXXXX)
session="tesladb-e2e-$$"
# A tmux server of our own: a session of an already running server would get that server's environment, not ours.
tmux() { command tmux -L "$session" "$@"; }
cleanup() {
  tmux kill-server 2>/dev/null || true
  scripts/dev-db.sh stop >/dev/null 2>&1 || true
  rm -rf "$TESLADB_DEV_DB_DIR" "${workdir:-}"
}
trap cleanup EXIT INT TERM

scripts/dev-db.sh start >/dev/null
scripts/dev-db.sh psql -q -c "CREATE DATABASE tesladb_e2e"
url=$(scripts/dev-db.sh url)
export TESLADB_CONNECTION=${url%/postgres}/tesladb_e2e
# The console under test: the build output, or another build of it (TESLADB_E2E_ADMIN, e.g. the Native AOT executable
# of scripts/publish-aot.sh admin, which scripts/test.sh runs this script against too).
admin=${TESLADB_E2E_ADMIN:-dotnet $root/src/TeslaDb.Admin/bin/Debug/net10.0/TeslaDb.Admin.dll}
[ -n "${TESLADB_E2E_ADMIN:-}" ] || dotnet build src/TeslaDb.Admin --nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build src/TeslaDb.Migrations.Tool --nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet src/TeslaDb.Migrations.Tool/bin/Debug/net10.0/tesladb-migrate.dll up >/dev/null
scripts/dev-db.sh psql -d tesladb_e2e -q -v rows=300 -f scripts/sample-data.sql >/dev/null
expired=$(scripts/dev-db.sh psql -d tesladb_e2e -tAc "SELECT count(*) FROM vehicle_data_cache WHERE expires_at <= now()")
tokens=$(scripts/dev-db.sh psql -d tesladb_e2e -tAc "SELECT count(*) FROM tokens")

# The console runs in a folder of its own: the export prompt proposes a file there.
workdir=$(mktemp -d /tmp/tesladb-e2e-work.XXXXXX)
tmux new-session -d -s "$session" -x 120 -y 32 -c "$workdir" \
  "$admin --env production --typed-confirm-above 100000 --page-size 10 2>/tmp/$session.err; echo EXIT=\$?; sleep 120"
# tmux takes the console's OSC 52 copy into its paste buffer (show-buffer reads it back).
tmux set -s set-clipboard on

screen() { tmux capture-pane -p -t "$session"; }
# wait_for TEXT: polls the screen for up to 20 s; fails with the screen when the text never shows.
wait_for() {
  for _ in $(seq 200); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "e2e-admin.sh: FAILED waiting for '$1'. Screen:" >&2
  screen >&2
  exit 1
}
keys() { tmux send-keys -t "$session" "$@"; }
# wait_gone TEXT: polls until the text is off the screen (a dialog closed), for up to 20 s.
wait_gone() {
  for _ in $(seq 200); do
    if ! screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "e2e-admin.sh: FAILED waiting for '$1' to go. Screen:" >&2
  screen >&2
  exit 1
}
# Escape alone: a key sent right after it would arrive as Alt+key.
escape() { keys Escape; sleep 0.3; }
never_secret() {
  if screen | grep -qE 'DEMO-ONLY|eyJhbGciOiJSUzI1NiJ9'; then echo "e2e-admin.sh: FAILED: a token value is on screen" >&2; screen >&2; exit 1; fi
}

wait_for "rows 1–10 · page 1 · more below"
wait_for "TeslaDb admin · PRODUCTION · local"
wait_for "values hidden"; never_secret
keys /;                       wait_for "Filter Accounts"
keys -l "owner2@";            wait_for "┃ owner2@"         # what is typed shows in the field (it once did not)
keys Enter;                   wait_for "filter 'owner2@'"
keys Enter;                   wait_for "Accounts › owner2@example.com"
keys j Enter;                 wait_for "Endpoint"
keys /;                       wait_for "Endpoint name"
keys -l "charge_state"; keys Enter; wait_for "filter 'charge_state'"
keys Enter;                   wait_for '"battery_level"'; never_secret
keys c;                       wait_for "Copied the JSON of charge_state"
copied=$(tmux show-buffer 2>/dev/null || true)
grep -qF '"battery_level"' <<<"$copied" || { echo "e2e-admin.sh: FAILED: the OSC 52 copy did not reach tmux's buffer (got '${copied:0:80}')" >&2; exit 1; }
if grep -qE 'DEMO-ONLY|eyJhbGciOiJSUzI1NiJ9' <<<"$copied"; then echo "e2e-admin.sh: FAILED: a token value was copied" >&2; exit 1; fi
escape; escape; escape;       wait_for "Accounts   (rows"
keys g;                       wait_for "Go to a vehicle"
keys -l "5yj'; drop table"; keys Enter; wait_for "cannot start a VIN"
keys s;                       wait_for "Cache statistics"
wait_for "total"; escape
keys m;                       wait_for "Up to date at"      # FluentMigrator's status (reflection: kept under Native AOT)
wait_for "Cache rows reference their vehicle's account"; escape
keys x;                       wait_for "Delete $expired cached responses"
keys x;                       wait_for "Delete $expired cached responses"   # a second x does not confirm
keys p;                       wait_for "Deleted $expired cached responses"
keys Enter;                   wait_gone "┥Purged┝"
# The list refreshes quietly after the dialog closes: a key typed meanwhile waits its turn (no re-pressing).
keys l;                       wait_for "Journal of purges   (rows 1–1"
wait_for "completed"; wait_for "expired cleanup_expired_cache()"
escape;                       wait_for "Accounts   (rows"
keys /;                       wait_for "Filter Accounts"     # clear the filter: export the whole list
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace Enter
wait_for "rows 1–10 · page 1 · more below"
keys '>';                     wait_for "File to write every row of this list to"; wait_for "┃ ./tesladb-accounts-"
keys Enter;                   wait_for "Exported 25 rows to $workdir/tesladb-accounts-"
exported=$(ls "$workdir"/tesladb-accounts-*.csv)
[ "$(wc -l <"$exported")" = 26 ] || { echo "e2e-admin.sh: FAILED: $exported has $(wc -l <"$exported") lines, not a header and 25 accounts" >&2; exit 1; }
if grep -qE 'DEMO-ONLY|eyJhbGciOiJSUzI1NiJ9' "$exported"; then echo "e2e-admin.sh: FAILED: a token value was exported" >&2; exit 1; fi
# PageDown held: the keys arrive while pages load, wait their turn, and run in order to the last page (they used to
# go round the queue for ever and the console stopped answering).
keys PageDown PageDown PageDown PageDown PageDown PageDown PageDown PageDown PageDown PageDown PageDown PageDown
wait_for "rows 21–25 · page 3 · end"
keys PageUp PageUp PageUp PageUp PageUp PageUp PageUp PageUp; wait_for "rows 1–10 · page 1 · more below"
keys F1;                      wait_for "Every key (the mouse works too"
escape; sleep 0.5; keys q;    wait_for "EXIT=0"

left=$(scripts/dev-db.sh psql -d tesladb_e2e -tAc "SELECT count(*) FROM vehicle_data_cache WHERE expires_at <= now()")
tokens_after=$(scripts/dev-db.sh psql -d tesladb_e2e -tAc "SELECT count(*) FROM tokens")
[ "$left" = 0 ] || { echo "e2e-admin.sh: FAILED: $left expired rows left after the purge" >&2; exit 1; }
[ "$tokens_after" = "$tokens" ] || { echo "e2e-admin.sh: FAILED: tokens went from $tokens to $tokens_after" >&2; exit 1; }
journal=$(scripts/dev-db.sh psql -d tesladb_e2e -tAc "SELECT scope_kind || ' ' || rows_deleted || ' ' || outcome FROM tesladb.admin_journal")
[ "$journal" = "expired $expired completed" ] || { echo "e2e-admin.sh: FAILED: the journal holds '$journal', not 'expired $expired completed'" >&2; exit 1; }
[ "$(tmux display -p -t "$session" '#{alternate_on}')" = 0 ] || { echo "e2e-admin.sh: FAILED: the terminal was not restored" >&2; exit 1; }
echo "e2e-admin.sh: passed ($admin: filter, drill-down to JSON, JSON copied through OSC 52 into tmux's buffer, 25 accounts exported over 3 pages to CSV, PageDown held to the last page and back, bad VIN, statistics, migration status, production label, purge of $expired expired rows confirmed, reported and journaled, journal view, help, $tokens tokens kept, no token on screen, terminal restored)"
