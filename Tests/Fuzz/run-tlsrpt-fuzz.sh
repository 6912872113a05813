#!/usr/bin/env bash
# Builds the TLS report parser (Sources/TLSReporting) with Tests/Fuzz/TLSReportFuzz/main.swift into a libFuzzer
# binary (with AddressSanitizer) and runs it for FUZZ_SECONDS (default 30) on the seed corpus (TLSReportFuzz/corpus:
# the Google- and Microsoft-shaped reports of Tests/TLSReportingTests, their gzip form and the variants real senders
# write, made by TLSReportFuzz/make-corpus.py; see main.swift for the input format). TLSReporting's dependencies
# (CivilTime, JSON, MIME, Decompression, and Crypto on the system OpenSSL through the COpenSSL module map) and
# TLSReporting itself are compiled first as modules of their own, as SwiftPM builds them. New inputs go to
# .build/fuzz-tlsrpt/corpus, crashes to .build/fuzz-tlsrpt/artifacts; the seed corpus is not modified. Extra
# arguments go to libFuzzer.
# Exit status: 0 when no crash was found, non-zero otherwise.
set -euo pipefail

fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package_dir="$(cd "$fuzz_dir/../.." && pwd)"
build_dir="$package_dir/.build/fuzz-tlsrpt"
binary="$build_dir/tlsrpt-fuzz"
seeds="$fuzz_dir/TLSReportFuzz/corpus"

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
# One static library and module per dependency, in dependency order; Crypto finds COpenSSL's module map (and so
# <openssl/*.h>) with -I, as SwiftPM's system-library target provides it.
module() {
    local name="$1"
    shift
    swiftc "${flags[@]}" -module-name "$name" -I "$build_dir" -emit-module \
        -emit-module-path "$build_dir/$name.swiftmodule" -emit-library -static -o "$build_dir/lib$name.a" "$@"
}
module CivilTime "$package_dir"/Sources/CivilTime/*.swift
module JSON "$package_dir"/Sources/JSON/*.swift
module MIME "$package_dir"/Sources/MIME/*.swift
module Decompression "$package_dir"/Sources/Decompression/*.swift
module Crypto -I "$package_dir/Sources/COpenSSL" "$package_dir"/Sources/Crypto/*.swift
module TLSReporting -I "$package_dir/Sources/COpenSSL" $(find "$package_dir/Sources/TLSReporting" -name '*.swift' | sort)
swiftc "${flags[@]}" -module-name TLSReportFuzz -I "$build_dir" -I "$package_dir/Sources/COpenSSL" -L "$build_dir" \
    -lTLSReporting -lCrypto -lDecompression -lMIME -lJSON -lCivilTime -lssl -lcrypto \
    "$fuzz_dir/TLSReportFuzz/main.swift" \
    -o "$binary"

"$binary" \
    -max_total_time="${FUZZ_SECONDS:-30}" \
    -max_len=8192 \
    -timeout=10 \
    -dict="$fuzz_dir/TLSReportFuzz/tlsrpt.dict" \
    -artifact_prefix="$build_dir/artifacts/" \
    -print_final_stats=1 \
    "$@" \
    "$build_dir/corpus" "$seeds"
