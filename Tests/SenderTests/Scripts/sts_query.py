#!/usr/bin/env python3
"""Runs postfix-mta-sts-resolver's real fetch logic against the test DNS and a policy edge on a free port.

postfix-mta-sts-resolver (PyPI, 1.5.1) is what Postfix uses for MTA-STS. Its `STSResolver.resolve` looks up
`_mta-sts.<domain>` TXT with aiodns and fetches `https://mta-sts.<domain>/.well-known/mta-sts.txt` with aiohttp,
always on port 443. Everything it does is kept; only three things are pointed at the test environment:

1. DNS: the resolver's `_resolver` (an `aiodns.DNSResolver` on /etc/resolv.conf) is replaced by one that asks
   the test Unbound, as RFC-NOTES.md §6.1 describes.
2. The HTTPS connection: aiohttp 3.14 with aiodns 4 resolves host names with its `AsyncResolver` (c-ares), not
   `socket.getaddrinfo`, so patching `socket.getaddrinfo` would have no effect. Instead the connector's default
   resolver is replaced by one that resolves `mta-sts.<domain>` through the same Unbound (so the CNAME to the
   edge and the edge's A record come from real DNS) and, for names inside the test zones only, turns port 443
   into the edge's port. Nothing binds port 443 and /etc/hosts is untouched.
3. Trust: aiohttp builds its verifying SSL context with `ssl.create_default_context()` when it is imported, so
   `SSL_CERT_FILE` is set to the test CA before the import.

Usage: sts_query.py --nameserver 127.0.0.1:PORT --edge-port PORT --zone sender.test --ca-file CA.pem
                    DOMAIN [KNOWN_VERSION]
Prints one JSON object: {"status": "VALID", "policy_id": "...", "policy": {...}} (policy_id and policy are
null unless VALID).
"""

import argparse
import asyncio
import json
import logging
import os
import socket
import sys


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nameserver", required=True, help="recursive resolver, host:port")
    parser.add_argument("--edge-port", required=True, type=int, help="the edge's HTTPS port (stands in for 443)")
    parser.add_argument("--zone", action="append", required=True, help="names under this zone go to the edge")
    parser.add_argument("--ca-file", required=True, help="PEM file of the CA that signed the edge's certificates")
    parser.add_argument("--timeout", type=float, default=5, help="resolver timeout in seconds")
    parser.add_argument("domain")
    parser.add_argument("known_version", nargs="?", default=None)
    return parser.parse_args()


def in_zones(host, zones):
    host = host.rstrip(".").lower()
    return any(host == zone or host.endswith("." + zone) for zone in zones)


def install_edge_resolver(aiohttp, nameserver, edge_port, zones, timeout):
    """Makes every aiohttp connector resolve through the test DNS and reach the edge instead of port 443."""
    from aiohttp.abc import AbstractResolver
    from aiohttp.resolver import AsyncResolver

    class EdgeResolver(AbstractResolver):
        def __init__(self, loop=None, *args, **kwargs):
            self._inner = AsyncResolver(loop=loop, nameservers=[nameserver], timeout=timeout)

        async def resolve(self, host, port=0, family=socket.AF_INET):
            results = await self._inner.resolve(host, port, family)
            if port == 443 and in_zones(host, zones):
                for result in results:
                    result["port"] = edge_port
            logging.getLogger("sts_query").debug("resolved %s:%s to %s", host, port, results)
            return results

        async def close(self):
            await self._inner.close()

    aiohttp.connector.DefaultResolver = EdgeResolver


def main():
    arguments = parse_arguments()
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG, format="%(name)s %(levelname)s %(message)s")
    zones = [zone.rstrip(".").lower() for zone in arguments.zone]

    # Before aiohttp is imported: its verifying context is created at import time (aiohttp/connector.py).
    os.environ["SSL_CERT_FILE"] = arguments.ca_file
    try:
        import aiodns
        import aiohttp
        import aiohttp.connector
        from postfix_mta_sts_resolver.resolver import STSResolver
    except ImportError as error:
        sys.stderr.write(
            f"sts_query.py: {error}; install it with: make deps "
            "(python3 -m venv .venv && .venv/bin/pip install postfix-mta-sts-resolver==1.5.1)\n")
        return 3

    install_edge_resolver(aiohttp, arguments.nameserver, arguments.edge_port, zones, arguments.timeout)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        resolver = STSResolver(loop=loop, timeout=arguments.timeout)
        if not hasattr(resolver, "_resolver"):
            sys.stderr.write("sts_query.py: STSResolver has no _resolver attribute; the package changed\n")
            return 4
        resolver._resolver = aiodns.DNSResolver(
            nameservers=[arguments.nameserver], timeout=arguments.timeout, loop=loop)
        status, details = loop.run_until_complete(resolver.resolve(arguments.domain, arguments.known_version))
    finally:
        loop.close()

    policy_id, policy = details if details is not None else (None, None)
    json.dump({"status": status.name, "policy_id": policy_id, "policy": policy}, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
