/// The gzip file format (RFC 1952): one or more members, each a header, a DEFLATE stream, CRC-32 and ISIZE.
///
/// Strict: the magic `1f 8b`, method 8 (DEFLATE) and no reserved flag bits (RFC 1952 §2.3.1.2 requires an error);
/// the optional FEXTRA, FNAME and FCOMMENT fields are skipped and FHCRC, when present, is verified. Each
/// member's CRC-32 and ISIZE must match its output. Members may follow one another (RFC 1952 §2.2; `cat a.gz b.gz`
/// is a valid gzip file) and their outputs are concatenated, under one limit computed from the whole input;
/// anything after the last member that is not another member is refused.
///
/// ```swift
/// guard Gzip.isGzip(body) else { return try parseJSON(body) }
/// let json = try Gzip.decompress(body, limits: .reports)
/// ```
package enum Gzip {
    /// The flag bits of RFC 1952 §2.3.1 (FTEXT, 0x01, is only a hint and ignored).
    private enum Flag {
        static let headerCRC: UInt8 = 0x02
        static let extra: UInt8 = 0x04
        static let name: UInt8 = 0x08
        static let comment: UInt8 = 0x10
        static let reserved: UInt8 = 0xE0
    }

    /// Whether `bytes` start with the gzip magic number `1f 8b` (the method is checked by ``decompress(_:limits:)``).
    package static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Decompresses every member of a gzip file.
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - limits: The output cap, computed from `bytes.count` and applied to the members' total.
    /// - Returns: The members' outputs, concatenated.
    /// - Throws: ``DecompressionError``: `.truncated` when the file is cut short; `.invalidData` for a bad magic,
    ///   reserved flags or trailing bytes; `.unsupported` for a method other than DEFLATE; `.checksumMismatch`
    ///   for a wrong header CRC-16, CRC-32 or ISIZE; `.outputTooLarge`.
    package static func decompress(
        _ bytes: [UInt8],
        limits: DecompressionLimits
    ) throws(DecompressionError) -> [UInt8] {
        let limit = limits.outputLimit(forInputBytes: bytes.count)
        var output = OutputBuffer(limit: limit, expected: bytes.count.multipliedReportingOverflow(by: 4).partialValue)
        var offset = 0
        repeat {
            offset = try readHeader(bytes, at: offset)
            let start = output.count
            offset += try Inflate.inflate(bytes[offset...], into: &output)
            // RFC 1952 §2.3.1: CRC32, then ISIZE (the size modulo 2^32), both little-endian.
            guard bytes.count - offset >= 8 else { throw .truncated("input ends inside a gzip trailer") }
            let crc = bytes.littleEndian32(at: offset)
            let size = bytes.littleEndian32(at: offset + 4)
            offset += 8
            guard crc == CRC32.checksum(output.bytes[start..<output.count]) else {
                throw .checksumMismatch("gzip CRC-32 does not match the data")
            }
            guard size == UInt32(truncatingIfNeeded: output.count - start) else {
                throw .checksumMismatch("gzip ISIZE does not match the data")
            }
        } while offset < bytes.count
        return output.finish()
    }

    /// Checks a member header at `offset` and returns the offset of its DEFLATE data.
    private static func readHeader(_ bytes: [UInt8], at start: Int) throws(DecompressionError) -> Int {
        var offset = start
        func need(_ count: Int) throws(DecompressionError) {
            guard bytes.count - offset >= count else { throw .truncated("input ends inside a gzip header") }
        }
        // A mismatch in the magic bytes present is invalid data, even when the input ends before both are there.
        for (index, magic) in [UInt8(0x1F), 0x8B].enumerated() where offset + index < bytes.count {
            guard bytes[offset + index] == magic else {
                throw offset == 0 ? .invalidData("not gzip (no 1f 8b magic)") : .invalidData("trailing data after gzip")
            }
        }
        try need(10)
        guard bytes[offset + 2] == 8 else { throw .unsupported("gzip compression method other than DEFLATE") }
        let flags = bytes[offset + 3]
        guard flags & Flag.reserved == 0 else { throw .invalidData("reserved gzip flag bits set") }
        // MTIME (4), XFL and OS carry no information we need.
        offset += 10
        if flags & Flag.extra != 0 {
            try need(2)
            let extraLength = bytes.littleEndian16(at: offset)
            offset += 2
            try need(extraLength)
            offset += extraLength
        }
        for field in [Flag.name, Flag.comment] where flags & field != 0 {
            // Zero-terminated ISO 8859-1 text.
            guard let terminator = bytes[offset...].firstIndex(of: 0) else {
                throw .truncated("input ends inside a gzip file name or comment")
            }
            offset = terminator + 1
        }
        if flags & Flag.headerCRC != 0 {
            try need(2)
            let stored = UInt32(bytes.littleEndian16(at: offset))
            guard stored == CRC32.checksum(bytes[start..<offset]) & 0xFFFF else {
                throw .checksumMismatch("gzip header CRC-16 does not match")
            }
            offset += 2
        }
        return offset
    }
}
