#!/usr/bin/env bash
# Footprint of the Warden agent next to redis_exporter, side by side against the SAME redis-server:
#   1. start-to-first-good-scrape: process spawn -> GET /metrics is 200 and has `redis_up 1` (polled every ~10 ms);
#      measured --starts times per process, alternating agent/exporter, one process starting at a time;
#   2. scrape latency p50/p99: every GET /metrics of the steady-state run, timed by curl -w '%{time_total}';
#   3. RSS (VmRSS from /proc/PID/status) each minute and after --minutes of 1 scrape/s.
# Both processes are scraped in the same loop, in alternating order, so machine noise hits both alike.
#
# Usage: bench/agent-footprint.sh [--minutes N] [--jvm-flags "..."] [--cds] [--label NAME] [--starts K] [--keys N]
#   --cds   first makes an AppCDS archive (-XX:ArchiveClassesAtExit, stopped by SIGTERM) in the temp dir, then
#           runs the agent with -XX:SharedArchiveFile=<it> added to --jvm-flags.
# Only loopback addresses are used; every process started is stopped on exit; the temp dir is deleted.
# Raw numbers go to bench/results/footprint-<label>-<utc time>.{csv,txt}.
set -euo pipefail

MINUTES=5
JVM_FLAGS=""
CDS=0
LABEL=""
STARTS=5
KEYS=10000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --minutes) MINUTES="$2"; shift 2 ;;
        --jvm-flags) JVM_FLAGS="$2"; shift 2 ;;
        --cds) CDS=1; shift ;;
        --label) LABEL="$2"; shift 2 ;;
        --starts) STARTS="$2"; shift 2 ;;
        --keys) KEYS="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[[ "$MINUTES" =~ ^[0-9]+$ && "$MINUTES" -ge 1 ]] || { echo "--minutes must be a whole number >= 1" >&2; exit 2; }
[[ "$STARTS" =~ ^[0-9]+$ && "$STARTS" -ge 1 ]] || { echo "--starts must be >= 1" >&2; exit 2; }
[[ -n "$LABEL" ]] || LABEL="custom"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/agent/target/warden-agent.jar"
RESULTS="$ROOT/bench/results"
[[ -f "$JAR" ]] || { echo "no $JAR; build it: ./mvnw -q -B -DskipTests package" >&2; exit 2; }
for tool in redis-server redis-cli prometheus-redis-exporter curl java python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
mkdir -p "$RESULTS"

TMP="$(mktemp -d -t warden-footprint.XXXXXX)"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Loopback only: a random 127.x.y.z address per run, free ports picked by the kernel on it.
IP="127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))"
read -r REDIS_PORT AGENT_PORT EXPORTER_PORT < <(python3 - "$IP" <<'EOF'
import socket, sys
socks = []
for _ in range(3):
    s = socket.socket(); s.bind((sys.argv[1], 0)); socks.append(s)
print(*[s.getsockname()[1] for s in socks])
EOF
)

now_us() { local t="${EPOCHREALTIME/./}"; echo "$t"; }   # microseconds, no fork
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
forget_pid() { local p keep=(); for p in "${PIDS[@]}"; do [[ "$p" == "$1" ]] || keep+=("$p"); done; PIDS=("${keep[@]}"); }
stop_pid() {   # SIGTERM, wait up to 10 s, then SIGKILL
    local pid="$1"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
}

# --- Redis, filled with $KEYS keys ---------------------------------------------------------------------------
mkdir -p "$TMP/redis"
(cd "$TMP/redis" && exec redis-server --bind "$IP" --port "$REDIS_PORT" --save "" --appendonly no --daemonize no \
    --dir "$TMP/redis" --logfile "$TMP/redis.log") &
PIDS+=("$!")
for _ in $(seq 1 500); do
    redis-cli -h "$IP" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
    sleep 0.01
done
redis-cli -h "$IP" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG || { echo "redis did not start" >&2; tail -5 "$TMP/redis.log" >&2; exit 1; }
python3 - "$KEYS" <<'EOF' | redis-cli -h "$IP" -p "$REDIS_PORT" --pipe >/dev/null
import sys
out = sys.stdout
for i in range(int(sys.argv[1])):
    k, v = f"key:{i}", f"value:{i}:" + "x" * 32
    out.write(f"*3\r\n$3\r\nSET\r\n${len(k)}\r\n{k}\r\n${len(v)}\r\n{v}\r\n")
EOF
DBSIZE="$(redis-cli -h "$IP" -p "$REDIS_PORT" dbsize)"

# --- the two processes -----------------------------------------------------------------------------------------
AGENT_FLAGS=()
read -r -a AGENT_FLAGS <<<"$JVM_FLAGS" || true
spawn_agent() {   # extra JVM flags as arguments; sets SPAWN_PID
    # WARDEN_MAXMEMORY_RATIO=0: the memory guard must not CONFIG SET the shared bench Redis.
    env WARDEN_REDIS_HOST="$IP" WARDEN_REDIS_PORT="$REDIS_PORT" WARDEN_HTTP_HOST="$IP" WARDEN_HTTP_PORT="$AGENT_PORT" \
        WARDEN_MAXMEMORY_RATIO=0 java "${AGENT_FLAGS[@]}" "$@" -jar "$JAR" >>"$TMP/agent.log" 2>&1 &
    SPAWN_PID=$!
    PIDS+=("$SPAWN_PID")
}
spawn_exporter() {
    prometheus-redis-exporter -redis.addr "redis://$IP:$REDIS_PORT" -web.listen-address "$IP:$EXPORTER_PORT" \
        >>"$TMP/exporter.log" 2>&1 &
    SPAWN_PID=$!
    PIDS+=("$SPAWN_PID")
}
good_scrape() {   # 0 when GET /metrics is 200 and has redis_up 1 (agent: `redis_up 1.0` too)
    curl -s -f -m 1 "http://$IP:$1/metrics" 2>/dev/null | grep -Eq '^redis_up 1(\.0+)?$'
}
wait_good() {   # port pid t0_us -> prints ms from t0 to first good scrape; fails after 60 s
    local port="$1" pid="$2" t0="$3" deadline=$(( $3 + 60000000 ))
    while (( $(now_us) < deadline )); do
        if good_scrape "$port"; then
            local t1; t1="$(now_us)"
            echo "$(( (t1 - t0) / 1000 ))"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { echo "process $pid exited" >&2; return 1; }
        sleep 0.01
    done
    echo "no good scrape on port $port within 60 s" >&2
    return 1
}
start_agent_timed() { local t0; t0="$(now_us)"; spawn_agent "$@"; START_MS="$(wait_good "$AGENT_PORT" "$SPAWN_PID" "$t0")"; }
start_exporter_timed() { local t0; t0="$(now_us)"; spawn_exporter; START_MS="$(wait_good "$EXPORTER_PORT" "$SPAWN_PID" "$t0")"; }

CDS_FLAGS=()
if [[ "$CDS" == 1 ]]; then
    # Training run: serve a few scrapes so the classes on the scrape path get loaded, then SIGTERM (the archive is
    # written at a clean exit only).
    spawn_agent "-XX:ArchiveClassesAtExit=$TMP/agent.jsa"
    pid="$SPAWN_PID"
    wait_good "$AGENT_PORT" "$pid" "$(now_us)" >/dev/null || { tail -20 "$TMP/agent.log" >&2; exit 1; }
    for _ in $(seq 1 5); do curl -s -m 1 "http://$IP:$AGENT_PORT/metrics" >/dev/null || true; \
        curl -s -m 1 "http://$IP:$AGENT_PORT/health" >/dev/null || true; \
        curl -s -m 1 "http://$IP:$AGENT_PORT/ready" >/dev/null || true; sleep 0.3; done
    stop_pid "$pid"
    [[ -s "$TMP/agent.jsa" ]] || { echo "no CDS archive written" >&2; tail -20 "$TMP/agent.log" >&2; exit 1; }
    CDS_FLAGS=("-XX:SharedArchiveFile=$TMP/agent.jsa")
    CDS_KIB=$(( $(stat -c %s "$TMP/agent.jsa") / 1024 ))
fi

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
CSV="$RESULTS/footprint-$LABEL-$STAMP.csv"
TXT="$RESULTS/footprint-$LABEL-$STAMP.txt"
echo "kind,target,t_s,value" >"$CSV"   # kind: start_ms | scrape_ms | rss_kib | scrape_fail

# --- start times: one process starting at a time, alternating, the last start of each stays up --------------------
AGENT_PID="" ; EXPORTER_PID=""
for i in $(seq 1 "$STARTS"); do
    for target in agent exporter; do
        if [[ $(( i % 2 )) == 0 ]]; then target=$([[ "$target" == agent ]] && echo exporter || echo agent); fi
        if [[ "$target" == agent ]]; then
            start_agent_timed "${CDS_FLAGS[@]}" || { tail -20 "$TMP/agent.log" >&2; exit 1; }
            AGENT_PID="$SPAWN_PID"
        else
            start_exporter_timed || { tail -20 "$TMP/exporter.log" >&2; exit 1; }
            EXPORTER_PID="$SPAWN_PID"
        fi
        echo "start_ms,$target,0,$START_MS" >>"$CSV"
        if (( i < STARTS )); then stop_pid "$SPAWN_PID"; sleep 0.2; fi
    done
done

# --- steady state: 1 scrape/s of each, alternating order, RSS each minute ------------------------------------------
scrape() {   # target port t_s
    local out code secs
    out="$(curl -s -o /dev/null -m 5 -w '%{http_code} %{time_total}' "http://$IP:$2/metrics" 2>/dev/null || true)"
    code="${out%% *}"; secs="${out##* }"
    if [[ "$code" == 200 ]]; then
        echo "scrape_ms,$1,$3,$(awk -v s="$secs" 'BEGIN{printf "%.3f", s*1000}')" >>"$CSV"
    else
        echo "scrape_fail,$1,$3,${code:-000}" >>"$CSV"
    fi
}
rss_row() { echo "rss_kib,agent,$1,$(rss_kib "$AGENT_PID")" >>"$CSV"; echo "rss_kib,exporter,$1,$(rss_kib "$EXPORTER_PID")" >>"$CSV"; }

echo "running $MINUTES min of 1 scrape/s each (agent pid $AGENT_PID, exporter pid $EXPORTER_PID) ..." >&2
rss_row 0
T0="$(now_us)"
TOTAL=$(( MINUTES * 60 ))
for (( s = 0; s < TOTAL; s++ )); do
    if (( s % 2 == 0 )); then scrape agent "$AGENT_PORT" "$s"; scrape exporter "$EXPORTER_PORT" "$s"
    else scrape exporter "$EXPORTER_PORT" "$s"; scrape agent "$AGENT_PORT" "$s"; fi
    next=$(( T0 + (s + 1) * 1000000 ))
    left=$(( next - $(now_us) ))
    (( left > 0 )) && sleep "$(awk -v u="$left" 'BEGIN{printf "%.6f", u/1e6}')"
    if (( (s + 1) % 60 == 0 )); then
        rss_row $(( s + 1 ))
        echo "  minute $(( (s + 1) / 60 )): RSS agent $(rss_kib "$AGENT_PID") KiB, exporter $(rss_kib "$EXPORTER_PID") KiB" >&2
    fi
    kill -0 "$AGENT_PID" 2>/dev/null || { echo "agent died" >&2; tail -20 "$TMP/agent.log" >&2; exit 1; }
    kill -0 "$EXPORTER_PID" 2>/dev/null || { echo "exporter died" >&2; exit 1; }
done
# where the agent's RSS is: anon (heap, metaspace, code cache, stacks, malloc) vs file-backed (mapped jars, libjvm, CDS)
AGENT_STATUS="$(grep -E '^(VmRSS|RssAnon|RssFile|RssShmem|Threads):' "/proc/$AGENT_PID/status" | tr -s ' \t' ' ' | paste -sd ' ')"
EXPORTER_STATUS="$(grep -E '^(VmRSS|RssAnon|RssFile|RssShmem|Threads):' "/proc/$EXPORTER_PID/status" | tr -s ' \t' ' ' | paste -sd ' ')"
AGENT_BYTES="$(curl -s -m 5 "http://$IP:$AGENT_PORT/metrics" | wc -c)"
EXPORTER_BYTES="$(curl -s -m 5 "http://$IP:$EXPORTER_PORT/metrics" | wc -c)"

# --- summary ------------------------------------------------------------------------------------------------------
{
    echo "# Warden agent vs redis_exporter footprint, $STAMP"
    echo "label: $LABEL"
    echo "jvm flags: ${JVM_FLAGS:-(none)}${CDS_FLAGS:+ -XX:SharedArchiveFile=agent.jsa (AppCDS, ${CDS_KIB:-?} KiB)}"
    echo "minutes: $MINUTES, starts: $STARTS, redis keys: $DBSIZE, machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%d MiB", $2/1024}' /proc/meminfo), $(java -version 2>&1 | head -1), $(prometheus-redis-exporter --version 2>&1 | grep -o 'Exporter [^ ]*'), $(redis-server --version | cut -d' ' -f3)"
    echo "agent   /proc status at end: $AGENT_STATUS; /metrics body $AGENT_BYTES bytes"
    echo "exporter /proc status at end: $EXPORTER_STATUS; /metrics body $EXPORTER_BYTES bytes"
    python3 - "$CSV" "$MINUTES" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
minutes = int(sys.argv[2])
def vals(kind, target):
    return [float(r["value"]) for r in rows if r["kind"] == kind and r["target"] == target]
def pct(xs, p):   # nearest rank
    xs = sorted(xs)
    return xs[max(0, min(len(xs) - 1, int(-(-p * len(xs) // 100)) - 1))] if xs else float("nan")
def rss_at(target, t):
    xs = [float(r["value"]) for r in rows if r["kind"] == "rss_kib" and r["target"] == target and int(r["t_s"]) == t]
    return xs[0] / 1024 if xs else float("nan")
T = ("agent", "exporter")
lines = [("metric", "warden-agent", "redis_exporter")]
st = {t: vals("start_ms", t) for t in T}
lines.append((f"start to first good scrape, median of {len(st['agent'])} (ms)", *[f"{statistics.median(st[t]):.0f}" for t in T]))
lines.append(("start, min..max (ms)", *[f"{min(st[t]):.0f}..{max(st[t]):.0f}" for t in T]))
sc = {t: vals("scrape_ms", t) for t in T}
lines.append((f"scrapes ok / failed", *[f"{len(sc[t])} / {len(vals('scrape_fail', t))}" for t in T]))
for p in (50, 99):
    lines.append((f"scrape latency p{p} (ms)", *[f"{pct(sc[t], p):.2f}" for t in T]))
lines.append(("scrape latency max (ms)", *[f"{max(sc[t]):.2f}" for t in T]))
for m in range(0, minutes + 1):
    lines.append((f"RSS at {m} min (MiB)", *[f"{rss_at(t, m * 60):.1f}" for t in T]))
w = [max(len(l[i]) for l in lines) for i in range(3)]
for i, l in enumerate(lines):
    print(f"| {l[0]:<{w[0]}} | {l[1]:>{w[1]}} | {l[2]:>{w[2]}} |")
    if i == 0:
        print(f"|{'-' * (w[0] + 2)}|{'-' * (w[1] + 1)}:|{'-' * (w[2] + 1)}:|")
EOF
} | tee "$TXT"
echo "raw: ${CSV#"$ROOT"/}  summary: ${TXT#"$ROOT"/}" >&2
