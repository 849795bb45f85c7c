#!/usr/bin/env python3
"""SSL 2.0 server and client from scapy's TLS automata (scapy.layers.tls).

usage: sslv2_peer.py server PORT CERT KEY
       sslv2_peer.py client PORT [CIPHER ...]
scapy's TLSServerAutomaton answers an SSLv2 CLIENT-HELLO with an SSLv2 SERVER-HELLO that
carries its X.509 certificate and the cipher specs RC4_128_WITH_MD5, RC4_128_EXPORT40_WITH_MD5,
RC2_128_CBC_WITH_MD5, RC2_128_CBC_EXPORT40_WITH_MD5, IDEA_128_CBC_WITH_MD5,
DES_64_CBC_WITH_MD5 and DES_192_EDE3_CBC_WITH_MD5; the client (TLSClientAutomaton,
version="sslv2") then sends CLIENT-MASTER-KEY, and both finish the SSLv2 handshake and
exchange one line of (encrypted) data.  The client's CLIENT-HELLO offers the cipher specs
given (hex, default: 0x0700C0 0x010080 0x020080 0x060040).
"""
import sys, threading
from scapy.config import conf
conf.logLevel = 40
from scapy.layers.tls.automaton_cli import TLSClientAutomaton
from scapy.layers.tls.automaton_srv import TLSServerAutomaton
from scapy.layers.tls.handshake_sslv2 import SSLv2ClientHello
from scapy.utils import randstring

role, port = sys.argv[1], int(sys.argv[2])
if role == "server":
    cert, key = sys.argv[3], sys.argv[4]
    srv = TLSServerAutomaton(server="127.0.0.1", sport=port, mycert=cert, mykey=key,
                             is_echo_server=True, max_client_idle_time=5)
    print("LISTENING", flush=True)
    threading.Timer(20, lambda: srv.stop()).start()
    srv.run()
else:
    ciphers = [int(c, 16) for c in sys.argv[3:]] or [0x0700C0, 0x010080, 0x020080, 0x060040]
    ch = SSLv2ClientHello(ciphers=ciphers, challenge=randstring(16))
    cli = TLSClientAutomaton(server="127.0.0.1", dport=port, client_hello=ch, version="sslv2",
                             data=[b"hello over SSL 2.0\n", b"quit"])
    cli.run()
