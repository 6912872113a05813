#!/usr/bin/env python3
"""Starts the edge and measures its start-up time and memory with many hosted domains.

Start-up time is from just before the process is spawned until the first HTTPS 200 for a seeded host
(polled every 10 ms with a fresh TLS connection and that host's SNI). Memory is VmRSS (and the peak, VmHWM)
from /proc/<pid>/status: right after that first answer, and again after fetching `--fetch` distinct hosts
(each fetch is a new TLS connection, so the edge builds that host's TLS context). Every answer must be a 200
with exactly the seeded policy; anything else fails the run.

With `--changes K`, it then publishes K policy changes one after another, each written as the API writes one
(the current row superseded, a new row and a `changes` row with NOTIFY, in one transaction, through psql on
MTASTS_DATABASE_URL), and times each from its commit until the edge serves the new text; it reports the median,
p99 and maximum. With `--changes-over S` the K changes start at even intervals over S seconds instead of one
after another, so that they meet whatever the edge does in that time (a full reconcile, say). The peak RSS is
read last, after the changes.

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


def publish_change(database_url, host, index):
    """Publishes a new policy for `host` as PolicyRepository.publish does; returns the new text."""
    domain = host[len("mta-sts."):]
    text = f"version: STSv1\r\nmode: testing\r\nmx: mx1.{domain}\r\nmax_age: {86400 + index}\r\n"
    sql = f"""
        BEGIN;
        UPDATE policies SET superseded_at = now()
            WHERE domain_id = (SELECT id FROM domains WHERE name = '{domain}') AND superseded_at IS NULL;
        WITH change AS (INSERT INTO changes (host, kind, at) VALUES ('{host}', 'policy', now()) RETURNING seq)
        INSERT INTO policies (domain_id, policy_id, mode, mx, max_age, text, created_at, change_seq)
            SELECT d.id, 'bench' || change.seq, 'testing', ARRAY['mx1.{domain}'], {86400 + index}, '{text}', now(),
                   change.seq
            FROM domains d, change WHERE d.name = '{domain}';
        SELECT pg_notify('mtasts_changes', (SELECT max(seq) FROM changes)::text);
        COMMIT;
    """
    subprocess.run(["psql", database_url, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)
    return text.encode()


def time_changes(context, port, hosts, count, database_url, spread_seconds=0.0):
    """Seconds from each change's commit until the edge serves it, for `count` changes in a row, or starting at
    even intervals over `spread_seconds`."""
    latencies = []
    began = time.monotonic()
    for index, host in enumerate(random.Random(2).sample(hosts, count)):
        start_at = began + spread_seconds * index / count
        if time.monotonic() < start_at:
            time.sleep(start_at - time.monotonic())
        expected = publish_change(database_url, host, index)
        committed = time.monotonic()
        while True:
            status, body = fetch(context, port, host)
            if status == 200 and body == expected:
                break
            if time.monotonic() - committed > 30:
                raise SystemExit(f"startup: the edge did not serve the change for {host} within 30 s")
            time.sleep(0.005)
        latencies.append(time.monotonic() - committed)
    return latencies


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
    parser.add_argument("--changes", type=int, default=0, help="policy changes to time after start-up")
    parser.add_argument("--changes-over", type=float, default=0,
                        help="start the changes at even intervals over this many seconds (0: one after another)")
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
        }
        if arguments.changes:
            latencies = sorted(time_changes(context, arguments.port, hosts, arguments.changes,
                                            os.environ["MTASTS_DATABASE_URL"], arguments.changes_over))
            result["changes"] = len(latencies)
            result["change_median_seconds"] = round(latencies[len(latencies) // 2], 3)
            result["change_p99_seconds"] = round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 3)
            result["change_max_seconds"] = round(latencies[-1], 3)
        result["peak_rss"] = memory(process.pid)["VmHWM"]
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
