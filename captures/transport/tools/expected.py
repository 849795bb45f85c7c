#!/usr/bin/env python3
"""Write expected.yaml for captures/transport from the capture files themselves.

Every fact is read back with tshark / tcpdump / capinfos / openssl; only the
rule findings (a property of how the captures were made: clean TLS 1.2 client and
server configuration) and the bad-input error counts are fixed here.
usage: expected.py CAPTURE_DIR [WORK_DIR]
"""
import os, re, subprocess, sys

D = sys.argv[1]
TSHARK_OPTS = ["-o", "tcp.reassemble_out_of_order:TRUE", "-o", "tcp.desegment_tcp_streams:TRUE"]

# file -> (findings, extra fields)
SPEC = [
    ("segmented-reordered.pcap", [], {}),
    ("midstream.pcap", [], {}),
    ("sll2.pcap", [], {}),
    ("sll.pcap", [], {}),
    ("tls12.pcapng", [], {}),
    ("tls12-nanosec.pcap", [], {}),
    ("vlan.pcap", [], {}),
    ("qinq.pcap", [], {}),
    ("rawip.pcap", [], {}),
    ("merged-linktypes.pcapng", [], {}),
    ("ipv6.pcap", [], {}),
    ("ipv4-fragments.pcap", [], {"udp": True}),
    ("ipv6-fragments.pcap", [], {"udp": True}),
    ("truncated.pcap", [], {"bad": True}),
    ("corrupt-record.pcap", [], {"bad": True}),
    ("nullloop.pcap", [], {}),
    ("plaintext-http.pcap", ["WC-NET-002"], {}),
]

CAPINFOS_TO_DLT = {"Ethernet": "EN10MB", "Raw IP": "RAW", "Linux cooked-mode capture v1": "LINUX_SLL",
                   "Linux cooked-mode capture v2": "LINUX_SLL2", "NULL/Loopback": "NULL"}


def run(cmd, inp=None):
    p = subprocess.run(cmd, input=inp, capture_output=True)
    return p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def tshark_fields(f, flt, fields):
    cmd = ["tshark", "-r", f, *TSHARK_OPTS, "-Y", flt, "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"]
    for x in fields:
        cmd += ["-e", x]
    out, _ = run(cmd)
    return [l.split("|") for l in out.splitlines() if l.strip()]


def link_type(f):
    _, err = run(["tcpdump", "-r", f, "-c", "0"])
    m = re.search(r"link-type (\S+) ", err)
    if m:
        return m.group(1)
    hdr = open(f, "rb").read(24)
    if hdr[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = "<" if hdr[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
        lt = __import__("struct").unpack(e + "I", hdr[20:24])[0]
        return {0: "NULL", 1: "EN10MB", 101: "RAW", 113: "LINUX_SLL", 276: "LINUX_SLL2"}[lt & 0xFFFF]
    out, _ = run(["capinfos", f])
    encs = []
    for m in re.finditer(r"Encapsulation = (.+?) \(", out):
        name = CAPINFOS_TO_DLT.get(m.group(1).strip(), m.group(1).strip())
        if name not in encs:
            encs.append(name)
    return ",".join(encs)


def cert_info(hexder):
    der = bytes.fromhex(hexder.replace(":", ""))
    out, _ = run(["openssl", "x509", "-inform", "DER", "-noout", "-text"], der)
    sig = re.search(r"Signature Algorithm: (\S+)", out).group(1)
    pk = re.search(r"Public Key Algorithm: (\S+)", out).group(1)
    bits = int(re.search(r"Public-Key: \((\d+) bit\)", out).group(1))
    kt = {"rsaEncryption": "RSA", "id-ecPublicKey": "EC", "dsaEncryption": "DSA"}.get(pk, pk)
    return {"key_type": kt, "key_bits": bits, "signature": sig}


VERS = {"0x0300": "SSL 3.0", "0x0301": "TLS 1.0", "0x0302": "TLS 1.1", "0x0303": "TLS 1.2", "0x0304": "TLS 1.3", "0x0101": "TLCP"}


def handshakes(f):
    chs = tshark_fields(f, "tls.handshake.type == 1", ["frame.number", "tcp.stream", "tls.handshake.extensions_server_name"])
    shs = tshark_fields(f, "tls.handshake.type == 2", ["frame.number", "tcp.stream", "tls.handshake.version", "tls.handshake.ciphersuite", "tcp.srcport"])
    certs = tshark_fields(f, "tls.handshake.type == 11", ["tcp.stream", "tcp.srcport", "tls.handshake.certificate"])
    alerts = tshark_fields(f, "tls.alert_message.level == 2", ["tcp.stream", "tls.alert_message.desc"])
    res = []
    for frame, stream, sni in chs:
        h = {"client_hello_packet": int(frame), "sni": sni or None, "version": None, "cipher_suite": None,
             "certificates": [], "client_certificates": [], "alert": None}
        sh = [s for s in shs if s[1] == stream]
        if sh:
            h["version"] = VERS[sh[0][2].split(",")[0]]
            h["cipher_suite"] = "0x%04X" % int(sh[0][3].split(",")[0], 16)
            sport = sh[0][4]
            for st, port, chain in certs:
                if st == stream:
                    key = "certificates" if port == sport else "client_certificates"
                    h[key] = [cert_info(c) for c in chain.split(",") if c]
        for st, desc in alerts:
            if st == stream:
                h["alert"] = desc
        res.append(h)
    return res


def packets(f):
    out, _ = run(["tshark", "-r", f, "-T", "fields", "-e", "frame.number"])
    return len(out.split())


def udp_lengths(f):
    rows = tshark_fields(f, "udp", ["udp.length"])
    return [int(r[0]) - 8 for r in rows]


def yv(v):
    if v is None:
        return "null"
    if isinstance(v, str):
        return '"%s"' % v
    return str(v)


lines = ["# Generated by tools/expected.py from the capture files (tshark 4.0 / capinfos / openssl).",
         "# Findings are the exact rule-id set wirecheck must report per file.",
         "captures:"]
for name, findings, extra in SPEC:
    f = os.path.join(D, name)
    lines.append(f"  - file: {name}")
    lines.append(f"    link_type: {link_type(f)}")
    n = packets(f)
    lines.append(f"    packets: {n}")
    if extra.get("bad"):
        lines.append(f"    readable_packets: {n}")
        lines.append(f"    errors: 1")
    if extra.get("udp"):
        lines.append(f"    udp_payload_lengths: [{', '.join(str(x) for x in udp_lengths(f))}]")
    hs = handshakes(f)
    if not hs:
        lines.append("    handshakes: []")
    else:
        lines.append("    handshakes:")
        for h in hs:
            lines.append(f"      - client_hello_packet: {h['client_hello_packet']}")
            lines.append(f"        sni: {yv(h['sni'])}")
            lines.append(f"        version: {yv(h['version'])}")
            lines.append(f"        cipher_suite: {yv(h['cipher_suite'])}")
            for key in ("certificates", "client_certificates"):
                if not h[key]:
                    lines.append(f"        {key}: []")
                else:
                    lines.append(f"        {key}:")
                    for c in h[key]:
                        lines.append(f"          - {{key_type: {c['key_type']}, key_bits: {c['key_bits']}, signature: {c['signature']}}}")
            lines.append(f"        alert: {yv(h['alert'])}")
    lines.append(f"    findings: [{', '.join(sorted(findings))}]")
print("\n".join(lines))
