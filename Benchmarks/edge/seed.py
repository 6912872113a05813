#!/usr/bin/env python3
"""Writes CSV files for PostgreSQL COPY that seed verified domains with a policy and a certificate.

The rows are what the platform itself would write (Migrations/0001_core_schema.sql): one account, domains
in status `verified`, one current policy each, and one current certificate each whose private key (PKCS#8
PEM text) is encrypted like Sources/Crypto/MasterKey.swift does it: AES-256-GCM with a random 12-byte
nonce and no additional data; `key_ciphertext` = ciphertext || 16-byte tag, `key_nonce` = the nonce,
`key_id` = the first 8 hex characters of SHA-256 of the 32-byte key.

    seed.py single --domain D --chain leaf.pem --key leaf.key --policy policy.txt --master-key K --out DIR
    seed.py many --count N --master-key K --out DIR [--nginx-dir NDIR]
                                                         (generates a CA and N P-256 leaves itself)

With --nginx-dir, `many` also writes what nginx needs to serve the same hosts, one `server` block each:
NDIR/<host>.pem (the chain, as stored), NDIR/<host>.key (the unencrypted PKCS#8 key, mode 0600),
NDIR/www/<host>/.well-known/mta-sts.txt (the policy text, byte for byte what the edge serves) and
NDIR/ca.pem (the CA, for curl and openssl).

Each table gets `<table>.csv` (no header) and `<table>.columns` (the column list for `\\copy`). Only the
standard library and `cryptography` (for AES-GCM and the certificates) are used.
"""

import argparse
import csv
import datetime
import hashlib
import multiprocessing
import os
import sys
import time
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

ACCOUNT_ID = "00000000-0000-4000-8000-00000000be4c"
COLUMNS = {
    "accounts": "id, email, password_hash",
    "domains": "id, account_id, name, status, verification_token, verified_at, verification_method",
    "policies": "domain_id, policy_id, mode, mx, max_age, text",
    "certificates": "id, domain_id, host, chain_pem, key_ciphertext, key_nonce, key_id, not_before, not_after, "
    "issuer, serial",
}


def load_master_key(path):
    """Reads a key file the way MasterKey.load does: 32 raw bytes or 64 hex characters."""
    with open(path, "rb") as handle:
        contents = handle.read()
    if len(contents) == 32:
        return contents
    text = contents.strip()
    if len(text) != 64:
        sys.exit(f"{path}: expected 32 raw bytes or 64 hex characters")
    return bytes.fromhex(text.decode("ascii"))


def key_id(master_key):
    return hashlib.sha256(master_key).hexdigest()[:8]


def encrypt(master_key, plaintext):
    nonce = os.urandom(12)
    # AESGCM.encrypt returns ciphertext || tag, exactly the stored column.
    return AESGCM(master_key).encrypt(nonce, plaintext, None), nonce


def policy_text(domain):
    return f"version: STSv1\r\nmode: enforce\r\nmx: mx1.{domain}\r\nmx: *.mail.{domain}\r\nmax_age: 604800\r\n"


def timestamp(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S+00")


def hex_bytea(data):
    return "\\x" + data.hex()


class Writer:
    """One CSV file per table."""

    def __init__(self, directory):
        os.makedirs(directory, exist_ok=True)
        self.directory = directory
        self.files = {}
        self.writers = {}
        for table, columns in COLUMNS.items():
            with open(os.path.join(directory, table + ".columns"), "w") as handle:
                handle.write(columns + "\n")
            handle = open(os.path.join(directory, table + ".csv"), "w", newline="")
            self.files[table] = handle
            self.writers[table] = csv.writer(handle, lineterminator="\n")
        self.writers["accounts"].writerow([ACCOUNT_ID, "bench@example.net", "scrypt$benchmark-account-not-for-login"])

    def domain(self, domain, chain_pem, key_pem, master_key, not_before, not_after, issuer, serial):
        domain_id = str(uuid.uuid4())
        now = timestamp(datetime.datetime.now(datetime.timezone.utc))
        token = uuid.uuid4().hex
        self.writers["domains"].writerow([domain_id, ACCOUNT_ID, domain, "verified", token, now, "dns_txt"])
        self.writers["policies"].writerow(
            [domain_id, "20260101T000000", "enforce", f'{{"mx1.{domain}","*.mail.{domain}"}}', 604800,
             policy_text(domain)])
        ciphertext, nonce = encrypt(master_key, key_pem)
        self.writers["certificates"].writerow(
            [str(uuid.uuid4()), domain_id, "mta-sts." + domain, chain_pem.decode("ascii"), hex_bytea(ciphertext),
             hex_bytea(nonce), key_id(master_key), timestamp(not_before), timestamp(not_after), issuer, serial])

    def close(self):
        for handle in self.files.values():
            handle.close()


def validity(certificate, which):
    """not_valid_before/after as an aware UTC datetime (the `_utc` properties need cryptography 42+;
    Debian 12 ships 38)."""
    aware = getattr(certificate, f"not_valid_{which}_utc", None)
    return aware or getattr(certificate, f"not_valid_{which}").replace(tzinfo=datetime.timezone.utc)


def single(arguments):
    master_key = load_master_key(arguments.master_key)
    with open(arguments.chain, "rb") as handle:
        chain_pem = handle.read()
    with open(arguments.key, "rb") as handle:
        key_pem = handle.read()
    leaf = x509.load_pem_x509_certificate(chain_pem)
    writer = Writer(arguments.out)
    writer.domain(arguments.domain, chain_pem, key_pem, master_key, validity(leaf, "before"), validity(leaf, "after"),
                  leaf.issuer.rfc4514_string(), format(leaf.serial_number, "x"))
    writer.close()
    # The exact policy the edge will serve, for nginx's document root and the body comparison.
    with open(arguments.policy, "w", newline="") as handle:
        handle.write(policy_text(arguments.domain))


# --- many: one CA, N leaves, generated in worker processes ---------------------------------------------

CA_STATE = {}


def make_ca(directory):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mtasts benchmark CA (throwaway)")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    with open(os.path.join(directory, "ca.pem"), "wb") as handle:
        handle.write(certificate.public_bytes(serialization.Encoding.PEM))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


def init_worker(ca_pem, ca_key_pem, master_key):
    CA_STATE["certificate"] = x509.load_pem_x509_certificate(ca_pem)
    CA_STATE["key"] = serialization.load_pem_private_key(ca_key_pem, None)
    CA_STATE["master_key"] = master_key
    CA_STATE["now"] = datetime.datetime.now(datetime.timezone.utc)


def make_leaf(domain):
    host = "mta-sts." + domain
    ca = CA_STATE["certificate"]
    now = CA_STATE["now"]
    key = ec.generate_private_key(ec.SECP256R1())
    not_before, not_after = now - datetime.timedelta(hours=1), now + datetime.timedelta(days=90)
    serial = x509.random_serial_number()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
        .issuer_name(ca.subject).public_key(key.public_key()).serial_number(serial)
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(CA_STATE["key"], hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return (domain, certificate.public_bytes(serialization.Encoding.PEM), key_pem, not_before, not_after,
            ca.subject.rfc4514_string(), format(serial, "x"))


def write_file(path, data, mode=0o644):
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def write_nginx_host(directory, domain, chain_pem, key_pem):
    """The files one nginx `server` block for mta-sts.<domain> uses."""
    host = "mta-sts." + domain
    write_file(os.path.join(directory, host + ".pem"), chain_pem)
    write_file(os.path.join(directory, host + ".key"), key_pem, 0o600)
    well_known = os.path.join(directory, "www", host, ".well-known")
    os.makedirs(well_known, exist_ok=True)
    # Bytes, not text mode: the policy's CRLF line ends must survive.
    write_file(os.path.join(well_known, "mta-sts.txt"), policy_text(domain).encode("ascii"))


def many(arguments):
    started = time.monotonic()
    master_key = load_master_key(arguments.master_key)
    os.makedirs(arguments.out, exist_ok=True)
    ca_pem, ca_key_pem = make_ca(arguments.out)
    if arguments.nginx_dir:
        os.makedirs(arguments.nginx_dir, exist_ok=True)
        write_file(os.path.join(arguments.nginx_dir, "ca.pem"), ca_pem)
    domains = [f"d{index:06d}.bench.example" for index in range(arguments.count)]
    with open(os.path.join(arguments.out, "hosts.txt"), "w") as handle:
        handle.writelines("mta-sts." + domain + "\n" for domain in domains)
    writer = Writer(arguments.out)
    processes = max(1, os.cpu_count() or 1)
    with multiprocessing.Pool(processes, initializer=init_worker, initargs=(ca_pem, ca_key_pem, master_key)) as pool:
        for done, leaf in enumerate(pool.imap(make_leaf, domains, chunksize=256), start=1):
            domain, chain_pem, key_pem, not_before, not_after, issuer, serial = leaf
            writer.domain(domain, chain_pem, key_pem, master_key, not_before, not_after, issuer, serial)
            if arguments.nginx_dir:
                write_nginx_host(arguments.nginx_dir, domain, chain_pem, key_pem)
            if done % 10000 == 0:
                print(f"seed: {done}/{arguments.count} certificates ({time.monotonic() - started:.1f} s)",
                      file=sys.stderr)
    writer.close()
    print(f"seed: generated {arguments.count} domains in {time.monotonic() - started:.1f} s "
          f"with {processes} processes", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("single", help="one domain with a given certificate and key")
    one.add_argument("--domain", required=True)
    one.add_argument("--chain", required=True)
    one.add_argument("--key", required=True)
    one.add_argument("--policy", required=True, help="where to write the policy text")
    one.add_argument("--master-key", required=True)
    one.add_argument("--out", required=True)
    one.set_defaults(run=single)
    lots = commands.add_parser("many", help="N domains, each with its own P-256 certificate from one new CA")
    lots.add_argument("--count", type=int, required=True)
    lots.add_argument("--master-key", required=True)
    lots.add_argument("--out", required=True)
    lots.add_argument("--nginx-dir", help="also write each host's chain, unencrypted key and policy file (and the "
                      "CA) here, for nginx")
    lots.set_defaults(run=many)
    arguments = parser.parse_args()
    arguments.run(arguments)


if __name__ == "__main__":
    main()
