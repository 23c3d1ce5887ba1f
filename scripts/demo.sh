#!/usr/bin/env bash
# The main job on an embedded default: start a local throwaway PostgreSQL (scripts/dev-db.sh), create the
# tesladb_demo database, migrate it with tesladb-migrate, load realistic sample data, and print its status.
# Run it again at any time: it is idempotent (nothing is applied twice; sample data is loaded once).
#
#   scripts/demo.sh              start/reuse the cluster, migrate, load sample data if there is none, show status
#   scripts/demo.sh --rows N     replace the sample data with N cached responses (e.g. 1000000 for a large demo)
#   scripts/demo.sh --no-console the same without opening the console at the end
#   scripts/demo.sh --sample     the same, then run the sample worker (samples/) on its own database of the demo
#                                cluster against the local Fleet API simulator, with a demo token key kept beside the
#                                cluster (Ctrl+C stops)
#   scripts/demo.sh --stop       stop the cluster (scripts/dev-db.sh destroy deletes it)
# At the end it opens tesladb-admin on the demo database (when run in a terminal).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rows=
console=1
sample=0
while [ $# -gt 0 ]; do
  case "$1" in
    --stop) exec scripts/dev-db.sh stop ;;
    --no-console) console=0 ;;
    --sample) sample=1; console=0 ;;
    --rows)
      [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "demo.sh: --rows takes a number of cached responses, e.g. --rows 100000" >&2; exit 2; }
      rows=$2; shift ;;
    *) echo "demo.sh: unknown option '$1' (use --rows N, --no-console, --sample or --stop)" >&2; exit 2 ;;
  esac
  shift
done
command -v dotnet >/dev/null || { echo "demo.sh: the .NET SDK (dotnet) is not on PATH; install .NET 10." >&2; exit 1; }

scripts/dev-db.sh start
scripts/dev-db.sh psql -q -v ON_ERROR_STOP=1 -tAc "SELECT 1 FROM pg_database WHERE datname = 'tesladb_demo'" | grep -q 1 \
  || scripts/dev-db.sh psql -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE tesladb_demo"

url=$(scripts/dev-db.sh url)
export TESLADB_CONNECTION=${url%/postgres}/tesladb_demo

echo "Building tesladb-migrate and tesladb-admin…"
dotnet build src/TeslaDb.Admin --nologo -v quiet -clp:ErrorsOnly && dotnet build src/TeslaDb.Migrations.Tool --nologo -v quiet -clp:ErrorsOnly
migrate() { dotnet src/TeslaDb.Migrations.Tool/bin/Debug/net10.0/tesladb-migrate.dll "$@"; }

echo
migrate up
echo
if [ -n "$rows" ] || [ "$(scripts/dev-db.sh psql -d tesladb_demo -tAc "SELECT count(*) FROM tesla_accounts")" = "0" ]; then
  echo "Loading sample data (${rows:-300} cached responses)…"
  scripts/dev-db.sh psql -d tesladb_demo -q -v rows="${rows:-300}" -f scripts/sample-data.sql
fi
migrate status
echo
scripts/dev-db.sh psql -d tesladb_demo -tAc "SELECT format('Sample data: %s accounts of %s users, %s vehicles, %s cached responses (%s expired), %s tokens.',
  (SELECT count(*) FROM tesla_accounts), (SELECT count(DISTINCT supabase_user_id) FROM tesla_accounts), (SELECT count(*) FROM vehicles),
  (SELECT count(*) FROM vehicle_data_cache), (SELECT count(*) FROM vehicle_data_cache WHERE expires_at <= now()), (SELECT count(*) FROM tokens))"
cat <<TEXT

The demo database runs locally. To use it yourself (the URL holds the generated password):
  export TESLADB_CONNECTION="\$(scripts/dev-db.sh url | sed 's#/postgres\$#/tesladb_demo#')"
  dotnet run --project src/TeslaDb.Migrations.Tool -- status
  dotnet run --project src/TeslaDb.Admin            (the console; --read-only to browse only)
  scripts/dev-db.sh psql -d tesladb_demo
Stop it with scripts/demo.sh --stop; delete it with scripts/dev-db.sh destroy.
TEXT

if [ "$sample" = 1 ]; then
  # A token key for the demo only, kept with the throwaway cluster (never in the database, never in git).
  key_file=${TESLADB_DEV_DB_DIR:-$root/.dev-db}/demo-token-key
  [ -s "$key_file" ] || (umask 077; migrate generate-token-key --id demo 2>/dev/null | head -n 1 > "$key_file")
  # Its own database on the demo cluster: the simulator knows only the accounts the sample creates, and the demo's
  # sample accounts (fake tokens) would each be refused by it and marked as needing a new login.
  scripts/dev-db.sh psql -q -v ON_ERROR_STOP=1 -tAc "SELECT 1 FROM pg_database WHERE datname = 'tesladb_sample'" | grep -q 1 \
    || scripts/dev-db.sh psql -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE tesladb_sample"
  echo
  echo "Running the sample worker on tesladb_sample (migrated in-process) against the local Fleet API simulator (Ctrl+C stops it)…"
  TeslaDb__ConnectionString=${url%/postgres}/tesladb_sample TESLADB_TOKEN_KEYS=$(cat "$key_file") \
    exec dotnet run --project samples/TeslaDb.SampleWorker
fi

if [ "$console" = 1 ] && [ -t 0 ] && [ -t 1 ]; then
  echo
  echo "Opening the console (q quits, ? lists the keys)…"
  sleep 1
  dotnet src/TeslaDb.Admin/bin/Debug/net10.0/TeslaDb.Admin.dll
fi
