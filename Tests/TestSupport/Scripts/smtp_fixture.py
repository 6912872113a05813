#!/usr/bin/env python3
"""Loopback SMTP servers for the SMTP client's tests, built on aiosmtpd (pinned in the Makefile's PYTHON_PACKAGES).

    smtp_fixture.py CONFIG.json

CONFIG: {"parent_pid": N, "ready_file": PATH, "record_directory": DIR, "servers": [FIXTURE, ...]} where a FIXTURE is
    name               label; also the file name prefix of what it records
    hostname           the name in the greeting and the EHLO reply
    certificate, key   PEM files; with them the server offers STARTTLS
    legacy_tls_only    true: the TLS context speaks only TLS 1.0 and 1.1 (OpenSSL security level 0)
    require_starttls   true: refuse everything but EHLO, NOOP, QUIT and STARTTLS before TLS (530)
    user, password     AUTH PLAIN/LOGIN credentials that succeed; auth_required: refuse MAIL before AUTH
    exclude_mechanisms AUTH mechanisms not to offer, e.g. ["PLAIN"]
    recipient_replies  {"address": "550 5.1.1 No such user"}: RCPT TO replies for these addresses
    data_reply         the reply to the end of the message instead of "250 2.0.0 OK queued"
    stall_ehlo         true: never answer EHLO (a server that hangs after its greeting)
    greeting           a refusal to greet with instead of 220, e.g. "554 5.3.2 No SMTP service here"; such a
                       server is not aiosmtpd: it records each command line, answers QUIT with 221 and others
                       with 503 (RFC 5321 §3.1: after a 554 greeting only QUIT is expected)

Each server listens on 127.0.0.1 with a port the kernel picks; when all are up, READY_FILE is written atomically
as {"name": port}. Every accepted message is written to RECORD_DIRECTORY/<name>-<n>.json (envelope, options,
AUTH mechanism and login, whether TLS was on, the content in base64 as received after dot-unstuffing), and every
TLS server name (SNI), MAIL FROM and AUTH attempt is appended to <name>-events.log, so a test can check what the
client sent and what it did not send.
The process exits when its parent (the test runner) is gone, so a crashed test run leaves nothing behind.
"""
import asyncio
import base64
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, fixture, record_directory):
        self.fixture = fixture
        self.record_directory = record_directory
        self.count = 0

    def event(self, text):
        path = os.path.join(self.record_directory, self.fixture["name"] + "-events.log")
        with open(path, "a", encoding="utf-8") as log:
            log.write(text + "\n")

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if self.fixture.get("stall_ehlo"):
            await asyncio.sleep(3600)
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.event("MAIL " + address + (" tls" if session.ssl else " plaintext"))
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.fixture.get("recipient_replies", {}).get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        auth = session.auth_data if isinstance(session.auth_data, dict) else {}
        record = {
            "mail_from": envelope.mail_from,
            "mail_options": envelope.mail_options,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "auth_mechanism": auth.get("mechanism"),
            "auth_login": auth.get("login"),
            "content": base64.b64encode(envelope.original_content).decode("ascii"),
        }
        path = os.path.join(self.record_directory, "%s-%d.json" % (self.fixture["name"], self.count))
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out)
        os.rename(path + ".tmp", path)
        return self.fixture.get("data_reply", "250 2.0.0 OK queued")


class RefusingServer(asyncio.Protocol):
    """Greets with the fixture's refusal and records what the client sends after it."""

    def __init__(self, fixture, handler):
        self.fixture = fixture
        self.handler = handler
        self.buffer = b""

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.fixture["greeting"].encode("utf-8") + b"\r\n")

    def data_received(self, data):
        self.buffer += data
        while b"\r\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\r\n", 1)
            self.handler.event("COMMAND " + line.decode("utf-8", "replace"))
            if line.upper() == b"QUIT":
                self.transport.write(b"221 2.0.0 Bye\r\n")
                self.transport.close()
            else:
                self.transport.write(b"503 5.5.1 No SMTP service here\r\n")


def authenticator_for(fixture, handler):
    def authenticate(server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode("utf-8") if isinstance(auth_data, LoginPassword) else None
        handler.event("AUTH %s %s" % (mechanism, login))
        if login == fixture.get("user") and auth_data.password.decode("utf-8") == fixture.get("password"):
            return AuthResult(success=True, auth_data={"mechanism": mechanism, "login": login})
        return AuthResult(success=False, handled=False)
    return authenticate


def tls_context(fixture, handler):
    if not fixture.get("certificate"):
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(fixture["certificate"], fixture["key"])
    context.sni_callback = lambda connection, name, context: handler.event("SNI %s" % name)
    if fixture.get("legacy_tls_only"):
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = ssl.TLSVersion.TLSv1_1
    return context


async def serve(config):
    loop = asyncio.get_running_loop()
    ports = {}
    servers = []
    for fixture in config["servers"]:
        handler = Handler(fixture, config["record_directory"])
        options = dict(
            hostname=fixture.get("hostname", "fixture.test"),
            tls_context=tls_context(fixture, handler),
            require_starttls=fixture.get("require_starttls", False),
            enable_SMTPUTF8=True,
            auth_required=fixture.get("auth_required", False),
            auth_require_tls=True,
            auth_exclude_mechanism=fixture.get("exclude_mechanisms", []),
            loop=loop,
        )
        if fixture.get("user"):
            options["authenticator"] = authenticator_for(fixture, handler)

        def factory(handler=handler, options=options, fixture=fixture):
            if fixture.get("greeting"):
                return RefusingServer(fixture, handler)
            return SMTP(handler, **options)

        server = await loop.create_server(factory, host="127.0.0.1", port=0)
        servers.append(server)
        ports[fixture["name"]] = server.sockets[0].getsockname()[1]
    with open(config["ready_file"] + ".tmp", "w", encoding="utf-8") as ready:
        json.dump(ports, ready)
    os.rename(config["ready_file"] + ".tmp", config["ready_file"])
    while os.getppid() == config["parent_pid"]:
        await asyncio.sleep(0.2)


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        config = json.load(file)
    asyncio.run(serve(config))


if __name__ == "__main__":
    main()
