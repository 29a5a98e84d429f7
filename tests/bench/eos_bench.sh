#!/usr/bin/env bash
# eos_bench.sh: what idempotence and transactions cost a librdkafka producer on partitad, beside
# librdkafka's mock cluster: the same workloads (acks=all, idempotent, transactions of 100, 1,000 and
# 10,000 messages) against both in one run, each repeated, medians tabled (issue 7).
#
#   bash tests/bench/eos_bench.sh [BUILD_DIR]          (BUILD_DIR defaults to build)
#
# Builds nothing: needs BUILD_DIR/bin/partitad, BUILD_DIR/bin/txn_bench
# (cmake --build BUILD_DIR --target partitad txn_bench) and BUILD_DIR/peers/{mock-cluster,perf}
# (OUT_DIR=BUILD_DIR/peers ../shared/peers/build.sh).
#
# Modes: txn_bench's plain (acks=all), idempotent and transactions of 100, 1,000 and 10,000 messages
# (messages spread round-robin over the partitions); and the peers' librdkafka perf tool, acks=all
# beside -I (enable.idempotence=true), which leaves the partition to librdkafka's sticky partitioner.
# Each mode's overhead is against the acks=all run of the same tool.
# Environment: REPEATS (3) runs of every workload, SMALL_MSGS (1000000) messages of 100 B,
# LARGE_MSGS (200000) messages of 1 KiB, LINGER_MS (5), LIMIT_S (10: a run starts no new transaction
# after that many seconds; its figures are then over what it sent, marked * in the table),
# COUNT_TXNS (200) transactions per request-count run (0: no request counts), MODES (the modes to
# run, default all: plain idempotent txn100 txn1000 txn10000 perf-acks-all perf-idempotent; a mode's
# acks=all base must be among them), RETENTION_MB (unset: keep everything; else partitad deletes a
# partition's oldest 32 MiB segments beyond that size within a second, so long series do not fill the
# page cache with dirty data), PIN (1: brokers on CPU 0, the client on CPU 1,
# with taskset, when there are at least 2 CPUs; 0: unpinned), LOG_DIR (partitad's log.dirs, deleted
# at the end; default: under the work directory in BUILD_DIR, on disk), KEEP=1 keeps the work
# directory (broker logs, every raw output, the request-count runs' client logs; the partition logs
# are deleted either way). Prints the table; nothing is asserted.
#
# Order: for each repeat, each size, each mode, partitad then the mock, so both meet the machine's
# noise (and partitad its disk's writeback) alike. Broker CPU = the broker process's user + system
# time over the run (/proc/PID/stat), in ms. After the timed runs, one run per transaction size and
# broker with --requests (librdkafka's protocol debug log) counts the requests per transaction and
# their round trips; it is not timed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
repeats=${REPEATS:-3}
small_msgs=${SMALL_MSGS:-1000000}
large_msgs=${LARGE_MSGS:-200000}
linger=${LINGER_MS:-5}
limit=${LIMIT_S:-10}
count_txns=${COUNT_TXNS:-200}
bench="$build/bin/txn_bench"
perf="$build/peers/perf"
for needed in "$build/bin/partitad" "$bench" "$build/peers/mock-cluster" "$perf"; do
  if [ ! -x "$needed" ]; then
    echo "eos_bench: $needed is missing; build it first (see the head of this script)" >&2
    exit 1
  fi
done

# Pinned, the client and the broker each have a core and streaming runs vary much less on this
# 2-core machine; the transactional client, whose threads then share one core, gets slower.
broker_cpu=() client_cpu=()
if [ "${PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null; then
  broker_cpu=(taskset -c 0) client_cpu=(taskset -c 1)
fi

work=$(mktemp -d "$build/eos-bench.XXXXXX")
log_dir=${LOG_DIR:-$work/data}
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  # The partition logs go in any case: gigabytes of payload whose dirty pages would otherwise be
  # written back under the next benchmark.
  rm -rf "$log_dir"
  if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept (without the partition logs): $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

port=$(free_port)
retention=()
if [ -n "${RETENTION_MB:-}" ]; then
  retention=(--override "log.retention.bytes=$((RETENTION_MB * 1048576))" --override log.segment.bytes=33554432
             --override log.retention.check.interval.ms=1000 --override log.segment.delete.delay.ms=0)
fi
"${broker_cpu[@]}" "$build/bin/partitad" "$root/resources/server.properties" --override "log.dirs=$log_dir" \
  --override "listeners=PLAINTEXT://localhost:$port" "${retention[@]}" > "$work/partitad.log" 2>&1 &
partitad_pid=$!
pids+=("$partitad_pid")
partitad_bs="localhost:$port"
for _ in $(seq 100); do grep -q "started;" "$work/partitad.log" && break; sleep 0.1; done
if ! grep -q "started;" "$work/partitad.log"; then
  echo "eos_bench: partitad did not start:" >&2
  tail -20 "$work/partitad.log" >&2
  exit 1
fi

"${broker_cpu[@]}" "$build/peers/mock-cluster" -S -b 1 -t eos-100:3 -t eos-1024:3 > "$work/mock.txt" 2> "$work/mock.log" &
mock_pid=$!
pids+=("$mock_pid")
for _ in $(seq 50); do [ -s "$work/mock.txt" ] && break; sleep 0.1; done
mock_bs=$(head -1 "$work/mock.txt")
if [ -z "$mock_bs" ]; then
  echo "eos_bench: the mock cluster did not start:" >&2
  cat "$work/mock.log" >&2
  exit 1
fi

bs_of() { if [ "$1" = partitad ]; then echo "$partitad_bs"; else echo "$mock_bs"; fi; }
pid_of() { if [ "$1" = partitad ]; then echo "$partitad_pid"; else echo "$mock_pid"; fi; }
cpu_ms() {  # user + system time of a process so far, ms
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' "/proc/$1/stat"
}
msgs_of() { if [ "$1" = 100 ]; then echo "$small_msgs"; else echo "$large_msgs"; fi; }
mode_args() {
  case $1 in
    plain) ;;
    idempotent) echo --idempotent ;;
    txn*) echo --txn-size "${1#txn}" ;;
  esac
}
field() { sed -n "s/^RESULT.* $1=\([^ ]*\).*/\1/p" "$2" | tail -1; }

# Topics (partitad: created here, 3 partitions like the mock's) and a warm-up of each broker: a plain
# run and a few transactions per topic, so __transaction_state exists and connections, segments and
# the coordinator are in place before anything is timed.
for size in 100 1024; do
  for broker in partitad mock; do
    create=()
    if [ "$broker" = partitad ]; then create=(--create 3); fi
    out="$work/warmup-$size.$broker.out"
    if ! "${client_cpu[@]}" "$bench" -b "$(bs_of $broker)" -t "eos-$size" "${create[@]}" -n 20000 -s "$size" -l "$linger" > "$out" 2>&1 ||
       ! "${client_cpu[@]}" "$bench" -b "$(bs_of $broker)" -t "eos-$size" -n 1000 -s "$size" -l "$linger" --txn-size 100 >> "$out" 2>&1; then
      echo "eos_bench: warm-up against $broker failed:" >&2
      tail -5 "$out" >&2
      exit 1
    fi
  done
done

modes=${MODES:-plain idempotent txn100 txn1000 txn10000 perf-acks-all perf-idempotent}
base_of() { if [ "${1#perf-}" != "$1" ]; then echo perf-acks-all; else echo plain; fi; }
dirty=$(git -C "$root" status --porcelain --untracked-files=no -- engine app 2>/dev/null | wc -l)
echo "partitad: $build/bin/partitad built $(date -r "$build/bin/partitad" '+%F %T'); tree at $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $dirty files under engine/ and app/ modified"
echo "partitad $partitad_bs (log.dirs $log_dir), mock $mock_bs (librdkafka $(pkg-config --modversion rdkafka 2>/dev/null || echo '?'))"
echo "3 partitions, linger.ms=$linger, acks=all; $small_msgs x 100 B and $large_msgs x 1 KiB; $repeats runs each, limit ${limit} s per run${RETENTION_MB:+; partitad keeps ${RETENTION_MB} MiB per partition}"
if [ ${#broker_cpu[@]} -gt 0 ]; then echo "pinned: brokers on CPU 0, txn_bench on CPU 1"; else echo "not pinned"; fi
for r in $(seq "$repeats"); do
  for size in 100 1024; do
    for mode in $modes; do
      for broker in partitad mock; do
        name="$mode-$size.$broker.r$r"
        pid=$(pid_of $broker)
        before=$(cpu_ms "$pid")
        case $mode in
          perf-*)
            idempotence=()
            if [ "$mode" = perf-idempotent ]; then idempotence=(-I); fi
            timeout 600 "${client_cpu[@]}" "$perf" produce -b "$(bs_of $broker)" -t "eos-$size" -n "$(msgs_of $size)" \
              -s "$size" -a all -l "$linger" "${idempotence[@]}" > "$work/$name.out" 2>&1
            ;;
          *)
            # shellcheck disable=SC2046
            timeout 600 "${client_cpu[@]}" "$bench" -b "$(bs_of $broker)" -t "eos-$size" -n "$(msgs_of $size)" \
              -s "$size" -l "$linger" -d "$limit" $(mode_args "$mode") > "$work/$name.out" 2>&1
            ;;
        esac
        rc=$?
        echo "$rc" > "$work/$name.rc"
        echo "$(( $(cpu_ms "$pid") - before ))" > "$work/$name.cpu"
        printf '[%s r%s] %-15s %5s B: %s\n' "$broker" "$r" "$mode" "$size" \
          "$(grep -v '^RESULT' "$work/$name.out" | tail -1)"
        if [ $rc -ne 0 ]; then
          echo "[$broker] $name FAILED (exit $rc):" >&2
          tail -8 "$work/$name.out" | sed "s/^/[$broker]   /" >&2
        fi
      done
    done
  done
done

# median MODE SIZE BROKER FIELD: the median over the repeats that succeeded (empty if none); FIELD cpu =
# the broker's CPU ms.
median() {
  local values=() f v
  for f in "$work/$1-$2.$3".r*.out; do
    [ "$(cat "${f%.out}.rc")" = 0 ] || continue
    if [ "$4" = cpu ]; then v=$(cat "${f%.out}.cpu"); else v=$(field "$4" "$f"); fi
    [ -n "$v" ] && values+=("$v")
  done
  [ ${#values[@]} -gt 0 ] || return
  printf '%s\n' "${values[@]}" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# overhead MODE SIZE BROKER: 1 - msg/s / acks=all msg/s, for each repeat against the acks=all run of
# the same repeat (they ran a few seconds apart); prints "median min max" in %.
overhead() {
  local values=() r f p a b
  for r in $(seq "$repeats"); do
    f="$work/$1-$2.$3.r$r.out" p="$work/$(base_of "$1")-$2.$3.r$r.out"
    if [ "$(cat "${f%.out}.rc")" != 0 ] || [ "$(cat "${p%.out}.rc")" != 0 ]; then continue; fi
    a=$(field msgs_per_s "$f") b=$(field msgs_per_s "$p")
    values+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", 100 * (1 - a / b) }')")
  done
  [ ${#values[@]} -gt 0 ] || return
  printf '%s\n' "${values[@]}" | sort -g |
    awk '{ v[NR] = $1 } END { printf "%.1f %.1f %.1f\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[1], v[NR] }'
}
failures() {
  local n=0 f
  for f in "$work/$1-$2.$3".r*.rc; do [ "$(cat "$f")" = 0 ] || n=$((n + 1)); done
  echo $n
}
limited() {
  local f
  for f in "$work/$1-$2.$3".r*.out; do [ "$(field limited "$f")" = 1 ] && { echo '*'; return; }; done
}

echo
echo "medians of $repeats runs; overhead % = 1 - msg/s / msg/s of the acks=all run of the same tool, repeat, broker and size:"
echo "median (lowest..highest); commit = commit_transaction() ms, p50 / p99; CPU = the broker's CPU ms in the run"
printf '%-33s | %10s %8s %19s %15s %8s | %10s %8s %19s %15s %8s\n' workload \
  "partitad" "MB/s" overhead "commit ms" "CPU ms" "mock" "MB/s" overhead "commit ms" "CPU ms"
for size in 100 1024; do
  for mode in $modes; do
    line=$(printf '%-33s' "$mode, $(msgs_of $size) x $size B")
    for broker in partitad mock; do
      rate=$(median "$mode" "$size" "$broker" msgs_per_s)
      bad=$(failures "$mode" "$size" "$broker")
      if [ -z "$rate" ]; then
        line+=$(printf ' | %10s %8s %19s %15s %8s' "failed" "" "" "" "")
        continue
      fi
      mb=$(median "$mode" "$size" "$broker" MB_per_s | awk '{ printf "%.1f", $1 }')
      over="–"
      if [ "$mode" != "$(base_of "$mode")" ]; then
        read -r o_med o_min o_max <<<"$(overhead "$mode" "$size" "$broker")"
        over="${o_med:-n/a} ($o_min..$o_max)"
      fi
      commit=""
      if [ "${mode#txn}" != "$mode" ]; then
        commit="$(median "$mode" "$size" "$broker" commit_p50_ms | awk '{ printf "%.2f", $1 }') / $(median "$mode" "$size" "$broker" commit_p99_ms | awk '{ printf "%.2f", $1 }')"
      fi
      rate_cell="$(printf '%.0f' "$rate")$(limited "$mode" "$size" "$broker")"
      [ "$bad" -gt 0 ] && rate_cell+=" ($bad failed)"
      line+=$(printf ' | %10s %8s %19s %15s %8s' "$rate_cell" "$mb" "$over" "$commit" "$(median "$mode" "$size" "$broker" cpu)")
    done
    echo "$line"
  done
done
echo "(* = stopped by the ${limit} s limit in at least one run: figures over what was sent. The mock writes no"
echo " transaction markers and enforces nothing; see the request counts below.)"

# phases TRACE: where a transaction's time goes, from the client's log (txn_bench --log with debug
# eos,protocol): medians over the transactions, ms. Debug logging slows the client, so the total is
# above the timed runs' transaction time; the split is what it shows.
phases() {
  awk '
    function med(name,   n, i, j, t, a) {
      n = count[name]
      for (i = 1; i <= n; i++) a[i] = v[name, i]
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n ? (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) : -1
    }
    function add(name, value) { v[name, ++count[name]] = value }
    / BENCH begin_transaction / { begin = $1; mark = addsent = addrecv = lastprod = endsent = endrecv = 0; intxn = 1; next }
    !intxn { next }
    /as part of transaction: scheduling registration/ && !mark { mark = $1 }
    /Sent AddPartitionsToTxnRequest/ && !addsent { addsent = $1 }
    /Received AddPartitionsToTxnResponse/ && !addrecv { addrecv = $1 }
    /Received ProduceResponse/ && !endsent { lastprod = $1 }
    /Sent EndTxnRequest/ && !endsent { endsent = $1 }
    /Received EndTxnResponse/ && !endrecv { endrecv = $1 }
    / BENCH committed / {
      intxn = 0
      if (!(mark && addsent && addrecv && lastprod && endsent && endrecv)) { skipped++; next }
      add("a", mark - begin); add("b", addsent - mark); add("c", addrecv - addsent); add("d", lastprod - addrecv)
      add("e", endsent - lastprod); add("f", endrecv - endsent); add("g", $1 - endrecv); add("t", $1 - begin)
    }
    END {
      printf "    phases, median ms: begin to 1st produce() %.2f | to AddPartitionsToTxn sent %.2f | its round trip %.2f |", med("a"), med("b"), med("c")
      printf " to last ProduceResponse %.2f | to EndTxn sent %.2f | its round trip %.2f | to commit return %.2f | total %.2f (%d transactions", med("d"), med("e"), med("f"), med("g"), med("t"), count["t"]
      printf "%s)\n", skipped ? ", " skipped " not matched" : ""
    }' "$1"
}

# Requests per transaction: one untimed run per broker and transaction size, 100 B, librdkafka's
# protocol debug log counting responses and their round trips. log_delta - messages = the offsets the
# broker added beside the messages (markers).
[ "$count_txns" -gt 0 ] && echo && echo "requests per transaction (100 B, $count_txns transactions each, protocol debug on, not timed):"
for txn in 100 1000 10000; do
  [ "$count_txns" -gt 0 ] || break
  for broker in partitad mock; do
    name="requests-$txn.$broker"
    pid=$(pid_of $broker)
    before=$(cpu_ms "$pid")
    timeout 600 "${client_cpu[@]}" "$bench" -b "$(bs_of $broker)" -t eos-100 -n $((txn * count_txns)) -s 100 -l "$linger" \
      -d "$limit" --txn-size "$txn" --requests -X debug=eos,protocol --log "$work/$name.trace" > "$work/$name.out" 2>&1
    rc=$?
    cpu=$(( $(cpu_ms "$pid") - before ))
    txns=$(field transactions "$work/$name.out")
    printf '[%s] transactions of %s: %s transactions, %s extra offsets in the log, broker CPU %s ms (%s ms per transaction)%s\n' \
      "$broker" "$txn" "$txns" "$(field extra_offsets "$work/$name.out")" "$cpu" \
      "$(awk -v c="$cpu" -v t="${txns:-0}" 'BEGIN { if (t > 0) printf "%.3f", c / t; else print "?" }')" \
      "$([ $rc -ne 0 ] && echo " FAILED (exit $rc)")"
    grep '^REQUESTS' "$work/$name.out" | grep -v 'api=FindCoordinator\|api=Metadata\|api=ApiVersion' |
      sed 's/^REQUESTS /    /'
    phases "$work/$name.trace"
  done
done
echo "partitad resident memory at the end: $(awk '/VmRSS/ { print $2 }' "/proc/$partitad_pid/status" 2>/dev/null) KiB"
