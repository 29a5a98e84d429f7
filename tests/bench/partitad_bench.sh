#!/usr/bin/env bash
# partitad_bench.sh: produce and consume throughput of partitad (on disk) beside librdkafka's mock
# cluster (in memory) with the same librdkafka perf tool, and loopback TCP bandwidth (iperf3), in one run.
#
#   tests/bench/partitad_bench.sh [BUILD_DIR]          (BUILD_DIR defaults to build)
#
# Needs ../shared/peers (the perf tool and the mock-cluster launcher), built here into
# BUILD_DIR/peers. Prints one line per workload and the ratios; nothing is asserted.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
peers_src="$root/../shared/peers"
if [ ! -x "$peers_src/build.sh" ]; then
  echo "partitad_bench: $peers_src is missing (the perf tool and mock cluster live there); skipped" >&2
  exit 0
fi
OUT_DIR="$build/peers" bash "$peers_src/build.sh" >/dev/null
perf="$build/peers/perf"
work=$(mktemp -d "$build/partitad-bench.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# partitad on a free port, 3 partitions per topic like the mock's -t perf:3.
port=$(free_port)
printf 'node.id=1\nlisteners=PLAINTEXT://localhost:%s\nlog.dirs=%s/data\nnum.partitions=3\n' "$port" "$work" \
  > "$work/server.properties"
"$build/bin/partitad" "$work/server.properties" > "$work/partitad.log" 2>&1 &
pids+=($!)
partitad_bs="localhost:$port"
for _ in $(seq 50); do grep -q "started;" "$work/partitad.log" && break; sleep 0.1; done

"$build/peers/mock-cluster" -S -b 1 -t perf-a1-none:3 -t perf-a1-lz4:3 -t perf-aall-none:3 -t perf-aall-lz4:3 \
  -t perf-small-a1-none:3 -t perf-small-a1-lz4:3 -t perf-small-aall-none:3 -t perf-small-aall-lz4:3 \
  > "$work/mock.txt" 2>"$work/mock.log" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/mock.txt" ] && break; sleep 0.1; done
mock_bs=$(head -1 "$work/mock.txt")

field() { sed -n "s/.*RESULT.* $1=\([^ ]*\).*/\1/p" | tail -1; }

run_produce() {  # bs topic msgs size acks codec -> "msgs/s MB/s p99ms"
  local out
  out=$("$perf" produce -b "$1" -t "$2" -n "$3" -s "$4" -a "$5" -z "$6" -l 5 2>/dev/null | grep RESULT || true)
  echo "$(echo "$out" | field msgs_per_s) $(echo "$out" | field MB_per_s) $(echo "$out" | field p99_ms)"
}
run_consume() {  # bs topic -> "msgs/s MB/s"
  local out
  out=$("$perf" consume -b "$1" -t "$2" -n 0 -T 3 2>/dev/null | grep RESULT || true)
  echo "$(echo "$out" | field msgs_per_s) $(echo "$out" | field MB_per_s)"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b; else print "n/a" }'; }

printf '%-34s %14s %14s %8s %10s %10s\n' workload "partitad MB/s" "mock MB/s" ratio "p99 ours" "p99 mock"
for workload in "1024 200000" "100 1000000"; do
  read -r size msgs <<<"$workload"
  for acks in 1 all; do
    for codec in none lz4; do
      prefix=perf-
      if [ "$size" = 100 ]; then prefix=perf-small-; fi
      name="${prefix}a$acks-$codec"
      read -r ours_rate ours_mb ours_p99 <<<"$(run_produce "$partitad_bs" "$name" "$msgs" "$size" "$acks" "$codec")"
      if [ "$size/$acks/$codec" = "1024/1/none" ]; then peak_rate=${ours_rate:-0}; fi
      read -r _ mock_mb mock_p99 <<<"$(run_produce "$mock_bs" "$name" "$msgs" "$size" "$acks" "$codec")"
      printf '%-34s %14s %14s %8s %10s %10s\n' "produce ${size} B acks=$acks $codec" "$ours_mb" "$mock_mb" \
        "$(ratio "$ours_mb" "$mock_mb")" "$ours_p99" "$mock_p99"
      read -r _ ours_mb <<<"$(run_consume "$partitad_bs" "$name")"
      read -r _ mock_mb <<<"$(run_consume "$mock_bs" "$name")"
      printf '%-34s %14s %14s %8s\n' "consume ${size} B acks=$acks $codec" "$ours_mb" "$mock_mb" \
        "$(ratio "$ours_mb" "$mock_mb")"
    done
  done
done

# Produce latency at half of partitad's peak 1 KiB rate (acks=1), paced, beside the mock at the same rate.
half=$(awk -v r="${peak_rate:-0}" 'BEGIN { printf "%d", r / 2 }')
if [ "$half" -gt 0 ]; then
  n=$((half * 5))
  ours=$("$build/bin/paced_producer" -b "$partitad_bs" -t paced -r "$half" -n "$n" -s 1024 -a 1 | grep RESULT || true)
  mock=$("$build/bin/paced_producer" -b "$mock_bs" -t perf-a1-none -r "$half" -n "$n" -s 1024 -a 1 | grep RESULT || true)
  echo "paced produce at $half msgs/s (half of partitad's 1 KiB peak), 5 s: partitad p50 $(echo "$ours" | field p50_ms) ms" \
    "p99 $(echo "$ours" | field p99_ms) ms; mock p50 $(echo "$mock" | field p50_ms) ms p99 $(echo "$mock" | field p99_ms) ms"
fi

# Loopback TCP bandwidth, one stream, as the ceiling for 1 KB records.
iperf_port=$(free_port)
iperf3 -s -p "$iperf_port" -1 > /dev/null 2>&1 &
pids+=($!)
sleep 0.5
iperf_mb=$(iperf3 -c 127.0.0.1 -p "$iperf_port" -t 5 -J | /usr/bin/python3 -c \
  'import json,sys; print("%.0f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 8e6))')
echo "loopback TCP (iperf3, one stream): $iperf_mb MB/s"

# Memory: an idle partitad, then 1,000 idle connections, then 100 producers at once beside them.
partitad_pid=${pids[0]}
rss() { awk '/VmRSS/ { print $2 }' "/proc/$partitad_pid/status"; }
echo "partitad resident memory, idle with its topics loaded: $(rss) KiB"
/usr/bin/python3 - "$port" "$work/idle.ready" <<'PY' &
import socket, sys, time, pathlib
socks = [socket.create_connection(("localhost", int(sys.argv[1]))) for _ in range(1000)]
pathlib.Path(sys.argv[2]).touch()
time.sleep(600)
PY
pids+=($!)
for _ in $(seq 100); do [ -e "$work/idle.ready" ] && break; sleep 0.1; done
sleep 1
idle_rss=$(rss)
echo "with 1,000 idle connections: $idle_rss KiB"
start=$(date +%s%N)
producers=()
for i in $(seq 100); do
  "$perf" produce -b "$partitad_bs" -t "many-$((i % 10))" -n 5000 -s 1024 -a 1 -z none -l 5 > "$work/p$i.out" 2>&1 &
  producers+=($!)
done
for pid in "${producers[@]}"; do wait "$pid" || true; done
secs=$(awk -v a="$(date +%s%N)" -v b="$start" 'BEGIN { print (a - b) / 1e9 }')
ok=$(grep -h RESULT "$work"/p*.out | sed -n 's/.* msgs=\([0-9]*\) .*/\1/p' | awk '{ n += $1 } END { print n + 0 }')
awk -v n="$ok" -v s="$secs" 'BEGIN { printf "100 producers x 5,000 x 1 KiB beside the idle connections: %d acknowledged in %.1f s, %.0f MB/s\n", n, s, n * 1024 / s / 1e6 }'
echo "peak resident memory: $(awk '/VmHWM/ { print $2 }' "/proc/$partitad_pid/status") KiB"
