# Shared settings for Canvass's scripts; sourced, not run.
# Build output lives outside the clone so that a fresh clone (CI) reuses a warm cache.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/canvass/target}"
CANVASS_TOOLS="${CANVASS_TOOLS:-$HOME/.cache/canvass/tools}"
export PATH="$CANVASS_TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CANVASS_BIN="${CANVASS_BIN:-$CARGO_TARGET_DIR/release/canvass}"
CANVASS_SITE="${CANVASS_SITE:-$REPO_ROOT/target/site}"
