// MARK: - Reading an entry

extension ZipArchive {
    /// Decompresses one entry and checks it against its size and CRC-32.
    ///
    /// The cap is ``DecompressionLimits/outputLimit(forInputBytes:)`` of the entry's compressed size; an entry
    /// declaring more than that is refused before any work.
    /// - Parameters:
    ///   - entry: An element of ``entries``.
    ///   - limits: The output cap for this entry.
    /// - Returns: The entry's data.
    /// - Throws: ``DecompressionError``: `.unsupported` for encrypted entries and methods other than 0 and 8;
    ///   `.invalidData` when the local header disagrees with the central one or the data overlaps the
    ///   directory; `.checksumMismatch` when the size or CRC-32 differ; `.outputTooLarge`; `.truncated` and
    ///   `.invalidData` from ``Inflate``.
    package func contents(of entry: Entry, limits: DecompressionLimits) throws(DecompressionError) -> [UInt8] {
        guard !entry.isEncrypted else { throw .unsupported("encrypted ZIP entry") }
        guard entry.method == .stored || entry.method == .deflated else {
            throw .unsupported("ZIP compression method \(entry.method.rawValue)")
        }
        let data = try localData(of: entry)
        let limit = limits.outputLimit(forInputBytes: entry.compressedSize)
        guard entry.uncompressedSize <= limit else {
            throw .outputTooLarge("ZIP entry declares more than \(limit) bytes")
        }
        let output: [UInt8]
        if entry.method == .stored {
            guard entry.compressedSize == entry.uncompressedSize else {
                throw .invalidData("stored ZIP entry sizes differ")
            }
            output = Array(data)
        } else {
            var buffer = OutputBuffer(limit: limit, expected: entry.uncompressedSize)
            let consumed = try Inflate.inflate(data, into: &buffer)
            guard consumed == data.count else { throw .invalidData("data after the DEFLATE stream of a ZIP entry") }
            output = buffer.finish()
        }
        guard output.count == entry.uncompressedSize else {
            throw .checksumMismatch("ZIP entry size does not match the data")
        }
        guard CRC32.checksum(output) == entry.crc32 else {
            throw .checksumMismatch("ZIP entry CRC-32 does not match the data")
        }
        return output
    }

    /// The entry's data, after checking its local header (APPNOTE §4.3.7) against the central directory.
    private func localData(of entry: Entry) throws(DecompressionError) -> ArraySlice<UInt8> {
        let header = entry.localHeaderOffset
        guard header >= 0, centralDirectoryOffset - header >= 30, bytes.littleEndian32(at: header) == 0x0403_4B50
        else { throw .invalidData("malformed ZIP local header") }
        let flags = bytes.littleEndian16(at: header + 6)
        let nameLength = bytes.littleEndian16(at: header + 26)
        let extraLength = bytes.littleEndian16(at: header + 28)
        let nameStart = header + 30
        let dataStart = nameStart + nameLength + extraLength
        guard dataStart <= centralDirectoryOffset, entry.compressedSize <= centralDirectoryOffset - dataStart else {
            throw .invalidData("ZIP entry data overlaps the central directory")
        }
        guard bytes[nameStart..<nameStart + nameLength].elementsEqual(entry.name.utf8),
            bytes.littleEndian16(at: header + 8) == Int(entry.method.rawValue),
            (flags & 0x41 != 0) == entry.isEncrypted
        else { throw .invalidData("ZIP local header disagrees with the central directory") }
        // Without a data descriptor (flag bit 3) the local header carries the CRC-32 and sizes too.
        if flags & 0x08 == 0 {
            guard bytes.littleEndian32(at: header + 14) == entry.crc32,
                Int(bytes.littleEndian32(at: header + 18)) == entry.compressedSize,
                Int(bytes.littleEndian32(at: header + 22)) == entry.uncompressedSize
            else { throw .invalidData("ZIP local header disagrees with the central directory") }
        }
        return bytes[dataStart..<dataStart + entry.compressedSize]
    }
}
