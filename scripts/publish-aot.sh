#!/usr/bin/env bash
# Publishes the console (tesladb-admin) or the migration tool (tesladb-migrate) as a Native AOT executable for
# linux-x64: one file, no .NET runtime needed. The console opens on its first page in ~0.2 s instead of 0.75–1.4 s
# (docs/admin.md "Launch to first page"); tesladb-migrate answers `up` with nothing pending in ~0.1 s instead of
# 0.5–0.9 s (docs/benchmarks.md). Needs what ILCompiler needs: gcc or clang and the ILCompiler package (restored from
# NuGet). About 2 (migrate) to 4 (admin) minutes on 2 cores.
#
#   scripts/publish-aot.sh admin   [output folder (default artifacts/tesladb-admin-linux-x64)]
#   scripts/publish-aot.sh migrate [output folder (default artifacts/tesladb-migrate-linux-x64)]
#
# The executable is <folder>/TeslaDb.Admin (with libonigwrap.so beside it, which Terminal.Gui's text highlighting
# loads) or <folder>/tesladb-migrate; copy the folder anywhere and run it with --help.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
case "${1:-}" in
  admin) project=src/TeslaDb.Admin executable=TeslaDb.Admin ;;
  migrate) project=src/TeslaDb.Migrations.Tool executable=tesladb-migrate ;;
  *) echo "usage: scripts/publish-aot.sh admin|migrate [output folder]" >&2; exit 2 ;;
esac
out=${2:-artifacts/tesladb-$1-linux-x64}
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "publish-aot.sh: Native AOT builds for the machine it runs on; this one is $(uname -sm), not Linux x86_64." >&2; exit 2; }

# Runtime-specific intermediate files are shared with ReadyToRun publishes (scripts/admin-launch.sh, scripts/bench.sh):
# each publish starts from none and leaves none, so that one kind never picks up the other's.
clean_rid_obj() { rm -rf src/*/obj/Release/net10.0/linux-x64; }
clean_rid_obj
trap clean_rid_obj EXIT
# NativeDebugSymbols=false: no 60 MB .dbg file beside the executable (stack traces under --verbose keep method names).
dotnet publish "$project" -c Release -r linux-x64 -p:PublishAot=true -p:NativeDebugSymbols=false \
  -o "$out" --nologo -v quiet -clp:ErrorsOnly
rm -f "$out"/*.pdb "$out"/*.xml
echo "publish-aot.sh: $out/$executable ($(du -h "$out/$executable" | cut -f1))"
