#!/usr/bin/env bash
# Regenerates captures/hostile/malformed-heads.pcap (requests whose heads a
# strict parser rejects, tools/malformed.py) and wire-names.pcap: PI and bidirectional controls
# in the strings a report shows as text (URL paths, JSON keys, form field and
# multipart names, the Host header, TLS SNI, DNS query names), made with real
# clients on loopback: python-requests and raw sockets (tools/client.py)
# against Python's http.server (tools/server.py), openssl s_client against
# openssl s_server, dig. Needs tcpdump, openssl, dig (bind9-dnsutils),
# python3 with requests. Run as root (tcpdump on lo). Nothing leaves 127.0.0.1.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/wc-hostile.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
HTTP=47101 TLS=47102 DNS=47103

openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 3650 -subj "/CN=names.wirecheck.test" \
    -keyout "$W/key.pem" -out "$W/cert.pem" 2>/dev/null
python3 "$HERE/tools/server.py" $HTTP & sleep 0.5
openssl s_server -quiet -accept $TLS -cert "$W/cert.pem" -key "$W/key.pem" -tls1_3 -naccept 3 </dev/null >/dev/null 2>&1 & sleep 0.5

tcpdump -i lo -w "$W/malformed.pcap" -U "port $HTTP" 2>/dev/null & CAP=$!
sleep 1
python3 "$HERE/tools/malformed.py" $HTTP
sleep 1
kill -INT $CAP; wait $CAP 2>/dev/null || true
cp "$W/malformed.pcap" "$HERE/malformed-heads.pcap"

tcpdump -i lo -w "$W/raw.pcap" -U "port $HTTP or port $TLS or port $DNS" 2>/dev/null & CAP=$!
sleep 1
python3 "$HERE/tools/client.py" $HTTP
# A phone number as a DNS query label, then as the SNI of a TLS 1.3 handshake to that name.
dig +tries=1 +time=1 @127.0.0.1 -p $DNS 18712345674.example.com A >/dev/null 2>&1 || true
echo | openssl s_client -connect 127.0.0.1:$TLS -servername 18712345674.example.com -tls1_3 >/dev/null 2>&1 || true
# An SNI with a phone label and no DNS query for it; one with a right-to-left override.
echo | openssl s_client -connect 127.0.0.1:$TLS -servername 18912345679.example.com -tls1_3 >/dev/null 2>&1 || true
echo | openssl s_client -connect 127.0.0.1:$TLS -servername "$(printf 'sdk.\xe2\x80\xaemoc.example.com')" -tls1_3 >/dev/null 2>&1 || true
sleep 1
kill -INT $CAP; wait $CAP 2>/dev/null || true
cp "$W/raw.pcap" "$HERE/wire-names.pcap"
echo "wrote $HERE/wire-names.pcap ($(stat -c %s "$HERE/wire-names.pcap") bytes)"
