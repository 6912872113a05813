#!/usr/bin/env python3
"""Sequential policy fetches for instructions.sh: N new TLS connections (one request each, Connection: close),
N new connections each resuming the session of the one before (as wrk's do: its connections keep their TLS
session across reconnects), or N requests on one kept-alive connection. Exits 1 unless every response is a 200,
and in the resumed mode unless every connection after the first resumed."""
import socket
import ssl
import sys


def read_head(connection):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            raise ConnectionError("connection closed before the response head")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lengths = [line.split(b":", 1)[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
    remaining = int(lengths[0]) - len(body)
    while remaining > 0:
        chunk = connection.recv(remaining)
        if not chunk:
            raise ConnectionError("connection closed inside the body")
        remaining -= len(chunk)
    return head


def main():
    host, port, ca, count, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
    context = ssl.create_default_context(cafile=ca)
    request = f"GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: {host}\r\n".encode()
    ok = 0
    if mode in ("new-connection", "resumed"):
        session = None
        resumed = 0
        for _ in range(count):
            with socket.create_connection(("127.0.0.1", port)) as raw, context.wrap_socket(
                raw, server_hostname=host, session=session
            ) as tls:
                tls.sendall(request + b"Connection: close\r\n\r\n")
                ok += read_head(tls).startswith(b"HTTP/1.1 200 ")
                resumed += tls.session_reused
                if mode == "resumed":
                    session = tls.session
        if mode == "resumed" and resumed != count - 1:
            print(f"only {resumed} of {count - 1} connections resumed", file=sys.stderr)
            return 1
    else:
        with socket.create_connection(("127.0.0.1", port)) as raw, context.wrap_socket(raw, server_hostname=host) as tls:
            for _ in range(count):
                tls.sendall(request + b"\r\n")
                ok += read_head(tls).startswith(b"HTTP/1.1 200 ")
    if ok != count:
        print(f"only {ok} of {count} responses were 200", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
