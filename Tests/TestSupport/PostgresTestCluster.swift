package import Database
package import Foundation
import Glibc

/// A throwaway PostgreSQL cluster for tests: `initdb` into a temp dir, unix socket only, `fsync=off`.
///
/// `shared` is started once per test process and stopped at exit; each test takes its own database from
/// it with `makeDatabase()`, so tests run in parallel without seeing each other's rows. Tests that restart
/// the server start a private cluster with `start()`. Directories are named after the owning process, and
/// clusters left behind by a killed test run are stopped and removed by the next run.
package final class PostgresTestCluster: Sendable {
    package let cluster: LocalPostgresCluster
    package let directory: URL

    /// The process-wide cluster, started on first use.
    package static var shared: PostgresTestCluster {
        get throws {
            try sharedResult.get()
        }
    }

    private static let sharedResult: Result<PostgresTestCluster, any Error> = {
        do {
            let cluster = try PostgresTestCluster.start()
            atexit {
                PostgresTestCluster.stopSharedAtExit()
            }
            return .success(cluster)
        } catch {
            return .failure(error)
        }
    }()

    private static func stopSharedAtExit() {
        if case .success(let cluster) = sharedResult { cluster.destroy() }
    }

    /// Starts a new private cluster.
    package static func start() throws -> PostgresTestCluster {
        try start { try $0.start() }
    }

    /// Starts a new private cluster as a streaming replica of this one (`pg_basebackup -R`): a hot standby
    /// with every database of the primary, read-only until ``LocalPostgresCluster/promote()``.
    package func startReplica() throws -> PostgresTestCluster {
        try Self.start { try $0.startReplica(of: cluster) }
    }

    private static func start(_ starting: (LocalPostgresCluster) throws -> Void) throws -> PostgresTestCluster {
        removeAbandonedClusters()
        let base = URL(fileURLWithPath: "/tmp")
            .appendingPathComponent("mtasts-test-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        chmod(base.path, 0o755)
        let cluster = LocalPostgresCluster(
            directory: base,
            settings: [
                "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "200",
            ]
        )
        do {
            try starting(cluster)
        } catch {
            try? cluster.stop()
            try? FileManager.default.removeItem(at: base)
            throw error
        }
        return PostgresTestCluster(cluster: cluster, directory: base)
    }

    private init(cluster: LocalPostgresCluster, directory: URL) {
        self.cluster = cluster
        self.directory = directory
    }

    /// A new empty database on this cluster; returns its connection string.
    package func makeEmptyDatabase() throws -> String {
        try cluster.createDatabase(named: "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())
    }

    /// A new database with every migration in `Migrations/` applied.
    package func makeDatabase() throws -> String {
        let url = try makeEmptyDatabase()
        let connection = try PostgresConnection(connectionString: url)
        try Migrator(files: try MigrationFile.load(directory: RepositoryPaths.migrations)).migrate(using: connection)
        return url
    }

    /// Stops the server and deletes the directory.
    package func destroy() {
        try? cluster.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops and deletes clusters whose owning test process no longer exists.
    private static func removeAbandonedClusters() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for name in names where name.hasPrefix("mtasts-test-") {
            let parts = name.split(separator: "-")
            guard parts.count >= 4, let pid = Int32(parts[2]), pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            let abandoned = LocalPostgresCluster(directory: URL(fileURLWithPath: "/tmp/\(name)"))
            try? abandoned.stop()
            try? FileManager.default.removeItem(atPath: "/tmp/\(name)")
        }
    }
}

/// Paths inside the repository, found from this source file's location.
package enum RepositoryPaths {
    /// The repository root.
    package static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `Migrations/`.
    package static let migrations = root.appendingPathComponent("Migrations")
    /// The debug build of the `mtasts` executable.
    package static var debugBinary: URL { root.appendingPathComponent(".build/debug/mtasts") }
}
