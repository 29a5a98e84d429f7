#!/usr/bin/env bash
# browse_bench.sh: the message browser (issue 10) on a topic of 1,000,000 JSON messages of 500 B in
# 4 partitions (written by search_bench's producer, as search_bench.sh does): first rows visible when
# opening at the end (a new panel; "Last 500" again) and at random offsets, scrolling to random rows
# of the loaded window, and the peak RSS of paging through the whole topic, of a capped scan, of the
# model's search over everything and of exporting everything. The real MessageBrowserPanel under
# Xvfb (offscreen without xvfb-run) at 1400x900.
#
#   bash tests/bench/browse_bench.sh [BUILD_DIR]          (BUILD_DIR defaults to build)
#
# Builds nothing: needs BUILD_DIR/bin/{partitad,search_bench,browse_bench}
# (cmake --build BUILD_DIR --target partitad search_bench browse_bench).
# Environment: MSGS (1000000), SIZE (500), PARTITIONS (4); RUNS (5) opens, SCROLLS (200) scrolls.
# Goals (issue 10): first rows < 200 ms, scroll < 100 ms, memory < 300 MB. Nothing is asserted.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
msgs=${MSGS:-1000000}
size=${SIZE:-500}
partitions=${PARTITIONS:-4}
runs=${RUNS:-5}
scrolls=${SCROLLS:-200}
producer="$build/bin/search_bench"
bench="$build/bin/browse_bench"
. "$here/benchlib.sh"
bench_require browse_bench "$build/bin/partitad" "$producer" "$bench"
bench_workdir "$build" browse-bench
bench_partitad "$build" "num.partitions=$partitions"
bs=$bootstrap
topic=orders

out=$("$producer" "$bs" "$topic" produce "$msgs" "$size" "$partitions" 2>&1)
echo "$out" | grep -q "failed=0" || { echo "producing failed: $out" >&2; exit 1; }
echo "partitad at $bs; $msgs JSON records of $size B in $partitions partitions ($(result "$out" seconds) s to produce)"

if command -v xvfb-run >/dev/null; then
  gui() { xvfb-run -a -s "-screen 0 1600x1000x24" "$@"; }
  display=Xvfb
else
  gui() { QT_QPA_PLATFORM=offscreen "$@"; }
  display=offscreen
fi
run() {
  local out
  out=$(gui "$bench" "$bs" "$topic" "$@" 2>"$work/stderr")
  echo "$out" | sed 's/^/  /' >&2
  grep -E 'warning|error|failed' "$work/stderr" | head -5 | sed 's/^/  stderr: /' >&2
  grep '^RESULT ' <<< "$out" | head -1
}

echo "browse_bench $bs $topic open $runs ($display)"
open=$(run open "$runs")
echo "browse_bench $bs $topic scroll $scrolls"
scroll=$(run scroll "$scrolls")
echo "browse_bench $bs $topic page-all"
page=$(run page-all)
echo "browse_bench $bs $topic scan-capped"
scan=$(run scan-capped)
per_partition=$((msgs / partitions))
from=$((per_partition - 20000 / partitions))
echo "browse_bench $bs $topic search-all $from"
search=$(run search-all "$from")
echo "browse_bench $bs $topic export-all $work/all.jsonl"
export_all=$(run export-all "$work/all.jsonl")

printf '\n%-62s %10s %8s\n' measurement value goal
printf '%-62s %8s ms %8s\n' "new panel at Last 500: first rows painted (median of $runs)" "$(result "$open" new_painted_ms)" "< 200"
printf '%-62s %8s ms %8s\n' "  of which: rows in the model" "$(result "$open" new_rows_ms)" ""
printf '%-62s %8s ms %8s\n' "open Last 500 again: first rows painted (median)" "$(result "$open" last_painted_ms)" "< 200"
printf '%-62s %8s ms %8s\n' "open at a random offset: first rows painted (median)" "$(result "$open" jump_painted_ms)" "< 200"
printf '%-62s %8s ms %8s\n' "scroll to a random row of $(result "$scroll" rows): median" "$(result "$scroll" scroll_median_ms)" "< 100"
printf '%-62s %8s ms %8s\n' "scroll to a random row: max of $scrolls" "$(result "$scroll" scroll_max_ms)" "< 100"
printf '%-62s %8s MB %8s\n' "peak RSS: fetchMore through all $msgs ($(result "$page" seconds) s)" "$(result "$page" peak_rss_mb)" "< 300"
printf '%-62s %8s MB %8s\n' "peak RSS: TopicScanner match-all, maxResults 20000" "$(result "$scan" peak_rss_mb)" "< 300"
printf '%-62s %8s MB %8s\n' "peak RSS: model search over all (scanned $(result "$search" scanned))" "$(result "$search" peak_rss_mb)" "< 300"
printf '%-62s %8s MB %8s\n' "peak RSS: export all as JSON Lines ($(result "$export_all" seconds) s)" "$(result "$export_all" peak_rss_mb)" "< 300"
