#!/usr/bin/env bash
# Time `bin/warden up` on a fresh --dir until healthy (cluster 3x1 and 10x2, 5 runs each; replication 1+2 once).
#   bench/up-time.sh [REPS] [SHAPES]   results: bench/results/up-time.txt (raw) and a summary on stdout
#   SHAPES: any of "3x1 10x2 rep1+2" (default all three); the last 3x1 run records coordinator and agent VmRSS.
# Needs 127.0.0.10-254 ports 6379/9736/9737 free (one local deployment at a time).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
reps="${1:-5}"
shapes="${2:-3x1 10x2 rep1+2}"
out="$root/bench/results"; mkdir -p "$out"
raw="$out/up-time.txt"
work="$(mktemp -d /tmp/warden-uptime.XXXXXX)"
current=""
cleanup() {
  if [ -n "$current" ] && [ -f "$current/state.json" -o -d "$current" ]; then
    "$root/bin/warden" down --dir "$current" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

busy() { ss -ltnH 2>/dev/null | awk '{print $4}' | sed 's/^\[::ffff:\(.*\)\]/\1/' | grep -Eq '^127\.0\.0\.([1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4]):(6379|9736|9737)$'; }
wait_free() {  # another local deployment (e.g. the developer's) may hold the addresses: wait, never kill
  local deadline=$((SECONDS + 300))
  while busy; do
    [ $SECONDS -ge $deadline ] && { echo "addresses still busy after 300 s; giving up" >&2; exit 2; }
    sleep 5
  done
}
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null; }
pid_of() {  # pid of the process listening on $1 (ip:port)
  ss -ltnpH "sport = :${1##*:}" 2>/dev/null | sed 's/\[::ffff:\([0-9.]*\)\]/\1/g' | grep -F " ${1%:*}:" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2
}

run() {  # label mode shards replicas rep
  local label="$1" mode="$2" shards="$3" replicas="$4" rep="$5"
  wait_free
  current="$work/$label-$rep"
  local t0 t1 rc wall healthy
  t0=$(date +%s.%N)
  "$root/bin/warden" up --mode "$mode" --shards "$shards" --replicas "$replicas" --dir "$current" >"$work/up.out" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  wall=$(echo "$t1 - $t0" | bc)
  healthy=$(grep -o 'healthy in [0-9.]* s' "$work/up.out" | awk '{print $3}')
  printf '%s rep=%s rc=%s wall=%.1f healthy_in=%s\n' "$label" "$rep" "$rc" "$wall" "${healthy:-NA}" | tee -a "$raw"
  if [ "$rc" != 0 ]; then
    { echo "---- $label rep $rep: up failed; output:"; cat "$work/up.out"
      echo "---- bin/warden status:"; "$root/bin/warden" status --dir "$current" 2>&1 | head -60
      echo "---- last lines of coordinator.log:"; tail -40 "$current/logs/coordinator.log" 2>/dev/null; } | tee -a "$out/up-time-failures.txt"
  fi
  if [ "$label" = cluster-3x1 ] && [ "$rep" = "$reps" ] && [ "$rc" = 0 ]; then
    local cpid apid
    cpid=$(pid_of 127.0.0.10:9737); apid=$(pid_of 127.0.0.11:9736)
    printf 'rss 3x1: coordinator pid=%s VmRSS=%s kB; agent(127.0.0.11) pid=%s VmRSS=%s kB\n' \
      "$cpid" "$(rss_kb "$cpid")" "$apid" "$(rss_kb "$apid")" | tee -a "$raw"
  fi
  "$root/bin/warden" down --dir "$current" >/dev/null 2>&1
  rm -rf "$current"; current=""
}

summary() {  # label: over every successful run recorded in the raw file
  local fails; fails=$(grep "^$1 rep=" "$raw" | grep -vc " rc=0 ")
  for field in wall healthy_in; do
    grep "^$1 rep=" "$raw" | grep ' rc=0 ' | grep -o "$field=[0-9.]*" | cut -d= -f2 | sort -n | awk -v l="$1" -v f="$field" -v x="$fails" \
      '{v[NR]=$1} END{ if(NR==0){print l, f": no run became healthy ("x" failed)"; exit}
        m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%s %s: median %.1f s, range %.1f-%.1f s (n=%d healthy, %d failed)\n", l, f, m, v[1], v[NR], NR, x}'
  done
}

if [ "${1:-}" = --summary ]; then
  for l in cluster-3x1 cluster-10x2 replication-1+2; do summary "$l"; done
  exit 0
fi

echo "== run $(date -u +%FT%TZ): reps=$reps shapes=$shapes" >> "$raw"
case " $shapes " in *" 3x1 "*) for i in $(seq 1 "$reps"); do run cluster-3x1 cluster 3 1 "$i"; done ;; esac
case " $shapes " in *" 10x2 "*) for i in $(seq 1 "$reps"); do run cluster-10x2 cluster 10 2 "$i"; done ;; esac
case " $shapes " in *" rep1+2 "*) run replication-1+2 replication 1 2 1 ;; esac
echo "== summary ($(nproc) cores, $(date -u +%FT%TZ))" | tee -a "$raw"
for l in cluster-3x1 cluster-10x2 replication-1+2; do summary "$l" | tee -a "$raw"; done
