#!/usr/bin/env python3
"""Check the PI shapes corpus against manifest.yaml with tshark, independently of wirecheck and corpus.py.

For every capture: reassemble each TCP/UDP stream with `tshark -qz follow,<proto>,raw,N`, then decode the
client bytes with a decoder of its own (HTTP request line/query/headers/cookies, de-chunking and
Content-Encoding, multipart parts, urlencoded forms, JSON with numbers kept as sent, XML with CDATA and
entities, k=v lists, percent-encoding, base64, hex, gzip/zlib/zip members found by magic bytes anywhere in
binary data). Every decoded value is kept as a *leaf* (field name or JSON path, value, request) so items
are checked in their flow, under their field, in their request. Checks:
  * the manifest parses (own parser == PyYAML when available); device.yaml == captures/pii/device.yaml;
  * every expected item is found (normalised value, raw spelling, coordinates pairs, list sizes, digests);
  * `confirmed` is true exactly when the value is one of device.yaml's identifiers;
  * every decoy is present and really fails the check it imitates; every unconfirmed digest is a digest
    of its `of` value under its field, and `of` is not a device identifier;
  * no device identifier (raw or hashed) and no valid IMEI / mobile number (also spelled with separators
    and +86/86/0086 prefixes) / resident ID (also spelled in groups) / UnionPay card appears in a flow
    without an expected item.
Prints one line per capture and exits non-zero on any problem.
  verify.py              check the corpus
  verify.py --self-test  also prove the checker fails on a broken capture / a manifest with a hole
"""
import base64
import binascii
import datetime
import gzip
import hashlib
import html
import io
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
# The identifiers (ids.py) and the device.yaml / manifest.yaml readers, stream extraction and identifier
# checks (decoding.py, also used by captures/pii/tools/verify.py) are those of the first corpus, shared.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "pii", "tools"))
import ids  # noqa: E402
from decoding import (bare_number_hits, classify, device_holes, device_norm, digests, http_body,  # noqa: E402
                      load_manifest, load_yaml_flat, streams)
from ids import digits, phone_norm  # noqa: E402


# ---------------------------------------------------------------- the decoder
def printable(s):
    return len(s) > 0 and sum(c.isprintable() or c in "\r\n\t" for c in s) >= 0.95 * len(s)


def as_text(b):
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return s if printable(s) else None


def inflate_at(b, i):
    """Decompress a gzip or zlib member starting at b[i] (trailing bytes allowed)."""
    try:
        if b[i:i + 3] == b"\x1f\x8b\x08":
            d = zlib.decompressobj(16 + 15)
        elif b[i] == 0x78 and ((b[i] << 8) | b[i + 1]) % 31 == 0:
            d = zlib.decompressobj()
        else:
            return None
        out = d.decompress(b[i:])
        return out if d.eof and out else None
    except (zlib.error, IndexError):
        return None


B64 = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
HEXRUN = re.compile(r"[0-9a-fA-F]{20,}")
KV = re.compile(r"(?:^|(?<=[\s&;,|?(]))([A-Za-z_][A-Za-z0-9_.-]*)=([^&;,|\s\"<>]*)")
KCOLON = re.compile(r"(?:^|(?<=[\s;,(]))([A-Za-z_][A-Za-z0-9_]*):([^;,\s)\"<>]+)")


class Leaf:
    __slots__ = ("key", "value", "req")

    def __init__(self, key, value, req):
        self.key, self.value, self.req = key, value, req


class Decoder:
    def __init__(self):
        self.leaves, self.texts, self.seen, self.req = [], [], set(), None

    def leaf(self, key, value):
        self.leaves.append(Leaf(key, value, self.req))

    # ---- bytes
    def blob(self, b, depth=0):
        if depth > 10 or not b or (b"B", b) in self.seen:
            return
        self.seen.add((b"B", b))
        if b[:4] == b"PK\x03\x04":
            try:
                z = zipfile.ZipFile(io.BytesIO(b))
                for name in z.namelist():
                    self.leaf("zip:" + name, name)
                    self.blob(z.read(name), depth + 1)
                return
            except zipfile.BadZipFile:
                pass
        x = inflate_at(b, 0)
        if x is not None:
            return self.blob(x, depth + 1)
        t = as_text(b)
        if t is not None:
            return self.text(t, depth + 1)
        # binary: compressed members anywhere, then printable runs (ASCII / UTF-8)
        for i in range(len(b) - 2):
            if b[i] in (0x1f, 0x78) or b[i:i + 4] == b"PK\x03\x04":
                if b[i:i + 4] == b"PK\x03\x04":
                    self.blob(b[i:], depth + 1)
                    continue
                x = inflate_at(b, i)
                if x is not None:
                    self.blob(x, depth + 1)
        for m in re.finditer(rb"(?:[\x20-\x7e\t\r\n]|[\xc2-\xf4][\x80-\xbf]{1,3}){6,}", b):
            self.text(m.group(0).decode("utf-8", "replace"), depth + 1)

    # ---- text
    def text(self, t, depth=0):
        if depth > 10 or not t or ("T", t) in self.seen:
            return
        self.seen.add(("T", t))
        self.texts.append(t)
        s = t.strip()
        if s[:1] in "{[":
            try:
                self.walk(json.loads(s, parse_float=str, parse_int=str), "$", depth)
            except ValueError:
                pass
        if "<" in s and ">" in s:
            self.xml(s, depth)
        if re.fullmatch(r"[^=&\s]+=[^&]*(?:&[^=&]+=[^&]*)+", s):
            for pair in s.split("&"):
                k, _, v = pair.partition("=")
                self.leaf(k, v)
                if "%" in v or "+" in v:
                    self.leaf(k, urllib.parse.unquote_plus(v))
        for m in KV.finditer(t):
            self.leaf(m.group(1), m.group(2))
            self.text(m.group(2), depth + 1)
        for m in KCOLON.finditer(t):
            self.leaf(m.group(1), m.group(2))
        variants = []
        if "%" in t:
            variants += [urllib.parse.unquote(t), urllib.parse.unquote_plus(t)]
        if "&" in t and ";" in t:
            variants.append(html.unescape(t))
        if "\\" in t:
            variants.append(re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), t).replace('\\"', '"'))
        for v in variants:
            if v != t:
                self.text(v, depth + 1)
        for m in B64.finditer(t):
            tok = m.group(0)
            for skip in range(0, 4):
                core = tok[skip:]
                for dec in (base64.b64decode, base64.urlsafe_b64decode):
                    try:
                        raw = dec(core + "=" * (-len(core) % 4))
                    except (binascii.Error, ValueError):
                        continue
                    if inflate_at(raw, 0) is not None or as_text(raw) is not None:
                        self.blob(raw, depth + 1)
        for m in HEXRUN.finditer(t):
            tok = m.group(0)
            for skip in (0, 1):
                core = tok[skip:]
                core = core[:len(core) // 2 * 2]
                raw = bytes.fromhex(core)
                if inflate_at(raw, 0) is not None or as_text(raw) is not None:
                    self.blob(raw, depth + 1)

    def walk(self, o, path, depth):
        self.leaf(path, o)
        if isinstance(o, dict):
            for k, v in o.items():
                self.walk(v, "%s.%s" % (path, k), depth)
        elif isinstance(o, list):
            for i, v in enumerate(o):
                self.walk(v, "%s[%d]" % (path, i), depth)
        elif isinstance(o, str):
            self.text(o, depth + 1)

    def xml(self, s, depth):
        s = s[s.find("<"):s.rfind(">") + 1]
        try:
            root = ET.fromstring(s.encode("utf-8"))
        except ET.ParseError:
            return
        for el in root.iter():
            txt = "".join(el.itertext()) if len(el) == 0 else (el.text or "")
            self.leaf(el.tag, txt)
            for k, v in el.attrib.items():
                self.leaf(k, v)
            if txt.strip():
                self.text(txt.strip(), depth + 1)

    # ---- HTTP requests on a TCP stream
    def http(self, data):
        i = 0
        while i < len(data):
            end = data.find(b"\r\n\r\n", i)
            if end < 0:
                self.blob(data[i:])
                return
            head = data[i:end].decode("utf-8", "replace")
            lines = head.split("\r\n")
            method, target = lines[0].split(" ")[:2]
            path, _, query = target.partition("?")
            self.req = (method, path)
            self.text(head)
            for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True):
                self.leaf(k, v)
                self.text(v)
            hdrs = {}
            for line in lines[1:]:
                k, _, v = line.partition(":")
                k, v = k.strip(), v.strip()
                hdrs[k.lower()] = v
                self.leaf(k, v)
                if k.lower() == "cookie":
                    for c in v.split(";"):
                        ck, _, cv = c.strip().partition("=")
                        self.leaf(ck, cv)
                        self.leaf(ck, urllib.parse.unquote(cv))
                        self.text(cv)
                else:
                    self.text(v)
            body, j = http_body(data, end + 4, hdrs)
            enc = hdrs.get("content-encoding", "").lower()
            if enc in ("gzip", "deflate"):
                body = gzip.decompress(body) if enc == "gzip" else zlib.decompress(body)
            ct = hdrs.get("content-type", "")
            if ct.startswith("multipart/"):
                self.multipart(body, ct.split("boundary=")[1].strip('"'))
            elif "x-www-form-urlencoded" in ct or (body and re.fullmatch(rb"[\w.%+*-]+=[^&]*(&[\w.%+*-]+=[^&]*)*", body)):
                for k, v in urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True):
                    self.leaf(k, v)
                    self.text(v)
            else:
                self.blob(body)
            i = j
        self.req = None

    def multipart(self, body, boundary):
        for part in body.split(b"--" + boundary.encode())[1:]:
            if part.startswith(b"--"):
                break
            part = part[2:] if part.startswith(b"\r\n") else part
            head, _, data = part.partition(b"\r\n\r\n")
            data = data[:-2] if data.endswith(b"\r\n") else data
            m = re.search(rb'name="([^"]*)"', head)
            name = m.group(1).decode() if m else ""
            t = as_text(data)
            self.leaf(name, t if t is not None else data)
            self.blob(data)


def decode_flow(proto, chunks):
    d = Decoder()
    if proto == "tcp":
        data = b"".join(chunks)
        if re.match(rb"^(GET|POST|PUT|HEAD|DELETE|OPTIONS|PATCH) ", data):
            d.http(data)
        else:
            d.blob(data)
    else:
        for c in chunks:
            d.blob(c)
    return d


# ---------------------------------------------------------------- normalisation and matching
def norm(t, s):
    if not isinstance(s, str):
        return None
    if t == "phone_cn" and re.fullmatch(r"[+()\d .-]+", s):
        return phone_norm(s)
    if t in ("bank_card", "imei", "imsi", "iccid") and re.fullmatch(r"[\d .-]+", s):
        return digits(s)
    if t == "resident_id_cn" and re.fullmatch(r"[\d -]+[\dXx]", s):
        return s.replace(" ", "").replace("-", "").upper()
    if t in ("mac", "bssid"):
        x = s.lower().replace("-", ":")
        if re.fullmatch(r"[0-9a-f]{12}", x):
            x = ":".join(x[i:i + 2] for i in range(0, 12, 2))
        return x
    if t in ("oaid", "android_id", "email"):
        return s.lower()
    if t == "birth_date":
        m = re.fullmatch(r"(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?", s)
        if m:
            try:
                return datetime.date(*map(int, m.groups())).isoformat()
            except ValueError:
                return None
    return s


def bounded(needle, hay):
    return re.search(r"(?<![0-9A-Za-z])" + re.escape(needle) + r"(?![0-9A-Za-z])", hay) is not None


def field_leaves(dec, field):
    if field.startswith("$"):
        return [l for l in dec.leaves if l.key == field]
    return [l for l in dec.leaves if not l.key.startswith("$") and l.key.lower() == field.lower()]


def as_list(v):
    if isinstance(v, list):
        return v
    if isinstance(v, str):
        try:
            o = json.loads(v)
            if isinstance(o, list):
                return o
        except ValueError:
            return v.split(",") if "," in v else None
    return None


def flat(v):
    """Scalar strings of a JSON node (numbers are kept as their text)."""
    if isinstance(v, dict):
        return [x for w in v.values() for x in flat(w)]
    if isinstance(v, list):
        return [x for w in v for x in flat(w)]
    return [v] if isinstance(v, str) else []


EMBEDDABLE = ("imei", "meid", "imsi", "iccid", "phone_cn", "mac", "bssid", "oaid", "android_id", "serial",
              "idfa", "idfv", "resident_id_cn", "bank_card", "email")


def find_item(e, dec):
    """Return the leaves (or True for free text) that carry item e, else []."""
    t, v, raw, field = e["type"], e["value"], e.get("raw"), e.get("field")
    if raw is not None and norm(t, raw) != v:
        return "raw %r does not normalise to %r" % (raw, v)
    algos = [s for s in e["decoding"] if s in ("md5", "sha1", "sha256")]
    if algos:
        forms = [d for a, d in digests(v) if a in algos]
        return [l for l in field_leaves(dec, field) if isinstance(l.value, str) and any(f in l.value for f in forms)]
    if t == "coordinates":
        lat, lon = v.split(",")
        fs = field.split(",")
        if len(fs) == 2:
            a = [l for l in field_leaves(dec, fs[0]) if l.value == lat]
            b = [l for l in field_leaves(dec, fs[1]) if l.value == lon]
            return [x for x in a if any(y.req == x.req for y in b)]
        return [l for l in field_leaves(dec, field) if isinstance(l.value, (list, dict))
                and sorted(flat(l.value)) == sorted([lat, lon])]
    if t in ("contact_list", "app_list"):
        n = int(v.split()[0])
        return [l for l in field_leaves(dec, field) if as_list(l.value) is not None and len(as_list(l.value)) == n
                and all(isinstance(x, (dict, str)) for x in as_list(l.value))]
    if field is None:
        txt = "\n".join(dec.texts)
        return [True] if bounded(raw or v, txt) else []
    out = []
    for l in field_leaves(dec, field):
        s = l.value
        if not isinstance(s, str):
            continue
        if raw is not None:
            if s == raw or bounded(raw, s):
                out.append(l)
        elif t == "auth_token":
            if s == v or s.split(" ", 1)[-1] == v:
                out.append(l)
        elif norm(t, s) == v:
            out.append(l)
        elif t in EMBEDDABLE and (bounded(v, s) or bounded(v.lower(), s.lower())):
            out.append(l)  # an identifier inside a larger string (User-Agent token, X-UA comment)
    return out


SPELLED = re.compile(r"[+(]?\d[\d ().+-]*[\dXx]")


def number_hits(text):
    """bare_number_hits() and the numbers spelled with separators and prefixes."""
    hits = bare_number_hits(text)
    for m in SPELLED.finditer(text):
        run = m.group(0)
        if m.start() > 0 and re.match(r"[0-9A-Za-z]", text[m.start() - 1]):
            continue
        if m.end() < len(text) and re.match(r"[0-9A-Za-z]", text[m.end()]):
            continue
        bare = run.replace("(", "").replace(")", "").replace("+", "")
        if re.search(r"[ .-]{2,}", bare) or not re.search(r"[ .()+-]", run):
            continue
        k = classify(run, True)
        if k:
            hits.add(k)
    return hits


def decoy_problem(d):
    """A decoy must really fail the check it imitates."""
    if re.fullmatch(r"[\d .-]+[\dXx]", d):
        dd = digits(d) + ("X" if d[-1] in "Xx" else "")
        if len(dd) == 18 and ids.rid_ok(dd):
            return "decoy is a valid resident ID: %s" % d
        if len(dd) in (16, 19) and dd[:2] == "62" and ids.luhn_ok(dd):
            return "decoy is a Luhn-valid card: %s" % d
        if len(dd) == 11 and ids.mobile_ok(dd):
            return "decoy is a mobile number: %s" % d
        if len(dd) == 15 and ids.luhn_ok(dd):
            return "decoy passes Luhn: %s" % d
    return None


def decoy_present(d, views, allt):
    m = re.fullmatch(r"(-?\d+\.\d+),(-?\d+\.\d+)", d)
    if m:
        return any(any(bounded(m.group(1), t) for t in v.texts) and any(bounded(m.group(2), t) for t in v.texts)
                   for v in views)
    return d in allt


# ---------------------------------------------------------------- checking
def check_capture(c, path, devn):
    probs = []
    ss = streams(path)
    views = [decode_flow(p, chunks) for p, _, chunks, _ in ss]
    srv = [decode_flow("udp", [s]) for _, _, _, s in ss]
    allt = "\n".join(t for v in views + srv for t in v.texts)
    exp = set()
    for e in c["expected"]:
        f = e.get("flow", 0)
        exp.add((e["type"], e["value"], f))
        if f >= len(views):
            probs.append("flow %d missing for %s" % (f, e["value"]))
            continue
        got = find_item(e, views[f])
        if isinstance(got, str):
            probs.append(got)
        elif not got:
            probs.append("value not found: %s %s field %s flow %d" % (e["type"], e["value"], e.get("field"), f))
        elif got[0] is not True:
            want = (e["http"]["method"], e["http"]["path"]) if "http" in e else None
            if not any(l.req == want for l in got):
                probs.append("%s %s not in request %s (found in %s)" % (e["type"], e["value"], want,
                                                                        sorted({str(l.req) for l in got})))
        conf = e["value"] in devn.get(e["type"], set())
        if conf != e["confirmed"]:
            probs.append("confirmed mismatch %s %s" % (e["type"], e["value"]))
    for d in c["decoys"]:
        if not decoy_present(d, views + srv, allt):
            probs.append("decoy not found: %s" % d)
        p = decoy_problem(d)
        if p:
            probs.append(p)
    for u in c.get("unconfirmed_digests", []):
        f = u.get("flow", 0)
        if hashlib.new(u["algorithm"], u["of"].encode()).hexdigest() != u["value"].lower():
            probs.append("unconfirmed digest is not %s(%s)" % (u["algorithm"], u["of"]))
        if u["of"] in devn.get(u["type"], set()):
            probs.append("unconfirmed digest of a device identifier: %s" % u["of"])
        if u["type"] == "imei" and not ids.luhn_ok(u["of"]):
            probs.append("unconfirmed digest source is not an IMEI: %s" % u["of"])
        if f >= len(views) or not [l for l in field_leaves(views[f], u["field"]) if l.value == u["value"]]:
            probs.append("unconfirmed digest not found: %s" % u["field"])
        if u["of"] in allt:
            probs.append("unconfirmed digest source sent in clear: %s" % u["of"])
        if (u["type"], u["of"], f) in exp:
            probs.append("unconfirmed digest also expected: %s" % u["of"])
    # holes: device identifiers / validated numbers present but not expected
    for f, v in enumerate(views):
        txt = "\n".join(v.texts)
        probs += device_holes(txt, f, devn, exp)
        for kind in number_hits(txt):
            if (kind[0], kind[1], f) not in exp:
                probs.append("unlisted %s %s in flow %d" % (kind[0], kind[1], f))
    return ss, probs


def check_all(manifest_path, base, only=None, quiet=False):
    dev = load_yaml_flat(os.path.join(OUT, "device.yaml"))
    devn = device_norm(dev)
    caps = load_manifest(manifest_path)
    bad, lines = 0, []
    tot_e = tot_d = tot_u = 0
    for c in caps:
        if only and c["file"] not in only:
            continue
        ss, probs = check_capture(c, os.path.join(base, c["file"]), devn)
        tot_e += len(c["expected"])
        tot_d += len(c["decoys"])
        tot_u += len(c.get("unconfirmed_digests", []))
        line = "%-36s %-4s streams=%d expected=%d decoys=%d %s" % (
            c["file"], "ok" if not probs else "FAIL", len(ss), len(c["expected"]), len(c["decoys"]),
            "; ".join(sorted(set(probs))))
        lines.append((line, probs))
        if not quiet:
            print(line)
        bad += bool(probs)
    if not quiet:
        print("total expected=%d decoys=%d unconfirmed_digests=%d captures=%d failing=%d"
              % (tot_e, tot_d, tot_u, len(lines), bad))
    return bad, lines


def check_files():
    probs = []
    dev = load_yaml_flat(os.path.join(OUT, "device.yaml"))
    ref = os.path.join(OUT, "..", "pii", "device.yaml")
    if os.path.exists(ref) and load_yaml_flat(ref) != dev:
        probs.append("device.yaml differs from captures/pii/device.yaml")
    mine = load_manifest(os.path.join(OUT, "manifest.yaml"))
    try:
        import yaml
    except ImportError:
        yaml = None
    if yaml is not None:
        y = yaml.safe_load(open(os.path.join(OUT, "manifest.yaml"), encoding="utf-8"))
        if y["device"] != "device.yaml":
            probs.append("manifest device is not device.yaml")
        theirs = [{k: v for k, v in c.items()} for c in y["captures"]]
        for c in theirs:
            c["expected"] = c.get("expected") or []
        if theirs != mine:
            probs.append("manifest: own parser and PyYAML disagree")
        if yaml.safe_load(open(os.path.join(OUT, "device.yaml"))) != dev:
            probs.append("device.yaml: PyYAML disagrees")
    caps = {c["file"] for c in mine}
    on_disk = {f for f in os.listdir(OUT) if f.endswith(".pcap")}
    if caps != on_disk:
        probs.append("pcaps on disk != manifest: %s" % sorted(caps ^ on_disk))
    size = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(OUT) for f in fs
               if "__pycache__" not in dp)
    if size >= 2 * 1024 * 1024:
        probs.append("folder is %d bytes (>= 2 MB)" % size)
    for p in probs:
        print("FAIL", p)
    return probs


def self_test():
    """The checker must fail when a value is missing, when the manifest has a hole, and on a wrong flow."""
    tmp = tempfile.mkdtemp(prefix="wc-shapes-verify-")
    ok = True
    try:
        name = "http-spelled-numbers-json.pcap"
        raw = open(os.path.join(OUT, name), "rb").read()
        good, bad_ = "6225 8812 3456 7898".encode(), "6225 8812 3456 7899".encode()
        assert raw.count(good) == 1, "self-test: card not found once in %s" % name
        open(os.path.join(tmp, name), "wb").write(raw.replace(good, bad_))
        n, lines = check_all(os.path.join(OUT, "manifest.yaml"), tmp, only={name}, quiet=True)
        t1 = n == 1 and any("value not found: bank_card 6225881234567898" in p for p in lines[0][1])
        print("self-test broken card value  -> %s" % ("detected" if t1 else "NOT DETECTED"), lines[0][0][:200])
        # a manifest with one item removed (a hole) and one with a wrong flow
        shutil.copy(os.path.join(OUT, name), os.path.join(tmp, name))
        src = open(os.path.join(OUT, "manifest.yaml"), encoding="utf-8").read()
        line = next(l for l in src.splitlines() if '"value": ' not in l and '{type: "resident_id_cn", value: "110105199003072311"' in l)
        open(os.path.join(tmp, "m1.yaml"), "w", encoding="utf-8").write(src.replace(line + "\n", ""))
        n, lines = check_all(os.path.join(tmp, "m1.yaml"), tmp, only={name}, quiet=True)
        t2 = n == 1 and any("unlisted resident_id_cn 110105199003072311" in p for p in lines[0][1])
        print("self-test manifest hole      -> %s" % ("detected" if t2 else "NOT DETECTED"), lines[0][0][:200])
        open(os.path.join(tmp, "m2.yaml"), "w", encoding="utf-8").write(
            src.replace(line, line.replace("flow: 0", "flow: 1")))
        n, lines = check_all(os.path.join(tmp, "m2.yaml"), tmp, only={name}, quiet=True)
        t3 = n == 1 and any("flow 1 missing" in p for p in lines[0][1])
        print("self-test wrong flow         -> %s" % ("detected" if t3 else "NOT DETECTED"), lines[0][0][:200])
        ok = t1 and t2 and t3
    finally:
        shutil.rmtree(tmp)
    return ok


def main():
    probs = check_files()
    bad, _ = check_all(os.path.join(OUT, "manifest.yaml"), OUT)
    ok = not probs and not bad
    if "--self-test" in sys.argv[1:]:
        ok = self_test() and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
