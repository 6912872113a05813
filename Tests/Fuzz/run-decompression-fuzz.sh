#!/usr/bin/env bash
# Builds the Decompression module (Sources/Decompression: DEFLATE, gzip, ZIP) with
# Tests/Fuzz/DecompressionFuzz/main.swift into a libFuzzer binary (with AddressSanitizer) and runs it for
# FUZZ_SECONDS (default 30) on the seed corpus (DecompressionFuzz/corpus: gzip, raw DEFLATE and ZIP files from
# Tests/DecompressionTests/Fixtures, made by zlib, the gzip and zipfile modules). Every input goes to Inflate, Gzip
# and ZipArchive alike. Decompression is compiled first as a module of its own, as SwiftPM builds it. New inputs
# go to .build/fuzz-decompression/corpus, crashes to .build/fuzz-decompression/artifacts; the seed corpus is not
# modified. Extra arguments go to libFuzzer.
# Exit status: 0 when no crash was found, non-zero otherwise.
set -euo pipefail

fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package_dir="$(cd "$fuzz_dir/../.." && pwd)"
build_dir="$package_dir/.build/fuzz-decompression"
binary="$build_dir/decompression-fuzz"
seeds="$fuzz_dir/DecompressionFuzz/corpus"

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
swiftc "${flags[@]}" -module-name Decompression -emit-module -emit-module-path "$build_dir/Decompression.swiftmodule" \
    -emit-library -static -o "$build_dir/libDecompression.a" "$package_dir"/Sources/Decompression/*.swift
swiftc "${flags[@]}" -module-name DecompressionFuzz -I "$build_dir" -L "$build_dir" -lDecompression \
    "$fuzz_dir/DecompressionFuzz/main.swift" \
    -o "$binary"

"$binary" \
    -max_total_time="${FUZZ_SECONDS:-30}" \
    -max_len=8192 \
    -timeout=10 \
    -artifact_prefix="$build_dir/artifacts/" \
    -print_final_stats=1 \
    "$@" \
    "$build_dir/corpus" "$seeds"
