#!/usr/bin/env python3
"""Real exchange for dns-naming.pcap: a DNS responder on 127.0.0.1:53 answers
naming.wirecheck.test with 127.0.0.2; a client resolves it over UDP, then opens
a plain TCP connection to 127.0.0.2:46090 that carries no SNI and no Host."""
import socket, struct, threading, time

def responder(sock):
    data, peer = sock.recvfrom(512)
    ident, flags, qd = struct.unpack("!HHH", data[:6])
    question_end = 12
    while data[question_end] != 0:
        question_end += 1 + data[question_end]
    question = data[12:question_end + 5]
    answer = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton("127.0.0.2")
    sock.sendto(struct.pack("!HHHHHH", ident, 0x8180, 1, 1, 0, 0) + question + answer, peer)

def tcp_server(listener):
    connection, _ = listener.accept()
    connection.recv(1024)
    connection.sendall(b"ok\n")
    connection.close()

udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 53))
threading.Thread(target=responder, args=(udp,), daemon=True).start()
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.2", 46090))
listener.listen(1)
threading.Thread(target=tcp_server, args=(listener,), daemon=True).start()

query = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
for label in b"naming.wirecheck.test".split(b"."):
    query += bytes([len(label)]) + label
query += b"\x00" + struct.pack("!HH", 1, 1)
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.sendto(query, ("127.0.0.1", 53))
reply, _ = client.recvfrom(512)
address = socket.inet_ntoa(reply[-4:])
with socket.create_connection((address, 46090)) as connection:
    connection.sendall(b"HELLO wirecheck\n")
    connection.recv(16)
time.sleep(0.2)
