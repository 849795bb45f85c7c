#!/usr/bin/env python3
"""Minimal HTTP/3-over-QUIC server and client with aioquic (one GET, then close).

usage: quic_peer.py server PORT CERT KEY [--versions v1,v2,draft29] [--seconds N]
       quic_peer.py client PORT SNI --keylog FILE [--version v1|v2|draft29]
                    [--alpn h3,...] [--groups x25519,secp256r1,...]
Works with aioquic 1.9.1 (QUIC v1 and v2, X25519MLKEM768) and aioquic 0.9.25 (the last
release with draft-29). --groups replaces the TLS client's supported_groups (the first two
get key shares); by default aioquic 1.9.1 offers X25519MLKEM768 + X25519 key shares.
The server prints LISTENING; the client prints the negotiated version and ALPN.
"""
import argparse, asyncio, sys
import pylsqpack

# aioquic 1.9.1 asks for pylsqpack >= 1.1.1, which PyPI does not serve for this Python; with
# pylsqpack 1.0.0 only the max_field_section_size keyword is missing, so drop it.
try:
    pylsqpack.Decoder(4096, 16, max_field_section_size=65536)
except TypeError:
    _Decoder = pylsqpack.Decoder
    pylsqpack.Decoder = lambda cap, blocked, **kw: _Decoder(cap, blocked)

import aioquic
from aioquic import tls
from aioquic.asyncio import QuicConnectionProtocol, connect, serve
from aioquic.h3.connection import H3Connection
from aioquic.h3.events import DataReceived, HeadersReceived
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.events import HandshakeCompleted
from aioquic.quic.packet import QuicProtocolVersion

VERSIONS = {"v1": QuicProtocolVersion.VERSION_1, "v2": getattr(QuicProtocolVersion, "VERSION_2", None),
            "draft29": getattr(QuicProtocolVersion, "DRAFT_29", None)}
GROUPS = {"x25519mlkem768": 0x11EC, "x25519": 0x001D, "secp256r1": 0x0017, "secp384r1": 0x0018,
          "x448": 0x001E}


class H3Proto(QuicConnectionProtocol):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.h3 = None
        self.done = asyncio.Event()
        self.body = b""
        self.hs = None

    def quic_event_received(self, event):
        if isinstance(event, HandshakeCompleted):
            self.hs = event
        if self.h3 is None:
            self.h3 = H3Connection(self._quic)
        for ev in self.h3.handle_event(event):
            if isinstance(ev, HeadersReceived) and self._quic.configuration.is_client is False:
                self.h3.send_headers(ev.stream_id, [(b":status", b"200"), (b"content-type", b"text/plain")])
                self.h3.send_data(ev.stream_id, b"hello over HTTP/3\n", end_stream=True)
                self.transmit()
            elif isinstance(ev, DataReceived):
                self.body += ev.data
                if ev.stream_ended:
                    self.done.set()


async def run_server(a):
    cfg = QuicConfiguration(is_client=False, alpn_protocols=["h3", "h3-29"])
    cfg.supported_versions = [VERSIONS[v] for v in a.versions.split(",")]
    cfg.load_cert_chain(a.cert, a.key)
    await serve("127.0.0.1", a.port, configuration=cfg, create_protocol=H3Proto)
    print("LISTENING", flush=True)
    await asyncio.sleep(a.seconds)


async def run_client(a):
    if a.groups:
        groups = [GROUPS[g] for g in a.groups.split(",")]
        orig = tls.Context.__init__

        def init(self, *args, **kw):
            orig(self, *args, **kw)
            self._supported_groups = list(groups)
        tls.Context.__init__ = init
    cfg = QuicConfiguration(is_client=True, alpn_protocols=a.alpn.split(","), server_name=a.sni)
    cfg.verify_mode = 0
    v = VERSIONS[a.version]
    if hasattr(cfg, "original_version"):
        cfg.original_version = v
        cfg.supported_versions = [v]
    else:
        cfg.supported_versions = [v]
    cfg.secrets_log_file = open(a.keylog, "a")
    async with connect("127.0.0.1", a.port, configuration=cfg, create_protocol=H3Proto) as p:
        sid = p._quic.get_next_available_stream_id()
        p.h3 = p.h3 or H3Connection(p._quic)
        p.h3.send_headers(sid, [(b":method", b"GET"), (b":scheme", b"https"),
                                (b":authority", a.sni.encode()), (b":path", b"/")], end_stream=True)
        p.transmit()
        await asyncio.wait_for(p.done.wait(), 10)
        print(f"aioquic {aioquic.__version__}: version=0x{p._quic._version:08x} "
              f"alpn={p.hs.alpn_protocol} body={p.body!r}", file=sys.stderr)
    cfg.secrets_log_file.close()


ap = argparse.ArgumentParser()
ap.add_argument("role", choices=["server", "client"])
ap.add_argument("port", type=int)
ap.add_argument("rest", nargs="*")
ap.add_argument("--versions", default="v1")
ap.add_argument("--version", default="v1")
ap.add_argument("--alpn", default="h3")
ap.add_argument("--groups")
ap.add_argument("--keylog")
ap.add_argument("--seconds", type=float, default=15)
a = ap.parse_args()
if a.role == "server":
    a.cert, a.key = a.rest
    asyncio.run(run_server(a))
else:
    a.sni = a.rest[0]
    asyncio.run(run_client(a))
