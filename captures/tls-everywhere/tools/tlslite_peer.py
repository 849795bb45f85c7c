#!/usr/bin/env python3
"""tlslite-ng (0.9.0b2) TLS server and client, for the post-quantum captures.

usage: tlslite_peer.py server PORT CHAIN KEY [--tls12] [--groups G,...] [--sign-with-rsa KEY]
       tlslite_peer.py client PORT SNI [--tls12] [--groups G,...] [--keyshares G,...]
                      [--keylog FILE]
tlslite-ng 0.9.0b2 implements the hybrid groups x25519mlkem768 / secp256r1mlkem768 /
secp384r1mlkem1024 (with kyber-py) and ML-DSA-44/65/87 certificates and CertificateVerify
signatures (signature schemes 0x0904-0x0906, with dilithium-py).  tlslite-ng has no
SSLKEYLOGFILE support, so --keylog wraps tlslite's derive_secret() and writes the TLS 1.3
traffic secrets in NSS key log format (for editcap --inject-secrets / tshark).
The server prints LISTENING, serves one connection and echoes one line.
"""
import argparse, socket, sys
import tlslite.tlsconnection as tc
from tlslite import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey

ap = argparse.ArgumentParser()
ap.add_argument("role", choices=["server", "client"])
ap.add_argument("port", type=int)
ap.add_argument("rest", nargs="*")
ap.add_argument("--tls12", action="store_true")
ap.add_argument("--groups", default="x25519mlkem768,x25519,secp256r1")
ap.add_argument("--keyshares", default="x25519mlkem768")
ap.add_argument("--keylog")
ap.add_argument("--sign-with-rsa", metavar="RSA_KEY",
                help="server: send CHAIN as it is but select suites for and sign with this RSA key "
                     "(TLS 1.2 has no ML-DSA signature scheme; the client then rejects the handshake)")
ap.add_argument("--cert-compression", action="store_true",
                help="allow RFC 8879 compressed certificates (off by default)")
a = ap.parse_args()

LABELS = {b"c hs traffic": "CLIENT_HANDSHAKE_TRAFFIC_SECRET", b"s hs traffic": "SERVER_HANDSHAKE_TRAFFIC_SECRET",
          b"c ap traffic": "CLIENT_TRAFFIC_SECRET_0", b"s ap traffic": "SERVER_TRAFFIC_SECRET_0"}
secrets = []
_derive = tc.derive_secret


def derive_secret(secret, label, handshake_hashes, algorithm):
    out = _derive(secret, label, handshake_hashes, algorithm)
    if bytes(label) in LABELS:
        secrets.append((LABELS[bytes(label)], bytes(out)))
    return out


tc.derive_secret = derive_secret

s = HandshakeSettings()
s.eccCurves = a.groups.split(",")
s.keyShares = [k for k in a.keyshares.split(",") if k]
if not a.cert_compression:
    s.certificate_compression_send = []
    s.certificate_compression_receive = []
if a.tls12:
    s.minVersion = s.maxVersion = (3, 3)
else:
    s.minVersion = s.maxVersion = (3, 4)

if a.role == "server":
    chain_pem, key_pem = open(a.rest[0]).read(), open(a.rest[1]).read()
    chain = X509CertChain()
    chain.parsePemList(chain_pem)
    key = parsePEMKey(key_pem, private=True, implementations=["python"])
    if a.sign_with_rsa:
        key = parsePEMKey(open(a.sign_with_rsa).read(), private=True, implementations=["python"])
        leaf = chain.x509List[0]
        leaf.certAlg = "rsa"          # only tlslite's internal view; leaf.bytes (the DER) is unchanged
        leaf.publicKey = key
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", a.port))
    ls.listen(1)
    print("LISTENING", flush=True)
    c, _ = ls.accept()
    conn = TLSConnection(c)
    try:
        conn.handshakeServer(certChain=chain, privateKey=key, settings=s)
        line = conn.read()
        conn.write(b"echo: " + bytes(line))
        conn.close()
    except Exception as e:
        print("server:", type(e).__name__, e, file=sys.stderr)
else:
    sni = a.rest[0]
    c = socket.create_connection(("127.0.0.1", a.port))
    conn = TLSConnection(c)
    try:
        conn.handshakeClientCert(serverName=sni, settings=s)
        print(f"client: version={conn.version} cipher={conn.getCipherName()} "
              f"group={getattr(conn.session, 'ec_point_format', '')}", file=sys.stderr)
        conn.write(b"hello over post-quantum TLS\n")
        print("client got:", bytes(conn.read()), file=sys.stderr)
        conn.close()
    except Exception as e:
        print("client:", type(e).__name__, e, file=sys.stderr)
    if a.keylog:
        cr = bytes(conn._clientRandom).hex()
        with open(a.keylog, "a") as f:
            for label, sec in secrets:
                f.write(f"{label} {cr} {sec.hex()}\n")
