#!/usr/bin/env bash
# Snapshot throughput and agent memory (bench/README.md, "Snapshots").
#   bench/snapshot.sh [SIZE_MIB] [RUNS]        defaults: 2048 MiB, 3 runs; SNAPSHOT_S3=0 skips the S3 leg
# A redis-server on 127.0.0.1 holds SIZE_MIB of DEBUG POPULATE data (rdbcompression off, so the RDB is that big);
# an agent (the jar, with bin/warden's JVM flags) snapshots it to a file target. Per run it prints: the agent's time
# from POST /v1/snapshots to a verified, published snapshot, and from its log the BGSAVE part and the streaming part
# after it (with `streamed` while-saving, the RDB was copied as Redis wrote it and streaming is only the tail left once
# the save finished); `cp` of the same dump.rdb plus fsync; what an operator's own script costs end to end,
# `redis-cli BGSAVE`, wait (INFO polled every 10 ms), `cp` + `sync` ("bgsave_cp"); `redis-cli --rdb` (the peer: a
# full sync to a file); and the agent's RSS before and at its peak (sampled every 50 ms). Also, as the floor of any
# verified copy, `openssl dgst -sha256` of the same file (native SHA-256, SHA-NI when the CPU has it).
# Also the agent's CPU seconds per snapshot (BGSAVE wait + streaming), which other jobs on the machine hardly move.
# The last lines give the medians and the ratios. Then the S3 leg: a local s3proxy (filesystem store, bench/LocalS3.java
# on common's test classpath), a second agent snapshotting to it, RUNS times: time, throughput and RSS.
# Everything is removed at the end.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size_mib="${1:-2048}"
runs="${2:-3}"
work="$(mktemp -d /tmp/warden-snapbench-XXXXXX)"
port=$((20000 + RANDOM % 10000))
agent_port=$((port + 1))
# bin/warden's agent flags, unless WARDEN_JAVA_OPTS is set
[ -n "${WARDEN_JAVA_OPTS:-}" ] || eval "$(grep -m1 '^: "${WARDEN_JAVA_OPTS:=' "$root/bin/warden")"
redis_pid=""; agent_pid=""; s3_pid=""
cleanup() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  [ -n "$s3_pid" ] && kill "$s3_pid" 2>/dev/null && wait "$s3_pid" 2>/dev/null || true
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
printf "%-4s %8s %13s %9s %9s %-12s %10s %12s %12s %10s %8s %8s %11s\n" run rdb_MiB agent_total_s bgsave_s stream_s streamed \
  cp_sync_s bgsave_cp_s redis_cli_s sha256_s rss_MiB peak_MiB agent_cpu_s
median() { sort -n | awk '{v[NR]=$1} END {printf "%.3f\n", (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
info() { redis-cli -p "$port" info persistence | tr -d '\r' | awk -F: -v k="$1" '$1 == k {print $2}'; }
# One snapshot through the agent on $agent_port; sets total_s, bgsave_ms, stream_ms, streamed, peak (KiB), cpu_s.
snapshot() {
  local before t0 t1 cpu0 id state job line
  before=$(rss); peak=$before; cpu0=$(cpu)
  t0=$(now)
  id=$(curl -sf -X POST "http://127.0.0.1:$agent_port/v1/snapshots" | sed -E 's/.*"id":"([^"]+)".*/\1/')
  while :; do
    r=$(rss); [ "$r" -gt "$peak" ] && peak=$r
    job=$(curl -sf "http://127.0.0.1:$agent_port/v1/snapshots/$id")
    state=$(echo "$job" | sed -E 's/.*"state":"([^"]+)".*/\1/')
    [ "$state" != running ] && break
    sleep 0.05
  done
  t1=$(now); cpu_s=$(echo "$(cpu)-$cpu0" | bc -l)
  [ "$state" = succeeded ] || { echo "snapshot $id: $state: $job"; tail -5 "$work/agent.log"; exit 1; }
  streamed=$(echo "$job" | sed -E 's/.*"streamed":"([^"]*)".*/\1/')
  line=$(grep "snapshot $id published" "$work/agent.log")
  bgsave_ms=$(echo "$line" | sed -E 's/.*\(BGSAVE ([0-9]+) ms.*/\1/')
  stream_ms=$(echo "$line" | sed -E 's/.*streaming and verifying ([0-9]+) ms.*/\1/')
  total_s=$(echo "$t1-$t0" | bc -l); rss_before=$before
}
: >"$work/rows"
for run in $(seq 1 "$runs"); do
  snapshot
  rdb_bytes=$(stat -c %s "$work/redis/dump.rdb")
  t2=$(now); cp "$work/redis/dump.rdb" "$work/copy/dump.rdb"; sync "$work/copy/dump.rdb"; t3=$(now)
  rm -f "$work/copy/dump.rdb"
  t4=$(now); redis-cli -p "$port" --rdb "$work/copy/peer.rdb" >/dev/null 2>&1; t5=$(now)
  rm -f "$work/copy/peer.rdb"
  sha=0; if command -v openssl >/dev/null; then t6=$(now); openssl dgst -sha256 "$work/redis/dump.rdb" >/dev/null; t7=$(now); sha=$(echo "$t7-$t6" | bc -l); fi
  # What an operator's script does without the agent: BGSAVE, wait for it, copy the finished file, make it durable.
  t8=$(now); redis-cli -p "$port" bgsave >/dev/null
  while [ "$(info rdb_bgsave_in_progress)" != 0 ]; do sleep 0.01; done
  [ "$(info rdb_last_bgsave_status)" = ok ] || { echo "BGSAVE failed"; exit 1; }
  cp "$work/redis/dump.rdb" "$work/copy/dump.rdb"; sync "$work/copy/dump.rdb"; t9=$(now)
  rm -f "$work/copy/dump.rdb"
  row=$(printf "%-4s %8.0f %13.2f %9.2f %9.2f %-12s %10.2f %12.2f %12.2f %10.2f %8.1f %8.1f %11.2f" "$run" "$(echo "$rdb_bytes/1048576" | bc -l)" \
    "$total_s" "$(echo "$bgsave_ms/1000" | bc -l)" "$(echo "$stream_ms/1000" | bc -l)" "$streamed" "$(echo "$t3-$t2" | bc -l)" \
    "$(echo "$t9-$t8" | bc -l)" "$(echo "$t5-$t4" | bc -l)" "$sha" "$(echo "$rss_before/1024" | bc -l)" "$(echo "$peak/1024" | bc -l)" "$cpu_s")
  echo "$row"; echo "$row $rdb_bytes" >>"$work/rows"
done
col() { awk -v c="$1" '{print $c}' "$work/rows" | median; }
total=$(col 3); stream=$(col 5); cp_s=$(col 7); bgcp=$(col 8); peer=$(col 9); mb=$(awk 'NR == 1 {print $14}' "$work/rows")
printf "%-4s %8s %13.2f %9.2f %9.2f %-12s %10.2f %12.2f %12.2f %10.2f %8s %8s %11.2f  RSS growth %.1f MiB (max %.1f)\n" median "" "$total" \
  "$(col 4)" "$stream" "" "$cp_s" "$bgcp" "$peer" "$(col 10)" "" "" "$(col 13)" \
  "$(awk '{print $12-$11}' "$work/rows" | median)" "$(awk '{print $12-$11}' "$work/rows" | sort -n | tail -1)"
pct() { echo "100*$1/$2" | bc -l | xargs printf %.0f; }
mbs() { echo "$mb/$1/1000000" | bc -l | xargs printf %.0f; }
echo "end to end (medians): agent $(mbs "$total") MB/s, BGSAVE then cp+sync $(mbs "$bgcp") MB/s: agent at $(pct "$bgcp" "$total")% of it;" \
  "redis-cli --rdb $(mbs "$peer") MB/s: agent at $(pct "$peer" "$total")% of it"
echo "copy phase alone (medians): agent's streaming after BGSAVE $stream s vs cp+sync of the finished file $cp_s s"

[ "${SNAPSHOT_S3:-1}" = 0 ] && exit 0
# The S3 leg: the same Redis, a second agent whose target is a local s3proxy writing to this machine's disk.
kill "$agent_pid"; wait "$agent_pid" 2>/dev/null || true; agent_pid=""
(cd "$root" && ./mvnw -B -o -q dependency:build-classpath -pl common -Dmdep.includeScope=test -Dmdep.outputFile="$work/s3cp.txt" >/dev/null)
s3_port=$((port + 2)); mkdir -p "$work/s3"; : >"$work/s3.log"
java -Xmx256m -cp "$(cat "$work/s3cp.txt")" "$root/bench/LocalS3.java" "$s3_port" "$work/s3" backups bench bench-secret >"$work/s3.log" 2>&1 & s3_pid=$!
until grep -q ready "$work/s3.log"; do sleep 0.2; kill -0 "$s3_pid" || { cat "$work/s3.log"; exit 1; }; done
AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret WARDEN_S3_ENDPOINT="http://127.0.0.1:$s3_port" WARDEN_S3_PATH_STYLE=true \
  WARDEN_S3_REGION=us-east-1 WARDEN_REDIS_HOST=127.0.0.1 WARDEN_REDIS_PORT=$port WARDEN_HTTP_HOST=127.0.0.1 WARDEN_HTTP_PORT=$agent_port \
  WARDEN_DATA_DIR="$work/redis" WARDEN_SNAPSHOT_TARGET="s3://backups/bench" WARDEN_SNAPSHOT_KEEP=1 WARDEN_MAXMEMORY_RATIO=0 \
  java $WARDEN_JAVA_OPTS -jar "$root/agent/target/warden-agent.jar" agent >"$work/agent.log" 2>&1 & agent_pid=$!
until curl -sf "http://127.0.0.1:$agent_port/live" >/dev/null; do sleep 0.2; done
sleep 3
echo "S3 leg: local s3proxy (filesystem store) on this machine"
printf "%-4s %13s %9s %9s %-12s %8s %8s %8s %11s\n" run agent_total_s bgsave_s stream_s streamed MB_s rss_MiB peak_MiB agent_cpu_s
: >"$work/s3rows"
for run in $(seq 1 "$runs"); do
  snapshot
  row=$(printf "%-4s %13.2f %9.2f %9.2f %-12s %8.0f %8.1f %8.1f %11.2f" "$run" "$total_s" "$(echo "$bgsave_ms/1000" | bc -l)" \
    "$(echo "$stream_ms/1000" | bc -l)" "$streamed" "$(echo "$mb/$total_s/1000000" | bc -l)" "$(echo "$rss_before/1024" | bc -l)" \
    "$(echo "$peak/1024" | bc -l)" "$cpu_s")
  echo "$row"; echo "$row" >>"$work/s3rows"
done
s3col() { awk -v c="$1" '{print $c}' "$work/s3rows" | median; }
printf "%-4s %13.2f %9.2f %9.2f %-12s %8.0f %8s %8s %11.2f  RSS growth %.1f MiB (max %.1f)\n" median "$(s3col 2)" "$(s3col 3)" "$(s3col 4)" "" \
  "$(s3col 6)" "" "" "$(s3col 9)" "$(awk '{print $8-$7}' "$work/s3rows" | median)" "$(awk '{print $8-$7}' "$work/s3rows" | sort -n | tail -1)"
