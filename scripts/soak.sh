#!/usr/bin/env bash
# The long reliability runs: the concurrency, fault and restart tests at a larger scale, several times over, each
# time on a new throwaway cluster (through scripts/test.sh). Last line: "soak: N of N runs passed".
#
#   scripts/soak.sh                 3 runs at scale 20 (SoakConcurrencyTests: 8 writers, 48,000 single-row upserts of 12 keys)
#   scripts/soak.sh --runs 5 --scale 50
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=3
scale=20
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    *) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done

export TESLADB_SOAK_SCALE=$scale
filter="FullyQualifiedName~SoakConcurrencyTests|FullyQualifiedName~TeslaDb.Access.Tests.ConcurrencyTests|FullyQualifiedName~TeslaDb.Migrations.Tests.ConcurrencyTests|FullyQualifiedName~KilledConnectionTests|FullyQualifiedName~ServerRestartTests|FullyQualifiedName~InterruptedRunTests|FullyQualifiedName~PgBouncerTransactionModeTests"
passed=0
for i in $(seq 1 "$runs"); do
  started=$(date +%s)
  if scripts/test.sh --filter "$filter" | tail -n 1 | sed "s/^/soak run $i: /"; then
    passed=$((passed + 1))
  fi
  echo "soak run $i: $(( $(date +%s) - started )) s (scale $scale)"
done
echo "soak: $passed of $runs runs passed"
[ "$passed" -eq "$runs" ]
