"""Small local servers for the PI corpus: accept anything, answer 200 JSON.

Everything binds to 127.0.0.1 or ::1 only.
"""
import base64
import hashlib
import os
import socket
import socketserver
import struct
import sys
import threading
from http.server import HTTPServer

sys.path.insert(1, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "lib"))
from netkit import QuietHandler  # noqa: E402

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC11B65"


class Handler(QuietHandler):
    server_version = "wc-collector/1.0"

    def do_GET(self):
        if (self.headers.get("Upgrade") or "").lower() == "websocket":
            return self._websocket()
        self.read_body()
        self.answer("application/json", self.server.reply)

    do_POST = do_GET
    do_PUT = do_GET

    # --- WebSocket (RFC 6455), server side: unmask client frames, answer each message
    def _websocket(self):
        key = self.headers.get("Sec-WebSocket-Key").encode()
        acc = base64.b64encode(hashlib.sha1(key + WS_GUID).digest()).decode()
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", acc)
        self.end_headers()
        self.wfile.flush()
        msg = b""
        while True:
            hdr = self.rfile.read(2)
            if len(hdr) < 2:
                break
            fin, op = hdr[0] & 0x80, hdr[0] & 0x0F
            masked, n = hdr[1] & 0x80, hdr[1] & 0x7F
            if n == 126:
                n = struct.unpack("!H", self.rfile.read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self.rfile.read(8))[0]
            mk = self.rfile.read(4) if masked else b"\0\0\0\0"
            data = bytes(b ^ mk[i % 4] for i, b in enumerate(self.rfile.read(n)))
            if op == 8:
                self.wfile.write(b"\x88\x02\x03\xe8")
                self.wfile.flush()
                break
            msg += data
            if fin:
                reply = b'{"ok":true}'
                self.wfile.write(bytes([0x81, len(reply)]) + reply)
                self.wfile.flush()
                msg = b""
        self.close_connection = True


class HTTP4(HTTPServer):
    allow_reuse_address = True


class HTTP6(HTTPServer):
    allow_reuse_address = True
    address_family = socket.AF_INET6


def start_http(port, v6=False, reply=b'{"code":0,"msg":"ok"}'):
    cls = HTTP6 if v6 else HTTP4
    srv = cls(("::1" if v6 else "127.0.0.1", port), Handler)
    srv.reply = reply
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    return srv


# --- raw TCP server for the made-up socket protocols: answer each read with an ack
class RawTCP(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def start_raw_tcp(port, ack):
    class H(socketserver.BaseRequestHandler):
        def handle(self):
            while True:
                d = self.request.recv(4096)
                if not d:
                    break
                self.request.sendall(ack(d))
    srv = RawTCP(("127.0.0.1", port), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


# --- UDP: telemetry sink (replies "ok") and a tiny DNS responder (NXDOMAIN, echoes question)
def start_udp(port, kind):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.settimeout(0.2)
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            try:
                d, peer = s.recvfrom(4096)
            except socket.timeout:
                continue
            if kind == "dns":
                qid = d[:2]
                # flags: QR=1, opcode 0, RD copied, RA=1, RCODE=3 (NXDOMAIN); QD=1, AN=NS=AR=0
                rd = d[2] & 0x01
                resp = qid + bytes([0x80 | rd, 0x83]) + b"\x00\x01\x00\x00\x00\x00\x00\x00" + d[12:]
                s.sendto(resp, peer)
            else:
                s.sendto(b'{"code":0}', peer)
        s.close()

    t = threading.Thread(target=loop, daemon=True)
    t.start()

    class Stopper:
        def shutdown(self):
            stop.set()
            t.join()

        def server_close(self):
            pass
    return Stopper()
