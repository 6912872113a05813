#!/usr/bin/env python3
"""Writes the Decompression test fixtures into this directory; run it from anywhere, commit the output.

Every compressed file is made by a real implementation (CPython's zlib, gzip and zipfile modules, GNU gzip,
Info-ZIP zip) except four hand-assembled streams whose features those tools never emit (a match at distance
32768, a gzip header with every optional field, stored + fixed + dynamic blocks in one stream); each of those is
checked here by zlib or the gzip module before it is written. The inputs are deterministic (seeded PRNG), so a
rerun gives the same files except for Info-ZIP's timestamps.

manifest.txt lists the large outputs the tests do not keep a copy of: `<fixture> <size> <crc32 hex>`.
zlib-verdicts.bin/.txt hold zlib's verdict on 1000 streams, half of them damaged, to compare with Inflate's.
"""
import gzip
import io
import os
import pathlib
import random
import struct
import subprocess
import zipfile
import zlib

HERE = pathlib.Path(__file__).resolve().parent


def write(name, data):
    (HERE / name).write_bytes(data)


def report_text(records, seed):
    """Text shaped like a TLS-RPT report (RFC 8460 §4.4): JSON with repetitive structure."""
    rng = random.Random(seed)
    words = ["example", "mail", "mx", "relay", "corp", "inbound", "edge", "post", "smtp", "backup"]
    tlds = ["com", "net", "org", "de", "fr", "io"]
    kinds = ["starttls-not-supported", "certificate-host-mismatch", "certificate-expired",
             "validation-failure", "sts-policy-fetch-error", "sts-webpki-invalid"]
    parts = ['{"organization-name":"Example Mail","date-range":{"start-datetime":"2024-01-01T00:00:00Z",'
             '"end-datetime":"2024-01-01T23:59:59Z"},"contact-info":"smtp-tls-reporting@example.net",'
             '"report-id":"2024-01-01T00:00:00Z_example.com","policies":[\n']
    for index in range(records):
        domain = f"{rng.choice(words)}{rng.randrange(1000)}.{rng.choice(tlds)}"
        mx = f"{rng.choice(words)}.{domain}"
        parts.append(
            f'{{"policy":{{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce",'
            f'"mx: {mx}","max_age: {rng.randrange(86400, 31557600)}"],"policy-domain":"{domain}"}},'
            f'"summary":{{"total-successful-session-count":{rng.randrange(100000)},'
            f'"total-failure-session-count":{rng.randrange(100)}}},"failure-details":[{{"result-type":'
            f'"{rng.choice(kinds)}","sending-mta-ip":"192.0.2.{rng.randrange(256)}","receiving-mx-hostname":'
            f'"{mx}","failed-session-count":{rng.randrange(50)}}}]}}{"," if index < records - 1 else ""}\n')
    parts.append("]}\n")
    return "".join(parts).encode()


def raw_deflate(data, level=6, strategy=zlib.Z_DEFAULT_STRATEGY, wbits=-15):
    compressor = zlib.compressobj(level, zlib.DEFLATED, wbits, 9, strategy)
    return compressor.compress(data) + compressor.flush()


def check_raw(stream, expected):
    assert zlib.decompress(stream, -15) == expected


class BitWriter:
    """DEFLATE's bit order (RFC 1951 §3.1.1), for the hand-assembled streams."""

    def __init__(self):
        self.bytes = bytearray()
        self.value = 0
        self.count = 0

    def bits(self, value, count):
        self.value |= value << self.count
        self.count += count
        while self.count >= 8:
            self.bytes.append(self.value & 0xFF)
            self.value >>= 8
            self.count -= 8

    def huffman(self, code, length):
        """A Huffman code goes most significant bit first."""
        self.bits(int(f"{code:0{length}b}"[::-1], 2), length)

    def align(self):
        if self.count:
            self.bits(0, 8 - self.count)

    def stored(self, data, final):
        self.bits(1 if final else 0, 1)
        self.bits(0, 2)
        self.align()
        self.bytes += struct.pack("<HH", len(data), len(data) ^ 0xFFFF)
        self.bytes += data

    def fixed_literal_or_length(self, symbol):
        if symbol < 144:
            self.huffman(0x30 + symbol, 8)
        elif symbol < 256:
            self.huffman(0x190 + symbol - 144, 9)
        elif symbol < 280:
            self.huffman(symbol - 256, 7)
        else:
            self.huffman(0xC0 + symbol - 280, 8)

    def fixed_match(self, length, distance):
        assert length == 258 and distance in (1, 32768)
        self.fixed_literal_or_length(285)  # length 258, no extra bits
        if distance == 1:
            self.huffman(0, 5)
        else:
            self.huffman(29, 5)  # distances 24577-32768, 13 extra bits
            self.bits(distance - 24577, 13)


def far_match_stream(rng):
    """A stored block of 32768 random bytes, then a fixed block with two matches (258, 32768) and an overlapping
    run (258, 1): the longest length at the farthest distance, which zlib's compressor never emits."""
    window = bytes(rng.randrange(256) for _ in range(32768))
    writer = BitWriter()
    writer.stored(window, final=False)
    writer.bits(1, 1)
    writer.bits(1, 2)
    writer.fixed_match(258, 32768)
    writer.fixed_match(258, 32768)
    writer.fixed_literal_or_length(ord("z"))
    writer.fixed_match(258, 1)
    writer.fixed_literal_or_length(256)
    writer.align()
    expected = window + window[:258] + window[258:516] + b"z" * 259
    check_raw(bytes(writer.bytes), expected)
    return bytes(writer.bytes), expected


def mixed_blocks_stream(text):
    """Fixed blocks (zlib, Z_FIXED, ended by a sync flush), a hand-made stored block, then dynamic blocks."""
    first, second, third = text[:3000], text[3000:3500], text[3500:]
    fixed = zlib.compressobj(6, zlib.DEFLATED, -15, 9, zlib.Z_FIXED)
    part1 = fixed.compress(first) + fixed.flush(zlib.Z_SYNC_FLUSH)  # ends byte-aligned, not final
    writer = BitWriter()
    writer.stored(second, final=False)
    stream = part1 + bytes(writer.bytes) + raw_deflate(third, 9)
    check_raw(stream, text)
    return stream


def sync_flush_stream(text):
    """Many blocks with back-references across them: a sync or full flush every 1000 bytes."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    stream = b""
    for index, start in enumerate(range(0, len(text), 1000)):
        stream += compressor.compress(text[start:start + 1000])
        stream += compressor.flush(zlib.Z_FULL_FLUSH if index % 3 == 2 else zlib.Z_SYNC_FLUSH)
    stream += compressor.flush()
    check_raw(stream, text)
    return stream


def gzip_with_every_header_field(data):
    """RFC 1952 §2.3 with FTEXT, FHCRC, FEXTRA, FNAME and FCOMMENT set (the gzip module writes only FNAME)."""
    flags = 0x01 | 0x02 | 0x04 | 0x08 | 0x10
    header = struct.pack("<BBBBIBB", 0x1F, 0x8B, 8, flags, 1700000000, 2, 3)
    subfield = b"RP" + struct.pack("<H", 5) + b"tlsrp"
    header += struct.pack("<H", len(subfield)) + subfield
    header += b"report.json\x00" + b"TLS-RPT report, see RFC 8460\x00"
    header += struct.pack("<H", zlib.crc32(header) & 0xFFFF)
    member = header + raw_deflate(data, 9) + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    assert gzip.decompress(member) == data
    return member


class Unseekable:
    """A write-only stream: zipfile then writes data descriptors (general purpose flag bit 3)."""

    def __init__(self):
        self.buffer = io.BytesIO()

    def write(self, data):
        return self.buffer.write(data)

    def flush(self):
        pass


def zip_fixtures(text, small):
    when = (2024, 1, 2, 3, 4, 6)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.comment = b"TLS-RPT reports, one per file"
        archive.writestr(zipfile.ZipInfo("reports/", when), b"")
        archive.writestr(zipfile.ZipInfo("reports/stored.json", when), small, compress_type=zipfile.ZIP_STORED)
        archive.writestr(zipfile.ZipInfo("reports/deflated.json", when), text, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo("empty.txt", when), b"", compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo("r\u00e9sum\u00e9.txt", when), b"caf\xc3\xa9\n")
    write("stored-and-deflated.zip", buffer.getvalue())

    stream = Unseekable()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, data, method in [("a.json", text, zipfile.ZIP_DEFLATED), ("b.json", small, zipfile.ZIP_STORED)]:
            info = zipfile.ZipInfo(name, when)
            info.compress_type = method
            with archive.open(info, "w") as entry:
                entry.write(data)
    data = stream.buffer.getvalue()
    assert data.count(b"PK\x07\x08") == 2, "expected two data descriptors"
    write("data-descriptor.zip", data)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("report.json", when), small, compress_type=zipfile.ZIP_LZMA)
    write("lzma.zip", buffer.getvalue())

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(65):
            archive.writestr(zipfile.ZipInfo(f"{index}.txt", when), f"{index}\n")
    write("65-entries.zip", buffer.getvalue())

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("small.json", when), small, compress_type=zipfile.ZIP_DEFLATED)
    write("small.zip", buffer.getvalue())

    # Real ZIP64 structures without 4 GiB of data: zipfile switches to ZIP64 past these module-level limits.
    saved = zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT
    zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 100, 1
    try:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(zipfile.ZipInfo("big.json", when), text, compress_type=zipfile.ZIP_DEFLATED)
            archive.writestr(zipfile.ZipInfo("small.json", when), small)
        data = buffer.getvalue()
        assert b"PK\x06\x06" in data and b"PK\x06\x07" in data, "expected ZIP64 end records"
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.read("big.json") == text
    finally:
        zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = saved
    write("zip64.zip", data)

    # Info-ZIP, the other implementation most mail clients' attachments come from.
    scratch = HERE / "scratch"
    scratch.mkdir(exist_ok=True)
    try:
        (scratch / "report.json").write_bytes(text)
        os.utime(scratch / "report.json", (1700000000, 1700000000))
        target = scratch / "out.zip"
        subprocess.run(["zip", "-q", "-X", "-9", str(target), "report.json"], cwd=scratch, check=True)
        write("infozip.zip", target.read_bytes())
    finally:
        for file in scratch.iterdir():
            file.unlink()
        scratch.rmdir()


def zlib_verdicts(rng, count):
    """Streams from zlib with random parameters, every other one then damaged (bits flipped, cut, bytes spliced
    in), each with zlib's verdict: `ok <consumed> <crc32> <size>`, `error truncated` or `error`. Written as
    zlib-verdicts.bin (each stream as a 4-byte little-endian length and its bytes) and zlib-verdicts.txt."""
    def sample():
        size = rng.choice([0, 1, 2, 10, 100, 1000, 3000])
        kind = rng.randrange(5)
        if kind == 0:
            return rng.randbytes(min(size, 500))
        if kind == 1:
            return bytes(rng.choice(b"ab") for _ in range(size))
        if kind == 2:
            words = [rng.randbytes(rng.randrange(1, 12)) for _ in range(20)]
            return b"".join(rng.choice(words) for _ in range(size // 6))
        if kind == 3:
            return bytes([rng.randrange(256)]) * size * 10
        base = rng.randbytes(rng.randrange(1, 300))
        return (base * (size // len(base) + 1))[:size]

    streams, verdicts = b"", []
    for index in range(count):
        compressor = zlib.compressobj(rng.randrange(10), zlib.DEFLATED, -rng.randrange(9, 16), rng.randrange(1, 10),
                                      rng.choice([0, 1, 2, 3, 4]))
        stream = compressor.compress(sample()) + compressor.flush()
        if index % 2 == 1:
            stream = bytearray(stream)
            for _ in range(rng.randrange(1, 4)):
                operation = rng.randrange(3)
                if operation == 0 and stream:
                    stream[rng.randrange(len(stream))] ^= 1 << rng.randrange(8)
                elif operation == 1 and stream:
                    del stream[rng.randrange(len(stream)):]
                else:
                    at = rng.randrange(len(stream) + 1)
                    stream[at:at] = rng.randbytes(rng.randrange(1, 4))
            stream = bytes(stream)
        decompressor = zlib.decompressobj(-15)
        try:
            output = decompressor.decompress(stream)
            if decompressor.eof:
                consumed = len(stream) - len(decompressor.unused_data)
                verdicts.append(f"ok {consumed} {zlib.crc32(output):08x} {len(output)}")
            else:
                verdicts.append("error truncated")
        except zlib.error:
            verdicts.append("error")
        streams += struct.pack("<I", len(stream)) + stream
    write("zlib-verdicts.bin", streams)
    write("zlib-verdicts.txt", ("\n".join(verdicts) + "\n").encode())


def main():
    rng = random.Random(8460)
    text = report_text(60, seed=1)
    small = text[:1200]
    write("text.json", text)
    write("small.json", small)

    # Raw DEFLATE: every level, every zlib strategy, edge sizes, hand-assembled features.
    for level in range(10):
        write(f"text-level{level}.deflate", raw_deflate(text, level))
    write("text-fixed.deflate", raw_deflate(text, 6, zlib.Z_FIXED))
    write("text-huffman-only.deflate", raw_deflate(text, 6, zlib.Z_HUFFMAN_ONLY))
    write("text-rle.deflate", raw_deflate(text, 6, zlib.Z_RLE))
    write("text-filtered.deflate", raw_deflate(text, 6, zlib.Z_FILTERED))
    write("text-window512.deflate", raw_deflate(text, 9, wbits=-9))
    write("text-sync-flush.deflate", sync_flush_stream(text))
    write("text-mixed-blocks.deflate", mixed_blocks_stream(text))
    write("small.deflate", raw_deflate(small, 9))
    write("empty.deflate", raw_deflate(b""))
    write("one-byte.deflate", raw_deflate(b"A"))
    stream, expected = far_match_stream(rng)
    write("far-match.deflate", stream)
    write("far-match.out", expected)

    # gzip: the module's writer, GNU gzip, several members, every header field, a bomb.
    write("text.gz", gzip.compress(text, 6, mtime=0))
    write("small.gz", gzip.compress(small, 9, mtime=0))
    write("empty.gz", gzip.compress(b"", mtime=0))
    write("one-byte.gz", gzip.compress(b"A", mtime=0))
    write("members.gz", gzip.compress(small, 9, mtime=0) + gzip.compress(b"", mtime=0) + gzip.compress(text, 1, mtime=0))
    write("header-fields.gz", gzip_with_every_header_field(small))
    gnu = subprocess.run(["gzip", "-9", "-c", "-n"], input=text, capture_output=True, check=True).stdout
    assert gzip.decompress(gnu) == text
    write("text-gnu.gz", gnu)
    write("bomb.gz", gzip.compress(bytes(100 << 20), 9, mtime=0))

    large_random = rng.randbytes(1 << 20)
    large_text = report_text(2700, seed=2)[: 1 << 20]
    write("random-1mib.gz", gzip.compress(large_random, 6, mtime=0))
    write("text-1mib.gz", gzip.compress(large_text, 9, mtime=0))
    write("manifest.txt", "".join(
        f"{name} {len(data)} {zlib.crc32(data):08x}\n"
        for name, data in [("random-1mib.gz", large_random), ("text-1mib.gz", large_text),
                           ("bomb.gz", bytes(100 << 20))]).encode())

    zip_fixtures(text, small)
    zlib_verdicts(random.Random(1951), 1000)


if __name__ == "__main__":
    main()
