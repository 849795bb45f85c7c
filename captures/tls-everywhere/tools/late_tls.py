"""A line protocol no analyzer knows ("ACME-SYNC"), upgraded to TLS after a
plaintext greeting, a login line carrying a phone number and an OK: the
server and client are Python sockets wrapped by Python's ssl (OpenSSL) after
the plaintext part. Usage: late_tls.py server|client PORT CERT KEY."""
import socket, ssl, sys

role, port = sys.argv[1], int(sys.argv[2])
if role == "server":
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    with socket.create_server(("127.0.0.1", port)) as listener:
        conn, _ = listener.accept()
        conn.sendall(b"ACME-SYNC 2.1 ready\r\n")
        line = b""
        while not line.endswith(b"\r\n"):
            line += conn.recv(1)
        conn.sendall(b"OK go secure\r\n")
        with context.wrap_socket(conn, server_side=True) as tls:
            tls.recv(100)
            tls.sendall(b"synced\n")
else:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.recv(100)
        conn.sendall(b"LOGIN device=android phone=13912348876 STARTSECURE\r\n")
        reply = b""
        while not reply.endswith(b"\r\n"):
            reply += conn.recv(1)
        with context.wrap_socket(conn, server_hostname="sync.acme-cloud.test") as tls:
            tls.sendall(b"hello\n")
            tls.recv(100)
