#!/usr/bin/env bash
# Moving keys onto a new empty master: Warden (POST /v1/scale) vs redis-cli --cluster rebalance
# --cluster-use-empty-masters with --cluster-pipeline 10 and 100, on the same data, on this machine, while a
# cluster-client writer runs (its errors and lost writes counted).
#   bench/scale.sh [RUNS]      (default 3 runs of each; KEYS=4000000 loaded, so a 4th master receives ~1,000,000)
# Setup, once: 4 redis-server (cluster-enabled, no persistence while running) on 127.0.0.1 ports BASE..BASE+3;
# 3 masters made by redis-cli --cluster create, the 4th added empty; KEYS keys loaded (16-byte values); every
# node's dump.rdb + nodes.conf saved. Each run starts from a copy of that snapshot: same data, same node IDs.
# A run's time is from the command to balanced: the rebalance command's wall time for the peer; for Warden from
# POST /v1/scale until GET /v1/topology says the scale is done (agents and coordinator already running and healthy,
# default timings: 1 s reconcile and heartbeat). keys/s = keys of the loaded set now on the 4th master / seconds.
# Results are appended to bench/results/scale.txt. SEED=DIR keeps the loaded snapshot in DIR for later invocations
# (with the same KEYS and BASE); ONLY_WARDEN=1 skips the peer's runs; KEEP=1 keeps the work directory (agents' logs).
# WRITER_WARMUP=SECONDS (default 8) between the writer's start and each mover's.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}"
keys="${KEYS:-4000000}"
base="${BASE:-7301}"
rate="${WRITE_RATE:-500}"
out="$root/bench/results"; mkdir -p "$out"
work="$(mktemp -d /tmp/warden-scale.XXXXXX)"
seed="${SEED:-$work/seed}"   # SEED=/some/dir keeps the loaded snapshot there and reuses it in later invocations
agent_jar="${AGENT_JAR:-$root/agent/target/warden-agent.jar}"
coordinator_jar="${COORDINATOR_JAR:-$root/coordinator/target/warden-coordinator.jar}"
cp_bench="$root/testkit/target/classes:$agent_jar"
# bin/warden's agent flags, as it expands them (they name a file under $root), unless WARDEN_JAVA_OPTS is set
[ -n "${WARDEN_JAVA_OPTS:-}" ] || eval "$(grep -m1 '^: "${WARDEN_JAVA_OPTS:=' "$root/bin/warden")"
agent_opts="$WARDEN_JAVA_OPTS ${AGENT_EXTRA_OPTS:-}"
coord_opts="$(sed -n 's/^: "${WARDEN_COORDINATOR_JAVA_OPTS:=\(.*\)}"$/\1/p' "$root/bin/warden") ${COORDINATOR_EXTRA_OPTS:-}"
pids=()

stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  pids=()
}
cleanup() { stop_all; [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT INT TERM

start_redis() { # dir port
  redis-server --bind 127.0.0.1 --port "$2" --dir "$1" --cluster-enabled yes --cluster-config-file nodes.conf \
    --save "" --appendonly no --daemonize no --protected-mode no --logfile "$1/redis.log" &
  pids+=($!)
  for _ in $(seq 1 100); do redis-cli -p "$2" ping >/dev/null 2>&1 && return; sleep 0.05; done
  echo "redis on $2 did not start" >&2; exit 1
}

await_ok() {
  for _ in $(seq 1 200); do
    ok=1; for i in 0 1 2 3; do redis-cli -p $((base + i)) cluster info | grep -q cluster_state:ok || ok=0; done
    [ $ok = 1 ] && return; sleep 0.1
  done
  echo "cluster not ok" >&2; exit 1
}

prepare() {
  if [ -f "$seed/ready" ]; then return; fi
  for i in 0 1 2 3; do mkdir -p "$seed/$i"; start_redis "$seed/$i" $((base + i)); done
  redis-cli --cluster create 127.0.0.1:$base 127.0.0.1:$((base + 1)) 127.0.0.1:$((base + 2)) --cluster-yes >/dev/null
  redis-cli --cluster add-node 127.0.0.1:$((base + 3)) 127.0.0.1:$base >/dev/null
  await_ok
  java -Xmx512m -cp "$cp_bench" "$root/bench/ScaleBench.java" load 127.0.0.1:$base "$keys"
  for i in 0 1 2 3; do redis-cli -p $((base + i)) save >/dev/null; done
  stop_all
  touch "$seed/ready"
}

fresh() { # copy the snapshot and start it
  rm -rf "$work/run"; cp -r "$seed" "$work/run"
  for i in 0 1 2 3; do start_redis "$work/run/$i" $((base + i)); done
  await_ok
}

start_writer() {
  rm -f "$work/stop"
  java -Xmx256m -cp "$cp_bench" "$root/bench/ScaleBench.java" write 127.0.0.1:$base "$rate" "$work/stop" > "$work/writer.txt" 2>"$work/writer.err" &
  wpid=$!
  # Its JVM compiles ScaleBench.java, then JIT-compiles the cluster client, for several seconds on both cores: the
  # movers start once that is over, not while it competes with them (WRITER_WARMUP seconds; 3 before session 7).
  sleep "${WRITER_WARMUP:-8}"
}

stop_writer() { touch "$work/stop"; wait "$wpid"; }

moved_keys() { # loaded keys now on the 4th master
  total=$(redis-cli -p $((base + 3)) dbsize)
  written=$(redis-cli -p $((base + 3)) --scan --pattern 'w:*' | wc -l)
  echo $((total - written))
}

peer_run() { # pipeline
  fresh; start_writer
  t0=$(date +%s.%N)
  redis-cli --cluster rebalance 127.0.0.1:$base --cluster-use-empty-masters --cluster-pipeline "$1" > "$work/peer.log" 2>&1
  status=$?
  t1=$(date +%s.%N)
  stop_writer; w="$(cat "$work/writer.txt")"
  report "redis-cli pipeline $1" "$t0" "$t1" "exit $status; $w"
  stop_all
}

warden_run() {
  fresh
  token=bench; cport=$((base + 10))
  mkdir -p "$work/run/coordinator"
  # shellcheck disable=SC2086
  WARDEN_MODE=cluster WARDEN_SHARDS=3 WARDEN_REPLICAS=0 WARDEN_HTTP_HOST=127.0.0.1 WARDEN_HTTP_PORT=$cport WARDEN_ELECTION=local \
    WARDEN_STATE_DIR="$work/run/coordinator" WARDEN_TOKEN=$token POD_NAME=coordinator \
    java $coord_opts -jar "$coordinator_jar" coordinator > "$work/run/coordinator.log" 2>&1 &
  pids+=($!)
  for i in 0 1 2 3; do
    # shellcheck disable=SC2086
    WARDEN_REDIS_HOST=127.0.0.1 WARDEN_REDIS_PORT=$((base + i)) WARDEN_HTTP_HOST=127.0.0.1 WARDEN_HTTP_PORT=$((base + 20 + i)) \
      POD_NAME=redis-$i NODE_NAME=node-$i WARDEN_COORDINATOR=http://127.0.0.1:$cport WARDEN_TOKEN=$token WARDEN_MAXMEMORY_RATIO=0 \
      java $agent_opts -jar "$agent_jar" agent > "$work/run/agent-$i.log" 2>&1 &
    pids+=($!)
  done
  topo() { curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$cport/v1/topology"; }
  for _ in $(seq 1 300); do topo | grep -q '"healthy":true' && break; sleep 0.2; done
  start_writer
  t0=$(date +%s.%N)
  curl -s -o /dev/null -w '' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"shards": 4, "replicas": 0}' "http://127.0.0.1:$cport/v1/scale"
  await_scaled "$cport" "$token"
  t1=$(date +%s.%N)
  stop_writer; w="$(cat "$work/writer.txt")"
  inst="$(grep -ho 'moved [0-9]* of [0-9]* slots ([0-9]* keys) to [0-9.:]* in [0-9]* ms' "$work"/run/agent-*.log | paste -sd ';' -)"
  report "warden" "$t0" "$t1" "$w; instructions: $inst"
  stop_all
}

await_scaled() { # port token: poll GET /v1/topology every 100 ms over one kept-alive connection until the scale is
  # done and the cluster healthy. The poller shares the two cores the keys move on: the former one started a curl and
  # two greps every 50 ms, and the coordinator alone spent ~0.9 CPU-s more per run answering it than a 500-ms poll.
  python3 - "$1" "$2" <<'PY'
import http.client, json, sys, time
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
deadline = time.time() + 300
while time.time() < deadline:
    conn.request("GET", "/v1/topology", headers={"Authorization": "Bearer " + sys.argv[2]})
    doc = json.loads(conn.getresponse().read())
    if doc.get("healthy") and (doc.get("scale") or {}).get("done"):
        break
    time.sleep(0.1)
PY
}

report() { # label t0 t1 notes
  moved=$(moved_keys)
  secs=$(echo "$3 - $2" | bc -l)
  rate_=$(echo "$moved / $secs" | bc -l)
  check=$(redis-cli --cluster check 127.0.0.1:$base 2>&1 | grep -cE '^\[ERR\]|\[WARNING\]')
  printf '%-22s %9d keys in %7.2f s = %8.0f keys/s  (check problems: %s) %s\n' "$1" "$moved" "$secs" "$rate_" "$check" "$4" \
    | tee -a "$work/lines.txt"
}

{
  echo "== bench/scale.sh $runs runs, $keys keys loaded in 3 masters, a 4th empty master; writer $rate/s; $(nproc) cores; redis $(redis-server --version | grep -o 'v=[0-9.]*'); $(date -u +%FT%TZ)"
  prepare
  for r in $(seq 1 "$runs"); do
    [ -z "${ONLY_WARDEN:-}" ] && peer_run 10
    [ -z "${ONLY_WARDEN:-}" ] && peer_run 100
    warden_run
  done
  echo "-- medians (keys/s):"
  for label in "redis-cli pipeline 10" "redis-cli pipeline 100" "warden"; do
    grep -F "$label " "$work/lines.txt" | awk '{for(i=1;i<=NF;i++) if($i=="keys/s") print $(i-1)}' | sort -n \
      | awk -v l="$label" '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "  %-22s median %8.0f keys/s over %d runs\n", l, m, NR}'
  done
} 2>&1 | tee -a "$out/scale.txt"
