#!/usr/bin/env python3
"""Writes the seed corpus (corpus/*.eml) for the MIME fuzz target: every message fixture of
Tests/MIMETests/Fixtures with report limits (first byte "0"), and small hand-made messages with tight limits (first
byte "1", see main.swift). Run it again after regenerating the fixtures.

    python3 Tests/Fuzz/MIMEFuzz/make-corpus.py
"""
import pathlib

here = pathlib.Path(__file__).resolve().parent
fixtures = here.parents[1] / "MIMETests" / "Fixtures"
corpus = here / "corpus"
corpus.mkdir(exist_ok=True)
for old in corpus.glob("*.eml"):
    old.unlink()


def write(name, data):
    (corpus / name).write_bytes(data)
    print(f"{name}: {len(data)} bytes")


for fixture in sorted(fixtures.glob("*.eml")):
    write(fixture.name, b"0" + fixture.read_bytes())

small = {
    "nested.eml": "Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: multipart/alternative;"
                  " boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n--a--\r\n",
    "rfc822.eml": "Content-Type: message/rfc822\r\n\r\nContent-Type: message/rfc822\r\n\r\nSubject: s\r\n\r\nbody",
    "digest.eml": "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\n1\n--d\n\nSubject: two\n\n2\n--d--\n",
    "qp.eml": "Content-Transfer-Encoding: quoted-printable\r\n\r\na=3Db =\r\nc=c3=a9 = x  \r\n=",
    "base64.eml": "Content-Type: application/tlsrpt+gzip; name*0*=utf-8''r%C3%A9; name*1=.gz\r\n"
                  "Content-Transfer-Encoding: base64\r\n\r\nH4sI\r\nAAAA\r\nAA\r\n",
    "folded.eml": "From a@b  Tue Dec  1 00:00:00 2020\nSubject: a\n b\n\tc\nContent-Type: text/plain (c (d)) ;"
                  " charset=\"x\\\"y\"\n\nbody\n",
    "unterminated.eml": "Content-Type: multipart/report; report-type=tlsrpt; boundary=\"u\"\r\n\r\npreamble\r\n"
                        "--u \t\r\n\r\ntext\r\n--u\r\nContent-Transfer-Encoding: base64\r\n\r\neyJhIjoxfQ",
}
for name, text in small.items():
    write(name, b"1" + text.encode())
