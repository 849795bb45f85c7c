#!/usr/bin/env bash
# Regenerates the captures in captures/openssl/ with real `openssl s_server` /
# `openssl s_client` exchanges on 127.0.0.1, recorded by tcpdump on lo.
#
# Needs (installs nothing itself):
#   apt:  openssl (3.0.x, tested with 3.0.19), tcpdump, iproute2 (ss), coreutils
#   pip:  cryptography   (only for the expired / not-yet-valid certificates)
#   tshark is only needed to verify the results (see README.md), not to build them.
# Must run as root (tcpdump on lo). Uses TCP ports 45000-45499 on 127.0.0.1 only.
#
# Usage: ./make.sh            # regenerate every capture
#        ./make.sh NAME ...    # regenerate only the named captures (without .pcap)
#
# Keys and certificates are generated fresh in a temporary directory on every run
# and deleted afterwards; only the .pcap files are written here.  Because the
# keys, random values and TCP timing differ per run, packet counts and frame
# numbers in expected.yaml may have to be re-checked after regeneration.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/wirecheck-openssl.XXXXXX)
BGPIDS=()
cleanup() {
  local p
  for p in "${BGPIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# Do not depend on the system openssl.cnf (a distribution may raise the default
# security level or MinProtocol): use an empty configuration.
: >"$WORK/openssl.cnf"
export OPENSSL_CONF="$WORK/openssl.cnf"

ONLY=("$@")
# shellcheck source=../lib/want.sh
. "$HERE/../lib/want.sh"

cd "$WORK"
SUBJ() { echo "/O=wirecheck test/CN=$1"; }

# ---------------------------------------------------------------- key material
echo "== generating keys and certificates in $WORK" >&2
q() { "$@" >/dev/null 2>&1; }

# self-signed leaf: selfsigned NAME KEYFILE DIGEST
selfsigned() {
  q openssl req -new -x509 -key "$2" -out "$1.crt" -days 3650 -"$3" -subj "$(SUBJ "$1.wirecheck.test")" \
    -addext "subjectAltName=DNS:$1.wirecheck.test"
}

q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.key
q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048b.key
q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.key
q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out client1024.key
q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client2048.key
q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out rsa4096.key
q openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256.key
q openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384.key
q openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -pkeyopt dsa_paramgen_q_bits:256 -out dsa.param
q openssl genpkey -paramfile dsa.param -out dsa2048.key
# DH groups: a freshly generated 1024-bit group (weak) and RFC 7919 ffdhe2048.
q openssl genpkey -genparam -algorithm DH -pkeyopt dh_paramgen_prime_len:1024 -out dh1024.pem
q openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out dh2048.pem

selfsigned rsa2048  rsa2048.key  sha256
selfsigned rsa1024  rsa1024.key  sha256
selfsigned rsa4096  rsa4096.key  sha256
selfsigned p256     p256.key     sha256
selfsigned p384     p384.key     sha384
selfsigned dsa2048  dsa2048.key  sha256

# Three-level chains: root (self-signed) -> intermediate -> leaf.
# mkchain TAG LEAF_DIGEST ROOT_SELF_DIGEST
mkchain() {
  local t=$1 leafmd=$2 rootmd=$3
  q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$t-root.key"
  q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$t-int.key"
  q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$t-leaf.key"
  q openssl req -new -x509 -key "$t-root.key" -out "$t-root.crt" -days 3650 -"$rootmd" \
    -subj "/O=wirecheck test/CN=$t root CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  q openssl req -new -key "$t-int.key" -out "$t-int.csr" -subj "/O=wirecheck test/CN=$t intermediate CA"
  printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' >"$t-int.ext"
  q openssl x509 -req -in "$t-int.csr" -CA "$t-root.crt" -CAkey "$t-root.key" -set_serial 2 \
    -days 3650 -sha256 -extfile "$t-int.ext" -out "$t-int.crt"
  q openssl req -new -key "$t-leaf.key" -out "$t-leaf.csr" -subj "$(SUBJ "chain-$t.wirecheck.test")"
  printf 'subjectAltName=DNS:chain-%s.wirecheck.test\nbasicConstraints=CA:FALSE\n' "$t" >"$t-leaf.ext"
  q openssl x509 -req -in "$t-leaf.csr" -CA "$t-int.crt" -CAkey "$t-int.key" -set_serial 3 \
    -days 3650 -"$leafmd" -extfile "$t-leaf.ext" -out "$t-leaf.crt"
  cat "$t-int.crt" "$t-root.crt" >"$t-chain.pem"
}
mkchain md5    md5    sha256
mkchain sha1   sha1   sha1
mkchain sha256 sha256 sha256

# mTLS: a client CA and a 1024-bit RSA client certificate it signs (sha256).
q openssl req -new -x509 -key rsa2048b.key -out clientca.crt -days 3650 -sha256 \
  -subj "/O=wirecheck test/CN=client CA" -addext "basicConstraints=critical,CA:TRUE"
q openssl req -new -key client1024.key -out client1024.csr -subj "/O=wirecheck test/CN=mtls client"
q openssl x509 -req -in client1024.csr -CA clientca.crt -CAkey rsa2048b.key -set_serial 7 -days 3650 \
  -sha256 -out client1024.crt
q openssl req -new -key client2048.key -out client2048.csr -subj "/O=wirecheck test/CN=mtls client 2048"
q openssl x509 -req -in client2048.csr -CA clientca.crt -CAkey rsa2048b.key -set_serial 8 -days 3650 \
  -sha256 -out client2048.crt

# Expired / not-yet-valid self-signed leaves (sha256WithRSAEncryption, RSA 2048).
python3 - <<'PY'
import datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
key = serialization.load_pem_private_key(open("rsa2048.key", "rb").read(), None)
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
day = datetime.timedelta(days=1)
for name, nb, na in (("cert-expired", now - 400 * day, now - 30 * day),
                     ("cert-notyet", now + 30 * day, now + 400 * day)):
    n = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "wirecheck test"),
                   x509.NameAttribute(NameOID.COMMON_NAME, name + ".wirecheck.test")])
    c = (x509.CertificateBuilder().subject_name(n).issuer_name(n)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(nb).not_valid_after(na)
         .add_extension(x509.SubjectAlternativeName([x509.DNSName(name + ".wirecheck.test")]), False)
         .sign(key, hashes.SHA256()))
    open(name + ".crt", "wb").write(c.public_bytes(serialization.Encoding.PEM))
PY

# ---------------------------------------------------------------- capture driver
# Client signature_algorithms without any SHA-1/MD5 entry, for clients that need
# @SECLEVEL=0 (which would otherwise add rsa_pkcs1_sha1/ecdsa_sha1/... to the offer).
SAFE_SIGALGS="ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:RSA+SHA256:RSA+SHA384:RSA+SHA512"

wait_for() { # wait_for CMD... : poll up to 10 s
  local i
  for i in $(seq 100); do "$@" && return 0; sleep 0.1; done
  echo "timeout waiting for: $*" >&2; return 1
}
listening() { ss -Hltn "sport = :$1" | grep -q .; }

# cap NAME PORT "SERVER ARGS" "CLIENT ARGS"
# One TCP connection: the client sends one line, then closes (close_notify).
cap() {
  local name=$1 port=$2 sargs=$3 cargs=$4
  want "$name" || return 0
  echo "== $name (port $port)" >&2
  local out="$WORK/$name.pcap"
  tcpdump -i lo -U -n --immediate-mode -w "$out" "tcp port $port" 2>"$WORK/$name.tcpdump.log" &
  local tpid=$!; BGPIDS+=("$tpid")
  wait_for grep -q "listening on" "$WORK/$name.tcpdump.log"
  # s_server: keep its stdin open (sleep) so it never sees EOF; exit after one connection.
  # shellcheck disable=SC2086
  openssl s_server -accept "127.0.0.1:$port" -naccept 1 $sargs \
    < <(sleep 20) >"$WORK/$name.server.log" 2>&1 &
  local spid=$!; BGPIDS+=("$spid")
  wait_for listening "$port" || { cat "$WORK/$name.server.log" >&2; exit 1; }
  # shellcheck disable=SC2086
  (echo "hello from $name"; sleep 1) |
    timeout 15 openssl s_client -connect "127.0.0.1:$port" $cargs >"$WORK/$name.client.log" 2>&1 || true
  local i
  for i in $(seq 50); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
  kill "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  sleep 0.5
  kill -INT "$tpid" 2>/dev/null || true
  wait "$tpid" 2>/dev/null || true
  cp "$out" "$HERE/$name.pcap"
  if [ -n "${VERBOSE:-}" ]; then
    echo "--- server"; cat "$WORK/$name.server.log"; echo "--- client"; cat "$WORK/$name.client.log"
  fi >&2
}

SN() { echo "-servername $1.wirecheck.test"; }
C12="-tls1_2"

# 1. protocol versions
cap tls10-rsa2048 45001 \
  "-cert rsa2048.crt -key rsa2048.key -tls1 -cipher ECDHE-RSA-AES128-SHA:@SECLEVEL=0" \
  "-tls1 -cipher ECDHE-RSA-AES128-SHA:@SECLEVEL=0 $(SN tls10-rsa2048)"
cap tls11-rsa2048 45002 \
  "-cert rsa2048.crt -key rsa2048.key -tls1_1 -cipher ECDHE-RSA-AES128-SHA:@SECLEVEL=0" \
  "-tls1_1 -cipher ECDHE-RSA-AES128-SHA:@SECLEVEL=0 $(SN tls11-rsa2048)"
cap tls12-ecdhe-rsa2048-gcm 45003 \
  "-cert sha256-leaf.crt -key sha256-leaf.key -cert_chain sha256-chain.pem" \
  "$C12 -cipher ECDHE-RSA-AES128-GCM-SHA256 $(SN tls12-ecdhe-rsa2048-gcm)"
cap tls13-default 45004 \
  "-cert rsa2048.crt -key rsa2048.key" \
  "$(SN tls13-default)"

# 2. certificate keys
cap tls12-rsa1024 45010 \
  "-cert rsa1024.crt -key rsa1024.key -cipher DEFAULT:@SECLEVEL=0" \
  "$C12 -cipher ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0 -sigalgs $SAFE_SIGALGS $(SN tls12-rsa1024)"
cap tls12-rsa4096 45011 \
  "-cert rsa4096.crt -key rsa4096.key" \
  "$C12 -cipher ECDHE-RSA-AES128-GCM-SHA256 $(SN tls12-rsa4096)"
cap tls12-ecdsa-p256 45012 \
  "-cert p256.crt -key p256.key" \
  "$C12 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 $(SN tls12-ecdsa-p256)"
cap tls12-ecdsa-p384 45013 \
  "-cert p384.crt -key p384.key" \
  "$C12 -cipher ECDHE-ECDSA-AES256-GCM-SHA384 $(SN tls12-ecdsa-p384)"

# 3. chains: leaf + intermediate + self-signed root
cap chain-md5 45020 \
  "-cert md5-leaf.crt -key md5-leaf.key -cert_chain md5-chain.pem -cipher DEFAULT:@SECLEVEL=0" \
  "$C12 -cipher ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0 -sigalgs $SAFE_SIGALGS $(SN chain-md5)"
cap chain-sha1 45021 \
  "-cert sha1-leaf.crt -key sha1-leaf.key -cert_chain sha1-chain.pem -cipher DEFAULT:@SECLEVEL=0" \
  "$C12 -cipher ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0 -sigalgs $SAFE_SIGALGS $(SN chain-sha1)"
cap chain-sha256 45022 \
  "-cert sha256-leaf.crt -key sha256-leaf.key -cert_chain sha256-chain.pem" \
  "$C12 -cipher ECDHE-RSA-AES128-GCM-SHA256 $(SN chain-sha256)"

# 4. key exchange and cipher suites
cap tls12-static-rsa 45030 \
  "-cert rsa2048.crt -key rsa2048.key" \
  "$C12 -cipher AES128-GCM-SHA256 $(SN tls12-static-rsa)"
cap tls12-dhe-1024 45031 \
  "-cert rsa2048.crt -key rsa2048.key -dhparam dh1024.pem -cipher DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0" \
  "$C12 -cipher DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0 -sigalgs $SAFE_SIGALGS $(SN tls12-dhe-1024)"
cap tls12-cbc-sha 45032 \
  "-cert rsa2048.crt -key rsa2048.key" \
  "$C12 -cipher ECDHE-RSA-AES128-SHA $(SN tls12-cbc-sha)"
cap tls12-null 45033 \
  "-cert rsa2048.crt -key rsa2048.key -cipher NULL-SHA256:@SECLEVEL=0" \
  "$C12 -cipher NULL-SHA256:@SECLEVEL=0 -sigalgs $SAFE_SIGALGS $(SN tls12-null)"
cap tls12-anon 45034 \
  "-nocert -dhparam dh2048.pem -cipher ADH-AES128-GCM-SHA256:@SECLEVEL=0" \
  "$C12 -cipher ADH-AES128-GCM-SHA256:@SECLEVEL=0 -sigalgs $SAFE_SIGALGS $(SN tls12-anon)"
cap tls12-ske-sha1 45035 \
  "-cert rsa2048.crt -key rsa2048.key -sigalgs RSA+SHA1 -cipher ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0" \
  "$C12 -sigalgs RSA+SHA1 -cipher ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0 $(SN tls12-ske-sha1)"

# 5. DSA certificate (2048-bit p, 256-bit q, dsa_with_SHA256)
cap tls12-dsa 45040 \
  "-cert dsa2048.crt -key dsa2048.key -cipher DHE-DSS-AES128-GCM-SHA256 -sigalgs DSA+SHA256" \
  "$C12 -cipher DHE-DSS-AES128-GCM-SHA256 $(SN tls12-dsa)"

# 6. mutual TLS (client certificate: RSA 1024, sha256WithRSAEncryption)
cap mtls12 45050 \
  "-cert rsa2048.crt -key rsa2048.key -Verify 1 -CAfile clientca.crt -client_sigalgs $SAFE_SIGALGS -cipher DEFAULT:@SECLEVEL=0" \
  "$C12 -cipher ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0 -sigalgs $SAFE_SIGALGS -cert client1024.crt -key client1024.key $(SN mtls12)"
# mTLS where the server's CertificateRequest asks only for rsa_pkcs1_sha1 and the
# client (RSA 2048 certificate) signs its CertificateVerify with rsa_pkcs1_sha1.
cap mtls12-sha1 45052 \
  "-cert rsa2048.crt -key rsa2048.key -Verify 1 -CAfile clientca.crt -client_sigalgs RSA+SHA1 -cipher DEFAULT:@SECLEVEL=0" \
  "$C12 -cipher ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0 -sigalgs $SAFE_SIGALGS -client_sigalgs RSA+SHA1 -cert client2048.crt -key client2048.key $(SN mtls12-sha1)"
cap mtls13 45051 \
  "-cert rsa2048.crt -key rsa2048.key -Verify 1 -CAfile clientca.crt -cipher DEFAULT:@SECLEVEL=0" \
  "-tls1_3 -cipher DEFAULT:@SECLEVEL=0 -sigalgs $SAFE_SIGALGS -cert client1024.crt -key client1024.key $(SN mtls13)"

# 7. TLS 1.3 HelloRetryRequest: client's key_share is X25519 only, server takes P-256 only
cap tls13-hrr 45060 \
  "-cert rsa2048.crt -key rsa2048.key -groups P-256" \
  "-tls1_3 -groups X25519:P-256 $(SN tls13-hrr)"

# 8. refused: TLS 1.1-only client against a TLS 1.2+ server -> protocol_version alert
cap tls-refused 45070 \
  "-cert rsa2048.crt -key rsa2048.key -no_tls1 -no_tls1_1" \
  "-tls1_1 -cipher ECDHE-RSA-AES128-SHA:@SECLEVEL=0 $(SN tls-refused)"

# 9. certificate validity
cap cert-expired 45080 \
  "-cert cert-expired.crt -key rsa2048.key" \
  "$C12 -cipher ECDHE-RSA-AES128-GCM-SHA256 $(SN cert-expired)"
cap cert-notyet 45081 \
  "-cert cert-notyet.crt -key rsa2048.key" \
  "$C12 -cipher ECDHE-RSA-AES128-GCM-SHA256 $(SN cert-notyet)"

# 10. weak ECDHE curve (secp224r1, 224 bits)
cap tls12-ecdhe-p224 45090 \
  "-cert rsa2048.crt -key rsa2048.key -groups secp224r1 -cipher ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0" \
  "$C12 -groups secp224r1 -cipher ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0 -sigalgs $SAFE_SIGALGS $(SN tls12-ecdhe-p224)"

echo "== done" >&2
