#!/usr/bin/env python3
"""Writes the seed corpus (corpus/*) for the TLS report fuzz target: the Google- and Microsoft-shaped reports of
Tests/TLSReportingTests/Fixtures as they are, gzip-compressed (as posted, RFC 8460 §5.4) and zipped (as Microsoft
attaches them), and small hand-made reports with the variants real senders write (mx-host as a string, dates
without a zone or with offsets and fractions, contact-info null, a numeric report-id, missing members, a lone
object where an array belongs, unknown policy and result types, escapes and NUL) and near-misses (a negative or
fractional count, an end before the start, a duplicate key with control characters). Deterministic (gzip mtime 0, fixed zip dates). Run it again after
changing the fixtures:

    python3 Tests/Fuzz/TLSReportFuzz/make-corpus.py
"""
import gzip
import io
import json
import pathlib
import zipfile

here = pathlib.Path(__file__).resolve().parent
fixtures = here.parents[1] / "TLSReportingTests" / "Fixtures"
corpus = here / "corpus"
corpus.mkdir(exist_ok=True)
for old in corpus.iterdir():
    old.unlink()


def write(name, data):
    if isinstance(data, str):
        data = data.encode()
    (corpus / name).write_bytes(data)
    print(f"{name}: {len(data)} bytes")


def zipped(name, data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 11, 2, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


google = (fixtures / "google.json").read_bytes()
microsoft = (fixtures / "microsoft.json").read_bytes()
write("google.json", google)
write("microsoft.json", microsoft)
write("google.json.gz", gzip.compress(google, mtime=0))
write("microsoft.json.gz", gzip.compress(microsoft, mtime=0))
write("microsoft.zip", zipped("microsoft.com!example.com!1793491200!1793577599.json", microsoft))


def report(policies, **members):
    document = {
        "organization-name": "Example Sender",
        "date-range": {"start-datetime": "2026-11-01T00:00:00Z", "end-datetime": "2026-11-01T23:59:59Z"},
        "contact-info": "tlsrpt@sender.example",
        "report-id": "r1",
        "policies": policies,
    }
    document.update(members)
    return json.dumps(document, separators=(",", ":"))


sts = {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce", "mx: mx.example.com",
                                               "max_age: 604800"], "policy-domain": "example.com",
       "mx-host": "mx.example.com"}
summary = {"total-successful-session-count": 5, "total-failure-session-count": 2}
failure = {"result-type": "certificate-expired", "sending-mta-ip": "2001:db8::25", "receiving-mx-hostname":
           "mx.example.com", "receiving-mx-helo": "mx.example.com", "receiving-ip": "192.0.2.1",
           "failed-session-count": 2, "additional-information": "https://sender.example/tlsrpt",
           "failure-reason-code": "X509_V_ERR_CERT_HAS_EXPIRED"}

write("mx-host-string.json", report([{"policy": sts, "summary": summary, "failure-details": [failure]}]))
write("tolerant.json", report(
    {"policy": {"policy-type": "future-type", "policy-domain": "Example.COM"},
     "failure-details": [{"result-type": "some-new-result", "failed-session-count": 7}]},
    **{"contact-info": None, "report-id": 12345,
       "date-range": {"start-datetime": "2026-11-01t00:00:00.000+01:00", "end-datetime": "2026-11-01 23:59:59.5z"}}))
write("no-policy-found.json", report([{"policy": {"policy-type": "no-policy-found", "policy-domain": "example.org"},
                                       "summary": {"total-successful-session-count": 9,
                                                   "total-failure-session-count": 0}}]))
write("tlsa.json", report([{"policy": {"policy-type": "tlsa", "policy-string": ["3 1 1 0123456789abcdef"],
                                       "policy-domain": "example.net", "mx-host": ["*.example.net"]},
                            "summary": None, "failure-details": None}]))
write("empty-strings.json", report([{"policy": {"policy-type": "sts", "policy-domain": " example.com ",
                                                "policy-string": "", "mx-host": ""},
                                     "summary": {"total-successful-session-count": 0,
                                                 "total-failure-session-count": 1},
                                     "failure-details": [{"result-type": "sts-policy-fetch-error",
                                                          "sending-mta-ip": "", "receiving-ip": "",
                                                          "failed-session-count": 1}]}],
                                   **{"contact-info": ""}))
write("escapes.json", '{"organization-name":"a\\u0000b\\ud83d\\ude00\\"\\\\","report-id":"\\u00e9",'
      '"date-range":{"start-datetime":"2026-02-28T23:59:60-12:00","end-datetime":"2028-02-29T00:00:00+14:00"},'
      '"policies":[]}')
write("several-policies.json", report([
    {"policy": sts, "summary": summary, "failure-details": [failure, dict(failure, **{"result-type": "dane-required"})]},
    {"policy": dict(sts, **{"policy-domain": "b.example"}), "summary": summary},
    {"policy": dict(sts, **{"policy-domain": "c.example"}), "summary": summary},
]))
write("negative-count.json", report([{"policy": sts, "summary": {"total-successful-session-count": -1}}]))
write("fractional-count.json", report([{"policy": sts, "summary": {"total-successful-session-count": 1.5}}]))
write("ends-before-start.json", report([], **{"date-range": {"start-datetime": "2026-11-02T00:00:00Z",
                                                            "end-datetime": "2026-11-01T00:00:00Z"}}))
write("huge-count.json", report([{"policy": sts, "summary": {"total-successful-session-count": 1000000000000,
                                                             "total-failure-session-count": 1000}}]))
write("duplicate-key.json", '{"organization-name":"x","a\\u001b[31m\\n":1,"a\\u001b[31m\\n":2}')
