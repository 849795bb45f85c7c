#!/usr/bin/env python3
"""Expand the seed capture into a large benchmark capture (classic pcap).

    python3 bench/expand.py SEED.pcap OUT.pcap [--size 2GiB]

The output is the seed's packets repeated ("copies") until the output reaches
--size bytes (the last copy is cut at a packet boundary, so the file is at most
--size bytes and ends the way a capture stopped mid-transfer does). Copy k:

  * every IPv4 address is rewritten: the client side becomes 198.18.H.L and the
    server side 198.19.H.L, with H.L = k+1 (RFC 2544's benchmarking range,
    written to a file only: no traffic is ever sent). So each copy's flows are
    distinct flows with their own handshakes, as if 2,000+ phones had run the
    same session against their own servers;
  * the IPv4 header checksum is fixed (incrementally, RFC 1624);
    TCP/UDP checksums are NOT fixed (their pseudo-header covers the addresses,
    so they are wrong in every copy): wirecheck, ndpiReader and tshark (by
    default) do not verify them;
  * timestamps move forward by k * (seed duration + 1 s).

Which side is the server: the destination of a TCP SYN (without ACK), else the
side whose port lies in --server-ports (default 47000-47499; make-corpus.sh
pins client ports to 47500-47999), else the lower port.

Streaming: the seed (~100 MB) is held in memory, the output never is; each copy
is patched in one bytearray and written in one call. ~200-400 MB/s.
"""
import argparse
import os
import struct
import sys
import time


def parse_size(text):
    units = {"": 1, "B": 1, "K": 1 << 10, "KIB": 1 << 10, "M": 1 << 20, "MIB": 1 << 20,
             "G": 1 << 30, "GIB": 1 << 30, "KB": 10**3, "MB": 10**6, "GB": 10**9}
    t = text.strip().upper()
    i = len(t)
    while i and not t[i - 1].isdigit():
        i -= 1
    return int(float(t[:i]) * units[t[i:]])


def load_seed(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        sys.exit(f"expand: {path}: not a classic pcap file (pcapng is not supported as a seed)")
    linktype = struct.unpack(end + "I", data[20:24])[0] & 0x0FFFFFFF
    l3 = {1: 14, 101: 0, 228: 0, 113: 16, 276: 20}.get(linktype)
    if l3 is None:
        sys.exit(f"expand: link type {linktype} not supported")
    return data, end, linktype, l3


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("seed")
    ap.add_argument("out")
    ap.add_argument("--size", default="2GiB", help="output size cap (e.g. 256MiB, 1GiB, 2GiB)")
    ap.add_argument("--server-ports", default="47000-47499")
    args = ap.parse_args()
    limit = parse_size(args.size)
    lo_port, hi_port = (int(x) for x in args.server_ports.split("-"))

    t0 = time.time()
    data, end, linktype, l3 = load_seed(args.seed)
    ghdr = data[:24]
    rec_fmt = end + "IIII"

    # ---- pass 1: records, and which TCP endpoints are servers (SYN destinations)
    recs = []  # (offset of record header, record length incl. header)
    off = 24
    n = len(data)
    servers = set()
    while off + 16 <= n:
        _, _, caplen, _ = struct.unpack_from(rec_fmt, data, off)
        if off + 16 + caplen > n:
            break  # truncated tail
        recs.append((off, 16 + caplen))
        p = off + 16 + l3
        if linktype == 1 and data[p - 2:p] != b"\x08\x00":
            pass
        elif caplen >= l3 + 20 and data[p] >> 4 == 4 and data[p + 9] == 6:
            ihl = (data[p] & 15) * 4
            if caplen >= l3 + ihl + 14 and data[p + ihl + 13] & 0x12 == 0x02:
                servers.add((data[p + 16:p + 20], data[p + ihl + 2:p + ihl + 4]))
        off += 16 + caplen
    blob = data[24:off]  # records only
    base = 24

    # ---- pass 2: per-packet patch templates
    # For IPv4 packets: (ts offset in blob, ip offset in blob, client_is_src, partial checksum sum)
    ts_offs = []
    patches = []  # (ip_off, client_is_src, s0) for IPv4 packets
    first_ts = last_ts = None
    for roff, rlen in recs:
        b = roff - base
        ts = struct.unpack_from(end + "I", blob, b)[0]
        first_ts = ts if first_ts is None else first_ts
        last_ts = ts
        ts_offs.append(b)
        caplen = rlen - 16
        p = b + 16 + l3
        if linktype == 1 and blob[p - 2:p] != b"\x08\x00":
            continue
        if caplen < l3 + 20 or blob[p] >> 4 != 4:
            continue
        ihl = (blob[p] & 15) * 4
        if caplen < l3 + ihl:
            continue
        proto = blob[p + 9]
        src, dst = blob[p + 12:p + 16], blob[p + 16:p + 20]
        client_is_src = True
        if proto in (6, 17) and caplen >= l3 + ihl + 4:
            sport = blob[p + ihl:p + ihl + 2]
            dport = blob[p + ihl + 2:p + ihl + 4]
            if (dst, dport) in servers:
                client_is_src = True
            elif (src, sport) in servers:
                client_is_src = False
            else:
                sp, dp = int.from_bytes(sport, "big"), int.from_bytes(dport, "big")
                if lo_port <= dp <= hi_port:
                    client_is_src = True
                elif lo_port <= sp <= hi_port:
                    client_is_src = False
                else:
                    client_is_src = sp > dp
        # ones-complement sum of the header without checksum and addresses
        s0 = 0
        for i in range(0, ihl, 2):
            if i in (10, 12, 14, 16, 18):
                continue
            s0 += (blob[p + i] << 8) | blob[p + i + 1]
        patches.append((p, client_is_src, s0))

    span = (last_ts - first_ts + 1) if recs else 1
    print(f"expand: seed {args.seed}: {len(recs)} packets, {len(blob)} record bytes, "
          f"{len(patches)} IPv4, {len(servers)} TCP server endpoints, {span} s; "
          f"target {limit} bytes", file=sys.stderr)
    if not recs:
        sys.exit("expand: empty seed")

    def addr_sum(a):
        return ((a[0] << 8) | a[1]) + ((a[2] << 8) | a[3])

    tmp = args.out + ".tmp"
    written = 0
    pack_ts = struct.Struct(end + "I").pack_into
    pack_ip = struct.Struct("!4s4s").pack_into
    pack_ck = struct.Struct("!H").pack_into
    ts_orig = [struct.unpack_from(end + "I", blob, o)[0] for o in ts_offs]
    with open(tmp, "wb", buffering=0) as out:
        out.write(ghdr)
        written = len(ghdr)
        k = 0
        while written < limit:
            if k >= 65535:
                sys.exit("expand: more than 65535 copies needed; use a bigger seed")
            hi, lo = (k + 1) >> 8, (k + 1) & 0xFF
            client = bytes((198, 18, hi, lo))
            server = bytes((198, 19, hi, lo))
            cs = addr_sum(client) + addr_sum(server)  # same both ways
            buf = bytearray(blob)
            shift = k * span
            for o, t in zip(ts_offs, ts_orig):
                pack_ts(buf, o, t + shift)
            for p, client_is_src, s0 in patches:
                s = s0 + cs
                s = (s & 0xFFFF) + (s >> 16)
                s = (s & 0xFFFF) + (s >> 16)
                if client_is_src:
                    pack_ip(buf, p + 12, client, server)
                else:
                    pack_ip(buf, p + 12, server, client)
                pack_ck(buf, p + 10, (~s) & 0xFFFF)
            room = limit - written
            if len(buf) <= room:
                out.write(buf)
                written += len(buf)
            else:
                # cut at the last whole packet that fits
                cut = 0
                for roff, rlen in recs:
                    e = roff - base + rlen
                    if e > room:
                        break
                    cut = e
                out.write(memoryview(buf)[:cut])
                written += cut
                k += 1
                break
            k += 1
    os.replace(tmp, args.out)
    dt = time.time() - t0
    print(f"expand: wrote {args.out}: {written} bytes, {k} copies, {dt:.1f} s "
          f"({written / dt / 1e6:.0f} MB/s)", file=sys.stderr)


if __name__ == "__main__":
    main()
