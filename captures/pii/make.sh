#!/usr/bin/env bash
# Regenerates the wirecheck PI corpus (issue 4): every *.pcap here, device.yaml and manifest.yaml.
#
# Needs (installs nothing itself):
#   apt: tcpdump curl (7.x with brotli not required: bodies are pre-compressed) tshark (only for verify)
#   pip: requests brotli   (pillow only if tools/face.jpg is missing; it is committed)
#   python3 >= 3.8
# Run as root (tcpdump on lo). Loopback only: 127.0.0.1 / ::1, ports 48001-48033 and 48053.
# Idempotent: removes the old captures and writes them again. Values are fixed; only client ports,
# timestamps, TCP sequence numbers and the HTTP Date header change between runs.
#   ./make.sh            rebuild everything
#   ./make.sh FILE.pcap  rebuild only the named captures (manifest/device still rewritten)
#   ./make.sh --verify   only run tools/verify.py against the existing files
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = "--verify" ]; then exec python3 tools/verify.py; fi
exec bash tools/build.sh requests brotli -- "$@"   # root, tools, corpus.py, verify.py (shared with ../pii-shapes)
