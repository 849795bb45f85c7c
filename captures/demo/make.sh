#!/usr/bin/env bash
# Builds the demo capture the README's first command inspects: a pcapng that
# merges real captures from the other groups (several servers, TLS 1.0 to 1.3,
# TLCP, a weak key, a SHA-1 chain, a refused handshake and plaintext HTTP).
# Needs mergecap (apt: wireshark-common / tshark).
set -euo pipefail
cd "$(dirname "$0")"
mergecap -F pcapng -w demo.pcapng \
    ../openssl/tls13-default.pcap \
    ../openssl/tls12-ecdhe-rsa2048-gcm.pcap \
    ../openssl/tls12-rsa1024.pcap \
    ../openssl/chain-sha1.pcap \
    ../openssl/tls10-rsa2048.pcap \
    ../openssl/tls-refused.pcap \
    ../legacy-tlcp/tlcp-ecc-sm4-gcm-sm3.pcap \
    ../transport/plaintext-http.pcap
