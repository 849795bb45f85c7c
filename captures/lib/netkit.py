"""Socket and HTTP-server pieces that the capture generators of several folders share.

Standard library only. A script that wants them puts this folder on its path, after its own folder
(sys.path[0]) and before site-packages, and imports by name:

    sys.path.insert(1, os.path.join(<captures>, "lib"))
    from netkit import QuietHandler, recv_all

Used by captures/pii/tools (servers.py, recording.py, so also captures/pii-shapes) and
captures/third-party/tools (servers.py, app.py).
"""
from http.server import BaseHTTPRequestHandler


def recv_all(s):
    """Read a socket until the peer closes it; return everything read."""
    out = b""
    while True:
        d = s.recv(65536)
        if not d:
            return out
        out += d


class QuietHandler(BaseHTTPRequestHandler):
    """An http.server handler base for corpus servers: HTTP/1.1 (keep-alive), no request log, a
    `Server:` header of the subclass's server_version alone (no Python version), a body reader for
    Content-Length and chunked requests, and answer(ctype, body) for a 200 answer."""
    protocol_version = "HTTP/1.1"
    sys_version = ""

    def log_message(self, *a):
        pass

    def version_string(self):
        return self.server_version

    def read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            out = b""
            while True:
                line = self.rfile.readline()
                n = int(line.split(b";")[0].strip() or b"0", 16)
                if n == 0:
                    # trailers until blank line
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(n)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def answer(self, ctype, body):
        """A 200 answer with this Content-Type and body (str is sent UTF-8) and its Content-Length."""
        if isinstance(body, str):
            body = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
