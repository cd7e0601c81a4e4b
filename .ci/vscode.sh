#!/usr/bin/env bash
# Installs what the VS Code integration tests need, idempotently (seconds when already there):
#   - Node 24 (code-server needs it), from .ci/node.sh,
#   - Debian's chromium (driven by playwright-core) and libkrb5-dev (code-server's native build),
#   - code-server 4.139.1, built with that Node first on PATH.
# Everything goes into SLIPWAY_VSCODE_CACHE (default ~/.cache/slipway-vscode). Prints the cache dir.
set -euo pipefail

CACHE="${SLIPWAY_VSCODE_CACHE:-$HOME/.cache/slipway-vscode}"
CODE_SERVER_VERSION=4.139.1
log() { echo "[vscode.sh] $*" >&2; }
mkdir -p "$CACHE"

# Debian packages, only when missing.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# Node 24 (the project's own, from .ci/node.sh).
NODE_DIR="$(bash "$(dirname "${BASH_SOURCE[0]}")/node.sh")"

# code-server, built and run with Node 24.
CS_BIN="$CACHE/code-server/node_modules/.bin/code-server"
# (The first run may print a line about writing its config file before the version.)
installed_cs() { PATH="$NODE_DIR:$PATH" "$CS_BIN" --version 2>/dev/null | grep -oE '^[0-9]+\.[0-9]+\.[0-9]+ ' | head -1 | tr -d ' '; }
if [ "$(installed_cs || true)" != "$CODE_SERVER_VERSION" ]; then
  log "installing code-server@$CODE_SERVER_VERSION (a few minutes)"
  mkdir -p "$CACHE/code-server"
  (cd "$CACHE/code-server" && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd "$CACHE/code-server" && PATH="$NODE_DIR:$PATH" npm_config_unsafe_perm=true npm_config_nodedir= \
    npm install --no-audit --no-fund --silent "code-server@$CODE_SERVER_VERSION" >&2)
  [ "$(installed_cs || true)" = "$CODE_SERVER_VERSION" ] || { log "code-server did not install"; exit 1; }
fi

echo "$CACHE"
