import Foundation
import Glibc

/// The snapshot on local disk, so a role restarted during a database outage still serves.
///
/// Written atomically: a temp file in the same directory, `fsync`, `rename`, then `fsync` of the directory.
/// Private keys inside stay encrypted with the master key, so the file is no more sensitive than a backup.
package struct SnapshotFile<Snapshot: FollowedSnapshot>: Sendable {
    package let path: String

    package init(path: String) {
        self.path = path
    }

    /// Writes `snapshot` replacing the previous file.
    package func write(_ snapshot: Snapshot) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let data = try encoder.encode(snapshot)
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: directory.isEmpty ? "." : directory,
            withIntermediateDirectories: true
        )
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SnapshotFileError("cannot create \(temporary) (errno \(errno))") }
        var failed = false
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    return
                }
                offset += written
            }
        }
        if failed || fsync(descriptor) != 0 {
            close(descriptor)
            unlink(temporary)
            throw SnapshotFileError("cannot write \(temporary) (errno \(errno))")
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw SnapshotFileError("cannot rename \(temporary) to \(path) (errno \(errno))")
        }
        let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Reads the last written snapshot, or nil when there is none.
    package func read() throws -> Snapshot? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(Snapshot.self, from: data)
    }
}

/// The snapshot file could not be written.
package struct SnapshotFileError: Error, CustomStringConvertible {
    package let description: String

    init(_ description: String) {
        self.description = description
    }
}
