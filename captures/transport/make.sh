#!/usr/bin/env bash
# Regenerates every capture in captures/transport/ and then expected.yaml.
#
# Needs (installs nothing itself):
#   apt: tcpdump tshark (editcap, mergecap, capinfos, dumpcap) iproute2 openssl curl python3
# Must run as root (network namespaces). All traffic stays inside namespaces
# wc-c / wc-s / wc-w created here (10.77.0.0/16, fd77::/64, TCP/UDP ports
# 46000-46499) and is removed again on exit. Re-running overwrites the files.
#
# The capture VM's kernel has no netem qdisc and no 8021q / ipip / sit modules,
# so reordering/duplication, VLAN tags and the tunnel are provided by
# tools/wire.py (user-space forwarder between real TAP/TUN devices); tcpdump
# still captures on real kernel interfaces.
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
T=$HERE/tools
W=$(mktemp -d /tmp/wc-transport.XXXXXX)
NSS="wc-c wc-s wc-w"
WIRE_PID=""
CAP_PID=""

cleanup() {
    [ -n "$CAP_PID" ] && kill -INT "$CAP_PID" 2>/dev/null || true
    [ -n "$WIRE_PID" ] && kill "$WIRE_PID" 2>/dev/null || true
    WIRE_PID=""; CAP_PID=""
    for n in $NSS; do ip netns del "$n" 2>/dev/null || true; done
}
trap 'cleanup; rm -rf "$W"' EXIT

CIPHER=ECDHE-RSA-AES128-GCM-SHA256
SIGALGS=rsa_pss_rsae_sha256:rsa_pkcs1_sha256:ecdsa_secp256r1_sha256

# --- certificate: RSA 2048, sha256WithRSAEncryption, self-signed, valid 10 years from now
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 3650 \
    -subj "/CN=transport.wirecheck.test" -addext "subjectAltName=DNS:*.wirecheck.test" \
    -keyout "$W/key.pem" -out "$W/cert.pem" 2>/dev/null

ns_fresh() {  # create wc-c and wc-s (and wc-w) with lo up; IPv6 off unless $1 = v6
    cleanup
    for n in $NSS; do
        ip netns add "$n"
        ip -n "$n" link set lo up
        if [ "${1:-}" != v6 ] || [ "$n" = wc-w ]; then
            ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        fi
    done
}

env_veth() {  # plain veth pair wc-c:wcc0 (10.77.0.1, fd77::1) <-> wc-s:wcs0 (10.77.0.2, fd77::2)
    ns_fresh "${1:-}"
    ip link add wcc0 netns wc-c type veth peer name wcs0 netns wc-s
    ip -n wc-c addr add 10.77.0.1/24 dev wcc0
    ip -n wc-s addr add 10.77.0.2/24 dev wcs0
    if [ "${1:-}" = v6 ]; then
        ip -n wc-c addr add fd77::1/64 dev wcc0 nodad
        ip -n wc-s addr add fd77::2/64 dev wcs0 nodad
    fi
    ip -n wc-c link set wcc0 up
    ip -n wc-s link set wcs0 up
}

env_wire() {  # TAP/TUN endpoints joined by tools/wire.py; args passed to wire.py
    local mode=$1; shift
    ns_fresh
    rm -f "$W/wire.ready"
    if [ "$mode" = tun ]; then
        python3 "$T/wire.py" --a wc-c:wctun0 --b wc-s:wctun0 --tun --ready "$W/wire.ready" "$@" &
    else
        ip -n wc-w link add wcwa type veth peer name wcwb
        ip -n wc-w link set wcwa up
        ip -n wc-w link set wcwb up
        python3 "$T/wire.py" --a wc-c:wctap0 --b wc-s:wctap0 --mid wc-w:wcwa:wcwb --ready "$W/wire.ready" "$@" &
    fi
    WIRE_PID=$!
    for _ in $(seq 50); do [ -f "$W/wire.ready" ] && break; sleep 0.1; done
    [ -f "$W/wire.ready" ] || { echo "wire.py did not start" >&2; exit 1; }
    local dev=wctap0; [ "$mode" = tun ] && dev=wctun0
    if [ "$mode" = tun ]; then
        ip -n wc-c addr add 10.77.2.1 peer 10.77.2.2 dev $dev
        ip -n wc-s addr add 10.77.2.2 peer 10.77.2.1 dev $dev
    else
        ip -n wc-c link set $dev address 02:77:00:00:01:01
        ip -n wc-s link set $dev address 02:77:00:00:01:02
        ip -n wc-c addr add 10.77.1.1/24 dev $dev
        ip -n wc-s addr add 10.77.1.2/24 dev $dev
    fi
    ip -n wc-c link set $dev up
    ip -n wc-s link set $dev up
}

cap_start() {  # ns program file args... ; program = tcpdump|dumpcap
    local ns=$1 prog=$2 file=$3; shift 3
    rm -f "$file" "$W/cap.err"
    if [ "$prog" = dumpcap ]; then
        ip netns exec "$ns" dumpcap -q -w "$file" "$@" 2>"$W/cap.err" &
    else
        ip netns exec "$ns" tcpdump --immediate-mode -U -w "$file" "$@" 2>"$W/cap.err" &
    fi
    CAP_PID=$!
    for _ in $(seq 50); do grep -qi "listening on\|capturing on" "$W/cap.err" 2>/dev/null && break; sleep 0.1; done
    sleep 0.3
}

cap_stop() {
    sleep 1
    kill -INT "$CAP_PID"; wait "$CAP_PID" || true; CAP_PID=""
}

wait_listen() {  # ns proto(t|u) port
    for _ in $(seq 100); do
        [ -n "$(ip netns exec "$1" ss -Hl"$2"n "sport = :$3")" ] && return 0
        sleep 0.05
    done
    echo "nothing listening on $3 in $1" >&2; exit 1
}

# One TLS 1.2 connection: s_server in wc-s, s_client in wc-c.
# tls_session NAME SERVER_ADDR PORT FAMILY(4|6) [NLINES]
# The client sends NLINES lines (one record each, 0.3 s apart), the server answers
# with NLINES lines, then the client closes (close_notify, encrypted).
tls_session() {
    local name=$1 addr=$2 port=$3 fam=$4 n=${5:-1} host
    host=$addr; [ "$fam" = 6 ] && host="[$addr]"
    ( sleep 2; for i in $(seq "$n"); do echo "server line $i for $name"; sleep 0.3; done; sleep 5 ) |
        ip netns exec wc-s openssl s_server -"$fam" -accept "$port" -cert "$W/cert.pem" -key "$W/key.pem" \
            -tls1_2 -cipher $CIPHER -naccept 1 >"$W/srv.log" 2>&1 &
    local spid=$!
    wait_listen wc-s t "$port"
    ( sleep 0.2; for i in $(seq "$n"); do echo "client line $i for $name"; sleep 0.3; done; sleep 3 ) |
        ip netns exec wc-c openssl s_client -connect "$host:$port" -servername "$name.wirecheck.test" \
            -tls1_2 -cipher $CIPHER -curves prime256v1 -sigalgs $SIGALGS >"$W/cli.log" 2>&1 || true
    wait "$spid" || true
    grep -q "Cipher is $CIPHER" "$W/cli.log" || { echo "TLS session $name failed" >&2; cat "$W/cli.log" >&2; exit 1; }
}

cd "$HERE"
rm -f ./*.pcap ./*.pcapng

# ---------------------------------------------------------------- plain veth captures
env_veth v6

# 4. pcapng written by dumpcap, with a capture comment
cap_start wc-c dumpcap "$W/tls12.pcapng" -i wcc0 -f "not ip6"
tls_session tls12 10.77.0.2 46010 4
cap_stop
editcap --capture-comment "wirecheck transport corpus: TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256 over veth, written by dumpcap" \
    "$W/tls12.pcapng" tls12.pcapng

# 4b. pcap with nanosecond timestamps (magic a1b23c4d)
cap_start wc-c tcpdump "$W/nano.pcap" -i wcc0 --time-stamp-precision=nano not ip6
tls_session tls12-nanosec 10.77.0.2 46011 4
cap_stop
cp "$W/nano.pcap" tls12-nanosec.pcap

# 7. IPv6
cap_start wc-c tcpdump "$W/ipv6.pcap" -i wcc0 ip6
tls_session ipv6 fd77::2 46012 6
cap_stop
cp "$W/ipv6.pcap" ipv6.pcap

# 3. cooked captures on the "any" device
cap_start wc-c tcpdump "$W/sll2.pcap" -i any -y LINUX_SLL2 not ip6
tls_session sll2 10.77.0.2 46013 4
cap_stop
cp "$W/sll2.pcap" sll2.pcap
cap_start wc-c tcpdump "$W/sll.pcap" -i any -y LINUX_SLL not ip6
tls_session sll 10.77.0.2 46014 4
cap_stop
cp "$W/sll.pcap" sll.pcap

# 10. source for the DLT_NULL conversion: one IPv4 and one IPv6 connection
cap_start wc-c tcpdump "$W/null-src.pcap" -i wcc0 tcp
tls_session nullloop 10.77.0.2 46015 4
tls_session nullloop fd77::2 46016 6
cap_stop
python3 "$T/to_null.py" "$W/null-src.pcap" nullloop.pcap

# 9. bad-input captures (from their own connections)
cap_start wc-c tcpdump "$W/trunc-src.pcap" -i wcc0 not ip6
tls_session truncated 10.77.0.2 46017 4 3
cap_stop
cap_start wc-c tcpdump "$W/corrupt-src.pcap" -i wcc0 not ip6
tls_session corrupt-record 10.77.0.2 46018 4 3
cap_stop
# the cut / the corruption goes into the first Application Data record sent by the server
# (after the handshake is complete)
first_srv_appdata() {
    tshark -r "$1" -Y "tls.record.content_type == 23 && tcp.srcport == $2" -T fields -e frame.number 2>/dev/null | head -1
}
n=$(first_srv_appdata "$W/trunc-src.pcap" 46017)
read -r off incl < <(python3 "$T/pcaprec.py" offset "$W/trunc-src.pcap" "$n")
head -c $((off + 16 + incl / 2)) "$W/trunc-src.pcap" > truncated.pcap
echo "$n" > "$W/truncated.recno"
n=$(first_srv_appdata "$W/corrupt-src.pcap" 46018)
python3 "$T/pcaprec.py" corrupt "$W/corrupt-src.pcap" corrupt-record.pcap "$n" 0x7FFFFFF0
echo "$n" > "$W/corrupt.recno"

# 8. IP fragments: UDP datagrams sent with PMTU discovery off over MTU 1500 veth
ip netns exec wc-s python3 "$T/udpfrag.py" recv 4 10.77.0.2 46100 2 >"$W/frag4.log" &
rpid=$!
wait_listen wc-s u 46100
cap_start wc-c tcpdump "$W/frag4.pcap" -i wcc0 ip
ip netns exec wc-c python3 "$T/udpfrag.py" send 4 10.77.0.2 46100 4000 3000
wait "$rpid"
cap_stop
cp "$W/frag4.pcap" ipv4-fragments.pcap
ip netns exec wc-s python3 "$T/udpfrag.py" recv 6 fd77::2 46101 2 >"$W/frag6.log" &
rpid=$!
wait_listen wc-s u 46101
cap_start wc-c tcpdump "$W/frag6.pcap" -i wcc0 "ip6 and not icmp6"
ip netns exec wc-c python3 "$T/udpfrag.py" send 6 fd77::2 46101 4000 3000
wait "$rpid"
cap_stop
cp "$W/frag6.pcap" ipv6-fragments.pcap
cat "$W/frag4.log" "$W/frag6.log"

# 11. plaintext HTTP/1.1 on loopback inside wc-c
mkdir -p "$W/www"
( cd "$W/www" && echo "hello from wirecheck plaintext test" > index.txt && exec ip netns exec wc-c python3 -m http.server 46080 --bind 127.0.0.1 ) >"$W/http.log" 2>&1 &
hpid=$!
wait_listen wc-c t 46080
cap_start wc-c tcpdump "$W/http.pcap" -i lo tcp port 46080
ip netns exec wc-c curl -s --http1.1 http://127.0.0.1:46080/index.txt >/dev/null
cap_stop
kill "$hpid"; wait "$hpid" 2>/dev/null || true
cp "$W/http.pcap" plaintext-http.pcap

# ---------------------------------------------------------------- impaired / tagged / tunnel paths
# 1. small MSS (route advmss 48) + netem-like reordering (30 %) and duplication (20 %), 5 ms delay,
#    applied by wire.py in both directions; captured on the middle veth (wc-w:wcwa)
env_wire tap --delay 5 --reorder 0.3 --dup 0.2 --seed 7
ip -n wc-c route add 10.77.1.2/32 dev wctap0 advmss 48
ip -n wc-s route add 10.77.1.1/32 dev wctap0 advmss 48
cap_start wc-w tcpdump "$W/seg.pcap" -i wcwa
tls_session segmented-reordered 10.77.1.2 46020 4
cap_stop
cp "$W/seg.pcap" segmented-reordered.pcap

# 5. 802.1Q VLAN 10, and QinQ (outer 802.1ad VLAN 100, inner 802.1Q VLAN 10), tags on the wire veth
env_wire tap --tags 8100:10
cap_start wc-w tcpdump "$W/vlan.pcap" -i wcwa
tls_session vlan 10.77.1.2 46021 4
cap_stop
cp "$W/vlan.pcap" vlan.pcap
env_wire tap --tags 88a8:100,8100:10
cap_start wc-w tcpdump "$W/qinq.pcap" -i wcwa
tls_session qinq 10.77.1.2 46022 4
cap_stop
cp "$W/qinq.pcap" qinq.pcap

# 2. midstream: server segments limited to 400 bytes (client advertises MSS 400), three
# client and three server data records; the file is cut so that it starts with the
# second TCP segment of the server's first flight (inside the Certificate record).
# (veth would hand tcpdump GSO super-frames, so this one goes over the TAP wire, where the
# kernel segments before the frame reaches the TAP device; captured on wc-c:wctap0)
env_wire tap
ip -n wc-c route add 10.77.1.2/32 dev wctap0 advmss 400
cap_start wc-c tcpdump "$W/mid-src.pcap" -i wctap0 tcp
tls_session midstream 10.77.1.2 46019 4 3
cap_stop
# first server data segment = ServerHello + start of Certificate; keep from the next one on
start=$(tshark -r "$W/mid-src.pcap" -Y "tcp.srcport == 46019 && tcp.len > 0" -T fields -e frame.number 2>/dev/null | sed -n 2p)
total=$(capinfos -c -M "$W/mid-src.pcap" | awk '/Number of packets/ {print $NF}')
editcap -F pcap -r "$W/mid-src.pcap" midstream.pcap "$start-$total"
echo "$start $total" > "$W/midstream.cut"

# 6. raw IP: captured on the TUN device (link type RAW)
env_wire tun
cap_start wc-c tcpdump "$W/rawip.pcap" -i wctun0
tls_session rawip 10.77.2.2 46023 4
cap_stop
cp "$W/rawip.pcap" rawip.pcap
cleanup

# merged pcapng with two link types (Ethernet ipv6.pcap + RAW rawip.pcap)
mergecap -F pcapng -w merged-linktypes.pcapng ipv6.pcap rawip.pcap
tcpdump -r merged-linktypes.pcapng > /dev/null 2> "$W/merged.err" || true
cat "$W/merged.err"

# facts for README / expected.yaml
echo "truncated: cut inside record $(cat "$W/truncated.recno")"
echo "corrupt-record: record $(cat "$W/corrupt.recno") incl_len := 0x7FFFFFF0"
echo "midstream: first kept frame, total frames of the source capture = $(cat "$W/midstream.cut")"
python3 "$T/expected.py" "$HERE" "$W" > expected.yaml
echo "done"

# dns-naming.pcap: a server named only by a DNS answer (see README.md). Its
# facts are fixed by the exchange, so its expected.yaml entry is static.
( tcpdump -i lo --immediate-mode -U -w "$HERE/dns-naming.pcap" 'udp port 53 or tcp port 46090' >/dev/null 2>&1 & echo $! > /tmp/wc-dns-tcpdump.pid )
sleep 1
python3 "$HERE/tools/dns_naming.py"
sleep 1
kill "$(cat /tmp/wc-dns-tcpdump.pid)" 2>/dev/null || true
rm -f /tmp/wc-dns-tcpdump.pid
# dns-tcp.pcap: DNS over TCP on a port that is not 53, from dnsmasq and dig (see README.md).
bash "$HERE/tools/dns_tcp.sh" "$HERE/dns-tcp.pcap"
# connect-proxy.pcap: TLS inside an HTTP CONNECT tunnel (see README.md).
openssl req -x509 -newkey rsa:1024 -nodes -keyout "$W/proxy.key" -out "$W/proxy.crt" -days 3650 \
    -subj /CN=proxied.wirecheck.test 2>/dev/null
( tcpdump -i lo --immediate-mode -U -w "$HERE/connect-proxy.pcap" 'tcp port 46100' >/dev/null 2>&1 & echo $! > /tmp/wc-proxy-tcpdump.pid )
sleep 1
openssl s_server -accept 46101 -cert "$W/proxy.crt" -key "$W/proxy.key" -tls1_2 -www -naccept 1 \
    -cipher 'DEFAULT:@SECLEVEL=0' >/dev/null 2>&1 &
python3 "$HERE/tools/connect_proxy.py" 46100 46101 &
sleep 1
curl -sk --max-time 5 -x http://127.0.0.1:46100 https://proxied.wirecheck.test:46101/ -o /dev/null
sleep 2
kill "$(cat /tmp/wc-proxy-tcpdump.pid)" 2>/dev/null || true
rm -f /tmp/wc-proxy-tcpdump.pid

# Byte-order and timestamp-resolution variants, converted from the captures above
# (Linux writes little-endian only): tshark reads them identically.
python3 "$HERE/tools/to_bigendian.py" "$HERE/tls12-nanosec.pcap" "$HERE/tls12-bigendian.pcap"
python3 "$HERE/tools/to_bigendian.py" "$HERE/tls12.pcapng" "$HERE/tls12-bigendian.pcapng"
editcap -F pcapng "$HERE/tls12-nanosec.pcap" "$HERE/tls12-nanosec.pcapng"

cat >> "$HERE/expected.yaml" <<'YAML'
  - file: dns-tcp.pcap
    link_type: EN10MB
    packets: 32
    handshakes: []
    server_names: [null, null, tcp-naming.wirecheck.test]
    findings: [WC-NET-002]
  - file: connect-proxy.pcap
    link_type: EN10MB
    packets: 17
    handshakes:
      - client_hello_packet: 8
        sni: proxied.wirecheck.test
        version: "TLS 1.2"
        cipher_suite: "0xC030"
        certificates:
          - {key_type: RSA, key_bits: 1024, signature: sha256WithRSAEncryption}
        client_certificates: []
        alert: null
    findings: [WC-CRT-001, WC-TLS-012]
  - file: tls12-bigendian.pcap
    link_type: EN10MB
    packets: 21
    first_time: "2026-11-23T03:48:27.246807244Z"
    handshakes:
      - client_hello_packet: 4
        sni: tls12-nanosec.wirecheck.test
        version: "TLS 1.2"
        cipher_suite: "0xC02F"
        certificates:
          - {key_type: RSA, key_bits: 2048, signature: sha256WithRSAEncryption}
        client_certificates: []
        alert: null
    findings: []
  - file: tls12-bigendian.pcapng
    link_type: EN10MB
    packets: 22
    first_time: "2026-11-23T03:48:18.525483288Z"
    handshakes:
      - client_hello_packet: 6
        sni: tls12.wirecheck.test
        version: "TLS 1.2"
        cipher_suite: "0xC02F"
        certificates:
          - {key_type: RSA, key_bits: 2048, signature: sha256WithRSAEncryption}
        client_certificates: []
        alert: null
    findings: []
  - file: tls12-nanosec.pcapng
    link_type: EN10MB
    packets: 21
    first_time: "2026-11-23T03:48:27.246807244Z"
    handshakes:
      - client_hello_packet: 4
        sni: tls12-nanosec.wirecheck.test
        version: "TLS 1.2"
        cipher_suite: "0xC02F"
        certificates:
          - {key_type: RSA, key_bits: 2048, signature: sha256WithRSAEncryption}
        client_certificates: []
        alert: null
    findings: []
  - file: dns-naming.pcap
    link_type: EN10MB
    packets: 12
    handshakes: []
    server_names: [null, "naming.wirecheck.test"]
    findings: [WC-NET-002]
YAML
