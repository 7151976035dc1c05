#!/usr/bin/env bash
# Reconcile cost with simulated agents: one coordinator started by hand on 127.0.0.10:<free port>, fed by
# bench/SimulatedAgents.java (1,000 agents of a healthy 500 x 1 cluster, one heartbeat per agent per second).
#   bench/reconcile-cost.sh ["digest full self empty"] [SECONDS]    (default: digest and full; 60 s measured after 20 s warm-up)
#   digest: what agents do (the cluster view once, then only its digest while the coordinator holds it);
#   full/self/empty: the whole view, only the node's own line, or none, in every report.
# COORD_JAVA_OPTS overrides the coordinator's JVM flags (default: bin/warden's WARDEN_COORDINATOR_JAVA_OPTS default).
# PROFILE=1 adds a JFR recording (separate run: JFR itself costs CPU) and prints where the samples fall.
# SHARDS (500) and WARMUP (20 s) override the shape and warm-up. Results are appended to bench/results/reconcile-cost.txt.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
variants="${1:-digest full}"
seconds="${2:-60}"
shards="${SHARDS:-500}"
default_opts="$(sed -n 's/^: "${WARDEN_COORDINATOR_JAVA_OPTS:=\(.*\)}"$/\1/p' "$root/bin/warden")"
opts="${COORD_JAVA_OPTS:-$default_opts}"
out="$root/bench/results"; mkdir -p "$out"
work="$(mktemp -d /tmp/warden-reconcile.XXXXXX)"
cpid=""
cleanup() { [ -n "$cpid" ] && kill "$cpid" 2>/dev/null && wait "$cpid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.10",0)); print(s.getsockname()[1]); s.close()'; }

for variant in $variants; do
  port="$(free_port)"
  token="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  mkdir -p "$work/state-$variant"
  jfr_opt=""; [ -n "${PROFILE:-}" ] && jfr_opt="-XX:StartFlightRecording=filename=$work/$variant.jfr,settings=profile,dumponexit=true"
  # shellcheck disable=SC2086
  WARDEN_MODE=cluster WARDEN_SHARDS="$shards" WARDEN_REPLICAS=1 WARDEN_HTTP_HOST=127.0.0.10 WARDEN_HTTP_PORT="$port" \
    WARDEN_ELECTION=local WARDEN_STATE_DIR="$work/state-$variant" WARDEN_HEARTBEAT_MS=1000 WARDEN_TOKEN="$token" \
    java $opts $jfr_opt -jar "$root/coordinator/target/warden-coordinator.jar" coordinator >"$work/coordinator-$variant.log" 2>&1 &
  cpid=$!
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.10:$port/health" >/dev/null 2>&1 && break; sleep 0.5; done
  if [ "$variant" = digest ]; then flag="--digest"; else flag="--cluster-nodes $variant"; fi
  {
    echo "== variant $variant: $((shards * 2)) agents, coordinator JVM: $opts ($(nproc) cores, $(date -u +%FT%TZ))"
    timeout $((seconds + 90)) java -Xmx1g -XX:+UseSerialGC "$root/bench/SimulatedAgents.java" --url "http://127.0.0.10:$port" \
      --token "$token" --pid "$cpid" --shards "$shards" --seconds "$seconds" --warmup "${WARMUP:-20}" --clk-tck "$(getconf CLK_TCK)" $flag
    echo "simulator exit $?"
    echo "reconcile (view + plan) from the coordinator's /metrics:"
    curl -s "http://127.0.0.10:$port/metrics" | grep -E '^warden_reconcile_duration_seconds(\{quantile|_max|_count)' | sed 's/^/  /'
    if kill -0 "$cpid" 2>/dev/null; then echo "coordinator still running"; else echo "COORDINATOR DIED"; fi
    echo "coordinator log (errors/warnings, last 8):"; grep -E 'WARN|SEVERE|Error|Exception' "$work/coordinator-$variant.log" | tail -8
  } 2>&1 | tee -a "$out/reconcile-cost.txt"
  kill "$cpid" 2>/dev/null; wait "$cpid" 2>/dev/null; cpid=""
  if [ -n "${PROFILE:-}" ] && [ -f "$work/$variant.jfr" ]; then
    jfr print --events jdk.ExecutionSample "$work/$variant.jfr" > "$work/samples.txt"
    {
      echo "JFR execution samples, variant $variant: $(grep -c 'jdk.ExecutionSample' "$work/samples.txt") samples"
      echo "-- by first io.warden frame on the stack (whose work it is):"
      awk '/stackTrace = \[/{s=1; w=""; next} s && /^[[:space:]]*\]/{s=0; print (w==""?"(no warden frame: vert.x/netty/JVM)":w); next}
           s && w=="" && /io\.warden\./{sub(/^[[:space:]]+/,""); sub(/[[:space:]]+line:.*/,""); w=$0}' "$work/samples.txt" \
        | sort | uniq -c | sort -rn | head -12
      echo "-- by category (first match from the top of each stack, 64 frames deep):"
      awk '/stackTrace = \[/{s=1; c=""; next}
           s && /^[[:space:]]*\]/{s=0; print (c==""?"other (vert.x/netty/JDK)":c); next}
           s && c=="" && /com\.fasterxml|WireJson/{c="JSON (Jackson) decode/encode"}
           s && c=="" && /ViewBuilder/{c="ViewBuilder (reports -> view)"}
           s && c=="" && /coordinator\.plan\./{c="planner (ClusterState/Health/Planner)"}
           s && c=="" && /TopologyReport/{c="topology document"}
           s && c=="" && /StringLatin1\.inflate|StringUTF16\.compress|StringCoding|Buffer.*toString|asString/{c="bytes -> String (request body)"}' "$work/samples.txt" \
        | sort | uniq -c | sort -rn
      echo "-- by top frame:"
      awk '/stackTrace = \[/{getline; sub(/^[[:space:]]+/,""); sub(/[[:space:]]+line:.*/,""); print}' "$work/samples.txt" \
        | sort | uniq -c | sort -rn | head -12
      echo "-- GC: $(jfr print --events jdk.GarbageCollection "$work/$variant.jfr" | grep -c 'jdk.GarbageCollection') collections," \
        "sum of pauses $(jfr print --events jdk.GarbageCollection "$work/$variant.jfr" | awk '/sumOfPauses/{v=$3; u=$4; if(u=="s") v*=1000; else if(u=="us") v/=1000; t+=v} END{printf "%.0f ms", t}')"
    } | tee -a "$out/reconcile-profile.txt"
  fi
done
