/// A snapshot that streams itself into a ``SnapshotFile`` as records and reads itself back from them.
///
/// A kind writes a header record (its sequence and how many entries follow), then one record per entry; its
/// reader reads the same records in the same order. ``SnapshotFile`` adds the magic, version, kind and
/// checksum around them.
///
/// ```swift
/// func encode(to file: SnapshotFileEncoder) throws {
///     try file.encodeRecord { $0.append(sequence); $0.append(UInt64(hosts.count)) }
///     for (host, text) in hosts { try file.encodeRecord { $0.append(host); $0.append(text) } }
/// }
/// ```
package protocol SnapshotFileCodable {
    /// Names the kind in the file's header (`edge`, `zone`), so a role never reads another role's file.
    static var snapshotFileKind: String { get }
    /// Writes the snapshot's records.
    /// - Throws: what `file` throws (a failed write).
    func encode(to file: SnapshotFileEncoder) throws
    /// Reads the records ``encode(to:)`` wrote.
    /// - Throws: ``SnapshotFileError`` for a truncated or malformed file, or a failed read.
    init(from file: SnapshotFileDecoder) throws
}
