import Database
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite struct MigratorTests {
    let files: [MigrationFile]

    init() throws {
        files = try MigrationFile.load(directory: RepositoryPaths.migrations)
    }

    @Test func repositoryMigrationsAreWellFormed() {
        #expect(!files.isEmpty)
        #expect(files.map(\.version) == Array(1...files.count))
    }

    @Test func migrateAppliesOnceAndIsIdempotent() throws {
        let url = try PostgresTestCluster.shared.makeEmptyDatabase()
        let connection = try PostgresConnection(connectionString: url)
        let migrator = Migrator(files: files)
        #expect(try migrator.pending(using: connection).count == files.count)
        #expect(try migrator.migrate(using: connection).count == files.count)
        #expect(try migrator.migrate(using: connection).isEmpty)
        #expect(try migrator.pending(using: connection).isEmpty)
        let recorded = try connection.query(
            "SELECT version, name, length(checksum) FROM schema_migrations ORDER BY version"
        )
        .map { try $0.decode((Int, String, Int).self) }
        #expect(recorded.map(\.0) == files.map(\.version))
        #expect(recorded.allSatisfy { $0.2 == 64 })
    }

    @Test func concurrentMigrateRunsApplyEachFileOnce() throws {
        let url = try PostgresTestCluster.shared.makeEmptyDatabase()
        let appliedCounts = Mutex<[Int]>([])
        let errors = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let connection = try PostgresConnection(connectionString: url)
                let applied = try Migrator(files: files).migrate(using: connection)
                appliedCounts.withLock { $0.append(applied.count) }
            } catch {
                errors.withLock { $0.append("\(error)") }
            }
        }
        #expect(errors.withLock { $0 } == [])
        #expect(appliedCounts.withLock { $0 }.sorted() == [0, 0, 0, files.count])
    }

    @Test func changedAppliedMigrationIsRefused() throws {
        let url = try PostgresTestCluster.shared.makeEmptyDatabase()
        let connection = try PostgresConnection(connectionString: url)
        try Migrator(files: files).migrate(using: connection)
        var edited = files
        edited[0] = MigrationFile(version: files[0].version, name: files[0].name, sql: files[0].sql + "\n-- edited\n")
        #expect {
            try Migrator(files: edited).migrate(using: connection)
        } throws: { error in
            let error = error as? DatabaseError
            return error?.code == .migrationRefused && error?.message.contains("changed after it was applied") == true
        }
    }

    @Test func failingMigrationRollsBackAndRecordsNothing() throws {
        let url = try PostgresTestCluster.shared.makeEmptyDatabase()
        let connection = try PostgresConnection(connectionString: url)
        let broken =
            files + [
                MigrationFile(version: files.count + 1, name: "broken", sql: "CREATE TABLE half (n int); SELECT nope;")
            ]
        #expect(throws: DatabaseError.self) { try Migrator(files: broken).migrate(using: connection) }
        #expect(try connection.query("SELECT to_regclass('half') IS NULL").first?.decode(Bool.self, at: 0) == true)
        #expect(
            try connection.query("SELECT max(version) FROM schema_migrations").first?.decode(Int.self, at: 0)
                == files.count
        )
    }
}
