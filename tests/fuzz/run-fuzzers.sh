#!/usr/bin/env bash
# run-fuzzers.sh: runs each libFuzzer target for a fixed time and fails on any finding.
# Each target runs on a copy of its seed corpus; a crash, leak, timeout, out-of-memory or
# sanitizer report fails the run and leaves a reproducer under BUILD_DIR/fuzz-work/.
# Usage: run-fuzzers.sh BUILD_DIR SECONDS   (BUILD_DIR from `make fuzz`, e.g. build-fuzz)
set -uo pipefail

if [ $# -ne 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build=$(cd "$1" && pwd) || exit 2
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
targets=(fuzz_request_frame fuzz_record_batch fuzz_log fuzz_broker)

# halt_on_error: the first report ends the run with a reproducer. libFuzzer's leak check needs
# detect_leaks (ASan's default on Linux); ours come last so an inherited ASAN_OPTIONS cannot
# quietly turn these off.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:halt_on_error=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1:print_stacktrace=1"

failed=()
for target in "${targets[@]}"; do
  bin="$build/bin/$target"
  if [ ! -x "$bin" ]; then
    echo "run-fuzzers: $bin is missing (build it with: make fuzz)" >&2
    failed+=("$target (not built)")
    continue
  fi
  work="$build/fuzz-work/$target"
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  # A copy: libFuzzer adds every input that finds new coverage to its first corpus directory,
  # and the committed seeds must stay small.
  seeds="$here/corpus/${target#fuzz_}"  # fuzz_request_frame -> corpus/request_frame
  [ "$target" = fuzz_broker ] && seeds="$here/corpus/request_frame"  # the same frames, served
  if [ ! -d "$seeds" ]; then
    echo "run-fuzzers: no seed corpus at $seeds" >&2
    failed+=("$target (no seeds)")
    continue
  fi
  cp -r "$seeds/." "$work/corpus/"
  log="$work/fuzz.log"
  echo "run-fuzzers: $target for ${seconds}s ($(ls "$work/corpus" | wc -l) seeds), log $log"
  "$bin" -max_len=65536 -rss_limit_mb=2048 -max_total_time="$seconds" -timeout=30 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" >"$log" 2>&1
  status=$?

  report=$(grep -E -m1 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: |invariant broken: ' "$log")
  artifacts=$(ls -A "$work/artifacts")
  if [ $status -ne 0 ] || [ -n "$report" ] || [ -n "$artifacts" ]; then
    echo "run-fuzzers: $target FAILED (exit $status): ${report:-see the log}" >&2
    for a in $artifacts; do echo "  reproducer: $work/artifacts/$a" >&2; done
    tail -n 40 "$log" >&2
    failed+=("$target")
  else
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$log" | sed "s/^/  $target: /"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "run-fuzzers: failures: ${failed[*]}" >&2
  exit 1
fi
echo "run-fuzzers: all targets ran ${seconds}s without findings"
