#!/usr/bin/env python3
"""Raw-socket clients for the ProtocolHTTP fixtures."""
import asyncio, base64, os, socket, struct, sys, time

def recv_all(s, until_idle=0.5):
    s.settimeout(until_idle); out = b""
    try:
        while True:
            d = s.recv(65536)
            if not d: break
            out += d
    except socket.timeout: pass
    return out

def pipelined():
    s = socket.create_connection(("127.0.0.1", 49200))
    body = b'{"deviceId":"a1b2c3","phone":"13812345678"}'
    reqs = (b"GET /hello?imei=867530912345678&x=1 HTTP/1.1\r\nHost: 127.0.0.1:49200\r\nUser-Agent: raw\r\n\r\n"
            b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1:49200\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body +
            b"HEAD /etag HTTP/1.1\r\nHost: 127.0.0.1:49200\r\n\r\n"
            b"GET /etag HTTP/1.1\r\nHost: 127.0.0.1:49200\r\nIf-None-Match: \"v1\"\r\n\r\n"
            b"GET /te-gzip HTTP/1.1\r\nHost: 127.0.0.1:49200\r\n\r\n")
    s.sendall(reqs)
    recv_all(s); s.close()

def slow():
    # A request sent a few bytes per segment.
    s = socket.create_connection(("127.0.0.1", 49200))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    req = b"GET /slow?sfz=110101199003074258 HTTP/1.1\r\nHost: slow.example\r\nConnection: close\r\n\r\n"
    for i in range(0, len(req), 7):
        s.sendall(req[i:i+7]); time.sleep(0.01)
    recv_all(s); s.close()

def frame(opcode, payload, fin=True, mask=True):
    b0 = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n < 126: hdr = struct.pack("!BB", b0, (0x80 if mask else 0) | n)
    elif n < 65536: hdr = struct.pack("!BBH", b0, (0x80 if mask else 0) | 126, n)
    else: hdr = struct.pack("!BBQ", b0, (0x80 if mask else 0) | 127, n)
    if not mask: return hdr + payload
    key = os.urandom(4)
    return hdr + key + bytes(c ^ key[i % 4] for i, c in enumerate(payload))

def ws_raw():
    s = socket.create_connection(("127.0.0.1", 49202))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    key = base64.b64encode(os.urandom(16))
    s.sendall(b"GET /chat?token=abc HTTP/1.1\r\nHost: 127.0.0.1:49202\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
    time.sleep(0.2)
    s.sendall(frame(1, b"Hello, phone 138", fin=False))
    s.sendall(frame(9, b"ping!"))                     # control frame between fragments
    s.sendall(frame(0, b"12345678", fin=False))
    s.sendall(frame(0, b" end", fin=True))
    s.sendall(frame(2, bytes(range(256)) * 2))         # 16-bit length
    s.sendall(frame(2, b"x" * 70000))                  # 64-bit length
    time.sleep(0.3)
    s.sendall(frame(8, struct.pack("!H", 1000) + b"bye"))
    recv_all(s); s.close()

async def ws_deflate():
    from websockets.asyncio.client import connect
    async with connect("ws://127.0.0.1:49202/deflate", compression="deflate", max_size=None) as ws:
        for text in ['{"imei":"867530912345678"}', '{"imei":"867530912345678","again":true}', "z" * 5000]:
            await ws.send(text); await ws.recv()
        await ws.send(["frag-one ", "frag-two"]); await ws.recv()

if __name__ == "__main__":
    name = sys.argv[1]
    if name == "ws_deflate": asyncio.run(ws_deflate())
    else: globals()[name]()
