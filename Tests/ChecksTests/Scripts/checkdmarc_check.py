#!/usr/bin/env python3
"""Runs checkdmarc's MTA-STS, TLS-RPT and MX-coverage checks against the test DNS and nginx on loopback.

checkdmarc (PyPI, 6.0.4) is a widely used domain checker. Its own functions are called unchanged:
`check_mta_sts` (the `_mta-sts` record, the policy download with `requests`, the policy parser),
`check_smtp_tls_reporting` (the `_smtp._tls` record), `get_mx_record_set` and `mx_in_mta_sts_patterns` (the
coverage rule `get_mx_hosts` applies). Only what reaches the network is pointed at the test environment:

1. DNS: every lookup goes through a `dns.resolver.Resolver` asking the test Unbound (checkdmarc takes it as
   `resolver=`), so CNAME chains come back as on the internet.
2. The policy download: checkdmarc fetches `https://mta-sts.<domain>/...` with `requests`, which resolves the host
   with the system resolver and always connects to port 443. urllib3 opens its sockets through
   `urllib3.util.connection.create_connection`; it is replaced by one that resolves the host through the same
   Unbound (A records, CNAMEs followed) and, for names inside the test zones only, connects to nginx's port
   instead of 443. TLS (SNI, certificate and host name verification) is untouched. Nothing binds port 443 and
   /etc/hosts is not touched.
3. Trust: `REQUESTS_CA_BUNDLE` names the test CA, which `requests` honours for every session.

Usage: checkdmarc_check.py --nameserver 127.0.0.1:PORT --https-port PORT --zone example.test --ca-file CA.pem
                           DOMAIN...
Prints one JSON object per domain and line: {"domain", "mta_sts": {...}, "tlsrpt": {...}, "mx_hosts": [...],
"mx_record_count", "null_mx", "uncovered_mx_hosts": [...] or null when there is no valid policy}.
"""

import argparse
import json
import os
import socket
import sys


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nameserver", required=True, help="recursive resolver, host:port")
    parser.add_argument("--https-port", required=True, type=int, help="nginx's HTTPS port (stands in for 443)")
    parser.add_argument("--zone", action="append", required=True, help="names under this zone go to --https-port")
    parser.add_argument("--ca-file", required=True, help="PEM file of the CA that signed the policy hosts")
    parser.add_argument("domains", nargs="+")
    return parser.parse_args()


def in_zones(host, zones):
    host = host.rstrip(".").lower()
    return any(host == zone or host.endswith("." + zone) for zone in zones)


def make_resolver(nameserver):
    import dns.resolver

    address, port = nameserver.rsplit(":", 1)
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [address]
    resolver.port = int(port)
    resolver.timeout = 2
    resolver.lifetime = 4
    return resolver


def install_test_connections(resolver, https_port, zones):
    """Makes urllib3 resolve through the test DNS and reach nginx's port instead of 443 for the test zones."""
    import dns.exception
    import urllib3.util.connection

    original = urllib3.util.connection.create_connection

    def create_connection(address, *args, **kwargs):
        host, port = address
        if not in_zones(host, zones):
            return original(address, *args, **kwargs)
        try:
            answer = resolver.resolve(host, "A")
        except dns.exception.DNSException as error:
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: {error}") from error
        target_port = https_port if port == 443 else port
        return original((answer[0].address, target_port), *args, **kwargs)

    urllib3.util.connection.create_connection = create_connection


def check(domain, resolver):
    from checkdmarc.mta_sts import check_mta_sts, mx_in_mta_sts_patterns
    from checkdmarc.smtp import get_mx_record_set
    from checkdmarc.smtp_tls_reporting import check_smtp_tls_reporting

    mta_sts = check_mta_sts(domain, resolver=resolver)
    tlsrpt = check_smtp_tls_reporting(domain, resolver=resolver)
    mx = get_mx_record_set(domain, resolver=resolver)
    mx_hosts = [host["hostname"].lower() for host in mx["hosts"]]
    uncovered = None
    if mta_sts["valid"]:
        patterns = mta_sts["policy"]["mx"]
        uncovered = [host for host in mx_hosts if not mx_in_mta_sts_patterns(host, patterns)]
    return {
        "domain": domain,
        "mta_sts": mta_sts,
        "tlsrpt": tlsrpt,
        "mx_hosts": mx_hosts,
        "mx_record_count": mx["record_count"],
        "null_mx": mx["null_mx"],
        "uncovered_mx_hosts": uncovered,
    }


def main():
    arguments = parse_arguments()
    zones = [zone.rstrip(".").lower() for zone in arguments.zone]
    os.environ["REQUESTS_CA_BUNDLE"] = arguments.ca_file
    try:
        import checkdmarc.mta_sts  # noqa: F401
    except ImportError as error:
        sys.stderr.write(
            f"checkdmarc_check.py: {error}; install it with: make deps "
            "(python3 -m venv .venv && .venv/bin/pip install checkdmarc==6.0.4)\n")
        return 3
    resolver = make_resolver(arguments.nameserver)
    install_test_connections(resolver, arguments.https_port, zones)
    for domain in arguments.domains:
        json.dump(check(domain, resolver), sys.stdout, sort_keys=True, default=str)
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
