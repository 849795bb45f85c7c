#!/usr/bin/env python3
"""TLCP (GM/T 0024, version 0x0101) server/client driven through ctypes on the
Tongsuo (BabaSSL) libssl/libcrypto that is statically linked into the
`tongsuopy` wheel (tongsuopy/backends/_tongsuo.abi3.so).

usage: tlcp_peer.py server PORT CIPHER CERTDIR
       tlcp_peer.py client PORT CIPHER CERTDIR [SNI]
"""
import ctypes
import os
import socket
import sys

import tongsuopy.backends  # noqa: F401  (only used to locate the .so)

SO = os.path.join(os.path.dirname(tongsuopy.backends.__file__), "_tongsuo.abi3.so")
lib = ctypes.CDLL(SO)

vp, cp, ci, cl = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_long
for name, res, args in [
    ("OPENSSL_init_ssl", ci, [ctypes.c_uint64, vp]),
    ("NTLS_server_method", vp, []),
    ("NTLS_client_method", vp, []),
    ("SSL_CTX_new", vp, [vp]),
    ("SSL_CTX_enable_ntls", None, [vp]),
    ("SSL_CTX_set_cipher_list", ci, [vp, cp]),
    ("SSL_CTX_use_sign_PrivateKey_file", ci, [vp, cp, ci]),
    ("SSL_CTX_use_sign_certificate_file", ci, [vp, cp, ci]),
    ("SSL_CTX_use_enc_PrivateKey_file", ci, [vp, cp, ci]),
    ("SSL_CTX_use_enc_certificate_file", ci, [vp, cp, ci]),
    ("SSL_CTX_load_verify_locations", ci, [vp, cp, cp]),
    ("SSL_CTX_set_verify", None, [vp, ci, vp]),
    ("SSL_CTX_ctrl", cl, [vp, ci, cl, vp]),
    ("SSL_ctrl", cl, [vp, ci, cl, vp]),
    ("SSL_new", vp, [vp]),
    ("SSL_set_fd", ci, [vp, ci]),
    ("SSL_accept", ci, [vp]),
    ("SSL_connect", ci, [vp]),
    ("SSL_read", ci, [vp, vp, ci]),
    ("SSL_write", ci, [vp, cp, ci]),
    ("SSL_shutdown", ci, [vp]),
    ("SSL_free", None, [vp]),
    ("SSL_get_error", ci, [vp, ci]),
    ("SSL_get_version", cp, [vp]),
    ("SSL_get_current_cipher", vp, [vp]),
    ("SSL_CIPHER_get_name", cp, [vp]),
    ("SSL_get_verify_result", cl, [vp]),
    ("ERR_get_error", ctypes.c_ulong, []),
    ("ERR_error_string_n", None, [ctypes.c_ulong, cp, ctypes.c_size_t]),
    ("PEM_read_bio_X509", vp, [vp, vp, vp, vp]),
    ("BIO_new_file", vp, [cp, cp]),
]:
    f = getattr(lib, name)
    f.restype = res
    f.argtypes = args

SSL_FILETYPE_PEM = 1
SSL_VERIFY_PEER, SSL_VERIFY_FAIL_IF_NO_PEER_CERT = 1, 2
SSL_CTRL_EXTRA_CHAIN_CERT = 14
SSL_CTRL_SET_TLSEXT_HOSTNAME = 55


def die(msg):
    errs = []
    while True:
        e = lib.ERR_get_error()
        if not e:
            break
        buf = ctypes.create_string_buffer(256)
        lib.ERR_error_string_n(e, buf, 256)
        errs.append(buf.value.decode())
    sys.exit("%s: %s" % (msg, "; ".join(errs) or "(no error queue)"))


def ok(rc, what):
    if rc != 1:
        die(what)


def make_ctx(server, cipher, certdir):
    lib.OPENSSL_init_ssl(0, None)
    ctx = lib.SSL_CTX_new(lib.NTLS_server_method() if server else lib.NTLS_client_method())
    if not ctx:
        die("SSL_CTX_new")
    lib.SSL_CTX_enable_ntls(ctx)
    ok(lib.SSL_CTX_set_cipher_list(ctx, cipher.encode()), "set_cipher_list")
    who = "server" if server else "client"
    p = lambda n: os.path.join(certdir, n).encode()
    # ECC_* suites only need the client's certificates when the server asks
    # for them; ECDHE_* suites need them (TLCP ECDHE uses both parties' enc keys)
    if server or cipher.startswith("ECDHE"):
        ok(lib.SSL_CTX_use_sign_certificate_file(ctx, p(who + "_sign.crt"), SSL_FILETYPE_PEM), "sign cert")
        ok(lib.SSL_CTX_use_sign_PrivateKey_file(ctx, p(who + "_sign.key"), SSL_FILETYPE_PEM), "sign key")
        ok(lib.SSL_CTX_use_enc_certificate_file(ctx, p(who + "_enc.crt"), SSL_FILETYPE_PEM), "enc cert")
        ok(lib.SSL_CTX_use_enc_PrivateKey_file(ctx, p(who + "_enc.key"), SSL_FILETYPE_PEM), "enc key")
    ok(lib.SSL_CTX_load_verify_locations(ctx, p("ca.crt"), None), "load CA")
    mode = SSL_VERIFY_PEER
    if server and cipher.startswith("ECDHE"):
        mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT
    if server and not cipher.startswith("ECDHE"):
        mode = 0  # ECC_* runs: server does not request a client certificate
    lib.SSL_CTX_set_verify(ctx, mode, None)
    return ctx


def run(server, port, cipher, certdir, sni=None):
    ctx = make_ctx(server, cipher, certdir)
    if server:
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", port))
        ls.listen(1)
        print("LISTENING", flush=True)
        s, _ = ls.accept()
    else:
        s = socket.create_connection(("127.0.0.1", port))
    ssl = lib.SSL_new(ctx)
    ok(lib.SSL_set_fd(ssl, s.fileno()), "set_fd")
    if not server and sni:
        lib.SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, 0, ctypes.c_char_p(sni.encode()))
    rc = lib.SSL_accept(ssl) if server else lib.SSL_connect(ssl)
    if rc != 1:
        die("%s handshake failed (SSL_get_error=%d)" % ("server" if server else "client", lib.SSL_get_error(ssl, rc)))
    ver = lib.SSL_get_version(ssl).decode()
    suite = lib.SSL_CIPHER_get_name(lib.SSL_get_current_cipher(ssl)).decode()
    print("%s: %s %s verify=%d" % ("server" if server else "client", ver, suite,
                                   lib.SSL_get_verify_result(ssl)), flush=True)
    buf = ctypes.create_string_buffer(256)
    if server:
        n = lib.SSL_read(ssl, buf, 256)
        msg = b"pong: " + buf.raw[:max(n, 0)]
        lib.SSL_write(ssl, msg, len(msg))
    else:
        msg = b"ping"
        lib.SSL_write(ssl, msg, len(msg))
        n = lib.SSL_read(ssl, buf, 256)
        print("client got", buf.raw[:max(n, 0)], flush=True)
    lib.SSL_shutdown(ssl)
    lib.SSL_free(ssl)
    s.close()


if __name__ == "__main__":
    role, port, cipher, certdir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    run(role == "server", port, cipher, certdir, sys.argv[5] if len(sys.argv) > 5 else None)
