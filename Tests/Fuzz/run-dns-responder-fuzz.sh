#!/usr/bin/env bash
# Builds the authoritative responder's query path (Sources/DNSServer/Zone and Responder) with
# Tests/Fuzz/DNSResponderFuzz/main.swift into a libFuzzer binary (with AddressSanitizer) and runs it for FUZZ_SECONDS
# (default 30) on the seed corpus (every query fixture of Tests/DNSServerTests, see DNSResponderFuzz/make-corpus.py).
# The DNS wire format is compiled first as a module of its own, as SwiftPM builds it (the responder imports DNS).
# New inputs go to .build/fuzz-dns-responder/corpus, crashes to .build/fuzz-dns-responder/artifacts; the seed corpus
# is not modified. Extra arguments go to libFuzzer. Exit status: 0 when no crash was found, non-zero otherwise.
set -euo pipefail

fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package_dir="$(cd "$fuzz_dir/../.." && pwd)"
build_dir="$package_dir/.build/fuzz-dns-responder"
binary="$build_dir/dns-responder-fuzz"
seeds="$fuzz_dir/DNSResponderFuzz/corpus"

mkdir -p "$build_dir/corpus" "$build_dir/artifacts"
# swiftc leaves module files in the working directory: keep them inside the build directory.
cd "$build_dir"

flags=(
    -sanitize=fuzzer,address -parse-as-library -O -wmo -g
    -swift-version 6
    -enable-upcoming-feature ExistentialAny
    -enable-upcoming-feature MemberImportVisibility
    -enable-upcoming-feature InternalImportsByDefault
    -package-name mtasts
)
# The responder's one dependency on this path: the DNS wire format (the client half of the DNS module needs SystemIO
# and is not part of the query path).
swiftc "${flags[@]}" -module-name DNS -emit-module -emit-module-path "$build_dir/DNS.swiftmodule" \
    -emit-library -static -o "$build_dir/libDNS.a" "$package_dir"/Sources/DNS/Wire/*.swift
swiftc "${flags[@]}" -module-name DNSResponderFuzz -I "$build_dir" -L "$build_dir" -lDNS \
    "$package_dir"/Sources/DNSServer/Zone/*.swift \
    "$package_dir"/Sources/DNSServer/Responder/*.swift \
    "$fuzz_dir/DNSResponderFuzz/main.swift" \
    -o "$binary"

"$binary" \
    -max_total_time="${FUZZ_SECONDS:-30}" \
    -max_len=4096 \
    -timeout=10 \
    -dict="$fuzz_dir/DNSResponderFuzz/dns-responder.dict" \
    -artifact_prefix="$build_dir/artifacts/" \
    -print_final_stats=1 \
    "$@" \
    "$build_dir/corpus" "$seeds"
