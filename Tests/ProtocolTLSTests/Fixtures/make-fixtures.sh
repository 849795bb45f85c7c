#!/usr/bin/env bash
# Regenerates the handshake fixtures from real OpenSSL handshakes on loopback.
#
# Needs: openssl (s_server/s_client), tcpdump (root), tshark (4.0 has JA3),
# python3. Uses 127.0.0.1 ports 46501-46509 only.
#
# For every scenario it captures one connection, then asks tshark (with the
# client's key log, so TLS 1.3's encrypted messages are decrypted) for every
# handshake message's raw bytes ("tls.handshake_raw", i.e. the 4-byte
# type+length header followed by the body). Each message is written as
# `<scenario>.<type>[.<n>].hex` (lowercase hex, one line). tshark's own
# decoding of the fields the tests check is written to `<scenario>.tshark`
# (`field=value,value` lines) so the tests can compare against it.
#
# The fixtures in git were made with OpenSSL 3.0.19 and tshark 4.0.17; keys
# and randoms differ on every run, the fingerprints do not.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"

openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 \
    -subj "/CN=wirecheck test CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj "/CN=example.com" 2>/dev/null
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -out leaf.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=client" 2>/dev/null
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -out client.pem 2>/dev/null

# scenario PORT NAME "server options" "client options"
scenario() {
    local port=$1 name=$2 sopts=$3 copts=$4
    tcpdump -i lo --immediate-mode -U -s 0 -w "$name.pcap" "tcp port $port and host 127.0.0.1" >/dev/null 2>"$name.tcpdump.log" &
    local tp=$!
    local tries=0
    until grep -q "listening on" "$name.tcpdump.log" 2>/dev/null; do
        sleep 0.2
        tries=$((tries + 1))
        [ "$tries" -lt 50 ] || { echo "tcpdump did not start" >&2; exit 1; }
    done
    # shellcheck disable=SC2086
    openssl s_server -accept "127.0.0.1:$port" -cert leaf.pem -key leaf.key -cert_chain ca.pem \
        -naccept 1 -quiet $sopts >/dev/null 2>&1 &
    local sp=$!
    sleep 0.7
    # shellcheck disable=SC2086
    echo | timeout 5 openssl s_client -connect "127.0.0.1:$port" -keylogfile "$name.keys" $copts \
        >/dev/null 2>&1 || true
    sleep 1.5
    kill "$sp" 2>/dev/null || true
    kill -INT "$tp" 2>/dev/null || true
    wait "$tp" 2>/dev/null || true
    touch "$name.keys"
    tshark -r "$name.pcap" -o "tls.keylog_file:$name.keys" -T json -x --no-duplicate-keys \
        > "$name.json" 2>/dev/null
    python3 - "$name" "$here" <<'PY'
import json, sys, collections
name, out = sys.argv[1], sys.argv[2]
seen = collections.Counter()
def walk(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "tls.handshake_raw":
                raws = value if isinstance(value[0], list) else [value]
                for raw in raws:
                    yield raw[0]
            else:
                yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)
for hexbytes in walk(json.load(open(name + ".json"))):
    kind = int(hexbytes[0:2], 16)
    length = int(hexbytes[2:8], 16)
    if len(hexbytes) != 2 * (4 + length):
        continue  # a fragment tshark could not reassemble
    seen[kind] += 1
    suffix = "" if seen[kind] == 1 else ".%d" % seen[kind]
    with open("%s/%s.%d%s.hex" % (out, name, kind, suffix), "w") as f:
        f.write(hexbytes + "\n")
PY
    [ -s "$here/$name.1.hex" ] || { echo "$name: no ClientHello captured" >&2; exit 1; }
    # tshark's decoding, first matching message per field.
    : > "$here/$name.tshark"
    local f
    for f in tls.handshake.ja3 tls.handshake.ja3_full tls.handshake.ja3s tls.handshake.version \
             tls.handshake.ciphersuite tls.handshake.comp_method tls.handshake.extension.type \
             tls.handshake.extensions_server_name tls.handshake.extensions_alpn_str \
             tls.handshake.extensions.supported_version tls.handshake.extensions_supported_group \
             tls.handshake.extensions_ec_point_format tls.handshake.sig_hash_alg \
             tls.handshake.extensions_key_share_group tls.handshake.certificate_length \
             tls.handshake.server_curve_type tls.handshake.server_named_curve tls.handshake.p_len \
             tls.handshake.g_len tls.handshake.sig_len tls.handshake.cert_type \
             tls.handshake.client_cert_vrfy.sig_len; do
        local v
        v="$(tshark -r "$name.pcap" -o "tls.keylog_file:$name.keys" -Y "$f" -T fields -e "$f" \
            -E occurrence=a -E aggregator=, 2>/dev/null | awk 'NF' | head -n 1)"
        [ -n "$v" ] && echo "$f=$v" >> "$here/$name.tshark"
    done
    return 0
}

rm -f "$here"/*.hex "$here"/*.tshark
# TLS 1.3, default client with ALPN and SNI; server asks for (optional) client cert.
scenario 46501 tls13 "-verify 1" "-servername example.com -alpn h2,http/1.1"
# TLS 1.2 only, ECDHE-RSA, server requests a client certificate, client sends one.
scenario 46502 tls12 "-verify 1" "-tls1_2 -servername example.com -cert client.pem -key client.key"
# TLS 1.2, DHE-RSA (OpenSSL's automatic DH group).
scenario 46503 tls12dhe "-cipher DHE-RSA-AES128-GCM-SHA256" "-tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256"
# TLS 1.0 ClientHello (server may refuse; only the ClientHello matters).
scenario 46504 tls10 "-cipher DEFAULT:@SECLEVEL=0" "-tls1 -cipher DEFAULT:@SECLEVEL=0"
# HelloRetryRequest: the server only accepts P-384, the client's first key share is X25519.
scenario 46505 hrr "-groups P-384" "-servername example.com"
ls "$here"
