#!/usr/bin/env python3
"""Re-sign SM2 certificates with Tongsuo (SM2-with-SM3, default SM2 ID
1234567812345678) so that Tongsuo and OpenSSL 3 both verify them.
usage: resign.py CERT.pem SIGNER.key [OUT.pem]"""
import ctypes, os, sys
import tongsuopy.backends as b
lib = ctypes.CDLL(os.path.join(os.path.dirname(b.__file__), "_tongsuo.abi3.so"))
vp, cp, ci = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
for n, r, a in [("OPENSSL_init_ssl", ci, [ctypes.c_uint64, vp]),
                ("BIO_new_file", vp, [cp, cp]), ("BIO_free", ci, [vp]),
                ("PEM_read_bio_X509", vp, [vp, vp, vp, vp]),
                ("PEM_read_bio_PrivateKey", vp, [vp, vp, vp, vp]),
                ("PEM_write_bio_X509", ci, [vp, vp]),
                ("X509_sign", ci, [vp, vp, vp]), ("EVP_sm3", vp, []),
                ("ERR_get_error", ctypes.c_ulong, []),
                ("ERR_error_string", cp, [ctypes.c_ulong, vp])]:
    f = getattr(lib, n); f.restype = r; f.argtypes = a
lib.OPENSSL_init_ssl(0, None)
cert, key = sys.argv[1], sys.argv[2]
out = sys.argv[3] if len(sys.argv) > 3 else cert
bio = lib.BIO_new_file(cert.encode(), b"r"); x = lib.PEM_read_bio_X509(bio, None, None, None); lib.BIO_free(bio)
bio = lib.BIO_new_file(key.encode(), b"r"); k = lib.PEM_read_bio_PrivateKey(bio, None, None, None); lib.BIO_free(bio)
if not x or not k or lib.X509_sign(x, k, lib.EVP_sm3()) <= 0:
    e = lib.ERR_get_error()
    sys.exit("resign failed: %s" % (lib.ERR_error_string(e, None) if e else "?"))
bio = lib.BIO_new_file(out.encode(), b"w"); lib.PEM_write_bio_X509(bio, x); lib.BIO_free(bio)
