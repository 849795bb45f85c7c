#!/usr/bin/env bash
# Installs what `make bench` needs beyond the build: the peers it runs beside
# wirecheck (tshark, ndpiReader), the tools that record its seed captures, and
# GNU time for peak memory. Safe to run again.
set -euo pipefail
need=()
for pkg in tshark libndpi-bin tcpdump openssl curl iproute2 time dnsutils gcc libpcap-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -c 'import requests' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check requests
