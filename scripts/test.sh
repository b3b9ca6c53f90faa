#!/usr/bin/env bash
# Runs every test: unit, integration (Azurite, Prism), end-to-end. Prints "N passed, N failed" last.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/tools.sh"
cd "$root"

results="$root/TestResults"
rm -rf "$results"
status=0
dotnet test Aftercare.sln --configuration Release --logger "trx" --results-directory "$results" "$@" || status=$?

passed=0
failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run failed without a failing test (a build error, a crashed test host): count it
fi

# The delivery chaos run (tests/Aftercare.Chaos) counts as one more check; AFTERCARE_CHAOS_ARGS overrides its arguments.
chaos_status=0
# shellcheck disable=SC2086 # the arguments are meant to split
dotnet run --project tests/Aftercare.Chaos --configuration Release -- ${AFTERCARE_CHAOS_ARGS:-} || chaos_status=$?
if [ "$chaos_status" -eq 0 ]; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  status=1
fi
# CI keeps only the tail of the output: name the failed tests just above the count.
for trx in "$results"/*.trx; do
  grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.* testName="\([^"]*\)".*/FAILED: \1/p' || true
done
if [ "$chaos_status" -ne 0 ]; then
  echo "FAILED: the delivery chaos run (tests/Aftercare.Chaos)"
fi
echo "$passed passed, $failed failed"
exit "$status"
