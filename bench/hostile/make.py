#!/usr/bin/env python3
"""Hostile captures for wirecheck (issue 16): the shapes an attacker-controlled
capture can take, written straight with `struct` and streamed to disk.

usage: make.py [--out DIR] [--list] [NAME ...]

Writes each capture NAME.pcap (default: all of them) into DIR (default
bench/out/hostile/, next to this script's bench/), plus DIR/manifest.json: for
each capture, its size, packet count and the personal-information values
planted in it, with where each one sits (so a test can look for the raw values
in a report). Classic pcap, microsecond timestamps, Ethernet/IPv4; IPv4, TCP and
UDP checksums are correct. Deterministic: a fixed seed per capture and fixed
timestamps, so two runs give the same bytes.

Run `make.py --list` for the names; bench/hostile/README.md says what each
capture holds and what a robust tool must do with it.
"""
import argparse
import array
import base64
import hashlib
import json
import os
import random
import struct
import sys
import time
import zlib

SEED = 20260716
BASE_US = 1_767_225_600 * 1_000_000  # 2026-01-01T00:00:00Z
MSS = 1448

CLIENT_MAC = bytes.fromhex("02000000aa01")
SERVER_MAC = bytes.fromhex("02000000bb01")  # the gateway

IMEI = "861234567890127"  # valid Luhn digit
PHONE = "13812345678"

# --------------------------------------------------------------------------
# Checksums, headers and the pcap writer


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def csum(data):
    """RFC 1071 Internet checksum, as the big-endian value to pack with '!H'."""
    if len(data) & 1:
        data += b"\0"
    s = fold(sum(array.array("H", data)))  # native (little-endian) words
    s = ~s & 0xFFFF
    if sys.byteorder == "little":
        s = ((s & 0xFF) << 8) | (s >> 8)
    return s


def ipv4(src, dst, proto, payload, ident=0, frag=0x4000, ttl=64):
    """frag: the flags + fragment-offset field (0x4000 = DF)."""
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident & 0xFFFF, frag, ttl, proto, 0, src, dst)
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload


def ether(ip_packet, from_client=True):
    if from_client:
        return SERVER_MAC + CLIENT_MAC + b"\x08\x00" + ip_packet
    return CLIENT_MAC + SERVER_MAC + b"\x08\x00" + ip_packet


def tcp_segment(src, dst, sport, dport, seq, ack, flags, payload=b"", win=65535, opts=b""):
    hlen = 20 + len(opts)
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, (hlen // 4) << 4, flags, win, 0, 0) + opts
    pseudo = src + dst + struct.pack("!BBH", 0, 6, hlen + len(payload))
    c = csum(pseudo + hdr + payload)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:] + payload


def udp_datagram(src, dst, sport, dport, payload):
    length = 8 + len(payload)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    c = csum(src + dst + struct.pack("!BBH", 0, 17, length) + hdr + payload) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, length, c) + payload


FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


class Pcap:
    """Classic pcap, Ethernet, microseconds; buffered and written as it goes."""

    def __init__(self, path):
        self.path = path
        self.f = open(path, "wb", buffering=4 << 20)
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        self.t = BASE_US
        self.packets = 0

    def write(self, frame, dt=40):
        self.t += dt
        self.f.write(struct.pack("<IIII", self.t // 1_000_000, self.t % 1_000_000, len(frame), len(frame)))
        self.f.write(frame)
        self.packets += 1

    def raw(self, blob, packets):
        """Records already packed by a fast path (timestamps included)."""
        self.f.write(blob)
        self.packets += packets

    def close(self):
        self.f.close()


class Flow:
    """One TCP connection with correct sequence numbers; the other side ACKs
    every second segment and at the end of every message."""

    def __init__(self, cap, cip, cport, sip, sport, rng):
        self.cap = cap
        self.c = (ip4(cip), cport)
        self.s = (ip4(sip), sport)
        self.seq = {True: rng.getrandbits(32), False: rng.getrandbits(32)}  # next seq per side (True = client)
        self.ident = {True: rng.getrandbits(16), False: rng.getrandbits(16)}

    def packet(self, from_client, flags, payload=b"", seq=None, dt=40):
        a, b = (self.c, self.s) if from_client else (self.s, self.c)
        s = self.seq[from_client] if seq is None else seq
        ack = self.seq[not from_client] if flags & ACK else 0
        seg = tcp_segment(a[0], b[0], a[1], b[1], s, ack, flags, payload)
        self.ident[from_client] += 1
        self.cap.write(ether(ipv4(a[0], b[0], 6, seg, self.ident[from_client]), from_client), dt)

    def handshake(self):
        self.packet(True, SYN)
        self.seq[True] += 1
        self.packet(False, SYN | ACK, dt=300)
        self.seq[False] += 1
        self.packet(True, ACK, dt=300)

    def send(self, from_client, data, seg=MSS):
        """data: bytes or an iterable of byte chunks (streamed)."""
        chunks = [data] if isinstance(data, (bytes, bytearray)) else data
        buf = b""
        n = 0
        for chunk in chunks:
            buf = buf + chunk if buf else bytes(chunk)
            pos = 0
            while len(buf) - pos > seg:
                self._seg(from_client, buf[pos:pos + seg], ACK)
                pos += seg
                n += 1
                if n % 2 == 0:
                    self.packet(not from_client, ACK, dt=20)
            buf = buf[pos:]
        if buf:
            self._seg(from_client, buf, ACK | PSH)
        self.packet(not from_client, ACK, dt=100)

    def _seg(self, from_client, payload, flags, dt=15):
        self.packet(from_client, flags, payload, dt=dt)
        self.seq[from_client] += len(payload)

    def close(self):
        self.packet(True, FIN | ACK)
        self.seq[True] += 1
        self.packet(False, FIN | ACK, dt=200)
        self.seq[False] += 1
        self.packet(True, ACK, dt=200)


def udp(cap, src, dst, sport, dport, payload, ident=1, from_client=True, dt=200):
    cap.write(ether(ipv4(ip4(src), ip4(dst), 17, udp_datagram(ip4(src), ip4(dst), sport, dport, payload), ident), from_client), dt)


# --------------------------------------------------------------------------
# Protocol builders


def http_request(method, target, host, headers=(), body=b"", content_type=None, length=True):
    lines = [f"{method} {target} HTTP/1.1".encode(), b"Host: " + (host if isinstance(host, bytes) else host.encode())]
    lines.append(b"User-Agent: okhttp/4.12.0")
    for h in headers:
        lines.append(h if isinstance(h, bytes) else h.encode())
    if content_type:
        lines.append(b"Content-Type: " + content_type.encode())
    if length and (body or method in ("POST", "PUT")):
        lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def http_response(status=200, body=b'{"ok":true}', reason=None, extra=()):
    reason = reason or {200: "OK", 400: "Bad Request", 101: "Switching Protocols", 413: "Payload Too Large"}.get(status, "OK")
    head = [f"HTTP/1.1 {status} {reason}".encode(), b"Server: nginx", b"Content-Type: application/json",
            b"Content-Length: %d" % len(body)]
    head += [h.encode() for h in extra]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def ext(t, body):
    return struct.pack("!HH", t, len(body)) + body


def client_hello(sni, rng, record=True):
    """A syntactically valid TLS 1.3 ClientHello (as a TLS 1.2 record), with
    server_name = sni (raw bytes: whatever the attacker chose)."""
    entry = b"\x00" + struct.pack("!H", len(sni)) + sni
    e = ext(0, struct.pack("!H", len(entry)) + entry)
    e += ext(23, b"")  # extended_master_secret
    e += ext(0xFF01, b"\x00")  # renegotiation_info
    groups = [0x001D, 0x0017, 0x0018]
    e += ext(10, struct.pack("!H", 2 * len(groups)) + b"".join(struct.pack("!H", g) for g in groups))
    e += ext(11, b"\x01\x00")  # ec_point_formats: uncompressed
    e += ext(35, b"")  # session_ticket
    alpn = b"\x02h2\x08http/1.1"
    e += ext(16, struct.pack("!H", len(alpn)) + alpn)
    e += ext(5, b"\x01\x00\x00\x00\x00")  # status_request
    sigs = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]
    e += ext(13, struct.pack("!H", 2 * len(sigs)) + b"".join(struct.pack("!H", s) for s in sigs))
    share = struct.pack("!HH", 0x001D, 32) + rng.randbytes(32)
    e += ext(51, struct.pack("!H", len(share)) + share)
    e += ext(45, b"\x01\x01")  # psk_key_exchange_modes: psk_dhe_ke
    e += ext(43, b"\x04\x03\x04\x03\x03")  # supported_versions: 1.3, 1.2
    suites = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
    body = (b"\x03\x03" + rng.randbytes(32) + b"\x20" + rng.randbytes(32)
            + struct.pack("!H", 2 * len(suites)) + b"".join(struct.pack("!H", s) for s in suites)
            + b"\x01\x00" + struct.pack("!H", len(e)) + e)
    hs = b"\x01" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs if record else hs


def server_hello_13(rng):
    """TLS 1.3 ServerHello + ChangeCipherSpec + one encrypted record (random bytes)."""
    e = ext(43, b"\x03\x04") + ext(51, struct.pack("!HH", 0x001D, 32) + rng.randbytes(32))
    body = b"\x03\x03" + rng.randbytes(32) + b"\x20" + rng.randbytes(32) + b"\x13\x01\x00" + struct.pack("!H", len(e)) + e
    hs = b"\x02" + len(body).to_bytes(3, "big") + body
    enc = rng.randbytes(2800)
    return (b"\x16\x03\x03" + struct.pack("!H", len(hs)) + hs + b"\x14\x03\x03\x00\x01\x01"
            + b"\x17\x03\x03" + struct.pack("!H", len(enc)) + enc)


def dns_name(name):
    out = b""
    for label in name.split(b"."):
        out += bytes([len(label)]) + label
    return out + b"\0"


def dns_query(ident, name, qtype=1):
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + dns_name(name) + struct.pack("!HH", qtype, 1)


def dns_a_response(ident, name, addrs):
    msg = struct.pack("!HHHHHH", ident, 0x8180, 1, len(addrs), 0, 0) + dns_name(name) + struct.pack("!HH", 1, 1)
    for a in addrs:
        msg += b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + a
    return msg


def tls_exchange(cap, rng, cport, sni, sip="203.0.113.20"):
    f = Flow(cap, "192.168.1.23", cport, sip, 443, rng)
    f.handshake()
    f.send(True, client_hello(sni, rng))
    f.send(False, server_hello_13(rng))
    f.send(True, b"\x14\x03\x03\x00\x01\x01" + b"\x17\x03\x03" + struct.pack("!H", 64) + rng.randbytes(64))
    f.close()


def http_exchange(cap, rng, cport, request, response=None, sip="203.0.113.10", sport=80):
    f = Flow(cap, "192.168.1.23", cport, sip, sport, rng)
    f.handshake()
    f.send(True, request)
    f.send(False, response if response is not None else http_response())
    f.close()
    return f


def phone_series(prefix, n):
    """n distinct valid mobile numbers: a 4-digit prefix, then 3 + 4 digits from the index."""
    return [f"{prefix}{i:03d}{(i * 7 + 3) % 10000:04d}" for i in range(1, n + 1)]


# --------------------------------------------------------------------------
# The captures. Each takes (cap, rng, planted) and appends to planted a dict
# {"type", "value", "where"} for every PI value it plants.


def gen_pi_in_path_host_sni(cap, rng, planted):
    p = {"path": "13812345678", "path_imei": IMEI, "json_key": "13912345670", "json_key2": "13612345677",
         "json_under_key": "13712345676", "form_name": "15012345671", "form_name2": "15212345673",
         "form_under_name": "13512345674", "multipart_name": "15112345672", "multipart_value": "13312345672",
         "host": "18612345673", "sni": "18712345674", "dns_control": "18812345675", "sni_only": "18912345679"}
    planted += [
        {"type": "phone", "value": p["path"], "where": "URL path: GET /users/<phone>/profile"},
        {"type": "imei", "value": IMEI, "where": "URL path: POST /devices/<imei>/bind"},
        {"type": "phone", "value": p["json_key"], "where": "JSON body, as a key: {\"<phone>\": 1}"},
        {"type": "phone", "value": p["json_key2"], "where": "JSON body, as a nested key with PI under it"},
        {"type": "phone", "value": p["json_under_key"], "where": "JSON value $.contacts.<phone key>.mobile (its field path holds the key)"},
        {"type": "phone", "value": p["form_name"], "where": "form body, as a field name: <phone>=1"},
        {"type": "phone", "value": p["form_name2"], "where": "form body, as the name of a field whose value is PI"},
        {"type": "phone", "value": p["form_under_name"], "where": "form body, the value of field <phone> (its field name is PI)"},
        {"type": "phone", "value": p["multipart_name"], "where": "multipart part name: form-data; name=\"<phone>\""},
        {"type": "phone", "value": p["multipart_value"], "where": "multipart part value under a PI name"},
        {"type": "phone", "value": p["host"], "where": "Host header label: <phone>.example.com"},
        {"type": "phone", "value": p["sni"], "where": "TLS SNI label: <phone>.example.com (and its DNS query)"},
        {"type": "phone", "value": p["dns_control"], "where": "DNS query label (control: already scanned)"},
        {"type": "phone", "value": p["sni_only"], "where": "TLS SNI label, no DNS query for the name"},
    ]
    host = "api.example.com"
    port = iter(range(40001, 40100))
    http_exchange(cap, rng, next(port), http_request("GET", f"/users/{p['path']}/profile", host))
    http_exchange(cap, rng, next(port), http_request("POST", f"/devices/{IMEI}/bind", host, body=b'{"ok":1}', content_type="application/json"))
    http_exchange(cap, rng, next(port), http_request("POST", "/v1/contacts", host, content_type="application/json",
                                                      body=('{"%s": 1, "n": 2, "contacts": {"%s": {"mobile": "%s"}}}'
                                                            % (p["json_key"], p["json_key2"], p["json_under_key"])).encode()))
    http_exchange(cap, rng, next(port), http_request("POST", "/v1/form", host, content_type="application/x-www-form-urlencoded",
                                                      body=f"{p['form_name']}=1&lang=zh&{p['form_name2']}={p['form_under_name']}".encode()))
    mp = (b"--XyZb\r\nContent-Disposition: form-data; name=\"" + p["multipart_name"].encode()
          + b"\"\r\n\r\n" + p["multipart_value"].encode() + b"\r\n--XyZb--\r\n")
    http_exchange(cap, rng, next(port), http_request("POST", "/v1/upload", host, content_type="multipart/form-data; boundary=XyZb", body=mp))
    http_exchange(cap, rng, next(port), http_request("GET", "/ping", f"{p['host']}.example.com"))
    # DNS for the SNI name and the control name, then the TLS connection.
    for i, label in enumerate((p["sni"], p["dns_control"])):
        name = f"{label}.example.com".encode()
        udp(cap, "192.168.1.23", "192.168.1.1", 53001 + i, 53, dns_query(0x1200 + i, name))
        udp(cap, "192.168.1.1", "192.168.1.23", 53, 53001 + i, dns_a_response(0x1200 + i, name, [ip4("203.0.113.20")]), from_client=False)
    tls_exchange(cap, rng, next(port), f"{p['sni']}.example.com".encode())
    tls_exchange(cap, rng, next(port), f"{p['sni_only']}.example.com".encode(), sip="203.0.113.21")


def gen_malformed_headers(cap, rng, planted):
    host = "api.example.com"
    cases = [
        ("well-formed (control)", []),
        ("a header line without a colon", [b"X-Broken-Header-Without-Colon"]),
        ("a space in a header name", [b"X Client Id: a1b2c3"]),
        ("a leading space (obs-fold continuation)", [b"X-Trace: abc", b" continued-value"]),
        ("a space before the colon", [b"X-Trace : abc"]),
        ("250 header lines", [b"X-Extra-%03d: value-%03d" % (i, i) for i in range(250)]),
        ("a NUL byte in a header value", [b"X-Bad: a\x00b"]),
    ]
    q = phone_series("1391", len(cases))
    b = phone_series("1361", len(cases))
    for i, (what, extra) in enumerate(cases):
        body = ('{"mobile":"%s","lang":"zh"}' % b[i]).encode()
        req = http_request("POST", f"/api/v1/login?phone={q[i]}&case={i}", host, headers=extra, body=body, content_type="application/json")
        status = 200 if i == 0 else 400
        http_exchange(cap, rng, 41001 + i, req, http_response(status))
        planted.append({"type": "phone", "value": q[i], "where": f"request {i} ({what}): query"})
        planted.append({"type": "phone", "value": b[i], "where": f"request {i} ({what}): JSON body"})


def gen_syn_flood(cap, rng, planted, n=1_000_000):
    """n SYN-only flows: 10.S.S.S:port -> 203.0.113.10:443, 10 us apart (10 s)."""
    dst = ip4("203.0.113.10")
    d1, d2 = struct.unpack("!HH", dst)
    eth = SERVER_MAC + CLIENT_MAC + b"\x08\x00"
    ip_const = 0x4500 + 40 + 0x4000 + ((64 << 8) | 6) + d1 + d2 + 0x0A00  # all words but id, checksum and the low 3 src bytes
    tcp_const = d1 + d2 + 6 + 20 + 443 + (5 << 12 | SYN) + 65535 + 0x0A00
    t = cap.t
    out = []
    pack = struct.pack
    for i in range(n):
        a = i + 1  # 10.0.0.1 ... 10.15.66.65
        s_hi, s_lo = (a >> 16) & 0xFF, a & 0xFFFF
        ident = (i * 40503) & 0xFFFF
        sport = 1024 + (i * 7919) % 64000
        seq = (i * 2654435761) & 0xFFFFFFFF
        c = ip_const + ident + s_hi + s_lo
        c = (c & 0xFFFF) + (c >> 16)
        c = (c & 0xFFFF) + (c >> 16)
        ipc = ~c & 0xFFFF
        c = tcp_const + s_hi + s_lo + sport + (seq >> 16) + (seq & 0xFFFF)
        c = (c & 0xFFFF) + (c >> 16)
        c = (c & 0xFFFF) + (c >> 16)
        tc = ~c & 0xFFFF
        t += 10
        out.append(pack("<IIII", t // 1_000_000, t % 1_000_000, 54, 54) + eth
                   + pack("!HHHHBBHBBH4sHHIIBBHHH", 0x4500, 40, ident, 0x4000, 64, 6, ipc, 10, s_hi, s_lo, dst,
                          sport, 443, seq, 0, 5 << 4, SYN, 65535, tc, 0))
        if len(out) == 20000:
            cap.raw(b"".join(out), len(out))
            out = []
    cap.raw(b"".join(out), len(out))
    cap.t = t


def gen_fragments_one(cap, rng, planted):
    """One UDP datagram (65,512 bytes of IP payload = 8,189 units of 8 bytes) in
    32,768 eight-byte fragments, out of order. IPv4's 13-bit fragment offset
    allows at most 8,189 distinct 8-byte pieces here, so each piece is sent about
    four times (identical bytes): the last fragment (MF=0) comes first, one
    piece is held back to the very end, so the datagram completes only on the
    32,768th fragment."""
    src, dst = ip4("192.168.1.23"), ip4("203.0.113.30")
    units = 8189
    text = ('{"phone":"%s","imei":"%s","pad":"' % (PHONE, IMEI)).encode()
    data_len = units * 8 - 8
    payload = text + b"x" * (data_len - len(text) - 2) + b'"}'
    dgram = udp_datagram(src, dst, 40999, 9999, payload)
    assert len(dgram) == units * 8
    planted.append({"type": "phone", "value": PHONE, "where": "reassembled UDP datagram (port 9999), JSON"})
    planted.append({"type": "imei", "value": IMEI, "where": "reassembled UDP datagram (port 9999), JSON"})
    hole = 4321
    last = units - 1
    middle = [u for u in range(last) if u != hole] * 4
    middle += rng.sample([u for u in range(last) if u != hole], 32766 - len(middle))
    rng.shuffle(middle)
    order = [last] + middle + [hole]
    assert len(order) == 32768
    for u in order:
        mf = 0 if u == last else 0x2000
        cap.write(ether(ipv4(src, dst, 17, dgram[u * 8:u * 8 + 8], ident=0x5151, frag=mf | u)), dt=5)


def gen_fragments_incomplete(cap, rng, planted, n=200_000):
    """n datagrams, each sent as fragment 0 (16 bytes, MF) and its last fragment
    (offset 24, 8 bytes): bytes 16-23 never arrive. Distinct (src, id) keys;
    400,000 packets 20 us apart (8 s), under any sensible reassembly timeout."""
    dst = ip4("203.0.113.31")
    for i in range(n):
        a = i + 1
        src = bytes((10, 32 + (a >> 16), (a >> 8) & 0xFF, a & 0xFF))
        ident = (i * 2654435761 >> 7) & 0xFFFF
        payload = b"N%07d" % i + b"PADDINGPADDING"  # 22 bytes; 32 with the header
        dgram = udp_datagram(src, dst, 40000 + i % 20000, 9999, payload + b"\0" * 2)
        cap.write(ether(ipv4(src, dst, 17, dgram[:16], ident=ident, frag=0x2000 | 0)), dt=20)
        cap.write(ether(ipv4(src, dst, 17, dgram[24:32], ident=ident, frag=3)), dt=20)


VALID_PREFIXES = ([130 + i for i in range(10)] + [145, 146, 147, 148, 149] + [150, 151, 152, 153, 155, 156, 157, 158, 159]
                  + [162, 165, 166, 167] + [170 + i for i in range(9)] + [180 + i for i in range(10)]
                  + [190, 191, 192, 193, 195, 196, 197, 198, 199])


def distinct_phones(rng, n):
    """n distinct valid mainland mobile numbers (segments the MIIT plan uses,
    subscriber digits not all the same), in random order."""
    picks = rng.sample(range(len(VALID_PREFIXES) * 10**8), n + 64)
    out = []
    for k in picks:
        sub = "%08d" % (k % 10**8)
        if sub == sub[0] * 8:
            continue
        out.append("%d%s" % (VALID_PREFIXES[k // 10**8], sub))
        if len(out) == n:
            break
    return out


def gen_distinct_phones(cap, rng, planted, n=290_000):
    phones = distinct_phones(rng, n)
    head, tail = b'{"contacts":[', b"]}"
    length = len(head) + n * 14 - 1 + len(tail)

    def body():
        yield head
        for k in range(0, n, 2000):
            part = phones[k:k + 2000]
            s = ",".join('"%s"' % p for p in part)
            yield (s + ("," if k + 2000 < n else "")).encode()
        yield tail

    f = Flow(cap, "192.168.1.23", 42001, "203.0.113.10", 80, rng)
    f.handshake()
    f.send(True, http_request("POST", "/v2/contacts/upload", "api.example.com", content_type="application/json",
                              length=False, headers=[b"Content-Length: %d" % length]))
    f.send(True, body())
    f.send(False, http_response())
    f.close()
    planted.append({"type": "phone", "value": phones[0], "where": f"JSON array of {n} distinct mobile numbers (first)"})
    planted.append({"type": "phone", "value": phones[-1], "where": f"JSON array of {n} distinct mobile numbers (last)"})
    planted.append({"type": "phone", "count": n, "sha256_of_sorted_newline_joined": hashlib.sha256("\n".join(sorted(phones)).encode()).hexdigest(),
                    "where": "all of them, distinct"})


def gen_caps(cap, rng, planted):
    host = "api.example.com"
    port = iter(range(43001, 43100))
    ph = phone_series("1501", 20)
    k = iter(range(20))

    def plant(where):
        i = next(k)
        planted.append({"type": "phone", "value": ph[i], "where": where})
        return ph[i]

    # 1. A 24 MiB body (the body cap is 4 MiB): a log, with a number in its first
    # line (inside the cap) and in its last (past it).
    size = 24 << 20
    first, last = plant("24 MiB body: first line (inside a 4 MiB cap)"), plant("24 MiB body: last line (past the body cap)")
    l0 = f"2026-01-01T00:00:00Z login ok phone={first}\n".encode()
    ln = f"2026-01-01T00:10:00Z logout phone={last}\n".encode()
    filler = b"".join(b"2026-01-01T00:00:%02dZ event=scroll page=feed seq=%06d dur=120 net=wifi ok\n" % (i % 60, i) for i in range(64))
    mid = size - len(l0) - len(ln)

    def big():
        yield l0
        left = mid
        while left:
            c = filler[:min(len(filler), left)]
            left -= len(c)
            yield c
        yield ln

    f = Flow(cap, "192.168.1.23", next(port), "203.0.113.10", 80, rng)
    f.handshake()
    f.send(True, b"POST /v1/logs HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % size)
    f.send(True, big())
    f.send(False, http_response())
    f.close()

    # 2. A gzip bomb: ~130 KB of gzip inflating to 128 MiB of JSON (the
    # decompression cap is 16 MiB): a number at the start and at the end.
    a, z = plant("gzip bomb: start of the inflated JSON"), plant("gzip bomb: end of the inflated JSON (past the cap)")
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    gz = [co.compress(('{"phone":"%s","blob":"' % a).encode())]
    block = b"A" * (1 << 20)
    for _ in range(128):
        gz.append(co.compress(block))
    gz.append(co.compress(('","phone2":"%s"}' % z).encode()))
    gz.append(co.flush())
    gz = b"".join(gz)
    http_exchange(cap, rng, next(port), http_request("POST", "/v1/sync", host, headers=[b"Content-Encoding: gzip"],
                                                      content_type="application/json", body=gz))

    # 3. JSON nested 10,000 deep, the number at the bottom.
    d = plant("JSON nested 10,000 deep: the innermost object")
    deep = b"[" * 10000 + ('{"phone":"%s"}' % d).encode() + b"]" * 10000
    http_exchange(cap, rng, next(port), http_request("POST", "/v1/deep", host, content_type="application/json", body=deep))

    # 4. Decode depth: a number under five layers of base64.
    e = plant("JSON value under five layers of base64")
    v = ('{"phone":"%s"}' % e).encode()
    for _ in range(5):
        v = base64.b64encode(v)
    http_exchange(cap, rng, next(port), http_request("POST", "/v1/blob", host, content_type="application/json",
                                                      body=b'{"data":"' + v + b'"}'))

    # 5. A header section over 64 KiB, a number in the query.
    g = plant("query of a request whose header section is over 64 KiB")
    http_exchange(cap, rng, next(port), http_request("GET", f"/v1/q?phone={g}", host, headers=[b"X-Pad: " + b"p" * 70000]))

    # 6. DNS over UDP: a response whose answer name is a compression pointer to
    # itself; one whose name is a label and a pointer back to that label (every
    # pointer points backwards, yet it loops: a.a.a...); one with two names
    # pointing at each other; one with 300 answers (a 4.8 kB UDP datagram, not
    # fragmented).
    for i, what in enumerate(("DNS response with a self-pointing compression pointer",
                              "DNS response with a label + backwards pointer loop",
                              "DNS response with a two-pointer loop", "DNS response with 300 answers")):
        label = plant(what + ": question name label")
        name = f"{label}.t.example.com".encode()
        ident = 0x3300 + i
        udp(cap, "192.168.1.23", "192.168.1.1", 54001 + i, 53, dns_query(ident, name))
        q = struct.pack("!HHHHHH", ident, 0x8180, 1, 1 if i < 3 else 300, 0, 0) + dns_name(name) + struct.pack("!HH", 1, 1)
        if i == 0:
            at = len(q)
            msg = q + struct.pack("!H", 0xC000 | at) + struct.pack("!HHIH", 1, 1, 60, 4) + ip4("203.0.113.40")
        elif i == 1:
            at = len(q)
            msg = q + b"\x01a" + struct.pack("!H", 0xC000 | at) + struct.pack("!HHIH", 1, 1, 60, 4) + ip4("203.0.113.42")
        elif i == 2:
            at = len(q)  # A: label "a" then a pointer to B; B: label "b" then a pointer to A
            b_at = at + 4 + 10 + 4
            msg = q + b"\x01a" + struct.pack("!H", 0xC000 | b_at) + struct.pack("!HHIH", 1, 1, 60, 4) + ip4("203.0.113.41")
            assert len(msg) == b_at
            msg += b"\x01b" + struct.pack("!H", 0xC000 | at)
        else:
            msg = q + b"".join(b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + bytes((198, 51, 100 + j // 250, j % 250 + 1))
                               for j in range(300))
        udp(cap, "192.168.1.1", "192.168.1.23", 53, 54001 + i, msg, from_client=False)

    # 7. A chunked body whose second chunk size overflows 64 bits.
    c = plant("chunked body: first chunk (before the overflowing size)")
    c2 = plant("chunked body: after the overflowing chunk size")
    chunk1 = ('{"phone":"%s",' % c).encode()
    body = b"%x\r\n" % len(chunk1) + chunk1 + b"\r\nFFFFFFFFFFFFFFFFFF\r\n" + ('"phone2":"%s"}' % c2).encode() + b"\r\n0\r\n\r\n"
    http_exchange(cap, rng, next(port), http_request("POST", "/v1/chunked", host, headers=[b"Transfer-Encoding: chunked"],
                                                      content_type="application/json", body=body, length=False))

    # 8. Content-Length: 99999999999999999999 (over 2^64), a short body, then FIN.
    cl = plant("body of a request with Content-Length 99999999999999999999")
    body = ('{"phone":"%s"}' % cl).encode()
    f = Flow(cap, "192.168.1.23", next(port), "203.0.113.10", 80, rng)
    f.handshake()
    f.send(True, b"POST /v1/len HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\n"
           b"Content-Length: 99999999999999999999\r\n\r\n" + body)
    f.send(False, http_response(400))
    f.close()

    # 9. WebSocket: a client text frame claiming 2^63 bytes (64-bit length with
    # the top bit set), after an ordinary masked frame carrying a number.
    w = plant("WebSocket: an ordinary text frame before the 2^63-byte one")
    w2 = plant("WebSocket: payload bytes after the 2^63-byte frame header")
    key = base64.b64encode(rng.randbytes(16))
    accept = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
    f = Flow(cap, "192.168.1.23", next(port), "203.0.113.10", 80, rng)
    f.handshake()
    f.send(True, b"GET /ws HTTP/1.1\r\nHost: api.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           b"Sec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
    f.send(False, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")

    def masked(payload, mask):
        return bytes(b ^ mask[i % 4] for i, b in enumerate(payload))

    m1 = rng.randbytes(4)
    p1 = ('{"phone":"%s"}' % w).encode()
    f.send(True, bytes((0x81, 0x80 | len(p1))) + m1 + masked(p1, m1))
    m2 = rng.randbytes(4)
    p2 = ('{"phone":"%s"}' % w2).encode() * 20
    f.send(True, bytes((0x81, 0x80 | 127)) + struct.pack("!Q", 1 << 63) + m2 + masked(p2, m2))
    f.close()


BIDI_MORE = "\u202a\u202b\u202c\u202d\u200e\u200f\u061c"  # LRE RLE PDF LRO LRM RLM ALM


def gen_bidi_names(cap, rng, planted):
    ph = phone_series("1801", 8)
    planted.append({"type": "note", "value": "bidi", "where": "U+202E, U+2066-U+2069, U+2028, U+2029 (and in the last request "
                    "U+202A-U+202D, U+200E, U+200F, U+061C) in Host, path, JSON field names, a header value, SNI and a DNS label"})
    host = "api.ex\u202eelpmaxe\u202c.com".encode()
    path = "/v1/\u2066user\u2069/\u2067a\u2068b\u2069/\u2028line\u2029para/profile?ref=\u202egnp.exe".encode()
    body = ('{"user\u202ename": "%s", "\u2066phone\u2069": "%s", "a\u2028b\u2029c": "%s", "escaped\\u202eKey": "%s"}'
            % (ph[0], ph[1], ph[2], ph[3])).encode()
    for i, where in enumerate(("JSON field user<U+202E>name", "JSON field <U+2066>phone<U+2069>",
                               "JSON field a<U+2028>b<U+2029>c", "JSON field escaped\\u202eKey (JSON escape)")):
        planted.append({"type": "phone", "value": ph[i], "where": where})
    req = http_request("POST", "PLACEHOLDER", host, headers=["X-Note: note\u202etxt.exe".encode()],
                       content_type="application/json", body=body).replace(b"PLACEHOLDER", path)
    http_exchange(cap, rng, 44001, req)
    # The same characters percent-encoded in the path and query.
    enc = "".join("%%%02X" % b for b in "\u202e\u2066\u2067\u2068\u2069\u2028\u2029".encode())
    planted.append({"type": "phone", "value": ph[4], "where": "query next to percent-encoded bidi characters"})
    http_exchange(cap, rng, 44002, http_request("GET", f"/v1/{enc}/x?name={enc}&phone={ph[4]}", "api.example.com"))
    # The other bidi controls, in a Host and a field name.
    planted.append({"type": "phone", "value": ph[5], "where": "JSON field name with U+202A-U+202D, U+200E, U+200F, U+061C"})
    http_exchange(cap, rng, 44003, http_request("POST", "/v1/more", ("h" + BIDI_MORE + ".example.com").encode(), content_type="application/json",
                                                 body=('{"k%s": "%s"}' % (BIDI_MORE, ph[5])).encode()))
    # SNI and a DNS name with them (raw UTF-8 in the label bytes).
    sni = "cdn.\u202emoc.elgoog\u202c.\u2066x\u2069.\u2028.\u2029.example.com".encode()
    udp(cap, "192.168.1.23", "192.168.1.1", 55001, 53, dns_query(0x4400, sni))
    udp(cap, "192.168.1.1", "192.168.1.23", 53, 55001, dns_a_response(0x4400, sni, [ip4("203.0.113.20")]), from_client=False)
    tls_exchange(cap, rng, 44004, sni)


def gen_overlap_flood(cap, rng, planted, n=100_000):
    """One HTTP POST with a 256 KiB body. After the first half is delivered in
    order, 50,000 retransmissions overlap it with conflicting bytes; then one
    segment is held back (a hole) and 50,000 overlapping, conflicting segments
    arrive past it; then the hole is filled and the rest sent in order."""
    orig, fake = PHONE, "13987654321"
    planted.append({"type": "phone", "value": orig, "where": "original body bytes (every 4 KiB)"})
    planted.append({"type": "phone", "value": fake, "where": "conflicting bytes: in the first half they arrive after the original "
                    "(first copy wins: the original), in the second half before it (behind a hole)"})
    size = 256 << 10
    unit = ('{"phone":"%s"},' % orig).encode()
    body = bytearray((unit + b" " * (4096 - len(unit))) * (size // 4096))
    funit = ('{"phone":"%s"},' % fake).encode()
    head = b"POST /v1/batch HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % size
    f = Flow(cap, "192.168.1.23", 45001, "203.0.113.10", 80, rng)
    f.handshake()
    f.send(True, head)
    base = f.seq[True]
    half = size // 2
    f.send(True, bytes(body[:half]))
    for _ in range(n // 2):
        off = rng.randrange(0, half - 200)
        ln = rng.randrange(40, 200)
        f.packet(True, ACK | PSH, (funit * 14)[:ln], seq=base + off, dt=3)
    hole = (half, half + MSS)
    for _ in range(n // 2):
        off = rng.randrange(hole[1], size - 200)
        ln = rng.randrange(40, 200)
        f.packet(True, ACK | PSH, (funit * 14)[:ln], seq=base + off, dt=3)
    f.packet(True, ACK | PSH, bytes(body[hole[0]:hole[1]]), seq=base + hole[0])
    f.seq[True] = base + hole[1]
    f.send(True, bytes(body[hole[1]:]))
    f.send(False, http_response())
    f.close()


def gen_bogus_records(cap, rng, planted):
    """TLS records and handshake messages with lying lengths, one connection each;
    the SNI of each ClientHello carries a phone label."""
    ph = phone_series("1771", 10)
    port = iter(range(46001, 46100))

    def conn(payload, where, i):
        planted.append({"type": "phone", "value": ph[i], "where": where + " (SNI label)"})
        f = Flow(cap, "192.168.1.23", next(port), "203.0.113.20", 443, rng)
        f.handshake()
        f.send(True, payload)
        f.close()

    def hello(i):
        return client_hello(f"{ph[i]}.example.com".encode(), rng)

    h = hello(0)
    conn(h[:3] + struct.pack("!H", 16000) + h[5:], "record claims 16,000 bytes, carries the ClientHello and stops", 0)
    h = hello(1)
    conn(h[:3] + b"\xff\xff" + h[5:] + rng.randbytes(2000), "record length 65,535 (over 2^14+2048)", 1)
    h = hello(2)
    conn(h[:5] + b"\x01\xff\xff\xff" + h[9:], "handshake length 16 MiB inside a normal record", 2)
    h = hello(3)
    # the extensions block claims 4,000 bytes more than it has
    body = h[9:]
    ext_at = 2 + 32 + 1 + 32 + 2 + 2 * 15 + 2
    elen = struct.unpack("!H", body[ext_at:ext_at + 2])[0]
    body = body[:ext_at] + struct.pack("!H", elen + 4000) + body[ext_at + 2:]
    conn(h[:9] + body, "extensions length larger than the message", 3)
    h = hello(4)
    # the SNI extension's inner list length lies
    at = 9 + ext_at + 2  # the first extension: server_name
    conn(h[:at + 4] + b"\x7f\xff" + h[at + 6:], "server_name list length 32,767", 4)
    # the ClientHello split across one-byte records, after 10,000 empty records
    hs = client_hello(f"{ph[5]}.example.com".encode(), rng, record=False)
    conn(b"\x16\x03\x01\x00\x00" * 10000 + b"".join(b"\x16\x03\x01\x00\x01" + hs[i:i + 1] for i in range(len(hs))),
         "10,000 empty records, then the ClientHello in one-byte records", 5)
    h = hello(6)
    conn(b"\x99\x03\x01\x00\x10" + rng.randbytes(16) + h, "a record of unknown type 0x99, then a ClientHello", 6)
    h = hello(7)
    conn(h[:1] + b"\x7f\x7f" + h[3:], "record version 0x7f7f", 7)


def gen_same_pi(cap, rng, planted, flows=1000, events=300):
    """flows HTTP POSTs, each with the IMEI and the phone in the query and in
    each of events JSON events: 2 + 2*events sightings per flow."""
    planted.append({"type": "imei", "value": IMEI, "where": f"query and every event of {flows} flows ({flows * (events + 1)} times)"})
    planted.append({"type": "phone", "value": PHONE, "where": f"query and every event of {flows} flows ({flows * (events + 1)} times)"})
    names = ["click", "view", "scroll", "play", "pause", "share", "like", "exit"]
    for i in range(flows):
        ev = []
        ts = 1_767_225_600_000 + i * 60_000
        for j in range(events):
            ts += 37 + (j * 13) % 200
            ev.append('{"ev":"%s","ts":%d,"seq":%d,"imei":"%s","phone":"%s"}' % (names[(i + j) % 8], ts, j, IMEI, PHONE))
        body = ('{"app":"com.example.feed","batch":%d,"events":[%s]}' % (i, ",".join(ev))).encode()
        req = http_request("POST", f"/v1/track?imei={IMEI}&phone={PHONE}&batch={i}", "log.example.com",
                           content_type="application/json", body=body)
        c = 192 + (i // 200)
        f = Flow(cap, f"192.168.{c}.23", 20000 + i, "203.0.113.50", 80, rng)
        f.handshake()
        f.send(True, req)
        f.send(False, http_response())
        f.close()
        cap.t += 20_000


CAPTURES = {
    "pi-in-path-host-sni": gen_pi_in_path_host_sni,
    "malformed-headers": gen_malformed_headers,
    "syn-flood-1m": gen_syn_flood,
    "fragments-one-datagram": gen_fragments_one,
    "fragments-200k-incomplete": gen_fragments_incomplete,
    "distinct-phones-4mb": gen_distinct_phones,
    "caps": gen_caps,
    "bidi-names": gen_bidi_names,
    "overlap-flood": gen_overlap_flood,
    "bogus-records": gen_bogus_records,
    "same-pi-500k": gen_same_pi,
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(here, "..", "out", "hostile"))
    ap.add_argument("--list", action="store_true", help="print the capture names and exit")
    ap.add_argument("names", nargs="*", help="captures to write (default: all)")
    args = ap.parse_args()
    if args.list:
        print("\n".join(CAPTURES))
        return
    names = args.names or list(CAPTURES)
    for n in names:
        if n not in CAPTURES:
            sys.exit(f"make.py: unknown capture {n!r} (try --list)")
    out = os.path.normpath(args.out)
    os.makedirs(out, exist_ok=True)
    mpath = os.path.join(out, "manifest.json")
    manifest = {}
    if os.path.exists(mpath):
        try:
            with open(mpath) as fh:
                manifest = json.load(fh)
        except ValueError:
            manifest = {}
    total = time.monotonic()
    for n in names:
        t0 = time.monotonic()
        path = os.path.join(out, n + ".pcap")
        tmp = path + ".part"
        cap = Pcap(tmp)
        planted = []
        CAPTURES[n](cap, random.Random(SEED ^ zlib.crc32(n.encode())), planted)
        cap.close()
        os.replace(tmp, path)
        size = os.path.getsize(path)
        manifest[n] = {"file": n + ".pcap", "bytes": size, "packets": cap.packets, "planted": planted}
        print(f"{n + '.pcap':34} {size / 1e6:8.1f} MB {cap.packets:9d} packets {time.monotonic() - t0:6.1f} s", flush=True)
    with open(mpath, "w") as fh:
        json.dump(manifest, fh, indent=1, ensure_ascii=True)
        fh.write("\n")
    print(f"{'total':34} {sum(v['bytes'] for v in manifest.values()) / 1e6:8.1f} MB {'':17} {time.monotonic() - total:6.1f} s  -> {out}")


if __name__ == "__main__":
    main()
