#!/usr/bin/env python3
"""Hands one message to an MTA on a loopback port, as a sending application would (plain SMTP, no AUTH).

    smtp_submit.py PORT SENDER RECIPIENT MESSAGE_FILE

Line ends are sent as CRLF whatever the file has (smtplib sends bytes as they are, and a bare LF is not SMTP).
Prints "MAIL <code>", "RCPT <code>" and "DATA <code> <text>"; for an accepted message also "QUEUED <id>" when the
reply names a queue ID (Postfix: "250 2.0.0 Ok: queued as 4Xy1Z2"). Exits 0 when the message was accepted, 1 when
a command was refused.

Only the standard library: runs with the system's python3.
"""
import re
import smtplib
import sys


def main():
    port, sender, recipient, path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    with open(path, "rb") as file:
        message = file.read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    with smtplib.SMTP("127.0.0.1", port, local_hostname="submitter.sender.test", timeout=10) as client:
        client.ehlo()
        code, _ = client.mail(sender)
        print("MAIL", code)
        if code != 250:
            return 1
        code, _ = client.rcpt(recipient)
        print("RCPT", code)
        if code not in (250, 251):
            return 1
        code, text = client.data(message)
        reply = text.decode(errors="replace")
        print("DATA", code, reply)
        if code != 250:
            return 1
        queued = re.search(r"queued as (\S+)", reply)
        if queued:
            print("QUEUED", queued.group(1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
