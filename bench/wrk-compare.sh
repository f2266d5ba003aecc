#!/usr/bin/env bash
# Single-member PUT and GET throughput, Roster vs etcd 3.4, same machine, same run, alternating.
# Needs wrk (apt-get install wrk) and etcd. Both servers fsync every acknowledged write.
# Usage: bench/wrk-compare.sh [seconds-per-round] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"; rounds="${2:-2}"
work="$(mktemp -d -t roster-bench.XXXXXX)"
cleanup() { kill "${rpid:-}" "${epid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
rp=22379; ep=32379
for p in $rp 22380 $ep 32380; do
  if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then
    echo "port $p is in use: stop whatever listens there first (it would be measured instead)" >&2
    exit 1
  fi
done
ROSTER_JAVA_OPTS="-Xmx1g" bin/roster --data-dir "$work/r" \
  --listen-client-urls http://127.0.0.1:$rp --advertise-client-urls http://127.0.0.1:$rp \
  --listen-peer-urls http://127.0.0.1:22380 --initial-advertise-peer-urls http://127.0.0.1:22380 \
  >"$work/roster.log" 2>&1 & rpid=$!
etcd --enable-v2 --data-dir "$work/e" \
  --listen-client-urls http://127.0.0.1:$ep --advertise-client-urls http://127.0.0.1:$ep \
  --listen-peer-urls http://127.0.0.1:32380 --initial-advertise-peer-urls http://127.0.0.1:32380 \
  --initial-cluster default=http://127.0.0.1:32380 >"$work/etcd.log" 2>&1 & epid=$!
for p in $rp $ep; do
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$p/health" >/dev/null && break; sleep 0.2; done
done
kill -0 "$rpid" && kill -0 "$epid" || { echo "a server exited; see $work/*.log" >&2; exit 1; }
rate() { wrk -t2 -c64 -d"${2}s" ${3:+-s "$3"} "http://127.0.0.1:$1/" | awk '/Requests\/sec/ {print $2}'; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "warm-up (${secs}s PUT each, not counted)"; rate $rp "$secs" bench/put.lua >/dev/null; rate $ep "$secs" bench/put.lua >/dev/null
for op in put get; do
  for i in $(seq 1 "$rounds"); do
    r=$(rate $rp "$secs" bench/$op.lua); e=$(rate $ep "$secs" bench/$op.lua)
    printf '%s round %d: roster %10.0f/s  etcd %10.0f/s  ratio %.2f\n' "$op" "$i" "$r" "$e" "$(echo "$r / $e" | bc -l)"
  done
done
