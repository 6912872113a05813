package import Foundation
import Glibc

/// A PostgreSQL cluster of our own in a local directory, reachable only through a unix socket.
///
/// Used by `mtasts serve` when no database URL is configured, and by the test harness. `initdb` and
/// `postgres` refuse to run as root, so when this process is root every server command runs as the
/// `postgres` system user (Debian's package creates it), with the directories owned by that user.
///
/// ```swift
/// let cluster = LocalPostgresCluster(directory: URL(fileURLWithPath: ".data"))
/// try cluster.start()
/// let url = try cluster.createDatabase(named: "mtasts")
/// ```
package struct LocalPostgresCluster: Sendable {
    /// The folder holding `postgres/` (data) and `run/` (socket and log).
    package let directory: URL
    /// Extra `-c name=value` server settings (e.g. `fsync=off` for tests).
    package let settings: [String: String]

    package init(directory: URL, settings: [String: String] = [:]) {
        self.directory = directory.standardizedFileURL
        self.settings = settings
    }

    package var dataDirectory: URL { directory.appendingPathComponent("postgres") }
    package var socketDirectory: URL { directory.appendingPathComponent("run") }
    package var logFile: URL { socketDirectory.appendingPathComponent("postgres.log") }

    /// A libpq key/value string for `database` on this cluster's socket.
    package func connectionString(database: String = "postgres") -> String {
        "host=\(socketDirectory.path) user=postgres dbname=\(database)"
    }

    /// Creates the cluster if needed and starts it unless it is already running. Idempotent.
    package func start() throws(DatabaseError) {
        let binaries = try Self.binaryDirectory()
        try prepareDirectories()
        if !FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) {
            try runServerCommand(
                binaries.appendingPathComponent("initdb").path,
                ["-D", dataDirectory.path, "-A", "trust", "-U", "postgres", "--encoding=UTF8", "--locale=C"],
                what: "initdb"
            )
        }
        if isRunning(binaries: binaries) { return }
        var options = "-k \(socketDirectory.path) -c listen_addresses=''"
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) { options += " -c \(name)=\(value)" }
        try runServerCommand(
            binaries.appendingPathComponent("pg_ctl").path,
            ["-D", dataDirectory.path, "-o", options, "-l", logFile.path, "-w", "-t", "60", "start"],
            what: "pg_ctl start"
        )
    }

    /// Makes this (new, empty) cluster a streaming replica of `primary` with `pg_basebackup -R` and starts it:
    /// a hot standby that replays the primary's WAL and answers read-only queries (the topology of
    /// `MTASTS_DATABASE_READ_URL`). The primary needs `wal_level=replica` and a free WAL sender, PostgreSQL's
    /// defaults.
    package func startReplica(of primary: LocalPostgresCluster) throws(DatabaseError) {
        let binaries = try Self.binaryDirectory()
        try prepareDirectories()
        if !FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) {
            try runServerCommand(
                binaries.appendingPathComponent("pg_basebackup").path,
                [
                    "-D", dataDirectory.path, "-R", "-X", "stream", "--checkpoint=fast", "-h",
                    primary.socketDirectory.path, "-U", "postgres",
                ],
                what: "pg_basebackup"
            )
        }
        try start()
    }

    /// Promotes a replica to primary (`pg_ctl promote`), waiting until it accepts writes.
    package func promote() throws(DatabaseError) {
        let binaries = try Self.binaryDirectory()
        try runServerCommand(
            binaries.appendingPathComponent("pg_ctl").path,
            ["-D", dataDirectory.path, "-w", "-t", "60", "promote"],
            what: "pg_ctl promote"
        )
    }

    /// Stops the server (fast shutdown: active sessions are disconnected). Does nothing if it is not running.
    package func stop() throws(DatabaseError) {
        let binaries = try Self.binaryDirectory()
        guard isRunning(binaries: binaries) else { return }
        try runServerCommand(
            binaries.appendingPathComponent("pg_ctl").path,
            ["-D", dataDirectory.path, "-m", "fast", "-w", "-t", "60", "stop"],
            what: "pg_ctl stop"
        )
    }

    /// Creates `name` unless it exists and returns its connection string.
    @discardableResult
    package func createDatabase(named name: String) throws(DatabaseError) -> String {
        guard !name.isEmpty, name.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 })
        else { throw DatabaseError(.invalidConfiguration, "database names are lower-case letters, digits and _") }
        let connection = try PostgresConnection(connectionString: connectionString())
        let exists = try connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)")
        if exists.isEmpty {
            do {
                try connection.executeSimple("CREATE DATABASE \(name)")
            } catch  where error.code == .uniqueViolation {
                // Another process created it between the check and the CREATE.
            }
        }
        return connectionString(database: name)
    }

    /// Whether `pg_ctl status` reports a running server for the data directory.
    package func isRunning() -> Bool {
        guard let binaries = try? Self.binaryDirectory() else { return false }
        return isRunning(binaries: binaries)
    }

    private func isRunning(binaries: URL) -> Bool {
        guard FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) else {
            return false
        }
        let status = try? Self.run(
            asPostgres: Self.isRoot,
            binaries.appendingPathComponent("pg_ctl").path,
            ["-D", dataDirectory.path, "status"]
        )
        return status?.exitCode == 0
    }

    // MARK: - Directories and processes

    private static var isRoot: Bool { geteuid() == 0 }

    private func prepareDirectories() throws(DatabaseError) {
        let manager = FileManager.default
        do {
            for url in [directory, dataDirectory, socketDirectory] {
                try manager.createDirectory(at: url, withIntermediateDirectories: true)
            }
        } catch {
            throw DatabaseError(.clusterFailed, "cannot create \(directory.path): \(error.localizedDescription)")
        }
        // The data directory must be 0700 (postgres refuses anything looser).
        chmod(dataDirectory.path, 0o700)
        chmod(socketDirectory.path, 0o755)
        guard Self.isRoot else { return }
        guard let user = getpwnam("postgres") else {
            throw DatabaseError(
                .clusterFailed,
                "running as root needs the 'postgres' system user: apt-get install -y postgresql"
            )
        }
        let (uid, gid) = (user.pointee.pw_uid, user.pointee.pw_gid)
        for url in [dataDirectory, socketDirectory] where chown(url.path, uid, gid) != 0 {
            throw DatabaseError(.clusterFailed, "cannot chown \(url.path) to postgres (errno \(errno))")
        }
        // Every parent must be traversable by the postgres user.
        var parent = directory
        while parent.path != "/" {
            var info = stat()
            if stat(parent.path, &info) == 0, info.st_mode & 0o001 == 0 {
                chmod(parent.path, info.st_mode & 0o7777 | 0o001)
            }
            parent.deleteLastPathComponent()
        }
    }

    private func runServerCommand(_ executable: String, _ arguments: [String], what: String) throws(DatabaseError) {
        let result = try Self.run(asPostgres: Self.isRoot, executable, arguments)
        guard result.exitCode == 0 else {
            let log = (try? String(contentsOf: logFile, encoding: .utf8)).map { String($0.suffix(2000)) } ?? ""
            throw DatabaseError(
                .clusterFailed,
                "\(what) failed with exit code \(result.exitCode): \(result.output.suffix(2000))",
                serverDetail: log
            )
        }
    }

    static func run(
        asPostgres: Bool,
        _ executable: String,
        _ arguments: [String]
    ) throws(DatabaseError)
        -> ChildProcess.Result
    {
        if asPostgres {
            return try ChildProcess.run(runuserPath(), ["-u", "postgres", "--", executable] + arguments)
        }
        return try ChildProcess.run(executable, arguments)
    }

    private static func runuserPath() -> String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        } ?? "runuser"
    }

    /// Finds the server binaries: `pg_config --bindir`, else the newest `/usr/lib/postgresql/*/bin`.
    package static func binaryDirectory() throws(DatabaseError) -> URL {
        let manager = FileManager.default
        if let result = try? run(asPostgres: false, "/usr/bin/env", ["pg_config", "--bindir"]), result.exitCode == 0 {
            let path = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
            if manager.isExecutableFile(atPath: path + "/initdb") { return URL(fileURLWithPath: path) }
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? manager.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        for version in versions.reversed() where manager.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return URL(fileURLWithPath: "\(root)/\(version)/bin")
        }
        throw DatabaseError(
            .clusterFailed,
            "PostgreSQL server binaries not found (initdb, pg_ctl): apt-get install -y postgresql"
        )
    }
}
