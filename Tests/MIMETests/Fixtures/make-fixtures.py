#!/usr/bin/env python3
"""Writes the MIME test fixtures: TLS-RPT report mail (RFC 8460 §5.3) as Google, Microsoft, a Postfix-fed pipe and
others send it, the payloads they carry, and one message built by Python's own `email` package. Deterministic
(gzip and zip timestamps fixed), so running it again rewrites the same bytes; commit its output.

    python3 Tests/MIMETests/Fixtures/make-fixtures.py
"""
import base64
import email.policy
import gzip
import io
import json
import pathlib
import quopri
import zipfile
from email.message import EmailMessage

HERE = pathlib.Path(__file__).resolve().parent
START, END = 1606780800, 1606867199  # 2020-12-01T00:00:00Z .. 2020-12-01T23:59:59Z


def report(organization, contact, report_id, successes, failures=0):
    policy = {
        "policy": {
            "policy-type": "sts",
            "policy-string": ["version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 604800"],
            "policy-domain": "example.com",
        },
        "summary": {"total-successful-session-count": successes, "total-failure-session-count": failures},
    }
    if failures:
        policy["failure-details"] = [{
            "result-type": "certificate-expired", "sending-mta-ip": "2001:db8:abcd:12::1",
            "receiving-mx-hostname": "mail.example.com", "failed-session-count": failures,
        }]
    return json.dumps({
        "organization-name": organization,
        "date-range": {"start-datetime": "2020-12-01T00:00:00Z", "end-datetime": "2020-12-01T23:59:59Z"},
        "contact-info": contact,
        "report-id": report_id,
        "policies": [policy],
    }, ensure_ascii=False, separators=(",", ":")).encode()


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def b64(data, width=76):
    text = base64.b64encode(data).decode()
    return "\n".join(text[i:i + width] for i in range(0, len(text), width)) + "\n"


def write(name, data):
    (HERE / name).write_bytes(data)
    print(f"{name}: {len(data)} bytes")


def crlf(text):
    return text.replace("\n", "\r\n").encode()


google_json = report("Google Inc.", "smtp-tls-reporting@google.com", "2020-12-01T00:00:00Z_example.com", 34)
google_gz = gz(google_json)
write("google.json.gz", google_gz)
google_name = f"google.com!example.com!{START}!{END}!001.json.gz"
google = f"""Delivered-To: tlsrpt@example.com
Received: by 2002:a05:6402:1c8:0:0:0:0 with SMTP id x8csp1234567edr;
        Tue, 1 Dec 2020 04:11:22 -0800 (PST)
Return-Path: <noreply-smtp-tls-reporting@google.com>
Received: from mail-sor-f73.google.com (mail-sor-f73.google.com. [209.85.220.73])
        by mx.google.com with SMTPS id a1sor123456ejb.12.2020.12.01.04.11.22
        for <tlsrpt@example.com>
        (Google Transport Security);
        Tue, 01 Dec 2020 04:11:22 -0800 (PST)
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;
        d=google.com; s=20161025;
        h=mime-version:message-id:date:subject:from:to;
        bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
        b=ZmFrZSBzaWduYXR1cmUgZm9yIGEgdGVzdCBmaXh0dXJl
MIME-Version: 1.0
TLS-Report-Domain: example.com
TLS-Report-Submitter: google.com
Message-ID: <000000000000a1b2c3d4e5f60718@google.com>
Date: Tue, 01 Dec 2020 04:11:22 -0800
Subject: Report Domain: example.com Submitter: google.com Report-ID: <2020.12.01T00.00.00Z+example.com@google.com>
From: noreply-smtp-tls-reporting@google.com
To: tlsrpt@example.com
Content-Type: multipart/report; boundary="000000000000b2c3d4e5f6a7b8c9"; report-type=tlsrpt

--000000000000b2c3d4e5f6a7b8c9
Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes

This is an aggregate TLS report from google.com

--000000000000b2c3d4e5f6a7b8c9
Content-Type: application/tlsrpt+gzip;\x20
\tname="{google_name}"
Content-Disposition: attachment;\x20
\tfilename="{google_name}"
Content-Transfer-Encoding: base64

{b64(google_gz)}--000000000000b2c3d4e5f6a7b8c9--
"""
write("google-tlsrpt.eml", crlf(google))
# The same message as a local delivery agent's pipe hands it over: mbox envelope line, bare LF line endings.
write("lf-only.eml", ("From noreply-smtp-tls-reporting@google.com  Tue Dec  1 12:11:23 2020\n" + google).encode())

microsoft_json = report("Microsoft Corporation", "tlsrpt-noreply@microsoft.com", "133485312000000000+example.com",
                        120, failures=2)
microsoft_gz = gz(microsoft_json)
write("microsoft.json.gz", microsoft_gz)
microsoft_name = f"microsoft.com!example.com!{START}!{END}.json.gz"
microsoft = f"""Received: from DM6NAM12HT123.mail.protection.outlook.com (2603:10b6:5:1f0::23)
 by DM6PR10MB1234.namprd10.prod.outlook.com with HTTPS; Wed, 2 Dec 2020
 10:01:02 +0000
From: TLS Report <tlsrpt-noreply@microsoft.com>
To: <tlsrpt@example.com>
Subject: Report Domain: example.com Submitter: microsoft.com Report-ID:
 <133485312000000000+example.com>
Thread-Topic: Report Domain: example.com Submitter: microsoft.com Report-ID:
 <133485312000000000+example.com>
Date: Wed, 2 Dec 2020 10:01:01 +0000
Message-ID: <DM6PR10MB1234ABCD@DM6PR10MB1234.namprd10.prod.outlook.com>
Content-Language: en-US
X-MS-Has-Attach: yes
TLS-Report-Domain: example.com
TLS-Report-Submitter: microsoft.com
Content-Type: multipart/report; report-type="tlsrpt";
\tboundary="_004_DM6PR10MB1234ABCD_"
MIME-Version: 1.0

--_004_DM6PR10MB1234ABCD_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

This is an aggregate TLS report from Microsoft. It covers the period from=
 2020-12-01T00:00:00Z to 2020-12-01T23:59:59Z.

--_004_DM6PR10MB1234ABCD_
Content-Type: application/tlsrpt+gzip;
\tname="{microsoft_name}"
Content-Description: {microsoft_name}
Content-Disposition: attachment;
\tfilename="{microsoft_name}"; size={len(microsoft_gz)};
\tcreation-date="Wed, 02 Dec 2020 10:01:01 GMT";
\tmodification-date="Wed, 02 Dec 2020 10:01:01 GMT"
Content-Transfer-Encoding: base64

{b64(microsoft_gz)}
--_004_DM6PR10MB1234ABCD_--
"""
write("microsoft-tlsrpt.eml", crlf(microsoft))

qp_json = report("Exämple Mäil Sérvices", "mailto:tlsrpt@mx.example.net", "2020-12-01-exämple", 7)
write("report.json", qp_json)
qp = f"""Return-Path: <tlsrpt@mx.example.net>
From: tlsrpt@mx.example.net
To: tlsrpt@example.com
Subject: Report Domain: example.com Submitter: mx.example.net Report-ID: <2020-12-01-example@mx.example.net>
Date: Tue, 1 Dec 2020 23:59:59 +0100
Message-ID: <2020-12-01-example@mx.example.net>
MIME-Version: 1.0
TLS-Report-Domain: example.com
TLS-Report-Submitter: mx.example.net
Content-Type: multipart/report; report-type=tlsrpt; boundary="qp-report-b1"

--qp-report-b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 7bit

This is an aggregate TLS report from mx.example.net.
--qp-report-b1
Content-Type: application/tlsrpt+json; charset=utf-8
Content-Disposition: attachment;
 filename="mx.example.net!example.com!{START}!{END}!1.json"
Content-Transfer-Encoding: quoted-printable

{quopri.encodestring(qp_json).decode()}
--qp-report-b1--
"""
write("quoted-printable-json.eml", crlf(qp))

zip_buffer = io.BytesIO()
with zipfile.ZipFile(zip_buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
    info = zipfile.ZipInfo(f"example.org!example.com!{START}!{END}.json", date_time=(2020, 12, 2, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, report("Example Org", "postmaster@example.org", "example.org-20201201", 3))
zip_data = zip_buffer.getvalue()
write("report.zip", zip_data)
mixed = f"""From: Postmaster <postmaster@example.org>
To: tlsrpt@example.com
Subject: TLS report for example.com
Date: Wed, 02 Dec 2020 00:05:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=simple-boundary

--simple-boundary
Content-Type: text/plain

The attached archive contains the TLS report for example.com.

--simple-boundary
Content-Type: application/zip; name=report.zip
Content-Disposition: attachment; filename=report.zip
Content-Transfer-Encoding: base64

{b64(zip_data)}
--simple-boundary--
"""
write("zip-in-mixed.eml", crlf(mixed))

forwarded_inner = google.split("MIME-Version: 1.0\n", 1)[1]
forwarded = f"""From: Postmaster <postmaster@example.com>
To: tlsrpt@example.com
Subject: Fwd: Report Domain: example.com Submitter: google.com
Date: Wed, 02 Dec 2020 09:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fwd-outer"

--fwd-outer
Content-Type: text/plain; charset=us-ascii

Forwarding yesterday's report.

--fwd-outer
Content-Type: message/rfc822
Content-Disposition: attachment; filename="report.eml"

MIME-Version: 1.0
{forwarded_inner}
--fwd-outer--
"""
write("forwarded-rfc822.eml", crlf(forwarded))

folded_gz = gz(report("Example Org", "mailto:tlsrpt@example.org", "example.org-résumé", 12))
write("resume.json.gz", folded_gz)
boundary = "----=_Part_0_1234567.1606824005000"
folded = f"""Return-Path: <tlsrpt@mx.example.org>
Received: from mx.example.org (mx.example.org [192.0.2.25])
\tby mail.example.com (Postfix) with ESMTPS id 4CmF2w1x2z
\tfor <tlsrpt@example.com>; Tue,  1 Dec 2020 12:00:05 +0000 (UTC)
From: "Example Org TLS
 Reporting" <tlsrpt@mx.example.org>
To: tlsrpt@example.com
Subject: Report Domain: example.com
 Submitter: example.org
 Report-ID: <5fc6b2d5.1c69fb81@example.org>
Date: Tue, 1 Dec 2020 12:00:05 +0000 (UTC)
MIME-Version: 1.0
Content-Type: multipart/report;\x20
\treport-type=tlsrpt;\x20
\tboundary="{boundary}"

This is a multi-part message in MIME format.
--{boundary}  \t
Content-Type: text/plain; charset=UTF-8 (plain text)
Content-Transfer-Encoding: 8bit

Rapport agrégé TLS pour example.com.
--{boundary}\x20
Content-Type: application/tlsrpt+gzip;
 name*0*=UTF-8''example.org%21example.com%21{START}%21{END};
 name*1*=%21r%C3%A9sum%C3%A9.json.gz
Content-Disposition: attachment;
 filename*0*=UTF-8''example.org%21example.com%21{START}%21{END};
 filename*1*=%21r%C3%A9sum%C3%A9.json.gz;
 filename="example.org!example.com!{START}!{END}!resume.json.gz"
Content-Transfer-Encoding: base64

{b64(folded_gz)}
--{boundary}--\t
This is the epilogue; readers ignore it.
--{boundary}--
"""
write("rfc2231-folded.eml", crlf(folded))

# Python's email package (EmailPolicy, RFC 2231 for the non-ASCII file name, CRLF), as a script reporter writes it.
python_gz = gz(report("Example Net Scripts", "mailto:tlsrpt@example.net", "python-2020-12-01", 5))
write("python.json.gz", python_gz)
message = EmailMessage(policy=email.policy.SMTP)
message["From"] = "TLS Reporting <tlsrpt@example.net>"
message["To"] = "tlsrpt@example.com"
message["Subject"] = "Report Domain: example.com Submitter: example.net Report-ID: <python-2020-12-01@example.net>"
message["Date"] = "Tue, 01 Dec 2020 12:00:00 +0000"
message["Message-ID"] = "<python-2020-12-01@example.net>"
message["TLS-Report-Domain"] = "example.com"
message["TLS-Report-Submitter"] = "example.net"
message.set_content("This is an aggregate TLS report from example.net.\n")
message.add_attachment(python_gz, maintype="application", subtype="tlsrpt+gzip",
                       filename=f"example.net!example.com!{START}!{END}!rapport-été.json.gz")
message.set_type("multipart/report")
message.set_param("report-type", "tlsrpt")
message.set_boundary("===============0123456789012345678==")
write("python-email.eml", message.as_bytes())
