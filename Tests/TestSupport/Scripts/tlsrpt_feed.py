#!/usr/bin/env python3
"""Plays the MTA's side of sys4's TLS-RPT reporter (tlsrpt-reporter, pinned in the Makefile's PYTHON_PACKAGES) for
TLSRPTReporterFixture: sends one datagram per SMTP session to tlsrpt-collectd, and waits for the collectd's
database to reach a state.

    tlsrpt_feed.py send SPEC.json
    tlsrpt_feed.py await-rollover DATABASE SESSIONS [TIMEOUT]

send: SPEC is {"socket": PATH, "database": PATH, "expected_total": N, "domain": D, "record": TXT, "policy": POLICY,
    "sessions": [...]}.
    POLICY is {"type": "sts"|"tlsa"|"no-policy-found", "domain": D, "strings": [...], "mx_hosts": [...]}; each
    session is {"failure": null} for a successful session or {"failure": FAILURE} with FAILURE = {"result_type":
    RFC 8460 name, "sending_mta_ip", "receiving_mx_hostname", "receiving_mx_helo", "receiving_ip",
    "additional_information", "failure_reason_code"} (all but result_type optional). Every session becomes one
    datagram exactly as libtlsrpt writes it when Postfix finishes a delivery request (tlsrpt_init_delivery_request
    with the domain and the TXT record it looked up, one policy, tlsrpt_add_delivery_request_failure for a
    failure, tlsrpt_finish_policy with the final result). Then waits (15 s at most) until the collectd has
    committed N sessions in all to DATABASE (it commits after every datagram with max_uncommited_datagrams = 1).
await-rollover: waits until DATABASE.yesterday (what tlsrpt-fetcher reads) holds SESSIONS sessions and its day is
    marked complete, which the collectd does on SIGUSR2 (its development hook for the UTC-midnight rollover).

Exit status 0 on success, 1 with the reason on stderr otherwise.
"""
import json
import socket
import sqlite3
import sys
import time

# libtlsrpt's tlsrpt_policy_type_t and tlsrpt_failure_t (tlsrpt.h), the codes tlsrpt-reportd maps back to names.
POLICY_TYPES = {"tlsa": 1, "sts": 2, "no-policy-found": 9}
RESULT_TYPES = {
    "starttls-not-supported": 201,
    "certificate-host-mismatch": 202,
    "certificate-not-trusted": 203,
    "certificate-expired": 204,
    "validation-failure": 205,
    "sts-policy-fetch-error": 301,
    "sts-policy-invalid": 302,
    "sts-webpki-invalid": 303,
    "tlsa-invalid": 304,
    "dnssec-invalid": 305,
    "dane-required": 306,
}
# Failure detail members in the order libtlsrpt writes them, with its one-letter keys.
FAILURE_KEYS = [
    ("s", "sending_mta_ip"),
    ("n", "receiving_mx_hostname"),
    ("h", "receiving_mx_helo"),
    ("r", "receiving_ip"),
    ("a", "additional_information"),
    ("f", "failure_reason_code"),
]


def datagram(spec, session):
    """One delivery request as libtlsrpt 0.5 serialises it (member order kept), plus its protocol version."""
    policy = spec["policy"]
    entry = {"policy-type": POLICY_TYPES[policy["type"]], "policy-domain": policy["domain"]}
    if policy.get("strings"):
        entry["policy-string"] = policy["strings"]
    if policy.get("mx_hosts"):
        entry["mx-host"] = policy["mx_hosts"]
    failure = session.get("failure")
    if failure is not None:
        result_type = failure["result_type"]
        if result_type not in RESULT_TYPES:
            raise ValueError(f"libtlsrpt has no failure code for result type {result_type!r}")
        detail = {"c": RESULT_TYPES[result_type]}
        for key, name in FAILURE_KEYS:
            if failure.get(name) is not None:
                detail[key] = failure[name]
        entry["failure-details"] = [detail]
    entry["t"] = 0 if failure is None else 1
    entry["f"] = 0 if failure is None else 1
    return {"d": spec["domain"], "pr": spec["record"], "policies": [entry], "dpv": "1"}


def committed_sessions(path):
    """Sessions in a collectd database (each datagram counts one per policy), and the completed day if marked."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    try:
        total = connection.execute("SELECT COALESCE(SUM(cntrtotal), 0) FROM finalresults").fetchone()[0]
        day = connection.execute("SELECT daycomplete FROM daystatus").fetchone()
        return total, (day[0] if day else None)
    finally:
        connection.close()


def wait(what, deadline, condition):
    last = None
    while True:
        try:
            if condition():
                return
        except sqlite3.Error as error:  # the collectd may hold a write lock or be renaming the file
            last = error
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached" + (f" (last error: {last})" if last else ""))
        time.sleep(0.05)


def send(spec_path):
    with open(spec_path, encoding="utf-8") as file:
        spec = json.load(file)
    datagrams = [json.dumps(datagram(spec, session)).encode() for session in spec["sessions"]]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
        for payload in datagrams:
            sender.sendto(payload, spec["socket"])
    expected = spec["expected_total"]
    wait(f"{expected} sessions committed to {spec['database']}", time.monotonic() + 15,
         lambda: committed_sessions(spec["database"])[0] == expected)
    print(expected)


def await_rollover(database, sessions, timeout):
    def rolled_over():
        total, day = committed_sessions(database + ".yesterday")
        return total == sessions and day is not None
    wait(f"{sessions} sessions in {database}.yesterday", time.monotonic() + timeout, rolled_over)


def main():
    try:
        if len(sys.argv) == 3 and sys.argv[1] == "send":
            send(sys.argv[2])
        elif len(sys.argv) in (4, 5) and sys.argv[1] == "await-rollover":
            await_rollover(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]) if len(sys.argv) == 5 else 15)
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except Exception as error:  # one line for the Swift side's failure message
        print(f"tlsrpt_feed.py {sys.argv[1]}: {error.__class__.__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
