"""Independent checking helpers shared by the PI corpus verifiers (captures/pii/tools/verify.py and
captures/pii-shapes/tools/verify.py). Nothing here comes from wirecheck or from the corpus generators:
the captures are read back with tshark.

  load_yaml_flat()   device.yaml (flat `key: <JSON value>` lines)
  load_manifest()    manifest.yaml as recording.write_manifest writes it (flow mappings, JSON values)
  streams()          every TCP/UDP stream of a capture, client chunks and server bytes, via tshark
  http_body()        the body of one HTTP message in a byte string (Content-Length or chunked)
  digests()          MD5/SHA-1/SHA-256 of a value as lowercase hex, uppercase hex and base64
  device_norm()      device.yaml as {PI type: {values}}
  device_holes()     device identifiers (raw or hashed) present in a flow's text without an expected item
  classify()         what a run of digits is: IMEI, mobile number (+86 prefixes), resident ID, UnionPay card
  bare_number_hits() every run of 11-19 digits in a text that classify() names
"""
import base64
import binascii
import hashlib
import json
import re
import subprocess

import ids
from ids import digits


# ---------------------------------------------------------------- device.yaml / manifest.yaml
def load_yaml_flat(path):
    d = {}
    for line in open(path, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            k, v = line.split(":", 1)
            d[k.strip()] = json.loads(v.strip())
    return d


_DEC = json.JSONDecoder()


def parse_flow(s, i=0):
    """A YAML flow mapping as corpus.py writes it: bare keys, JSON values or nested maps with bare words."""
    assert s[i] == "{", s[i:i + 20]
    i += 1
    out = {}
    while True:
        while s[i] == " ":
            i += 1
        if s[i] == "}":
            return out, i + 1
        m = re.compile(r"(\w+): ").match(s, i)
        assert m, s[i:i + 30]
        key, i = m.group(1), m.end()
        if s[i] == "{":
            val, i = parse_flow(s, i)
        elif s[i] in "\"[-0123456789":
            val, i = _DEC.raw_decode(s, i)
        else:
            m = re.compile(r"[^,}]+").match(s, i)
            word, i = m.group(0).strip(), m.end()
            val = {"true": True, "false": False, "null": None}.get(word, word)
        out[key] = val
        while s[i] == " ":
            i += 1
        if s[i] == ",":
            i += 1


def load_manifest(path):
    caps, cur, section = [], None, None
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if s.startswith("- file:"):
            cur = {"file": s.split(":", 1)[1].strip(), "expected": [], "decoys": []}
            caps.append(cur)
        elif cur is None:
            continue
        elif s.startswith("description:"):
            cur["description"] = json.loads(s.split(":", 1)[1])
        elif s.startswith("expected:"):
            section = "expected"
        elif s.startswith("unconfirmed_digests:"):
            section = "unconfirmed_digests"
            cur[section] = []
        elif s.startswith("decoys:"):
            cur["decoys"] = json.loads(s.split(":", 1)[1])
        elif s.startswith("- {"):
            item, end = parse_flow(s, 2)
            assert end == len(s), s
            cur[section].append(item)
    return caps


# ---------------------------------------------------------------- the captures, through tshark
def tshark(*a):
    return subprocess.run(["tshark", *a], capture_output=True, text=True, check=True).stdout


def streams(path):
    """[(proto, n, [client chunks], server bytes)] in order of first packet."""
    out = []
    for proto in ("tcp", "udp"):
        nums = tshark("-r", path, "-T", "fields", "-e", proto + ".stream").split()
        for n in sorted({int(x) for x in nums if x}):
            txt = tshark("-r", path, "-qz", "follow,%s,raw,%d" % (proto, n))
            cli, srv, started = [], b"", False
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
                    cli.append(binascii.unhexlify(line.strip()))
            first = tshark("-r", path, "-Y", "%s.stream==%d" % (proto, n), "-T", "fields", "-e", "frame.number").split()
            out.append((int(first[0]), proto, n, cli, srv))
    out.sort()
    return [(p, n, c, s) for _, p, n, c, s in out]


def http_body(data, j, hdrs):
    """The body of the HTTP message whose head ends just before data[j] (hdrs: its headers, lowercase
    names), de-chunked, and the offset after it."""
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
        return body, j
    n = int(hdrs.get("content-length", "0"))
    return data[j:j + n], j + n


# ---------------------------------------------------------------- device identifiers and numbers
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


def device_holes(text, f, devn, exp):
    """Problems for device identifiers (raw, uppercase, dashed or hashed) in flow f's text that have no
    expected (type, value, flow) in exp."""
    probs = []
    for t, vals in devn.items():
        if t == "coordinates":
            continue
        for val in vals:
            forms = [val, val.upper(), val.replace(":", "-")] + [d for _, d in digests(val)]
            if any(x in text for x in forms) and (t, val, f) not in exp:
                probs.append("unlisted device id in flow %d: %s %s" % (f, t, val))
    return probs


def classify(run, spelled):
    """(type, normalised value) of a run of digits (spelled: written with separators), or None."""
    d = digits(run)
    x = run[-1] in "Xx"
    if x:
        return ("resident_id_cn", d + "X") if len(d) == 17 and ids.rid_ok(d + "X") else None
    if len(d) == 11 and ids.mobile_ok(d):
        return ("phone_cn", d)
    if len(d) == 13 and d[:2] == "86" and ids.mobile_ok(d[2:]):
        return ("phone_cn", d[2:])
    if len(d) == 15 and d[:4] == "0086" and ids.mobile_ok(d[4:]):
        return ("phone_cn", d[4:])
    if not spelled and len(d) == 15 and ids.luhn_ok(d) and d[:2] in ("86", "35", "01", "99") and d != "0" * 15:
        return ("imei", d)
    if len(d) == 18 and ids.rid_ok(d):
        return ("resident_id_cn", d)
    if len(d) in (16, 19) and d[:2] == "62" and ids.luhn_ok(d):
        return ("bank_card", d)
    return None


def bare_number_hits(text):
    """{(type, value)} of the runs of 11-19 digits (and a check X) that stand alone in text."""
    hits = set()
    for run in re.findall(r"(?<![0-9A-Za-z])\d{11,19}[Xx]?(?![0-9A-Za-z])", text):
        k = classify(run, False)
        if k:
            hits.add(k)
    return hits
