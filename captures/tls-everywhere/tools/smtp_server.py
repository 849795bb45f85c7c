#!/usr/bin/env python3
"""aiosmtpd SMTP server that allows AUTH before STARTTLS and speaks only TLS 1.0.

usage: smtp_server.py PORT CERT KEY SECONDS
Listens on 127.0.0.1:PORT; STARTTLS offers TLS 1.0 only (OpenSSL security level 0) with the
given certificate; AUTH PLAIN/LOGIN is accepted in plaintext (auth_require_tls=False) for
user "alice" / password "wonderland". Prints LISTENING and stops after SECONDS.
"""
import ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, cert, key, secs = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"alice" \
        and auth_data.password == b"wonderland"
    return AuthResult(success=ok, handled=False)


class Handler:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.minimum_version = ssl.TLSVersion.TLSv1
ctx.maximum_version = ssl.TLSVersion.TLSv1
ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
ctx.load_cert_chain(cert, key)
c = Controller(Handler(), hostname="127.0.0.1", port=port, server_hostname="smtp-weak.wirecheck.test",
               tls_context=ctx, require_starttls=False, auth_require_tls=False,
               authenticator=authenticator, ident="aiosmtpd wirecheck test")
c.start()
print("LISTENING", flush=True)
time.sleep(secs)
c.stop()
