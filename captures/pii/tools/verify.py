#!/usr/bin/env python3
"""Check the corpus against manifest.yaml with tshark, independently of wirecheck.

For every capture: reassemble each TCP/UDP stream with `tshark -qz follow,<proto>,raw,N`, build a
decoded view of the client->server bytes (HTTP de-chunking and Content-Encoding, WebSocket unmasking,
percent/+ decoding, JSON \\u escapes, base64/base64url/hex/gzip tokens, a few rounds), then check:
  * the number of streams covers every `flow` index used;
  * every expected item's value (or, for hashed items, its digest) is in the view of its flow;
  * every decoy string is in the capture;
  * `confirmed` is true exactly when the value is one of device.yaml's identifiers;
  * no device identifier (raw or hashed) and no validated IMEI / mobile / resident ID / UnionPay card
    appears in a flow without a matching expected item (catches holes in the manifest).
Prints one line per capture and exits non-zero on any problem.
"""
import base64
import binascii
import gzip
import hashlib
import os
import re
import sys
import urllib.parse
import zlib

import brotli

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
# stream extraction, manifest reading and the identifier checks are shared with captures/pii-shapes
from decoding import (bare_number_hits, device_holes, device_norm, digests, http_body,  # noqa: E402
                      load_manifest, load_yaml_flat, streams)


def decompress(body, enc):
    enc = (enc or "").lower()
    if "gzip" in enc:
        return gzip.decompress(body)
    if "deflate" in enc:
        return zlib.decompress(body)
    if enc.strip() == "br":
        return brotli.decompress(body)
    return body


def ws_payloads(data):
    out, i = [], 0
    while i + 2 <= len(data):
        b1 = data[i + 1]
        n, j = b1 & 0x7F, i + 2
        if n == 126:
            n, j = int.from_bytes(data[j:j + 2], "big"), j + 2
        elif n == 127:
            n, j = int.from_bytes(data[j:j + 8], "big"), j + 8
        mk = data[j:j + 4] if b1 & 0x80 else b"\0\0\0\0"
        j += 4 if b1 & 0x80 else 0
        out.append(bytes(c ^ mk[k % 4] for k, c in enumerate(data[j:j + n])))
        i = j + n
    return b"".join(out)


def http_views(data):
    """Split client bytes into HTTP requests (if any); return list of decoded byte strings."""
    if not re.match(rb"^(GET|POST|PUT|HEAD|DELETE|OPTIONS|PATCH) ", data):
        return [data]
    views, i = [], 0
    while i < len(data):
        end = data.find(b"\r\n\r\n", i)
        if end < 0:
            views.append(data[i:])
            break
        head = data[i:end].decode("latin-1")
        hdrs = {}
        for line in head.split("\r\n")[1:]:
            k, _, v = line.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        views.append(head.encode("latin-1"))
        j = end + 4
        if "upgrade" in hdrs and hdrs.get("upgrade", "").lower() == "websocket":
            views.append(ws_payloads(data[j:]))
            break
        body, j = http_body(data, j, hdrs)
        views.append(decompress(body, hdrs.get("content-encoding")))
        i = j
    return views


B64 = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
HEX = re.compile(r"\b(?:[0-9a-fA-F]{2}){10,}\b")


def printable(b):
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return s if sum(c.isprintable() for c in s) >= 0.9 * len(s) else None


def expand(texts):
    seen = set(texts)
    frontier = list(texts)
    for _ in range(4):
        new = []
        for t in frontier:
            cands = [urllib.parse.unquote(t), urllib.parse.unquote_plus(t),
                     re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), t),
                     t.replace('\\"', '"')]
            for m in B64.findall(t):
                for alt in (base64.b64decode, base64.urlsafe_b64decode):
                    try:
                        raw = alt(m + "=" * (-len(m) % 4))
                    except (binascii.Error, ValueError):
                        continue
                    if raw[:2] == b"\x1f\x8b":
                        try:
                            raw = gzip.decompress(raw)
                        except Exception:
                            continue
                    p = printable(raw)
                    if p:
                        cands.append(p)
            for m in HEX.findall(t):
                p = printable(bytes.fromhex(m))
                if p:
                    cands.append(p)
            for c in cands:
                if c not in seen:
                    seen.add(c)
                    new.append(c)
        frontier = new
        if not new:
            break
    return "\n".join(seen)


def present(item, view):
    t, v = item["type"], item["value"]
    low = view.lower()
    if any(s in ("md5", "sha1", "sha256") for s in item["decoding"]):
        return any(a in item["decoding"] and d in view for a, d in digests(v))
    if t == "coordinates":
        lat, lon = v.split(",")
        return lat in view and lon in view
    if t == "mac" or t == "bssid":
        return any(f in low for f in (v, v.replace(":", "-"), v.replace(":", "")))
    if t == "phone_cn":
        return v in view or v in view.replace(" ", "")
    if t == "app_list":
        return "com.tencent.mm" in view
    if t == "face_image":
        return True  # checked separately on the raw bytes
    return v.lower() in low


def main():
    dev = load_yaml_flat(os.path.join(OUT, "device.yaml"))
    devn = device_norm(dev)
    caps = load_manifest(os.path.join(OUT, "manifest.yaml"))
    bad = 0
    tot_e = tot_d = 0
    for c in caps:
        path = os.path.join(OUT, c["file"])
        probs = []
        ss = [(proto, n, b"".join(chunks), srv) for proto, n, chunks, srv in streams(path)]
        views = []
        for proto, n, cli, srv in ss:
            parts = [p.decode("utf-8", "replace") for p in http_views(cli)]
            views.append(expand(parts))
        allv = "\n".join(views) + "\n" + "\n".join(expand([s.decode("latin-1")]) for _, _, _, s in ss)
        for e in c["expected"]:
            tot_e += 1
            f = e.get("flow", 0)
            if f >= len(views):
                probs.append("flow %d missing for %s" % (f, e["value"]))
                continue
            if not present(e, views[f]):
                probs.append("value not found: %s %s flow %d" % (e["type"], e["value"], f))
            conf = e["value"] in devn.get(e["type"], set())
            if conf != e["confirmed"]:
                probs.append("confirmed mismatch %s %s" % (e["type"], e["value"]))
            if e["type"] == "face_image":
                raw = ss[f][2]
                a, b = raw.find(b"\xff\xd8\xff"), raw.rfind(b"\xff\xd9")
                if "sha256:" + hashlib.sha256(raw[a:b + 2]).hexdigest() != e["value"]:
                    probs.append("face image hash mismatch")
        for d in c["decoys"]:
            tot_d += 1
            if d not in allv:
                probs.append("decoy not found: %s" % d)
        # holes: device identifiers / validated patterns present but not expected
        exp = {(e["type"], e["value"], e.get("flow", 0)) for e in c["expected"]}
        for f, v in enumerate(views):
            probs += device_holes(v, f, devn, exp)
            for kind in bare_number_hits(v):
                if (kind[0], kind[1], f) not in exp:
                    probs.append("unlisted %s %s in flow %d" % (kind[0], kind[1], f))
        status = "ok" if not probs else "FAIL"
        print("%-36s %-4s streams=%d expected=%d decoys=%d %s" % (
            c["file"], status, len(ss), len(c["expected"]), len(c["decoys"]), "; ".join(sorted(set(probs)))))
        bad += bool(probs)
    print("total expected=%d decoys=%d captures=%d failing=%d" % (tot_e, tot_d, len(caps), bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
