#!/usr/bin/env bash
# Installs what building and testing wirecheck needs on a fresh Debian 12
# machine that has only Swift and Python. Safe to run again.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/apt-lib.sh"
install_missing libpcap-dev zlib1g-dev libbrotli-dev pkg-config

# The report-schema test validates with the reference `jsonschema` implementation.
if ! python3 -c 'import jsonschema' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check jsonschema
fi
