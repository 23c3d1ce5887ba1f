#!/usr/bin/env bash
# Runs the side-by-side benchmarks (tests/TeslaDb.Benchmarks) on throwaway PostgreSQL clusters and writes the
# measured tables into docs/benchmarks.md (between the markers), then removes the clusters.
#
#   scripts/bench.sh           full run (about 10 minutes: 2M cache rows for the cleanup row)
#   scripts/bench.sh --quick   smoke run with few rounds and small tables (figures not written to docs/)
#
# Every section runs on a durable cluster (TESLADB_DEV_DB_DURABLE=1: fsync and synchronous_commit on, as on
# Supabase); the batch upsert runs a second time on the tests' fast cluster (both off), where a commit costs nothing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
quick=()
[ "${1:-}" = "--quick" ] && quick=(--quick)

durable_dir=$(mktemp -d /tmp/tesladb-bench-db.XXXXXX)
fast_dir=$(mktemp -d /tmp/tesladb-bench-db.XXXXXX)
out=$(mktemp /tmp/tesladb-bench.XXXXXX.md)
cleanup() {
  TESLADB_DEV_DB_DIR=$durable_dir scripts/dev-db.sh stop >/dev/null 2>&1 || true
  TESLADB_DEV_DB_DIR=$fast_dir scripts/dev-db.sh stop >/dev/null 2>&1 || true
  rm -rf "$durable_dir" "$fast_dir" "$out"
}
trap cleanup EXIT INT TERM

dotnet build tests/TeslaDb.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly
bench=(dotnet tests/TeslaDb.Benchmarks/bin/Release/net10.0/TeslaDb.Benchmarks.dll)
started=$(date +%s)

TESLADB_DEV_DB_DIR=$durable_dir TESLADB_DEV_DB_DURABLE=1 scripts/dev-db.sh start
"${bench[@]}" "$(TESLADB_DEV_DB_DIR=$durable_dir scripts/dev-db.sh url)" "${quick[@]}" --out "$out" \
  --title "Durable cluster (fsync = on, synchronous_commit = on: PostgreSQL's defaults, as on Supabase)"
version=$(TESLADB_DEV_DB_DIR=$durable_dir scripts/dev-db.sh psql -tAc 'SHOW server_version')
TESLADB_DEV_DB_DIR=$durable_dir scripts/dev-db.sh stop

TESLADB_DEV_DB_DIR=$fast_dir scripts/dev-db.sh start
"${bench[@]}" "$(TESLADB_DEV_DB_DIR=$fast_dir scripts/dev-db.sh url)" "${quick[@]}" --out "$out" --only upsert \
  --title "Fast cluster (fsync = off, synchronous_commit = off: what scripts/test.sh uses)"
TESLADB_DEV_DB_DIR=$fast_dir scripts/dev-db.sh stop
elapsed=$(( $(date +%s) - started ))
echo "bench.sh: measured in ${elapsed} s" >&2

if [ ${#quick[@]} -eq 0 ]; then
  machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB, $(df -h --output=source "$durable_dir" 2>/dev/null | tail -n 1 | xargs) disk; PostgreSQL $version; .NET $(dotnet --version); $(date -u +%Y-%m-%d); ${elapsed} s"
  python3 - "$out" "$machine" <<'PY'
import re, sys
tables = open(sys.argv[1]).read()
doc = open("docs/benchmarks.md").read()
block = f"<!-- bench:start -->\nMeasured on: {sys.argv[2]}. Command: `scripts/bench.sh`.\n\n{tables}<!-- bench:end -->"
open("docs/benchmarks.md", "w").write(re.sub(r"<!-- bench:start -->.*<!-- bench:end -->", lambda m: block, doc, flags=re.S))
PY
  echo "bench.sh: docs/benchmarks.md updated"
fi
