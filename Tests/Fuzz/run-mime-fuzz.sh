#!/usr/bin/env bash
# Builds the MIME parser (Sources/MIME, no dependencies) with Tests/Fuzz/MIMEFuzz/main.swift into a libFuzzer binary
# (with AddressSanitizer) and runs it for FUZZ_SECONDS (default 30) on the seed corpus (MIMEFuzz/corpus: the report
# mail fixtures of Tests/MIMETests and small hand-made messages, written by MIMEFuzz/make-corpus.py; see main.swift
# for the input format). New inputs go to .build/fuzz-mime/corpus, crashes to .build/fuzz-mime/artifacts; the seed
# corpus is not modified. Extra arguments go to libFuzzer.
# Exit status: 0 when no crash was found, non-zero otherwise.
set -euo pipefail

fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package_dir="$(cd "$fuzz_dir/../.." && pwd)"
build_dir="$package_dir/.build/fuzz-mime"
binary="$build_dir/mime-fuzz"
seeds="$fuzz_dir/MIMEFuzz/corpus"

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
swiftc "${flags[@]}" -module-name MIMEFuzz \
    "$package_dir"/Sources/MIME/*.swift \
    "$fuzz_dir/MIMEFuzz/main.swift" \
    -o "$binary"

"$binary" \
    -max_total_time="${FUZZ_SECONDS:-30}" \
    -max_len=4096 \
    -timeout=10 \
    -dict="$fuzz_dir/MIMEFuzz/mime.dict" \
    -artifact_prefix="$build_dir/artifacts/" \
    -print_final_stats=1 \
    "$@" \
    "$build_dir/corpus" "$seeds"
