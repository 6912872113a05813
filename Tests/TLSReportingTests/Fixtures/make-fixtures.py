#!/usr/bin/env python3
"""Writes the delivery fixtures of TLSReportingTests from google.json and microsoft.json: the gzip body an HTTPS
reporter posts, a Google-shaped report mail (multipart/report, application/tlsrpt+gzip in base64), a mail with a
.zip attachment in multipart/mixed, and a mail with no report part. Deterministic: gzip mtime 0, fixed
boundaries. Run it from this folder; commit what it writes."""
import gzip, io, zipfile, base64

google = open("google.json", "rb").read()
microsoft = open("microsoft.json", "rb").read()

with open("google.json.gz", "wb") as f:
    f.write(gzip.compress(google, mtime=0))

def wrap(data):
    text = base64.b64encode(data).decode()
    return "\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))

report_mail = (
    "From: noreply-smtp-tls-reporting@google.com\r\n"
    "To: 0123456789abcdef01234567@reports.example.net\r\n"
    "Subject: Report Domain: example.com Submitter: google.com Report-ID: <2026.11.01T00.00.00Z+example.com@google.com>\r\n"
    "TLS-Report-Domain: example.com\r\n"
    "TLS-Report-Submitter: google.com\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; boundary=\"000000000000a1b2c3\"; report-type=tlsrpt\r\n"
    "\r\n"
    "--000000000000a1b2c3\r\n"
    "Content-Type: text/plain; charset=\"UTF-8\"\r\n"
    "\r\n"
    "This is an aggregate TLS report from google.com\r\n"
    "--000000000000a1b2c3\r\n"
    "Content-Type: application/tlsrpt+gzip; \r\n"
    "\tname=\"google.com!example.com!1793491200!1793577599!001.json.gz\"\r\n"
    "Content-Disposition: attachment; \r\n"
    "\tfilename=\"google.com!example.com!1793491200!1793577599!001.json.gz\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n" + wrap(gzip.compress(google, mtime=0)) + "\r\n"
    "--000000000000a1b2c3--\r\n"
)
open("google-report.eml", "wb").write(report_mail.encode())

buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
    info = zipfile.ZipInfo("microsoft.com!example.com!1793491200!1793577599.json", date_time=(2026, 11, 2, 0, 0, 0))
    archive.writestr(info, microsoft, compress_type=zipfile.ZIP_DEFLATED)
zip_mail = (
    "From: tlsrpt-noreply@microsoft.com\r\n"
    "To: 0123456789abcdef01234567@reports.example.net\r\n"
    "Subject: Report Domain: example.com Submitter: microsoft.com\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"zzz\"\r\n"
    "\r\n"
    "--zzz\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "TLS report attached.\r\n"
    "--zzz\r\n"
    "Content-Type: application/zip\r\n"
    "Content-Disposition: attachment; filename=\"microsoft.com!example.com!1793491200!1793577599.zip\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n" + wrap(buffer.getvalue()) + "\r\n"
    "--zzz--\r\n"
)
open("microsoft-zip.eml", "wb").write(zip_mail.encode())

open("no-report.eml", "wb").write(
    b"From: a@example.org\r\nTo: b@example.net\r\nSubject: hello\r\nContent-Type: text/plain\r\n\r\nJust text.\r\n"
)
