#!/usr/bin/env python3
"""Traffic generators used by bench/make-corpus.sh to record the seed capture.

Everything here talks to 127.0.0.1 only, on ports 47000-47999, inside the
network namespace that make-corpus.sh creates. Standard library only.

Subcommands
  tls-server  CONFIG.json      one thread per listening port, each with its own
                               certificate chain / protocol versions / cipher list
  tls-client  PORT SNI UP DOWN [--tls12|--tls13] [--ciphers LIST]
  dns-server  PORT             tiny authoritative-ish UDP responder (A, AAAA, TXT)
  dns-client  PORT COUNT       sends COUNT queries, waits for each answer

TLS wire protocol (ours, trivial): the client sends the line
"SEND <up> RECV <down>\\n", then <up> bytes; the server reads them, answers
with <down> bytes and closes (with close_notify). Bulk data is paced a little
so tcpdump keeps up without dropping packets.
"""
import json
import random
import socket
import ssl
import struct
import sys
import threading
import time

CHUNK = 16384
PACE = 0.0004  # seconds between 16 KiB chunks (~40 MB/s per connection)


def send_bulk(sock, n):
    block = bytes(CHUNK)
    while n > 0:
        k = min(n, CHUNK)
        sock.sendall(block[:k])
        n -= k
        time.sleep(PACE)


def recv_exact(sock, n):
    got = 0
    while got < n:
        d = sock.recv(min(65536, n - got))
        if not d:
            break
        got += len(d)
    return got


def read_line(sock):
    buf = b""
    while not buf.endswith(b"\n") and len(buf) < 200:
        d = sock.recv(1)
        if not d:
            break
        buf += d
    return buf.decode("ascii", "replace").strip()


# ---------------------------------------------------------------- TLS server
def make_server_context(cfg):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if "ciphers" in cfg:  # first: a @SECLEVEL=0 must be in force before a weak chain loads
        ctx.set_ciphers(cfg["ciphers"])
    ctx.load_cert_chain(cfg["chain"], cfg["key"])
    versions = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}
    ctx.minimum_version = versions[cfg.get("min", "1.2")]
    ctx.maximum_version = versions[cfg.get("max", "1.3")]
    if "dhparams" in cfg:
        ctx.load_dh_params(cfg["dhparams"])
    if "curve" in cfg:
        ctx.set_ecdh_curve(cfg["curve"])
    return ctx


def serve_conn(ctx, raw):
    try:
        raw.settimeout(60)
        with ctx.wrap_socket(raw, server_side=True) as s:
            line = read_line(s).split()
            up = int(line[1]) if len(line) >= 4 else 0
            down = int(line[3]) if len(line) >= 4 else 1024
            recv_exact(s, up)
            send_bulk(s, down)
            try:
                s.unwrap()
            except (OSError, ssl.SSLError):
                pass
    except (OSError, ssl.SSLError, ValueError) as e:
        print(f"tls-server: connection failed: {e}", file=sys.stderr)
    finally:
        try:
            raw.close()
        except OSError:
            pass


def listen(cfg):
    ctx = make_server_context(cfg)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", cfg["port"]))
    ls.listen(64)
    while True:
        raw, _ = ls.accept()
        threading.Thread(target=serve_conn, args=(ctx, raw), daemon=True).start()


def tls_server(config_path):
    with open(config_path) as f:
        configs = json.load(f)
    for cfg in configs:
        threading.Thread(target=listen, args=(cfg,), daemon=True).start()
    print("tls-server: listening on", [c["port"] for c in configs], file=sys.stderr, flush=True)
    while True:
        time.sleep(3600)


# ---------------------------------------------------------------- TLS client
def tls_client(args):
    port, sni, up, down = int(args[0]), args[1], int(args[2]), int(args[3])
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    rest = args[4:]
    if "--tls12" in rest:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if "--tls13" in rest:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    if "--ciphers" in rest:
        ctx.set_ciphers(rest[rest.index("--ciphers") + 1])
    with socket.create_connection(("127.0.0.1", port), timeout=60) as raw:
        with ctx.wrap_socket(raw, server_hostname=sni) as s:
            s.sendall(f"SEND {up} RECV {down}\n".encode())
            send_bulk(s, up)
            got = recv_exact(s, down)
            try:
                s.unwrap()
            except (OSError, ssl.SSLError):
                pass
    if got != down:
        print(f"tls-client: {sni}: got {got} of {down} bytes", file=sys.stderr)
        sys.exit(1)


# ---------------------------------------------------------------- DNS
def parse_qname(msg, off):
    labels = []
    while True:
        n = msg[off]
        off += 1
        if n == 0:
            break
        labels.append(msg[off:off + n].decode("ascii", "replace"))
        off += n
    return ".".join(labels), off


def dns_server(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    while True:
        msg, addr = s.recvfrom(4096)
        if len(msg) < 12:
            continue
        qid, flags, qd = struct.unpack("!HHH", msg[:6])
        name, off = parse_qname(msg, 12)
        qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
        question = msg[12:off + 4]
        h = sum(name.encode()) & 0xFF
        answers = []
        if name.startswith("nx"):
            rcode = 3
        else:
            rcode = 0
            if qtype == 1:    # A: TEST-NET-1 addresses (documentation range)
                for i in range(1 + h % 3):
                    answers.append((1, socket.inet_aton(f"192.0.2.{(h + i) % 254 + 1}")))
            elif qtype == 28:  # AAAA: documentation prefix
                answers.append((28, socket.inet_pton(socket.AF_INET6, f"2001:db8::{h:x}")))
            elif qtype == 16:  # TXT
                txt = f"v=bench; id={h}".encode()
                answers.append((16, bytes([len(txt)]) + txt))
        out = struct.pack("!HHHHHH", qid, 0x8180 | rcode, 1, len(answers), 0, 0) + question
        for t, rdata in answers:
            out += struct.pack("!HHHIH", 0xC00C, t, 1, 300, len(rdata)) + rdata
        s.sendto(out, addr)


def dns_client(port, count):
    rng = random.Random(53)
    words = ["api", "cdn", "img", "static", "login", "push", "metrics", "ads", "video", "chat", "pay", "map"]
    apps = ["shop", "news", "bank", "social", "game", "travel", "weather", "music"]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    answered = 0
    for i in range(count):
        name = f"{rng.choice(words)}{rng.randrange(20)}.{rng.choice(apps)}.wirecheck.test"
        if i % 37 == 0:
            name = "nx" + name
        qtype = rng.choice([1, 1, 1, 28, 28, 16])
        q = struct.pack("!HHHHHH", rng.randrange(65536), 0x0100, 1, 0, 0, 0)
        q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
        q += struct.pack("!HH", qtype, 1)
        s.sendto(q, ("127.0.0.1", port))
        try:
            s.recvfrom(4096)
            answered += 1
        except socket.timeout:
            pass
        time.sleep(0.002)
    print(f"dns-client: {answered}/{count} answered", file=sys.stderr)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "tls-server":
        tls_server(args[0])
    elif cmd == "tls-client":
        tls_client(args)
    elif cmd == "dns-server":
        dns_server(int(args[0]))
    elif cmd == "dns-client":
        dns_client(int(args[0]), int(args[1]))
    else:
        sys.exit(f"unknown subcommand {cmd}")


if __name__ == "__main__":
    main()
