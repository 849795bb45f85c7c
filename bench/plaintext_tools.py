#!/usr/bin/env python3
"""Traffic for bench/make-plaintext.sh: a plaintext-heavy app session.

Everything talks to 127.0.0.1 only, on ports 47000-47999, inside the network
namespace that make-plaintext.sh creates. Standard library, plus
python-requests for one of the two HTTP clients (the other is curl).

Subcommands
  http-server PORT             HTTP/1.1 API server (keep-alive; gzip and chunked
                               responses on request; reads chunked and gzip
                               request bodies)
  line-server PORT             raw TCP text-line telemetry collector
  drive HTTP_PORT LINE_PORT WORKDIR
                               runs the whole client plan (deterministic): HTTP
                               keep-alive connections from python-requests and
                               curl, three at a time, plus the socket telemetry

The content looks like mobile SDK telemetry: JSON batches of events with
timestamps, UUIDs, random hex ids, app versions and the odd device field,
feed/config JSON and text responses. The test phone's identifiers (the values
in captures/pii/device.yaml) appear in a few dozen places only: see PI_PLAN.
"""
import gzip
import json
import os
import queue
import random
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# the test phone (captures/pii/device.yaml)
IMEI, IMEI2, MEID = "861234567890127", "861234567890135", "A10000497B3C2D"
IMSI, ICCID, PHONE = "460011234567890", "89860119123456789014", "13912348876"
ANDROID_ID, OAID = "3f9a1c7e5b2d4086", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
MAC, BSSID, SSID, SERIAL = "a4:50:46:1c:7e:92", "3c:46:d8:12:ab:cd", "TP-LINK_8A2C", "R58N3A1BC2D"
LAT, LON = "22.543096", "114.057865"

BASE_TS = 1763870400000  # ms; the session's clock (not the capture's)
EVENTS = ["app_start", "page_view", "click", "impression", "scroll", "video_play", "video_pause",
          "search", "share", "push_open", "app_background", "net_change", "ad_load", "ad_show",
          "item_view", "add_cart", "feed_refresh", "player_buffer", "api_latency", "login_view"]
PAGES = ["home", "feed", "detail", "cart", "profile", "settings", "search", "video", "live", "msg",
         "category", "checkout", "coupon", "splash"]
NETS = ["wifi", "wifi", "wifi", "4g", "5g", "4g"]
WORDS = ("summer sale phone case wireless earbuds charger cable running shoes coffee tea travel "
         "camera lens laptop stand keyboard desk lamp backpack jacket river city night market "
         "recipe noodle dumpling weekend guide review unboxing tips best new hot deal free "
         "shipping coupon flash limited edition classic smart watch band screen glass").split()
UA_SDK = "ShopApp/5.2.1 (Android 13; Pixel 7; Build/TQ3A.230901.001) tracker-android/3.8.2"


def hexid(rng, n):
    return "%0*x" % (n, rng.getrandbits(4 * n))


def uuid4(rng):
    h = hexid(rng, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[rng.randrange(4)]}{h[17:20]}-{h[20:]}"


def sentence(rng, lo, hi):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(lo, hi)))


def event(rng, ts, seq, sid):
    e = {"event": rng.choice(EVENTS), "ts": ts, "seq": seq, "eid": uuid4(rng), "sid": sid,
         "page": rng.choice(PAGES), "dur_ms": rng.randrange(20, 30000), "net": rng.choice(NETS)}
    r = rng.random()
    if r < 0.35:
        e["props"] = {"item_id": hexid(rng, 24), "pos": rng.randrange(60), "trace": hexid(rng, 32),
                      "exp": [f"exp_{rng.randrange(900)}" for _ in range(rng.randrange(1, 5))]}
    elif r < 0.45:
        e["props"] = {"query": sentence(rng, 1, 4), "results": rng.randrange(300), "rid": uuid4(rng)}
    elif r < 0.55:
        e["perf"] = {"fps": rng.randrange(24, 121), "mem_mb": rng.randrange(80, 900),
                     "cpu": round(rng.random() * 60, 2), "rtt_ms": rng.randrange(8, 900)}
    elif r < 0.60:
        e["ad"] = {"slot": f"s{rng.randrange(40)}", "creative": hexid(rng, 16), "ecpm": round(rng.random() * 30, 3),
                   "req_id": uuid4(rng)}
    return e


def telemetry_batch(rng, size, device=None, location=False):
    """A JSON event batch of about SIZE bytes (bytes)."""
    ts = BASE_TS + rng.randrange(3_600_000)
    sid = hexid(rng, 16)
    header = {"app_id": "com.example.shop", "app_ver": "5.2.1", "build": 52100, "sdk": "tracker-android/3.8.2",
              "channel": rng.choice(["huawei", "xiaomi", "oppo", "vivo", "official"]), "os": "android",
              "os_ver": "13", "model": "Pixel 7", "lang": "zh-CN", "tz": "Asia/Shanghai",
              "screen": "1080x2400", "install_id": uuid4(rng), "batch_id": hexid(rng, 32), "sent_at": ts}
    if device:
        header["device"] = device
    parts = []
    n = 0
    seq = rng.randrange(100000)
    if location:
        loc = {"event": "location", "ts": ts, "seq": seq, "eid": uuid4(rng), "sid": sid,
               "lat": float(LAT), "lon": float(LON), "acc_m": 25}
        parts.append(json.dumps(loc, separators=(",", ":")))
    while n < size:
        ts += rng.randrange(5, 4000)
        seq += 1
        s = json.dumps(event(rng, ts, seq, sid), separators=(",", ":"))
        parts.append(s)
        n += len(s) + 1
    return (b'{"header":' + json.dumps(header, separators=(",", ":")).encode() +
            b',"events":[' + ",".join(parts).encode() + b"]}")


def feed_body(rng, size):
    items, n = [], 0
    while n < size:
        it = {"id": hexid(rng, 24), "type": rng.choice(["goods", "video", "article", "ad"]),
              "title": sentence(rng, 3, 10), "summary": sentence(rng, 12, 40),
              "author": {"uid": rng.randrange(10**6, 10**8), "name": f"user_{hexid(rng, 6)}"},
              "cover": f"https://img.example-cdn.test/{hexid(rng, 32)}.webp",
              "price": rng.randrange(100, 99999), "tags": [rng.choice(WORDS) for _ in range(rng.randrange(1, 6))],
              "stats": {"like": rng.randrange(10**5), "comment": rng.randrange(5000)}, "trace": uuid4(rng)}
        s = json.dumps(it, separators=(",", ":"))
        items.append(s)
        n += len(s) + 1
    return (b'{"code":0,"msg":"ok","data":{"has_more":true,"cursor":"' + hexid(rng, 20).encode() +
            b'","items":[' + ",".join(items).encode() + b"]}}")


def config_body(rng, size):
    lines = [json.dumps({"key": f"flag_{i}_{hexid(rng, 6)}", "on": rng.random() < 0.5,
                         "variant": rng.choice(["a", "b", "control"]), "rollout": rng.randrange(101),
                         "payload": sentence(rng, 2, 12)}, separators=(",", ":")) for i in range(max(1, size // 110))]
    return b'{"code":0,"ver":' + str(rng.randrange(10**6)).encode() + b',"flags":[' + ",".join(lines).encode() + b"]}"


def text_body(rng, size):
    out, n = [], 0
    while n < size:
        s = (f"{BASE_TS + rng.randrange(10**7)} INFO [{rng.choice(PAGES)}] {sentence(rng, 4, 14)} "
             f"req={uuid4(rng)} cost={rng.randrange(900)}ms\n")
        out.append(s)
        n += len(s)
    return "".join(out).encode()


def profile_body(rng):
    return json.dumps({"code": 0, "data": {"uid": 10086331, "nick": "bench_user", "phone": PHONE,
                                           "vip": True, "level": 7, "avatar": f"https://img.example-cdn.test/{hexid(rng, 32)}.jpg",
                                           "bind": {"device_serial": SERIAL}}}).encode()


# ---------------------------------------------------------------- HTTP server
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "api-gw/2.4"
    sys_version = ""

    def log_message(self, *a):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                n = int(self.rfile.readline().split(b";")[0], 16)
                if n == 0:
                    self.rfile.readline()
                    break
                data += self.rfile.read(n)
                self.rfile.readline()
        else:
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return data

    def reply(self, body, ctype, gz=False, chunked=False):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("X-Request-Id", uuid4(random.Random(len(body))))
        if gz and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6)
            self.send_header("Content-Encoding", "gzip")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            step = 16384
            for i in range(0, len(body), step):
                piece = body[i:i + step]
                self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        rng = random.Random(int(q.get("seed", "1")))
        size = int(q.get("size", "4000"))
        gz, chunked = q.get("gz") == "1", q.get("chunked") == "1"
        if u.path.startswith("/v1/feed"):
            self.reply(feed_body(rng, size), "application/json; charset=utf-8", gz, chunked)
        elif u.path.startswith("/v1/config"):
            self.reply(config_body(rng, size), "application/json", gz, chunked)
        elif u.path.startswith("/v1/profile"):
            self.reply(profile_body(rng), "application/json", gz, chunked)
        else:
            self.reply(text_body(rng, size), "text/plain; charset=utf-8", gz, chunked)

    def do_POST(self):
        data = self.read_body()
        u = urllib.parse.urlsplit(self.path)
        rng = random.Random(len(data))
        if u.path.startswith("/v1/login"):
            body = json.dumps({"code": 0, "token": hexid(rng, 64), "expires_in": 7200, "uid": 10086331}).encode()
        else:
            body = json.dumps({"code": 0, "msg": "ok", "accepted": data.count(b'"eid"'), "bytes": len(data),
                               "next_interval_s": 30, "server_ts": BASE_TS + rng.randrange(10**7)}).encode()
        self.reply(body, "application/json")


def http_server(port):
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    srv.serve_forever()


# ---------------------------------------------------------------- raw TCP line telemetry
class LineHandler(socketserver.StreamRequestHandler):
    def handle(self):
        n = 0
        rng = random.Random(7)
        for line in self.rfile:
            n += 1
            if line.startswith(b"FLUSH"):
                self.wfile.write(f"ACK {n} {BASE_TS + rng.randrange(10**7)}\n".encode())
                if rng.random() < 0.5:
                    push = {"msg_id": uuid4(rng), "title": sentence(rng, 3, 8), "body": sentence(rng, 8, 30)}
                    self.wfile.write(b"PUSH " + json.dumps(push).encode() + b"\n")
            elif line.startswith(b"BYE"):
                self.wfile.write(b"BYE\n")
                return


def line_server(port):
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", port), LineHandler)
    srv.daemon_threads = True
    srv.serve_forever()


def line_client(port, conn_no, lines, pi_lines):
    rng = random.Random(900 + conn_no)
    sid = hexid(rng, 16)
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        f = s.makefile("rb")
        s.sendall(f"HELLO app=com.example.shop ver=5.2.1 proto=3 sid={sid} cid={uuid4(rng)}\n".encode())
        ts = BASE_TS + rng.randrange(10**6)
        buf = []
        for i in range(lines):
            ts += rng.randrange(5, 2000)
            ln = (f"EVT {ts}|{rng.choice(EVENTS)}|seq={i}|sid={sid}|eid={uuid4(rng)}|page={rng.choice(PAGES)}"
                  f"|net={rng.choice(NETS)}|dur={rng.randrange(20, 30000)}|trace={hexid(rng, 32)}")
            if i in pi_lines:
                ln += "|" + pi_lines[i]
            buf.append(ln + "\n")
            if len(buf) == 50:
                s.sendall("".join(buf).encode() + b"FLUSH\n")
                buf = []
                resp = f.readline()
                if resp.startswith(b"PUSH"):
                    f.readline()
                time.sleep(0.002)
        s.sendall("".join(buf).encode() + b"BYE\n")
        while f.readline() not in (b"BYE\n", b""):
            pass


# ---------------------------------------------------------------- the client plan
def pick_size(rng):
    return int(2000 * 1000 ** rng.random())  # log-uniform, 2 KB .. 2 MB


# The test phone's identifiers, a few dozen placements in one session:
# (kind, payload); placed on the first exchanges of the matching kind.
PI_PLAN = {
    "track_device": [{"imei": IMEI, "android_id": ANDROID_ID}, {"imei": IMEI, "android_id": ANDROID_ID},
                     {"oaid": OAID}, {"oaid": OAID, "imei2": IMEI2},
                     {"mac": MAC, "wifi": {"bssid": BSSID, "ssid": SSID}}, {"imsi": IMSI, "iccid": ICCID}],
    "track_location": 2,                  # batches starting with a location event (lat, lon)
    "login_phone": 3,                     # form posts with mobile=PHONE
    "query_imei": 2,                      # GET ...?imei=IMEI
    "cookie_phone": 1,                    # Cookie: ...; phone=PHONE
    "profile": 2,                         # server responses with PHONE and SERIAL
}
LINE_PI = {0: {137: f"imei={IMEI}", 1400: f"tel={PHONE}"}, 3: {55: f"sn={SERIAL}"}}


def make_plan(rng, n_conns):
    """Connections: (client, [exchange dict]); each exchange is one request/response."""
    budget = dict((k, (list(v) if isinstance(v, list) else v)) for k, v in PI_PLAN.items())
    conns = []
    for c in range(n_conns):
        client = "requests" if c % 2 == 0 else "curl"
        exs = []
        for j in range(rng.randrange(1, 7)):
            r = rng.random()
            ex = {"gz": False, "chunked": False, "gzreq": False, "chunkreq": False, "size": pick_size(rng),
                  "seed": rng.randrange(10**9), "pi": None}
            if r < 0.42:
                ex["kind"] = "track"
                ex["size"] = min(ex["size"], 600_000)
                ex["gzreq"] = rng.random() < 0.3
                ex["chunkreq"] = client == "requests" and rng.random() < 0.1
                if budget["track_device"] and rng.random() < 0.3:
                    ex["pi"] = ("device", budget["track_device"].pop())
                elif budget["track_location"] and rng.random() < 0.2:
                    budget["track_location"] -= 1
                    ex["pi"] = ("location", True)
            elif r < 0.47:
                ex["kind"] = "login"
                if budget["login_phone"]:
                    budget["login_phone"] -= 1
                    ex["pi"] = ("phone", PHONE)
            elif r < 0.49:
                ex["kind"] = "profile"
                if not budget["profile"]:
                    ex["kind"] = "config"
                else:
                    budget["profile"] -= 1
            else:
                ex["kind"] = rng.choice(["feed", "feed", "config", "text"])
                ex["gz"] = rng.random() < 0.25
                ex["chunked"] = rng.random() < 0.08
                if budget["query_imei"] and rng.random() < 0.1:
                    budget["query_imei"] -= 1
                    ex["pi"] = ("query", IMEI)
                elif budget["cookie_phone"] and rng.random() < 0.1:
                    budget["cookie_phone"] -= 1
                    ex["pi"] = ("cookie", PHONE)
            exs.append(ex)
        conns.append((client, exs))
    return conns


def request_parts(port, ex, rng):
    """-> method, url, headers, body(bytes or None)"""
    base = f"http://127.0.0.1:{port}"
    hdr = {"User-Agent": UA_SDK, "X-App-Key": "a8f3c2d1e4b5967a", "X-Trace-Id": uuid4(rng)}
    k = ex["kind"]
    if k == "track":
        dev = ex["pi"][1] if ex["pi"] and ex["pi"][0] == "device" else None
        loc = bool(ex["pi"] and ex["pi"][0] == "location")
        body = telemetry_batch(random.Random(ex["seed"]), ex["size"], dev, loc)
        hdr["Content-Type"] = "application/json"
        if ex["gzreq"]:
            body = gzip.compress(body, 6)
            hdr["Content-Encoding"] = "gzip"
        return "POST", f"{base}/v1/track?app=com.example.shop&v=5.2.1&n={body.count(b'eid')}", hdr, body
    if k == "login":
        user = ex["pi"][1] if ex["pi"] else f"user{rng.randrange(10**6)}"
        form = {"mobile" if ex["pi"] else "username": user, "password_hash": hexid(rng, 64),
                "captcha": str(rng.randrange(10**4, 10**5)), "client_id": uuid4(rng), "ts": str(BASE_TS)}
        hdr["Content-Type"] = "application/x-www-form-urlencoded"
        return "POST", f"{base}/v1/login", hdr, urllib.parse.urlencode(form).encode()
    q = {"seed": ex["seed"], "size": ex["size"], "gz": int(ex["gz"]), "chunked": int(ex["chunked"]),
         "ver": "5.2.1", "cursor": hexid(rng, 20)}
    if ex["pi"] and ex["pi"][0] == "query":
        q["imei"] = ex["pi"][1]
    if ex["pi"] and ex["pi"][0] == "cookie":
        hdr["Cookie"] = f"sid={hexid(rng, 32)}; phone={ex['pi'][1]}; lang=zh-CN"
    path = {"feed": "/v1/feed", "config": "/v1/config", "profile": "/v1/profile", "text": "/v1/log/tail"}[k]
    return "GET", f"{base}{path}?{urllib.parse.urlencode(q)}", hdr, None


def run_requests_conn(port, exs, rng):
    import requests
    with requests.Session() as s:
        for ex in exs:
            method, url, hdr, body = request_parts(port, ex, rng)
            if body is not None and ex["chunkreq"]:
                body = iter([body[i:i + 8192] for i in range(0, len(body), 8192)])
            r = s.request(method, url, headers=hdr, data=body, timeout=60)
            r.content
            if r.status_code != 200:
                raise RuntimeError(f"{url}: {r.status_code}")


def run_curl_conn(port, exs, rng, workdir, cno):
    args = ["curl", "-sS", "--fail", "--limit-rate", "40M", "--compressed"]
    for j, ex in enumerate(exs):
        method, url, hdr, body = request_parts(port, ex, rng)
        if j:
            args += ["--next", "-sS", "--fail", "--limit-rate", "40M", "--compressed"]
        args += ["-o", "/dev/null"]
        for k, v in hdr.items():
            args += ["-H", f"{k}: {v}"]
        if body is not None:
            f = os.path.join(workdir, f"body-{cno}-{j}")
            with open(f, "wb") as fh:
                fh.write(body)
            args += ["--data-binary", "@" + f]
        args.append(url)
    subprocess.run(args, check=True, timeout=120)


def drive(http_port, line_port, workdir, n_conns=80, parallel=3):
    rng = random.Random(1500)
    plan = make_plan(rng, n_conns)
    n_ex = sum(len(e) for _, e in plan)
    print(f"plaintext drive: {len(plan)} HTTP connections, {n_ex} exchanges "
          f"(requests {sum(len(e) for c, e in plan if c == 'requests')}, curl {sum(len(e) for c, e in plan if c == 'curl')})",
          file=sys.stderr)
    work = queue.Queue()
    for i, item in enumerate(plan):
        work.put((i, item))
    errors = []

    def worker():
        while True:
            try:
                i, (client, exs) = work.get_nowait()
            except queue.Empty:
                return
            crng = random.Random(i)
            try:
                if client == "requests":
                    run_requests_conn(http_port, exs, crng)
                else:
                    run_curl_conn(http_port, exs, crng, workdir, i)
            except Exception as e:  # noqa: BLE001 -- reported, counted as a failure
                errors.append(f"conn {i} ({client}): {e}")

    def lines():
        for c in range(6):
            try:
                line_client(line_port, c, 2500, LINE_PI.get(c, {}))
            except Exception as e:  # noqa: BLE001
                errors.append(f"line conn {c}: {e}")

    threads = [threading.Thread(target=worker) for _ in range(parallel)] + [threading.Thread(target=lines)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in errors:
        print("plaintext drive: FAILED " + e, file=sys.stderr)
    return len(errors)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "http-server":
        http_server(int(args[0]))
    elif cmd == "line-server":
        line_server(int(args[0]))
    elif cmd == "drive":
        sys.exit(1 if drive(int(args[0]), int(args[1]), args[2]) else 0)
    else:
        sys.exit(f"unknown subcommand {cmd}")


if __name__ == "__main__":
    main()
