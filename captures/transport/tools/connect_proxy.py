#!/usr/bin/env python3
"""A minimal HTTP CONNECT proxy for connect-proxy.pcap: accepts one CONNECT,
answers 200, then relays bytes to 127.0.0.1:<target port> whatever host the
client named. Usage: connect_proxy.py LISTEN_PORT TARGET_PORT"""
import select, socket, sys

listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", listen_port))
server.listen(1)
client, _ = server.accept()
request = b""
while b"\r\n\r\n" not in request:
    chunk = client.recv(4096)
    if not chunk:
        sys.exit(1)
    request += chunk
upstream = socket.create_connection(("127.0.0.1", target_port))
client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
sockets = [client, upstream]
while True:
    readable, _, _ = select.select(sockets, [], [], 5)
    if not readable:
        break
    done = False
    for sock in readable:
        data = sock.recv(65536)
        if not data:
            done = True
            break
        (upstream if sock is client else client).sendall(data)
    if done:
        break
client.close()
upstream.close()
