#!/usr/bin/env python3
"""Starts the edge and measures its start-up time and memory with many hosted domains.

Start-up time is from just before the process is spawned until the first HTTPS 200 for a seeded host
(polled every 10 ms with a fresh TLS connection and that host's SNI). Memory is VmRSS (and the peak, VmHWM)
from /proc/<pid>/status: right after that first answer, and again after fetching `--fetch` distinct hosts
(each fetch is a new TLS connection, so the edge builds that host's TLS context). Every answer must be a 200
with exactly the seeded policy; anything else fails the run.

The environment (MTASTS_*) is passed through to `mtasts edge`. Standard library only (plus seed.py for the
expected policy text, which imports `cryptography`).
"""

import argparse
import concurrent.futures
import json
import os
import random
import socket
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seed import policy_text  # noqa: E402

PATH = "/.well-known/mta-sts.txt"


def fetch(context, port, host, timeout=5.0):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
        with context.wrap_socket(raw, server_hostname=host) as connection:
            connection.sendall(f"GET {PATH} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while True:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, body


def memory(pid):
    values = {}
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, amount, _unit = line.split()
                values[name.rstrip(":")] = int(amount) * 1024
    return values


def check(host, status, body):
    expected = policy_text(host[len("mta-sts."):]).encode()
    if status != 200 or body != expected:
        raise SystemExit(f"startup: {host} answered {status} with {body[:80]!r}; expected 200 and the seeded policy")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mtasts", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--hosts", required=True, help="file with one seeded host per line")
    parser.add_argument("--fetch", type=int, default=1000, help="distinct hosts to fetch after start-up")
    parser.add_argument("--log", required=True)
    parser.add_argument("--pid-file", required=True)
    parser.add_argument("--timeout", type=float, default=300)
    arguments = parser.parse_args()

    with open(arguments.hosts) as handle:
        hosts = [line.strip() for line in handle if line.strip()]
    context = ssl.create_default_context(cafile=arguments.ca)
    probe_host = hosts[len(hosts) // 2]

    with open(arguments.log, "w") as log:
        started = time.monotonic()
        process = subprocess.Popen([arguments.mtasts, "edge", "--no-migrate"], stdout=log, stderr=log)
    with open(arguments.pid_file, "w") as handle:
        handle.write(str(process.pid))
    try:
        attempts = 0
        while True:
            if process.poll() is not None:
                raise SystemExit(f"startup: the edge exited with status {process.returncode}; see {arguments.log}")
            if time.monotonic() - started > arguments.timeout:
                raise SystemExit(f"startup: no 200 within {arguments.timeout} s")
            attempts += 1
            try:
                status, body = fetch(context, arguments.port, probe_host, timeout=2.0)
                check(probe_host, status, body)
                break
            except (OSError, ssl.SSLError):
                time.sleep(0.01)
        startup_seconds = time.monotonic() - started
        after_start = memory(process.pid)

        sample = random.Random(1).sample(hosts, min(arguments.fetch, len(hosts)))
        fetch_started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            for host, (status, body) in zip(sample, pool.map(lambda h: fetch(context, arguments.port, h), sample)):
                check(host, status, body)
        fetch_seconds = time.monotonic() - fetch_started
        after_fetch = memory(process.pid)
        result = {
            "hosts": len(hosts),
            "startup_seconds": round(startup_seconds, 3),
            "poll_attempts": attempts,
            "rss_after_start": after_start["VmRSS"],
            "fetched": len(sample),
            "fetch_seconds": round(fetch_seconds, 2),
            "rss_after_fetch": after_fetch["VmRSS"],
            "peak_rss": after_fetch["VmHWM"],
        }
        print(json.dumps(result))
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
