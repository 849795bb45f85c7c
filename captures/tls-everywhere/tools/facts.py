#!/usr/bin/env python3
"""Writes facts.yaml: the oracle view of every capture, as tshark (4.0) decodes it.

usage: tools/facts.py [--check]      (run from anywhere; reads ../*.pcap, writes ../facts.yaml)
  --check  compare with the committed facts.yaml instead of writing it (exit 1 on a difference)

Everything under `handshakes`, `plaintext_credentials` and `tunnel_target` is read from tshark
output (-T fields); the certificates are the DER bytes tshark extracts
(tls.handshake.certificate / dtls.handshake.certificate), decoded with python cryptography.
Only `made_with`, `upgrade` and `note` come from the table below.
TLS 1.3 (and QUIC Handshake-space) messages are read with the capture's .keys file
(-o tls.keylog_file:NAME.keys) where one is committed.
"""
import base64, os, subprocess, sys
import yaml
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

OPENSSL = "OpenSSL 3.0.19"
# file: (made_with, upgrade, decode-as list, note)
META = {
    "smtp-starttls-tls12.pcap": ("postfix 3.7.11 (smtpd_tls_protocols = >=TLSv1.2, <=TLSv1.2) + openssl s_client -starttls smtp (" + OPENSSL + ")",
                                 "smtp-starttls", ["tcp.port==49000,smtp"],
                                 "client offers TLS 1.3-1.0, the server caps at TLS 1.2"),
    "smtp-auth-plain-starttls-tls10.pcap": ("aiosmtpd 1.4.6 (auth_require_tls=False, TLS 1.0 only) + raw python client (tools/smtp_auth_client.py, python ssl / " + OPENSSL + ")",
                                            "smtp-starttls", ["tcp.port==49001,smtp"],
                                            "EHLO, AUTH PLAIN (accepted: 235) in plaintext, then STARTTLS to TLS 1.0; server certificate RSA 1024 / sha1WithRSAEncryption"),
    "imap-starttls.pcap": ("dovecot 2.3.19.1 + openssl s_client -starttls imap (" + OPENSSL + ")", "imap-starttls",
                           ["tcp.port==49002,imap"], "clean TLS 1.3; certificate encrypted"),
    "pop3-user-pass-stls.pcap": ("dovecot 2.3.19.1 (disable_plaintext_auth = yes) + raw python client (tools/pop3_client.py)",
                                 "pop3-stls", ["tcp.port==49003,pop"],
                                 "USER alice / PASS wonderland sent in plaintext before STLS (server answers -ERR: plaintext auth disallowed), then STLS, TLS 1.2, and USER/PASS again inside TLS"),
    "xmpp-starttls.pcap": ("prosody 0.12.3 + openssl s_client -starttls xmpp (" + OPENSSL + ")", "xmpp-starttls",
                           ["tcp.port==49004,xmpp"], "<starttls/> then TLS 1.3"),
    "ftp-auth-tls.pcap": ("vsftpd 3.0.3 + openssl s_client -starttls ftp (" + OPENSSL + ")", "ftp-auth-tls",
                          ["tcp.port==49005,ftp"],
                          "AUTH TLS, then a TLS 1.3 handshake with a HelloRetryRequest (vsftpd accepts only secp256r1; the client's first key share is X25519)"),
    "ftps-curl-auth-ssl.pcap": ("vsftpd 3.0.3 + curl 7.88.1 --ssl-reqd (OpenSSL 3.0)", "ftp-auth-tls",
                                ["tcp.port==49005,tls", "tcp.port==49006,tls"],
                                "curl sends AUTH SSL (not AUTH TLS); tshark 4.0's FTP dissector only switches to TLS after AUTH TLS, so the oracle decodes both ports as TLS; control connection TLS 1.3, then a second TLS 1.3 handshake on the passive data connection (port 49006); no SNI (IP literal)"),
    "ldap-starttls.pcap": ("slapd 2.5.13 (OpenSSL) + ldapsearch -ZZ (libldap 2.5 with GnuTLS 3.7.9)", "ldap-starttls",
                           ["tcp.port==49007,ldap"], "StartTLS extended operation (1.3.6.1.4.1.1466.20037), then TLS 1.3; GnuTLS sends no SNI for an IP literal"),
    "postgres-sslrequest.pcap": ("postgresql 15 (ssl_max_protocol_version=TLSv1.2) + psql sslmode=require", "postgres-sslrequest",
                                 ["tcp.port==49008,pgsql"], "SSLRequest, 'S', then TLS 1.2"),
    "mysql-ssl.pcap": ("mariadb 10.11 + mariadb client --ssl --tls-version=TLSv1.2", "mysql-ssl",
                       ["tcp.port==49009,mysql"], "server greeting, SSL request (capability CLIENT_SSL), then TLS 1.2; the server also sends a CertificateRequest"),
    "socks5-curl.pcap": ("dante 1.4.2 + curl --socks5 (name resolved by curl)", "socks5", ["tcp.port==49020,socks"],
                         "SOCKS5 CONNECT to IPv4 127.0.0.1:49030; the SNI names the host"),
    "socks5h-curl.pcap": ("dante 1.4.2 + curl --socks5-hostname", "socks5", ["tcp.port==49020,socks"],
                          "SOCKS5 CONNECT with a domain name (resolved by dante); TLS 1.3"),
    "socks5h-auth.pcap": ("pproxy 2.7.9 (socks5 with user alice:wonderland) + curl --socks5-hostname --proxy-user", "socks5",
                          ["tcp.port==49021,socks"], "RFC 1929 username/password sub-negotiation in plaintext"),
    "socks5-ip-nosni.pcap": ("dante 1.4.2 + curl --socks5 https://127.0.0.1:49030/", "socks5", ["tcp.port==49020,socks"],
                             "no SNI (IP literal): only the SOCKS request names the target"),
    "socks4-curl.pcap": ("dante 1.4.2 + curl --socks4", "socks4", ["tcp.port==49020,socks"], "SOCKS4 CONNECT to 127.0.0.1:49030"),
    "socks4a-curl.pcap": ("tools/socks_server.py + curl --socks4a", "socks4a", ["tcp.port==49022,socks"],
                          "SOCKS4a: DSTIP 0.0.0.1 and the hostname after the user id"),
    "socks4a-nosni.pcap": ("tools/socks_server.py + socat SOCKS4A + openssl s_client -noservername (" + OPENSSL + ")", "socks4a",
                           ["tcp.port==49022,socks"], "no SNI: the SOCKS4a hostname is the only name of the target"),
    "dtls10-hvr.pcap": ("openssl s_server -dtls1 -listen / s_client -dtls1, @SECLEVEL=0 (" + OPENSSL + ")", "dtls", [],
                        "HelloVerifyRequest (cookie) then DTLS 1.0"),
    "dtls12-hvr-srtp.pcap": ("openssl s_server -dtls1_2 -listen -use_srtp / s_client -use_srtp (" + OPENSSL + ")", "dtls", [],
                             "HelloVerifyRequest; use_srtp offered SRTP_AES128_CM_SHA1_80, SRTP_AES128_CM_SHA1_32, SRTP_AEAD_AES_128_GCM"),
    "dtls12-fragmented-cert.pcap": ("openssl s_server/s_client -dtls1_2 -mtu 500 (" + OPENSSL + ")", "dtls", [],
                                    "4 x RSA 4096 certificates; the Certificate message is cut into many handshake fragments (fragment_offset > 0)"),
    "dtls12-retransmit.pcap": ("openssl s_server/s_client -dtls1_2 between two namespaces; tools/tapwire.py drops the server's 2nd datagram (" + OPENSSL + ")",
                               "dtls", [], "the lost datagram is in the capture (taken on the server side); client and server retransmit their flights after ~1 s (same message_seq, different fragmentation)"),
    "quic-v1-h3.pcap": ("aioquic 1.9.1 client and server (tools/quic_peer.py), HTTP/3 GET", "quic", [],
                        "QUIC v1; key shares X25519 + secp256r1; ClientHello in one Initial"),
    "quic-v2-h3.pcap": ("aioquic 1.9.1 client and server (tools/quic_peer.py), HTTP/3 GET", "quic", [],
                        "QUIC v2 (RFC 9369) from the first packet (original_version = v2)"),
    "quic-draft29-h3.pcap": ("aioquic 0.9.25 client and server (tools/quic_peer.py), HTTP/3 GET", "quic", [],
                             "QUIC draft-29 (0xff00001d)"),
    "quic-v1-mlkem-2initials.pcap": ("aioquic 1.9.1 client and server (tools/quic_peer.py), HTTP/3 GET", "quic", [],
                                     "key shares X25519MLKEM768 (1216 bytes) + X25519: the ClientHello needs CRYPTO frames in two Initial packets; the server picks X25519MLKEM768 and its ServerHello also spans two Initials"),
    "sslv2-server.pcap": ("scapy 2.8.0 TLSServerAutomaton + TLSClientAutomaton(version='sslv2') (tools/sslv2_peer.py)", "sslv2",
                          ["tcp.port==49080,tls"],
                          "SSL 2.0 CLIENT-HELLO, SERVER-HELLO with certificate (RSA 1024 / sha1WithRSAEncryption) and 7 cipher specs, CLIENT-MASTER-KEY with DES_192_EDE3_CBC_WITH_MD5"),
    "tls13-draft-offer.pcap": ("scapy 2.8.0 TLSClientAutomaton (tools/draft_client.py) + openssl s_server (" + OPENSSL + ")", None,
                               ["tcp.port==49090,tls"],
                               "supported_versions offers drafts 28/23/22, 0x7e02, 0xfb1a, TLS 1.3, TLS 1.2; the server selects 0x0304"),
    "tls12-draft-only-offer.pcap": ("scapy 2.8.0 TLSClientAutomaton (tools/draft_client.py --drafts-only) + openssl s_server (" + OPENSSL + ")", None,
                                    ["tcp.port==49091,tls"],
                                    "supported_versions offers only drafts/experiments and 0x0303; the server negotiates TLS 1.2"),
    "tls13-x25519mlkem768.pcap": ("tlslite-ng 0.9.0b2 + kyber-py 1.2.0 on both sides (tools/tlslite_peer.py)", None,
                                  ["tcp.port==49100,tls"], "hybrid key share X25519MLKEM768 (0x11ec) only; RSA 2048 certificate (readable with the .keys file)"),
    "tls13-mldsa44-cert.pcap": ("tlslite-ng 0.9.0b2 + dilithium-py 1.5.1 on both sides (tools/tlslite_peer.py)", None,
                                ["tcp.port==49101,tls"], "ML-DSA-44 leaf issued by an ML-DSA-65 CA; CertificateVerify mldsa44 (0x0904); the Certificate is encrypted (TLS 1.3): read it with the .keys file"),
    "tls12-mldsa44-cert-rejected.pcap": ("tlslite-ng 0.9.0b2 server (ML-DSA chain sent as is, ServerKeyExchange signed with RSA 2048) + openssl s_client -tls1_2 (" + OPENSSL + ")", None,
                                         ["tcp.port==49102,tls"], "the ML-DSA-44 / ML-DSA-65 chain is in a plaintext TLS 1.2 Certificate; OpenSSL cannot decode the key and sends internal_error"),
    "tls12-max-send-frag-512.pcap": ("openssl s_server -max_send_frag 512 / s_client -tls1_2 (" + OPENSSL + ")", None,
                                     ["tcp.port==49120,tls"], "every server record <= 512 bytes: ServerHello, Certificate (4 x RSA 4096) and ServerKeyExchange are cut over many records"),
    "tls12-coalesced-flight.pcap": ("scapy 2.8.0 TLSServerAutomaton (tools/coalesce_server.py) + openssl s_client -tls1_2 (" + OPENSSL + ")", None,
                                    ["tcp.port==49121,tls"], "ServerHello, Certificate, ServerKeyExchange, ServerHelloDone in ONE record; scapy sends only the leaf"),
    "tls12-cert-segments-reordered.pcap": ("openssl s_server / s_client -tls1_2 between two namespaces, MSS 500; tools/tapwire.py swaps two server segments (" + OPENSSL + ")",
                                           None, ["tcp.port==49122,tls"], "captured on the client side: a segment inside the Certificate arrives after the one that follows it"),
    "tls10-client-refused.pcap": ("openssl s_client -tls1 -cipher DEFAULT@SECLEVEL=0 + openssl s_server (defaults) (" + OPENSSL + ")", None,
                                  ["tcp.port==49140,tls"], "client_version 0x0301 (no supported_versions); the server answers a protocol_version alert"),
    "tls11-client-accepted.pcap": ("openssl s_client -tls1_1 + s_server -cipher DEFAULT@SECLEVEL=0 (" + OPENSSL + ")", None,
                                   ["tcp.port==49141,tls"], "client_version 0x0302; the server accepts TLS 1.1"),
}

VERSIONS = {0x0002: "SSL 2.0", 0x0300: "SSL 3.0", 0x0301: "TLS 1.0", 0x0302: "TLS 1.1", 0x0303: "TLS 1.2",
            0x0304: "TLS 1.3", 0xFEFF: "DTLS 1.0", 0xFEFD: "DTLS 1.2", 0xFEFC: "DTLS 1.3",
            0x7E02: "TLS 1.3 experiment 0x7e02 (Google)", 0x7E01: "TLS 1.3 experiment 0x7e01 (Google)",
            0xFB1A: "TLS 1.3 experiment 0xfb1a (Facebook)"}
GROUPS = {0x0017: "secp256r1", 0x0018: "secp384r1", 0x0019: "secp521r1", 0x001D: "x25519", 0x001E: "x448",
          0x0100: "ffdhe2048", 0x0101: "ffdhe3072", 0x0102: "ffdhe4096", 0x0103: "ffdhe6144", 0x0104: "ffdhe8192",
          0x11EB: "SecP256r1MLKEM768", 0x11EC: "X25519MLKEM768", 0x11ED: "SecP384r1MLKEM1024",
          0x6399: "X25519Kyber768Draft00"}
QUIC_VERSIONS = {0x00000001: "QUIC v1", 0x6B3343CF: "QUIC v2", 0xFF00001D: "QUIC draft-29"}
SIGOIDS = {"2.16.840.1.101.3.4.3.17": "ML-DSA-44", "2.16.840.1.101.3.4.3.18": "ML-DSA-65",
           "2.16.840.1.101.3.4.3.19": "ML-DSA-87"}
SRTP = {0x0001: "SRTP_AES128_CM_SHA1_80", 0x0002: "SRTP_AES128_CM_SHA1_32", 0x0007: "SRTP_AEAD_AES_128_GCM",
        0x0008: "SRTP_AEAD_AES_256_GCM"}
HRR_RANDOM = "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"
SSL2_CIPHERS = {0x010080: "SSL2_RC4_128_WITH_MD5", 0x020080: "SSL2_RC4_128_EXPORT40_WITH_MD5",
                0x030080: "SSL2_RC2_128_CBC_WITH_MD5", 0x040080: "SSL2_RC2_128_CBC_EXPORT40_WITH_MD5",
                0x050080: "SSL2_IDEA_128_CBC_WITH_MD5", 0x060040: "SSL2_DES_64_CBC_WITH_MD5",
                0x0700C0: "SSL2_DES_192_EDE3_CBC_WITH_MD5"}


def vname(v):
    if 0x7F00 <= v <= 0x7FFF:
        return f"TLS 1.3 draft {v & 0xFF}"
    return VERSIONS.get(v, f"0x{v:04x}")


def gname(g):
    return f"0x{g:04x} ({GROUPS.get(g, 'unknown')})"


def tshark_cmd(f, decode, keys):
    cmd = ["tshark", "-n", "-r", f]
    for d in decode:
        cmd += ["-d", d]
    if keys:
        cmd += ["-o", f"tls.keylog_file:{keys}"]
    return cmd


def fields(f, decode, keys, names, yfilter):
    cmd = tshark_cmd(f, decode, keys) + ["-Y", yfilter, "-T", "fields", "-E", "separator=\t",
                                         "-E", "occurrence=a", "-E", "aggregator=|"]
    for n in names:
        cmd += ["-e", n]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=HERE).stdout
    rows = []
    for line in out.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(names) - len(cols))
        rows.append({n: [x for x in c.split("|") if x != ""] for n, c in zip(names, cols)})
    return rows


def ints(xs):
    out = []
    for x in xs:
        for y in x.split(","):
            y = y.strip()
            if y:
                out.append(int(y, 0))
    return out


def cert_info(hexder):
    c = x509.load_der_x509_certificate(bytes.fromhex(hexder.replace(":", "")))
    cn = c.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    info = {"subject_cn": cn[0].value if cn else None}
    try:
        k = c.public_key()
    except Exception:
        k = None
    if isinstance(k, rsa.RSAPublicKey):
        info.update(key_type="RSA", key_bits=k.key_size)
    elif isinstance(k, ec.EllipticCurvePublicKey):
        info.update(key_type=f"EC {k.curve.name}", key_bits=k.key_size)
    elif isinstance(k, dsa.DSAPublicKey):
        info.update(key_type="DSA", key_bits=k.key_size)
    elif isinstance(k, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
        info.update(key_type=type(k).__name__.replace("PublicKey", ""), key_bits=None)
    elif k is not None and type(k).__name__.startswith("MLDSA"):
        n = type(k).__name__[5:7]
        info.update(key_type=f"ML-DSA-{n}", key_bits=None,
                    public_key_bytes=len(k.public_bytes_raw()))
    else:
        info.update(key_type="unknown", key_bits=None)
    oid = c.signature_algorithm_oid.dotted_string
    info["signature"] = SIGOIDS.get(oid, c.signature_algorithm_oid._name)
    if info["signature"] == "Unknown OID":
        info["signature"] = oid
    return info


TLS_F = ["frame.number", "tcp.stream", "udp.stream", "tcp.srcport", "udp.srcport", "tls.record.version", "tls.handshake.type",
         "tls.handshake.version", "tls.handshake.extensions.supported_version", "tls.handshake.ciphersuite",
         "tls.handshake.extensions_server_name", "tls.handshake.extensions_key_share_group",
         "tls.handshake.extensions_supported_group", "tls.handshake.extensions_alpn_str",
         "tls.handshake.certificate", "tls.handshake.random", "tls.handshake.server_named_curve",
         "tls.handshake.cipherspec", "tls.alert_message.desc", "tls.handshake.sig_hash_alg",
         "quic.version", "quic.dcid", "quic.long.packet_type", "quic.crypto.offset", "quic.crypto.length"]
DTLS_F = ["frame.number", "udp.stream", "udp.srcport", "dtls.record.version", "dtls.handshake.type",
          "dtls.handshake.version", "dtls.handshake.extensions.supported_version", "dtls.handshake.ciphersuite",
          "dtls.handshake.extensions_server_name", "dtls.handshake.extensions_key_share_group",
          "dtls.handshake.extensions_supported_group", "dtls.handshake.extensions_alpn_str",
          "dtls.handshake.certificate", "dtls.use_srtp.protection_profile", "dtls.handshake.cookie_length",
          "dtls.handshake.message_seq", "dtls.handshake.fragment_offset", "dtls.handshake.server_named_curve",
          "dtls.alert_message.desc"]


def tls_handshakes(f, decode, keys):
    rows = fields(f, decode, keys, TLS_F, "tls.handshake or tls.alert_message or tls.record.version == 0x0002")
    streams = {}
    for r in rows:
        sid = (r["tcp.stream"] or r["udp.stream"] or ["0"])[0]
        streams.setdefault(sid, []).append(r)
    out = []
    for sid, rs in sorted(streams.items(), key=lambda kv: int(kv[0])):
        h = {"client_hello_packet": None, "sni": None, "offered_versions": [], "version": None,
             "cipher_suite": None, "key_share_group": None, "alpn": [], "certificates": []}
        client = None
        extra = {}
        hrr = False
        for r in rs:
            types = ints(r["tls.handshake.type"])
            ssl2 = 0x0002 in ints(r["tls.record.version"])
            if ssl2:
                if 1 in types and h["client_hello_packet"] is None:
                    h["client_hello_packet"] = int(r["frame.number"][0])
                    h["offered_versions"] = ["SSL 2.0"]
                    extra["ssl2_client_cipher_specs"] = [SSL2_CIPHERS.get(c, hex(c)) for c in ints(r["tls.handshake.cipherspec"])]
                if 4 in types:
                    h["version"] = "SSL 2.0"
                    extra["ssl2_server_cipher_specs"] = [SSL2_CIPHERS.get(c, hex(c)) for c in ints(r["tls.handshake.cipherspec"])]
                    h["certificates"] = [cert_info(c) for c in r["tls.handshake.certificate"]]
                if 2 in types:
                    cs = ints(r["tls.handshake.cipherspec"])
                    h["cipher_suite"] = f"0x{cs[0]:06X} ({SSL2_CIPHERS.get(cs[0])})" if cs else None
                continue
            if 1 in types and (client is None or hrr):
                if client is None:
                    h["client_hello_packet"] = int(r["frame.number"][0])
                    client = (r["tcp.srcport"] or r["udp.srcport"])[0]
                    sni = r["tls.handshake.extensions_server_name"]
                    h["sni"] = sni[0] if sni else None
                    sv = ints(r["tls.handshake.extensions.supported_version"])
                    if sv:
                        h["offered_versions"] = [vname(v) for v in sv if (v & 0x0F0F) != 0x0A0A]
                    else:
                        h["offered_versions"] = [vname(ints(r["tls.handshake.version"])[0])]
                    h["offered_key_shares"] = [gname(g) for g in ints(r["tls.handshake.extensions_key_share_group"])]
                    h["offered_groups"] = [gname(g) for g in ints(r["tls.handshake.extensions_supported_group"])]
                    h["alpn_offered"] = r["tls.handshake.extensions_alpn_str"]
                    if r["quic.version"]:
                        qv = ints(r["quic.version"])[0]
                        extra["quic_version"] = f"0x{qv:08x} ({QUIC_VERSIONS.get(qv, '?')})"
                else:
                    extra["second_client_hello_packet"] = int(r["frame.number"][0])
                    hrr = False
            if 2 in types:
                rnd = r["tls.handshake.random"]
                if rnd and rnd[-1].replace(":", "") == HRR_RANDOM:
                    hrr = True
                    extra["hello_retry_request_packet"] = int(r["frame.number"][0])
                    continue
                extra["server_hello_packet"] = int(r["frame.number"][0])
                sv = ints(r["tls.handshake.extensions.supported_version"])
                hv = ints(r["tls.handshake.version"])
                h["version"] = vname(sv[-1] if sv else hv[-1])
                cs = ints(r["tls.handshake.ciphersuite"])
                h["cipher_suite"] = f"0x{cs[-1]:04X}" if cs else None
                ks = ints(r["tls.handshake.extensions_key_share_group"])
                if ks:
                    h["key_share_group"] = gname(ks[-1])
                if r["tls.handshake.extensions_alpn_str"]:
                    h["alpn"] = r["tls.handshake.extensions_alpn_str"]
            if 8 in types and r["tls.handshake.extensions_alpn_str"]:
                h["alpn"] = r["tls.handshake.extensions_alpn_str"]
            if 12 in types and r["tls.handshake.server_named_curve"]:
                h["key_share_group"] = gname(ints(r["tls.handshake.server_named_curve"])[0]) + " in ServerKeyExchange"
            if 11 in types and r["tls.handshake.certificate"]:
                if not h["certificates"]:
                    h["certificates"] = [cert_info(c) for c in r["tls.handshake.certificate"]]
                    extra["certificate_packet"] = int(r["frame.number"][0])
            if 25 in types:
                extra["compressed_certificate"] = True
            src = (r["tcp.srcport"] or r["udp.srcport"] or [None])[0]
            if 15 in types and r["tls.handshake.sig_hash_alg"] and src != client:
                extra["server_certificate_verify_scheme"] = f"0x{ints(r['tls.handshake.sig_hash_alg'])[-1]:04x}"
            if r["tls.alert_message.desc"] and "alert" not in extra:
                extra["alert"] = {"packet": int(r["frame.number"][0]),
                                  "from": "client" if src == client else "server",
                                  "description": int(r["tls.alert_message.desc"][0])}
        if h["client_hello_packet"] is None:
            continue
        h.update(extra)
        out.append(h)
    return out


def dtls_handshakes(f):
    rows = fields(f, [], None, DTLS_F, "dtls.handshake or dtls.alert_message")
    h = {"client_hello_packet": None, "sni": None, "offered_versions": [], "version": None,
         "cipher_suite": None, "key_share_group": None, "alpn": [], "certificates": [], "srtp_profiles": []}
    client = None
    hvr, ch_frames, sh_frames, frag = [], [], [], []
    for r in rows:
        types = ints(r["dtls.handshake.type"])
        fn = int(r["frame.number"][0])
        if 1 in types:
            ch_frames.append(fn)
            if client is None:
                client = r["udp.srcport"][0]
                h["client_hello_packet"] = fn
                sni = r["dtls.handshake.extensions_server_name"]
                h["sni"] = sni[0] if sni else None
                sv = ints(r["dtls.handshake.extensions.supported_version"])
                h["offered_versions"] = [vname(v) for v in sv] if sv else [vname(ints(r["dtls.handshake.version"])[0])]
                h["srtp_offered"] = [SRTP.get(p, hex(p)) for p in ints(r["dtls.use_srtp.protection_profile"])]
        if 3 in types:
            hvr.append(fn)
        if 2 in types:
            sh_frames.append(fn)
            sv = ints(r["dtls.handshake.extensions.supported_version"])
            hv = ints(r["dtls.handshake.version"])
            h["version"] = vname(sv[-1] if sv else hv[0])
            cs = ints(r["dtls.handshake.ciphersuite"])
            h["cipher_suite"] = f"0x{cs[0]:04X}"
            h["srtp_profiles"] = [SRTP.get(p, hex(p)) for p in ints(r["dtls.use_srtp.protection_profile"])]
        if 11 in types:
            offs = [o for t, o in zip(types, ints(r["dtls.handshake.fragment_offset"])) if t == 11]
            frag += [(fn, o) for o in offs]
            if r["dtls.handshake.certificate"] and not h["certificates"]:
                h["certificates"] = [cert_info(c) for c in r["dtls.handshake.certificate"]]
                h["certificate_reassembled_in"] = fn
        if 12 in types and r["dtls.handshake.server_named_curve"] and h["key_share_group"] is None:
            h["key_share_group"] = gname(ints(r["dtls.handshake.server_named_curve"])[0]) + " in ServerKeyExchange"
    h["hello_verify_request_packets"] = hvr
    h["client_hello_packets"] = ch_frames
    h["server_hello_packets"] = sh_frames
    h["certificate_fragments"] = len(frag)
    h["certificate_fragment_offsets_gt0"] = sum(1 for _, o in frag if o > 0)
    return [h]


def quic_packets(f):
    rows = fields(f, [], None, ["frame.number", "udp.srcport", "quic.version", "quic.dcid",
                                "quic.long.packet_type", "quic.long.packet_type_v2", "quic.crypto.offset",
                                "quic.crypto.length"], "quic")
    client_port = rows[0]["udp.srcport"][0]
    first = rows[0]
    qv = ints(first["quic.version"])[0]
    ch = []
    for r in rows:
        if r["udp.srcport"][0] != client_port or not r["quic.crypto.offset"]:
            continue
        # the first QUIC packet in the datagram must be an Initial (v1/draft: type 0, v2: type 1)
        if qv == 0x6B3343CF:
            initial = ints(r["quic.long.packet_type_v2"])[:1] == [1]
        else:
            initial = ints(r["quic.long.packet_type"])[:1] == [0]
        if not initial:
            continue
        ch.append({"packet": int(r["frame.number"][0]), "crypto_offset": ints(r["quic.crypto.offset"])[0],
                   "crypto_length": ints(r["quic.crypto.length"])[0]})
    return {"client_initial_dcid": first["quic.dcid"][0],
            "quic_version": f"0x{qv:08x} ({QUIC_VERSIONS.get(qv, '?')})",
            "client_hello_crypto_frames": ch}


def socks_facts(f, decode):
    rows = fields(f, decode, None, ["frame.number", "socks.version", "socks.command", "socks.username",
                                    "socks.password", "socks.remote_name", "socks.v4a_dns_name", "socks.dst",
                                    "socks.dstport", "socks.port", "socks.address_type", "socks.auth_method"], "socks")
    target, creds, methods = None, [], None
    for r in rows:
        if r["socks.auth_method"] and methods is None:
            methods = ints(r["socks.auth_method"])
        if r["socks.username"]:
            v4 = r["socks.version"][:1] == ["4"]
            c = {"kind": "socks4-userid" if v4 else "socks5-rfc1929", "user": r["socks.username"][0],
                 "packet": int(r["frame.number"][0])}
            if r["socks.password"]:
                c["password"] = r["socks.password"][0]
            creds.append(c)
        port = r["socks.dstport"] or r["socks.port"]
        if r["socks.command"] and target is None and port:
            host = (r["socks.remote_name"] or r["socks.v4a_dns_name"] or r["socks.dst"] or ["?"])[0]
            target = f"{host}:{port[0]}"
    return target, creds


def credentials(f, decode):
    creds = []
    if any("smtp" in d for d in decode):
        for r in fields(f, decode, None, ["frame.number", "smtp.req.command", "smtp.req.parameter"], "smtp.req"):
            if r["smtp.req.command"] == ["AUTH"] and r["smtp.req.parameter"]:
                p = r["smtp.req.parameter"][0].split()
                if p[0].upper() == "PLAIN" and len(p) > 1:
                    _, user, pw = base64.b64decode(p[1]).split(b"\0")
                    creds.append({"kind": "smtp-auth-plain", "user": user.decode(), "password": pw.decode(),
                                  "packet": int(r["frame.number"][0])})
    if any(",pop" in d for d in decode):
        user = None
        for r in fields(f, decode, None, ["frame.number", "pop.request.command", "pop.request.parameter"], "pop.request"):
            cmd = (r["pop.request.command"] or [""])[0].upper()
            if cmd == "USER":
                user = r["pop.request.parameter"][0]
            if cmd == "PASS":
                creds.append({"kind": "pop3-user-pass", "user": user, "password": r["pop.request.parameter"][0],
                              "packet": int(r["frame.number"][0])})
    return creds


def main():
    caps = []
    for name in sorted(META, key=lambda n: list(META).index(n)):
        made, upgrade, decode, note = META[name]
        path = os.path.join(HERE, name)
        keys = name[:-5] + ".keys"
        keys = keys if os.path.exists(os.path.join(HERE, keys)) else None
        udp = name.startswith(("dtls", "quic"))
        entry = {"file": name, "made_with": made, "transport": "udp" if udp else "tcp", "upgrade": upgrade}
        creds, target = credentials(name, decode), None
        if upgrade and upgrade.startswith("socks"):
            target, sc = socks_facts(name, decode)
            creds += sc
        entry["plaintext_credentials"] = creds
        entry["tunnel_target"] = target
        if name.startswith("dtls"):
            hs = dtls_handshakes(name)
        else:
            hs = tls_handshakes(name, decode, keys)
            if name.startswith("quic"):
                q = quic_packets(name)
                for h in hs:
                    h.update(q)
        for h in hs:
            h.setdefault("srtp_profiles", [])
            h["note"] = note
        entry["handshakes"] = hs
        if keys:
            entry["keylog"] = keys
            entry["pcapng_with_keys"] = name[:-5] + "-keys.pcapng"
        cmd = tshark_cmd(name, decode, keys)
        if udp and name.startswith("dtls"):
            cmd = ["tshark", "-n", "-r", name]
        entry["tshark"] = " ".join(cmd)
        caps.append(entry)
    doc = {"captures": caps}
    text = ("# tls-everywhere: oracle view of every capture, written by tools/facts.py from tshark 4.0 output.\n"
            "# frame numbers are tshark's (where a message spans several packets: the packet in which\n"
            "# tshark completes the reassembly). See README.md.\n"
            + yaml.safe_dump(doc, sort_keys=False, width=120, allow_unicode=True))
    target = os.path.join(HERE, "facts.yaml")
    if "--check" in sys.argv:
        old = open(target).read() if os.path.exists(target) else ""
        if old != text:
            print("facts.yaml differs from the captures", file=sys.stderr)
            sys.exit(1)
        print("facts.yaml matches")
        return
    open(target, "w").write(text)
    print(f"wrote {target}: {len(caps)} captures")


if __name__ == "__main__":
    main()
