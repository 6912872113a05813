import Decompression
package import Foundation
package import SystemIO

/// Reads a snapshot file front to back: the header, length-prefixed records and the closing checksum (the
/// format is described on ``SnapshotFileFormat``).
///
/// Records are read one at a time through a ``BufferedFileReader``; the checksum covers every byte, so a
/// torn or altered file is refused at the end even when each record parsed.
package final class SnapshotFileDecoder {
    private let reader: BufferedFileReader
    private var checksum = CRC32()

    /// A decoder reading from `reader`.
    package init(reader: BufferedFileReader) {
        self.reader = reader
    }

    /// Reads the next record and parses it with `body`, which must read every field.
    /// - Returns: What `body` returned.
    /// - Throws: ``SnapshotFileError/truncated`` when the file ends first, ``SnapshotFileError/corrupt``
    ///   for a length out of range or a record `body` does not read exactly, or what `body` threw.
    package func decodeRecord<Value>(_ body: (inout SnapshotRecordReader) throws -> Value) throws -> Value {
        let length = Int(try read(UInt32.self))
        guard length <= SnapshotFileFormat.maximumRecordLength else {
            throw SnapshotFileError.corrupt("record length out of range")
        }
        var record = SnapshotRecordReader(try read(count: length))
        let value = try body(&record)
        guard record.isAtEnd else { throw SnapshotFileError.corrupt("record longer than its fields") }
        return value
    }

    /// Reads the record ``SnapshotFileEncoder/encodeSnapshotRecord(sequence:builtAt:hostCount:)`` wrote.
    package func decodeSnapshotRecord() throws -> (sequence: Int64, builtAt: Date, hostCount: UInt64) {
        try decodeRecord { record in
            (try record.read(Int64.self), try record.readDate(), try record.read(UInt64.self))
        }
    }

    /// Reads and checks the magic, the format version and `kind`.
    /// - Throws: ``SnapshotFileError/notASnapshot`` without the magic (a JSON file of an earlier release),
    ///   ``SnapshotFileError/unsupported`` for another version or kind.
    func decodeHeader(kind: String) throws {
        guard try read(count: SnapshotFileFormat.magic.count, orThrow: .notASnapshot) == SnapshotFileFormat.magic
        else { throw SnapshotFileError.notASnapshot }
        guard try read(UInt16.self) == SnapshotFileFormat.version else {
            throw SnapshotFileError.unsupported("unsupported format version")
        }
        let count = Int(try read(UInt8.self))
        guard try read(count: count) == Array(kind.utf8) else {
            throw SnapshotFileError.unsupported("another kind of snapshot")
        }
    }

    /// Reads the checksum and checks it and that the file ends there.
    /// - Throws: ``SnapshotFileError/corrupt`` on a mismatch or bytes after it.
    func decodeChecksum() throws {
        let expected = checksum.value
        guard try read(UInt32.self) == expected else { throw SnapshotFileError.corrupt }
        guard try reader.isAtEnd() else { throw SnapshotFileError.corrupt("bytes after the checksum") }
    }

    private func read<Integer: FixedWidthInteger>(_ type: Integer.Type) throws -> Integer {
        var record = SnapshotRecordReader(try read(count: MemoryLayout<Integer>.size))
        return try record.read(Integer.self)
    }

    private func read(count: Int, orThrow error: SnapshotFileError = .truncated) throws -> [UInt8] {
        let bytes = try reader.read(upTo: count)
        guard bytes.count == count else { throw error }
        checksum.update(bytes)
        return bytes
    }
}
