#!/usr/bin/env python3
"""Builds an ML-DSA certificate chain for the post-quantum capture.

python `cryptography` 48 has ML-DSA keys (sign/verify) but its CertificateBuilder only takes
RSA/EC/DSA/EdDSA/X25519/X448 public keys, so the X.509 DER is assembled here by hand (a tiny
DER encoder) and every signature is a real pure ML-DSA signature (empty context) made by
cryptography over the tbsCertificate:

  certs/mldsa-ca.{key,crt}    self-signed ML-DSA-65 CA   (id-ml-dsa-65, 2.16.840.1.101.3.4.3.18)
  certs/mldsa44.{key,crt}     ML-DSA-44 leaf issued by it (id-ml-dsa-44, 2.16.840.1.101.3.4.3.17)
  certs/mldsa-chain.pem       leaf + CA

Keys are stored as PKCS#8 PEM (seed form, as cryptography writes them).
usage: mldsa_cert.py CERTDIR
"""
import base64, datetime, os, sys
from cryptography.hazmat.primitives.asymmetric import mldsa
from cryptography.hazmat.primitives import serialization as ser

OID = {"mldsa44": "2.16.840.1.101.3.4.3.17", "mldsa65": "2.16.840.1.101.3.4.3.18",
       "cn": "2.5.4.3", "o": "2.5.4.10", "san": "2.5.29.17", "bc": "2.5.29.19",
       "ku": "2.5.29.15", "ski": "2.5.29.14", "aki": "2.5.29.35", "eku": "2.5.29.37",
       "serverAuth": "1.3.6.1.5.5.7.3.1"}


def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        ln = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + ln + body


def seq(*items): return tlv(0x30, b"".join(items))
def setof(*items): return tlv(0x31, b"".join(items))
def integer(v): return tlv(0x02, v.to_bytes((v.bit_length() + 8) // 8, "big"))
def octets(b): return tlv(0x04, b)
def bitstr(b): return tlv(0x03, b"\x00" + b)
def utf8(s): return tlv(0x0C, s.encode())
def boolean(v): return tlv(0x01, b"\xff" if v else b"\x00")
def ctx(n, body, constructed=True): return tlv((0xA0 if constructed else 0x80) | n, body)


def oid(dotted):
    p = [int(x) for x in dotted.split(".")]
    out = bytes([40 * p[0] + p[1]])
    for v in p[2:]:
        enc = [v & 0x7F]
        v >>= 7
        while v:
            enc.append(0x80 | (v & 0x7F))
            v >>= 7
        out += bytes(reversed(enc))
    return tlv(0x06, out)


def gentime(t):
    if t.year < 2050:
        return tlv(0x17, t.strftime("%y%m%d%H%M%SZ").encode())
    return tlv(0x18, t.strftime("%Y%m%d%H%M%SZ").encode())


def name(cn):
    return seq(setof(seq(oid(OID["o"]), utf8("wirecheck test"))),
               setof(seq(oid(OID["cn"]), utf8(cn))))


def ext(o, critical, value):
    return seq(oid(o), *( [boolean(True)] if critical else []), octets(value))


def keyid(pub):
    import hashlib
    return hashlib.sha1(pub).digest()


def cert(serial, subject_cn, issuer_cn, alg, pub, signer, signer_alg, issuer_pub, is_ca, san=None):
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    exts = [ext(OID["bc"], True, seq(boolean(True)) if is_ca else seq()),
            ext(OID["ku"], True, tlv(0x03, b"\x01\x06") if is_ca else tlv(0x03, b"\x07\x80")),
            ext(OID["ski"], False, octets(keyid(pub))),
            ext(OID["aki"], False, seq(ctx(0, keyid(issuer_pub), constructed=False)))]
    if san:
        exts.append(ext(OID["eku"], False, seq(oid(OID["serverAuth"]))))
        exts.append(ext(OID["san"], False, seq(*[ctx(2, d.encode(), constructed=False) for d in san])))
    tbs = seq(ctx(0, integer(2)), integer(serial), seq(oid(OID[signer_alg])), name(issuer_cn),
              seq(gentime(now), gentime(now + datetime.timedelta(days=7300))), name(subject_cn),
              seq(seq(oid(OID[alg])), bitstr(pub)), ctx(3, seq(*exts)))
    sig = signer.sign(tbs)
    return seq(tbs, seq(oid(OID[signer_alg])), bitstr(sig))


def pem(der, label):
    b = base64.b64encode(der).decode()
    return f"-----BEGIN {label}-----\n" + "\n".join(b[i:i + 64] for i in range(0, len(b), 64)) + f"\n-----END {label}-----\n"


def main():
    d = sys.argv[1]
    ca = mldsa.MLDSA65PrivateKey.generate()
    leaf = mldsa.MLDSA44PrivateKey.generate()
    ca_pub = ca.public_key().public_bytes_raw()
    leaf_pub = leaf.public_key().public_bytes_raw()
    ca_der = cert(0x3001, "wirecheck ML-DSA-65 test CA", "wirecheck ML-DSA-65 test CA", "mldsa65",
                  ca_pub, ca, "mldsa65", ca_pub, True)
    leaf_der = cert(0x3002, "mldsa.wirecheck.test", "wirecheck ML-DSA-65 test CA", "mldsa44",
                    leaf_pub, ca, "mldsa65", ca_pub, False,
                    san=["mldsa.wirecheck.test", "pq.wirecheck.test"])
    for n, k in (("mldsa-ca", ca), ("mldsa44", leaf)):
        open(os.path.join(d, n + ".key"), "wb").write(
            k.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption()))
    open(os.path.join(d, "mldsa-ca.crt"), "w").write(pem(ca_der, "CERTIFICATE"))
    open(os.path.join(d, "mldsa44.crt"), "w").write(pem(leaf_der, "CERTIFICATE"))
    open(os.path.join(d, "mldsa-chain.pem"), "w").write(pem(leaf_der, "CERTIFICATE") + pem(ca_der, "CERTIFICATE"))


if __name__ == "__main__":
    main()
