#!/usr/bin/env bash
# make fuzz: runs every libFuzzer harness (Tests/Fuzz/README.md) for SECONDS each
# (default 600; FUZZ_SECONDS or the first argument) or, with FUZZ_RUNS=N, for N
# executions each (no time limit), seeded from the committed
# captures and the kept corpus, then merges what it found into a minimised
# corpus under Tests/Fuzz/corpus/NAME and keeps crashers under
# Tests/Fuzz/crashers/NAME. Prints executions, coverage and time per harness and
# writes them to bench/out/fuzz-results.txt. FUZZ_HARNESSES="tls http" runs some.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-${FUZZ_SECONDS:-600}}
HARNESSES=${FUZZ_HARNESSES:-"tls http dns-tcp raw dns quic raw-udp pcap pcapng"}
FUZZ_BIN=.build-fuzz/release/wirecheck-fuzz
mkdir -p bench/out
swift build --product wirecheck-fuzz >&2
swift build -c release --product wirecheck-fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING >&2
RESULTS=bench/out/fuzz-results.txt
printf '%-8s %12s %10s %8s %8s %s\n' harness executions exec/s cov ft seconds | tee "$RESULTS"
for name in $HARNESSES; do
    work=$(mktemp -d /tmp/wc-fuzz-$name.XXXXXX)
    mkdir -p "$work/seeds" "$work/found" "$work/merged" "Tests/Fuzz/corpus/$name" "Tests/Fuzz/crashers/$name"
    .build/debug/wirecheck-fuzz seed "$name" "$work/seeds" captures/*/*.pcap captures/*/*.pcapng >&2
    max_len=4096
    case "$name" in pcap|pcapng) max_len=16384;; esac
    limit=(-max_total_time="$SECONDS_EACH")
    [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
    start=$(date +%s)
    WIRECHECK_FUZZ_TARGET=$name "$FUZZ_BIN" "${limit[@]}" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="Tests/Fuzz/crashers/$name/" \
        "$work/found" "$work/seeds" "Tests/Fuzz/corpus/$name" 2>"$work/log" || true
    elapsed=$(( $(date +%s) - start ))
    execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$work/log")
    speed=$(awk '/stat::average_exec_per_sec/ {print $2}' "$work/log")
    cov=$(grep -oE 'cov: [0-9]+' "$work/log" | tail -1 | awk '{print $2}')
    ft=$(grep -oE 'ft: [0-9]+' "$work/log" | tail -1 | awk '{print $2}')
    WIRECHECK_FUZZ_TARGET=$name "$FUZZ_BIN" -merge=1 -max_len=$max_len "$work/merged" \
        "Tests/Fuzz/corpus/$name" "$work/seeds" "$work/found" 2>>"$work/log" >/dev/null || true
    rm -rf "Tests/Fuzz/corpus/$name" && mv "$work/merged" "Tests/Fuzz/corpus/$name"
    printf '%-8s %12s %10s %8s %8s %s\n' "$name" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$elapsed" | tee -a "$RESULTS"
    if ls "Tests/Fuzz/crashers/$name"/crash-* "Tests/Fuzz/crashers/$name"/leak-* "Tests/Fuzz/crashers/$name"/timeout-* >/dev/null 2>&1; then
        echo "fuzz: $name found inputs that fail: Tests/Fuzz/crashers/$name (log: $work/log)" >&2
    else
        rm -rf "$work"
    fi
done
