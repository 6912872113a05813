package import Foundation

/// Reads back the fields a ``SnapshotRecordWriter`` appended, in the same order.
///
/// Pure; every read checks that the record holds the field, so a malformed record throws
/// ``SnapshotFileError/corrupt`` rather than trapping.
package struct SnapshotRecordReader: Sendable {
    private let bytes: [UInt8]
    private var index = 0

    /// A reader at the start of `bytes`.
    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether every field has been read.
    package var isAtEnd: Bool { index == bytes.count }

    /// Reads a little-endian integer.
    /// - Throws: ``SnapshotFileError/corrupt`` when the record ends first.
    package mutating func read<Integer: FixedWidthInteger>(_ type: Integer.Type = Integer.self) throws -> Integer {
        let size = MemoryLayout<Integer>.size
        let field = try take(size)
        var value = Integer.zero
        withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: field) }
        return Integer(littleEndian: value)
    }

    /// Reads a byte written for a `Bool`.
    /// - Throws: ``SnapshotFileError/corrupt`` when it is neither 0 nor 1.
    package mutating func readBool() throws -> Bool {
        switch try read(UInt8.self) {
        case 0: return false
        case 1: return true
        default: throw SnapshotFileError.corrupt("invalid boolean")
        }
    }

    /// Reads a length-prefixed UTF-8 string.
    /// - Throws: ``SnapshotFileError/corrupt`` when the record ends first or the bytes are not UTF-8.
    package mutating func readString() throws -> String {
        let count = Int(try read(UInt32.self))
        guard let string = String(validating: try take(count), as: UTF8.self) else {
            throw SnapshotFileError.corrupt("invalid UTF-8")
        }
        return string
    }

    /// Reads length-prefixed bytes (or a string's UTF-8) straight into the snapshot's packed storage.
    /// - Throws: ``SnapshotFileError/corrupt`` when the record ends first.
    package mutating func readPackedBytes() throws -> PackedBytes {
        PackedBytes(try take(Int(try read(UInt32.self))))
    }

    /// Reads length-prefixed bytes written by ``SnapshotRecordWriter/append(bytes:)``.
    /// - Throws: ``SnapshotFileError/corrupt`` when the record ends first.
    package mutating func readBytes() throws -> [UInt8] {
        Array(try take(Int(try read(UInt32.self))))
    }

    /// Reads a date written by ``SnapshotRecordWriter/append(_:)-(Date)``.
    /// - Throws: ``SnapshotFileError/corrupt`` when the record ends first.
    package mutating func readDate() throws -> Date {
        Date(timeIntervalSinceReferenceDate: Double(bitPattern: try read(UInt64.self)))
    }

    /// Reads 16 bytes as a UUID.
    /// - Throws: ``SnapshotFileError/corrupt`` when the record ends first.
    package mutating func readUUID() throws -> UUID {
        let field = try take(16)
        // A zero template: `UUID()` would draw 16 random bytes from the kernel per record just to be overwritten.
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &uuid) { $0.copyBytes(from: field) }
        return UUID(uuid: uuid)
    }

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count <= bytes.count - index else { throw SnapshotFileError.corrupt("field beyond its record") }
        defer { index += count }
        return bytes[index..<index + count]
    }
}
