#!/usr/bin/env python3
"""Raw SMTP client: EHLO, AUTH PLAIN (in plaintext), STARTTLS, then TLS 1.0 via python ssl.

usage: smtp_auth_client.py PORT SNI
Sends EHLO, "AUTH PLAIN base64(\\0alice\\0wonderland)", STARTTLS, negotiates TLS 1.0
(security level 0, no certificate check), EHLO again inside TLS, QUIT.
"""
import base64, socket, ssl, sys

port, sni = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port))
f = s.makefile("rb")


def reply():
    lines = []
    while True:
        line = f.readline()
        if not line:
            raise SystemExit("connection closed")
        lines.append(line.decode().rstrip())
        if line[3:4] == b" ":
            return lines


def cmd(c):
    s.sendall(c.encode() + b"\r\n")
    r = reply()
    print(">", c, "<", r[-1], file=sys.stderr)
    return r


reply()
cmd("EHLO client.wirecheck.test")
cmd("AUTH PLAIN " + base64.b64encode(b"\0alice\0wonderland").decode())
r = cmd("STARTTLS")
assert r[-1].startswith("220"), r
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.minimum_version = ssl.TLSVersion.TLSv1
ctx.maximum_version = ssl.TLSVersion.TLSv1
ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
t = ctx.wrap_socket(s, server_hostname=sni)
print("TLS:", t.version(), t.cipher(), file=sys.stderr)
f = t.makefile("rb")
s = t
cmd("EHLO client.wirecheck.test")
cmd("QUIT")
t.close()
