#!/bin/bash
# Regenerates every capture in captures/legacy-tlcp/.
#
# Needs (installs nothing itself):
#   apt: tcpdump openssl tshark (tshark only for the summary at the end)
#   pip: tlslite-ng (tested 0.8.2)  -- legacy TLS peers (SSL 3.0, RC4, 3DES, SSLv2 hello)
#        tongsuopy  (tested 1.0.1)  -- its _tongsuo.abi3.so is Tongsuo/BabaSSL (OpenSSL 1.1.1h
#                                      based) with NTLS = TLCP; driven through ctypes
#   root (tcpdump on lo). Uses 127.0.0.1 TCP ports 45500-45504 and 45510-45513 only.
#
# Certificates are generated once into certs/ and reused on later runs (delete certs/ to
# regenerate them). Packet counts / frame numbers in expected.yaml were checked against
# the committed .pcap files; a re-run produces equivalent but not byte-identical captures,
# so re-check expected.yaml with tshark after regenerating.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD
PY=${PYTHON:-python3}
CERTS=$HERE/certs
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

gen_certs() {
  mkdir -p "$CERTS"; cd "$CERTS"
  if [ ! -f rsa_chain.pem ]; then
    # RSA 2048 / sha256WithRSAEncryption CA + server leaf for the tlslite-ng cases
    openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa_ca.key -sha256 -days 7300 \
      -subj "/CN=wirecheck legacy test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -out rsa_ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout rsa_server.key -subj "/CN=legacy.wirecheck.test" \
      -out "$TMP/rsa_server.csr" 2>/dev/null
    printf "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nsubjectAltName=DNS:*.wirecheck.test\n" > "$TMP/rsa_server.ext"
    openssl x509 -req -in "$TMP/rsa_server.csr" -CA rsa_ca.crt -CAkey rsa_ca.key -set_serial 0x1001 \
      -sha256 -days 7000 -extfile "$TMP/rsa_server.ext" -out rsa_server.crt 2>/dev/null
    cat rsa_server.crt rsa_ca.crt > rsa_chain.pem
  fi
  if [ ! -f client_enc.crt ]; then
    # SM2 CA (self-signed SM2-with-SM3) issuing sign + enc certificates for server and client.
    # The structure is built with OpenSSL 3; every signature is then (re)made by Tongsuo
    # (tools/sm2_resign.py) because OpenSSL 3.0 and Tongsuo 8.x (1.1.1h) do not agree on the
    # SM2 signer ID used for certificate signatures, and Tongsuo must verify the chain.
    openssl genpkey -algorithm SM2 -out ca.key
    openssl req -new -x509 -key ca.key -sm3 -days 7300 -subj "/CN=wirecheck TLCP test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -out ca.crt
    $PY "$HERE/tools/sm2_resign.py" ca.crt ca.key
    serial=0x2001
    for n in server_sign server_enc client_sign client_enc; do
      case $n in
        *sign) ku="critical,digitalSignature,nonRepudiation" ;;
        *enc)  ku="critical,keyEncipherment,dataEncipherment,keyAgreement" ;;
      esac
      openssl genpkey -algorithm SM2 -out $n.key
      openssl req -new -key $n.key -sm3 -subj "/CN=${n/_/-}.wirecheck.test" -out "$TMP/$n.csr"
      printf "basicConstraints=critical,CA:FALSE\nkeyUsage=$ku\n" > "$TMP/$n.ext"
      openssl x509 -req -in "$TMP/$n.csr" -CA ca.crt -CAkey ca.key -set_serial $serial -sm3 \
        -days 7000 -extfile "$TMP/$n.ext" -out $n.crt 2>/dev/null
      $PY "$HERE/tools/sm2_resign.py" $n.crt ca.key
      serial=$((serial + 1))
    done
  fi
  cd "$HERE"
}

# capture NAME PORT SERVER-CMD... -- CLIENT-CMD...
capture() {
  local name=$1 port=$2; shift 2
  local srv=() cli=()
  while [ "$1" != "--" ]; do srv+=("$1"); shift; done; shift; cli=("$@")
  rm -f "$name.pcap"
  tcpdump -i lo -U --immediate-mode -w "$name.pcap" "tcp port $port" 2>"$TMP/tcpdump.log" &
  local tpid=$!
  for _ in $(seq 100); do grep -q "listening on" "$TMP/tcpdump.log" && break; sleep 0.1; done
  "${srv[@]}" >"$TMP/server.out" 2>&1 &
  local spid=$!
  for _ in $(seq 100); do grep -q LISTENING "$TMP/server.out" && break; sleep 0.1; done
  "${cli[@]}"
  wait $spid || { cat "$TMP/server.out"; kill -INT $tpid; exit 1; }
  grep -v LISTENING "$TMP/server.out" || true
  sleep 1
  kill -INT $tpid; wait $tpid || true
  echo "== $name.pcap: $(tshark -r "$name.pcap" 2>/dev/null | wc -l) packets"
}

gen_certs

# ---- Part A: legacy TLS with tlslite-ng -------------------------------------------------
L="$PY $HERE/tools/legacy_tls.py"
capture ssl3-rc4-md5      45500 $L server ssl3-rc4-md5 45500 "$CERTS"      -- $L client ssl3-rc4-md5 45500 "$CERTS"
capture tls12-rc4         45501 $L server tls12-rc4 45501 "$CERTS"         -- $L client tls12-rc4 45501 "$CERTS"
capture tls12-3des        45502 $L server tls12-3des 45502 "$CERTS"        -- $L client tls12-3des 45502 "$CERTS"
capture tls10-dhe-3des    45504 $L server tls10-dhe-3des 45504 "$CERTS"    -- $L client tls10-dhe-3des 45504 "$CERTS"
capture sslv2-hello-tls10 45503 $L server sslv2-hello-tls10 45503 "$CERTS" -- $L client sslv2-hello-tls10 45503 "$CERTS"

# ---- Part B: TLCP with Tongsuo (tongsuopy's bundled library, via ctypes) ----------------
T="$PY $HERE/tools/tlcp_peer.py"
capture tlcp-ecc-sm4-cbc-sm3   45510 $T server 45510 ECC-SM2-SM4-CBC-SM3 "$CERTS"   -- $T client 45510 ECC-SM2-SM4-CBC-SM3 "$CERTS" tlcp-ecc-sm4-cbc-sm3.wirecheck.test
capture tlcp-ecc-sm4-gcm-sm3   45511 $T server 45511 ECC-SM2-SM4-GCM-SM3 "$CERTS"   -- $T client 45511 ECC-SM2-SM4-GCM-SM3 "$CERTS" tlcp-ecc-sm4-gcm-sm3.wirecheck.test
capture tlcp-ecdhe-sm4-cbc-sm3 45512 $T server 45512 ECDHE-SM2-SM4-CBC-SM3 "$CERTS" -- $T client 45512 ECDHE-SM2-SM4-CBC-SM3 "$CERTS" tlcp-ecdhe-sm4-cbc-sm3.wirecheck.test
capture tlcp-ecdhe-sm4-gcm-sm3 45513 $T server 45513 ECDHE-SM2-SM4-GCM-SM3 "$CERTS" -- $T client 45513 ECDHE-SM2-SM4-GCM-SM3 "$CERTS" tlcp-ecdhe-sm4-gcm-sm3.wirecheck.test
