#!/usr/bin/env bash
# Runs Aftercare locally as Azure runs it: Azurite (blob, queue, table; in memory), the local Functions host
# (tools/Aftercare.FunctionsHost) and the real isolated worker (src/Aftercare.Functions) under it, in the Development
# environment. Texts are printed to the console (number masked) and recorded as `simulated` unless Twilio is configured
# (Aftercare__Twilio__AccountSid and friends).
# Ctrl+C stops the host, the worker and Azurite. Settings (README "Run it locally"):
#   AFTERCARE_HOST_PORT (7071), AZURITE_BLOB_PORT (10000), AZURITE_QUEUE_PORT (10001), AZURITE_TABLE_PORT (10002),
#   AFTERCARE_HOST_FUNCTION_KEY, AFTERCARE_HOST_MASTER_KEY (generated), Aftercare__Dispatch__Schedule (every minute),
#   Aftercare__Privacy__* (development keys, below), Aftercare__Twilio__BaseUri, Aftercare__PublicBaseUrl, and any other
#   app setting, from the environment.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/tools.sh"
cd "$root"

export AFTERCARE_HOST_PORT="${AFTERCARE_HOST_PORT:-7071}"
blob_port="${AZURITE_BLOB_PORT:-10000}"
queue_port="${AZURITE_QUEUE_PORT:-10001}"
table_port="${AZURITE_TABLE_PORT:-10002}"
export AFTERCARE_HOST_FUNCTION_KEY="${AFTERCARE_HOST_FUNCTION_KEY:-$(openssl rand -hex 16)}"
export AFTERCARE_HOST_MASTER_KEY="${AFTERCARE_HOST_MASTER_KEY:-$(openssl rand -hex 16)}"

# The emulator's documented, public development account.
account="devstoreaccount1"
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
storage="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob_port/$account;QueueEndpoint=http://127.0.0.1:$queue_port/$account;TableEndpoint=http://127.0.0.1:$table_port/$account;"
export AzureWebJobsStorage="${AzureWebJobsStorage:-$storage}"
export Aftercare__Storage__ConnectionString="${Aftercare__Storage__ConnectionString:-$storage}"
# A developer's machine: the console sender prints whole texts only here (elsewhere a summary without personal data).
export AZURE_FUNCTIONS_ENVIRONMENT="${AZURE_FUNCTIONS_ENVIRONMENT:-Development}"

# Development-only privacy keys (the same as local.settings.json's): never use them where real numbers are stored.
export Aftercare__Privacy__PhoneKey="${Aftercare__Privacy__PhoneKey:-YWZ0ZXJjYXJlLWxvY2FsLWRldi1waG9uZS1rZXktMDE=}"
if ! env | grep -q '^Aftercare__Privacy__SecretKeys__'; then
  export Aftercare__Privacy__SecretKeys__dev1="YWZ0ZXJjYXJlLWxvY2FsLWRldi1zZWNyZXRzLWtleTE="
  export Aftercare__Privacy__ActiveSecretKeyId="dev1"
fi
export Aftercare__Privacy__RetentionSchedule="${Aftercare__Privacy__RetentionSchedule:-0 0 3 * * *}"
export Aftercare__Alerts__Schedule="${Aftercare__Alerts__Schedule:-0 */1 * * * *}"

# A port already taken would fail half-way (and a second copy would overwrite the first one's keys file): check first.
for port in "$AFTERCARE_HOST_PORT" "$blob_port" "$queue_port" "$table_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port on 127.0.0.1 is already in use (another run-local?). Stop it, or choose other ports (README \"Run it locally: settings\")." >&2
    exit 1
  fi
done

echo "Building the worker and the local Functions host…" >&2
dotnet build src/Aftercare.Functions/Aftercare.Functions.csproj --configuration Release --nologo --verbosity quiet
dotnet build tools/Aftercare.FunctionsHost/Aftercare.FunctionsHost.csproj --configuration Release --nologo --verbosity quiet

workspace="$(mktemp -d)"
(cd "$workspace" && exec "$root/node_modules/.bin/azurite" --inMemoryPersistence --silent --skipApiVersionCheck --disableTelemetry \
  --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port") &
azurite=$!
host=
stop() {
  [ -n "$host" ] && kill -TERM "$host" 2>/dev/null && wait "$host" 2>/dev/null
  kill -TERM "$azurite" 2>/dev/null || true
  rm -rf "$workspace"
}
trap stop EXIT
trap 'exit 130' INT TERM

# Storage first, so the worker's start-up (it creates the tables) finds it.
for _ in $(seq 1 300); do
  (exec 3<>"/dev/tcp/127.0.0.1/$table_port") 2>/dev/null && break
  kill -0 "$azurite" 2>/dev/null || { echo "Azurite did not start." >&2; exit 1; }
  sleep 0.1
done

# The keys again in a file a second shell can source (README "Try it"); .local/ is not committed.
mkdir -p "$root/.local"
printf 'export FUNCTION_KEY=%q\nexport MASTER_KEY=%q\nexport BASE_URL=%q\n' \
  "$AFTERCARE_HOST_FUNCTION_KEY" "$AFTERCARE_HOST_MASTER_KEY" "http://127.0.0.1:$AFTERCARE_HOST_PORT" >"$root/.local/keys.env"

dotnet tools/Aftercare.FunctionsHost/bin/Release/net10.0/Aftercare.FunctionsHost.dll \
  --app src/Aftercare.Functions/bin/Release/net10.0 "$@" &
host=$!
wait "$host"
