#!/usr/bin/env python3
"""Checks every capture with tshark against tools/scenarios.py and writes expectations.yaml.

For each capture: flows are the TCP and UDP conversations in order of first packet (tshark's
tcp.stream / udp.stream numbering merged by first frame). The step list says which flows must
exist; this script fails unless tshark shows exactly them: transport, server port, the DNS
question and answers, the SNI (present and equal, or absent), the HTTP Host and path, that a
dns-named server address was answered for that name in an earlier DNS flow of the same capture
and that an httpdns-named one was in an earlier HTTPDNS answer, that every expected PI value is
in the flow's client bytes (after gzip and percent-decoding) and that no device identifier is in
a plaintext flow that expects none.

Usage: expect.py CAPTURE_DIR
"""
import collections
import datetime
import gzip
import ipaddress
import json
import os
import re
import subprocess
import sys
import urllib.parse

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import declared  # noqa: E402
import net  # noqa: E402
import scenarios as S  # noqa: E402

HERE = sys.argv[1]
FIRST_PARTY = ["example-shop.cn", "exshop-cdn.cn"]
FIELDS = ["frame.number", "frame.time_epoch", "ip.src", "ip.dst", "tcp.stream", "udp.stream",
          "tcp.dstport", "udp.dstport", "tcp.flags.syn", "tcp.flags.ack", "dns.flags.response",
          "dns.qry.name", "dns.qry.type", "dns.resp.name", "dns.resp.type", "dns.resp.ttl",
          "dns.a", "dns.aaaa", "dns.cname", "dns.svcb.svcparam.alpn", "dns.svcb.svcparam.ipv4hint.ip",
          "tls.handshake.type", "tls.handshake.extensions_server_name", "http.host",
          "http.request.method", "http.request.uri", "tcp.payload", "udp.length",
          "tls.handshake.version", "tls.handshake.extensions.supported_version"]
ERRORS = []


def fail(cap, msg):
    ERRORS.append("%s: %s" % (cap, msg))


def tshark(path):
    out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-E", "separator=\t",
                          "-E", "occurrence=a", "-E", "aggregator=|"] +
                         sum((["-e", f] for f in FIELDS), []),
                         capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        vals = line.split("\t")
        rows.append({f: (v.split("|") if v else []) for f, v in zip(FIELDS, vals)})
    return rows


def one(r, f):
    return r[f][0] if r[f] else None


def iso(t):
    return datetime.datetime.fromtimestamp(float(t), datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def flows_of(rows):
    flows = {}
    for r in rows:
        if one(r, "tcp.stream") is not None:
            key = ("tcp", int(one(r, "tcp.stream")))
        elif one(r, "udp.stream") is not None:
            key = ("udp", int(one(r, "udp.stream")))
        else:
            continue
        f = flows.get(key)
        if f is None:
            f = flows[key] = {"transport": key[0], "stream": key[1], "frames": [],
                              "first": int(one(r, "frame.number")), "t0": one(r, "frame.time_epoch"),
                              "client": one(r, "ip.src"), "server": one(r, "ip.dst"),
                              "port": int(one(r, "tcp.dstport") or one(r, "udp.dstport")),
                              "sni": [], "hosts": [], "requests": [], "dns": [], "c2s": b"",
                              "tls": False}
        f["frames"].append(r)
        if one(r, "ip.src") == f["client"] and r["tcp.payload"]:
            f["c2s"] += bytes.fromhex(r["tcp.payload"][0].replace(":", ""))
        if "1" in r["tls.handshake.type"]:
            f["tls"] = True
            f["sni"] += r["tls.handshake.extensions_server_name"]
        if r["http.request.method"]:
            f["hosts"] += r["http.host"]
            f["requests"].append({"frame": int(one(r, "frame.number")), "t": one(r, "frame.time_epoch"),
                                  "method": one(r, "http.request.method"),
                                  "host": one(r, "http.host"), "uri": one(r, "http.request.uri")})
        if r["dns.qry.name"]:
            f["dns"].append(r)
    return sorted(flows.values(), key=lambda f: f["first"])


def dns_answers(r):
    """The answer RRs of one DNS response row, in wire order."""
    types = [int(t) for t in r["dns.resp.type"]]
    names, ttls = r["dns.resp.name"], r["dns.resp.ttl"]
    a, aaaa, cname = list(r["dns.a"]), list(r["dns.aaaa"]), list(r["dns.cname"])
    out = []
    for i, t in enumerate(types):
        rr = {"name": names[i], "type": {1: "A", 5: "CNAME", 28: "AAAA", 65: "HTTPS"}.get(t, str(t)),
              "ttl": int(ttls[i])}
        if t == 1:
            rr["data"] = a.pop(0)
        elif t == 28:
            rr["data"] = aaaa.pop(0)
        elif t == 5:
            rr["data"] = cname.pop(0)
        elif t == 65:
            rr["data"] = '1 . alpn="%s" ipv4hint=%s' % (",".join(r["dns.svcb.svcparam.alpn"]),
                                                          ",".join(r["dns.svcb.svcparam.ipv4hint.ip"]))
        out.append(rr)
    return out


def decoded_text(b):
    parts = [b]
    for m in re.finditer(rb"\x1f\x8b\x08", b):
        try:
            parts.append(gzip.decompress(b[m.start():]))
        except Exception:
            try:
                import zlib
                parts.append(zlib.decompressobj(31).decompress(b[m.start():]))
            except Exception:
                pass
    t = b"\n".join(parts).decode("utf-8", "replace")
    return urllib.parse.unquote_plus(urllib.parse.unquote_plus(t))


NEEDLES = {"imei": [S.IMEI, S.IMEI_MD5], "oaid": [S.OAID], "android_id": [S.AID], "mac": [S.MAC],
           "imsi": [net.DEVICE["imsi"]], "phone_cn": [S.PHONE], "app_list": ["com.tencent.mm"]}
FORBIDDEN = [S.IMEI, S.IMEI_MD5, S.OAID, S.AID, S.MAC, S.PHONE, net.DEVICE["imsi"], S.LAT]


def expected_flows(cap):
    out = []
    for st in S.CAPTURES[cap]["steps"]:
        if st["kind"] == "sleep":
            continue
        if S.step_has_dns(st):
            host = st.get("host") or urllib.parse.urlsplit(st["url"]).hostname
            out.append(("dns", host, "A", st.get("dns_note"), st))
        if st["kind"] == "dnsq":
            out.append(("dns", st["name"], st["rtype"], st.get("expect_note"), st))
        else:
            out.append(("conn", None, None, None, st))
    return out


def check_capture(cap):
    path = os.path.join(HERE, cap)
    rows = tshark(path)
    flows = flows_of(rows)
    exp = expected_flows(cap)
    if len(flows) != len(exp):
        fail(cap, "%d flows, expected %d" % (len(flows), len(exp)))
        return None
    names_by_addr = []      # (time, addr, name, ttl) from DNS answers
    httpdns_by_addr = []    # (time, addr, name) from HTTPDNS answers
    out_flows = []
    consent_at = None
    spec = S.CAPTURES[cap]
    for i, (f, (kind, qname, qtype, note, st)) in enumerate(zip(flows, exp)):
        e = {"index": i, "transport": f["transport"], "server": "%s:%d" % (f["server"], f["port"]),
             "frame": f["first"]}
        if kind == "dns":
            if f["transport"] != "udp" or f["port"] != 53:
                fail(cap, "flow %d is not DNS" % i)
            q = [r for r in f["dns"] if one(r, "dns.flags.response") == "0"]
            a = [r for r in f["dns"] if one(r, "dns.flags.response") == "1"]
            if len(q) != 1 or len(a) != 1:
                fail(cap, "flow %d: %d queries / %d answers" % (i, len(q), len(a)))
                continue
            qn, qt = one(q[0], "dns.qry.name"), int(one(q[0], "dns.qry.type"))
            want_t = {"A": 1, "AAAA": 28, "HTTPS": 65}[qtype]
            if qn != qname or qt != want_t:
                fail(cap, "flow %d asks %s/%d, expected %s/%s" % (i, qn, qt, qname, qtype))
            answers = dns_answers(a[0])
            for rr in answers:
                if rr["type"] == "A":
                    names_by_addr.append((float(f["t0"]), rr["data"], qname, rr["ttl"]))
            e.update({"server_name": None, "name_source": None, "sdk": None, "party": None,
                      "protocol": "dns", "query": {"name": qn, "type": qtype},
                      "answers": answers, "note": note or "DNS"})
            out_flows.append(e)
            continue
        x = st["expect"]
        if f["transport"] != "tcp":
            fail(cap, "flow %d should be TCP" % i)
        proto = "tls" if f["tls"] else ("http" if f["requests"] else "tcp")
        want_port = 443 if st["kind"] in ("tls_nosni", "s_client") or st.get("url", "").startswith("https") else 80
        if f["port"] != want_port:
            fail(cap, "flow %d port %d, expected %d" % (i, f["port"], want_port))
        sni = f["sni"][0] if f["sni"] else None
        host = f["hosts"][0] if f["hosts"] else None
        src, name = x["name_source"], x["server_name"]
        if src == "sni" and sni != name:
            fail(cap, "flow %d SNI %r, expected %r" % (i, sni, name))
        if src != "sni" and sni is not None:
            fail(cap, "flow %d has SNI %r but must not" % (i, sni))
        if src == "host" and host != name:
            fail(cap, "flow %d Host %r, expected %r" % (i, host, name))
        if src in ("dns", "httpdns", None) and host is not None and not _is_ip(host):
            fail(cap, "flow %d Host %r would name it" % (i, host))
        t0 = float(f["t0"])
        if src == "dns":
            live = [n for (t, a, n, ttl) in names_by_addr if a == f["server"] and t <= t0]
            if not live or live[-1] != name:
                fail(cap, "flow %d: latest DNS answer for %s is %r, expected %r" % (i, f["server"], live, name))
        if src == "httpdns":
            live = [n for (t, a, n) in httpdns_by_addr if a == f["server"] and t <= t0]
            if not live or live[-1] != name:
                fail(cap, "flow %d: no HTTPDNS answer %s -> %s" % (i, f["server"], name))
        if x.get("attribution") == "address" and f["server"] not in net.STANDINS:
            fail(cap, "flow %d: %s is not a documented hard-coded address" % (i, f["server"]))
        if st["kind"] in ("curl", "requests") and f["requests"] and not f["tls"]:
            u = urllib.parse.urlsplit(st["url"])
            uri = f["requests"][0]["uri"]
            if not uri.startswith(u.path):
                fail(cap, "flow %d path %r, expected %r" % (i, uri, u.path))
        # HTTPDNS answers given in this flow (server side knows them): record for later flows
        for rq in f["requests"]:
            qs = urllib.parse.parse_qs(urllib.parse.urlsplit(rq["uri"]).query)
            for key in ("host", "dn", "domain"):
                for h in ",".join(qs.get(key, [])).split(","):
                    for a in net.HTTPDNS_ANSWERS.get(h, []):
                        httpdns_by_addr.append((t0, a, h))
        text = decoded_text(f["c2s"]) if proto != "tls" else ""
        for t in x["pi"]:
            if t == "coordinates":
                pts = S.FREQ_POINTS if x.get("requests") else [(S.LAT, S.LON)]
                ok = all(la in text and lo in text for la, lo in pts)
            else:
                ok = any(n in text for n in NEEDLES[t])
            if not ok:
                fail(cap, "flow %d: %s not found in the client bytes" % (i, t))
        if proto != "tls" and not x["pi"]:
            leak = [n for n in FORBIDDEN if n in text]
            if leak:
                fail(cap, "flow %d carries %s but expects no PI" % (i, leak))
        if st.get("consent"):
            rq = f["requests"][0]
            consent_at = {"at": iso(rq["t"]), "frame": rq["frame"]}
        e.update({"server_name": name, "name_source": src, "sdk": x["sdk"], "party": x["party"],
                  "protocol": proto, "pi_types": sorted(x["pi"])})
        if x.get("attribution"):
            e["attribution"] = x["attribution"]
        if x.get("hashed"):
            e["hashed"] = x["hashed"]   # found only as a digest: needs --device ../pii/device.yaml
        if sni:
            e["sni"] = sni
        if f["requests"]:
            e["http"] = [{"method": r["method"], "host": r["host"], "path": r["uri"]} for r in f["requests"]][:3]
            if len(f["requests"]) > 3:
                e["http_requests"] = len(f["requests"])
        if x.get("requests"):
            e["requests"] = x["requests"]
            e["interval_s"] = x["interval_s"]
        if f["requests"] and any(k in (f["requests"][0]["uri"] or "") for k in ("/d?", "/resolve?")):
            hs = []
            for rq in f["requests"]:
                qs = urllib.parse.parse_qs(urllib.parse.urlsplit(rq["uri"]).query)
                for key in ("host", "dn", "domain"):
                    hs += [h for h in ",".join(qs.get(key, [])).split(",") if h]
            e["httpdns_answers"] = [{"host": h, "ips": net.HTTPDNS_ANSWERS[h]} for h in hs]
        e["note"] = x.get("note")
        e["_t0"] = t0
        e["_pi"] = x["pi"]
        out_flows.append(e)
    consent = None
    if spec["consent"]:
        if not consent_at:
            fail(cap, "no consent marker request")
        else:
            consent = dict(consent_at)
            if spec["consent"].get("refused"):
                consent["refused"] = True
            consent["marker"] = spec["consent"]["marker"]
    return {"rows": rows, "flows": out_flows, "consent": consent}


def _is_ip(h):
    try:
        ipaddress.ip_address(h)
        return True
    except ValueError:
        return False


def recipients(res):
    groups = collections.OrderedDict()
    cons = res["consent"]
    ct = datetime.datetime.strptime(cons["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc).timestamp() if cons else None
    for e in res["flows"]:
        if e["protocol"] == "dns" or e["party"] == "unknown":
            continue
        key = (e["server_name"] or e["server"].split(":")[0], e["sdk"], e["party"])
        groups.setdefault(key, []).append(e)
    out = []
    for (name, sdk, party), fl in groups.items():
        pi = collections.Counter()
        for e in fl:
            pi.update(e["_pi"])
        enc = {e["protocol"] == "tls" for e in fl}
        r = {"name": name, "sdk": sdk, "party": party, "flows": [e["index"] for e in fl],
             "pi_types": dict(sorted(pi.items())),
             "encryption": "all" if enc == {True} else ("none" if enc == {False} else "some")}
        if cons and not cons.get("refused"):
            r["before_consent"] = any(e["_t0"] < ct for e in fl)
        elif cons:
            r["after_refusal"] = any(e["_t0"] > ct for e in fl)
        else:
            r["before_consent"] = None
        out.append(r)
    return out


def versions():
    def v(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True)
            return (r.stdout or r.stderr).split("\n")[0].strip()
        except OSError:
            return "?"
    import dns.version
    import requests
    return {"curl": v(["curl", "--version"]).split(" (")[0],
            "openssl": v(["openssl", "version"]).split(" (")[0],
            "python": "Python " + sys.version.split()[0], "requests": "python-requests " + requests.__version__,
            "dnspython": "dnspython " + dns.version.version, "tcpdump": v(["tcpdump", "--version"]),
            "tshark": v(["tshark", "--version"]).split(" (")[0], "tcprewrite": "tcprewrite " + v(["tcprewrite", "-V"]).split()[2]}


def made_with(cap, V):
    kinds = {st["kind"] for st in S.CAPTURES[cap]["steps"]}
    c = []
    if "curl" in kinds:
        c.append(V["curl"])
    if "requests" in kinds:
        c.append(V["requests"])
    if "s_client" in kinds:
        c.append(V["openssl"] + " s_client")
    if kinds & {"tls_nosni", "http_ip", "raw", "keepalive"}:
        c.append(V["python"] + " ssl/http.client/socket")
    if "dnsq" in kinds:
        c.append(V["dnspython"] + " queries")
    s = ("clients: %s (names resolved by glibc); servers: Python http.server + ssl, dnspython DNS "
         "responder (tools/servers.py); %s on the phone's veth in netns wc-tp-app" % (", ".join(c), V["tcpdump"]))
    if any(st.get("via") for st in S.CAPTURES[cap]["steps"]):
        s += "; %s --pnat put the documented hard-coded addresses in place of the stand-ins" % V["tcprewrite"]
    return s


class Flow(dict):
    pass


def flow_repr(dumper, data):
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def main():
    V = versions()
    caps = []
    for cap in S.ORDER:
        if not os.path.exists(os.path.join(HERE, cap)):
            fail(cap, "missing")
            continue
        res = check_capture(cap)
        if res is None:
            continue
        size = os.path.getsize(os.path.join(HERE, cap))
        if size >= 200 * 1024:
            fail(cap, "%d bytes (limit 200 KB)" % size)
        flows = []
        for e in res["flows"]:
            keep = ("server_name", "name_source", "sdk", "party")
            d = Flow((k, v) for k, v in e.items()
                     if not k.startswith("_") and (v is not None or k in keep))
            flows.append(d)
        caps.append({"file": cap, "summary": S.CAPTURES[cap]["summary"], "made_with": made_with(cap, V),
                     "link_type": "EN10MB", "packets": len(res["rows"]), "flows": flows,
                     "consent": res["consent"],
                     "expected_recipients": [Flow(r) for r in recipients(res)]})
    doc = {"first_party_domains": FIRST_PARTY,
           "device": "../pii/device.yaml",
           "captures": caps,
           "declared_lists": declared.expected(HERE)}
    for d in declared.EXPECTED:  # presence only
        if not os.path.exists(os.path.join(HERE, d["file"])):
            fail(d["file"], "missing")
    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data):   # no &anchors / *aliases in the output
            return True
    Dumper.add_representer(Flow, flow_repr)
    head = ("# Generated by tools/expect.py from the captures (tshark) and tools/scenarios.py; do not edit.\n"
            "# See README.md for the meaning of every field.\n")
    body = yaml.dump(doc, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=200)
    if ERRORS:
        print("\n".join(ERRORS), file=sys.stderr)
        sys.exit(1)
    open(os.path.join(HERE, "expectations.yaml"), "w").write(head + body)
    print("expectations.yaml: %d captures, %d flows checked" % (len(caps), sum(len(c["flows"]) for c in caps)))


if __name__ == "__main__":
    main()
