#!/usr/bin/env bash
# Builds the DNS wire-format fuzzer with libFuzzer + AddressSanitizer and runs it for a bounded time.
#
#   Tests/Fuzz/run-dns-fuzz.sh                 # 30 s
#   FUZZ_SECONDS=300 Fuzz/run-dns-fuzz.sh
#   Tests/Fuzz/run-dns-fuzz.sh -runs=1000      # extra arguments go to libFuzzer
#
# The seed corpus (real responses from Knot and Unbound, see capture-corpus.py) is copied to a scratch
# directory so new inputs found during the run do not dirty the repository. Crashes are written to
# $FUZZ_ARTIFACTS (default .build/fuzz/artifacts/). Exit status is libFuzzer's: non-zero on a crash.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${FUZZ_WORK:-$root/.build/fuzz}"
artifacts="${FUZZ_ARTIFACTS:-$work/artifacts}"
binary="$work/dns-message-fuzz"
mkdir -p "$work" "$artifacts"

sources=("$root"/Sources/DNS/Wire/*.swift "$root/Sources/DNS/Client/DNSLookupResult.swift" "$here/DNSMessageFuzz/main.swift")

swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    -swift-version 6 -package-name mtasts -module-name DNSMessageFuzz \
    -enable-upcoming-feature ExistentialAny \
    -enable-upcoming-feature MemberImportVisibility \
    -enable-upcoming-feature InternalImportsByDefault \
    "${sources[@]}" -o "$binary"

corpus="$work/corpus"
rm -rf "$corpus"
mkdir -p "$corpus"
cp "$here"/corpus/dns/* "$corpus"/

exec "$binary" "$corpus" \
    -max_total_time="${FUZZ_SECONDS:-30}" \
    -max_len=8192 \
    -artifact_prefix="$artifacts/" \
    -print_final_stats=1 \
    "$@"
