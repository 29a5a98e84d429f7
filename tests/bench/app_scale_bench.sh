#!/usr/bin/env bash
# app_scale_bench.sh: the desktop app at scale (issue 9): a partitad with TOPICS x PARTITIONS
# partitions and GROUPS consumer groups with committed offsets, then app_scale_bench's table
# (refresh, TopicModel::setSnapshot, filter per keystroke, all-groups lag, GUI stalls, memory).
#
#   bash tests/bench/app_scale_bench.sh [BUILD_DIR]          (BUILD_DIR defaults to build)
#
# Builds nothing: needs BUILD_DIR/bin/partitad and BUILD_DIR/bin/app_scale_bench
# (cmake --build BUILD_DIR --target partitad app_scale_bench). Environment: TOPICS (10000),
# PARTITIONS (5), GROUP_COUNT (2000), RUNS (5), KEEP=1 keeps the work directory. Setup runs in a
# process of its own so its producer buffers do not count in the measured run's peak memory,
# which /usr/bin/time -v also reports. Nothing is asserted.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
topics=${TOPICS:-10000}
partitions=${PARTITIONS:-5}
groups=${GROUP_COUNT:-2000}  # not GROUPS: bash sets that one
runs=${RUNS:-5}
bench="$build/bin/app_scale_bench"
for needed in "$build/bin/partitad" "$bench"; do
  if [ ! -x "$needed" ]; then
    echo "app_scale_bench: $needed is missing; build it first (see the head of this script)" >&2
    exit 1
  fi
done

work=$(mktemp -d "$build/app-scale-bench.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
printf 'node.id=1\nlisteners=PLAINTEXT://localhost:%s\nlog.dirs=%s/data\nnum.partitions=1\n' "$port" "$work" \
  > "$work/server.properties"
"$build/bin/partitad" "$work/server.properties" > "$work/partitad.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "started;" "$work/partitad.log" && break; sleep 0.1; done
bootstrap="localhost:$port"
args=(-b "$bootstrap" --topics "$topics" --partitions "$partitions" --groups "$groups" --runs "$runs")

export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
"$bench" "${args[@]}" --setup-only || exit 1
echo "partitad resident memory with the cluster loaded: $(awk '/VmRSS/ { print $2 }' "/proc/${pids[0]}/status") KiB"
/usr/bin/time -v "$bench" "${args[@]}" --skip-setup 2> "$work/time.txt"
status=$?
grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$work/time.txt"
exit $status
