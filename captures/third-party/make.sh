#!/usr/bin/env bash
# Regenerates captures/third-party/: every *.pcap, declared/*, and expectations.yaml.
#
# Needs (installs nothing itself):
#   apt: tcpdump tshark tcpreplay (tcprewrite) iproute2 curl openssl python3
#        libreoffice-calc-nogui (or libreoffice-calc: soffice, only for declared/complete.xlsx)
#   pip: requests dnspython openpyxl pyyaml
# Run as root (network namespaces, tcpdump). All traffic stays inside the namespaces wc-tp-app and
# wc-tp-srv created here (198.18.0.0/15 only, ports 53/80/443) and removed again on exit; the
# documented hard-coded HTTPDNS addresses are rewritten in afterwards (see tools/net.py).
# Idempotent: rewrites every output. Payloads are fixed; client ports, timestamps, TCP sequence
# numbers, DNS ids and TLS randoms change between runs (expectations.yaml is regenerated from the
# captures, and checks them).
#   ./make.sh                 rebuild everything
#   ./make.sh FILE.pcap ...   rebuild only these captures (declared files and expectations too)
#   ./make.sh --verify        only check the existing files and rewrite expectations.yaml
set -euo pipefail
export LC_ALL=C.UTF-8
HERE=$(cd "$(dirname "$0")" && pwd)
T=$HERE/tools
C=$HERE/certs
cd "$HERE"

if [ "${1:-}" = "--verify" ]; then exec python3 "$T/expect.py" "$HERE"; fi
[ "$(id -u)" = 0 ] || { echo "run as root (namespaces, tcpdump)" >&2; exit 1; }
for t in ip tcpdump tshark tcprewrite curl openssl python3 soffice; do
    command -v $t >/dev/null || { echo "missing $t (see the list at the top of make.sh)" >&2; exit 1; }
done
python3 -c 'import requests, dns.message, openpyxl, yaml' ||
    { echo "pip install requests dnspython openpyxl pyyaml" >&2; exit 1; }

W=$(mktemp -d /tmp/wc-tp.XXXXXX)
SRV_PID=""
CAP_PID=""
cleanup() {
    [ -n "$CAP_PID" ] && kill -INT "$CAP_PID" 2>/dev/null || true
    [ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null || true
    ip netns del wc-tp-app 2>/dev/null || true
    ip netns del wc-tp-srv 2>/dev/null || true
    rm -rf /etc/netns/wc-tp-app
}
trap 'cleanup; rm -rf "$W"' EXIT

# ------------------------------------------------------------------ certificates (made once)
# A local CA and one leaf per server name or address, RSA 2048 / SHA-256, valid 20 years, all
# leaves sharing certs/server.key. Committed: a rerun reuses them, so the keys stay fixed.
mkdir -p "$C"
if [ ! -f "$C/ca.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 7300 -keyout "$C/ca.key" -out "$C/ca.pem" \
        -subj "/C=CN/O=wirecheck test CA/CN=wirecheck third-party corpus root" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
fi
[ -f "$C/server.key" ] || openssl genrsa -out "$C/server.key" 2048 2>/dev/null
for n in $(python3 -c "import sys; sys.path.insert(0,'$T'); import net; print(' '.join(net.cert_names()))"); do
    [ -f "$C/$n.pem" ] && continue
    if [[ $n =~ ^[0-9.]+$ ]]; then san="IP:$n"; else san="DNS:$n"; fi
    openssl req -new -key "$C/server.key" -subj "/CN=$n" -out "$W/$n.csr" 2>/dev/null
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n' "$san" >"$W/ext"
    openssl x509 -req -in "$W/$n.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial -days 7300 \
        -sha256 -extfile "$W/ext" -out "$C/$n.pem" 2>/dev/null
done
rm -f "$C/ca.srl"

# ------------------------------------------------------------------ namespaces
cleanup
ip netns add wc-tp-app
ip netns add wc-tp-srv
for n in wc-tp-app wc-tp-srv; do
    ip -n $n link set lo up
    ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add tpa0 netns wc-tp-app type veth peer name tps0 netns wc-tp-srv
ip -n wc-tp-app link set tpa0 address 02:74:70:00:00:02
ip -n wc-tp-srv link set tps0 address 02:74:70:00:00:01
ip -n wc-tp-app addr add 198.18.0.2/24 dev tpa0
ip -n wc-tp-srv addr add 198.18.0.1/24 dev tps0
for a in $(python3 -c "import sys; sys.path.insert(0,'$T'); import net; print(' '.join(net.server_addrs()))"); do
    ip -n wc-tp-srv addr add "$a/32" dev tps0
done
ip -n wc-tp-app link set tpa0 up
ip -n wc-tp-srv link set tps0 up
ip -n wc-tp-app route add 198.18.0.0/15 via 198.18.0.1
mkdir -p /etc/netns/wc-tp-app            # glibc inside wc-tp-app asks the corpus DNS server
printf 'nameserver 198.18.0.53\noptions timeout:2 attempts:2\n' >/etc/netns/wc-tp-app/resolv.conf

rm -f "$W/ready"
ip netns exec wc-tp-srv python3 "$T/servers.py" "$C" "$W/ready" &
SRV_PID=$!
for _ in $(seq 100); do [ -f "$W/ready" ] && break; sleep 0.1; done
[ -f "$W/ready" ] || { echo "servers did not start" >&2; exit 1; }

# ------------------------------------------------------------------ captures
capture() {  # NAME: run the app's steps for NAME under tcpdump on the phone's interface
    local name=$1
    rm -f "$W/cap.err" "$W/raw.pcap"
    ip netns exec wc-tp-app tcpdump -i tpa0 --immediate-mode -U -s 0 -w "$W/raw.pcap" \
        'not arp and not icmp6' 2>"$W/cap.err" &
    CAP_PID=$!
    for _ in $(seq 50); do grep -q "listening on" "$W/cap.err" 2>/dev/null && break; sleep 0.1; done
    sleep 0.5
    ip netns exec wc-tp-app python3 "$T/app.py" "$C" "$name"
    sleep 1
    kill -INT "$CAP_PID"; wait "$CAP_PID" || true; CAP_PID=""
    # stand-ins -> documented hard-coded addresses (see tools/net.py), checksums fixed
    tcprewrite --pnat=198.19.203.1/32:203.107.1.1/32,198.19.119.98/32:119.29.29.98/32,198.19.180.200/32:180.76.76.200/32 \
        --fixcsum -i "$W/raw.pcap" -o "$HERE/$name"
    echo "made $name ($(stat -c %s "$HERE/$name") bytes)"
}

if [ $# -gt 0 ]; then names=("$@"); else
    mapfile -t names < <(python3 -c "import sys; sys.path.insert(0,'$T'); import scenarios; print('\n'.join(scenarios.ORDER))")
    rm -f ./*.pcap
fi
for n in "${names[@]}"; do capture "$n"; done

# ------------------------------------------------------------------ declared lists
python3 "$T/declared.py" "$HERE/declared"

# ------------------------------------------------------------------ check and write expectations
python3 "$T/expect.py" "$HERE"
