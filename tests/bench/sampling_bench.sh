#!/usr/bin/env bash
# sampling_bench.sh: metric sampling at scale (issue 11): a partitad with TOPICS x PARTITIONS
# partitions and GROUP_COUNT groups with committed offsets (set up by app_scale_bench
# --setup-only, as app_scale_bench.sh does), then sampling_bench's per-round CPU, RSS and store
# growth with the collector every INTERVAL ms for ROUNDS rounds.
#
#   bash tests/bench/sampling_bench.sh [BUILD_DIR]          (BUILD_DIR defaults to build)
#
# Builds nothing: needs BUILD_DIR/bin/partitad, app_scale_bench and sampling_bench. Environment:
# TOPICS (1200: 2000 x 5 partitions exhausts a 20,000 fd limit, partitad keeps each active
# segment's files open), PARTITIONS (5), GROUP_COUNT (2000), ROUNDS (12), INTERVAL (10000 ms), REFRESH
# (the session's own refresh, 30000 ms), KEEP=1 keeps the work directory. Nothing is asserted.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
topics=${TOPICS:-1200}
partitions=${PARTITIONS:-5}
groups=${GROUP_COUNT:-2000}
rounds=${ROUNDS:-12}
interval=${INTERVAL:-10000}
refresh=${REFRESH:-30000}
. "$here/benchlib.sh"
bench_require sampling_bench "$build/bin/partitad" "$build/bin/app_scale_bench" "$build/bin/sampling_bench"
bench_workdir "$build" sampling-bench
# partitad keeps files open per partition.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "fd limit: $(ulimit -n)"
bench_partitad "$build" num.partitions=1

export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
"$build/bin/app_scale_bench" -b "$bootstrap" --topics "$topics" --partitions "$partitions" --groups "$groups" \
  --records 10 --setup-only || exit 1
echo "partitad resident memory with the cluster loaded: $(awk '/VmRSS/ { print $2 }' "/proc/${bench_pids[0]}/status") KiB"
"$build/bin/sampling_bench" -b "$bootstrap" --rounds "$rounds" --interval "$interval" --refresh "$refresh" \
  --db "$work/metrics.sqlite"
