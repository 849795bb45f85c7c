#!/usr/bin/env python3
"""Send (or receive) UDP datagrams large enough to be IP-fragmented.

usage: udpfrag.py send 4|6 DSTADDR PORT LEN [LEN...]
       udpfrag.py recv 4|6 BINDADDR PORT COUNT
Payload of a datagram of length N: bytes 0x00..0xFF repeated, truncated to N
(byte i has value i % 256).  The sender disables path-MTU discovery
(IP_PMTUDISC_DONT / IPV6_PMTUDISC_DONT) so the kernel fragments locally.
"""
import socket, sys, time

IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0
IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DONT = 23, 0

def payload(n):
    return bytes(i % 256 for i in range(n))

mode, fam, addr, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
af = socket.AF_INET if fam == "4" else socket.AF_INET6
s = socket.socket(af, socket.SOCK_DGRAM)
if mode == "send":
    if af == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DONT)
    for n in sys.argv[5:]:
        s.sendto(payload(int(n)), (addr, port))
        time.sleep(0.2)
else:
    s.bind((addr, port))
    s.settimeout(10)
    for _ in range(int(sys.argv[5])):
        data, peer = s.recvfrom(65535)
        ok = data == payload(len(data))
        print(f"received {len(data)} bytes from {peer[0]} pattern_ok={ok}", flush=True)
