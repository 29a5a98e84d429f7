#!/usr/bin/env bash
# groups_bench.sh: consumer-group rebalance time and OffsetCommit throughput of partitad beside
# librdkafka's mock cluster, the same group_bench workloads against both in one run.
#
#   bash tests/bench/groups_bench.sh [BUILD_DIR]          (BUILD_DIR defaults to build)
#
# Builds nothing: needs BUILD_DIR/bin/partitad, BUILD_DIR/bin/group_bench
# (cmake --build BUILD_DIR --target partitad group_bench) and BUILD_DIR/peers/mock-cluster
# (OUT_DIR=BUILD_DIR/peers ../shared/peers/build.sh). Environment: REPEATS (5) rebalances per
# member count, COMMIT_SECONDS (5) per commit run, IN_FLIGHT (16) async commits outstanding,
# HEARTBEAT_MS (1000) and SESSION_MS (6000) for the consumers, KEEP=1 keeps the work directory
# (broker logs, every raw output), TRACE=1 (with KEEP=1) also writes the consumers' librdkafka cgrp
# debug lines of each rebalance run there (NAME.BROKER.trace). Prints one line per workload;
# nothing is asserted.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
repeats=${REPEATS:-5}
seconds=${COMMIT_SECONDS:-5}
in_flight=${IN_FLIGHT:-16}
heartbeat=${HEARTBEAT_MS:-1000}
session=${SESSION_MS:-6000}
bench="$build/bin/group_bench"
for needed in "$build/bin/partitad" "$bench" "$build/peers/mock-cluster"; do
  if [ ! -x "$needed" ]; then
    echo "groups_bench: $needed is missing; build it first (see the head of this script)" >&2
    exit 1
  fi
done

work=$(mktemp -d "$build/groups-bench.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

port=$(free_port)
"$build/bin/partitad" "$root/resources/server.properties" --override "log.dirs=$work/data" \
  --override "listeners=PLAINTEXT://localhost:$port" --override group.initial.rebalance.delay.ms=0 \
  > "$work/partitad.log" 2>&1 &
pids+=($!)
partitad_bs="localhost:$port"
for _ in $(seq 100); do grep -q "started;" "$work/partitad.log" && break; sleep 0.1; done
if ! grep -q "started;" "$work/partitad.log"; then
  echo "groups_bench: partitad did not start:" >&2
  tail -20 "$work/partitad.log" >&2
  exit 1
fi

"$build/peers/mock-cluster" -S -b 1 -t rebalance:64 -t commits:100 > "$work/mock.txt" 2> "$work/mock.log" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/mock.txt" ] && break; sleep 0.1; done
mock_bs=$(head -1 "$work/mock.txt")

field() { sed -n "s/^RESULT.* $1=\([^ ]*\).*/\1/p" "$2" | tail -1; }

# run NAME BROKER ARGS...: one group_bench run, output in $work/NAME.BROKER.out; partitad gets
# --create (the mock has no CreateTopics; its topics come from -t above).
run() {
  local name=$1 broker=$2 bs create=()
  shift 2
  if [ "$broker" = partitad ]; then bs=$partitad_bs; create=(--create); else bs=$mock_bs; fi
  local out="$work/$name.$broker.out" trace=()
  if [ "${TRACE:-0}" = 1 ] && [ "$1" = rebalance ]; then trace=(--trace "$work/$name.$broker.trace"); fi
  timeout 900 "$bench" "$@" -b "$bs" "${create[@]}" "${trace[@]}" > "$out" 2>&1
  local rc=$?
  echo "$rc" > "$work/$name.$broker.rc"
  grep '^RESULT' "$out" | sed "s/^/[$broker] /"
  if [ $rc -ne 0 ]; then
    echo "[$broker] $name FAILED (exit $rc):" >&2
    grep -v '^RESULT' "$out" | tail -8 | sed "s/^/[$broker]   /" >&2
  fi
}
cell() {  # cell NAME BROKER FIELD [FIELD2]: "value" or "v1 / v2", "failed" when the run failed
  local out="$work/$1.$2.out" a b
  a=$(field "$3" "$out")
  if [ -z "$a" ] || [ "$(cat "$work/$1.$2.rc")" != 0 ]; then echo failed; return; fi
  if [ $# -ge 4 ]; then b=$(field "$4" "$out"); echo "$a / $b"; else echo "$a"; fi
}

echo "partitad $partitad_bs (on disk, group.initial.rebalance.delay.ms=0), mock $mock_bs (librdkafka $(pkg-config --modversion rdkafka 2>/dev/null || echo '?'))"
echo "consumers: heartbeat.interval.ms=$heartbeat session.timeout.ms=$session; $repeats rebalances per size; commits for $seconds s"
for broker in partitad mock; do
  run commit-sync "$broker" commit -t commits -p 100 -d "$seconds"
  run commit-async "$broker" commit -t commits -p 100 -d "$seconds" --async "$in_flight"
done
for members in 1 10 50; do
  for broker in partitad mock; do
    run "rebalance-$members" "$broker" rebalance -t rebalance -p 64 -n "$members" -r "$repeats" \
      --heartbeat-ms "$heartbeat" --session-ms "$session"
  done
done

echo
printf '%-52s %22s %22s\n' workload partitad mock
row() { printf '%-52s %22s %22s\n' "$1" "$(cell "$2" partitad "${@:3}")" "$(cell "$2" mock "${@:3}")"; }
row "commit 100 partitions, sync: commits/s" commit-sync commits_per_s
row "commit 100 partitions, sync: offsets/s" commit-sync offsets_per_s
row "commit 100 partitions, sync: p50 / p99 ms" commit-sync p50_ms p99_ms
row "commit 100 partitions, async x$in_flight: commits/s" commit-async commits_per_s
row "commit 100 partitions, async x$in_flight: offsets/s" commit-async offsets_per_s
row "commit 100 partitions, async x$in_flight: p50 / p99 ms" commit-async p50_ms p99_ms
for members in 1 10 50; do
  row "rebalance, $members joining: median / max ms" "rebalance-$members" join_median_ms join_max_ms
  if [ "$members" -gt 1 ]; then
    row "rebalance, 1 of $members leaves: median / max ms" "rebalance-$members" rejoin_median_ms rejoin_max_ms
  fi
done
echo "(librdkafka 2.0.2's mock elects a leader on timers only: 3,000 ms after the first join into an"
echo " empty group, session.timeout.ms - 1,000 ms after a join or leave in a stable group.)"
echo "partitad resident memory at the end: $(awk '/VmRSS/ { print $2 }' "/proc/${pids[0]}/status" 2>/dev/null) KiB"
