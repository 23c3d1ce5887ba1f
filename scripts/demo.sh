#!/usr/bin/env bash
# The main job on an embedded default: start a local throwaway PostgreSQL (scripts/dev-db.sh), create the
# tesladb_demo database, migrate it with tesladb-migrate, and print its status.
# Run it again at any time: it is idempotent (nothing is applied twice).
#
#   scripts/demo.sh          start/reuse the cluster, migrate, show status
#   scripts/demo.sh --stop   stop the cluster (scripts/dev-db.sh destroy deletes it)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [ "${1:-}" = "--stop" ]; then exec scripts/dev-db.sh stop; fi
command -v dotnet >/dev/null || { echo "demo.sh: the .NET SDK (dotnet) is not on PATH; install .NET 10." >&2; exit 1; }

scripts/dev-db.sh start
scripts/dev-db.sh psql -q -v ON_ERROR_STOP=1 -tAc "SELECT 1 FROM pg_database WHERE datname = 'tesladb_demo'" | grep -q 1 \
  || scripts/dev-db.sh psql -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE tesladb_demo"

url=$(scripts/dev-db.sh url)
export TESLADB_CONNECTION=${url%/postgres}/tesladb_demo

echo "Building tesladb-migrate…"
dotnet build src/TeslaDb.Migrations --nologo -v quiet -clp:ErrorsOnly
migrate() { dotnet src/TeslaDb.Migrations/bin/Debug/net10.0/TeslaDb.Migrations.dll "$@"; }

echo
migrate up
echo
migrate status
cat <<TEXT

The demo database runs locally. To use it yourself (the URL holds the generated password):
  export TESLADB_CONNECTION="\$(scripts/dev-db.sh url | sed 's#/postgres\$#/tesladb_demo#')"
  dotnet run --project src/TeslaDb.Migrations -- status
  scripts/dev-db.sh psql -d tesladb_demo
Stop it with scripts/demo.sh --stop; delete it with scripts/dev-db.sh destroy.
TEXT
