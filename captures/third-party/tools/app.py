#!/usr/bin/env python3
"""The "app": runs one capture's steps (tools/scenarios.py) inside the wc-tp-app namespace with
real clients: curl, python-requests, openssl s_client, Python ssl/http.client/socket, dnspython.
Names are resolved by glibc (the namespace's resolv.conf points at 198.18.0.53), except the
explicit dnspython queries (AAAA, HTTPS).

Usage: app.py CERTDIR CAPTURE_FILE_NAME
"""
import http.client
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse

import dns.message
import dns.query
import dns.rdatatype
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "lib"))
import net  # noqa: E402
import scenarios  # noqa: E402
from netkit import recv_all  # noqa: E402

CERTDIR, NAME = sys.argv[1], sys.argv[2]
CA = os.path.join(CERTDIR, "ca.pem")
GAP = 0.6  # seconds between steps, so every flow's first packet is clearly ordered


def resolve4(host):
    return socket.getaddrinfo(host, None, socket.AF_INET, socket.SOCK_STREAM)[0][4][0]


def run_curl(st):
    u = urllib.parse.urlsplit(st["url"])
    port = u.port or (443 if u.scheme == "https" else 80)
    args = ["curl", "-4", "-sS", "--http1.1", "-o", "/dev/null", "--cacert", CA,
            "-X", st.get("method", "GET"), "-H", "Expect:"]
    hdrs = dict(st.get("headers") or {})
    if "User-Agent" not in hdrs:
        args += ["-A", net.UA]
    for k, v in hdrs.items():
        args += ["-H", "%s: %s" % (k, v)]
    tmp = None
    if st.get("data") is not None:
        tmp = tempfile.NamedTemporaryFile(delete=False)
        tmp.write(st["data"])
        tmp.close()
        args += ["--data-binary", "@" + tmp.name]
    if st.get("via"):
        args += ["--connect-to", "%s:%d:%s:%d" % (u.hostname, port, st["via"], port)]
    args.append(st["url"])
    subprocess.run(args, check=True, timeout=20)
    if tmp:
        os.unlink(tmp.name)


def run_requests(st):
    r = requests.request(st.get("method", "GET"), st["url"], params=st.get("params"),
                         data=st.get("form"), json=st.get("json"),
                         headers={"User-Agent": net.UA}, verify=CA, timeout=10)
    r.raise_for_status()


def tls_client_ctx():
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    c.check_hostname = False        # the app pins by CA only and sends no SNI
    c.load_verify_locations(CA)
    c.set_alpn_protocols(["http/1.1"])
    return c


def run_tls_nosni(st):
    addr = st.get("addr") or resolve4(st["host"])
    raw = socket.create_connection((addr, 443), timeout=10)
    with tls_client_ctx().wrap_socket(raw) as s:   # no server_hostname: no SNI extension
        s.sendall(st["request"])
        recv_all(s)


def run_s_client(st):
    if st.get("sni"):
        target, extra = st["host"], ["-servername", st["host"]]
    else:
        target, extra = st.get("addr") or resolve4(st["host"]), ["-noservername"]
    subprocess.run(["openssl", "s_client", "-4", "-quiet", "-connect", "%s:443" % target,
                    "-CAfile", CA, "-verify_return_error", "-alpn", "http/1.1"] + extra,
                   input=st["request"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True, timeout=20)


def run_http_ip(st):
    c = http.client.HTTPConnection(st["addr"], 80, timeout=10)   # Host: <the IP literal>
    c.request("GET", st["path"], headers={"User-Agent": net.UA})
    c.getresponse().read()
    c.close()


def run_raw(st):
    with socket.create_connection((resolve4(st["host"]), 80), timeout=10) as s:
        s.sendall(st["data"])
        s.recv(4096)
        s.shutdown(socket.SHUT_WR)
        recv_all(s)


def run_dnsq(st):
    q = dns.message.make_query(st["name"], dns.rdatatype.from_text(st["rtype"]))
    dns.query.udp(q, net.DNS_ADDR, timeout=3)


def run_keepalive(st):
    addr = resolve4(st["host"])
    c = http.client.HTTPConnection(addr, 80, timeout=10)
    t0 = time.monotonic()
    for i, path in enumerate(st["paths"]):
        while time.monotonic() < t0 + i * st["every"]:
            time.sleep(0.01)
        c.request("GET", path, headers={"Host": st["host"], "User-Agent": net.UA,
                                        "Connection": "keep-alive"})
        c.getresponse().read()
    c.close()


RUN = {"curl": run_curl, "requests": run_requests, "tls_nosni": run_tls_nosni,
       "s_client": run_s_client, "http_ip": run_http_ip, "raw": run_raw, "dnsq": run_dnsq,
       "keepalive": run_keepalive, "sleep": lambda st: time.sleep(st["seconds"])}

for step in scenarios.CAPTURES[NAME]["steps"]:
    RUN[step["kind"]](step)
    time.sleep(GAP)
