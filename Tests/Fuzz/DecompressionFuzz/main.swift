// libFuzzer entry point for the Decompression module; built by Fuzz/run-decompression-fuzz.sh together with
// Sources/Decompression (not a SwiftPM target). An input is any bytes, as an untrusted sender would post or attach
// them: they go whole to Inflate (raw DEFLATE), Gzip and ZipArchive, each under a 1 MiB output cap. The seeds in
// DecompressionFuzz/corpus are valid .gz, .deflate and .zip files.
// Beyond "no crash, no ASan report, no hang" it checks these oracles and traps on a mismatch:
// 1. nothing returns more than the cap, and Inflate never claims more input than it was given;
// 2. a DEFLATE stream is self-delimiting: the bytes Inflate consumed decode alone to the same output, with any
//    bytes after them too, and the same stream one byte shorter is refused as `truncated`;
// 3. that stream wrapped as a gzip member (header, stream, CRC-32, ISIZE) gives the same output through Gzip;
// 4. a ZIP entry that reads has the size it declares, and no archive has more than the entry cap.

import Decompression

/// 1 MiB whatever the input size (the ratio never binds), so a shorter input has the same cap (oracle 2).
let limits = DecompressionLimits(maximumOutputBytes: 1 << 20, maximumRatio: 1 << 20)
let cap = 1 << 20

func littleEndian(_ value: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}

func checkInflate(_ input: [UInt8]) {
    guard let (output, consumed) = try? Inflate.decompress(input, limits: limits) else { return }
    precondition(output.count <= cap, "Inflate exceeded the cap")
    precondition(consumed > 0 && consumed <= input.count, "Inflate consumed \(consumed) of \(input.count) bytes")

    let stream = Array(input[..<consumed])
    for candidate in [stream, stream + [0x00, 0xFF]] {
        let again = try? Inflate.decompress(candidate, limits: limits)
        precondition(again?.output == output && again?.consumed == consumed, "the stream alone decodes differently")
    }
    do {
        _ = try Inflate.decompress(stream.dropLast(), limits: limits)
        preconditionFailure("a stream one byte short was accepted")
    } catch {
        precondition(error == .truncated, "a stream one byte short gave \(error), not truncated")
    }

    let member =
        [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255] + stream + littleEndian(CRC32.checksum(output))
        + littleEndian(UInt32(truncatingIfNeeded: output.count))
    let gzip = try? Gzip.decompress(member, limits: limits)
    precondition(gzip == output, "the stream as a gzip member decodes differently")
}

func checkGzip(_ input: [UInt8]) {
    guard let output = try? Gzip.decompress(input, limits: limits) else { return }
    precondition(output.count <= cap, "Gzip exceeded the cap")
    precondition(Gzip.isGzip(input), "Gzip accepted an input without the magic")
}

func checkZip(_ input: [UInt8]) {
    guard let archive = try? ZipArchive(input) else { return }
    precondition(archive.entries.count <= ZipArchive.defaultMaximumEntryCount, "too many entries accepted")
    for entry in archive.entries {
        guard let output = try? archive.contents(of: entry, limits: limits) else { continue }
        precondition(output.count == entry.uncompressedSize && output.count <= cap, "entry size differs")
        precondition(CRC32.checksum(output) == entry.crc32, "entry CRC-32 differs")
        precondition(!entry.isEncrypted, "an encrypted entry was read")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzDecompression(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    checkInflate(input)
    checkGzip(input)
    checkZip(input)
    return 0
}
