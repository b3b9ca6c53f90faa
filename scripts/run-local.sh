#!/usr/bin/env bash
# Runs Aftercare locally: Azurite (in memory) + the handler on http://127.0.0.1:7071, texts printed to the console
# unless Twilio is configured (Aftercare__Twilio__AccountSid and friends). Ctrl+C stops both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/tools.sh"
cd "$root"

table_port="${AZURITE_TABLE_PORT:-10002}"
"$root/node_modules/.bin/azurite-table" --inMemoryPersistence --tableHost 127.0.0.1 --tablePort "$table_port" \
  --skipApiVersionCheck --disableTelemetry --silent &
azurite=$!
trap 'kill "$azurite" 2>/dev/null || true' EXIT INT TERM

export Aftercare__Storage__ConnectionString="${Aftercare__Storage__ConnectionString:-DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;}"
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:7071}"
dotnet run --project src/Aftercare.Functions --configuration Release -- "$@"
