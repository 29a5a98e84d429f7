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
. "$here/benchlib.sh"
bench_require app_scale_bench "$build/bin/partitad" "$bench"
bench_workdir "$build" app-scale-bench
bench_partitad "$build" num.partitions=1
args=(-b "$bootstrap" --topics "$topics" --partitions "$partitions" --groups "$groups" --runs "$runs")

export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
"$bench" "${args[@]}" --setup-only || exit 1
echo "partitad resident memory with the cluster loaded: $(awk '/VmRSS/ { print $2 }' "/proc/${bench_pids[0]}/status") KiB"
/usr/bin/time -v "$bench" "${args[@]}" --skip-setup 2> "$work/time.txt"
status=$?
grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$work/time.txt"
exit $status
