import Glibc
import SystemIO

/// The snapshot on local disk, so a role restarted during a database outage still serves.
///
/// Streamed record by record (``SnapshotFileFormat``) into a temp file that replaces the previous one
/// atomically and durably (``DurableFile``), and read back the same way, so neither direction builds the
/// whole document in memory. Private keys inside stay encrypted with the master key, so the file is no more
/// sensitive than a backup.
///
/// ```swift
/// let file = SnapshotFile<EdgeSnapshot>(path: "/var/lib/mtasts/edge-snapshot.bin")
/// try file.write(snapshot)
/// let restored = try file.read()   // nil when there is no file
/// ```
package struct SnapshotFile<Snapshot: SnapshotFileCodable>: Sendable {
    package let path: String

    package init(path: String) {
        self.path = path
    }

    /// Writes `snapshot` replacing the previous file.
    /// - Throws: ``SystemError`` naming the call that failed; the previous file is left as it was.
    package func write(_ snapshot: Snapshot) throws {
        try DurableFile.write(to: path) { writer in
            let encoder = SnapshotFileEncoder(writer: writer)
            try encoder.encodeHeader(kind: Snapshot.snapshotFileKind)
            try snapshot.encode(to: encoder)
            try encoder.encodeChecksum()
        }
    }

    /// Reads the last written snapshot, or nil when there is none.
    /// - Throws: ``SnapshotFileError`` for a file that is not a complete, intact snapshot of this kind and
    ///   version (an earlier release's JSON included), or ``SystemError`` from `open(2)` or `read(2)`.
    package func read() throws -> Snapshot? {
        let reader: BufferedFileReader
        do {
            reader = try BufferedFileReader(path: path)
        } catch let error as SystemError where error.errno == ENOENT {
            return nil
        }
        let decoder = SnapshotFileDecoder(reader: reader)
        try decoder.decodeHeader(kind: Snapshot.snapshotFileKind)
        let snapshot = try Snapshot(from: decoder)
        try decoder.decodeChecksum()
        return snapshot
    }
}
