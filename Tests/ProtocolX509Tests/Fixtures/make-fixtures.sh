#!/usr/bin/env bash
# Regenerates the DER certificate fixtures for ProtocolX509Tests.
#
# Requirements: OpenSSL 3 (Debian's openssl package; tested with 3.0.x) and
# python3 with the `cryptography` package (for the fixed-date certificate).
#
# Keys are throw-away and never written to this directory; only the DER
# certificates and `manifest.tsv` (what OpenSSL itself says about each
# certificate: SHA-256 fingerprint, validity as Unix seconds, RFC 2253 subject)
# are kept. Certificates contain the generation time, so regenerating changes
# every file and the manifest together; the tests read expectations from the
# manifest, never from hard-coded fingerprints.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/certs"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out"

subj() { echo "/C=US/ST=California/L=San Francisco/O=Wirecheck Test/OU=Fixtures/CN=$1.example"; }

# selfsigned NAME KEYFILE [extra req args...]
selfsigned() {
    local name="$1" key="$2"
    shift 2
    openssl req -x509 -new -key "$key" -subj "$(subj "$name")" -days 365 \
        -outform DER -out "$out/$name.der" "$@"
}

# newkey NAME ALGORITHM [genpkey -pkeyopt values...]
newkey() {
    local file="$tmp/$1.key" alg="$2"
    shift 2
    local opts=()
    for o in "$@"; do opts+=(-pkeyopt "$o"); done
    openssl genpkey -algorithm "$alg" "${opts[@]}" -out "$file" 2>/dev/null
    echo "$file"
}

# RSA key sizes (512 is below every policy floor; OpenSSL still generates it).
for bits in 512 1024 2048 4096; do
    selfsigned "rsa$bits" "$(newkey "rsa$bits" RSA "rsa_keygen_bits:$bits")" -sha256
done

# Named curves.
for curve in P-256 P-384 P-521 P-224 secp256k1 brainpoolP256r1; do
    name="ec-$(echo "$curve" | tr 'A-Z' 'a-z')"
    selfsigned "$name" "$(newkey "$name" EC "ec_paramgen_curve:$curve")" -sha256
done

# EC key with explicit (specifiedCurve) domain parameters instead of a named curve.
selfsigned ec-explicit-p256 "$(newkey ec-explicit EC ec_paramgen_curve:P-256 ec_param_enc:explicit)" -sha256

# Edwards curves (signature algorithm is intrinsic; no digest option).
selfsigned ed25519 "$(newkey ed25519 ED25519)"
selfsigned ed448 "$(newkey ed448 ED448)"

# DSA: 1024-bit p signed with SHA-1 (dsaWithSHA1), 2048-bit p with SHA-256.
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 -out "$tmp/dsa1024.param" 2>/dev/null
openssl genpkey -paramfile "$tmp/dsa1024.param" -out "$tmp/dsa1024.key" 2>/dev/null
selfsigned dsa1024-sha1 "$tmp/dsa1024.key" -sha1
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out "$tmp/dsa2048.param" 2>/dev/null
openssl genpkey -paramfile "$tmp/dsa2048.param" -out "$tmp/dsa2048.key" 2>/dev/null
selfsigned dsa2048-sha256 "$tmp/dsa2048.key" -sha256

# SM2 key, SM2-with-SM3 signature (GB/T 32918 default distinguishing identifier).
selfsigned sm2-sm3 "$(newkey sm2 SM2)" -sm3 -sigopt "distid:1234567812345678"

# RSASSA-PSS: (a) an id-RSASSA-PSS key signing with SHA-384,
# (b) an rsaEncryption key with a PSS/SHA-256 signature,
# (c) a PSS signature with SHA-1, whose hashAlgorithm is omitted (RFC 4055 default).
selfsigned rsapss-key-sha384 "$(newkey rsapss RSA-PSS rsa_keygen_bits:2048)" -sha384
selfsigned rsa-pss-sha256 "$tmp/rsa2048.key" -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
selfsigned rsa-pss-sha1 "$tmp/rsa2048.key" -sha1 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:20

# Legacy digests.
selfsigned rsa-md5 "$tmp/rsa1024.key" -md5
selfsigned rsa-sha1 "$tmp/rsa2048.key" -sha1
selfsigned ecdsa-sha1 "$tmp/ec-p-256.key" -sha1

# subjectAltName with every GeneralName kind we render, plus basicConstraints cA=FALSE.
selfsigned san "$tmp/ec-p-256.key" -sha256 \
    -addext "subjectAltName=DNS:example.com,DNS:*.example.com,IP:10.0.0.1,IP:2001:db8::1,email:admin@example.com,URI:https://example.com/path" \
    -addext "basicConstraints=critical,CA:FALSE"

# Version 1 certificate: `openssl x509 -req` without any extensions.
openssl req -new -key "$tmp/rsa2048.key" -subj "$(subj v1)" -out "$tmp/v1.csr"
openssl x509 -req -in "$tmp/v1.csr" -signkey "$tmp/rsa2048.key" -days 30 -sha256 \
    -outform DER -out "$out/v1.der" 2>/dev/null

# Keys OpenSSL cannot self-sign with (X25519, X448, DH): issued by the Ed25519 key.
openssl req -new -key "$tmp/ed25519.key" -subj "$(subj issuer-ed25519)" -out "$tmp/ca.csr"
openssl x509 -req -in "$tmp/ca.csr" -signkey "$tmp/ed25519.key" -days 30 -out "$tmp/ca.pem" 2>/dev/null
for alg in X25519 X448; do
    name="$(echo "$alg" | tr 'A-Z' 'a-z')"
    newkey "$name" "$alg" >/dev/null
    openssl pkey -in "$tmp/$name.key" -pubout -out "$tmp/$name.pub"
    openssl x509 -new -force_pubkey "$tmp/$name.pub" -subj "$(subj "$name")" -CA "$tmp/ca.pem" \
        -CAkey "$tmp/ed25519.key" -days 30 -outform DER -out "$out/$name.der" 2>/dev/null
done
newkey dh DH group:ffdhe2048 >/dev/null
openssl pkey -in "$tmp/dh.key" -pubout -out "$tmp/dh.pub"
openssl x509 -new -force_pubkey "$tmp/dh.pub" -subj "$(subj dh2048)" -CA "$tmp/ca.pem" \
    -CAkey "$tmp/ed25519.key" -days 30 -outform DER -out "$out/dh2048.der" 2>/dev/null

# Fixed dates (expired; UTCTime notBefore, GeneralizedTime notAfter >= 2050 is not
# possible together with "expired", so a second certificate covers 2050+), awkward
# subject characters, a multi-valued RDN and an attribute type without a short name.
python3 - "$out" <<'PY'
import sys, datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

out = sys.argv[1]
key = ec.derive_private_key(0x1234567890ABCDEF, ec.SECP256R1())

def build(path, subject, not_before, not_after, ca):
    b = (x509.CertificateBuilder()
         .subject_name(subject).issuer_name(subject)
         .public_key(key.public_key())
         .serial_number(0x00F00DCAFE)
         .not_valid_before(not_before).not_valid_after(not_after)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    cert = b.sign(key, hashes.SHA256())
    from cryptography.hazmat.primitives.serialization import Encoding
    open(path, "wb").write(cert.public_bytes(Encoding.DER))

utc = datetime.timezone.utc
expired_subject = x509.Name([
    x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COUNTRY_NAME, "DE")]),
    x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Foo, Inc. + \"Bar\" <x>;")]),
    x509.RelativeDistinguishedName([
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Unit A"),
        x509.NameAttribute(NameOID.USER_ID, "u1"),
    ]),
    x509.RelativeDistinguishedName([x509.NameAttribute(x509.ObjectIdentifier("1.3.6.1.4.1.99999.1"), "xyz")]),
    x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COMMON_NAME, " #leading and trailing ")]),
])
build(f"{out}/expired.der", expired_subject,
      datetime.datetime(2001, 2, 3, 4, 5, 6, tzinfo=utc),
      datetime.datetime(2010, 1, 1, 0, 0, 0, tzinfo=utc), ca=True)
build(f"{out}/generalized-time.der",
      x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Grüße 東京")]),
      datetime.datetime(2049, 12, 31, 23, 59, 59, tzinfo=utc),
      datetime.datetime(2150, 6, 15, 12, 30, 45, tzinfo=utc), ca=False)
PY

# Inputs that are not a single DER certificate.
printf 'GET / HTTP/1.1\r\nHost: not-a-certificate\r\n\r\n' > "$out/garbage.bin"
head -c 300 "$out/rsa2048.der" > "$out/truncated.bin"
{ cat "$out/rsa2048.der"; printf '\x00\x00trailing'; } > "$out/trailing.bin"

# What OpenSSL says about each certificate.
manifest="$here/manifest.tsv"
printf '# file\tsha256\tnotBefore\tnotAfter\tsubject (RFC 2253)\n' > "$manifest"
for f in "$out"/*.der; do
    fp="$(openssl x509 -inform DER -in "$f" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')"
    nb="$(date -u -d "$(openssl x509 -inform DER -in "$f" -noout -startdate | sed 's/notBefore=//')" +%s)"
    na="$(date -u -d "$(openssl x509 -inform DER -in "$f" -noout -enddate | sed 's/notAfter=//')" +%s)"
    sub="$(openssl x509 -inform DER -in "$f" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')"
    printf '%s\t%s\t%s\t%s\t%s\n' "$(basename "$f")" "$fp" "$nb" "$na" "$sub" >> "$manifest"
done
echo "wrote $(ls "$out" | wc -l) files to $out"
