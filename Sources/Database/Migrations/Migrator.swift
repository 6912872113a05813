/// Applies SQL migrations to a database, each file in its own transaction.
///
/// Concurrent runs (several processes starting at once) are serialised with a session advisory lock, so each
/// migration runs exactly once. Every applied file is recorded in `schema_migrations` with its SHA-256.
package struct Migrator: Sendable {
    /// The advisory lock key shared by every `mtasts` process ("mtasts" in ASCII).
    static let advisoryLockKey: Int64 = 0x6d74_6173_7473

    package let files: [MigrationFile]

    package init(files: [MigrationFile]) {
        self.files = files
    }

    /// Applies every pending migration and returns the ones it applied.
    @discardableResult
    package func migrate(using connection: PostgresConnection) throws -> [MigrationPlan.Entry] {
        try connection.execute("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))") }
        let plan = try makePlan(using: connection)
        for entry in plan.pending {
            guard let file = files.first(where: { $0.version == entry.version }) else { continue }
            try connection.withTransaction { connection in
                try connection.executeSimple(file.sql)
                try connection.execute(
                    """
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(entry.version), \(entry.name), \(entry.checksum))
                    """
                )
            }
        }
        return plan.pending
    }

    /// The migrations that `migrate` would apply; throws when the history and files disagree.
    /// Read-only, so it also answers on a hot standby (an edge started with `--no-migrate` on a replica).
    package func pending(using connection: PostgresConnection) throws -> [MigrationPlan.Entry] {
        let history = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL")
        guard try history.first?.decode(Bool.self, at: 0) == true else {
            return try MigrationPlan(applied: [], available: try checksums(using: connection)).pending
        }
        return try makePlan(using: connection, createHistory: false).pending
    }

    private func makePlan(using connection: PostgresConnection, createHistory: Bool = true) throws -> MigrationPlan {
        if createHistory {
            try createHistoryTable(on: connection)
        }
        let applied = try connection.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
            .map { row in
                let (version, name, checksum) = try row.decode((Int, String, String).self)
                return MigrationPlan.Entry(version: version, name: name, checksum: checksum)
            }
        return try MigrationPlan(applied: applied, available: try checksums(using: connection))
    }

    private func createHistoryTable(on connection: PostgresConnection) throws {
        try connection.executeSimple(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """
        )
    }

    /// SHA-256 of each file's bytes, computed by the server so this module needs no crypto library.
    private func checksums(using connection: PostgresConnection) throws -> [MigrationPlan.Entry] {
        try files.map { file in
            let digest = try connection.query("SELECT encode(sha256(convert_to(\(file.sql), 'UTF8')), 'hex')")
                .first?.decode(String.self, at: 0)
            guard let digest else { throw DatabaseError(.queryFailed, "checksum query returned no row") }
            return MigrationPlan.Entry(version: file.version, name: file.name, checksum: digest)
        }
    }
}
