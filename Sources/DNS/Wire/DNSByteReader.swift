/// A bounds-checked cursor over a DNS message.
///
/// Every read checks the remaining length first and throws ``DNSError/Code-swift.struct/truncated``
/// instead of trapping, so arbitrary input is safe to decode.
struct DNSByteReader {
    /// The whole message; compression pointers are offsets into it.
    let bytes: [UInt8]
    /// Offset of the next byte to read.
    var index: Int

    /// Creates a reader at offset 0.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.index = 0
    }

    /// Bytes left after ``index``.
    var remaining: Int { bytes.count - index }

    /// Throws unless `count` more bytes are available.
    func require(_ count: Int, _ what: @autoclosure () -> String) throws(DNSError) {
        guard count >= 0, count <= remaining else {
            throw DNSError(.truncated, "\(what()) needs \(count) bytes at offset \(index), \(remaining) left")
        }
    }

    /// Reads one byte.
    mutating func readUInt8(_ what: @autoclosure () -> String = "byte") throws(DNSError) -> UInt8 {
        try require(1, what())
        defer { index += 1 }
        return bytes[index]
    }

    /// Reads a big-endian 16-bit integer.
    mutating func readUInt16(_ what: @autoclosure () -> String = "16-bit field") throws(DNSError) -> UInt16 {
        try require(2, what())
        defer { index += 2 }
        return UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
    }

    /// Reads a big-endian 32-bit integer.
    mutating func readUInt32(_ what: @autoclosure () -> String = "32-bit field") throws(DNSError) -> UInt32 {
        try require(4, what())
        defer { index += 4 }
        return UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16
            | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
    }

    /// Reads `count` bytes.
    mutating func readBytes(_ count: Int, _ what: @autoclosure () -> String = "bytes") throws(DNSError) -> [UInt8] {
        try require(count, what())
        defer { index += count }
        return Array(bytes[index..<index + count])
    }
}
