#!/usr/bin/env bash
# Runs every Canvass test: formatting and lints, unit tests, integration tests on SQLite and on
# PostgreSQL, and browser tests in Chromium with axe. Installs what it needs first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$REPO_ROOT/scripts/setup.sh" --test
cd "$REPO_ROOT"
export CANVASS_TEST_POSTGRES_URL="${CANVASS_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
summary=()
passed_total=0
failed_total=0

# Runs a cargo test command, echoing its output, and records the counts of its result lines.
run_cargo_tests() {
  local label="$1"; shift
  printf '\n==> %s\n' "$label"
  local log; log=$(mktemp)
  set +e
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  local passed failed ignored
  passed=$(grep -E '^test result:' "$log" | sed -E 's/.* ([0-9]+) passed.*/\1/' | awk '{s+=$1} END {print s+0}')
  failed=$(grep -E '^test result:' "$log" | sed -E 's/.* ([0-9]+) failed.*/\1/' | awk '{s+=$1} END {print s+0}')
  ignored=$(grep -E '^test result:' "$log" | sed -E 's/.* ([0-9]+) ignored.*/\1/' | awk '{s+=$1} END {print s+0}')
  rm -f "$log"
  summary+=("$(printf '%-34s %4s passed, %s failed, %s skipped' "$label" "${passed:-0}" "${failed:-0}" "${ignored:-0}")")
  passed_total=$((passed_total + ${passed:-0}))
  failed_total=$((failed_total + ${failed:-0}))
  if [ "$status" -ne 0 ]; then
    [ "${failed:-0}" -gt 0 ] || failed_total=$((failed_total + 1))
    finish 1
  fi
}

finish() {
  printf '\n==> Summary\n'
  printf '%s\n' "${summary[@]}"
  echo "$passed_total passed, $failed_total failed"
  exit "$1"
}

printf '\n==> Formatting and lints\n'
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p canvass-app --lib --target wasm32-unknown-unknown --features hydrate -- -D warnings

run_cargo_tests "Unit tests" cargo test --workspace --lib --bins
printf '\n==> The residents'"'"' script against the Rust evaluator (shared vectors, node --test)\n'
script_log=$(mktemp)
set +e
node --test "$REPO_ROOT/end2end/unit/" 2>&1 | tee "$script_log"
script_status=${PIPESTATUS[0]}
set -e
script_passed=$(grep -oE '^# pass [0-9]+' "$script_log" | grep -oE '[0-9]+' || echo 0)
script_failed=$(grep -oE '^# fail [0-9]+' "$script_log" | grep -oE '[0-9]+' || echo 0)
rm -f "$script_log"
summary+=("$(printf '%-34s %4s passed, %s failed' "Residents' script (node)" "$script_passed" "$script_failed")")
passed_total=$((passed_total + script_passed))
failed_total=$((failed_total + script_failed))
if [ "$script_status" -ne 0 ]; then
  [ "$script_failed" -gt 0 ] || failed_total=$((failed_total + 1))
  finish 1
fi

run_cargo_tests "Integration tests (SQLite, and CLI)" cargo test -p canvass-server --test integration -- --skip postgres::
run_cargo_tests "Integration tests (PostgreSQL)" cargo test -p canvass-server --test integration postgres::

printf '\n==> Building the site for the browser tests (release)\n'
cargo leptos build --release --precompress --split

printf '\n==> The API against its OpenAPI description (schemathesis)\n'
contract_log=$(mktemp)
set +e
bash "$REPO_ROOT/scripts/api-contract.sh" 2>&1 | tee "$contract_log"
contract_status=${PIPESTATUS[0]}
set -e
contract_cases=$(grep -oE '^ *[0-9]+ generated' "$contract_log" | awk '{s+=$1} END {print s+0}')
rm -f "$contract_log"
summary+=("$(printf '%-34s %4s generated requests, exit status %s' "API contract (schemathesis)" "${contract_cases:-0}" "$contract_status")")
if [ "$contract_status" -ne 0 ]; then
  failed_total=$((failed_total + 1))
  finish 1
fi

printf '\n==> End-to-end tests (Chromium, phone viewport, axe)\n'
e2e_log=$(mktemp)
set +e
(cd end2end && npx playwright test) 2>&1 | tee "$e2e_log"
e2e_status=${PIPESTATUS[0]}
set -e
e2e_passed=$(grep -oE '^\s*[0-9]+ passed' "$e2e_log" | grep -oE '[0-9]+' | tail -1 || true)
e2e_failed=$(grep -oE '^\s*[0-9]+ failed' "$e2e_log" | grep -oE '[0-9]+' | tail -1 || true)
rm -f "$e2e_log"
summary+=("$(printf '%-34s %4s passed, %s failed' "End-to-end tests (Chromium)" "${e2e_passed:-0}" "${e2e_failed:-0}")")
passed_total=$((passed_total + ${e2e_passed:-0}))
failed_total=$((failed_total + ${e2e_failed:-0}))
if [ "$e2e_status" -ne 0 ]; then
  [ "${e2e_failed:-0}" -gt 0 ] || failed_total=$((failed_total + 1))
  finish 1
fi
finish 0
