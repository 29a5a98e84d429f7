#!/usr/bin/env bash
# The real desktop app under Xvfb, as a user starts it the first time: no settings, so it starts the
# local cluster; --sample-data fills it; --screenshot saves the window once the data is shown and
# quits (stopping the local cluster). The picture is kept as the test's artefact.
set -euo pipefail
APP=$1
OUT=$2
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"
XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" PARTITA_NO_KEYCHAIN=1 \
    QT_QPA_PLATFORM=xcb timeout 240 xvfb-run -a -s "-screen 0 1600x1000x24" "$APP" --sample-data --screenshot "$OUT"
# A real picture of a window, not an empty file.
size=$(stat -c %s "$OUT")
[ "$size" -gt 20000 ] || { echo "screenshot too small ($size bytes)" >&2; exit 1; }
# The local cluster was stopped on quit: no partitad left on this data dir.
if pgrep -f "$home/data" >/dev/null; then echo "a partitad outlived the app" >&2; exit 1; fi
echo "screenshot: $OUT ($size bytes)"
