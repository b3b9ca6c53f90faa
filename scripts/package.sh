#!/usr/bin/env bash
# Builds the deployable Function App package, what zip deploy and `azd deploy` ship: the isolated worker published
# (framework-dependent) with host.json, functions.metadata, worker.config.json and the worker extensions
# (.azurefunctions/) at the root; local.settings.json stays out (the project says CopyToPublishDirectory="Never").
# It is published for linux-x64 (what Flex Consumption runs) with ReadyToRun: the assemblies carry precompiled code, so
# the worker JITs less at a cold start (README "Measurements": 10 alternating pairs against the JIT-only publish).
# Usage: bash scripts/package.sh [output directory (default publish/)] [more `dotnet publish` arguments]
# Output: <output>/app (the folder the host loads) and <output>/aftercare.zip (the same files).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-$root/publish}"
shift || true
out="$target/app"
rm -rf "$out" "$target/aftercare.zip"
mkdir -p "$out"
dotnet publish "$root/src/Aftercare.Functions" --configuration Release --runtime linux-x64 --self-contained false \
  -p:PublishReadyToRun=true --output "$out" --nologo "$@"
(cd "$out" && if command -v zip >/dev/null; then zip -qr ../aftercare.zip .; else python3 -m zipfile -c ../aftercare.zip .; fi)
echo "$target/aftercare.zip"
