#!/usr/bin/env bash
# Installs what building Canvass needs, idempotently: the wasm target, cargo-leptos,
# wasm-bindgen-cli (the version Cargo.lock uses) and wasm-opt (npm's binaryen; Debian's is too
# old and breaks hydration). With --test, also Chromium, PostgreSQL, the browser-test packages
# and schemathesis (PyPI, in its own virtual environment).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
want_test=false
[ "${1:-}" = "--test" ] && want_test=true

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "Installing ${missing[*]} (Debian packages)"
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "${missing[@]}"
}

command -v cargo >/dev/null || { echo "Rust is required: https://rustup.rs" >&2; exit 1; }
rustup target list --installed | grep -qx wasm32-unknown-unknown || { step "Adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "0.3.10" ]; then
  step "Installing cargo-leptos 0.3.10 (about 20 minutes, once per machine)"
  cargo install cargo-leptos --version 0.3.10 --locked
fi

bindgen_version=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$REPO_ROOT/Cargo.lock")
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  step "Installing wasm-bindgen-cli $bindgen_version (must match Cargo.lock)"
  # Not --locked: one of its locked dependency versions is no longer in the registry.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

command -v node >/dev/null || apt_install nodejs npm
if [ ! -x "$CANVASS_TOOLS/node_modules/.bin/wasm-opt" ]; then
  step "Installing wasm-opt (npm binaryen)"
  mkdir -p "$CANVASS_TOOLS"
  (cd "$CANVASS_TOOLS" && npm install --no-audit --no-fund --silent binaryen@132.0.0)
fi

if $want_test; then
  apt_install chromium chromium-driver
  if ! command -v pg_ctlcluster >/dev/null && ! command -v pg_ctl >/dev/null; then apt_install postgresql; fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if ! command -v pg_isready >/dev/null; then apt_install postgresql; fi
    step "Starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }
  fi
  if [ ! -d "$REPO_ROOT/end2end/node_modules/@playwright/test" ] || [ "$REPO_ROOT/end2end/package-lock.json" -nt "$REPO_ROOT/end2end/node_modules/.package-lock.json" ]; then
    step "Installing browser-test packages (npm)"
    (cd "$REPO_ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
  schemathesis_version=4.32.5
  venv="$CANVASS_TOOLS/schemathesis-venv"
  if [ "$("$venv/bin/schemathesis" --version 2>/dev/null | awk '{print $3}')" != "$schemathesis_version" ]; then
    step "Installing schemathesis $schemathesis_version (PyPI)"
    command -v python3 >/dev/null || apt_install python3
    mkdir -p "$CANVASS_TOOLS"
    python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$venv"; }
    "$venv/bin/pip" install --quiet "schemathesis==$schemathesis_version"
  fi
fi
