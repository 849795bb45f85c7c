#!/usr/bin/env python3
"""Rewrites a little-endian capture in big-endian byte order (what a capture
written on a big-endian host looks like), keeping every packet byte as is.
Linux cannot produce one, so tls12-bigendian.pcap and tls12-bigendian.pcapng
are converted from real captures. Usage: to_bigendian.py IN OUT"""
import struct, sys

data = open(sys.argv[1], "rb").read()
out = bytearray()

def swap_options(body, numeric):
    """pcapng options: code and length swap; numeric values (by code) too."""
    result = bytearray()
    i = 0
    while i + 4 <= len(body):
        code, length = struct.unpack_from("<HH", body, i)
        value = body[i + 4:i + 4 + length]
        padded = (length + 3) & ~3
        if code in numeric and length in (2, 4, 8):
            fmt = {2: "H", 4: "I", 8: "Q"}[length]
            value = struct.pack(">" + fmt, struct.unpack("<" + fmt, value)[0])
        result += struct.pack(">HH", code, length) + value + body[i + 4 + length:i + 4 + padded]
        i += 4 + padded
        if code == 0:
            break
    result += body[i:]
    return bytes(result)

magic = struct.unpack_from("<I", data, 0)[0]
if magic in (0xA1B2C3D4, 0xA1B23C4D):
    out += struct.pack(">IHHiIII", magic, *struct.unpack_from("<HHiIII", data, 4))
    i = 24
    while i + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack_from("<IIII", data, i)
        out += struct.pack(">IIII", sec, frac, incl, orig) + data[i + 16:i + 16 + incl]
        i += 16 + incl
elif magic == 0x0A0D0D0A:
    i = 0
    while i + 12 <= len(data):
        btype, blen = struct.unpack_from("<II", data, i)
        body = data[i + 8:i + blen - 4]
        if btype == 0x0A0D0D0A:
            major, minor, section = struct.unpack_from("<HHq", body, 4)
            body = struct.pack(">IHHq", 0x1A2B3C4D, major, minor, section) + swap_options(body[16:], set())
        elif btype == 1:
            link, reserved, snap = struct.unpack_from("<HHI", body, 0)
            body = struct.pack(">HHI", link, reserved, snap) + swap_options(body[8:], {14})
        elif btype == 6:
            iface, hi, lo, cap, orig = struct.unpack_from("<IIIII", body, 0)
            padded = (cap + 3) & ~3
            body = struct.pack(">IIIII", iface, hi, lo, cap, orig) + body[20:20 + padded] + swap_options(body[20 + padded:], {2})
        else:
            i += blen
            continue  # statistics and name blocks are not needed
        out += struct.pack(">II", btype, blen) + body + struct.pack(">I", blen)
        i += blen
else:
    sys.exit("not a little-endian pcap or pcapng file")
open(sys.argv[2], "wb").write(out)
