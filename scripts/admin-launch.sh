#!/usr/bin/env bash
# Launch to first page of the console (tesladb-admin), measured side by side: the build output (JIT-compiled at every
# start) against the same published ReadyToRun for linux-x64 (dotnet publish -r linux-x64 -p:PublishReadyToRun=true),
# and against a self-contained composite ReadyToRun (the runtime and every library compiled into one image, so the
# generic code that crosses assemblies is precompiled too), and against Native AOT (scripts/publish-aot.sh admin); beside
# them the floor, Terminal.Gui alone drawing a table of 100 rows with no database (tests/TerminalGuiFloor) published
# the three ways, and psql; rounds interleaved, medians.
# Each launch runs in tmux (a real terminal) with TESLADB_ADMIN_STARTUP_REPORT set: the console stops as soon as it
# has drawn a frame with its first page of accounts and reports the time since its process started, when its first
# frame was drawn, and its peak resident memory (VmHWM); the steps on the way are in the report's .steps file.
# Prints a Markdown table. scripts/bench.sh --admin calls it; alone:
#
#   scripts/admin-launch.sh <connection URL of a migrated database> [rounds (default 7)]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
url=${1:?usage: scripts/admin-launch.sh <connection URL> [rounds]}
rounds=${2:-7}
command -v tmux >/dev/null || { echo "admin-launch.sh: tmux is not installed" >&2; exit 2; }

work=$(mktemp -d /tmp/tesladb-admin-launch.XXXXXX)
socket="tesladb-admin-launch-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM

# Runtime-specific intermediate files (obj/Release/net10.0/linux-x64) are shared by a plain and a composite ReadyToRun
# publish of the same project, and a composite's images left there make the next plain publish abort at start (exit
# 131): each publish starts from none and leaves none.
clean_rid_obj() { rm -rf src/*/obj/Release/net10.0/linux-x64 tests/TerminalGuiFloor/obj/Release/net10.0/linux-x64; }
publish() { # $1 = project, $2 = output folder, then extra properties
  local project=$1 output=$2
  shift 2
  clean_rid_obj
  dotnet publish "$project" -c Release -r linux-x64 -p:PublishReadyToRun=true "$@" -o "$output" --nologo -v quiet -clp:ErrorsOnly >&2
  clean_rid_obj
}
dotnet build src/TeslaDb.Admin -c Release --nologo -v quiet -clp:ErrorsOnly >&2
publish src/TeslaDb.Admin "$work/r2r" --self-contained false
publish src/TeslaDb.Admin "$work/composite" --self-contained true -p:PublishReadyToRunComposite=true
# The floor: Terminal.Gui alone drawing a table of 100 rows (tests/TerminalGuiFloor), published the same two ways.
publish tests/TerminalGuiFloor "$work/floor-r2r" --self-contained false
publish tests/TerminalGuiFloor "$work/floor-composite" --self-contained true -p:PublishReadyToRunComposite=true
# Native AOT: the console as scripts/publish-aot.sh admin builds it (what docs/admin.md recommends), and the floor so too.
scripts/publish-aot.sh admin "$work/aot" >&2
clean_rid_obj
dotnet publish tests/TerminalGuiFloor -c Release -r linux-x64 -p:PublishAot=true -p:NativeDebugSymbols=false -o "$work/floor-aot" --nologo -v quiet -clp:ErrorsOnly >&2
clean_rid_obj

names=("build output (JIT at start)" "ReadyToRun (published -r linux-x64)" "ReadyToRun composite, self-contained"
  "**Native AOT** (scripts/publish-aot.sh admin)"
  "floor: Terminal.Gui alone, 100 rows, ReadyToRun" "floor: Terminal.Gui alone, 100 rows, composite" "floor: Terminal.Gui alone, 100 rows, Native AOT")
commands=("dotnet src/TeslaDb.Admin/bin/Release/net10.0/TeslaDb.Admin.dll" "dotnet $work/r2r/TeslaDb.Admin.dll" "$work/composite/TeslaDb.Admin"
  "$work/aot/TeslaDb.Admin"
  "dotnet $work/floor-r2r/TerminalGuiFloor.dll" "$work/floor-composite/TerminalGuiFloor" "$work/floor-aot/TerminalGuiFloor")

launch() { # $1 = command; prints "ms rss"
  local report="$work/report" line
  rm -f "$report"
  tmux -L "$socket" new-session -d -s launch -x 120 -y 32 -e TESLADB_CONNECTION="$url" -e TESLADB_ADMIN_STARTUP_REPORT="$report" "$1"
  for _ in $(seq 3000); do [ -s "$report" ] && break; sleep 0.02; done
  tmux -L "$socket" kill-server 2>/dev/null || true
  line=$(cat "$report" 2>/dev/null || true)
  case "$line" in
    first_page_ms=*) echo "$line" | sed -E 's/first_page_ms=([0-9]+) peak_rss_mb=([0-9.]+) ui_ready_ms=([0-9]+)/\1 \2 \3/' ;;
    *) echo "admin-launch.sh: the console did not show its first page (${line:-no report}); is the database migrated?" >&2; exit 1 ;;
  esac
}

# The floor of any client on this machine at this moment: psql connecting and running one query (wall clock).
floor() { local start; start=$(date +%s%N); psql "$url" -Xqc 'select 1' >/dev/null; echo $(( ($(date +%s%N) - start) / 1000000 )); }

launch "${commands[1]}" >/dev/null # warm-up: disk cache
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < ${#commands[@]}; k++)); do
    i=$(( (r + k) % ${#commands[@]} ))
    echo "$i $(launch "${commands[$i]}")" >> "$work/samples"
  done
  floor >> "$work/floor"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
load=$(cut -d' ' -f1 /proc/loadavg)
echo "### Console launch to first page, ${rounds} interleaved rounds (load average ${load} on $(nproc) cores at the end)"
echo
echo "| variant | median ms | min ms | max ms | ratio to build output | median ms to the first frame | median peak RSS MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
base=$(awk '$1 == 0 { print $2 }' "$work/samples" | median)
for ((i = 0; i < ${#commands[@]}; i++)); do
  ms=$(awk -v i="$i" '$1 == i { print $2 }' "$work/samples" | median)
  min=$(awk -v i="$i" '$1 == i { print $2 }' "$work/samples" | sort -n | head -1)
  max=$(awk -v i="$i" '$1 == i { print $2 }' "$work/samples" | sort -n | tail -1)
  rss=$(awk -v i="$i" '$1 == i { print $3 }' "$work/samples" | median)
  ui=$(awk -v i="$i" '$1 == i { print $4 }' "$work/samples" | median)
  echo "| ${names[$i]} | ${ms} | ${min} | ${max} | $(awk -v a="$ms" -v b="$base" 'BEGIN { printf "%.2f×", a / b }') | ${ui} | ${rss} |"
done
psql_ms=$(median < "$work/floor")
echo "| floor: \`psql -c 'select 1'\` on the same database (wall clock) | ${psql_ms} | $(sort -n "$work/floor" | head -1) | $(sort -n "$work/floor" | tail -1) | $(awk -v a="$psql_ms" -v b="$base" 'BEGIN { printf "%.2f×", a / b }') | | |"
