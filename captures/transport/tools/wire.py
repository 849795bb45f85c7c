#!/usr/bin/env python3
"""Userspace "wire" between two network namespaces, used by make.sh.

The kernel in the capture VM has no netem, 802.1Q or ipip modules, so this
script provides the missing pieces in user space with real kernel devices:

  * a TAP (Ethernet) or TUN (raw IP) device in namespace A and one in namespace B;
  * frames read from one device are written to the other, optionally through a
    middle veth pair (vethA <-> vethB in a third namespace) on which the frames
    travel with 802.1Q / 802.1ad tags inserted (tags are removed again before
    the frame is handed to the other endpoint);
  * optional netem-like impairment on every forwarded frame: fixed delay,
    "reorder" probability (a reordered frame skips the delay, like netem), and
    duplication probability.

tcpdump then captures on a real interface (the TAP/TUN device or the middle
veth), so the capture files are genuine kernel captures.

usage: wire.py --a NS:DEV --b NS:DEV [--tun] [--mid NS:VETHA:VETHB]
               [--tags 88a8:100,8100:10] [--delay MS] [--reorder P] [--dup P]
               [--seed N] --ready FILE
"""
import argparse, ctypes, fcntl, heapq, os, random, select, socket, struct, sys, time

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN, IFF_TAP, IFF_NO_PI = 0x1, 0x2, 0x1000
PACKET_OUTGOING = 4


def setns(name):
    fd = os.open(f"/var/run/netns/{name}", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, f"setns {name}: {os.strerror(e)}")
    finally:
        os.close(fd)


def open_tun(ns, name, tun):
    setns(ns)
    fd = os.open("/dev/net/tun", os.O_RDWR)
    flags = (IFF_TUN if tun else IFF_TAP) | IFF_NO_PI
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), flags))
    return fd


def open_raw(ns, ifname):
    setns(ns)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((ifname, 0))
    return s


def add_tags(frame, tags):
    hdr = b"".join(struct.pack("!HH", tpid, vid) for tpid, vid in tags)
    return frame[:12] + hdr + frame[12:]


def strip_tags(frame):
    while len(frame) >= 18 and frame[12:14] in (b"\x81\x00", b"\x88\xa8"):
        frame = frame[:12] + frame[16:]
    return frame


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", required=True)
    ap.add_argument("--b", required=True)
    ap.add_argument("--tun", action="store_true")
    ap.add_argument("--mid")
    ap.add_argument("--tags", default="")
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--reorder", type=float, default=0.0)
    ap.add_argument("--dup", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ready", required=True)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    tags = []
    if a.tags:
        for t in a.tags.split(","):
            tpid, vid = t.split(":")
            tags.append((int(tpid, 16), int(vid)))

    nsA, devA = a.a.split(":")
    nsB, devB = a.b.split(":")
    fdA = open_tun(nsA, devA, a.tun)
    fdB = open_tun(nsB, devB, a.tun)
    sA = sB = None
    if a.mid:
        nsM, vA, vB = a.mid.split(":")
        sA = open_raw(nsM, vA)
        sB = open_raw(nsM, vB)
    with open(a.ready, "w") as f:
        f.write("ready\n")

    queue = []  # (due, n, kind, target, data)
    counter = [0]

    def schedule(kind, target, data):
        copies = 2 if rnd.random() < a.dup else 1
        for _ in range(copies):
            d = a.delay / 1000.0
            if rnd.random() < a.reorder:
                d = 0.0
            counter[0] += 1
            heapq.heappush(queue, (time.monotonic() + d, counter[0], kind, target, data))

    def emit(kind, target, data):
        if kind == "fd":
            os.write(target, data)
        else:
            target.send(data)

    rlist = [fdA, fdB] + ([sA, sB] if a.mid else [])
    while True:
        timeout = None
        if queue:
            timeout = max(0.0, queue[0][0] - time.monotonic())
        r, _, _ = select.select(rlist, [], [], timeout)
        for src in r:
            if src == fdA or src == fdB:
                data = os.read(src, 65535)
                if a.mid:
                    out = sA if src == fdA else sB
                    schedule("sock", out, add_tags(data, tags) if tags else data)
                else:
                    schedule("fd", fdB if src == fdA else fdA, data)
            else:
                data, addr = src.recvfrom(65535)
                if addr[2] == PACKET_OUTGOING:
                    continue
                # frame arrived on one end of the middle veth pair: deliver it
                # (untagged) to the endpoint on that side
                emit("fd", fdB if src == sB else fdA, strip_tags(data))
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, kind, target, data = heapq.heappop(queue)
            try:
                emit(kind, target, data)
            except OSError:
                pass


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
