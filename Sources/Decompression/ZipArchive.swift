/// A ZIP archive read from memory through its central directory (APPNOTE.TXT §4.3), as TLS-RPT reports arrive
/// as mail attachments.
///
/// The reader trusts the end of central directory record and the central directory, never a scan of local
/// headers, so entries written with a data descriptor (general purpose flag bit 3, sizes after the data) read
/// like any other. Refused when opening (``DecompressionError``): no end record, or one whose comment length
/// does not reach exactly the end of the input, a central directory that does not end where the end record
/// starts, entries whose data overlap (`invalidData`); ZIP64, split archives, more than `maximumEntryCount`
/// entries (`unsupported`); names that are not UTF-8 or contain NUL, duplicate names (`invalidData`). ``contents(of:limits:)`` reads stored
/// (method 0) and deflated (method 8) entries, refuses encrypted entries and other methods (`unsupported`) and
/// checks the local header against the central one, the sizes and the CRC-32.
///
/// ```swift
/// let archive = try ZipArchive(attachment)
/// for entry in archive.entries where entry.name.hasSuffix(".json") {
///     let report = try archive.contents(of: entry, limits: .reports)
/// }
/// ```
package struct ZipArchive: Sendable {
    /// The entries in central directory order.
    package let entries: [Entry]
    /// The whole archive.
    let bytes: [UInt8]
    /// Where the central directory starts: entry data must end before it.
    let centralDirectoryOffset: Int

    /// The default for `maximumEntryCount`: a report attachment holds one file.
    package static let defaultMaximumEntryCount = 64

    /// Reads the directory of the archive in `bytes`.
    /// - Parameters:
    ///   - bytes: The whole archive.
    ///   - maximumEntryCount: More entries than this are refused as `unsupported`.
    /// - Throws: ``DecompressionError`` `.invalidData` or `.unsupported` (see the type's discussion).
    package init(_ bytes: [UInt8], maximumEntryCount: Int = defaultMaximumEntryCount) throws(DecompressionError) {
        let end = try Self.findEndRecord(bytes)
        // APPNOTE §4.3.16: the number of this disk, the disk where the central directory starts, entries on this
        // disk, entries in total, central directory size and offset.
        guard bytes.littleEndian16(at: end + 4) == 0, bytes.littleEndian16(at: end + 6) == 0 else {
            throw .unsupported("split (multi-disk) ZIP archive")
        }
        let diskEntryCount = bytes.littleEndian16(at: end + 8)
        let entryCount = bytes.littleEndian16(at: end + 10)
        let size = bytes.littleEndian32(at: end + 12)
        let offset = bytes.littleEndian32(at: end + 16)
        // APPNOTE §4.4.1.4: a field at its maximum means the value is in the ZIP64 end record; the locator
        // (signature 0x07064b50) sits just before the end record.
        let hasLocator = end >= 20 && bytes.littleEndian32(at: end - 20) == 0x0706_4B50
        guard !hasLocator, entryCount != 0xFFFF, size != 0xFFFF_FFFF, offset != 0xFFFF_FFFF else {
            throw .unsupported("ZIP64 archive")
        }
        guard diskEntryCount == entryCount else { throw .unsupported("split (multi-disk) ZIP archive") }
        guard entryCount <= maximumEntryCount else { throw .unsupported("more than \(maximumEntryCount) ZIP entries") }
        guard Int(offset) + Int(size) == end else {
            throw .invalidData("ZIP central directory does not end at the end record")
        }
        self.bytes = bytes
        centralDirectoryOffset = Int(offset)
        entries = try Self.readCentralDirectory(bytes, from: Int(offset), to: end, count: entryCount)
        try Self.checkNoOverlap(entries, before: Int(offset))
    }

    /// Refuses entries whose local header and data (at least 30 bytes, the name, then the compressed data) run
    /// into the next entry or the central directory: the "overlapping files" zip bomb has every entry reuse the
    /// same compressed bytes, so per-entry limits would multiply.
    private static func checkNoOverlap(_ entries: [Entry], before centralDirectory: Int) throws(DecompressionError) {
        var next = centralDirectory
        for entry in entries.sorted(by: { $0.localHeaderOffset > $1.localHeaderOffset }) {
            // No overflow: every term is below 2^32.
            let end = entry.localHeaderOffset + 30 + entry.name.utf8.count + entry.compressedSize
            guard end <= next else { throw .invalidData("overlapping ZIP entries") }
            next = entry.localHeaderOffset
        }
    }

    /// The first entry called `name`.
    package func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    /// Finds the end of central directory record (APPNOTE §4.3.16): the last signature `50 4b 05 06` whose
    /// comment length reaches exactly the end of the input.
    private static func findEndRecord(_ bytes: [UInt8]) throws(DecompressionError) -> Int {
        let recordSize = 22
        guard bytes.count >= recordSize else { throw .invalidData("not a ZIP archive (too short)") }
        let lowest = max(0, bytes.count - recordSize - 0xFFFF)
        var candidate = bytes.count - recordSize
        while candidate >= lowest {
            if bytes[candidate] == 0x50 && bytes.littleEndian32(at: candidate) == 0x0605_4B50
                && candidate + recordSize + bytes.littleEndian16(at: candidate + 20) == bytes.count
            {
                return candidate
            }
            candidate -= 1
        }
        throw .invalidData("not a ZIP archive (no end of central directory record)")
    }

    /// Reads `count` central directory headers (APPNOTE §4.3.12) filling exactly `start..<end`.
    private static func readCentralDirectory(
        _ bytes: [UInt8],
        from start: Int,
        to end: Int,
        count: Int
    ) throws(DecompressionError) -> [Entry] {
        var entries: [Entry] = []
        var names = Set<String>()
        var offset = start
        for _ in 0..<count {
            guard end - offset >= 46, bytes.littleEndian32(at: offset) == 0x0201_4B50 else {
                throw .invalidData("malformed ZIP central directory header")
            }
            let nameLength = bytes.littleEndian16(at: offset + 28)
            let extraLength = bytes.littleEndian16(at: offset + 30)
            let commentLength = bytes.littleEndian16(at: offset + 32)
            let headerEnd = offset + 46 + nameLength + extraLength + commentLength
            guard headerEnd <= end else { throw .invalidData("malformed ZIP central directory header") }
            let compressedSize = bytes.littleEndian32(at: offset + 20)
            let uncompressedSize = bytes.littleEndian32(at: offset + 24)
            let localHeaderOffset = bytes.littleEndian32(at: offset + 42)
            let extra = bytes[offset + 46 + nameLength..<offset + 46 + nameLength + extraLength]
            guard compressedSize != 0xFFFF_FFFF, uncompressedSize != 0xFFFF_FFFF, localHeaderOffset != 0xFFFF_FFFF,
                !hasZIP64Field(extra)
            else { throw .unsupported("ZIP64 entry") }
            guard bytes.littleEndian16(at: offset + 34) == 0 else {
                throw .unsupported("split (multi-disk) ZIP archive")
            }

            let nameBytes = bytes[offset + 46..<offset + 46 + nameLength]
            guard !nameBytes.contains(0), let name = String(validating: nameBytes, as: UTF8.self) else {
                throw .invalidData("ZIP entry name is not UTF-8")
            }
            guard names.insert(name).inserted else { throw .invalidData("duplicate ZIP entry name") }
            let flags = bytes.littleEndian16(at: offset + 8)
            entries.append(
                Entry(
                    name: name,
                    method: Entry.Method(rawValue: UInt16(bytes.littleEndian16(at: offset + 10))),
                    compressedSize: Int(compressedSize),
                    uncompressedSize: Int(uncompressedSize),
                    crc32: bytes.littleEndian32(at: offset + 16),
                    // Bit 0: encrypted; bit 6: strong encryption (APPNOTE §4.4.4).
                    isEncrypted: flags & 0x41 != 0,
                    localHeaderOffset: Int(localHeaderOffset)
                )
            )
            offset = headerEnd
        }
        guard offset == end else { throw .invalidData("ZIP central directory size does not match its entries") }
        return entries
    }

    /// Whether the extra field holds a ZIP64 extended information record (header ID 0x0001, APPNOTE §4.5.3).
    private static func hasZIP64Field(_ extra: ArraySlice<UInt8>) -> Bool {
        var offset = extra.startIndex
        while extra.endIndex - offset >= 4 {
            let identifier = Int(extra[offset]) | Int(extra[offset + 1]) << 8
            let size = Int(extra[offset + 2]) | Int(extra[offset + 3]) << 8
            if identifier == 0x0001 { return true }
            offset += 4 + size
        }
        return false
    }
}
