#!/usr/bin/env python3
"""Architecture rules that `make test` enforces (docs/architecture.md explains them).

1. Only Store/ and Database/ speak SQL: a SQL statement in a string literal anywhere else in Sources/ fails.
2. Every module imports only what its target declares in Package.swift (no leaning on transitive modules).
3. Each C module has exactly one Swift owner (STYLE rule 1), and the roles (PolicyEdge, Worker, API) reach
   the database only through Store.

Reads the package description from `swift package dump-package`; prints every violation and exits 1 on any.
"""
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOOLCHAIN_MODULES = {"Foundation", "FoundationEssentials", "Glibc", "Dispatch", "Synchronization", "Testing",
                     "XCTest", "_Concurrency"}
SQL_OWNERS = ("Sources/Store/", "Sources/Database/")
# A statement keyword at the start of a string literal or of a line inside a multi-line literal.
SQL = re.compile(r'("\s*(SELECT|INSERT\s+INTO|UPDATE\s+[a-z_]+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|VIEW)|'
                 r'ALTER\s+TABLE|DROP\s+TABLE|LISTEN|NOTIFY)\b)'
                 r'|^\s*(SELECT|INSERT\s+INTO|UPDATE\s+[a-z_]+\s+SET|DELETE\s+FROM|WITH\s+[a-z_]+\s+AS)\b')
IMPORT = re.compile(r'^\s*(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*(?:(?:package|internal|public|private|fileprivate)\s+)?'
                    r'import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)')
# C module → the only target allowed to import it (STYLE rule 1).
C_OWNERS = {"CLibPQ": {"Database"}, "COpenSSL": {"Crypto", "TLS", "COpenSSLShims"},
            "COpenSSLShims": {"TLS", "Crypto"}, "CLinux": {"SystemIO"}}
# Roles that must not depend on the libpq layer directly.
THROUGH_STORE = {"API", "PolicyEdge", "Worker"}


def package_targets():
    output = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    targets = {}
    for target in json.loads(output)["targets"]:
        dependencies = set()
        for dependency in target["dependencies"]:
            (_, value), = dependency.items()
            dependencies.add(value[0])
        default = ("Tests/" if target["type"] == "test" else "Sources/") + target["name"]
        targets[target["name"]] = (ROOT / (target.get("path") or default), dependencies)
    return targets


def main():
    problems = []
    targets = package_targets()
    for name, (path, dependencies) in sorted(targets.items()):
        for file in sorted(path.rglob("*.swift")):
            relative = file.relative_to(ROOT).as_posix()
            text = file.read_text(encoding="utf-8")
            for number, line in enumerate(text.splitlines(), 1):
                stripped = line.strip()
                if stripped.startswith("//"):
                    continue
                match = IMPORT.match(line)
                if match:
                    module = match.group(1)
                    if module in targets and module != name and module not in dependencies:
                        problems.append(f"{relative}:{number}: {name} imports {module} without declaring it")
                    if module in C_OWNERS and name not in C_OWNERS[module] and not name.endswith("Tests"):
                        problems.append(f"{relative}:{number}: only {sorted(C_OWNERS[module])} may import {module}")
                if relative.startswith("Sources/") and not relative.startswith(SQL_OWNERS) and SQL.search(line):
                    problems.append(f"{relative}:{number}: SQL outside Store/ and Database/: {stripped[:80]}")
        if name in THROUGH_STORE and "Database" in dependencies:
            problems.append(f"Package.swift: {name} depends on Database; it must reach the database through Store")
    for problem in problems:
        print(problem)
    if problems:
        print(f"check-architecture: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"check-architecture: {len(targets)} targets clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
