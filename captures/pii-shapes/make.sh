#!/usr/bin/env bash
# Regenerates the wirecheck PI shapes corpus: every *.pcap here, device.yaml, manifest.yaml and README.md.
#
# Needs (installs nothing itself):
#   apt: tcpdump curl (7.x) tshark (only for verify)
#   pip: requests   (pyyaml optional: verify cross-checks its own manifest parser with it)
#   python3 >= 3.8
# Run as root (tcpdump on lo). Loopback only: 127.0.0.1, ports 49401-49429 (one per capture).
# Idempotent: removes the old captures and writes them again. Values are fixed; only client ports,
# timestamps, TCP sequence numbers, curl's multipart boundary and the HTTP Date header change between runs.
#   ./make.sh               rebuild everything, then verify
#   ./make.sh FILE.pcap     rebuild only the named captures (manifest/device/README still rewritten)
#   ./make.sh --verify      only run tools/verify.py against the existing files
#   ./make.sh --self-test   verify, and prove verify fails on a broken value / a manifest hole
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = "--verify" ]; then exec python3 tools/verify.py; fi
if [ "${1:-}" = "--self-test" ]; then exec python3 tools/verify.py --self-test; fi
exec bash ../pii/tools/build.sh requests -- "$@"   # root, tools, corpus.py, verify.py (shared with ../pii)
