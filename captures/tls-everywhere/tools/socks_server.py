#!/usr/bin/env python3
"""Small SOCKS 4 / 4a / 5 server (RFC 1928, RFC 1929 username/password, SOCKS4a hostnames).

Dante (Debian's SOCKS server) does not implement SOCKS4a (it connects to 0.0.0.x instead of
resolving the hostname), so the SOCKS4a captures use this server.

usage: socks_server.py PORT [--user USER:PASS] [--host NAME=IP ...] [--conns N]
Listens on 127.0.0.1:PORT, prints LISTENING, serves N connections (default 1), then exits.
Hostnames are resolved only through --host (never DNS).
"""
import argparse, asyncio, ipaddress, socket, struct, sys

ap = argparse.ArgumentParser()
ap.add_argument("port", type=int)
ap.add_argument("--user")
ap.add_argument("--host", action="append", default=[])
ap.add_argument("--conns", type=int, default=1)
a = ap.parse_args()
HOSTS = dict(h.split("=", 1) for h in a.host)
done = asyncio.Event()
left = [a.conns]


def resolve(name):
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return HOSTS[name]


async def pipe(r, w):
    try:
        while data := await r.read(65536):
            w.write(data)
            await w.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            w.close()
        except Exception:
            pass


async def handle(r, w):
    try:
        ver = (await r.readexactly(1))[0]
        if ver == 4:
            cmd, port = struct.unpack("!BH", await r.readexactly(3))
            ip = socket.inet_ntoa(await r.readexactly(4))
            userid = (await r.readuntil(b"\0"))[:-1]
            host = ip
            if ip.startswith("0.0.0.") and ip != "0.0.0.0":       # SOCKS4a
                host = (await r.readuntil(b"\0"))[:-1].decode()
            print(f"socks4 userid={userid!r} target={host}:{port}", file=sys.stderr)
            rr, rw = await asyncio.open_connection(resolve(host), port)
            w.write(b"\x00\x5a" + struct.pack("!H", port) + socket.inet_aton(ip))
        elif ver == 5:
            n = (await r.readexactly(1))[0]
            methods = await r.readexactly(n)
            want = 2 if a.user else 0
            if want not in methods:
                w.write(b"\x05\xff"); await w.drain(); w.close(); return
            w.write(bytes([5, want]))
            if want == 2:
                sub, ulen = await r.readexactly(2)
                user = await r.readexactly(ulen)
                plen = (await r.readexactly(1))[0]
                pw = await r.readexactly(plen)
                ok = f"{user.decode()}:{pw.decode()}" == a.user
                print(f"socks5 auth user={user!r} ok={ok}", file=sys.stderr)
                w.write(bytes([1, 0 if ok else 1]))
                if not ok:
                    await w.drain(); w.close(); return
            _, cmd, _, atyp = await r.readexactly(4)
            if atyp == 1:
                host = socket.inet_ntoa(await r.readexactly(4))
            elif atyp == 3:
                host = (await r.readexactly((await r.readexactly(1))[0])).decode()
            else:
                host = socket.inet_ntop(socket.AF_INET6, await r.readexactly(16))
            port = struct.unpack("!H", await r.readexactly(2))[0]
            print(f"socks5 target={host}:{port}", file=sys.stderr)
            rr, rw = await asyncio.open_connection(resolve(host), port)
            bound = rw.get_extra_info("sockname")
            w.write(b"\x05\x00\x00\x01" + socket.inet_aton(bound[0]) + struct.pack("!H", bound[1]))
        else:
            w.close(); return
        await w.drain()
        await asyncio.gather(pipe(r, rw), pipe(rr, w))
    finally:
        left[0] -= 1
        if left[0] <= 0:
            done.set()


async def main():
    srv = await asyncio.start_server(handle, "127.0.0.1", a.port)
    print("LISTENING", flush=True)
    async with srv:
        await asyncio.wait_for(done.wait(), 60)


asyncio.run(main())
