#!/usr/bin/env bash
# Installs what building and testing wirecheck needs on a fresh Debian 12
# machine that has only Swift and Python. Safe to run again.
set -euo pipefail
need=()
for pkg in libpcap-dev zlib1g-dev libbrotli-dev pkg-config; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The report-schema test validates with the reference `jsonschema` implementation.
if ! python3 -c 'import jsonschema' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check jsonschema
fi
