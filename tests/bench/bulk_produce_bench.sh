#!/usr/bin/env bash
# bulk_produce_bench.sh: the producer dialog's bulk send (MessageProducer::sendBulk, issue 10)
# beside librdkafka's throughput tool (perf produce) on the same partitad in the same run: MSGS
# messages of SIZE bytes each, msgs/s and MB/s, medians over RUNS rounds.
#
#   bash tests/bench/bulk_produce_bench.sh [BUILD_DIR]          (BUILD_DIR defaults to build)
#
# Builds nothing: needs BUILD_DIR/bin/{partitad,bulk_produce_bench}
# (cmake --build BUILD_DIR --target partitad bulk_produce_bench) and BUILD_DIR/peers/perf
# (OUT_DIR=BUILD_DIR/peers ../shared/peers/build.sh).
# Environment: MSGS (1000000), SIZE (200), PARTITIONS (4), ACKS (-1: all, as the dialog's
# default), LINGER (5 ms, both), RUNS (3). Each round writes a fresh topic per tool. Nothing is
# asserted; the goal is 200,000 msg/s for MessageProducer.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
msgs=${MSGS:-1000000}
size=${SIZE:-200}
partitions=${PARTITIONS:-4}
acks=${ACKS:--1}
linger=${LINGER:-5}
runs=${RUNS:-3}
bench="$build/bin/bulk_produce_bench"
perf="$build/peers/perf"
. "$here/benchlib.sh"
bench_require bulk_produce_bench "$build/bin/partitad" "$bench" "$perf"
bench_workdir "$build" bulk-produce-bench
bench_partitad "$build" "num.partitions=$partitions" "auto.create.topics.enable=true"
bs=$bootstrap
echo "partitad at $bs; $msgs messages of $size B into $partitions partitions, acks=$acks, linger.ms=$linger"

for round in $(seq "$runs"); do
  # perf's topic is auto-created with num.partitions; ours is created by the bench with PARTITIONS.
  theirs=$("$perf" produce -b "$bs" -t "perf-$round" -n "$msgs" -s "$size" -a "$acks" -l "$linger" 2>&1 | grep RESULT)
  echo "$(result "$theirs" msgs_per_s)" >> "$work/perf_msgs"
  echo "$(result "$theirs" MB_per_s)" >> "$work/perf_mb"
  echo "round $round: perf: $theirs"
  ours=$("$bench" "$bs" "ours-$round" "$msgs" "$size" "$partitions" "$acks" 2>&1)
  echo "$ours" | grep -q "failed=0" || echo "round $round: bulk_produce_bench failed: $ours" >&2
  ours=$(grep RESULT <<< "$ours")
  echo "$(result "$ours" msgs_per_s)" >> "$work/ours_msgs"
  echo "$(result "$ours" MB_per_s)" >> "$work/ours_mb"
  echo "round $round: MessageProducer: $ours"
done

pm=$(median < "$work/perf_msgs"); pmb=$(median < "$work/perf_mb")
om=$(median < "$work/ours_msgs"); omb=$(median < "$work/ours_mb")
printf '\n%-44s %12s %10s %10s\n' "bulk produce, $size B, acks=$acks (median of $runs)" msgs/s MB/s "% of perf"
printf '%-44s %12.0f %10s %10s\n' "perf produce (librdkafka)" "$pm" "$pmb" "100%"
printf '%-44s %12.0f %10s %9.0f%%\n' "MessageProducer::sendBulk ({{counter}})" "$om" "$omb" "$(awk "BEGIN {print 100*$om/$pm}")"
