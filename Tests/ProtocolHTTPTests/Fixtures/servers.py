#!/usr/bin/env python3
"""Loopback test servers for the ProtocolHTTP fixtures (ports 49200-49202)."""
import asyncio, gzip, sys, threading, zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import brotli

BODY = b'{"imei":"867530912345678","phone":"13812345678","note":"' + b"wirecheck " * 40 + b'"}'

def raw_deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""): pass
                    return out
                out += self.rfile.read(size); self.rfile.readline()
        n = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(n) if n else b""

    def send(self, body, headers=(), status=200):
        self.send_response(status)
        for k, v in headers: self.send_header(k, v)
        if status not in (204, 304): self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304): self.wfile.write(body)

    def do_HEAD(self): self.do_GET()
    def do_POST(self):
        body = self.read_body()
        self.send(b"got " + str(len(body)).encode() + b" bytes: " + body[:64], [("Content-Type", "text/plain")])

    def do_GET(self):
        p = self.path.split("?")[0]
        if p == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Trailer", "X-Checksum")
            self.end_headers()
            # chunk boundaries cut through the phone number value
            pieces = [BODY[:20], BODY[20:45], BODY[45:]]
            for i, piece in enumerate(pieces):
                ext = ";name=v%d" % i if i == 1 else ""
                self.wfile.write(b"%x%s\r\n" % (len(piece), ext.encode()) + piece + b"\r\n")
                self.wfile.flush()
            self.wfile.write(b"0\r\nX-Checksum: abc123\r\n\r\n")
        elif p == "/gzip":
            self.send(gzip.compress(BODY), [("Content-Encoding", "gzip"), ("Content-Type", "application/json")])
        elif p == "/deflate-zlib":
            self.send(zlib.compress(BODY), [("Content-Encoding", "deflate"), ("Content-Type", "application/json")])
        elif p == "/deflate-raw":
            self.send(raw_deflate(BODY), [("Content-Encoding", "deflate"), ("Content-Type", "application/json")])
        elif p == "/br":
            self.send(brotli.compress(BODY), [("Content-Encoding", "br"), ("Content-Type", "application/json")])
        elif p == "/gzip-br":
            self.send(brotli.compress(gzip.compress(BODY)), [("Content-Encoding", "gzip, br"), ("Content-Type", "application/json")])
        elif p == "/te-gzip":
            data = gzip.compress(BODY)
            self.send_response(200)
            self.send_header("Transfer-Encoding", "gzip, chunked")
            self.end_headers()
            half = len(data) // 2
            self.wfile.write(b"%x\r\n" % half + data[:half] + b"\r\n" + b"%x\r\n" % (len(data) - half) + data[half:] + b"\r\n0\r\n\r\n")
        elif p == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send(b"", [("ETag", '"v1"')], status=304)
            else:
                self.send(BODY, [("ETag", '"v1"'), ("Content-Type", "application/json")])
        else:
            self.send(b"hello from " + p.encode(), [("Content-Type", "text/plain")])

class Handler10(Handler):
    protocol_version = "HTTP/1.0"
    def do_GET(self):
        # HTTP/1.0 without Content-Length: the body ends when the connection closes.
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"read until close: " + BODY)

async def ws_main():
    from websockets.asyncio.server import serve
    async def echo(ws):
        async for msg in ws:
            await ws.send(msg)
    async with serve(echo, "127.0.0.1", 49202, max_size=None):
        await asyncio.Future()

if __name__ == "__main__":
    for port, h in ((49200, Handler), (49201, Handler10)):
        s = ThreadingHTTPServer(("127.0.0.1", port), h)
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print("ready", flush=True)
    asyncio.run(ws_main())
