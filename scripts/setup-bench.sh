#!/usr/bin/env bash
# Installs what `make bench` needs beyond the build: the peers it runs beside
# wirecheck (tshark, ndpiReader), the tools that record its seed captures, and
# GNU time for peak memory. Safe to run again.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/apt-lib.sh"
install_missing tshark libndpi-bin tcpdump openssl curl iproute2 time dnsutils gcc libpcap-dev
python3 -c 'import requests' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check requests
# simdjson (pysimdjson) parses scan-bench's JSON bodies as a floor beside the scanner; optional.
python3 -c 'import simdjson' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pysimdjson \
    || echo "setup-bench: pysimdjson not installed; the simdjson reference will be skipped" >&2
