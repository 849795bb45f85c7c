#!/usr/bin/env python3
"""TLS 1.2 server from scapy's TLSServerAutomaton, which writes its whole first flight
(ServerHello, Certificate, ServerKeyExchange, ServerHelloDone) into a single TLS record
(OpenSSL writes one record per handshake message).

usage: coalesce_server.py PORT CERT KEY   (prints LISTENING; echo server; stops after 15 s)
"""
import sys, threading
from scapy.config import conf
conf.logLevel = 40
from scapy.layers.tls.automaton_srv import TLSServerAutomaton

srv = TLSServerAutomaton(server="127.0.0.1", sport=int(sys.argv[1]), mycert=sys.argv[2],
                         mykey=sys.argv[3], is_echo_server=True, max_client_idle_time=5)
print("LISTENING", flush=True)
threading.Timer(15, lambda: srv.stop()).start()
srv.run()
