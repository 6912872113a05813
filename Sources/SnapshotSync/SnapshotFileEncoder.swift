import Decompression
package import Foundation
package import SystemIO

/// Streams a snapshot file: the header, length-prefixed records and the closing checksum (the format is
/// described on ``SnapshotFileFormat``).
///
/// Each record is built in one reused buffer and handed to a ``BufferedFileWriter``, so writing 100,000
/// hosts holds one record in memory, not the document.
package final class SnapshotFileEncoder {
    private let writer: BufferedFileWriter
    private var checksum = CRC32()
    private var record = SnapshotRecordWriter()

    /// An encoder writing to `writer`.
    package init(writer: BufferedFileWriter) {
        self.writer = writer
    }

    /// Writes the record `body` fills in, prefixed by its length.
    /// - Throws: ``SnapshotFileError/unsupported`` for a record over ``SnapshotFileFormat/maximumRecordLength``
    ///   (it could not be read back), or ``SystemError`` from `write(2)`.
    package func encodeRecord(_ body: (inout SnapshotRecordWriter) -> Void) throws {
        record.removeAll()
        body(&record)
        guard record.bytes.count <= SnapshotFileFormat.maximumRecordLength else {
            throw SnapshotFileError.unsupported("record too large")
        }
        try write(littleEndian: UInt32(record.bytes.count))
        try write(record.bytes)
    }

    /// Writes the snapshot record every kind starts with: its change-log position, build time and host count.
    package func encodeSnapshotRecord(sequence: Int64, builtAt: Date, hostCount: Int) throws {
        try encodeRecord { record in
            record.append(sequence)
            record.append(builtAt)
            record.append(UInt64(hostCount))
        }
    }

    /// Writes the magic, the format version and `kind`.
    func encodeHeader(kind: String) throws {
        try write(SnapshotFileFormat.magic)
        try write(littleEndian: SnapshotFileFormat.version)
        let kind = Array(kind.utf8)
        try write([UInt8(kind.count)] + kind)
    }

    /// Writes the CRC-32 of everything written before it.
    func encodeChecksum() throws {
        let value = checksum.value
        try write(littleEndian: value)
    }

    private func write(littleEndian value: some FixedWidthInteger) throws {
        try write(withUnsafeBytes(of: value.littleEndian) { Array($0) })
    }

    private func write(_ bytes: [UInt8]) throws {
        checksum.update(bytes)
        try writer.write(bytes)
    }
}
