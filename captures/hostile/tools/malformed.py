"""The app side of captures/hostile/malformed-heads.pcap: one POST per
connection (raw sockets), each carrying a phone number in its query and
another in its JSON body, with a head a strict parser would reject."""
import socket, sys

port = int(sys.argv[1])
body = lambda n: ('{"mobile": "136%08d"}' % n).encode()

def send(n, lines):
    b = body(n)
    head = "\r\n".join([f"POST /v1/report?phone=139{n:08d} HTTP/1.1", "Host: api.example-shop.cn"] + lines
                       + ["Content-Type: application/json", f"Content-Length: {len(b)}", "Connection: close", "", ""])
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(head.encode("latin-1") + b)
        conn.settimeout(2)
        try:
            while conn.recv(4096):
                pass
        except OSError:
            pass

send(10, ["X-Ok: 1"])                                   # control
send(17, ["X-Client-Id 4711"])                          # no colon
send(24, ["X Client Id: 4711"])                         # a space in the name
send(31, ["X-Long: one", " two"])                       # obs-fold continuation
send(38, ["X-Trace : abc"])                             # a space before the colon
send(45, [f"X-H{i}: v" for i in range(250)])            # more than 200 fields
send(52, ["X-Nul: a\x00b"])                             # a NUL in a value
