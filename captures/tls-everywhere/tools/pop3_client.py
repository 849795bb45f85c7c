#!/usr/bin/env python3
"""Raw POP3 client: USER/PASS in plaintext (the server refuses them), then STLS and TLS 1.2.

usage: pop3_client.py BIND_IP PORT SNI
Connects from BIND_IP (127.0.0.2: dovecot treats a connection as "secured" when the local and
remote addresses are equal, so 127.0.0.1 -> 127.0.0.1 would be allowed to log in in
plaintext and could then no longer use STLS). Sends CAPA, USER alice, PASS wonderland
(refused: disable_plaintext_auth = yes), STLS, then TLS (max TLS 1.2, python ssl / OpenSSL),
and USER/PASS, STAT, QUIT inside TLS.
"""
import socket, ssl, sys

bind, port, sni = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket()
s.bind((bind, 0))
s.connect(("127.0.0.1", port))
f = s.makefile("rb")


def cmd(c, multi=False):
    if c:
        s.sendall(c.encode() + b"\r\n")
    line = f.readline().decode().rstrip()
    print(">", c, "<", line, file=sys.stderr)
    if multi and line.startswith("+OK"):
        while f.readline().rstrip() != b".":
            pass
    return line


cmd(None)
cmd("CAPA", multi=True)
cmd("USER alice")
cmd("PASS wonderland")
assert cmd("STLS").startswith("+OK")
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
s = ctx.wrap_socket(s, server_hostname=sni)
print("TLS:", s.version(), s.cipher(), file=sys.stderr)
f = s.makefile("rb")
cmd("USER alice")
cmd("PASS wonderland")
cmd("STAT")
cmd("QUIT")
s.close()
