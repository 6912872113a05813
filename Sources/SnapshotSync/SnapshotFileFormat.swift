/// The snapshot file's binary format, version 2 (version 1 kept an edge certificate's chain as PEM text).
///
/// ```text
/// magic      8 bytes   89 4D 54 53 4E 41 50 0A  ("\x89MTSNAP\n")
/// version    UInt16    2
/// kind       UInt8 length + ASCII  ("edge", "zone")
/// records    UInt32 length + fields, as many as the kind writes (a header record, then one per host)
/// checksum   UInt32    CRC-32 (IEEE, as gzip) of every byte before it; the file ends here
/// ```
///
/// Integers are little-endian; the fields of a record are those of ``SnapshotRecordWriter``. The high first
/// byte of the magic (as in PNG) and the checksum make a JSON file of an earlier release, a torn write or a
/// flipped byte fail cleanly with a ``SnapshotFileError``; the role then starts as if there were no file.
package enum SnapshotFileFormat {
    /// The first eight bytes of every snapshot file.
    static let magic: [UInt8] = [0x89, 0x4D, 0x54, 0x53, 0x4E, 0x41, 0x50, 0x0A]
    /// Bumped on any change of the layout; a file of another version is refused, not migrated (it is a cache).
    static let version: UInt16 = 2
    /// The largest record written or read (a host's entry is a few KiB), so a corrupt length cannot make
    /// the reader allocate gigabytes.
    package static let maximumRecordLength = 16 * 1024 * 1024
}
