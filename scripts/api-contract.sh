#!/usr/bin/env bash
# Checks the JSON API against its own OpenAPI description with schemathesis (docs/TESTING.md):
# a demo server on a fresh SQLite file, every operation of /api/v1/openapi.json, every
# schemathesis check. Fails on any server error or any answer that breaks the description.
# Needs the release binary (`cargo leptos build --release --precompress --split`) and schemathesis (scripts/setup.sh --test).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
port="${CANVASS_CONTRACT_PORT:-3300}"
base="http://127.0.0.1:$port"
workdir=$(mktemp -d)
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$workdir"
}
trap cleanup EXIT
export CANVASS_DATABASE_URL="sqlite://$workdir/canvass.db"
export CANVASS_LOG="${CANVASS_LOG:-warn}"

"$CANVASS_BIN" serve --demo --addr "127.0.0.1:$port" --site-root "$CANVASS_SITE" >"$workdir/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$workdir/server.log"; exit 1; }
  sleep 0.1
done
curl -fsS "$base/healthz" >/dev/null

# Survey 2 is the demo's open community survey, with responses and an earlier wave: a token
# that reads its results lets the generated requests reach the analysis, not only the 401.
token=$("$CANVASS_BIN" token create --name "schemathesis" --survey 2 --can read-results | tail -1)
[[ "$token" == cvt_* ]] || { echo "could not create an API token"; exit 1; }

# Every check but one, in two runs: the reading operations with the token, the response
# submission as a stranger would send it (the open link). `positive_data_acceptance` is left
# out: it expects every request the description admits to succeed, but whether a question key,
# a `group` or a `by` names a part of *this* survey, or whether `from` is before `to`, is not
# something a description can say; those get 400 `parameter_invalid` (described), as they should.
# Examples per operation are bounded so that the two runs take about a minute.
schemathesis() {
  "$CANVASS_TOOLS/schemathesis-venv/bin/schemathesis" run "$base/api/v1/openapi.json" \
    --url "$base" \
    --checks all \
    --exclude-checks positive_data_acceptance \
    --phases examples,coverage,fuzzing \
    --max-examples "${CANVASS_CONTRACT_EXAMPLES:-30}" \
    --workers 2 \
    --no-color \
    --seed 2026 \
    "$@"
}
set +e
schemathesis --include-method GET --header "Authorization: Bearer $token"
reading=$?
schemathesis --include-method POST
submitting=$?
[ "$reading" -eq 0 ] && [ "$submitting" -eq 0 ]
status=$?
set -e
if grep -qE 'panicked|ERROR' "$workdir/server.log"; then
  echo "The server logged errors during the run:"
  grep -E 'panicked|ERROR' "$workdir/server.log" | head -20
  exit 1
fi
exit "$status"
