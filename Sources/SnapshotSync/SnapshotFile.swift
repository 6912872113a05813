import Foundation
import SystemIO

/// The snapshot on local disk, so a role restarted during a database outage still serves.
///
/// Written atomically and durably (``DurableFile``).
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
        try DurableFile.write(data, to: path)
    }

    /// Reads the last written snapshot, or nil when there is none.
    package func read() throws -> Snapshot? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(Snapshot.self, from: data)
    }
}
