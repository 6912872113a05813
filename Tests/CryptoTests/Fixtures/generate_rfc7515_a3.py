#!/usr/bin/env python3
"""Regenerates the RFC 7515 Appendix A.3 fixtures used by P256KeyTests.

Builds the ES256 example key from its "d" value with pyca/cryptography, checks that the
public point matches the RFC's "x"/"y" and that the RFC's example signature verifies, then
writes the key as PKCS#8 PEM and the independently computed RFC 7638 thumbprint.

Run from this directory: python3 generate_rfc7515_a3.py
"""
import base64
import hashlib
import json

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

D = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"
X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
SIGNING_INPUT = (
    "eyJhbGciOiJFUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
)
SIGNATURE = "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"


def b64u_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64u_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


key = ec.derive_private_key(int.from_bytes(b64u_decode(D), "big"), ec.SECP256R1())
numbers = key.public_key().public_numbers()
assert b64u_encode(numbers.x.to_bytes(32, "big")) == X
assert b64u_encode(numbers.y.to_bytes(32, "big")) == Y

raw = b64u_decode(SIGNATURE)
der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
key.public_key().verify(der, SIGNING_INPUT.encode(), ec.ECDSA(hashes.SHA256()))

canonical = json.dumps({"crv": "P-256", "kty": "EC", "x": X, "y": Y}, separators=(",", ":"), sort_keys=True)
thumbprint = b64u_encode(hashlib.sha256(canonical.encode()).digest())

pem = key.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)
with open("rfc7515-a3-es256.pem", "wb") as handle:
    handle.write(pem)
with open("rfc7515-a3-es256.thumbprint", "w") as handle:
    handle.write(thumbprint + "\n")
print("thumbprint", thumbprint)
