#!/usr/bin/env bash
# Builds the deployable Function App package: host.json and one folder per function at the root, the handler
# (framework-dependent, linux-x64) in handler/. Output: publish/aftercare.zip.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/publish/app"
rm -rf "$root/publish"
mkdir -p "$out"
dotnet publish "$root/src/Aftercare.Functions" --configuration Release --runtime linux-x64 --self-contained false \
  --output "$out/handler"
cp "$root/host.json" "$out/"
cp -r "$root"/functions/* "$out/"
(cd "$out" && if command -v zip >/dev/null; then zip -qr ../aftercare.zip .; else python3 -m zipfile -c ../aftercare.zip .; fi)
echo "$root/publish/aftercare.zip"
