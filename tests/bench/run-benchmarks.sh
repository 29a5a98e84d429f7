#!/usr/bin/env bash
# Runs every benchmark binary of a build (make bench). Results go to stdout and, as JSON,
# to BUILD/bench-results/ so docs/BENCHMARKS.md can quote a run.
set -euo pipefail
build=${1:-build}
out="$build/bench-results"
mkdir -p "$out"
for bench in "$build"/bin/*_bench; do
  [ -x "$bench" ] || continue
  name=$(basename "$bench")
  echo "== $name"
  "$bench" --benchmark_out="$out/$name.json" --benchmark_out_format=json ${BENCH_ARGS:-}
done
