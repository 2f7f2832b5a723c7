#!/usr/bin/env bash
# Benchmark: residents on a slow network and a slow phone (end2end/bench/slow-network.mjs).
# Needs the release build (`cargo leptos build --release --precompress --split`) and the browser-test
# packages (scripts/setup.sh --test). Starts its own server on port 3200 with the browser tests'
# data, prints the figures as JSON, stops the server. See docs/BENCHMARKS.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
port="${E2E_PORT:-3200}"
bash "$REPO_ROOT/scripts/e2e-server.sh" "$port" >/tmp/canvass-bench-server.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; pkill -f "serve --addr 127.0.0.1:$port" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
cd "$REPO_ROOT/end2end"
E2E_PORT="$port" node bench/slow-network.mjs
