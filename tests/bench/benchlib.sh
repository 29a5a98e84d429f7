# benchlib.sh: what the benchmark scripts share: their binaries' check, a work directory removed on
# exit (KEEP=1 keeps it) with the background processes they started, a free port, one partitad,
# medians. Sourced: `. "$(dirname "$0")/benchlib.sh"`.

# bench_require NAME PATH...: stops the script (exit 2) when a binary is missing.
bench_require() {
  local name=$1
  shift
  for needed in "$@"; do
    [ -x "$needed" ] || { echo "$name: $needed is missing; build it first (see the head of the script)" >&2; exit 2; }
  done
}

# bench_workdir BUILD NAME: sets `work` (under BUILD) and `bench_pids`; the exit trap stops those
# processes and removes the directory.
bench_workdir() {
  work=$(mktemp -d "$1/$2.XXXXXX")
  bench_pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for pid in "${bench_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# bench_partitad BUILD [PROPERTY=VALUE...]: one partitad on a free port with its data under
# $work/partitad, started and listening; sets `bootstrap` and adds its pid to bench_pids.
bench_partitad() {
  local build=$1
  shift
  local port
  port=$(free_port)
  mkdir -p "$work/partitad"
  {
    printf 'node.id=1\nlisteners=PLAINTEXT://localhost:%s\nlog.dirs=%s/partitad/data\n' "$port" "$work"
    for property in "$@"; do printf '%s\n' "$property"; done
  } >"$work/partitad/server.properties"
  "$build/bin/partitad" "$work/partitad/server.properties" >"$work/partitad.log" 2>&1 &
  bench_pids+=($!)
  for _ in $(seq 100); do grep -q "started;" "$work/partitad.log" && break; sleep 0.1; done
  bootstrap="localhost:$port"
}

# The value of NAME=VALUE in a benchmark's output: result "$output" NAME
result() { grep -o "$2=[0-9.]*" <<< "$1" | head -1 | cut -d= -f2; }

# Median of the numbers on stdin, one per line ("n/a" when there are none).
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else print a[int((NR+1)/2)]}'; }
