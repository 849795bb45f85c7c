#!/usr/bin/env python3
"""Legacy TLS peers (SSL 3.0, RC4, 3DES, SSLv2-format ClientHello) built on
tlslite-ng (pure-Python TLS).  Loopback only.

usage: legacy_tls.py server CASE PORT CERTDIR
       legacy_tls.py client CASE PORT CERTDIR
CASE is one of the keys of CASES below.
"""
import socket
import sys

from tlslite import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey
from tlslite.constants import CipherSuite
from tlslite.messages import ClientHello

STRONG_HASHES = ["sha512", "sha384", "sha256"]  # no sha224/sha1 in signature_algorithms

CASES = {
    # name: (versions (min, max), cipherNames, macNames, keyExchangeNames)
    "ssl3-rc4-md5": ((3, 0), (3, 0), ["rc4"], ["md5"], ["rsa"]),
    "tls12-rc4": ((3, 3), (3, 3), ["rc4"], ["sha"], ["rsa"]),
    "tls12-3des": ((3, 3), (3, 3), ["3des"], ["sha"], ["rsa"]),
    "tls10-dhe-3des": ((3, 1), (3, 1), ["3des"], ["sha"], ["dhe_rsa"]),
    "sslv2-hello-tls10": ((3, 1), (3, 1), ["aes128"], ["sha"], ["rsa"]),
}

# cipher specs put in the SSLv2-format ClientHello (3 bytes each)
SSL2_HELLO_SPECS = [
    CipherSuite.SSL_CK_RC4_128_WITH_MD5,            # 0x010080 (SSLv2 spec)
    CipherSuite.SSL_CK_DES_192_EDE3_CBC_WITH_MD5,   # 0x0700C0 (SSLv2 spec)
    CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,       # 0x00002F
    CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA,      # 0x00000A
    CipherSuite.TLS_RSA_WITH_RC4_128_SHA,           # 0x000005
    CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV,  # 0x0000FF
]


def settings_for(case):
    lo, hi, ciphers, macs, kex = CASES[case]
    s = HandshakeSettings()
    s.minVersion, s.maxVersion = lo, hi
    s.cipherNames = list(ciphers)
    s.macNames = list(macs)
    s.keyExchangeNames = list(kex)
    s.rsaSigHashes = list(STRONG_HASHES)
    s.ecdsaSigHashes = list(STRONG_HASHES)
    s.dsaSigHashes = []
    return s


class SSL2HelloConnection(TLSConnection):
    """Client that sends its (first) ClientHello in SSLv2 record format
    (RFC 6101 appendix E / RFC 5246 appendix E.2), then continues in TLS."""

    def _sendMsg(self, msg, randomizeFirstBlock=True, update_hashes=True):
        if isinstance(msg, ClientHello) and not msg.ssl2:
            msg.ssl2 = True
            msg.session_id = bytearray(0)
            msg.cipher_suites = list(SSL2_HELLO_SPECS)
            msg.extensions = None
            rl = self._recordLayer
            saved = (rl.version, rl._recordSocket.version)
            rl.version = (2, 0)
            rl._recordSocket.version = (2, 0)
            try:
                for r in super()._sendMsg(msg, randomizeFirstBlock, update_hashes):
                    yield r
            finally:
                rl.version, rl._recordSocket.version = saved
            return
        for r in super()._sendMsg(msg, randomizeFirstBlock, update_hashes):
            yield r


def main():
    role, case, port, certdir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    settings = settings_for(case)
    if role == "server":
        with open(certdir + "/rsa_chain.pem") as f:
            chain = X509CertChain()
            chain.parsePemList(f.read())
        with open(certdir + "/rsa_server.key") as f:
            key = parsePEMKey(f.read(), private=True)
        ls = socket.socket()
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", port))
        ls.listen(1)
        print("LISTENING", flush=True)
        s, _ = ls.accept()
        conn = TLSConnection(s)
        conn.handshakeServer(certChain=chain, privateKey=key, settings=settings)
        print("server:", conn.getVersionName(), CipherSuite.ietfNames[conn.session.cipherSuite], flush=True)
        data = b""
        while len(data) < 4:  # "ping" (may arrive as "p" + "ing": 1/n-1 split in TLS 1.0 CBC)
            chunk = bytes(conn.read(max=256))
            if not chunk:
                break
            data += chunk
        conn.write(b"pong: " + data)
        conn.close()
        ls.close()
    else:
        s = socket.create_connection(("127.0.0.1", port))
        cls = SSL2HelloConnection if case.startswith("sslv2-hello") else TLSConnection
        conn = cls(s)
        conn.handshakeClientCert(settings=settings, serverName=case + ".wirecheck.test")
        print("client:", conn.getVersionName(), CipherSuite.ietfNames[conn.session.cipherSuite], flush=True)
        conn.write(b"ping")
        got = b""
        while len(got) < len(b"pong: ping"):
            chunk = bytes(conn.read(max=256))
            if not chunk:
                break
            got += chunk
        print("client got", got, flush=True)
        conn.close()


if __name__ == "__main__":
    main()
