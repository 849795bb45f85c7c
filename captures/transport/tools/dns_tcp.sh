#!/usr/bin/env bash
# dns-tcp.pcap: DNS over TCP from real implementations. dnsmasq answers on
# 127.0.0.1:46053 (TCP and UDP); dig asks it over TCP, two questions on one
# kept-open connection; then a plain TCP connection to the answered address
# 127.0.0.3:46092 carries no SNI and no Host, so only the DNS answer names it.
# Needs: dnsmasq (dnsmasq-base), dig (dnsutils), tcpdump, python3. Run as root.
set -euo pipefail
OUT=$1
W=$(mktemp -d /tmp/wc-dnstcp.XXXXXX)
trap 'kill $(cat "$W"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$W"' EXIT
dnsmasq --no-daemon --no-resolv --no-hosts --port=46053 --listen-address=127.0.0.1 --bind-interfaces \
    --address=/tcp-naming.wirecheck.test/127.0.0.3 --address=/tcp-naming.wirecheck.test/::3 \
    --pid-file="$W/dnsmasq.pid" >/dev/null 2>&1 &
python3 - "$W" <<'PY' &
import socket, sys, os
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.3", 46092))
listener.listen(1)
open(os.path.join(sys.argv[1], "server.pid"), "w").write(str(os.getpid()))
connection, _ = listener.accept()
connection.recv(1024)
connection.sendall(b"ok\n")
connection.close()
PY
sleep 1
tcpdump -i lo --immediate-mode -U -w "$OUT" 'tcp port 46053 or tcp port 46092' >/dev/null 2>&1 &
echo $! > "$W/tcpdump.pid"
sleep 1
dig +tcp +keepopen +tries=1 +time=3 @127.0.0.1 -p 46053 tcp-naming.wirecheck.test A tcp-naming.wirecheck.test AAAA >/dev/null
address=$(dig +tcp +short @127.0.0.1 -p 46053 tcp-naming.wirecheck.test A | head -1)
python3 -c "
import socket
with socket.create_connection(('$address', 46092)) as c:
    c.sendall(b'HELLO wirecheck\n'); c.recv(16)
"
sleep 1
kill "$(cat "$W/tcpdump.pid")" 2>/dev/null || true
sleep 0.5
