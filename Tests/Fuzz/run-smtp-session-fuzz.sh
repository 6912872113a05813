#!/usr/bin/env bash
# Builds the SMTP server's session (Sources/SMTPServer/{Protocol,Session,Delivery}) with
# Tests/Fuzz/SMTPSessionFuzz/main.swift into a libFuzzer binary (with AddressSanitizer) and runs it for FUZZ_SECONDS
# (default 30) on the seed corpus (SMTPSessionFuzz/corpus: sessions as clients send them, pipelined, with
# STARTTLS, over-long lines and broken data; see main.swift for the input format). HTTPCore (for ByteBuffer) and its dependency CivilTime are compiled first as modules of their own,
# as SwiftPM builds them. New inputs go to .build/fuzz-smtp-session/corpus, crashes to
# .build/fuzz-smtp-session/artifacts; the seed corpus is not modified. Extra arguments go to libFuzzer.
# Exit status: 0 when no crash was found, non-zero otherwise.
set -euo pipefail

fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package_dir="$(cd "$fuzz_dir/../.." && pwd)"
build_dir="$package_dir/.build/fuzz-smtp-session"
binary="$build_dir/smtp-session-fuzz"
seeds="$fuzz_dir/SMTPSessionFuzz/corpus"

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
swiftc "${flags[@]}" -module-name CivilTime -emit-module -emit-module-path "$build_dir/CivilTime.swiftmodule" \
    -emit-library -static -o "$build_dir/libCivilTime.a" "$package_dir"/Sources/CivilTime/*.swift
swiftc "${flags[@]}" -module-name HTTPCore -I "$build_dir" -emit-module \
    -emit-module-path "$build_dir/HTTPCore.swiftmodule" -emit-library -static -o "$build_dir/libHTTPCore.a" \
    "$package_dir"/Sources/HTTPCore/*.swift
swiftc "${flags[@]}" -module-name SMTPSessionFuzz -I "$build_dir" -L "$build_dir" -lHTTPCore -lCivilTime \
    "$package_dir"/Sources/SMTPServer/Protocol/*.swift \
    "$package_dir"/Sources/SMTPServer/Session/*.swift \
    "$package_dir"/Sources/SMTPServer/Delivery/*.swift \
    "$fuzz_dir/SMTPSessionFuzz/main.swift" \
    -o "$binary"

"$binary" \
    -max_total_time="${FUZZ_SECONDS:-30}" \
    -max_len=4096 \
    -timeout=10 \
    -dict="$fuzz_dir/SMTPSessionFuzz/smtp-session.dict" \
    -artifact_prefix="$build_dir/artifacts/" \
    -print_final_stats=1 \
    "$@" \
    "$build_dir/corpus" "$seeds"
