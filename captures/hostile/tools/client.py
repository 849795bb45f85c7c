"""The app side of captures/hostile/wire-names.pcap: requests whose PI sits in
the places a report shows as text (path, field names, Host), sent with
python-requests and raw sockets to the loopback server."""
import socket, sys, requests

port = int(sys.argv[1])
base = f"http://127.0.0.1:{port}"
s = requests.Session()
s.trust_env = False

# A phone number and an IMEI in URL paths.
s.get(f"{base}/users/13812345678/profile", headers={"Connection": "close"})
s.post(f"{base}/devices/861234567890127/bind", json={"ok": 1}, headers={"Connection": "close"})
# Phone numbers as JSON keys, one with PI under it.
s.post(f"{base}/v1/contacts", json={"13912345670": 1, "contacts": {"13612345677": {"mobile": "13712345676"}}},
       headers={"Connection": "close"})
# Phone numbers as form field names (one with a phone as its value).
s.post(f"{base}/v1/form", data="15012345671=1&channel=a&15212345673=13512345674",
       headers={"Content-Type": "application/x-www-form-urlencoded", "Connection": "close"})
# A multipart part named by a phone number, its value another.
s.post(f"{base}/v1/upload", files={"15112345672": (None, "13312345672")}, headers={"Connection": "close"})
# A phone number as the Host's first label (the request goes to loopback).
s.get(f"{base}/ping", headers={"Host": "18612345673.example.com", "Connection": "close"})

# Bidirectional controls and separators in a Host, a path, a header and JSON field names (raw UTF-8 on the wire).
raw = ("api.ex\u202eelpmaxe\u202c.com", "/v1/\u2066ok\u2069/\u2028x", "\u200fvalue\u2029")
body = ('{"na\u202eme": "x", "\u2067k": 1, "a\u2029b": 2, "esc\\u202e": 3, "phone": "13812345678"}').encode()
head = (f"POST {raw[1]} HTTP/1.1\r\nHost: {raw[0]}\r\nX-Note: {raw[2]}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
with socket.create_connection(("127.0.0.1", port)) as conn:
    conn.sendall(head + body)
    while conn.recv(4096):
        pass
