#!/usr/bin/env python3
"""Convert an Ethernet (DLT_EN10MB) pcap into BSD loopback (DLT_NULL) format.

Each IPv4/IPv6 frame loses its 14-byte Ethernet header and gets a 4-byte
address-family header in little-endian host order (2 = AF_INET, 30 = AF_INET6
as on macOS/Darwin). Non-IP frames (ARP) are dropped; timestamps are kept.
usage: to_null.py in.pcap out.pcap
"""
import struct, sys

src = open(sys.argv[1], "rb").read()
magic = src[:4]
endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
ver_maj, ver_min, tz, sig, snap, lt = struct.unpack(endian + "HHiIII", src[4:24])
assert lt == 1, "input must be Ethernet"
out = bytearray(src[:20] + struct.pack(endian + "I", 0))  # linktype 0 = NULL
off = 24
while off + 16 <= len(src):
    ts_s, ts_f, incl, orig = struct.unpack(endian + "IIII", src[off:off + 16])
    data = src[off + 16:off + 16 + incl]
    off += 16 + incl
    etype = data[12:14]
    if etype == b"\x08\x00":
        af = 2
    elif etype == b"\x86\xdd":
        af = 30
    else:
        continue
    body = struct.pack("<I", af) + data[14:]
    out += struct.pack(endian + "IIII", ts_s, ts_f, len(body), orig - 14 + 4) + body
open(sys.argv[2], "wb").write(out)
