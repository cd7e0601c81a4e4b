#!/usr/bin/env bash
# The Kubernetes test cluster for CI (../shared/k8s-test-cluster), in the kit's fixed state directory
# (one kit per host). `up` prints the KUBECONFIG/KUBECTL exports (stdout): a cluster already running
# there is reused and left alone; otherwise what an earlier cluster left there is purged, a fresh one
# is started and marked as this run's. `import IMAGE`
# copies a local Docker image into it; `down` removes the cluster only if this run started it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KIT="${SLIPWAY_K8S_KIT:-$ROOT/../shared/k8s-test-cluster}"
# A git worktree one level deeper (/work/wt/<branch>) finds the same kit.
[[ -f "$KIT/up.sh" || -n "${SLIPWAY_K8S_KIT:-}" ]] || KIT="$ROOT/../../shared/k8s-test-cluster"
STATE="${SLIPWAY_K8S_STATE:-/var/tmp/slipway-k8s}"
OWNED="$STATE.started-by-ci"
[[ -f "$KIT/up.sh" ]] || { echo "k8s.sh: the test cluster kit is missing at $KIT" >&2; exit 1; }

answers() { [[ -x "$STATE/bin/kubectl" && -f "$STATE/admin.kubeconfig" ]] && "$STATE/bin/kubectl" --kubeconfig "$STATE/admin.kubeconfig" --request-timeout=5s get --raw /readyz >/dev/null 2>&1; }

case "${1:-}" in
  up)
    if answers; then
      echo "k8s.sh: reusing the cluster running in $STATE" >&2
      bash "$KIT/up.sh" "$STATE"
      exit 0
    fi
    touch "$OWNED"
    # Every sandbox holds two claims of the kit's hostPath volume pool (recycled ~3 s after release,
    # slower under load): a larger pool keeps the suites from waiting on the recycler.
    export K8S_PV_COUNT="${K8S_PV_COUNT:-120}"
    # What a cluster nobody runs any more left behind (released or failed volumes, old pods) is
    # stale: start from nothing, so every run gets the full volume pool.
    if [[ -e "$STATE" ]]; then
      echo "k8s.sh: purging what an earlier cluster left in $STATE" >&2
      bash "$KIT/down.sh" "$STATE" --purge >&2 || true
    fi
    exports="$(bash "$KIT/up.sh" "$STATE")"
    echo "$exports"
    ;;
  import) bash "$KIT/up.sh" "$STATE" --import-image "$2" >&2 ;;
  down)
    if [[ -f "$OWNED" ]]; then bash "$KIT/down.sh" "$STATE" --purge >&2; rm -f "$OWNED"; fi
    ;;
  *) echo "usage: k8s.sh up|import IMAGE|down" >&2; exit 2 ;;
esac
