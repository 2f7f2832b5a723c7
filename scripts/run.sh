#!/usr/bin/env bash
# Builds Canvass and runs it on an SQLite file (./data/canvass.db), with demo staff accounts on
# first run. Extra arguments go to `canvass serve` (e.g. --addr 0.0.0.0:3000).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$REPO_ROOT/scripts/setup.sh"
cd "$REPO_ROOT"
printf '\n==> Building Canvass (release)\n'
cargo leptos build --release --precompress --split
printf '\n==> Starting Canvass\n'
exec "$CANVASS_BIN" serve --demo --site-root "$CANVASS_SITE" "$@"
