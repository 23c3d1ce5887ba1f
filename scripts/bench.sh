#!/usr/bin/env bash
# Runs the side-by-side benchmarks (tests/TeslaDb.Benchmarks) on a throwaway PostgreSQL cluster and writes the
# measured tables into docs/benchmarks.md (between the markers), then removes the cluster.
#
#   scripts/bench.sh           full run (about a minute)
#   scripts/bench.sh --quick   smoke run with few rounds (figures not written to docs/)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
quick=()
[ "${1:-}" = "--quick" ] && quick=(--quick)

export TESLADB_DEV_DB_DIR
TESLADB_DEV_DB_DIR=$(mktemp -d /tmp/tesladb-bench-db.XXXXXX)
out=$(mktemp /tmp/tesladb-bench.XXXXXX.md)
trap 'scripts/dev-db.sh stop >/dev/null 2>&1 || true; rm -rf "$TESLADB_DEV_DB_DIR" "$out"' EXIT INT TERM

scripts/dev-db.sh start
dotnet build tests/TeslaDb.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet tests/TeslaDb.Benchmarks/bin/Release/net10.0/TeslaDb.Benchmarks.dll "$(scripts/dev-db.sh url)" "${quick[@]}" --out "$out"

if [ ${#quick[@]} -eq 0 ]; then
  machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB; PostgreSQL $(scripts/dev-db.sh psql -tAc 'SHOW server_version'); .NET $(dotnet --version); $(date -u +%Y-%m-%d)"
  python3 - "$out" "$machine" <<'PY'
import re, sys
tables = open(sys.argv[1]).read()
doc = open("docs/benchmarks.md").read()
block = f"<!-- bench:start -->\nMeasured on: {sys.argv[2]}. Command: `scripts/bench.sh`.\n\n{tables}<!-- bench:end -->"
open("docs/benchmarks.md", "w").write(re.sub(r"<!-- bench:start -->.*<!-- bench:end -->", lambda m: block, doc, flags=re.S))
PY
  echo "bench.sh: docs/benchmarks.md updated"
fi
