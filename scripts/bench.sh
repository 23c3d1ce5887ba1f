#!/usr/bin/env bash
# Runs the side-by-side benchmarks (tests/TeslaDb.Benchmarks) on throwaway PostgreSQL clusters and writes the
# measured tables into docs/benchmarks.md and docs/admin.md (between their markers), then removes the clusters.
#
#   scripts/bench.sh           full run (10–15 minutes: 2M cache rows for the cleanup row, 1M for the migration-under-load row and the console)
#   scripts/bench.sh --quick   smoke run with few rounds and small tables (figures not written to docs/)
#   scripts/bench.sh --admin   only the console's section (docs/admin.md): 1M cached responses of sample data, and
#                              the console's launch to first page and peak memory, JIT vs ReadyToRun vs Native AOT
#                              (scripts/admin-launch.sh)
#
# Every section runs on a durable cluster (TESLADB_DEV_DB_DURABLE=1: fsync and synchronous_commit on, as on
# Supabase); the batch upsert runs a second time on the tests' fast cluster (both off), where a commit costs nothing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
quick=()
sections=all
case "${1:-}" in
  --quick) quick=(--quick) ;;
  --admin) sections=admin ;;
  "") ;;
  *) echo "bench.sh: unknown option '$1' (use --quick or --admin)" >&2; exit 2 ;;
esac

durable_dir=$(mktemp -d /tmp/tesladb-bench-db.XXXXXX)
fast_dir=$(mktemp -d /tmp/tesladb-bench-db.XXXXXX)
out=$(mktemp /tmp/tesladb-bench.XXXXXX.md)
admin_out=$(mktemp /tmp/tesladb-bench-admin.XXXXXX.md)
tmux_socket="tesladb-bench-$$"
cleanup() {
  tmux -L "$tmux_socket" kill-server 2>/dev/null || true
  TESLADB_DEV_DB_DIR=$durable_dir scripts/dev-db.sh stop >/dev/null 2>&1 || true
  TESLADB_DEV_DB_DIR=$fast_dir scripts/dev-db.sh stop >/dev/null 2>&1 || true
  rm -rf "$durable_dir" "$fast_dir" "$out" "$admin_out" "${migrate_r2r:-}" "${migrate_aot:-}"
}
trap cleanup EXIT INT TERM

dotnet build tests/TeslaDb.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly
# tesladb-migrate published ReadyToRun for linux-x64, beside the build output (JIT), for the migrate section.
migrate_r2r=$(mktemp -d /tmp/tesladb-bench-migrate-r2r.XXXXXX)
dotnet publish src/TeslaDb.Migrations.Tool -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$migrate_r2r" --nologo -v quiet -clp:ErrorsOnly
export TESLADB_BENCH_MIGRATE_R2R="$migrate_r2r/tesladb-migrate.dll"
# And published as Native AOT (scripts/publish-aot.sh migrate, ~2 minutes; not for a --quick smoke run).
if [ "$sections" = all ] && [ ${#quick[@]} -eq 0 ]; then
  migrate_aot=$(mktemp -d /tmp/tesladb-bench-migrate-aot.XXXXXX)
  scripts/publish-aot.sh migrate "$migrate_aot" >/dev/null
  export TESLADB_BENCH_MIGRATE_AOT="$migrate_aot/tesladb-migrate"
fi
bench=(dotnet tests/TeslaDb.Benchmarks/bin/Release/net10.0/TeslaDb.Benchmarks.dll)
durable() { TESLADB_DEV_DB_DIR=$durable_dir "$@"; }
started=$(date +%s)

# The real console in tmux on the loaded database: time from launch to its first page on screen, and its resident
# memory at start and after paging through some 20,000 accounts.
console_figures() {
  local url=$1 pane rss_start position rss_end begin ready
  if ! command -v tmux >/dev/null; then echo "(tmux is not installed: the console's own launch time and memory were not measured.)"; return; fi
  begin=$(date +%s%N)
  tmux -L "$tmux_socket" new-session -d -s bench -x 120 -y 32 -e TESLADB_CONNECTION="$url" \
    "dotnet src/TeslaDb.Admin/bin/Release/net10.0/TeslaDb.Admin.dll; sleep 60"
  for _ in $(seq 600); do
    tmux -L "$tmux_socket" capture-pane -p -t bench | grep -q "rows 1–100 " && break
    sleep 0.02
  done
  ready=$(( ($(date +%s%N) - begin) / 1000000 ))
  pane=$(tmux -L "$tmux_socket" display -p -t bench '#{pane_pid}')
  rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$(pgrep -P "$pane" -x dotnet)/status"; }
  sleep 1
  rss_start=$(rss)
  for _ in $(seq 200); do tmux -L "$tmux_socket" send-keys -t bench PageDown PageDown PageDown PageDown PageDown; sleep 0.05; done
  sleep 2
  position=$(tmux -L "$tmux_socket" capture-pane -p -t bench | grep -o 'rows [0-9,]*–[0-9,]*' | head -1)
  rss_end=$(rss)
  tmux -L "$tmux_socket" send-keys -t bench q
  echo "The console itself (Release build, in tmux 120×32): ${ready} ms from launch to the first page of accounts on screen (process start and Terminal.Gui included); resident ${rss_start} MB after start, ${rss_end} MB after paging down to ${position}."
}

if [ "$sections" = all ]; then
  durable env TESLADB_DEV_DB_DURABLE=1 scripts/dev-db.sh start
  "${bench[@]}" "$(durable scripts/dev-db.sh url)" "${quick[@]}" --out "$out" \
    --title "Durable cluster (fsync = on, synchronous_commit = on: PostgreSQL's defaults, as on Supabase)"
  durable scripts/dev-db.sh stop

  TESLADB_DEV_DB_DIR=$fast_dir scripts/dev-db.sh start
  "${bench[@]}" "$(TESLADB_DEV_DB_DIR=$fast_dir scripts/dev-db.sh url)" "${quick[@]}" --out "$out" --only upsert \
    --title "Fast cluster (fsync = off, synchronous_commit = off: what scripts/test.sh uses)"
  TESLADB_DEV_DB_DIR=$fast_dir scripts/dev-db.sh stop
fi

# The console's data layer over the demo's sample data, loaded as scripts/demo.sh --rows does.
rows=1000000
[ ${#quick[@]} -gt 0 ] && rows=20000
durable env TESLADB_DEV_DB_DURABLE=1 scripts/dev-db.sh start
version=$(durable scripts/dev-db.sh psql -tAc 'SHOW server_version')
durable scripts/dev-db.sh psql -q -c "CREATE DATABASE tesladb_bench_admin"
admin_url=$(durable scripts/dev-db.sh url)
admin_url=${admin_url%/postgres}/tesladb_bench_admin
dotnet src/TeslaDb.Migrations.Tool/bin/Release/net10.0/tesladb-migrate.dll up --connection "$admin_url" >/dev/null
echo "bench: loading ${rows} cached responses of sample data…" >&2
durable scripts/dev-db.sh psql -d tesladb_bench_admin -q -v rows="$rows" -f scripts/sample-data.sql >/dev/null
# A database in steady state, as in production: the bulk load's vacuum done now, not by autovacuum mid-measurement.
durable scripts/dev-db.sh psql -d tesladb_bench_admin -q -c "VACUUM (ANALYZE) public.vehicle_data_cache, public.vehicles, public.tesla_accounts, public.tokens"
{
  "${bench[@]}" "$admin_url" --admin-paging "${quick[@]}"
  console_figures "$admin_url"
  echo
  scripts/admin-launch.sh "$admin_url" "$([ ${#quick[@]} -gt 0 ] && echo 2 || echo 7)"
} | tee "$admin_out"
durable scripts/dev-db.sh stop
elapsed=$(( $(date +%s) - started ))
echo "bench.sh: measured in ${elapsed} s" >&2

if [ ${#quick[@]} -eq 0 ]; then
  machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB, $(df -h --output=source "$durable_dir" 2>/dev/null | tail -n 1 | xargs) disk; PostgreSQL $version; .NET $(dotnet --version); $(date -u +%Y-%m-%d); ${elapsed} s"
  python3 - "$out" "$admin_out" "$machine" "$sections" <<'PY'
import re, sys
out, admin_out, machine, sections = sys.argv[1:]
def write(path, marker, tables, command):
    doc = open(path).read()
    block = f"<!-- {marker}:start -->\nMeasured on: {machine}. Command: `{command}`.\n\n{tables}\n<!-- {marker}:end -->"
    open(path, "w").write(re.sub(rf"<!-- {marker}:start -->.*<!-- {marker}:end -->", lambda m: block, doc, flags=re.S))
if sections == "all":
    write("docs/benchmarks.md", "bench", open(out).read(), "scripts/bench.sh")
write("docs/admin.md", "admin-bench", open(admin_out).read().strip(), "scripts/bench.sh" if sections == "all" else "scripts/bench.sh --admin")
PY
  echo "bench.sh: docs updated"
fi
