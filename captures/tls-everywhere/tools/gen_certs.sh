#!/bin/bash
# Creates the fixed test PKI in certs/ (only the files that are missing). The keys and
# certificates are committed, so re-running make.sh reuses them and the chains on the wire
# stay the same. Delete certs/ to make a new set.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python3}
C=$HERE/certs
mkdir -p "$C"; cd "$C"
export OPENSSL_CONF=/dev/null
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
DAYS=7300
q() { "$@" >/dev/null 2>&1; }

# CA: RSA 2048, sha256WithRSAEncryption, self-signed
if [ ! -f ca.crt ]; then
  q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ca.key
  q openssl req -new -x509 -key ca.key -sha256 -days $DAYS -set_serial 0x7e01 \
    -subj "/O=wirecheck test/CN=wirecheck tls-everywhere test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt
fi
# leaf: sign_leaf NAME CN BITS DIGEST CAKEY CACRT SERIAL SAN
sign_leaf() {
  local n=$1 cn=$2 bits=$3 md=$4 cakey=$5 cacrt=$6 serial=$7 san=$8
  [ -f "$n.crt" ] && return 0
  q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"$bits" -out "$n.key"
  q openssl req -new -key "$n.key" -subj "/O=wirecheck test/CN=$cn" -out "$T/$n.csr"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$san" >"$T/$n.ext"
  q openssl x509 -req -in "$T/$n.csr" -CA "$cacrt" -CAkey "$cakey" -set_serial "$serial" -"$md" \
    -days $DAYS -extfile "$T/$n.ext" -out "$n.crt"
}
# the clean server: RSA 2048 / sha256, issued by the CA; valid for every test name and 127.0.0.1
sign_leaf server "tls-everywhere.wirecheck.test" 2048 sha256 ca.key ca.crt 0x1001 \
  "DNS:tls-everywhere.wirecheck.test,DNS:*.wirecheck.test,DNS:localhost,IP:127.0.0.1"
[ -f server-chain.pem ] || cat server.crt ca.crt > server-chain.pem

# the weak server: RSA 1024, sha1WithRSAEncryption, self-signed
if [ ! -f weak.crt ]; then
  q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out weak.key
  q openssl req -new -x509 -key weak.key -sha1 -days $DAYS -set_serial 0x1002 \
    -subj "/O=wirecheck test/CN=weak.wirecheck.test" \
    -addext "subjectAltName=DNS:weak.wirecheck.test,DNS:*.wirecheck.test,IP:127.0.0.1" -out weak.crt
fi

# a long chain of RSA 4096 certificates (self-signed root -> 2 intermediates -> leaf), for
# DTLS Certificate messages that must be fragmented
if [ ! -f big-root.crt ]; then
  q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out big-root.key
  q openssl req -new -x509 -key big-root.key -sha384 -days $DAYS -set_serial 0x2001 \
    -subj "/O=wirecheck test/CN=wirecheck big root CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out big-root.crt
fi
sign_ca() {
  local n=$1 cn=$2 cakey=$3 cacrt=$4 serial=$5
  [ -f "$n.crt" ] && return 0
  q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$n.key"
  q openssl req -new -key "$n.key" -subj "/O=wirecheck test/CN=$cn" -out "$T/$n.csr"
  printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' >"$T/$n.ext"
  q openssl x509 -req -in "$T/$n.csr" -CA "$cacrt" -CAkey "$cakey" -set_serial "$serial" -sha384 \
    -days $DAYS -extfile "$T/$n.ext" -out "$n.crt"
}
sign_ca big-int1 "wirecheck big intermediate CA 1" big-root.key big-root.crt 0x2002
sign_ca big-int2 "wirecheck big intermediate CA 2" big-int1.key big-int1.crt 0x2003
sign_leaf big-leaf "dtls-big.wirecheck.test" 4096 sha256 big-int2.key big-int2.crt 0x2004 \
  "DNS:dtls-big.wirecheck.test,DNS:*.wirecheck.test,IP:127.0.0.1"
[ -f big-chain.pem ] || cat big-int2.crt big-int1.crt big-root.crt > big-chain.pem

# ML-DSA-44 and SLH-DSA are not accepted by python cryptography's CertificateBuilder; the
# ML-DSA-44 certificate is built with pyasn1 and signed with cryptography's ML-DSA-44 key.
[ -f mldsa44.crt ] || $PY "$HERE/tools/mldsa_cert.py" "$C"
