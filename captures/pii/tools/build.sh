#!/usr/bin/env bash
# The rebuild steps both PI corpora share (captures/pii/make.sh, captures/pii-shapes/make.sh), run from
# the corpus folder: check root and the tools, remove the old captures (when no file is named), run
# tools/corpus.py, then tools/verify.py if tshark is there.
#   ../pii/tools/build.sh PIP_MODULE... -- [FILE.pcap ...]
set -euo pipefail
mods=()
while [ "$1" != "--" ]; do mods+=("$1"); shift; done
shift
[ "$(id -u)" = 0 ] || { echo "run as root (tcpdump)" >&2; exit 1; }
for t in tcpdump curl python3; do command -v $t >/dev/null || { echo "missing $t" >&2; exit 1; }; done
imports=$(IFS=,; echo "${mods[*]}")
python3 -c "import ${imports//,/, }" || { echo "pip install ${mods[*]}" >&2; exit 1; }
if [ $# -eq 0 ]; then rm -f ./*.pcap; fi
python3 tools/corpus.py "$@"
if command -v tshark >/dev/null; then python3 tools/verify.py; fi
