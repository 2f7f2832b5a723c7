#!/usr/bin/env bash
# The server the browser tests run against: a fresh SQLite database with one known admin and
# the demo city's areas.
# Started by end2end/playwright.config.ts; stops when Playwright stops it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
port="${1:-3100}"
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
export CANVASS_DATABASE_URL="sqlite://$workdir/canvass.db"
export CANVASS_LOG="${CANVASS_LOG:-warn}"
printf '%s\n' "${E2E_ADMIN_PASSWORD:-e2e admin password 2026}" |
  "$CANVASS_BIN" user add --email "${E2E_ADMIN_EMAIL:-admin@e2e.example.org}" --role admin
"$CANVASS_BIN" demo >/dev/null
# Open surveys for the residents' tests: the community survey and a quick poll that shows
# its results. Their public keys are written where the tests read them.
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
publish() {
  local id
  id=$("$CANVASS_BIN" survey import "$1" | sed -E 's/^Imported survey ([0-9]+).*/\1/')
  printf '%s ' "$id"
  "$CANVASS_BIN" survey publish "$id" | sed -E 's#.*/s/##'
}
read -r community_id community < <(publish "$repo/app/templates/community_survey.json")
read -r _ poll < <(publish "$repo/app/templates/quick_poll.json")
# A third, for the invite-code test to make invite-only.
read -r invite_id invite < <(publish "$repo/app/templates/community_survey.json")
# A fourth with 1,500 synthetic responses skewed by area, for the results tests; closed.
read -r results_id results < <(publish "$repo/app/templates/community_survey.json")
"$CANVASS_BIN" demo --fill "$results_id" --responses 1500 >/dev/null
"$CANVASS_BIN" survey close "$results_id" >/dev/null
printf '{"community": "%s", "community_id": %s, "poll": "%s", "invite": "%s", "invite_id": %s, "results": "%s", "results_id": %s}\n' \
  "$community" "$community_id" "$poll" "$invite" "$invite_id" "$results" "$results_id" >"/tmp/canvass-e2e-$port-surveys.json"
"$CANVASS_BIN" serve --addr "127.0.0.1:$port" --public-url "http://127.0.0.1:$port" --site-root "$CANVASS_SITE"
