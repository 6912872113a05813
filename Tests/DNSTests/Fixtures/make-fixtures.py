#!/usr/bin/env python3
"""Generates the hex constants in DNSPacketFixtures.swift (hand-made packets, including malformed ones).

Run it and paste the output; names are written uncompressed unless a pointer is spelled out (b'\\xc0\\x0c').
"""
import struct

def name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".") if l) + b"\0"

def hdr(id, flags, qd, an, ns, ar):
    return struct.pack(">HHHHHH", id, flags, qd, an, ns, ar)

def rr(owner, t, cls, ttl, rdata):
    return owner + struct.pack(">HHIH", t, cls, ttl, len(rdata)) + rdata

fx = {}
m = hdr(0x1234, 0x8180, 1, 2, 0, 0) + name("example.com") + struct.pack(">HH", 15, 1)
m += rr(b"\xc0\x0c", 15, 1, 3600, struct.pack(">H", 10) + b"\x04mail\xc0\x0c")
m += rr(b"\xc0\x0c", 15, 1, 3600, struct.pack(">H", 5) + b"\x03mx2\x07example\x03net\x00")
fx["mxResponse"] = m
t = hdr(0x2222, 0x8180, 1, 1, 0, 0) + name("_mta-sts.example.com") + struct.pack(">HH", 16, 1)
t += rr(b"\xc0\x0c", 16, 1, 300, b"\x08v=STSv1;" + b"\x0f id=20250101T00")
fx["txtMultiStringResponse"] = t
c = hdr(0x3333, 0x8180, 1, 2, 0, 0) + name("example.com") + struct.pack(">HH", 257, 1)
c += rr(b"\xc0\x0c", 257, 1, 60, b"\x00\x05issue" + b"letsencrypt.org")
c += rr(b"\xc0\x0c", 257, 1, 60, b"\x80\x05iodef" + b"mailto:ca@example.com")
fx["caaResponse"] = c
a = hdr(0x4444, 0x8180, 1, 3, 0, 0) + name("www.example.com") + struct.pack(">HH", 1, 1)
a += rr(b"\xc0\x0c", 5, 1, 30, b"\xc0\x10")
a += rr(b"\xc0\x10", 1, 1, 30, bytes([192, 0, 2, 1]))
a += rr(b"\xc0\x10", 28, 1, 30, bytes.fromhex("20010db8000000000000000000000001"))
fx["cnameChainResponse"] = a
n = hdr(0x5555, 0x8183, 1, 0, 1, 1) + name("nope.example.com") + struct.pack(">HH", 1, 1)
soa = b"\x03ns1\xc0\x11" + b"\x0ahostmaster\xc0\x11" + struct.pack(">IIIII", 2024010101, 7200, 3600, 1209600, 300)
n += rr(b"\xc0\x11", 6, 1, 300, soa)
n += rr(b"\x00", 41, 1232, 0x00008000, b"")
fx["nxdomainResponse"] = n
fx["pointerLoop"] = hdr(1, 0x8180, 1, 0, 0, 0) + b"\xc0\x0c" + struct.pack(">HH", 1, 1)
pl = hdr(1, 0x8180, 1, 1, 0, 0) + name("example.com") + struct.pack(">HH", 1, 1)
pl += b"\xc0\x1f" + b"\xc0\x1d" + struct.pack(">HHIH", 1, 1, 1, 4) + bytes(4)
fx["pointerLoopTwoStep"] = pl
fx["pointerPastEnd"] = hdr(1, 0x8180, 1, 0, 0, 0) + b"\x03www\xc0\xff" + struct.pack(">HH", 1, 1)
fx["pointerCutOff"] = hdr(1, 0x8180, 1, 0, 0, 0) + b"\x03www\xc0"
fx["truncatedHeader"] = hdr(1, 0x8180, 1, 0, 0, 0)[:11]
fx["labelLength64"] = hdr(1, 0x0100, 1, 0, 0, 0) + b"\x40" + b"a" * 64 + b"\x00" + struct.pack(">HH", 1, 1)
fx["nameTooLong"] = hdr(1, 0x0100, 1, 0, 0, 0) + (b"\x3f" + b"a" * 63) * 4 + b"\x00" + struct.pack(">HH", 1, 1)
big = (b"\x3f" + b"b" * 63) * 3 + b"\x00"
ntl = hdr(1, 0x8180, 1, 1, 0, 0) + big + struct.pack(">HH", 1, 1)
ntl += (b"\x3f" + b"c" * 63) + b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 1, 4) + bytes(4)
fx["compressedNameTooLong"] = ntl
fx["rdataLengthMismatch"] = hdr(1, 0x8180, 1, 1, 0, 0) + name("example.com") + struct.pack(">HH", 1, 1) + rr(b"\xc0\x0c", 1, 1, 1, bytes(5))
fx["txtStringOverrun"] = hdr(1, 0x8180, 1, 1, 0, 0) + name("example.com") + struct.pack(">HH", 16, 1) + rr(b"\xc0\x0c", 16, 1, 1, b"\x09abc")
fx["unknownTypeResponse"] = hdr(0x6666, 0x8180, 1, 1, 0, 0) + name("example.com") + struct.pack(">HH", 65, 1) + rr(b"\xc0\x0c", 65, 1, 1, bytes.fromhex("0001000001000302683202"))
tc = hdr(0x7777, 0x8380, 1, 3, 0, 0) + name("big.example.com") + struct.pack(">HH", 16, 1) + rr(b"\xc0\x0c", 16, 1, 1, b"\x05hello")
fx["truncatedTCResponse"] = tc + b"\xc0\x0c\x00\x10"

for k, v in fx.items():
    print(f'    static let {k} = "{v.hex()}"')
