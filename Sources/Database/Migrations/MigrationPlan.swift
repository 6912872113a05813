/// Decides which migrations to run, purely from what is applied and what is on disk.
///
/// The rules: the applied list must be a prefix of the files on disk (same versions, names and checksums, in
/// order); anything else is refused with a message that names the first difference. The files after the
/// prefix are pending.
package struct MigrationPlan: Sendable, Equatable {
    /// A migration as recorded in `schema_migrations` or computed from a file.
    package struct Entry: Sendable, Equatable {
        package let version: Int
        package let name: String
        package let checksum: String

        package init(version: Int, name: String, checksum: String) {
            self.version = version
            self.name = name
            self.checksum = checksum
        }
    }

    /// Versions to apply, in order.
    package let pending: [Entry]

    /// - Throws: `migrationRefused` when the database's history and the files disagree.
    package init(applied: [Entry], available: [Entry]) throws(DatabaseError) {
        let applied = applied.sorted { $0.version < $1.version }
        let available = available.sorted { $0.version < $1.version }
        for (index, entry) in applied.enumerated() {
            guard index < available.count else {
                throw DatabaseError(
                    .migrationRefused,
                    "the database has migration \(Self.label(entry)) but no such file exists; "
                        + "this binary is older than the database schema"
                )
            }
            let file = available[index]
            guard file.version == entry.version, file.name == entry.name else {
                throw DatabaseError(
                    .migrationRefused,
                    "applied migration \(Self.label(entry)) does not match file \(Self.label(file)); "
                        + "applied migrations must be a prefix of the files on disk"
                )
            }
            guard file.checksum == entry.checksum else {
                throw DatabaseError(
                    .migrationRefused,
                    "migration \(Self.label(entry)) was changed after it was applied "
                        + "(checksum \(entry.checksum.prefix(12))… in the database, \(file.checksum.prefix(12))… on disk); "
                        + "never edit an applied migration, add a new one"
                )
            }
        }
        pending = Array(available.dropFirst(applied.count))
    }

    private static func label(_ entry: Entry) -> String {
        let digits = String(entry.version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + entry.name
    }
}
