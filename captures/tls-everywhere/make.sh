#!/bin/bash
# Regenerates the captures in captures/tls-everywhere/: TLS inside protocol upgrades
# (STARTTLS & co.), SOCKS tunnels, DTLS, QUIC, SSL 2.0, TLS 1.3 drafts, post-quantum key
# shares and certificates, odd record/segment layouts and TLS 1.0/1.1-only clients.
#
# Needs (installs nothing itself):
#   apt: tcpdump tshark openssl curl socat iproute2 util-linux (unshare)
#        postfix dovecot-imapd dovecot-pop3d prosody vsftpd slapd ldap-utils
#        postgresql (15) mariadb-server mariadb-client dante-server
#   pip (the python3 on PATH, or $PYTHON): aiosmtpd (1.4.6), pproxy (2.7.9), scapy (2.8.0),
#        cryptography (48.0.0, for the ML-DSA certificates), pyyaml (tools/facts.py)
#   three virtualenvs (paths overridable with $AIOQUIC_PY, $AIOQUIC09_PY, $TLSLITE09_PY):
#     /opt/wc-tls-venv/aioquic19: pip install certifi cryptography==48.0.0 pyopenssl service-identity \
#                                 pylsqpack==1.0.0 && pip install --no-deps aioquic==1.9.1
#        (aioquic 1.9.1 asks for pylsqpack>=1.1.1, which PyPI does not serve for Python 3.11;
#         tools/quic_peer.py adapts the one call that differs)
#     /opt/wc-tls-venv/aioquic09: pip install aioquic==0.9.25      (aioquic 1.x has no draft versions)
#     /opt/wc-tls-venv/tlslite09: pip install tlslite-ng==0.9.0b2 kyber-py dilithium-py ecdsa
#   root: network namespaces and tcpdump.
# Every connection runs inside network namespaces created here (names wc-tls-*), on
# 127.0.0.1 or on 10.199.x addresses that exist only inside those namespaces; ports
# 49000-49199 only. The namespaces and every process in them are removed on exit.
#
# Usage: ./make.sh            # regenerate every capture, then facts.yaml (tools/facts.py)
#        ./make.sh NAME ...    # regenerate only the named captures (file name without .pcap)
#
# Certificates and keys are fixed (certs/, made once by tools/gen_certs.sh and committed),
# so the chains on the wire are the same on every run; randoms, key shares, ports and
# timings are not, so frame numbers in facts.yaml are re-read by tools/facts.py.
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
PY=${PYTHON:-python3}
T=$HERE/tools
C=$HERE/certs
W=$(mktemp -d /tmp/wc-tls-everywhere.XXXXXX)
chmod 755 "$W"
NS=wc-tls-lo
ALLNS="wc-tls-lo wc-tls-c wc-tls-s"
CAP_PID=""
# No distribution openssl.cnf (Debian raises the security level): every OpenSSL-based
# program here starts from OpenSSL's built-in defaults.
export OPENSSL_CONF=/dev/null
export PYTHONWARNINGS=ignore

ONLY=("$@")
# shellcheck source=../lib/want.sh
. "$HERE/../lib/want.sh"

kill_ns_procs() { # every process inside our own namespaces (all started by this script)
  local n p
  for n in $ALLNS; do
    [ -e "/var/run/netns/$n" ] || continue
    for p in $(ip netns pids "$n" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  done
  sleep 0.5
  for n in $ALLNS; do
    [ -e "/var/run/netns/$n" ] || continue
    for p in $(ip netns pids "$n" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  done
}
cleanup() {
  [ -n "$CAP_PID" ] && kill -INT "$CAP_PID" 2>/dev/null || true
  type wire_down >/dev/null 2>&1 && wire_down
  kill_ns_procs
  for n in $ALLNS; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$W"
}
trap cleanup EXIT

wait_for() { # wait_for CMD... : poll up to 15 s
  local i
  for i in $(seq 150); do "$@" 2>/dev/null && return 0; sleep 0.1; done
  echo "timeout waiting for: $*" >&2; return 1
}
nsx() { ip netns exec "$NS" "$@"; }
tcp_listening() { [ -n "$(ip netns exec "${2:-$NS}" ss -Hltn "sport = :$1")" ]; }
udp_bound() { [ -n "$(ip netns exec "${2:-$NS}" ss -Hlun "sport = :$1")" ]; }

# cap_start NAME FILTER [NETNS] [IFACE]   /   cap_stop
cap_start() {
  CAP_NAME=$1
  rm -f "$W/$1.pcap"
  ip netns exec "${3:-$NS}" tcpdump -i "${4:-lo}" -n -U --immediate-mode -w "$W/$1.pcap" "$2" \
    2>"$W/$1.tcpdump.log" &
  CAP_PID=$!
  wait_for grep -q "listening on" "$W/$1.tcpdump.log"
}
cap_stop() {
  sleep 0.7
  kill -INT "$CAP_PID" 2>/dev/null || true
  wait "$CAP_PID" 2>/dev/null || true
  CAP_PID=""
  local n
  n=$(tcpdump -nr "$W/$CAP_NAME.pcap" 2>/dev/null | wc -l)
  [ "$n" -gt 0 ] || { echo "!! $CAP_NAME: empty capture" >&2; exit 1; }
  cp "$W/$CAP_NAME.pcap" "$HERE/$CAP_NAME.pcap"
  echo "== $CAP_NAME.pcap: $n packets" >&2
}

# the namespace for everything that runs on loopback
ip netns del "$NS" 2>/dev/null || true
ip netns add "$NS"
ip -n "$NS" link set lo up
ip netns exec "$NS" ip addr add 127.0.0.2/8 dev lo 2>/dev/null || true

bash "$T/gen_certs.sh"

# ============================================================== 1. STARTTLS upgrades
STARTTLS="smtp-starttls-tls12 smtp-auth-plain-starttls-tls10 imap-starttls pop3-user-pass-stls
  xmpp-starttls ftp-auth-tls ftps-curl-auth-ssl ldap-starttls postgres-sslrequest mysql-ssl"
# shellcheck disable=SC2086
if want_any $STARTTLS; then
  echo "== starting servers (postfix, aiosmtpd, dovecot, prosody, vsftpd, slapd, postgres, mariadb)" >&2
  # ---- postfix: 127.0.0.1:49000, STARTTLS capped at TLS 1.2
  PF=$W/postfix; mkdir -p "$PF/queue" "$PF/data"; chown postfix "$PF/data"
  cat >"$PF/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
myhostname = mail.wirecheck.test
mydomain = wirecheck.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
maillog_file_prefixes = /tmp
maillog_file = $PF/maillog
smtpd_banner = \$myhostname ESMTP wirecheck test
smtpd_tls_chain_files = $C/server.key, $C/server.crt, $C/ca.crt
smtpd_tls_security_level = may
smtpd_tls_protocols = >=TLSv1.2, <=TLSv1.2
smtpd_tls_loglevel = 1
smtpd_tls_session_cache_database =
EOF
  sed 's/^smtp      inet/127.0.0.1:49000 inet/' /etc/postfix/master.cf >"$PF/master.cf"
  nsx postfix -c "$PF" start >"$W/postfix.log" 2>&1 || { cat "$PF/maillog" >&2; exit 1; }
  # ---- aiosmtpd: 127.0.0.1:49001, AUTH allowed before STARTTLS, TLS 1.0 only, RSA 1024/SHA-1
  nsx "$PY" "$T/smtp_server.py" 49001 "$C/weak.crt" "$C/weak.key" 600 >"$W/aiosmtpd.log" 2>&1 &
  # ---- dovecot: IMAP 127.0.0.1:49002, POP3 127.0.0.1:49003
  DC=$W/dovecot; mkdir -p "$DC/run" "$DC/state" "$DC/home"; chmod 777 "$DC/home"
  cat >"$DC/dovecot.conf" <<EOF
base_dir = $DC/run
state_dir = $DC/state
log_path = $DC/log
protocols = imap pop3
listen = 127.0.0.1
ssl = yes
ssl_cert = <$C/server-chain.pem
ssl_key = <$C/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
passdb {
  driver = static
  args = password=wonderland
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$DC/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = 49002
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = 49003
  }
  inet_listener pop3s {
    port = 0
  }
}
EOF
  nsx dovecot -c "$DC/dovecot.conf"
  # ---- prosody: XMPP c2s 127.0.0.1:49004
  PR=$W/prosody; mkdir -p "$PR/data"
  cat >"$PR/prosody.cfg.lua" <<EOF
pidfile = "$PR/prosody.pid"
data_path = "$PR/data"
run_as_root = true
log = { info = "$PR/prosody.log" }
interfaces = { "127.0.0.1" }
c2s_ports = { 49004 }
c2s_direct_tls_ports = { }
s2s_ports = { }
modules_enabled = { "tls", "saslauth", "disco", "ping" }
modules_disabled = { "s2s", "offline", "c2s_direct_tls" }
c2s_require_encryption = true
authentication = "internal_plain"
ssl = { certificate = "$C/server-chain.pem", key = "$C/server.key" }
VirtualHost "xmpp.wirecheck.test"
  ssl = { certificate = "$C/server-chain.pem", key = "$C/server.key" }
EOF
  nsx prosody --config "$PR/prosody.cfg.lua" -F >"$PR/out.log" 2>&1 &
  # ---- vsftpd: 127.0.0.1:49005 (control), 49006 (passive data), anonymous, TLS forced
  FT=$W/vsftpd; mkdir -p "$FT/root" "$FT/empty"
  echo "hello over FTPS" >"$FT/root/hello.txt"; chmod 555 "$FT/root"
  cat >"$FT/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=49005
background=NO
anonymous_enable=YES
anon_root=$FT/root
no_anon_password=YES
local_enable=NO
write_enable=NO
allow_anon_ssl=YES
ssl_enable=YES
force_anon_logins_ssl=YES
force_anon_data_ssl=YES
ssl_tlsv1=YES
ssl_sslv2=NO
ssl_sslv3=NO
require_ssl_reuse=NO
ssl_ciphers=HIGH
rsa_cert_file=$C/server-chain.pem
rsa_private_key_file=$C/server.key
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=49006
pasv_max_port=49006
seccomp_sandbox=NO
secure_chroot_dir=$FT/empty
xferlog_enable=NO
ftpd_banner=wirecheck test FTP
EOF
  nsx vsftpd "$FT/vsftpd.conf" >"$FT/out.log" 2>&1 &
  # ---- slapd: LDAP 127.0.0.1:49007 (StartTLS)
  LD=$W/slapd; mkdir -p "$LD/db"
  cat >"$LD/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
pidfile $LD/slapd.pid
argsfile $LD/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCertificateFile $C/server.crt
TLSCertificateKeyFile $C/server.key
TLSCACertificateFile $C/ca.crt
database mdb
suffix "dc=wirecheck,dc=test"
rootdn "cn=admin,dc=wirecheck,dc=test"
rootpw secret
directory $LD/db
EOF
  nsx slapd -d 0 -h ldap://127.0.0.1:49007/ -f "$LD/slapd.conf" >"$LD/out.log" 2>&1 &
  # ---- postgresql 15: 127.0.0.1:49008, TLS capped at 1.2
  PG=$W/pg; mkdir -p "$PG"; chown postgres "$PG"
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  runuser -u postgres -- "$PGBIN/initdb" -D "$PG/data" -A trust -U postgres >"$PG/initdb.log" 2>&1
  install -o postgres -m 600 "$C/server.key" "$PG/data/server.key"
  install -o postgres -m 644 "$C/server-chain.pem" "$PG/data/server.crt"
  nsx runuser -u postgres -- "$PGBIN/postgres" -D "$PG/data" -p 49008 -k "$PG" \
    -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_max_protocol_version=TLSv1.2 >"$PG/out.log" 2>&1 &
  # ---- mariadb: 127.0.0.1:49009
  MY=$W/mariadb; mkdir -p "$MY"
  mariadb-install-db --no-defaults --datadir="$MY/data" --user=root \
    --auth-root-authentication-method=normal --skip-test-db >"$MY/install.log" 2>&1
  nsx mariadbd --no-defaults --user=root --datadir="$MY/data" --socket="$MY/sock" \
    --pid-file="$MY/pid" --port=49009 --bind-address=127.0.0.1 --skip-name-resolve \
    --ssl-cert="$C/server-chain.pem" --ssl-key="$C/server.key" --ssl-ca="$C/ca.crt" \
    --log-error="$MY/err.log" >/dev/null 2>&1 &
  for p in 49000 49001 49002 49003 49004 49005 49007 49008 49009; do wait_for tcp_listening $p; done

  if want smtp-starttls-tls12; then
    cap_start smtp-starttls-tls12 "tcp port 49000"
    (printf 'EHLO client.wirecheck.test\r\n'; sleep 1; printf 'QUIT\r\n'; sleep 1) |
      nsx timeout 15 openssl s_client -connect 127.0.0.1:49000 -starttls smtp -name client.wirecheck.test \
        -servername mail.wirecheck.test -CAfile "$C/ca.crt" -verify_hostname mail.wirecheck.test \
        >"$W/smtp.client.log" 2>&1 || true
    cap_stop
  fi
  if want smtp-auth-plain-starttls-tls10; then
    cap_start smtp-auth-plain-starttls-tls10 "tcp port 49001"
    nsx "$PY" "$T/smtp_auth_client.py" 49001 smtp-weak.wirecheck.test
    cap_stop
  fi
  # starttls_two NAME PORT PROTO LINE1 LINE2 S_CLIENT_ARGS... : if NAME is wanted, openssl s_client
  # -starttls PROTO to 127.0.0.1:PORT sending LINE1 after 0.5 s and LINE2 0.5 s later, captured
  starttls_two() {
    local name=$1 port=$2 proto=$3 line1=$4 line2=$5; shift 5
    want "$name" || return 0
    cap_start "$name" "tcp port $port"
    (sleep 0.5; printf '%s\r\n' "$line1"; sleep 0.5; printf '%s\r\n' "$line2"; sleep 1) |
      nsx timeout 15 openssl s_client -connect "127.0.0.1:$port" -starttls "$proto" \
        "$@" -CAfile "$C/ca.crt" >"$W/$proto.client.log" 2>&1 || true
    cap_stop
  }
  starttls_two imap-starttls 49002 imap "a1 CAPABILITY" "a2 LOGOUT" -servername imap.wirecheck.test
  if want pop3-user-pass-stls; then
    cap_start pop3-user-pass-stls "tcp port 49003"
    nsx "$PY" "$T/pop3_client.py" 127.0.0.2 49003 pop3.wirecheck.test
    cap_stop
  fi
  if want xmpp-starttls; then
    cap_start xmpp-starttls "tcp port 49004"
    (sleep 2) | nsx timeout 15 openssl s_client -connect 127.0.0.1:49004 -starttls xmpp \
      -xmpphost xmpp.wirecheck.test -servername xmpp.wirecheck.test -CAfile "$C/ca.crt" \
      >"$W/xmpp.client.log" 2>&1 || true
    cap_stop
  fi
  starttls_two ftp-auth-tls 49005 ftp "USER anonymous" "QUIT" -servername ftp.wirecheck.test
  if want ftps-curl-auth-ssl; then
    cap_start ftps-curl-auth-ssl "tcp port 49005 or tcp port 49006"
    nsx curl -sS --ssl-reqd --cacert "$C/ca.crt" --user anonymous: \
      ftp://127.0.0.1:49005/hello.txt -o "$W/ftp.out"
    cap_stop
  fi
  if want ldap-starttls; then
    cap_start ldap-starttls "tcp port 49007"
    LDAPTLS_CACERT=$C/ca.crt nsx ldapsearch -ZZ -H ldap://127.0.0.1:49007/ -x -b "" -s base \
      namingContexts >"$W/ldap.out" 2>&1
    cap_stop
  fi
  if want postgres-sslrequest; then
    cap_start postgres-sslrequest "tcp port 49008"
    nsx psql "host=127.0.0.1 port=49008 sslmode=require gssencmode=disable user=postgres dbname=postgres" \
      -c "select ssl, version, cipher from pg_stat_ssl where pid = pg_backend_pid()" >"$W/pg.out" 2>&1
    cap_stop
  fi
  if want mysql-ssl; then
    cap_start mysql-ssl "tcp port 49009"
    nsx mariadb --no-defaults --ssl --tls-version=TLSv1.2 -h 127.0.0.1 -P 49009 -u root \
      -e "show status like 'Ssl_version'; show status like 'Ssl_cipher'" >"$W/my.out" 2>&1
    cap_stop
  fi
  nsx postfix -c "$PF" stop >/dev/null 2>&1 || true
  kill_ns_procs
fi

# ============================================================== 2. SOCKS tunnels
TUNNELS="socks5-curl socks5h-curl socks5h-auth socks5-ip-nosni socks4-curl socks4a-curl socks4a-nosni"
TGT=socks-target.wirecheck.test
# shellcheck disable=SC2086
if want_any $TUNNELS; then
  printf '127.0.0.1 localhost\n127.0.0.1 %s\n' "$TGT" >"$W/hosts"
  # inner TLS server for one tunnelled connection (HTTP over TLS, openssl -www)
  target() {
    nsx openssl s_server -accept 127.0.0.1:49030 -naccept 1 -www -cert "$C/server.crt" \
      -key "$C/server.key" -cert_chain "$C/ca.crt" < <(sleep 30) >"$W/target.log" 2>&1 &
    wait_for tcp_listening 49030
  }
  # dante (SOCKS 4 and 5, no auth) on 49020; names resolved by dante through a private /etc/hosts
  cat >"$W/danted.conf" <<EOF
logoutput: $W/danted.log
internal: 127.0.0.1 port = 49020
external: 127.0.0.1
clientmethod: none
socksmethod: none
user.privileged: root
user.unprivileged: nobody
client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 protocol: tcp }
EOF
  nsx unshare -m sh -c "mount --bind '$W/hosts' /etc/hosts && exec danted -f '$W/danted.conf'" >/dev/null 2>&1 &
  wait_for tcp_listening 49020
  CURL="curl -sS --cacert $C/ca.crt -o /dev/null"
  RES="--resolve $TGT:49030:127.0.0.1"
  # socks_curl NAME PROXY_PORT CURL_ARGS... : if NAME is wanted, the inner TLS server, then one curl
  # through the proxy on PROXY_PORT, captured
  socks_curl() {
    local name=$1 port=$2; shift 2
    want "$name" || return 0
    target; cap_start "$name" "tcp port $port"
    # shellcheck disable=SC2086
    nsx $CURL "$@"
    cap_stop
  }
  # shellcheck disable=SC2086
  socks_curl socks5-curl 49020 --socks5 127.0.0.1:49020 $RES --tlsv1.2 --tls-max 1.2 "https://$TGT:49030/"
  socks_curl socks5h-curl 49020 --socks5-hostname 127.0.0.1:49020 "https://$TGT:49030/"
  socks_curl socks5-ip-nosni 49020 --socks5 127.0.0.1:49020 --tlsv1.2 --tls-max 1.2 "https://127.0.0.1:49030/"
  # shellcheck disable=SC2086
  socks_curl socks4-curl 49020 --socks4 127.0.0.1:49020 $RES --tlsv1.2 --tls-max 1.2 "https://$TGT:49030/"
  if want socks5h-auth; then
    # pproxy (fresh process: it remembers authenticated client IPs) with RFC 1929 user/password
    nsx unshare -m sh -c "mount --bind '$W/hosts' /etc/hosts && exec pproxy -l 'socks5://127.0.0.1:49021#alice:wonderland'" \
      >"$W/pproxy.log" 2>&1 &
    wait_for tcp_listening 49021
    socks_curl socks5h-auth 49021 --socks5-hostname 127.0.0.1:49021 --proxy-user alice:wonderland --tlsv1.2 --tls-max 1.2 "https://$TGT:49030/"
  fi
  if want socks4a-curl; then
    nsx "$PY" "$T/socks_server.py" 49022 --host "$TGT=127.0.0.1" >"$W/socks4a.log" 2>&1 &
    wait_for tcp_listening 49022
    socks_curl socks4a-curl 49022 --socks4a 127.0.0.1:49022 "https://$TGT:49030/"
  fi
  if want socks4a-nosni; then
    # openssl s_client -noservername -> socat (SOCKS4A client) -> socks_server.py -> s_server
    nsx "$PY" "$T/socks_server.py" 49022 --host "$TGT=127.0.0.1" >"$W/socks4a.log" 2>&1 &
    wait_for tcp_listening 49022
    nsx socat TCP-LISTEN:49031,bind=127.0.0.1,reuseaddr \
      "SOCKS4A:127.0.0.1:$TGT:49030,socksport=49022" >"$W/socat.log" 2>&1 &
    wait_for tcp_listening 49031
    target; cap_start socks4a-nosni "tcp port 49022"
    (printf 'GET / HTTP/1.0\r\n\r\n'; sleep 1) | nsx timeout 10 openssl s_client -connect 127.0.0.1:49031 \
      -noservername -tls1_2 -CAfile "$C/ca.crt" >"$W/nosni.client.log" 2>&1 || true
    cap_stop
  fi
  kill_ns_procs
fi

# ---------------------------------------------------------- two namespaces and a wire
# wc-tls-c (10.199.0.1, 02:00:00:c7:00:01) <-> tools/tapwire.py <-> wc-tls-s (10.199.0.2,
# 02:00:00:c7:00:02); static ARP entries, IPv6 off, so only the test traffic is on the wire.
WIRE_PID=""
wire_env() { # wire_env [tapwire args] ; $WIRE_MSS (optional) clamps the server's segments
  type wire_down >/dev/null 2>&1 && wire_down
  local n i=1
  for n in wc-tls-c wc-tls-s; do
    ip netns add $n
    ip -n $n link set lo up
    ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  rm -f "$W/wire.ready"
  "$PY" "$T/tapwire.py" --a wc-tls-c:wctls0 --b wc-tls-s:wctls0 --ready "$W/wire.ready" "$@" \
    2>"$W/tapwire.log" &
  WIRE_PID=$!
  wait_for test -f "$W/wire.ready"
  for n in wc-tls-c wc-tls-s; do
    ip -n $n link set wctls0 address 02:00:00:c7:00:0$i
    ip -n $n addr add 10.199.0.$i/24 dev wctls0
    ip -n $n link set wctls0 up
    i=$((i + 1))
  done
  ip -n wc-tls-c neigh replace 10.199.0.2 lladdr 02:00:00:c7:00:02 dev wctls0 nud permanent
  ip -n wc-tls-s neigh replace 10.199.0.1 lladdr 02:00:00:c7:00:01 dev wctls0 nud permanent
  if [ -n "${WIRE_MSS:-}" ]; then
    ip -n wc-tls-s route replace 10.199.0.1/32 dev wctls0 advmss "$WIRE_MSS"
    ip -n wc-tls-c route replace 10.199.0.2/32 dev wctls0 advmss "$WIRE_MSS"
  fi
}
wire_down() {
  [ -n "$WIRE_PID" ] && kill "$WIRE_PID" 2>/dev/null || true
  WIRE_PID=""
  local n p
  for n in wc-tls-c wc-tls-s; do
    [ -e "/var/run/netns/$n" ] || continue
    for p in $(ip netns pids "$n" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    ip netns del "$n" 2>/dev/null || true
  done
}

# ============================================================== 3. DTLS
DTLS="dtls10-hvr dtls12-hvr-srtp dtls12-fragmented-cert dtls12-retransmit"
# dtls_run NS SERVER_IP PORT "SERVER ARGS" "CLIENT ARGS"   (one DTLS association, one line of data)
dtls_run() {
  local ns=$1 ip=$2 port=$3 sargs=$4 cargs=$5
  # shellcheck disable=SC2086
  ip netns exec "$ns" openssl s_server -accept "$ip:$port" -naccept 1 $sargs \
    < <(sleep 12) >"$W/dtls.server.log" 2>&1 &
  wait_for udp_bound "$port" "$ns"
  # shellcheck disable=SC2086
  (echo "hello over DTLS"; sleep 2) | ip netns exec "${DTLS_CLIENT_NS:-$ns}" timeout 20 openssl s_client \
    -connect "$ip:$port" $cargs >"$W/dtls.client.log" 2>&1 || true
  grep -E "^(New|SRTP)" "$W/dtls.client.log" >&2 || true
  sleep 0.5
}
# shellcheck disable=SC2086
if want_any $DTLS; then
  SRV="-cert $C/server.crt -key $C/server.key -cert_chain $C/ca.crt"
  if want dtls10-hvr; then
    cap_start dtls10-hvr "udp port 49040"
    dtls_run "$NS" 127.0.0.1 49040 "-dtls1 -listen $SRV -cipher DEFAULT:@SECLEVEL=0" \
      "-dtls1 -cipher DEFAULT:@SECLEVEL=0 -servername dtls10.wirecheck.test"
    cap_stop
  fi
  if want dtls12-hvr-srtp; then
    cap_start dtls12-hvr-srtp "udp port 49041"
    dtls_run "$NS" 127.0.0.1 49041 "-dtls1_2 -listen $SRV -use_srtp SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80" \
      "-dtls1_2 -servername dtls-srtp.wirecheck.test -use_srtp SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_32:SRTP_AEAD_AES_128_GCM"
    cap_stop
  fi
  if want dtls12-fragmented-cert; then
    # RSA 4096 leaf + 3 RSA 4096 CA certificates (about 7.7 KB) with a 500-byte MTU
    cap_start dtls12-fragmented-cert "udp port 49042"
    dtls_run "$NS" 127.0.0.1 49042 \
      "-dtls1_2 -mtu 500 -cert $C/big-leaf.crt -key $C/big-leaf.key -cert_chain $C/big-chain.pem" \
      "-dtls1_2 -mtu 500 -servername dtls-big.wirecheck.test"
    cap_stop
  fi
  if want dtls12-retransmit; then
    # the wire drops the server's second datagram (ServerHello + first Certificate fragment,
    # after the HelloVerifyRequest); the flight is retransmitted. Captured on the server's interface, so the lost datagram is in the file.
    wire_env --drop 2
    cap_start dtls12-retransmit "udp port 49043" wc-tls-s wctls0
    DTLS_CLIENT_NS=wc-tls-c dtls_run wc-tls-s 10.199.0.2 49043 "-dtls1_2 $SRV" \
      "-dtls1_2 -servername dtls-retransmit.wirecheck.test"
    cap_stop
    cat "$W/tapwire.log" >&2
    wire_down
  fi
  kill_ns_procs
fi

# ============================================================== 4. QUIC (aioquic)
QUIC="quic-v1-h3 quic-v2-h3 quic-draft29-h3 quic-v1-mlkem-2initials"
AQ19=${AIOQUIC_PY:-/opt/wc-tls-venv/aioquic19/bin/python}    # aioquic 1.9.1
AQ09=${AIOQUIC09_PY:-/opt/wc-tls-venv/aioquic09/bin/python}  # aioquic 0.9.25 (draft-29)
# quic_cap NAME PORT PYTHON SERVER_VERSIONS CLIENT_ARGS...
quic_cap() {
  local name=$1 port=$2 py=$3 sv=$4; shift 4
  want "$name" || return 0
  nsx "$py" "$T/quic_peer.py" server "$port" "$C/server-chain.pem" "$C/server.key" \
    --versions "$sv" --seconds 20 >"$W/$name.server.log" 2>&1 &
  wait_for udp_bound "$port"
  rm -f "$W/$name.keys"
  cap_start "$name" "udp port $port"
  nsx "$py" "$T/quic_peer.py" client "$port" quic.wirecheck.test --keylog "$W/$name.keys" "$@"
  cap_stop
  cp "$W/$name.keys" "$HERE/$name.keys"
  editcap --inject-secrets "tls,$HERE/$name.keys" "$HERE/$name.pcap" "$HERE/$name-keys.pcapng"
}
# shellcheck disable=SC2086
if want_any $QUIC; then
  quic_cap quic-v1-h3 49060 "$AQ19" v1,v2 --version v1 --groups x25519,secp256r1
  quic_cap quic-v2-h3 49061 "$AQ19" v1,v2 --version v2 --groups x25519,secp256r1
  quic_cap quic-draft29-h3 49062 "$AQ09" draft29 --version draft29
  # aioquic 1.9.1 defaults: key shares X25519MLKEM768 (1216 bytes) + X25519, so the
  # ClientHello (~1.5 KB) needs CRYPTO frames in two Initial packets
  quic_cap quic-v1-mlkem-2initials 49063 "$AQ19" v1,v2 --version v1 --alpn h3,h3-29
  kill_ns_procs
fi

# s_server for one connection: sserver PORT ARGS... (stdin kept open, exits after 1 connection)
sserver() {
  local port=$1; shift
  nsx openssl s_server -accept "127.0.0.1:$port" -naccept 1 "$@" < <(sleep 20) >"$W/s_server.$port.log" 2>&1 &
  wait_for tcp_listening "$port"
}
# sclient PORT ARGS... : one line of data, then close
sclient() {
  local port=$1; shift
  (echo "hello"; sleep 1) | nsx timeout 15 openssl s_client -connect "127.0.0.1:$port" "$@" \
    >"$W/s_client.$port.log" 2>&1 || true
  grep -E "^(New|Protocol|.*alert)" "$W/s_client.$port.log" >&2 || true
}
RSA2048="-cert $C/server.crt -key $C/server.key -cert_chain $C/ca.crt"

# ============================================================== 5. SSL 2.0 (scapy)
if want sslv2-server; then
  nsx "$PY" "$T/sslv2_peer.py" server 49080 "$C/weak.crt" "$C/weak.key" >"$W/sslv2.server.log" 2>&1 &
  wait_for tcp_listening 49080
  cap_start sslv2-server "tcp port 49080"
  nsx timeout 20 "$PY" "$T/sslv2_peer.py" client 49080 </dev/null >"$W/sslv2.client.log" 2>&1 || true
  cap_stop
  kill_ns_procs
fi

# A line protocol no analyzer knows, upgraded to TLS after a plaintext part (tools/late_tls.py).
if want plaintext-then-tls; then
  nsx "$PY" "$T/late_tls.py" server 49085 "$C/weak.crt" "$C/weak.key" >"$W/late.server.log" 2>&1 &
  wait_for tcp_listening 49085
  cap_start plaintext-then-tls "tcp port 49085"
  nsx timeout 20 "$PY" "$T/late_tls.py" client 49085 </dev/null >"$W/late.client.log" 2>&1 || true
  cap_stop
  kill_ns_procs
fi

# ============================================================== 6. TLS 1.3 drafts / experiments
if want tls13-draft-offer; then
  sserver 49090 $RSA2048
  cap_start tls13-draft-offer "tcp port 49090"
  nsx timeout 20 "$PY" "$T/draft_client.py" 49090 draft.wirecheck.test </dev/null >"$W/draft.log" 2>&1 || true
  cap_stop
  kill_ns_procs
fi
if want tls12-draft-only-offer; then
  sserver 49091 $RSA2048
  cap_start tls12-draft-only-offer "tcp port 49091"
  nsx timeout 20 "$PY" "$T/draft_client.py" 49091 draft-only.wirecheck.test --drafts-only </dev/null >"$W/draft2.log" 2>&1 || true
  cap_stop
  kill_ns_procs
fi

# ============================================================== 7. post-quantum (tlslite-ng 0.9.0b2)
TL=${TLSLITE09_PY:-/opt/wc-tls-venv/tlslite09/bin/python}
# pq_cap NAME PORT "SERVER ARGS" "CLIENT ARGS"   (keys written to NAME.keys + NAME-keys.pcapng)
pq_cap() {
  local name=$1 port=$2 sargs=$3 cargs=$4
  want "$name" || return 0
  # shellcheck disable=SC2086
  nsx "$TL" "$T/tlslite_peer.py" server "$port" $sargs >"$W/$name.server.log" 2>&1 &
  wait_for tcp_listening "$port"
  rm -f "$W/$name.keys"
  cap_start "$name" "tcp port $port"
  # shellcheck disable=SC2086
  nsx "$TL" "$T/tlslite_peer.py" client "$port" pq.wirecheck.test --keylog "$W/$name.keys" $cargs
  cap_stop
  cp "$W/$name.keys" "$HERE/$name.keys"
  editcap --inject-secrets "tls,$HERE/$name.keys" "$HERE/$name.pcap" "$HERE/$name-keys.pcapng"
}
pq_cap tls13-x25519mlkem768 49100 "$C/server-chain.pem $C/server.key" \
  "--groups x25519mlkem768,x25519,secp256r1 --keyshares x25519mlkem768"
pq_cap tls13-mldsa44-cert 49101 "$C/mldsa-chain.pem $C/mldsa44.key" \
  "--groups x25519,secp256r1 --keyshares x25519"
if want tls12-mldsa44-cert-rejected; then
  # TLS 1.2 has no ML-DSA signature scheme: the tlslite-ng server sends the ML-DSA chain as it
  # is but signs the ServerKeyExchange with the RSA 2048 key; OpenSSL 3.0 (s_client) cannot
  # decode the ML-DSA public key and aborts with an internal_error alert.
  nsx "$TL" "$T/tlslite_peer.py" server 49102 "$C/mldsa-chain.pem" "$C/mldsa44.key" --tls12 \
    --groups x25519,secp256r1 --keyshares x25519 --sign-with-rsa "$C/server.key" >"$W/pq12.server.log" 2>&1 &
  wait_for tcp_listening 49102
  cap_start tls12-mldsa44-cert-rejected "tcp port 49102"
  sclient 49102 -tls1_2 -servername mldsa.wirecheck.test
  cap_stop
  kill_ns_procs
fi

# ============================================================== 8. record / segment layouts
if want tls12-max-send-frag-512; then
  # every handshake message cut into records of at most 512 bytes (RSA 4096 chain, ~7.7 KB)
  sserver 49120 -max_send_frag 512 -cert "$C/big-leaf.crt" -key "$C/big-leaf.key" -cert_chain "$C/big-chain.pem"
  cap_start tls12-max-send-frag-512 "tcp port 49120"
  sclient 49120 -tls1_2 -servername frag.wirecheck.test
  cap_stop
  kill_ns_procs
fi
if want tls12-coalesced-flight; then
  # scapy's TLS server puts ServerHello, Certificate, ServerKeyExchange and ServerHelloDone
  # into one TLS record
  nsx "$PY" "$T/coalesce_server.py" 49121 "$C/server-chain.pem" "$C/server.key" >"$W/coalesce.log" 2>&1 &
  wait_for tcp_listening 49121
  cap_start tls12-coalesced-flight "tcp port 49121"
  sclient 49121 -tls1_2 -servername coalesced.wirecheck.test
  cap_stop
  kill_ns_procs
fi
if want tls12-cert-segments-reordered; then
  # MSS 500 on the wire; tapwire.py holds back the server's 3rd payload segment (inside the
  # Certificate) and delivers it after the 4th; captured on the client's interface
  WIRE_MSS=500 wire_env --swap 3
  ip netns exec wc-tls-s openssl s_server -accept 10.199.0.2:49122 -naccept 1 \
    -cert "$C/big-leaf.crt" -key "$C/big-leaf.key" -cert_chain "$C/big-chain.pem" \
    < <(sleep 20) >"$W/reorder.server.log" 2>&1 &
  wait_for tcp_listening 49122 wc-tls-s
  cap_start tls12-cert-segments-reordered "tcp port 49122" wc-tls-c wctls0
  (echo hello; sleep 1) | ip netns exec wc-tls-c timeout 15 openssl s_client -connect 10.199.0.2:49122 \
    -tls1_2 -servername reorder.wirecheck.test >"$W/reorder.client.log" 2>&1 || true
  cap_stop
  cat "$W/tapwire.log" >&2
  type wire_down >/dev/null 2>&1 && wire_down
fi

# ============================================================== 9. clients that cannot do TLS 1.2
if want tls10-client-refused; then
  # OpenSSL defaults (security level 1): TLS 1.0 is refused with a protocol_version alert
  sserver 49140 $RSA2048
  cap_start tls10-client-refused "tcp port 49140"
  sclient 49140 -tls1 -cipher DEFAULT@SECLEVEL=0 -servername old-client.wirecheck.test
  cap_stop
  kill_ns_procs
fi
if want tls11-client-accepted; then
  sserver 49141 $RSA2048 -cipher DEFAULT@SECLEVEL=0
  cap_start tls11-client-accepted "tcp port 49141"
  sclient 49141 -tls1_1 -cipher DEFAULT@SECLEVEL=0 -servername old-client.wirecheck.test
  cap_stop
  kill_ns_procs
fi

"$PY" "$T/facts.py"
echo "== done" >&2
