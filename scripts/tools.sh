#!/usr/bin/env bash
# Installs the npm dev tools (Azurite, Prism, Twilio's OpenAPI description) from package-lock.json when they are
# missing or out of date. Sourced by the other scripts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stamp="$root/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$root/package-lock.json" -nt "$stamp" ]; then
  echo "Installing dev tools with npm ci…" >&2
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
