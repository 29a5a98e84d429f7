#!/usr/bin/env bash
# Cold start of the desktop app on the local cluster (issue 9): `partita --startup-trace
# --exit-when-ready` under Xvfb with empty settings and data each run, so partitad starts from
# nothing. Prints each run's trace marks (ms since the process was created) and the medians, and
# the peak resident memory from /usr/bin/time -v.
set -euo pipefail
BUILD=${1:-build}
RUNS=${RUNS:-7}
APP="$BUILD/bin/partita"
. "$(dirname "$0")/benchlib.sh"
bench_require app_startup_bench "$APP" "$BUILD/bin/partitad"


results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
for run in $(seq 1 "$RUNS"); do
    home=$(mktemp -d)
    # A fresh XDG home: no saved clusters, so the app starts the local cluster, as on a first start.
    XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" \
        xvfb-run -a -s "-screen 0 1600x1000x24" /usr/bin/time -v "$APP" --startup-trace --exit-when-ready \
        >"$results/out-$run" 2>"$results/err-$run" || { cat "$results/err-$run" >&2; exit 1; }
    rm -rf "$home"
    for mark in "application created" "window shown" "window interactive" "local broker running" "first cluster data shown"; do
        grep "startup-trace: .* $mark\$" "$results/err-$run" | awk '{print $2}' >>"$results/$mark"
    done
    grep "Maximum resident set size" "$results/err-$run" | awk '{print $6}' >>"$results/rss"
    echo "run $run: $(grep -h '^startup-trace' "$results/err-$run" | awk '{printf "%s=%s ", $3" "$4" "$5, $2}')"
done

echo
echo "median over $RUNS runs (ms since process creation):"
for mark in "application created" "window shown" "window interactive" "local broker running" "first cluster data shown"; do
    printf '  %-26s %s\n' "$mark" "$(median <"$results/$mark")"
done
printf '  %-26s %s MB\n' "peak RSS (app)" "$(median <"$results/rss" | awk '{printf "%.0f", $1/1024}')"
