"""Recording and output helpers shared by the PI corpus generators: captures/pii/tools/corpus.py and
captures/pii-shapes/tools/corpus.py (which puts this folder on its path, as for ids.py and servers.py).

A corpus describes each capture as a dict (file, port, server, description, expected, decoys, details,
run, reply; the shapes corpus adds shape and unconfirmed) and leaves the rest to this module:
  capture   run_capture(c, out): start the capture's local server (servers.py), start tcpdump on lo
            for its port, wait 1 s, run the real client exchange c["run"](port), wait 1 s, stop
            tcpdump (SIGINT), stop the server.
  clients   curl(), recv_all(), tcp_exchange(), udp_exchange(), http_exchange().
  values    h(): a digest as lowercase hex, uppercase hex or base64.
  output    write_device(), write_manifest() (with yaml_item(), q()), readme_totals(),
            write_readme_captures().
"""
import base64
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter

import servers
from device import DEVICE

sys.path.insert(1, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "lib"))
from netkit import recv_all  # noqa: E402,F401  (re-exported for the corpora's raw-socket clients)


# ---------------------------------------------------------------- values
def h(algo, s, form="hex"):
    d = hashlib.new(algo, s.encode()).digest()
    return {"hex": d.hex(), "HEX": d.hex().upper(), "b64": base64.b64encode(d).decode()}[form]


# ---------------------------------------------------------------- clients
def curl(*args, stdin=None):
    subprocess.run(["curl", "-sS", "-o", "/dev/null", "--max-time", "10", *args],
                   input=stdin, check=True)


def tcp_exchange(port, msgs):
    """One TCP connection to 127.0.0.1:port: send each message, read the server's ack, pause 50 ms."""
    s = socket.create_connection(("127.0.0.1", port))
    for m in msgs:
        s.sendall(m)
        s.recv(100)
        time.sleep(0.05)
    s.close()


def udp_exchange(port, dgrams, bufsize=100):
    """One UDP socket: send each datagram to 127.0.0.1:port, read the answer, pause 50 ms."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    for d in dgrams:
        s.sendto(d, ("127.0.0.1", port))
        s.recvfrom(bufsize)
        time.sleep(0.05)
    s.close()


def http_exchange(port, *reqs):
    """One keep-alive http.client connection to 127.0.0.1:port: for each (method, path, kwargs of
    HTTPConnection.request) send the request and read its response."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for method, path, kw in reqs:
        c.request(method, path, **kw)
        c.getresponse().read()
    c.close()


# ---------------------------------------------------------------- capture
def start_server(c, ack_byte=5):
    """The capture's local server by c["server"]: http / raw-http (HTTP on 127.0.0.1), http6 (HTTP on
    ::1), raw-text (acks every read with +OK), raw-bin (acks with C0 DE 00 06 81 and the byte of the
    read at ack_byte), udp (answers {"code":0}) / dns (NXDOMAIN)."""
    kind, port = c["server"], c["port"]
    reply = c["reply"] or b'{"code":0,"msg":"ok"}'
    if kind in ("http", "raw-http"):
        return servers.start_http(port, reply=reply)
    if kind == "http6":
        return servers.start_http(port, v6=True, reply=reply)
    if kind == "raw-text":
        return servers.start_raw_tcp(port, lambda d: b"+OK\r\n")
    if kind == "raw-bin":
        return servers.start_raw_tcp(port, lambda d: b"\xc0\xde\x00\x06\x81" + d[ack_byte:ack_byte + 1])
    if kind in ("udp", "dns"):
        return servers.start_udp(port, kind)
    raise ValueError(kind)


def run_capture(c, out, ack_byte=5):
    path = os.path.join(out, c["file"])
    if os.path.exists(path):
        os.remove(path)
    srv = start_server(c, ack_byte)
    td = subprocess.Popen(["tcpdump", "-i", "lo", "--immediate-mode", "-U", "-w", path, "port %d" % c["port"]],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    try:
        c["run"](c["port"])
    finally:
        time.sleep(1.0)
        td.send_signal(signal.SIGINT)
        td.wait(timeout=10)
        srv.shutdown()
        srv.server_close()
    print("captured", c["file"])


# ---------------------------------------------------------------- device.yaml, manifest.yaml
def q(v):
    return json.dumps(v, ensure_ascii=False)


# the keys of an expected item / an unconfirmed digest, in manifest order (absent keys are left out)
ITEM_KEYS = ("type", "value", "raw", "field", "decoding", "chain_note", "confirmed", "http", "flow", "note")
DIGEST_KEYS = ("type", "algorithm", "value", "of", "field", "decoding", "http", "flow", "note")


def yaml_item(d, keys=ITEM_KEYS):
    parts = []
    for k in keys:
        if k not in d:
            continue
        v = d[k]
        if k == "http":
            v = "{method: %s, host: %s, path: %s}" % (v["method"], q(v["host"]), q(v["path"]))
        elif k == "confirmed":
            v = "true" if v else "false"
        elif v is None:
            v = "null"
        else:
            v = q(v)
        parts.append("%s: %s" % (k, v))
    return "{" + ", ".join(parts) + "}"


def write_device(path):
    with open(path, "w") as f:
        f.write("# The test phone whose identifiers appear (raw, encoded and hashed) in this corpus.\n"
                "# Synthetic but valid: IMEIs/ICCID pass Luhn, IMSI is 460-01, MACs are unicast.\n")
        for k, v in DEVICE:
            f.write("%s: %s\n" % (k, q(v)))


def write_list(f, head, lines, line_fmt, empty=""):
    """head, then line_fmt % line for each line; empty instead when there are none."""
    if not lines:
        f.write(empty)
        return
    f.write(head)
    for x in lines:
        f.write(line_fmt % x)


def write_manifest(path, header, caps):
    """header: the manifest's comment lines. A capture's "unconfirmed" list, when not empty, is written
    as unconfirmed_digests."""
    with open(path, "w") as f:
        f.write(header + "device: device.yaml\ncaptures:\n")
        for c in caps:
            f.write("  - file: %s\n    description: %s\n" % (c["file"], q(c["description"])))
            write_list(f, "    expected:\n", [yaml_item(e) for e in c["expected"]], "      - %s\n",
                       "    expected: []\n")
            f.write("    decoys: [%s]\n" % ", ".join(q(d) for d in c["decoys"]))
            write_list(f, "    unconfirmed_digests:\n", [yaml_item(u, DIGEST_KEYS) for u in c.get("unconfirmed", ())],
                       "      - %s\n")


# ---------------------------------------------------------------- README.md
def readme_totals(caps, digests=False):
    """The "## Totals" section: counts, and expected items per type (digests: also count unconfirmed)."""
    cnt = Counter(e["type"] for c in caps for e in c["expected"])
    conf = sum(e["confirmed"] for c in caps for e in c["expected"])
    ndec = sum(len(c["decoys"]) for c in caps)
    udec = len({d for c in caps for d in c["decoys"]})
    s = ("\n## Totals\n\n%d captures, %d expected items (%d confirmed by device.yaml), %d decoy entries "
         "(%d distinct strings)" % (len(caps), sum(cnt.values()), conf, ndec, udec))
    if digests:
        s += ", %d unconfirmed digests" % sum(len(c["unconfirmed"]) for c in caps)
    s += ".\n\n| type | expected |\n| --- | --- |\n"
    return s + "".join("| %s | %d |\n" % (t, n) for t, n in sorted(cnt.items()))


def readme_item(e):
    return "`%s` `%s`%s%s, field `%s`, via `%s`%s%s" % (
        e["type"], e["value"], "" if "raw" not in e else " (sent as `%s`)" % e["raw"],
        " (confirmed)" if e["confirmed"] else "", e["field"], " > ".join(e["decoding"]),
        "" if not e.get("flow") else ", flow %d" % e["flow"],
        "" if "chain_note" not in e else " — " + e["chain_note"])


def write_readme_captures(f, caps, where):
    """The "## Captures" section: per capture its description, where(c) in parentheses after it, its
    details, what must be found and what must not be reported."""
    f.write("\n## Captures\n")
    for c in caps:
        f.write("\n### %s\n\n%s (%s).\n\n%s\n\n" % (
            c["file"], c["description"][0].upper() + c["description"][1:], where(c), c["details"]))
        write_list(f, "Must find:\n", [readme_item(e) for e in c["expected"]], "- %s\n", "Must find: nothing.\n")
        if c["decoys"]:
            f.write("\nMust not report: %s\n" % ", ".join("`%s`" % d for d in c["decoys"]))
        if c.get("unconfirmed"):
            f.write("\nUnconfirmed digests (not PI items): %s\n" % ", ".join(
                "`%s` %s of another IMEI" % (u["field"], u["algorithm"]) for u in c["unconfirmed"]))
