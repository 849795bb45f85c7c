#!/usr/bin/env python3
"""User-space Ethernet "wire" between two network namespaces, with scripted faults.

The capture VM's kernel has no netem qdisc, so loss and reordering are made here: a TAP
device in namespace A and one in namespace B, and every frame read from one is written to
the other. Faults apply to frames from B to A (server -> client) that carry a TCP or UDP
payload, counted from 1 in the order B sends them:

  --drop N    drop the N-th payload frame (the sender must retransmit)
  --swap N    hold the N-th payload frame back and deliver it right after the (N+1)-th
              (two segments of one flight arrive out of order)

tcpdump captures on the real TAP devices, so the files are ordinary kernel captures.
usage: tapwire.py --a NS:DEV --b NS:DEV [--drop N] [--swap N] --ready FILE
"""
import argparse, ctypes, fcntl, os, select, struct, sys

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TAP, IFF_NO_PI = 0x2, 0x1000


def setns(name):
    fd = os.open(f"/var/run/netns/{name}", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {name}")
    finally:
        os.close(fd)


def open_tap(spec):
    ns, dev = spec.split(":")
    setns(ns)
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", dev.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def has_payload(frame):
    if len(frame) < 34 or frame[12:14] != b"\x08\x00":
        return False
    ihl = (frame[14] & 0x0F) * 4
    total = struct.unpack("!H", frame[16:18])[0]
    proto = frame[23]
    l4 = 14 + ihl
    if proto == 6:
        doff = (frame[l4 + 12] >> 4) * 4
        return total - ihl - doff > 0
    if proto == 17:
        return total - ihl - 8 > 0
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", required=True)
    ap.add_argument("--b", required=True)
    ap.add_argument("--drop", type=int, default=0)
    ap.add_argument("--swap", type=int, default=0)
    ap.add_argument("--ready", required=True)
    a = ap.parse_args()
    fa, fb = open_tap(a.a), open_tap(a.b)
    open(a.ready, "w").write("ready\n")
    n = 0
    held = None
    while True:
        r, _, _ = select.select([fa, fb], [], [])
        for src in r:
            data = os.read(src, 65535)
            if src == fa:
                os.write(fb, data)
                continue
            if has_payload(data):
                n += 1
                if n == a.drop:
                    print(f"tapwire: dropped payload frame {n} ({len(data)} bytes)", file=sys.stderr)
                    continue
                if n == a.swap:
                    held = data
                    continue
                os.write(fa, data)
                if held is not None and n == a.swap + 1:
                    os.write(fa, held)
                    held = None
                    print(f"tapwire: delivered payload frame {a.swap} after {n}", file=sys.stderr)
                continue
            os.write(fa, data)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
