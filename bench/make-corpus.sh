#!/usr/bin/env bash
# Records the benchmark's REAL seed capture, bench/out/seed.pcap (~60-80 MB):
#   - 40 TLS 1.2 + 40 TLS 1.3 connections with bulk data both ways
#     (Python ssl server with 10 listener configs: RSA 1024/2048/3072/4096 and
#     ECDSA P-256/P-384 leaves under an RSA CA, ECDHE/DHE/static-RSA suites,
#     clients from Python ssl and `openssl s_client`)
#   - 30 plaintext HTTP/1.1 exchanges (python3 -m http.server + curl, some
#     multi-MB bodies, some keep-alive connections with several requests)
#   - 600 DNS queries/answers (a tiny Python UDP responder on :47053)
# All traffic is 127.0.0.1 <-> 127.0.0.1 on ports 47000-47999 only, recorded
# with tcpdump on the loopback of a private network namespace created here
# (MTU 1500, GSO/GRO capped at 1500 so packets look like a real Ethernet
# capture, client ports pinned to 47500-47999). Without root / `ip netns`,
# it falls back to the host loopback (MTU 64 KiB: fewer, bigger packets).
#
# Needs (Debian): tcpdump openssl curl iproute2 python3. Installs nothing.
# Usage: bash bench/make-corpus.sh [--force]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/out"
WORK="$OUT/seed-work"
SEED="$OUT/seed.pcap"
TOOLS="$HERE/corpus_tools.py"
. "$HERE/record-lib.sh"

# ---------------------------------------------------------------- inside the namespace
if [ "${1:-}" = "--inside" ]; then
    in_netns="$2"
    cd "$WORK"
    if [ "$in_netns" = 1 ]; then ethernet_like_loopback; fi
    pids=()
    cleanup_inside() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
    trap cleanup_inside EXIT

    python3 "$TOOLS" tls-server "$WORK/servers.json" 2>"$WORK/tls-server.err" & pids+=($!)
    python3 "$TOOLS" dns-server 47053 & pids+=($!)
    python3 -m http.server 47080 --bind 127.0.0.1 --protocol HTTP/1.1 --directory "$WORK/www" \
        >/dev/null 2>"$WORK/http-server.err" & pids+=($!)
    wait_for_ports 47401 47402 47403 47404 47405 47406 47411 47412 47413 47414 47080
    start_recording

    RANDOM=4242   # deterministic plan
    downs=(32768 131072 262144 524288 1048576 2097152)
    ups=(0 1024 16384 131072 524288)
    fails=0
    run_py() {  # port sni up down flags...
        python3 "$TOOLS" tls-client "$@" 2>>"$WORK/clients.err" || { echo "client failed: $*" >>"$WORK/clients.err"; return 1; }
    }
    run_ossl() {  # port sni down flags...
        local port=$1 sni=$2 down=$3; shift 3
        printf 'SEND 0 RECV %d\n' "$down" | timeout 60 openssl s_client -connect "127.0.0.1:$port" \
            -servername "$sni" -quiet "$@" >/dev/null 2>>"$WORK/clients.err" || { echo "s_client failed: $port $*" >>"$WORK/clients.err"; return 1; }
    }
    # TLS 1.2: 40 connections (port, client kind, extra flags)
    tls12=(
        "47401 py --tls12" "47401 ossl -tls1_2" "47401 py --tls12 --ciphers ECDHE-RSA-CHACHA20-POLY1305"
        "47402 py --tls12" "47402 ossl -tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256"
        "47403 py --tls12" "47403 ossl -tls1_2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305"
        "47404 py --tls12 --ciphers AES256-GCM-SHA384:AES128-SHA256" "47404 ossl -tls1_2 -cipher AES128-SHA256"
        "47405 py --tls12 --ciphers DEFAULT:@SECLEVEL=0" "47406 py --tls12 --ciphers DEFAULT:@SECLEVEL=0"
        "47414 py --tls12" "47414 ossl -tls1_2 -sigalgs ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256"
    )
    # TLS 1.3: 40 connections
    tls13=(
        "47411 py --tls13" "47411 ossl -tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384"
        "47412 py --tls13" "47412 ossl -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256"
        "47413 py --tls13" "47413 ossl -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256"
        "47414 py" "47414 ossl -groups X25519:P-256" "47411 ossl -tls1_3 -groups P-384"
    )
    conn() {  # version index down up spec...
        local v=$1 i=$2 down=$3 up=$4; shift 4
        local port=$1 kind=$2; shift 2
        local sni="app$i-tls$v.wirecheck.test"
        if [ "$kind" = py ]; then run_py "$port" "$sni" "$up" "$down" "$@"
        else run_ossl "$port" "$sni" "$down" "$@"; fi
    }
    batch=()
    for i in $(seq 0 39); do
        # four at a time, so flows interleave in the capture as they would in an app
        # sizes drawn here in the parent (subshells reseed $RANDOM)
        d1=${downs[$((RANDOM % ${#downs[@]}))]} u1=${ups[$((RANDOM % ${#ups[@]}))]}
        d2=${downs[$((RANDOM % ${#downs[@]}))]} u2=${ups[$((RANDOM % ${#ups[@]}))]}
        conn 12 "$i" "$d1" "$u1" ${tls12[$((i % ${#tls12[@]}))]} & batch+=($!)
        conn 13 "$i" "$d2" "$u2" ${tls13[$((i % ${#tls13[@]}))]} & batch+=($!)
        if [ ${#batch[@]} -ge 4 ]; then
            for j in "${batch[@]}"; do wait "$j" || fails=$((fails + 1)); done
            batch=()
        fi
    done
    for j in "${batch[@]}"; do wait "$j" || fails=$((fails + 1)); done

    # DNS while HTTP runs
    python3 "$TOOLS" dns-client 47053 600 2>>"$WORK/clients.err" &
    DNSC=$!
    # HTTP/1.1: 30 request/response exchanges (6 keep-alive connections with 3 requests, 12 single)
    H="http://127.0.0.1:47080"
    UA=(-A "ShopApp/5.2.1 (Android 13; Pixel 7)" -H "X-Device-Id: 3f9a2c7e-1b44-4d0a-9e55-0c1f2b3a4d5e")
    for i in $(seq 0 5); do
        curl -s --limit-rate 40M "${UA[@]}" -o /dev/null -o /dev/null -o /dev/null \
            "$H/api/feed.json?page=$i&uid=1008$i" "$H/img/banner$((i % 4)).jpg" "$H/media/clip$((i % 3)).bin?token=ab$i" \
            || fails=$((fails + 1))
    done
    for i in $(seq 0 11); do
        f=$(printf '%s\n' api/profile.json api/config.json img/banner1.jpg media/clip0.bin media/big.bin js/app.js | sed -n "$((i % 6 + 1))p")
        curl -s --limit-rate 40M "${UA[@]}" -H "Cookie: session=s$i; phone=1380013800$((i % 10))" -o /dev/null "$H/$f?ts=$i" \
            || fails=$((fails + 1))
    done
    wait "$DNSC" || fails=$((fails + 1))
    stop_recording
    echo "$fails" >"$WORK/fails"
    exit 0
fi

# ---------------------------------------------------------------- outside
if [ -s "$SEED" ] && [ "${1:-}" != "--force" ]; then
    echo "make-corpus: $SEED exists ($(stat -c %s "$SEED") bytes); --force to re-record"
    exit 0
fi
for t in tcpdump openssl curl python3 ip; do
    command -v "$t" >/dev/null || { echo "make-corpus: needs $t (apt-get install tcpdump openssl curl iproute2)" >&2; exit 2; }
done
rm -rf "$WORK"; mkdir -p "$WORK/certs" "$WORK/www/api" "$WORK/www/img" "$WORK/www/media" "$WORK/www/js"
cd "$WORK/certs"

# ---- certificates: an RSA-4096 CA and leaves of several key types/sizes
ossl() { openssl "$@" 2>/dev/null; }
ossl req -x509 -newkey rsa:4096 -nodes -keyout ca.key -out ca.pem -days 3650 -sha256 -subj "/CN=wirecheck bench CA"
leaf() {  # name keyspec digest
    local name=$1 spec=$2 digest=$3
    case $spec in
        rsa*) ossl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${spec#rsa}" -out "$name.key" ;;
        ec*)  ossl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:${spec#ec}" -out "$name.key" ;;
    esac
    ossl req -new -key "$name.key" -out "$name.csr" -subj "/CN=$name.wirecheck.test"
    ossl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 "-$digest" -out "$name.pem"
    cat "$name.pem" ca.pem >"$name.chain.pem"
}
leaf rsa1024 rsa1024 sha256
leaf rsa2048 rsa2048 sha256
leaf rsa2048sha1 rsa2048 sha1
leaf rsa3072 rsa3072 sha384
leaf rsa4096 rsa4096 sha256
leaf ec256 ecP-256 sha256
leaf ec384 ecP-384 sha384
ossl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out dh2048.pem
C="$WORK/certs"
cat >"$WORK/servers.json" <<EOF
[
 {"port": 47401, "chain": "$C/rsa2048.chain.pem", "key": "$C/rsa2048.key", "max": "1.2", "ciphers": "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305"},
 {"port": 47402, "chain": "$C/rsa3072.chain.pem", "key": "$C/rsa3072.key", "max": "1.2", "ciphers": "DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256", "dhparams": "$C/dh2048.pem"},
 {"port": 47403, "chain": "$C/ec256.chain.pem", "key": "$C/ec256.key", "max": "1.2", "ciphers": "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305"},
 {"port": 47404, "chain": "$C/rsa4096.chain.pem", "key": "$C/rsa4096.key", "max": "1.2", "ciphers": "AES256-GCM-SHA384:AES128-SHA256"},
 {"port": 47405, "chain": "$C/rsa1024.chain.pem", "key": "$C/rsa1024.key", "max": "1.2", "ciphers": "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"},
 {"port": 47406, "chain": "$C/rsa2048sha1.chain.pem", "key": "$C/rsa2048sha1.key", "max": "1.2", "ciphers": "ECDHE-RSA-AES256-SHA384:@SECLEVEL=0"},
 {"port": 47411, "chain": "$C/rsa2048.chain.pem", "key": "$C/rsa2048.key", "min": "1.3"},
 {"port": 47412, "chain": "$C/ec384.chain.pem", "key": "$C/ec384.key", "min": "1.3"},
 {"port": 47413, "chain": "$C/rsa4096.chain.pem", "key": "$C/rsa4096.key", "min": "1.3"},
 {"port": 47414, "chain": "$C/ec256.chain.pem", "key": "$C/ec256.key"}
]
EOF

# ---- HTTP content: JSON, images, media (random bytes), one 4 MiB body
cd "$WORK/www"
python3 - <<'EOF'
import json, os, random
rng = random.Random(80)
feed = {"items": [{"id": i, "title": f"item {i}", "price": rng.randrange(100, 99999), "img": f"/img/{i}.jpg"} for i in range(400)]}
open("api/feed.json", "w").write(json.dumps(feed))
open("api/profile.json", "w").write(json.dumps({"uid": 10086, "nick": "bench", "phone": "13800138000", "city": "Hangzhou"}))
open("api/config.json", "w").write(json.dumps({"flags": {f"f{i}": i % 2 == 0 for i in range(200)}}))
for i in range(4):
    open(f"img/banner{i}.jpg", "wb").write(rng.randbytes(20000 + 30000 * i))
for i in range(3):
    open(f"media/clip{i}.bin", "wb").write(rng.randbytes(300000 * (i + 1)))
open("media/big.bin", "wb").write(rng.randbytes(4 << 20))
open("js/app.js", "w").write("function f(){return 1;}\n" * 8000)
EOF

# ---- record
record_in_namespace make-corpus "$HERE/make-corpus.sh"
report_recording make-corpus
mv "$WORK/seed.pcap.tmp" "$SEED"
echo "make-corpus: wrote $SEED ($(stat -c %s "$SEED") bytes)"
