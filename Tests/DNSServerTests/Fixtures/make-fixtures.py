#!/usr/bin/env python3
"""Writes QueryFixtures.swift: hand-made DNS queries (well-formed and malformed) as hex, and two expected responses
built by a compressing encoder of its own, so the Swift responder is checked against an independent encoder.

    cd Tests/DNSServerTests/Fixtures
    python3 make-fixtures.py > QueryFixtures.swift && swift format format --in-place QueryFixtures.swift
"""
import struct

APEX = "sts.platform.example"
A, NS, SOA, TXT, AAAA, OPT, IXFR, AXFR, ANY = 1, 2, 6, 16, 28, 41, 251, 252, 255
IN, CH, ANYCLASS = 1, 3, 255


def name(text):
    return b"".join(bytes([len(label)]) + label.encode() for label in text.split(".") if label) + b"\0"


def header(id, flags, qd=1, an=0, ns=0, ar=0):
    return struct.pack(">HHHHHH", id, flags, qd, an, ns, ar)


def question(qname, qtype, qclass=IN):
    return name(qname) + struct.pack(">HH", qtype, qclass)


def opt(payload=1232, version=0, do=False, options=b"", owner=b"\0"):
    ttl = (version << 16) | (0x8000 if do else 0)
    return owner + struct.pack(">HHIH", OPT, payload, ttl, len(options)) + options


def query(id, qname, qtype, qclass=IN, flags=0x0100, edns=None):
    additional = [] if edns is None else [edns]
    return header(id, flags, 1, 0, 0, len(additional)) + question(qname, qtype, qclass) + b"".join(additional)


class Writer:
    """A DNS encoder with name compression (RFC 1035 section 4.1.4), independent of the Swift one."""

    def __init__(self):
        self.data = b""
        self.offsets = {}

    def name(self, text, compress=True):
        labels = [label for label in text.split(".") if label]
        for start in range(len(labels)):
            suffix = ".".join(labels[start:]).lower()
            if compress and suffix in self.offsets:
                self.data += struct.pack(">H", 0xC000 | self.offsets[suffix])
                return
            if suffix not in self.offsets and len(self.data) < 0x4000:
                self.offsets[suffix] = len(self.data)
            self.data += bytes([len(labels[start])]) + labels[start].encode()
        self.data += b"\0"

    def record(self, owner, rtype, ttl, rdata_writer):
        self.name(owner)
        self.data += struct.pack(">HHI", rtype, IN, ttl)
        length_at = len(self.data)
        self.data += b"\0\0"
        rdata_writer(self)
        length = len(self.data) - length_at - 2
        self.data = self.data[:length_at] + struct.pack(">H", length) + self.data[length_at + 2:]


fixtures = []


def add(identifier, doc, data):
    fixtures.append((identifier, doc, data.hex()))


add("txtQuery", "`abc123._mta-sts.<apex> TXT`, RD set, no EDNS.", query(0x1001, "abc123._mta-sts." + APEX, TXT))
add("txtQueryMixedCase", "`AbC123._MTA-STS.Sts.Platform.Example TXT`, RD clear, no EDNS: the case must come back as sent.",
    query(0x1002, "AbC123._MTA-STS.Sts.Platform.Example", TXT, flags=0x0000))
add("tlsrptQuery", "`abc123._smtp._tls.<apex> TXT` with EDNS (1232).",
    query(0x1003, "abc123._smtp._tls." + APEX, TXT, edns=opt()))
add("bigTXTWithoutEDNS", "`big._smtp._tls.<apex> TXT` without EDNS: the answer needs more than 512 bytes.",
    query(0x1004, "big._smtp._tls." + APEX, TXT))
add("bigTXTWithEDNS1232", "`big._smtp._tls.<apex> TXT` with EDNS 1232: the answer fits.",
    query(0x1005, "big._smtp._tls." + APEX, TXT, edns=opt(1232)))
add("bigTXTWithEDNS4096", "`big._smtp._tls.<apex> TXT` asking for 4096 bytes with a tiny limit configured.",
    query(0x1006, "big._smtp._tls." + APEX, TXT, edns=opt(4096)))
add("bigTXTWithEDNS100", "`big._smtp._tls.<apex> TXT` advertising 100 bytes, which counts as 512 (RFC 6891 6.2.5).",
    query(0x1007, "big._smtp._tls." + APEX, TXT, edns=opt(100)))
add("soaQuery", "`<apex> SOA` with EDNS and the DO bit.", query(0x1008, APEX, SOA, edns=opt(do=True)))
add("nsQuery", "`<apex> NS`.", query(0x1009, APEX, NS))
add("anyApexQuery", "`<apex> ANY`.", query(0x100A, APEX, ANY))
add("anyLeafQuery", "`abc123._mta-sts.<apex> ANY`.", query(0x100B, "abc123._mta-sts." + APEX, ANY))
add("aAtLeafQuery", "`abc123._mta-sts.<apex> A`: the name exists, the type does not (NODATA).",
    query(0x100C, "abc123._mta-sts." + APEX, A))
add("missingLeafQuery", "`missing._mta-sts.<apex> TXT`: no such label (NXDOMAIN).",
    query(0x100D, "missing._mta-sts." + APEX, TXT))
add("mtaSTSNonTerminalQuery", "`_mta-sts.<apex> TXT`: an empty non-terminal.", query(0x100E, "_mta-sts." + APEX, TXT))
add("tlsNonTerminalQuery", "`_tls.<apex> A`: an empty non-terminal.", query(0x100F, "_tls." + APEX, A))
add("smtpTLSNonTerminalQuery", "`_smtp._tls.<apex> TXT`: an empty non-terminal.",
    query(0x1010, "_smtp._tls." + APEX, TXT))
add("belowLeafQuery", "`x.abc123._mta-sts.<apex> TXT`: below a leaf (NXDOMAIN).",
    query(0x1011, "x.abc123._mta-sts." + APEX, TXT))
add("otherNameQuery", "`www.<apex> A`: not a name of the zone (NXDOMAIN).", query(0x1012, "www." + APEX, A))
add("outsideZoneQuery", "`example.com A`: outside the zone (REFUSED).", query(0x1013, "example.com", A))
add("parentZoneQuery", "`platform.example SOA`: the parent, outside the zone (REFUSED).",
    query(0x1014, "platform.example", SOA))
add("axfrQuery", "`<apex> AXFR`.", query(0x1015, APEX, AXFR, flags=0x0000))
ixfr = header(0x1016, 0x0000, 1, 0, 1, 0) + question(APEX, IXFR)
ixfr += b"\xc0\x0c" + struct.pack(">HHIH", SOA, IN, 0, 22) + b"\0\0" + struct.pack(">IIIII", 1, 0, 0, 0, 0)
add("ixfrQuery", "`<apex> IXFR` with the client's SOA (serial 1) in the authority section.", ixfr)
add("notifyQuery", "A NOTIFY (opcode 4) for the apex SOA.", query(0x1017, APEX, SOA, flags=0x2000))
add("updateQuery", "An UPDATE (opcode 5) with EDNS.", query(0x1018, APEX, SOA, flags=0x2800, edns=opt()))
add("ednsVersion1Query", "`abc123._mta-sts.<apex> TXT` with EDNS version 1.",
    query(0x1019, "abc123._mta-sts." + APEX, TXT, edns=opt(version=1)))
two = header(0x101A, 0x0100, 1, 0, 0, 2) + question("abc123._mta-sts." + APEX, TXT) + opt() + opt(4096)
add("twoOPTQuery", "Two OPT records in the additional section.", two)
misplaced = header(0x101B, 0x0100, 1, 1, 0, 0) + question(APEX, SOA) + opt()
add("optInAnswerQuery", "An OPT record in the answer section.", misplaced)
add("optNotRootQuery", "An OPT record owned by `x.` instead of the root.",
    query(0x101C, APEX, SOA, edns=opt(owner=b"\x01x\0")))
add("optBadOptionsQuery", "An OPT whose option claims 10 bytes of data but has 2.",
    query(0x101D, APEX, SOA, edns=opt(options=struct.pack(">HH", 10, 10) + b"ab")))
add("optUnknownOptionsQuery", "`abc123._mta-sts.<apex> TXT` with EDNS options nobody implements here (65001, a COOKIE).",
    query(0x101E, "abc123._mta-sts." + APEX, TXT,
          edns=opt(options=struct.pack(">HH", 65001, 3) + b"abc" + struct.pack(">HH", 10, 8) + b"\x01" * 8)))
two_questions = header(0x101F, 0x0100, 2, 0, 0, 0) + question(APEX, SOA) + question(APEX, NS)
add("twoQuestionsQuery", "QDCOUNT 2.", two_questions)
add("noQuestionQuery", "QDCOUNT 0 with EDNS.", header(0x1020, 0x0100, 0, 0, 0, 1) + opt())
add("truncatedQuestionQuery", "The question name stops in the middle of a label.",
    header(0x1021, 0x0100) + b"\x06abc123\x08_mta")
add("pointerQuestionQuery", "The question name is a compression pointer into the header.",
    header(0x1022, 0x0100) + b"\xc0\x04" + struct.pack(">HH", A, IN))
add("longLabelQuery", "A question label with the reserved length byte 0x40.",
    header(0x1023, 0x0100) + b"\x40" + b"a" * 64 + b"\0" + struct.pack(">HH", A, IN))
add("responseMessage", "A response (QR set) for the apex SOA: never answered.", query(0x1024, APEX, SOA, flags=0x8400))
add("shortMessage", "Eleven bytes: one short of a header.", header(0x1025, 0x0100)[:11])
add("chaosQuery", "`version.bind CH TXT`.", query(0x1026, "version.bind", TXT, CH))
add("anyClassQuery", "`abc123._mta-sts.<apex> TXT` in QCLASS ANY.", query(0x1027, "abc123._mta-sts." + APEX, TXT, ANYCLASS))
add("checkingDisabledQuery", "`<apex> SOA` with CD set and RD clear.", query(0x1028, APEX, SOA, flags=0x0010))
add("rootQuery", "`. NS`: outside the zone.", query(0x1029, ".", NS))
add("apexTXTQuery", "`<apex> TXT`: NODATA at the apex.", query(0x102A, APEX, TXT))
add("dotInLabelQuery", "`ab.c._mta-sts.<apex> TXT` where `ab.c` is one label holding a dot (NXDOMAIN).",
    header(0x102B, 0x0100) + b"\x04ab.c" + name("_mta-sts." + APEX) + struct.pack(">HH", TXT, IN))

# The expected answer to txtQuery: the owner is a pointer to the question (offset 12).
STS = "v=STSv1; id=20240615T120000"
w = Writer()
w.data = header(0x1001, 0x8500, 1, 1, 0, 0)
w.name("abc123._mta-sts." + APEX)
w.data += struct.pack(">HH", TXT, IN)
w.record("abc123._mta-sts." + APEX, TXT, 60, lambda w: setattr(w, "data", w.data + bytes([len(STS)]) + STS.encode()))
add("txtResponse", "The expected response to `txtQuery` (content abc123 = \\\"" + STS + "\\\", TTL 60).", w.data)

# The expected answer to missingLeafQuery: NXDOMAIN, SOA (TTL 30 = min(3600, 30)) owned by the apex, which is
# compressed into the question, as are both names in its RDATA.
w = Writer()
w.data = header(0x100D, 0x8503, 1, 0, 1, 0)
w.name("missing._mta-sts." + APEX)
w.data += struct.pack(">HH", TXT, IN)


def soa(w):
    w.name("ns1.platform.example")
    w.name("hostmaster." + APEX)
    w.data += struct.pack(">IIIII", 2024061501, 86400, 7200, 3600000, 30)


w.record(APEX, SOA, 30, soa)
add("nxdomainResponse", "The expected response to `missingLeafQuery` (serial 2024061501, negative TTL 30).", w.data)

print("// Generated by make-fixtures.py in this directory (then swift format); do not edit by hand.")
print()
print("/// DNS queries and expected responses as hex. The zone is `sts.platform.example` (`<apex>`).")
print("enum QueryFixtures {")
for identifier, doc, hexdata in fixtures:
    print(f"    /// {doc}")
    print(f"    static let {identifier} =")
    for start in range(0, len(hexdata), 100):
        prefix = "" if start == 0 else "+ "
        print(f'        {prefix}"{hexdata[start:start + 100]}"')
print()
print("    /// Every fixture above with its name, queries and responses alike.")
print("    static let all: [(name: String, hex: String)] = [")
for identifier, _, _ in fixtures:
    print(f'        ("{identifier}", {identifier}),')
print("    ]")
print("}")
