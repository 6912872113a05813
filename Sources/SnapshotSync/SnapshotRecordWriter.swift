package import Foundation

/// The fields of one snapshot-file record, appended in order: integers little-endian, strings as a `UInt32`
/// byte count and UTF-8, dates as the bits of their `Double` interval since the reference date (exact).
///
/// Pure; ``SnapshotFileEncoder`` frames the record and writes it to the file.
///
/// ```swift
/// try encoder.encodeRecord { record in
///     record.append(host)
///     record.append(sequence)
/// }
/// ```
package struct SnapshotRecordWriter: Sendable {
    /// The record's fields so far.
    package private(set) var bytes: [UInt8] = []

    /// An empty record.
    package init() {}

    /// Appends `value` little-endian.
    package mutating func append<Integer: FixedWidthInteger>(_ value: Integer) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends one byte, 1 or 0.
    package mutating func append(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// Appends the UTF-8 byte count as a `UInt32`, then the bytes.
    package mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            append(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Appends the byte count as a `UInt32`, then the bytes (DER, a body already encoded).
    package mutating func append(bytes field: [UInt8]) {
        append(UInt32(field.count))
        bytes.append(contentsOf: field)
    }

    /// Appends packed bytes like ``append(bytes:)``, straight from their block (a snapshot's file write copies
    /// every host's certificate, key and policy this way).
    package mutating func append(bytes field: PackedBytes) {
        append(UInt32(field.count))
        field.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// Appends the bits of `date.timeIntervalSinceReferenceDate`, so it reads back exactly.
    package mutating func append(_ date: Date) {
        append(date.timeIntervalSinceReferenceDate.bitPattern)
    }

    /// Appends the 16 bytes of `uuid`.
    package mutating func append(_ uuid: UUID) {
        withUnsafeBytes(of: uuid.uuid) { bytes.append(contentsOf: $0) }
    }

    /// Empties the record, keeping its storage for the next one.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }
}
