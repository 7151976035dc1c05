#!/usr/bin/env bash
# Snapshot throughput and agent memory (bench/README.md, "Snapshots").
#   bench/snapshot.sh [SIZE_MIB] [RUNS]        defaults: 2048 MiB, 3 runs
# A redis-server on 127.0.0.1 holds SIZE_MIB of DEBUG POPULATE data (rdbcompression off, so the RDB is that big);
# an agent (the jar, with bin/warden's JVM flags) snapshots it to a file target. Per run it prints: the agent's time
# from POST /v1/snapshots to a verified, published snapshot (BGSAVE + streaming), its streaming part alone, `cp` of
# the same dump.rdb plus fsync, `redis-cli --rdb` (the peer: a full sync to a file), and the agent's RSS before and
# at its peak (sampled every 50 ms). Also, as the floor of any verified copy, `openssl dgst -sha256` of the same file
# (native SHA-256, SHA-NI when the CPU has it): a snapshot cannot stream faster than its bytes can be hashed.
# Also the agent's CPU seconds per snapshot (BGSAVE wait + streaming), which other jobs on the machine hardly move.
# The last lines give the medians and the streaming/cp throughput ratio. Everything is removed at the end.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size_mib="${1:-2048}"
runs="${2:-3}"
work="$(mktemp -d /tmp/warden-snapbench-XXXXXX)"
port=$((20000 + RANDOM % 10000))
agent_port=$((port + 1))
# bin/warden's agent flags, unless WARDEN_JAVA_OPTS is set
[ -n "${WARDEN_JAVA_OPTS:-}" ] || eval "$(grep -m1 '^: "${WARDEN_JAVA_OPTS:=' "$root/bin/warden")"
redis_pid=""; agent_pid=""
cleanup() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
[ -f "$root/agent/target/warden-agent.jar" ] || (cd "$root" && ./mvnw -B -q -DskipTests package)
mkdir -p "$work/redis" "$work/pvc" "$work/copy"
redis-server --bind 127.0.0.1 --port "$port" --dir "$work/redis" --save "" --appendonly no --rdbcompression no \
  --enable-debug-command yes --logfile "$work/redis.log" --daemonize no & redis_pid=$!
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
keys=$((size_mib * 1024))   # 1 KiB values
redis-cli -p "$port" debug populate "$keys" key 1000 >/dev/null
WARDEN_REDIS_HOST=127.0.0.1 WARDEN_REDIS_PORT=$port WARDEN_HTTP_HOST=127.0.0.1 WARDEN_HTTP_PORT=$agent_port \
  WARDEN_DATA_DIR="$work/redis" WARDEN_SNAPSHOT_TARGET="file://$work/pvc" WARDEN_SNAPSHOT_KEEP=1 WARDEN_MAXMEMORY_RATIO=0 \
  java $WARDEN_JAVA_OPTS -jar "$root/agent/target/warden-agent.jar" agent >"$work/agent.log" 2>&1 & agent_pid=$!
until curl -sf "http://127.0.0.1:$agent_port/live" >/dev/null; do sleep 0.2; done
sleep 3
rss() { awk '/VmRSS/ {print $2}' "/proc/$agent_pid/status"; }
# CPU seconds the agent used (user + system): unlike wall time, hardly moved by other jobs on a shared machine
cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$agent_pid/stat"; }
now() { date +%s.%N; }
echo "dataset: $keys keys of 1000 bytes; runs: $runs"
printf "%-4s %8s %13s %9s %10s %12s %10s %8s %8s %11s\n" run rdb_MiB agent_total_s stream_s cp_sync_s redis_cli_s sha256_s rss_MiB peak_MiB agent_cpu_s
median() { sort -n | awk '{v[NR]=$1} END {printf "%.3f\n", (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
: >"$work/rows"
for run in $(seq 1 "$runs"); do
  before=$(rss); peak=$before; cpu0=$(cpu)
  t0=$(now)
  id=$(curl -sf -X POST "http://127.0.0.1:$agent_port/v1/snapshots" | sed -E 's/.*"id":"([^"]+)".*/\1/')
  while :; do
    r=$(rss); [ "$r" -gt "$peak" ] && peak=$r
    state=$(curl -sf "http://127.0.0.1:$agent_port/v1/snapshots/$id" | sed -E 's/.*"state":"([^"]+)".*/\1/')
    [ "$state" != running ] && break
    sleep 0.05
  done
  t1=$(now); cpu1=$(cpu)
  [ "$state" = succeeded ] || { echo "snapshot $id: $state"; tail -5 "$work/agent.log"; exit 1; }
  stream_ms=$(grep "snapshot $id published" "$work/agent.log" | sed -E 's/.*streaming and verifying ([0-9]+) ms.*/\1/')
  rdb_bytes=$(stat -c %s "$work/redis/dump.rdb")
  t2=$(now); cp "$work/redis/dump.rdb" "$work/copy/dump.rdb"; sync "$work/copy/dump.rdb"; t3=$(now)
  rm -f "$work/copy/dump.rdb"
  t4=$(now); redis-cli -p "$port" --rdb "$work/copy/peer.rdb" >/dev/null 2>&1; t5=$(now)
  rm -f "$work/copy/peer.rdb"
  sha=0; if command -v openssl >/dev/null; then t6=$(now); openssl dgst -sha256 "$work/redis/dump.rdb" >/dev/null; t7=$(now); sha=$(echo "$t7-$t6" | bc -l); fi
  row=$(printf "%-4s %8.0f %13.2f %9.2f %10.2f %12.2f %10.2f %8.1f %8.1f %11.2f" "$run" "$(echo "$rdb_bytes/1048576" | bc -l)" \
    "$(echo "$t1-$t0" | bc -l)" "$(echo "$stream_ms/1000" | bc -l)" "$(echo "$t3-$t2" | bc -l)" "$(echo "$t5-$t4" | bc -l)" \
    "$sha" "$(echo "$before/1024" | bc -l)" "$(echo "$peak/1024" | bc -l)" "$(echo "$cpu1-$cpu0" | bc -l)")
  echo "$row"; echo "$row $rdb_bytes" >>"$work/rows"
done
col() { awk -v c="$1" '{print $c}' "$work/rows" | median; }
stream=$(col 4); cp_s=$(col 5); mb=$(awk 'NR == 1 {print $11}' "$work/rows")
printf "%-4s %8s %13.2f %9.2f %10.2f %12.2f %10.2f %8s %8s %11.2f  RSS growth %.1f MiB\n" median "" "$(col 3)" "$stream" "$cp_s" \
  "$(col 6)" "$(col 7)" "" "" "$(col 10)" "$(awk '{print $9-$8}' "$work/rows" | median)"
echo "throughput (medians): streaming $(echo "$mb/$stream/1000000" | bc -l | xargs printf %.0f) MB/s, cp+sync $(echo "$mb/$cp_s/1000000" | bc -l | xargs printf %.0f) MB/s, ratio $(echo "100*$cp_s/$stream" | bc -l | xargs printf %.0f)%"
