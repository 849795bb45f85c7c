#!/usr/bin/env python3
"""Every server of the third-party corpus, run inside the wc-tp-srv namespace by make.sh.

- DNS on 198.18.0.53:53/udp: a recursive-resolver-style answerer built with dnspython (RD+RA,
  not AA): A records from net.HOSTS, the CNAME chain of net.CNAMES, AAAA of net.AAAA, HTTPS
  (type 65) of net.HTTPS_RR, per-name TTLs from net.TTL, NXDOMAIN otherwise.
- HTTP/1.1 on port 80 of every server address (http.server, keep-alive), answering each SDK path
  in that SDK's shape, and the HTTPDNS providers in their documented answer formats.
- The same handler behind TLS on port 443 (ssl, TLS 1.3 by default so the certificate is not
  visible): the certificate is chosen by SNI, or by the local address when the client sent none.
- A raw TCP echo of a binary frame on 198.18.11.11:80 (WeChat's own long link).

Usage: servers.py CERTDIR READYFILE
"""
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import ThreadingHTTPServer

import dns.flags
import dns.message
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "lib"))
import net  # noqa: E402
from netkit import QuietHandler  # noqa: E402

CERTDIR = sys.argv[1]
READY = sys.argv[2]
RAW_ADDRS = {"198.18.11.11"}


# ----------------------------------------------------------------------------------- DNS
def dns_answer(q):
    r = dns.message.make_response(q)
    r.flags |= dns.flags.RA
    qs = q.question[0]
    name = qs.name.to_text(omit_final_dot=True).lower()
    rtype = qs.rdtype

    def add(owner, typ, text):
        ttl = net.TTL.get(owner, net.DEFAULT_TTL)
        rr = dns.rrset.from_text(owner + ".", ttl, "IN", dns.rdatatype.to_text(typ), text)
        r.answer.append(rr)

    known = name in net.HOSTS or name in net.CNAMES or name in net.AAAA or name in net.HTTPS_RR
    if not known:
        r.set_rcode(dns.rcode.NXDOMAIN)
        return r
    owner = name
    if owner in net.CNAMES and rtype != dns.rdatatype.CNAME:
        add(owner, dns.rdatatype.CNAME, net.CNAMES[owner] + ".")
        owner = net.CNAMES[owner]
    if rtype == dns.rdatatype.A and owner in net.HOSTS:
        add(owner, dns.rdatatype.A, net.HOSTS[owner])
    elif rtype == dns.rdatatype.AAAA and owner in net.AAAA:
        add(owner, dns.rdatatype.AAAA, net.AAAA[owner])
    elif rtype == dns.rdatatype.HTTPS and owner in net.HTTPS_RR:
        add(owner, dns.rdatatype.HTTPS, net.HTTPS_RR[owner])
    return r  # NOERROR with an empty answer (NODATA) for other types


def dns_server():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((net.DNS_ADDR, 53))
    while True:
        data, peer = s.recvfrom(4096)
        try:
            q = dns.message.from_wire(data)
        except Exception:
            continue
        s.sendto(dns_answer(q).to_wire(), peer)


# ---------------------------------------------------------------------------------- HTTP
def httpdns_reply(path, qs, host_hdr, client):
    """The documented answer formats (README, "HTTPDNS formats")."""
    if path.endswith("/d") and "host" in qs:                                   # Alibaba single
        h = qs["host"][0]
        return "application/json", json.dumps(
            {"host": h, "ips": net.HTTPDNS_ANSWERS.get(h, []), "ttl": 60, "origin_ttl": 60},
            separators=(",", ":"))
    if path.endswith("/resolve") and "host" in qs:                             # Alibaba batch
        out = []
        for h in qs["host"][0].split(","):
            out.append({"host": h, "client_ip": client, "ips": net.HTTPDNS_ANSWERS.get(h, []),
                        "type": 1, "ttl": 60, "origin_ttl": 60})
        return "application/json", json.dumps({"dns": out}, separators=(",", ":"))
    if path == "/d" and "dn" in qs:                                             # Tencent / DNSPod
        h = qs["dn"][0]
        body = ";".join(net.HTTPDNS_ANSWERS.get(h, [])) or "0"
        if qs.get("ttl") == ["1"]:
            body += ",120"
        return "text/html; charset=utf-8", body
    if path == "/v3/resolve" and "dn" in qs:                                    # Baidu v3
        data = {h: {"ip": net.HTTPDNS_ANSWERS.get(h, []), "ttl": 300} for h in qs["dn"][0].split(",")}
        return "text/plain; charset=utf-8", json.dumps(
            {"msg": "ok", "data": data, "clientip": client}, separators=(",", ":"))
    if path == "/resolve" and "domain" in qs:                                   # Volcengine
        h = qs["domain"][0]
        return "application/json", json.dumps(
            {"host": h, "ips": net.HTTPDNS_ANSWERS.get(h, []), "ttl": 300, "origin_ttl": 300,
             "client_ip": client}, separators=(",", ":"))
    return None


SDK_REPLIES = [  # (host suffix or address, path prefix, content type, body)
    ("mi.gdt.qq.com", "/gdt_mview.fcg", "application/json", '{"ret":0,"msg":"","data":{}}'),
    ("api-access.pangolin-sdk-toutiao.com", "/api/ad/union/sdk/get_ads", "application/json",
     '{"status_code":20001,"message":"no ad","request_id":"c0ffee00-7a1d-4b5e-9f00-000000000001"}'),
    ("restapi.amap.com", "/v3/geocode/regeo", "application/json;charset=UTF-8",
     '{"status":"1","info":"OK","infocode":"10000","regeocode":{"addressComponent":'
     '{"country":"中国","province":"广东省","city":"深圳市","citycode":"0755"}}}'),
    ("api.map.baidu.com", "/reverse_geocoding", "text/javascript;charset=utf-8",
     '{"status":0,"result":{"addressComponent":{"country":"中国","province":"广东省","city":"深圳市"}}}'),
    ("android.bugly.qq.com", "/rqd", "application/octet-stream", None),
]


class Handler(QuietHandler):
    server_version = "Tengine"

    def do_GET(self):
        self.read_body()
        u = urllib.parse.urlsplit(self.path)
        qs = urllib.parse.parse_qs(u.query)
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        r = httpdns_reply(u.path, qs, host, self.client_address[0])
        if r:
            return self.answer(*r)
        for h, p, ctype, body in SDK_REPLIES:
            if (host == h or self.server.cert_host == h) and u.path.startswith(p):
                if body is None:
                    body = bytes.fromhex("00000012") + b"\x10\x03\x2c\x3c\x40\x01\x56\x00\x66\x00\x7d\x00\x0c\x00\x00"
                return self.answer(ctype, body)
        if u.path.startswith("/img/"):
            return self.answer("image/webp", b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")
        return self.answer("application/json;charset=UTF-8", '{"code":0,"msg":"ok"}')

    do_POST = do_GET


class Srv(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, addr, port, tls_ctx=None):
        super().__init__((addr, port), Handler)
        self.tls_ctx = tls_ctx
        self.cert_host = net.host_for_addr(addr)

    def get_request(self):
        sock, peer = self.socket.accept()
        if self.tls_ctx is not None:
            sock = self.tls_ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=True)
        return sock, peer

    def handle_error(self, request, client_address):
        pass

    def shutdown_request(self, request):
        if isinstance(request, ssl.SSLSocket):
            try:
                request = request.unwrap()   # send close_notify like a real TLS server
            except (OSError, ValueError):
                pass
        super().shutdown_request(request)


CTX = {}


def ctx_for(name):
    if name not in CTX:
        c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        c.load_cert_chain(os.path.join(CERTDIR, name + ".pem"), os.path.join(CERTDIR, "server.key"))
        c.set_alpn_protocols(["http/1.1"])
        c.sni_callback = sni
        CTX[name] = c
    return CTX[name]


def sni(sslobj, server_name, _ctx):
    if server_name and os.path.exists(os.path.join(CERTDIR, server_name + ".pem")):
        sslobj.context = ctx_for(server_name)


def raw_server(addr):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 80))
    s.listen(8)

    def one(c):
        with c:
            while True:
                d = c.recv(4096)
                if not d:
                    break
                # mmtls-looking record header (type 0x19, version 0xf104) + opaque bytes
                c.sendall(b"\x19\xf1\x04\x00\x10" + bytes(range(0x30, 0x40)))

    while True:
        c, _ = s.accept()
        threading.Thread(target=one, args=(c,), daemon=True).start()


def main():
    threading.Thread(target=dns_server, daemon=True).start()
    for a in net.server_addrs():
        if a == net.DNS_ADDR:
            continue
        if a in RAW_ADDRS:
            threading.Thread(target=raw_server, args=(a,), daemon=True).start()
            continue
        for port, ctx in ((80, None), (443, ctx_for(net.host_for_addr(a)))):
            srv = Srv(a, port, ctx)
            threading.Thread(target=srv.serve_forever, daemon=True).start()
    open(READY, "w").write("ok\n")
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
