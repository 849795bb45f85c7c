#!/usr/bin/env bash
# Records the plaintext-heavy seed, bench/out/plaintext-seed.pcap (~50-60 MB):
# one app session of unencrypted traffic, as a phone running an analytics SDK
# over plain HTTP would send it (bench/plaintext_tools.py):
#   - ~280 HTTP/1.1 exchanges on 80 connections (1-6 requests per keep-alive
#     connection, three connections at a time), half from python-requests and
#     half from curl, against a Python HTTP/1.1 server on :47180: JSON
#     telemetry batches POSTed (some gzip-encoded, some chunked), form posts,
#     JSON feed/config and text responses (some gzip, some chunked); bodies
#     2 KB to 2 MB, log-uniform
#   - raw TCP text-line telemetry: 6 connections x 2,500 event lines to :47280,
#     with ACK/PUSH lines back
#   - 300 DNS queries/answers (corpus_tools.py's responder on :47053)
# The test phone's identifiers (captures/pii/device.yaml) appear ~30 times in
# the whole session (PI_PLAN and LINE_PI in plaintext_tools.py); everything
# else is ids, UUIDs, hex, timestamps and text that must NOT be reported.
# Recorded like make-corpus.sh: 127.0.0.1 on ports 47000-47999 only, tcpdump on
# the loopback of a private network namespace (MTU 1500, GSO/GRO capped),
# client ports pinned to 47500-47999. Takes ~20 s.
#
# Needs (Debian): tcpdump curl iproute2 python3 python3-requests.
# Usage: bash bench/make-plaintext.sh [--force]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/out"
WORK="$OUT/plaintext-work"
SEED="$OUT/plaintext-seed.pcap"
TOOLS="$HERE/plaintext_tools.py"
. "$HERE/record-lib.sh"

if [ "${1:-}" = "--inside" ]; then
    in_netns="$2"
    cd "$WORK"
    if [ "$in_netns" = 1 ]; then
        ethernet_like_loopback
        # no TIME_WAIT reuse (the default, 2, reuses them on loopback): a client
        # port then never carries two connections to the same server
        sysctl -q -w net.ipv4.tcp_tw_reuse=0
    fi
    pids=()
    cleanup_inside() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
    trap cleanup_inside EXIT
    python3 "$TOOLS" http-server 47180 2>"$WORK/http-server.err" & pids+=($!)
    python3 "$TOOLS" line-server 47280 2>"$WORK/line-server.err" & pids+=($!)
    python3 "$HERE/corpus_tools.py" dns-server 47053 & pids+=($!)
    wait_for_ports 47180 47280
    start_recording
    fails=0
    python3 "$HERE/corpus_tools.py" dns-client 47053 300 2>>"$WORK/clients.err" &
    DNSC=$!
    python3 "$TOOLS" drive 47180 47280 "$WORK/bodies" 2>>"$WORK/clients.err" || fails=$((fails + 1))
    wait "$DNSC" || fails=$((fails + 1))
    stop_recording
    echo "$fails" >"$WORK/fails"
    exit 0
fi

if [ -s "$SEED" ] && [ "${1:-}" != "--force" ]; then
    echo "make-plaintext: $SEED exists ($(stat -c %s "$SEED") bytes); --force to re-record"
    exit 0
fi
for t in tcpdump curl python3 ip; do
    command -v "$t" >/dev/null || { echo "make-plaintext: needs $t (apt-get install tcpdump curl iproute2)" >&2; exit 2; }
done
python3 -c 'import requests' 2>/dev/null || { echo "make-plaintext: needs python3-requests" >&2; exit 2; }
rm -rf "$WORK"; mkdir -p "$WORK/bodies"

record_in_namespace make-plaintext "$HERE/make-plaintext.sh"
cat "$WORK/clients.err" >&2
report_recording make-plaintext
mv "$WORK/seed.pcap.tmp" "$SEED"
rm -rf "$WORK/bodies"
echo "make-plaintext: wrote $SEED ($(stat -c %s "$SEED") bytes)"
