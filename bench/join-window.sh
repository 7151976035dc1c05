#!/usr/bin/env bash
# How long a node that just joined a Redis cluster lists every peer while some slots have no owner, left to Redis's
# own gossip (what `redis-cli --cluster add-node` and a bare CLUSTER MEET do; Warden seeds the map instead, see
# SlotMapSeedIT). A cluster client that reads the new node's CLUSTER NODES in that window finds slots nobody serves.
#   bench/join-window.sh [JOINS]   (default 5; 3 masters + 3 replicas on 127.0.0.1 ports BASE..BASE+5, the joining
#                                  node on BASE+6; BASE=7401 unless set; cluster-node-timeout 15000, Redis's default)
# Each join starts from a fresh cluster and polls the new node with redis-cli (a few milliseconds a poll), printing
# how long the window lasted.
set -uo pipefail
joins="${1:-5}"
base="${BASE:-7401}"
work="$(mktemp -d /tmp/warden-join-window.XXXXXX)"
ports=$(seq "$base" $((base + 6)))

stop_all() {
  for p in $ports; do redis-cli -p "$p" shutdown nosave >/dev/null 2>&1; done
}
trap 'stop_all; rm -rf "$work"' EXIT

for p in $ports; do
  if redis-cli -p "$p" ping >/dev/null 2>&1; then echo "port $p is in use; set BASE" >&2; exit 1; fi
done

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

for j in $(seq 1 "$joins"); do
  stop_all
  rm -rf "${work:?}"/*
  for p in $ports; do
    mkdir -p "$work/$p"
    (cd "$work/$p" && redis-server --bind 127.0.0.1 --port "$p" --cluster-enabled yes --cluster-node-timeout 15000 \
      --save "" --appendonly no --daemonize yes --logfile log >/dev/null)
  done
  for t in $(seq 1 50); do redis-cli -p "$((base + 6))" ping >/dev/null 2>&1 && break; sleep 0.1; done
  timeout 30 redis-cli --cluster create $(for i in 0 1 2 3 4 5; do echo "127.0.0.1:$((base + i))"; done) \
    --cluster-replicas 1 --cluster-yes >/dev/null 2>&1 || { echo "cluster create failed" >&2; exit 1; }
  for t in $(seq 1 100); do
    redis-cli -p "$base" cluster info | grep -q cluster_state:ok && break; sleep 0.1
  done
  sleep 2
  start=$(now_ms); first=""; last=""
  redis-cli -p "$base" cluster meet 127.0.0.1 "$((base + 6))" >/dev/null
  while [ $(( $(now_ms) - start )) -lt 20000 ]; do
    table=$(redis-cli -p "$((base + 6))" cluster nodes)
    known=$(grep -vc handshake <<<"$table")
    served=$(awk '{for (i = 9; i <= NF; i++) {n = split($i, r, "-"); s += (n == 2 ? r[2] - r[1] + 1 : 1)}} END {print s + 0}' <<<"$table")
    t=$(( $(now_ms) - start ))
    if [ "$known" -eq 7 ] && [ "$served" -lt 16384 ]; then first=${first:-$t}; last=$t; fi
    [ "$served" -eq 16384 ] && break
  done
  if [ -n "$first" ]; then
    echo "join $j: listed every peer with slots unowned from $first to $last ms after the MEET ($(( last - first )) ms)"
  else
    echo "join $j: never listed every peer with slots unowned (slots arrived with or before the last peer)"
  fi
done
