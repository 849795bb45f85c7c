#!/bin/sh
# Regenerates the ProtocolHTTP fixtures from real loopback traffic.
# Needs: python3 with brotli and websockets (pip install brotli websockets),
# curl, tcpdump, tshark. Servers listen on 127.0.0.1:49200-49202 only.
# Each fixture is one TCP connection: one line per segment with payload,
# "<frame number> <C|S> <payload hex>", C = client to server.
set -eu
cd "$(dirname "$0")"
WORK=$(mktemp -d)
python3 servers.py > "$WORK/servers.log" 2>&1 &
SERVERS=$!
trap 'kill $SERVERS 2>/dev/null; rm -rf "$WORK"' EXIT
sleep 1

capture() { # name command...
    name=$1; shift
    tcpdump -i lo -U -s 0 -w "$WORK/$name.pcap" 'tcp portrange 49200-49202' > /dev/null 2>&1 &
    dump=$!
    sleep 0.5
    "$@" > /dev/null 2>&1 || true
    sleep 1
    kill -INT $dump; wait $dump 2>/dev/null || true
    tshark -r "$WORK/$name.pcap" -Y 'tcp.len > 0 && tcp.stream == 0' \
        -T fields -e frame.number -e tcp.dstport -e tcp.seq -e tcp.len -e tcp.payload |
        awk '{
            # Drop loopback retransmissions: keep only bytes past the
            # highest sequence number already written for that direction.
            dir = ($2 >= 49200 && $2 <= 49202) ? "C" : "S"
            seq = $3; len = $4; data = $5
            if (!(dir in next_seq)) next_seq[dir] = seq
            if (seq + len <= next_seq[dir]) next
            if (seq < next_seq[dir]) { data = substr(data, 2 * (next_seq[dir] - seq) + 1); seq = next_seq[dir] }
            next_seq[dir] = seq + length(data) / 2
            print $1, dir, data
        }' > "$name.stream"
    echo "$name: $(wc -l < "$name.stream") segments"
}

U=http://127.0.0.1:49200
printf '{"idcard":"110101199003074258","name":"test"}' > "$WORK/form.json"
head -c 3000 /dev/urandom > "$WORK/blob.bin"

capture chunked curl -s "$U/chunked"
capture encodings curl -s --compressed "$U/gzip" "$U/deflate-zlib" "$U/deflate-raw" "$U/br" "$U/gzip-br"
capture head curl -s -I "$U/etag?x=1"
capture pipelined python3 clients.py pipelined
capture slow python3 clients.py slow
capture http10 curl -s -0 "http://127.0.0.1:49201/old?mac=00:1a:2b:3c:4d:5e"
capture upload curl -s -H 'Expect: 100-continue' -F 'phone=13812345678' -F "profile=@$WORK/form.json;type=application/json" "$U/upload"
capture chunkedupload curl -s -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/blob.bin" "$U/echo"
capture ws_raw python3 clients.py ws_raw
capture ws_deflate python3 clients.py ws_deflate
