package import Foundation

/// One SQL migration file, `NNNN_name.sql`, read from the migrations directory.
package struct MigrationFile: Sendable, Equatable {
    package let version: Int
    package let name: String
    package let sql: String

    package init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Reads every `NNNN_name.sql` file in `directory`, sorted by version.
    /// - Throws: `migrationRefused` for a badly named file or two files with the same version.
    package static func load(directory: URL) throws(DatabaseError) -> [MigrationFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw DatabaseError(.migrationRefused, "cannot read migrations directory \(directory.path)")
        }
        var files: [MigrationFile] = []
        for fileName in names.sorted() where fileName.hasSuffix(".sql") {
            guard let (version, name) = parse(fileName: fileName) else {
                throw DatabaseError(
                    .migrationRefused,
                    "migration file \(fileName) is not named NNNN_lowercase_name.sql"
                )
            }
            let url = directory.appendingPathComponent(fileName)
            guard let data = FileManager.default.contents(atPath: url.path),
                let sql = String(data: data, encoding: .utf8)
            else {
                throw DatabaseError(.migrationRefused, "cannot read migration \(fileName) as UTF-8")
            }
            if files.contains(where: { $0.version == version }) {
                throw DatabaseError(.migrationRefused, "two migration files have version \(version)")
            }
            files.append(MigrationFile(version: version, name: name, sql: sql))
        }
        return files.sorted { $0.version < $1.version }
    }

    /// Splits `0001_create_accounts.sql` into `(1, "create_accounts")`.
    package static func parse(fileName: String) -> (Int, String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]), version > 0 else { return nil }
        let name = String(parts[1])
        guard !name.isEmpty,
            name.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 })
        else { return nil }
        return (version, name)
    }
}
