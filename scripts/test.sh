#!/usr/bin/env bash
# Runs every test project of the solution against a throwaway PostgreSQL cluster, then removes the cluster.
# Last line: "tests: N passed, N failed, N skipped". Exits non-zero when a test fails or when no test ran.
#
#   scripts/test.sh                 all tests
#   scripts/test.sh --filter EXPR   only the tests matching a dotnet test filter (e.g. FullyQualifiedName~Concurrency)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
filter=()
if [ "${1:-}" = "--filter" ] && [ -n "${2:-}" ]; then filter=(--filter "$2"); fi

command -v dotnet >/dev/null || { echo "test.sh: the .NET SDK (dotnet) is not on PATH; install .NET 10." >&2; exit 1; }

# The pooler and scheduling tests need PgBouncer and pg_cron (Debian packages); install them when missing.
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  missing=()
  command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
  ls /usr/lib/postgresql/*/lib/pg_cron.so >/dev/null 2>&1 || missing+=(postgresql-15-cron)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "test.sh: installing ${missing[*]} with apt…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq "${missing[@]}" >&2
  fi
fi

# The tests and the throwaway server run in a zone far from UTC with a 45-minute offset, so that anything reading
# the local clock or zone instead of UTC shows up as a failure (TESLADB_TEST_TZ overrides it).
export TZ=${TESLADB_TEST_TZ:-Pacific/Chatham}

export TESLADB_DEV_DB_DIR
TESLADB_DEV_DB_DIR=$(mktemp -d /tmp/tesladb-test-db.XXXXXX)
results=$(mktemp -d /tmp/tesladb-test-results.XXXXXX)
cleanup() {
  scripts/dev-db.sh stop >/dev/null 2>&1 || true
  rm -rf "$TESLADB_DEV_DB_DIR" "$results"
}
trap cleanup EXIT INT TERM

scripts/dev-db.sh start
export TESLADB_TEST_CONNECTION
TESLADB_TEST_CONNECTION=$(scripts/dev-db.sh url)
# The tools under test must not pick up a developer's own database.
unset TESLADB_CONNECTION ConnectionStrings__TeslaDb

dotnet build TeslaDb.sln --nologo -v quiet -clp:ErrorsOnly
status=0
dotnet test TeslaDb.sln --no-build --nologo -v quiet --logger "trx" --results-directory "$results" "${filter[@]}" || status=$?

# The console end to end in a real terminal (tmux), counted as one more test: the build output first.
# Then the same against the console published as Native AOT (what docs/admin.md recommends): a reflection use that
# trimming breaks (FluentMigrator's driver lookup did) fails here, not on an operator's screen. And tesladb-migrate
# published as Native AOT, every verb compared with the build output's (scripts/e2e-migrate.sh). Three tests.
e2e_passed=0 e2e_failed=0
e2e() { if "$@"; then e2e_passed=$((e2e_passed + 1)); else e2e_failed=$((e2e_failed + 1)); fi; }
# aot_e2e admin|migrate EXECUTABLE VARIABLE SCRIPT: publishes that executable, then runs SCRIPT with VARIABLE naming it.
aot_e2e() {
  local aot status=0
  aot=$(mktemp -d /tmp/tesladb-test-aot.XXXXXX)
  if ! scripts/publish-aot.sh "$1" "$aot" >"$aot.log" 2>&1; then
    echo "test.sh: FAILED: scripts/publish-aot.sh $1 said:" >&2
    tail -20 "$aot.log" >&2
    status=1
  elif ! env "$3=$aot/$2" "$4"; then
    echo "test.sh: FAILED: $4 against the Native AOT executable of scripts/publish-aot.sh $1" >&2
    status=1
  fi
  rm -rf "$aot" "$aot.log"
  return $status
}
if [ ${#filter[@]} -gt 0 ]; then
  echo "test.sh: --filter given: the end-to-end runs on Native AOT executables (5-6 minutes of publishing) are left out." >&2
fi
if command -v tmux >/dev/null; then
  e2e scripts/e2e-admin.sh
  [ ${#filter[@]} -gt 0 ] || e2e aot_e2e admin TeslaDb.Admin TESLADB_E2E_ADMIN scripts/e2e-admin.sh
else
  echo "test.sh: tmux is not installed: scripts/e2e-admin.sh skipped (apt-get install tmux to run it)." >&2
fi
[ ${#filter[@]} -gt 0 ] || e2e aot_e2e migrate tesladb-migrate TESLADB_E2E_MIGRATE scripts/e2e-migrate.sh

# Sum the counters of every test project's TRX report.
read -r passed failed skipped total < <(
  cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
    { for (i = 1; i <= NF; i++) { split($i, kv, "=");  gsub(/"/, "", kv[2]); c[kv[1]] += kv[2] } }
    END { printf "%d %d %d %d\n", c["passed"], c["failed"], c["notExecuted"], c["total"] }')
passed=$((passed + e2e_passed)) failed=$((failed + e2e_failed)) total=$((total + e2e_passed + e2e_failed))
# Name every failed test with the first lines of its message: the results folder is deleted on exit.
cat "$results"/*.trx 2>/dev/null | awk '
  BEGIN { RS = "<UnitTestResult " }
  { tag = $0; sub(/>.*/, "", tag) }
  tag ~ /outcome="Failed"/ {
    name = tag; sub(/.*testName="/, "", name); sub(/".*/, "", name); gsub(/&quot;/, "\"", name); gsub(/&amp;/, "\\&", name)
    msg = ""
    if (match($0, /<Message>[^<]*<\/Message>/)) { msg = substr($0, RSTART + 9, RLENGTH - 19) }
    gsub(/&lt;/, "<", msg); gsub(/&gt;/, ">", msg); gsub(/&quot;/, "\"", msg); gsub(/&apos;/, "\047", msg); gsub(/&amp;/, "\\&", msg)
    split(msg, lines, "\n"); text = lines[1]; for (i = 2; i <= 6 && i in lines; i++) text = text "\n      " lines[i]
    printf "FAILED %s\n      %s\n", name, text
  }' >&2
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$total" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
if [ "$failed" -gt 0 ] || [ "$status" -ne 0 ]; then
  exit 1
fi
