#!/usr/bin/env bash
# Publishes the console (tesladb-admin) as a Native AOT executable for linux-x64: one file, no .NET runtime needed,
# first page in ~0.2 s (docs/admin.md "Launch to first page"). Needs what ILCompiler needs: gcc or clang and the
# ILCompiler package (restored from NuGet). About 4 minutes on 2 cores.
#
#   scripts/publish-admin.sh [output folder (default artifacts/tesladb-admin-linux-x64)]
#
# The executable is <folder>/TeslaDb.Admin (with libonigwrap.so beside it, which Terminal.Gui's text highlighting
# loads); copy the folder anywhere and run it: <folder>/TeslaDb.Admin --help.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=${1:-artifacts/tesladb-admin-linux-x64}
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "publish-admin.sh: Native AOT builds for the machine it runs on; this one is $(uname -sm), not Linux x86_64." >&2; exit 2; }

# Runtime-specific intermediate files are shared with ReadyToRun publishes (scripts/admin-launch.sh): each publish
# starts from none and leaves none, so that one kind never picks up the other's.
clean_rid_obj() { rm -rf src/*/obj/Release/net10.0/linux-x64; }
clean_rid_obj
trap clean_rid_obj EXIT
# NativeDebugSymbols=false: no 60 MB .dbg file beside the executable (stack traces under --verbose keep method names).
dotnet publish src/TeslaDb.Admin -c Release -r linux-x64 -p:PublishAot=true -p:NativeDebugSymbols=false \
  -o "$out" --nologo -v quiet -clp:ErrorsOnly
rm -f "$out"/*.pdb "$out"/*.xml
echo "publish-admin.sh: $out/TeslaDb.Admin ($(du -h "$out/TeslaDb.Admin" | cut -f1))"
