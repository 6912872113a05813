#!/usr/bin/env python3
"""A loopback HTTPS receiver for TLS reports (RFC 8460 §5.4) that keeps what it is sent, for ReporterTests.

    https_receiver.py CERTIFICATE KEY RECORD_DIRECTORY READY_FILE PARENT_PID [STATUS]

Listens on 127.0.0.1 with a port the kernel picks, serving CERTIFICATE/KEY (PEM). Every POST is answered STATUS
(default 200) and kept as RECORD_DIRECTORY/<n>.body (the body as received) with <n>.json beside it ({"path", "content_type",
"length"}); anything else is answered 405. When listening, READY_FILE is written atomically with the port. Exits
when its parent (the test runner, PARENT_PID) is gone.
"""
import http.server
import json
import os
import ssl
import sys
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    count = 0
    lock = threading.Lock()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with Handler.lock:
            Handler.count += 1
            number = Handler.count
        base = os.path.join(self.server.record_directory, str(number))
        with open(base + ".body", "wb") as file:
            file.write(body)
        meta = {"path": self.path, "content_type": self.headers.get("Content-Type"), "length": len(body)}
        with open(base + ".json.tmp", "w", encoding="utf-8") as file:
            json.dump(meta, file)
        os.rename(base + ".json.tmp", base + ".json")
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), format % args))


def main():
    certificate, key, record_directory, ready_file, parent_pid = sys.argv[1:6]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.record_directory = record_directory
    server.status = int(sys.argv[6]) if len(sys.argv) > 6 else 200
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with open(ready_file + ".tmp", "w", encoding="utf-8") as ready:
        ready.write(str(server.server_address[1]))
    os.rename(ready_file + ".tmp", ready_file)
    while os.getppid() == int(parent_pid):
        time.sleep(0.5)


if __name__ == "__main__":
    main()
