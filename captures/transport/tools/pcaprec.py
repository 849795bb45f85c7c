#!/usr/bin/env python3
"""Small pcap record tools for the bad-input captures.

pcaprec.py offset FILE N        print byte offset of record N (1-based) header and its incl_len
pcaprec.py corrupt IN OUT N V   copy IN to OUT with record N's incl_len set to V
"""
import struct, sys

def records(b):
    e = "<" if b[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    off, n = 24, 0
    while off + 16 <= len(b):
        n += 1
        incl = struct.unpack(e + "I", b[off + 8:off + 12])[0]
        yield n, off, incl, e
        off += 16 + incl

cmd = sys.argv[1]
if cmd == "offset":
    b = open(sys.argv[2], "rb").read()
    for n, off, incl, e in records(b):
        if n == int(sys.argv[3]):
            print(off, incl)
            break
elif cmd == "corrupt":
    b = bytearray(open(sys.argv[2], "rb").read())
    for n, off, incl, e in records(bytes(b)):
        if n == int(sys.argv[4]):
            b[off + 8:off + 12] = struct.pack(e + "I", int(sys.argv[5], 0))
            break
    open(sys.argv[3], "wb").write(b)
