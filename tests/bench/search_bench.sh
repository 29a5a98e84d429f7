#!/usr/bin/env bash
# search_bench.sh: the message search (issue 10) beside librdkafka's throughput tool (perf) consuming
# the same topic, same partitad, same run: raw consume (msgs/s, MB/s), our text search and our JSON
# field search over the whole topic (msgs/s, peak RSS of the searching process).
#
#   bash tests/bench/search_bench.sh [BUILD_DIR]          (BUILD_DIR defaults to build)
#
# Builds nothing: needs BUILD_DIR/bin/{partitad,search_bench}
# (cmake --build BUILD_DIR --target partitad search_bench) and BUILD_DIR/peers/perf
# (OUT_DIR=BUILD_DIR/peers ../shared/peers/build.sh).
# Environment: MSGS (1000000) JSON records of SIZE (500) bytes in PARTITIONS (4) partitions, written
# once by search_bench's producer; REPEATS (3) rounds, the table shows medians. Nothing is asserted.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
msgs=${MSGS:-1000000}
size=${SIZE:-500}
partitions=${PARTITIONS:-4}
repeats=${REPEATS:-3}
bench="$build/bin/search_bench"
perf="$build/peers/perf"
. "$here/benchlib.sh"
bench_require search_bench "$build/bin/partitad" "$bench" "$perf"
bench_workdir "$build" search-bench
bench_partitad "$build" "num.partitions=$partitions"
bs=$bootstrap
topic=orders

out=$("$bench" "$bs" "$topic" produce "$msgs" "$size" "$partitions" 2>&1)
echo "$out" | grep -q "failed=0" || { echo "producing failed: $out" >&2; exit 1; }
echo "partitad at $bs; $msgs JSON records of $size B in $partitions partitions ($(result "$out" seconds) s to produce)"

text_filter='needle-x'
json_filter='$.status == "shipped" and $.amount > 5000'
# The last field of the document, a long string: simdjson has to walk the whole value.
deep_filter='$.note ~ /needle-x/'
for round in $(seq "$repeats"); do
  theirs=$("$perf" consume -b "$bs" -t "$topic" -n "$msgs" 2>&1 | grep RESULT)
  echo "$(result "$theirs" msgs_per_s)" >> "$work/perf_msgs"
  echo "$(result "$theirs" MB_per_s)" >> "$work/perf_mb"
  text=$("$bench" "$bs" "$topic" search "$text_filter" 2>&1 | grep RESULT)
  echo "$(result "$text" seconds)" >> "$work/text_s"
  echo "$(result "$text" msgs_per_s)" >> "$work/text_msgs"
  echo "$(result "$text" peak_rss_mb)" >> "$work/text_rss"
  echo "round $round: perf: $theirs"
  echo "round $round: text: $text"
  json=$("$bench" "$bs" "$topic" search "$json_filter" 2>&1 | grep RESULT)
  echo "$(result "$json" seconds)" >> "$work/json_s"
  echo "$(result "$json" msgs_per_s)" >> "$work/json_msgs"
  echo "$(result "$json" peak_rss_mb)" >> "$work/json_rss"
  echo "round $round: json: $json"
  deep=$("$bench" "$bs" "$topic" search "$deep_filter" 2>&1 | grep RESULT)
  echo "$(result "$deep" seconds)" >> "$work/deep_s"
  echo "$(result "$deep" msgs_per_s)" >> "$work/deep_msgs"
  echo "$(result "$deep" peak_rss_mb)" >> "$work/deep_rss"
  echo "round $round: deep: $deep"
done

pm=$(median < "$work/perf_msgs"); pmb=$(median < "$work/perf_mb")
ts=$(median < "$work/text_s"); tm=$(median < "$work/text_msgs"); tr=$(median < "$work/text_rss")
js=$(median < "$work/json_s"); jm=$(median < "$work/json_msgs"); jr=$(median < "$work/json_rss")
ds=$(median < "$work/deep_s"); dm=$(median < "$work/deep_msgs"); dr=$(median < "$work/deep_rss")
printf '\n%-60s %12s %12s %10s %12s\n' workload msgs/s seconds "% of perf" "peak RSS MB"
printf '%-60s %12.0f %12s %10s %12s\n' "perf consume (librdkafka, $pmb MB/s)" "$pm" "" "100%" ""
printf '%-60s %12.0f %12s %9.0f%% %12s\n' "text search: $text_filter" "$tm" "$ts" "$(awk "BEGIN {print 100*$tm/$pm}")" "$tr"
printf '%-60s %12.0f %12s %9.0f%% %12s\n' "JSON search: $json_filter" "$jm" "$js" "$(awk "BEGIN {print 100*$jm/$pm}")" "$jr"
printf '%-60s %12.0f %12s %9.0f%% %12s\n' "JSON search: $deep_filter" "$dm" "$ds" "$(awk "BEGIN {print 100*$dm/$pm}")" "$dr"
