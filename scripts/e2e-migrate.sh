#!/usr/bin/env bash
# tesladb-migrate published as Native AOT, checked against the build output (JIT) command by command: the verbs,
# --json, the token keys, the usage and connection errors. Each command runs on both builds, each build on a database
# of its own, in the same order; stdout, stderr and the exit code must be the same once durations, timestamps,
# database names and generated keys are blanked. Trimming removes what only reflection reaches (FluentMigrator finds
# its driver by type name; --json used to serialize by reflection): such a break shows here as a difference, not in
# a DBA's CI. Prints each difference; exits 0 when there is none.
#
#   TESLADB_E2E_MIGRATE=<executable> scripts/e2e-migrate.sh
#   (scripts/test.sh publishes the executable with scripts/publish-aot.sh migrate and runs this)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
aot=${TESLADB_E2E_MIGRATE:-}
[ -x "$aot" ] || { echo "e2e-migrate.sh: set TESLADB_E2E_MIGRATE to a tesladb-migrate executable (scripts/publish-aot.sh migrate builds one)." >&2; exit 2; }

export TESLADB_DEV_DB_DIR
TESLADB_DEV_DB_DIR=$(mktemp -d /tmp/tesladb-e2e-migrate-db.XXXXXX)
work=$(mktemp -d /tmp/tesladb-e2e-migrate.XXXXXX)
cleanup() {
  scripts/dev-db.sh stop >/dev/null 2>&1 || true
  rm -rf "$TESLADB_DEV_DB_DIR" "$work"
}
trap cleanup EXIT INT TERM

dotnet build src/TeslaDb.Migrations.Tool --nologo -v quiet -clp:ErrorsOnly >/dev/null
jit="dotnet $root/src/TeslaDb.Migrations.Tool/bin/Debug/net10.0/tesladb-migrate.dll"
scripts/dev-db.sh start >/dev/null 2>&1
url=$(scripts/dev-db.sh url)
server=${url%/postgres}
password=$(cat "$TESLADB_DEV_DB_DIR/password")
scripts/dev-db.sh psql -q -c "CREATE DATABASE e2e_jit" -c "CREATE DATABASE e2e_aot"
# Neither the developer's database nor their keys.
unset TESLADB_CONNECTION ConnectionStrings__TeslaDb TESLADB_TOKEN_KEYS

# What legitimately differs between two runs: which database, how long, when, and a freshly generated key.
blank() {
  sed -E -i \
    -e 's/e2e_(jit|aot)/e2e_DB/g' \
    -e 's/[0-9]+(\.[0-9]+)? ?ms\b/N ms/g' \
    -e 's/"elapsedMs": [0-9.]+/"elapsedMs": X/g' \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+( ?(Z|UTC|[+-][0-9:]+))?/TIME/g' \
    -e 's/[A-Za-z0-9+\/]{43}=/KEY/g' "$@"
}

checks=0 failures=0
# run NAME ARGS...: the command on both builds, TESLADB_CONNECTION set to each one's database (an argument @DB@ is
# replaced by that database's URL, @BADPW@ by the same URL with a wrong password); then compared.
run() {
  local name=$1 build cmd arg status
  shift
  for build in jit aot; do
    [ "$build" = jit ] && cmd=$jit || cmd=$aot
    local args=()
    for arg in "$@"; do
      arg=${arg//@DB@/$server/e2e_$build}
      args+=("${arg//@BADPW@/${server/$password/not-the-password}/e2e_$build}")
    done
    status=0
    TESLADB_CONNECTION=$server/e2e_$build $cmd "${args[@]}" >"$work/$build.out" 2>"$work/$build.err" || status=$?
    echo "exit $status" >>"$work/$build.err"
    blank "$work/$build.out" "$work/$build.err"
  done
  checks=$((checks + 1))
  if ! diff -u --label "jit: $name" --label "aot: $name" <(cat "$work/jit.out" "$work/jit.err") <(cat "$work/aot.out" "$work/aot.err") >"$work/diff"; then
    failures=$((failures + 1))
    echo "e2e-migrate.sh: DIFFERENT: tesladb-migrate $* ($name)" >&2
    cat "$work/diff" >&2
  fi
}
both_psql() { for build in jit aot; do scripts/dev-db.sh psql -q -d "e2e_$build" -c "$1" >/dev/null; done; }

run help --help
run up-help up --help
run unknown-command frobnicate
run unknown-option status --frobnicate
run bad-connection-string status -c "Host=;Port=x"
run wrong-password status -c "@BADPW@"
run wrong-password-json status --json -c "@BADPW@"
run nothing-listening status -c "Host=127.0.0.1;Port=1;Username=postgres;Password=x;Database=x"
run status-empty status
run status-empty-exit-code status --exit-code
run status-empty-json status --json
run plan plan
run plan-json plan --json
run lint lint
run script script
run verify-pending verify
run up-to up --to 202611251030 --json
run status-partial status
run up up --connection "@DB@"
run up-nothing-pending up --json
run status-json status --json
run verify verify --json
run plan-all-json plan --all --json
run down-to down --to 202611251030 --json
run up-again up
# A plain token row, as the seed's own INSERT leaves it, then the keys.
both_psql "INSERT INTO tokens (key, token_data, expires_at) VALUES ('user_token:e2e', '{\"access_token\": \"eyJ-E2E-ACCESS\", \"refresh_token\": \"EU-E2E-REFRESH\"}', now() + interval '8 hours')"
run encrypt-without-keys encrypt-tokens
run generate-token-key generate-token-key --id e2e
export TESLADB_TOKEN_KEYS
TESLADB_TOKEN_KEYS=$($jit generate-token-key --id e2e 2>/dev/null | grep -o 'e2e:[A-Za-z0-9+/=]*' | head -1)
run encrypt-tokens encrypt-tokens --batch-size 1
run encrypt-tokens-again encrypt-tokens --json
unset TESLADB_TOKEN_KEYS
run schedule-cleanup schedule-cleanup --every 15m
run unschedule-cleanup unschedule-cleanup
both_psql "ALTER TABLE tesla_accounts ADD COLUMN e2e_drift integer"
run verify-drift verify
run verify-drift-json verify --json

# The AOT build's encryption left no token value in its table.
stored=$(scripts/dev-db.sh psql -d e2e_aot -tAc "SELECT token_data::text FROM tokens")
if [ -z "$stored" ] || grep -q "E2E-" <<<"$stored"; then
  failures=$((failures + 1))
  echo "e2e-migrate.sh: FAILED: e2e_aot's tokens hold no row, or a token value still readable, after encrypt-tokens" >&2
fi

if [ "$failures" -gt 0 ]; then
  echo "e2e-migrate.sh: $failures of $checks commands printed or exited differently under Native AOT" >&2
  exit 1
fi
echo "e2e-migrate.sh: $checks commands print and exit the same under Native AOT as under the JIT"
