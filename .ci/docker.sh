#!/usr/bin/env bash
# Makes a Docker engine available on this machine (Debian 12, run as root), idempotently.
#
#   bash .ci/docker.sh
#
# - If `docker info` already answers: does nothing (fast path, ~0.1 s).
# - Otherwise installs Debian's docker.io (apt-get update only when the package lists lack it),
#   starts dockerd in the background (setsid, log in $DOCKERD_LOG) and waits, bounded by
#   $DOCKER_WAIT_SECONDS, until `docker info` answers. Exits non-zero with the log tail if not.
#
# Safe to call concurrently (from .ci/run and from test setup): a lock serialises the slow path.
set -euo pipefail

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/slipway-dockerd.log}"
DOCKER_WAIT_SECONDS="${DOCKER_WAIT_SECONDS:-60}"
LOCK_FILE="${DOCKER_SETUP_LOCK:-/tmp/slipway-docker-setup.lock}"

log() { echo "[docker.sh] $*" >&2; }
answers() { timeout 10 docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && answers; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  log "docker does not answer and this script is not root: cannot install or start dockerd."
  log "Start Docker yourself, or run: sudo bash $0"
  exit 1
fi

# Serialise the slow path; whoever waited on the lock re-checks first.
exec 9>"$LOCK_FILE"
if ! flock -w 600 9; then
  log "timed out waiting for $LOCK_FILE (another docker setup running?)"
  exit 1
fi
if command -v docker >/dev/null 2>&1 && answers; then
  exit 0
fi

started=$(date +%s)

# 1. Install (only what is missing).
need=()
{ command -v dockerd && command -v docker && command -v containerd && command -v runc; } >/dev/null 2>&1 || need+=(docker.io)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
if [ "${#need[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # apt-get update only when the package lists do not know docker.io yet (e.g. a fresh image).
  if ! apt-cache show docker.io >/dev/null 2>&1; then
    log "apt-get update"
    apt-get update -qq
  fi
  log "apt-get install ${need[*]}"
  # Keep maintainer scripts from starting the daemon themselves: we start it below, the same way
  # everywhere (there is no systemd on these machines).
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; own_policy=1
  fi
  if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/slipway-docker-apt.log 2>&1; then
    log "apt-get update + retry after failed install (see /tmp/slipway-docker-apt.log)"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/slipway-docker-apt.log 2>&1 || {
      [ "$own_policy" = 1 ] && rm -f "$policy"
      tail -n 30 /tmp/slipway-docker-apt.log >&2
      log "FAILED to install ${need[*]}"
      exit 1
    }
  fi
  [ "$own_policy" = 1 ] && rm -f "$policy"
  log "installed in $(( $(date +%s) - started )) s"
fi

# 2. Start dockerd unless one is already starting (e.g. from a previous call that timed out).
if pgrep -x dockerd >/dev/null 2>&1; then
  log "dockerd is already running (pid $(pgrep -x dockerd | head -n1)); waiting for it"
else
  log "starting dockerd (log: $DOCKERD_LOG)"
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  # setsid + nohup: the daemon must outlive this script, its shell and the CI step that ran it.
  # Close inherited descriptors (our lock, callers' locks such as build.sh's) so that the
  # long-lived daemon does not hold them.
  setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  dockerd_pid=$!   # setsid and nohup exec, so this is dockerd itself
fi

# 3. Wait, bounded.
deadline=$(( $(date +%s) + DOCKER_WAIT_SECONDS ))
until answers; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    log "FAILED: docker info did not answer within ${DOCKER_WAIT_SECONDS} s. Last lines of $DOCKERD_LOG:"
    tail -n 40 "$DOCKERD_LOG" >&2 || true
    exit 1
  fi
  if { [ -n "${dockerd_pid:-}" ] && ! kill -0 "$dockerd_pid" 2>/dev/null; } ||
     { [ -z "${dockerd_pid:-}" ] && ! pgrep -x dockerd >/dev/null 2>&1; }; then
    log "FAILED: dockerd exited. Last lines of $DOCKERD_LOG:"
    tail -n 40 "$DOCKERD_LOG" >&2 || true
    exit 1
  fi
  sleep 0.5
done
log "docker is ready ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')) after $(( $(date +%s) - started )) s"
