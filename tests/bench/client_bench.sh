#!/usr/bin/env bash
# client_bench.sh: our client beside librdkafka's throughput tool (perf), same broker, same run
# (issue 8): `partita-cli produce` vs `perf produce`, and our consumer (partita-cli consume, and
# client_decode_bench walking or keeping every record in memory) vs `perf consume`, against
# partitad and against librdkafka's mock cluster.
#
#   bash tests/bench/client_bench.sh [BUILD_DIR]          (BUILD_DIR defaults to build)
#
# Builds nothing: needs BUILD_DIR/bin/{partitad,partita-cli,client_decode_bench}
# (cmake --build BUILD_DIR --target partitad partita-cli client_decode_bench) and BUILD_DIR/peers/{mock-cluster,perf}
# (OUT_DIR=BUILD_DIR/peers ../shared/peers/build.sh).
# Environment: MSGS (1000000) messages of SIZE (100) bytes, 3 partitions, linger.ms 5, acks 1, no
# compression; MOCK_MSGS (40000) messages consumed from the mock (it keeps only the newest ~5 MiB per
# partition, so more would be cut); REPEATS (3): each pair is run REPEATS times, alternating which goes first; the
# table shows medians. Nothing is asserted.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
msgs=${MSGS:-1000000}
size=${SIZE:-100}
mock_msgs=${MOCK_MSGS:-40000}
repeats=${REPEATS:-3}
cli="$build/bin/partita-cli"
perf="$build/peers/perf"
for needed in "$build/bin/partitad" "$cli" "$build/bin/client_decode_bench" "$perf" "$build/peers/mock-cluster"; do
  [ -x "$needed" ] || { echo "missing $needed (see the header of $0)" >&2; exit 2; }
done
work=$(mktemp -d "$build/client-bench.XXXXXX")
cleanup() { kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# The same payload shape as perf (random A-Z), one message per line for partita-cli.
/usr/bin/python3 - "$msgs" "$size" > "$work/payload.txt" <<'PY'
import random, string, sys
n, size = int(sys.argv[1]), int(sys.argv[2])
letters = string.ascii_uppercase.encode()
rnd = random.Random(7)
block = bytes(rnd.choice(letters) for _ in range(size * 1000))
out = sys.stdout.buffer
for i in range(n):
    start = (i * 37) % (len(block) - size)
    out.write(block[start:start + size] + b"\n")
PY

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else print a[int((NR+1)/2)]}'; }
result() { grep -o "$2=[0-9.]*" <<< "$1" | head -1 | cut -d= -f2; }

start_partitad() {
  local port
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$work/partitad"
  printf 'node.id=1\nlisteners=PLAINTEXT://127.0.0.1:%s\nlog.dirs=%s/partitad/data\nnum.partitions=3\n' \
    "$port" "$work" > "$work/partitad/server.properties"
  "$build/bin/partitad" "$work/partitad/server.properties" > "$work/partitad.log" 2>&1 &
  for _ in $(seq 100); do grep -q "started;" "$work/partitad.log" 2>/dev/null && break; sleep 0.1; done
  echo "127.0.0.1:$port"
}

start_mock() {
  "$build/peers/mock-cluster" -S -b 1 -t perf-a:3 -t perf-b:3 -t perf-c:3 -t perf-d:3 > "$work/mock.txt" 2> "$work/mock.log" &
  for _ in $(seq 50); do [ -s "$work/mock.txt" ] && break; sleep 0.1; done
  head -1 "$work/mock.txt"
}

bench_broker() {
  local name=$1 bs=$2 round=$3
  local ours theirs t0 t1
  local topic_perf="perf-a" topic_cli="perf-b"
  [ "$name" = partitad ] && { topic_perf="perf-a-$round"; topic_cli="perf-b-$round"; }
  "$cli" -b "$bs" topics create "$topic_perf" --partitions 3 --replication-factor 1 >/dev/null 2>&1
  "$cli" -b "$bs" topics create "$topic_cli" --partitions 3 --replication-factor 1 >/dev/null 2>&1
  run_perf() {
    theirs=$("$perf" produce -b "$bs" -t "$topic_perf" -n "$msgs" -s "$size" -a 1 -l 5 2>&1 | grep RESULT)
    echo "$(result "$theirs" msgs_per_s)" >> "$work/$name.perf_produce"
  }
  # partita-cli reports its rate as perf does (first produce to last delivery); the wall time of
  # the whole process (start, metadata, reading stdin) is kept beside it.
  run_cli() {
    t0=$(now)
    "$cli" -b "$bs" produce "$topic_cli" -X acks=1 -X linger.ms=5 < "$work/payload.txt" > "$work/cli-produce.out" 2>&1
    t1=$(now)
    grep -o '([0-9]* messages/s)' "$work/cli-produce.out" | tr -dc 0-9 >> "$work/$name.cli_produce"
    echo >> "$work/$name.cli_produce"
    awk "BEGIN {print $msgs / ($t1 - $t0)}" >> "$work/$name.cli_produce_wall"
  }
  if [ $((round % 2)) -eq 0 ]; then run_perf; run_cli; else run_cli; run_perf; fi

  # Consume what is there: on partitad the 1M perf just wrote; the mock keeps only ~5 MiB per
  # partition, so it gets a topic of MOCK_MSGS of its own.
  local topic_read=$topic_perf count=$msgs
  if [ "$name" = mock ]; then
    topic_read="perf-read-$round"; count=$mock_msgs
    "$perf" produce -b "$bs" -t "$topic_read" -n "$count" -s "$size" -a 1 -l 5 > /dev/null 2>&1
  fi
  theirs=$("$perf" consume -b "$bs" -t "$topic_read" -n "$count" 2>&1 | grep RESULT)
  echo "$(result "$theirs" msgs_per_s)" >> "$work/$name.perf_consume"
  t0=$(now)
  got=$("$cli" -b "$bs" consume "$topic_read" -o beginning -c "$count" --format '%o\n' 2>> "$work/cli-consume.err" | wc -l)
  t1=$(now)
  awk "BEGIN {print $got / ($t1 - $t0)}" >> "$work/$name.cli_consume"
  [ "$got" -eq "$count" ] || echo "warning: partita-cli consumed $got of $count on $name" >&2
  ours=$(timeout 120 "$build/bin/client_decode_bench" "$bs" "$topic_read" "$count" walk 2>&1 | grep RESULT)
  echo "$(result "$ours" msgs_per_s)" >> "$work/$name.walk"
  ours=$(timeout 120 "$build/bin/client_decode_bench" "$bs" "$topic_read" "$count" keep 2>&1 | grep RESULT)
  echo "$(result "$ours" msgs_per_s)" >> "$work/$name.keep"
}

pbs=$(start_partitad)
mbs=$(start_mock)
echo "partitad at $pbs, mock at $mbs; $msgs x $size B, $repeats rounds"
for round in $(seq "$repeats"); do
  bench_broker partitad "$pbs" "$round"
  bench_broker mock "$mbs" "$round"
done

printf '\n%-10s %-28s %14s %14s %8s\n' broker workload "librdkafka/s" "partita/s" ratio
for name in partitad mock; do
  pp=$(median < "$work/$name.perf_produce"); cp=$(median < "$work/$name.cli_produce")
  cw=$(median < "$work/$name.cli_produce_wall")
  pc=$(median < "$work/$name.perf_consume"); cc=$(median < "$work/$name.cli_consume")
  wk=$(median < "$work/$name.walk"); kp=$(median < "$work/$name.keep")
  printf '%-10s %-28s %14.0f %14.0f %7.0f%%\n' "$name" "produce (partita-cli)" "$pp" "$cp" "$(awk "BEGIN {print 100*$cp/$pp}")"
  printf '%-10s %-28s %14.0f %14.0f %7.0f%%\n' "$name" "produce (whole process)" "$pp" "$cw" "$(awk "BEGIN {print 100*$cw/$pp}")"
  printf '%-10s %-28s %14.0f %14.0f %7.0f%%\n' "$name" "consume (cli, whole process)" "$pc" "$cc" "$(awk "BEGIN {print 100*$cc/$pc}")"
  printf '%-10s %-28s %14.0f %14.0f %7.0f%%\n' "$name" "consume (walk records)" "$pc" "$wk" "$(awk "BEGIN {print 100*$wk/$pc}")"
  printf '%-10s %-28s %14s %14.0f\n' "$name" "decode into memory (keep)" "" "$kp"
done
