#!/usr/bin/env bash
# Builds Sources/HTTPCore together with Tests/Fuzz/HTTPParserFuzz/main.swift into a libFuzzer binary (with
# AddressSanitizer) and runs it for FUZZ_SECONDS (default 30) on the committed seed corpus. One binary covers both
# parsers: the first byte of an input chooses HTTPRequestParser or HTTPResponseParser (see main.swift).
# New inputs go to .build/fuzz-http/corpus, crashes to .build/fuzz-http/artifacts; the seed corpus is not modified.
# Exit status: 0 when no crash was found, non-zero otherwise.
set -euo pipefail

fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package_dir="$(cd "$fuzz_dir/../.." && pwd)"
build_dir="$package_dir/.build/fuzz-http"
binary="$build_dir/http-parser-fuzz"
seeds="$fuzz_dir/corpus/http"

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
# HTTPCore's one dependency, CivilTime, as a module and static library of its own (as SwiftPM builds it).
swiftc "${flags[@]}" -module-name CivilTime -emit-module -emit-module-path "$build_dir/CivilTime.swiftmodule" \
    -emit-library -static -o "$build_dir/libCivilTime.a" "$package_dir"/Sources/CivilTime/*.swift
swiftc "${flags[@]}" -module-name HTTPParserFuzz -I "$build_dir" -L "$build_dir" -lCivilTime \
    "$package_dir"/Sources/HTTPCore/*.swift \
    "$fuzz_dir/HTTPParserFuzz/main.swift" \
    -o "$binary"

"$binary" \
    -max_total_time="${FUZZ_SECONDS:-30}" \
    -max_len=4096 \
    -timeout=10 \
    -dict="$fuzz_dir/http.dict" \
    -artifact_prefix="$build_dir/artifacts/" \
    -print_final_stats=1 \
    "$build_dir/corpus" "$seeds"
