#!/usr/bin/env python3
"""Writes the seed corpus (corpus/*.bin): every query of Tests/DNSServerTests/Fixtures/QueryFixtures.swift, the
well-formed and the malformed ones, one file each. Run it again after regenerating the fixtures.

    python3 Tests/Fuzz/DNSResponderFuzz/make-corpus.py
"""
import pathlib
import re

here = pathlib.Path(__file__).resolve().parent
fixtures = here.parents[1] / "DNSServerTests" / "Fixtures" / "QueryFixtures.swift"
text = fixtures.read_text()
corpus = here / "corpus"
corpus.mkdir(exist_ok=True)
for old in corpus.glob("*.bin"):
    old.unlink()
# `static let name =` followed by one or more quoted hex pieces joined with `+`.
for name, body in re.findall(r"static let (\w+) =\s*((?:\+?\s*\"[0-9a-f]*\"\s*)+)", text):
    if name.endswith("Response"):
        continue
    data = bytes.fromhex("".join(re.findall(r"\"([0-9a-f]*)\"", body)))
    (corpus / f"{name}.bin").write_bytes(data)
    print(f"{name}.bin: {len(data)} bytes")
