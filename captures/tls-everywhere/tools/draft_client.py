#!/usr/bin/env python3
"""TLS 1.3 client (scapy's TLSClientAutomaton) whose supported_versions offers pre-RFC
versions: TLS 1.3 drafts 28 (0x7f1c), 23 (0x7f17) and 22 (0x7f16), Google's experiment
0x7e02, Facebook's 0xfb1a, then TLS 1.3 (0x0304) and TLS 1.2 -- or, with --drafts-only,
no 0x0304 at all.
(Draft 18, 0x7f12, is left out on purpose: scapy knows that value and would switch its own
handshake to draft-18 rules; the other values are unknown to scapy, so it runs RFC 8446.)

usage: draft_client.py PORT SNI [--drafts-only]
Key share X25519; SNI as given; one line of data, then close.
"""
import sys
from scapy.config import conf
conf.logLevel = 40
from scapy.layers.tls.automaton_cli import TLSClientAutomaton
from scapy.layers.tls.handshake import TLS13ClientHello, TLSClientHello
from scapy.layers.tls.extensions import (TLS_Ext_SupportedVersion_CH, TLS_Ext_ServerName, ServerName,
                                         TLS_Ext_SupportedGroups, TLS_Ext_SignatureAlgorithms,
                                         TLS_Ext_RenegotiationInfo)
from scapy.layers.tls.keyexchange_tls13 import TLS_Ext_KeyShare_CH, KeyShareEntry
from scapy.layers.tls.crypto.suites import (TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384,
                                            TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)
from scapy.utils import randstring

port, sni = int(sys.argv[1]), sys.argv[2]
only = "--drafts-only" in sys.argv
versions = [0x7f1c, 0x7f17, 0x7f16, 0x7e02, 0xfb1a] + ([] if only else [0x0304]) + [0x0303]
if only:
    # TLS 1.2 ClientHello (legacy_version 0x0303) whose supported_versions lists only the
    # experimental versions and 0x0303: the server must answer TLS 1.2
    from scapy.layers.tls.extensions import TLS_Ext_SupportedPointFormat
    ext = [TLS_Ext_ServerName(servernames=[ServerName(servername=sni.encode())]),
           TLS_Ext_SupportedVersion_CH(versions=versions),
           TLS_Ext_SupportedGroups(groups=["x25519", "secp256r1"]),
           TLS_Ext_SupportedPointFormat(ecpl=["uncompressed"]),
           TLS_Ext_SignatureAlgorithms(sig_algs=["sha256+rsaepss", "sha256+rsa", "sha384+rsa"]),
           TLS_Ext_RenegotiationInfo()]
    ch = TLSClientHello(version=0x0303, ciphers=[TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.val],
                        ext=ext, gmt_unix_time=0, random_bytes=randstring(28))
    cli = TLSClientAutomaton(server="127.0.0.1", dport=port, client_hello=ch, version="tls12",
                             data=[b"hello from a draft-offering client\n", b"quit"])
else:
    # scapy builds the TLS 1.3 ClientHello extensions itself; only its supported_versions
    # list is replaced
    import scapy.layers.tls.automaton_cli as acli
    _orig = acli.TLS_Ext_SupportedVersion_CH
    acli.TLS_Ext_SupportedVersion_CH = lambda versions: _orig(versions=list(globals()["versions"]))
    cli = TLSClientAutomaton(server="127.0.0.1", dport=port, version="tls13", server_name=sni,
                             data=[b"hello from a draft-offering client\n", b"quit"])
cli.run()
