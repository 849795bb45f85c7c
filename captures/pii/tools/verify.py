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
import json
import os
import re
import subprocess
import sys
import urllib.parse
import zlib

import brotli

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import ids  # noqa: E402


def load_yaml_flat(path):
    d = {}
    for line in open(path):
        if line.strip() and not line.startswith("#"):
            k, v = line.split(":", 1)
            d[k.strip()] = json.loads(v.strip())
    return d


def load_manifest(path):
    """The manifest is written by corpus.py in a fixed shape: flow mappings whose values are JSON."""
    caps, cur = [], None
    for line in open(path):
        s = line.strip()
        if s.startswith("- file:"):
            cur = {"file": s.split(":", 1)[1].strip(), "expected": [], "decoys": []}
            caps.append(cur)
        elif s.startswith("- {") and cur is not None:
            body = s[2:]
            body = re.sub(r"http: \{method: (\w+), host: (\"[^\"]*\"), path: (\"[^\"]*\")\}",
                          r'http: {"method": "\1", "host": \2, "path": \3}', body)
            body = re.sub(r"([{,] )(\w+): ", r'\1"\2": ', body)
            body = body.replace("{type:", '{"type":')
            cur["expected"].append(json.loads(body))
        elif s.startswith("decoys:") and cur is not None:
            cur["decoys"] = json.loads(s.split(":", 1)[1])
    return caps


def tshark(*a):
    return subprocess.run(["tshark", *a], capture_output=True, text=True, check=True).stdout


def streams(path):
    out = []
    for proto in ("tcp", "udp"):
        ids_ = tshark("-r", path, "-T", "fields", "-e", proto + ".stream").split()
        for n in sorted({int(x) for x in ids_ if x}):
            txt = tshark("-r", path, "-qz", "follow,%s,raw,%d" % (proto, n))
            cli, srv, first = b"", b"", None
            started = False
            for line in txt.splitlines():
                if line.startswith("====="):
                    if started:
                        break
                    continue
                if re.match(r"^(Follow|Filter|Node \d):", line) or not line.strip():
                    started = started or line.startswith("Node 1")
                    continue
                if line.startswith("\t"):
                    srv += binascii.unhexlify(line.strip())
                else:
                    cli += binascii.unhexlify(line.strip())
            frame = tshark("-r", path, "-Y", "%s.stream==%d" % (proto, n), "-T", "fields", "-e", "frame.number",
                           "-c", "1" if False else "100000").split()
            out.append((int(frame[0]), proto, n, cli, srv))
    out.sort()
    return [(p, n, c, s) for _, p, n, c, s in out]


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
        if "chunked" in hdrs.get("transfer-encoding", "").lower():
            body = b""
            while True:
                le = data.find(b"\r\n", j)
                n = int(data[j:le].split(b";")[0], 16)
                j = le + 2
                if n == 0:
                    j = data.find(b"\r\n", j) + 2
                    break
                body += data[j:j + n]
                j += n + 2
        else:
            n = int(hdrs.get("content-length", "0"))
            body, j = data[j:j + n], j + n
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


def digests(v):
    out = []
    for a in ("md5", "sha1", "sha256"):
        d = hashlib.new(a, v.encode()).digest()
        out += [(a, d.hex()), (a, d.hex().upper()), (a, base64.b64encode(d).decode())]
    return out


def device_norm(dev):
    n = {}
    for k, v in dev.items():
        t = {"imei": "imei", "imei2": "imei", "meid": "meid", "imsi": "imsi", "iccid": "iccid", "phone": "phone_cn",
             "android_id": "android_id", "oaid": "oaid", "mac": "mac", "wifi_bssid": "bssid", "wifi_ssid": "ssid",
             "serial": "serial", "idfa": "idfa", "idfv": "idfv"}.get(k)
        if t:
            n.setdefault(t, set()).add(v)
    if "home_lat" in dev:
        n["coordinates"] = {dev["home_lat"] + "," + dev["home_lon"]}
    return n


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
        ss = streams(path)
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
            for t, vals in devn.items():
                for val in vals:
                    if t == "coordinates":
                        continue
                    forms = [val, val.upper(), val.replace(":", "-")] + [d for _, d in digests(val)]
                    if any(x in v for x in forms) and (t, val, f) not in exp:
                        probs.append("unlisted device id in flow %d: %s %s" % (f, t, val))
            for run in set(re.findall(r"(?<![0-9A-Za-z])\d{11,19}[Xx]?(?![0-9A-Za-z])", v)):
                kind = None
                if len(run) == 15 and ids.luhn_ok(run) and run[:2] in ("86", "35", "01", "99") and run != "0" * 15:
                    kind = ("imei", run)
                elif len(run) == 11 and ids.mobile_ok(run):
                    kind = ("phone_cn", run)
                elif len(run) == 13 and run[:2] == "86" and ids.mobile_ok(run[2:]):
                    kind = ("phone_cn", run[2:])
                elif len(run) == 15 and run[:4] == "0086" and ids.mobile_ok(run[4:]):
                    kind = ("phone_cn", run[4:])
                elif len(run) == 18 and ids.rid_ok(run):
                    kind = ("resident_id_cn", run.upper())
                elif len(run) in (16, 19) and run[:2] == "62" and ids.luhn_ok(run):
                    kind = ("bank_card", run)
                if kind and (kind[0], kind[1], f) not in exp:
                    probs.append("unlisted %s %s in flow %d" % (kind[0], kind[1], f))
        status = "ok" if not probs else "FAIL"
        print("%-36s %-4s streams=%d expected=%d decoys=%d %s" % (
            c["file"], status, len(ss), len(c["expected"]), len(c["decoys"]), "; ".join(sorted(set(probs)))))
        bad += bool(probs)
    print("total expected=%d decoys=%d captures=%d failing=%d" % (tot_e, tot_d, len(caps), bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
