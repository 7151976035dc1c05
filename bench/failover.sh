#!/usr/bin/env bash
# Failover vs Redis Sentinel and Redis Cluster, one run on this machine, one writer (testkit's ContinuousWriter,
# 2,000 writes/s, every acknowledged write read back). Per scenario and repetition: a fresh deployment, one
# disruption, the longest gap between acknowledged writes, acknowledged writes lost, failed writes.
#   bench/failover.sh [--reps N] [--only peers|warden|all] [--scenarios id,id] [--rate N]
#   peers:  Redis Cluster 3x1 (CLUSTER FAILOVER; kill -9 at cluster-node-timeout 15000 and 5000),
#           Sentinel 1+2 with 3 sentinels (SENTINEL FAILOVER; kill -9 at down-after-milliseconds 30000 and 5000),
#           replication 1+2 with Redis's FAILOVER command
#   warden: bin/warden up (cluster 3x1, replication 1+2): preStop of the master; kill -9 of the master
# Raw results: bench/results/failover-<only>-<utc>.csv; the table: the matching .txt, also printed.
# Warden rows need 127.0.0.10-254 ports 6379/9736/9737 free (bin/warden up's fixed layout): the script waits.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
reps=5; only=all; extra=()
usage() { echo "usage: bench/failover.sh [--reps N] [--only peers|warden|all] [--scenarios id,id] [--rate N]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) [ $# -ge 2 ] || usage; reps="$2"; shift 2 ;;
    --only) [ $# -ge 2 ] || usage; only="$2"; shift 2 ;;
    --scenarios|--rate) [ $# -ge 2 ] || usage; extra+=("$1" "$2"); shift 2 ;;
    -h|--help) usage ;;
    *) echo "bench/failover.sh: unknown flag '$1'" >&2; usage ;;
  esac
done
case "$only" in peers|warden|all) ;; *) echo "bench/failover.sh: --only must be peers, warden or all, got '$only'" >&2; exit 2 ;; esac
case "$reps" in ''|*[!0-9]*|0) echo "bench/failover.sh: --reps must be a positive whole number, got '$reps'" >&2; exit 2 ;; esac
command -v redis-sentinel >/dev/null || { echo "bench/failover.sh: redis-sentinel is missing: apt-get install redis-sentinel" >&2; exit 1; }
command -v redis-cli >/dev/null || { echo "bench/failover.sh: redis-cli is missing: apt-get install redis-tools" >&2; exit 1; }

work="$(mktemp -d /tmp/warden-failover.XXXXXX)"
mkdir -p "$work/tmp" "$work/pids"
jpid=""
cleanup() {
  if [ -n "$jpid" ] && kill -0 "$jpid" 2>/dev/null; then
    kill -TERM "$jpid" 2>/dev/null   # its shutdown hook kills the redis-servers it started
    for _ in $(seq 1 100); do kill -0 "$jpid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$jpid" 2>/dev/null
  fi
  for d in "$work"/warden-*; do   # a Warden deployment the JVM did not get to take down
    [ -f "$d/state.json" ] && "$root/bin/warden" down --dir "$d" >/dev/null 2>&1
  done
  for f in "$work"/pids/*; do     # processes the JVM started and noted, still alive: by PID, checked to be Redis
    [ -e "$f" ] || continue
    pid="${f##*/}"
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q redis; then kill -KILL "$pid"; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building (./mvnw -DskipTests package)" >&2
if [ "$only" = peers ]; then modules=(-pl bench -am); else modules=(); fi
(cd "$root" && ./mvnw -q -B -DskipTests "${modules[@]}" package) || { echo "bench/failover.sh: the build failed" >&2; exit 1; }

if [ "$only" != peers ]; then   # bin/warden up uses fixed addresses: wait for another local deployment to go, never kill it
  busy() { ss -ltnH 2>/dev/null | awk '{print $4}' | grep -Eq '^127\.0\.0\.([1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4]):(6379|9736|9737)$'; }
  deadline=$((SECONDS + 300))
  while busy; do
    [ $SECONDS -ge $deadline ] && { echo "bench/failover.sh: 127.0.0.10+ ports 6379/9736/9737 still busy after 300 s" >&2; exit 2; }
    sleep 5
  done
fi

java -Xmx512m -Djava.io.tmpdir="$work/tmp" -Dbench.pids="$work/pids" \
  -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" io.warden.bench.failover.FailoverBench \
  --home "$root" --work "$work" --out "$root/bench/results" --reps "$reps" --only "$only" "${extra[@]}" &
jpid=$!
wait "$jpid"
rc=$?
jpid=""
exit "$rc"
