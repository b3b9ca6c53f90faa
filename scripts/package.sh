#!/usr/bin/env bash
# Builds the deployable Function App package: the isolated worker published (framework-dependent) with host.json,
# functions.metadata, worker.config.json and the worker extensions at the root. Output: publish/aftercare.zip.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/publish/app"
rm -rf "$root/publish"
mkdir -p "$out"
dotnet publish "$root/src/Aftercare.Functions" --configuration Release --output "$out"
(cd "$out" && if command -v zip >/dev/null; then zip -qr ../aftercare.zip .; else python3 -m zipfile -c ../aftercare.zip .; fi)
echo "$root/publish/aftercare.zip"
