#!/usr/bin/env python3
"""Captures real DNS responses as fuzz seeds: capture-corpus.py HOST PORT OUTDIR NAME:TYPE [+tcp] ...

Each query is sent with RD and EDNS(0) 4096 over UDP (or TCP when the spec ends in "+tcp") and the raw
response is written to OUTDIR/<name>-<type>[-tcp].bin. Used once against the Knot + Unbound pair from
TestSupport's DNSTestEnvironment zone contents to produce Fuzz/corpus/dns/.
"""
import os, random, socket, struct, sys

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28, "CAA": 257}

def query(name, qtype):
    header = struct.pack(">HHHHHH", random.randrange(65536), 0x0100, 1, 0, 0, 1)
    qname = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".") if l) + b"\0"
    opt = b"\0" + struct.pack(">HHIH", 41, 4096, 0, 0)
    return header + qname + struct.pack(">HH", TYPES[qtype], 1) + opt

def main():
    host, port, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    for spec in sys.argv[4:]:
        tcp = spec.endswith("+tcp")
        name, qtype = spec.removesuffix("+tcp").split(":")
        packet = query(name, qtype)
        if tcp:
            with socket.create_connection((host, port), timeout=3) as s:
                s.sendall(struct.pack(">H", len(packet)) + packet)
                data = b""
                while len(data) < 2 or len(data) < 2 + struct.unpack(">H", data[:2])[0]:
                    chunk = s.recv(65535)
                    if not chunk:
                        break
                    data += chunk
                response = data[2:]
        else:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.settimeout(3)
                s.sendto(packet, (host, port))
                response = s.recv(65535)
        path = os.path.join(outdir, f"{name.replace('.', '_')}-{qtype}{'-tcp' if tcp else ''}.bin")
        with open(path, "wb") as f:
            f.write(response)
        print(path, len(response))

if __name__ == "__main__":
    main()
