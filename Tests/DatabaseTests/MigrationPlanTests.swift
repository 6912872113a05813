import Database
import Testing

@Suite struct MigrationPlanTests {
    typealias Entry = MigrationPlan.Entry
    let files = [
        Entry(version: 1, name: "core", checksum: "aaa"),
        Entry(version: 2, name: "more", checksum: "bbb"),
        Entry(version: 3, name: "last", checksum: "ccc"),
    ]

    @Test func everythingIsPendingOnAnEmptyDatabase() throws {
        #expect(try MigrationPlan(applied: [], available: files).pending == files)
    }

    @Test func appliedPrefixLeavesTheRest() throws {
        #expect(try MigrationPlan(applied: Array(files.prefix(2)), available: files).pending == [files[2]])
        #expect(try MigrationPlan(applied: files, available: files).pending.isEmpty)
    }

    @Test func changedChecksumIsRefusedWithTheFileName() {
        let applied = [Entry(version: 1, name: "core", checksum: "zzz")]
        #expect {
            try MigrationPlan(applied: applied, available: files)
        } throws: { error in
            let error = error as? DatabaseError
            return error?.code == .migrationRefused && error?.message.contains("0001_core was changed") == true
        }
    }

    @Test func appliedMigrationMissingOnDiskIsRefused() {
        let applied = files + [Entry(version: 4, name: "future", checksum: "ddd")]
        #expect(throws: DatabaseError(.migrationRefused, "")) {
            try MigrationPlan(applied: applied, available: files)
        }
    }

    @Test func renamedOrGapInHistoryIsRefused() {
        #expect(throws: DatabaseError(.migrationRefused, "")) {
            try MigrationPlan(applied: [Entry(version: 1, name: "renamed", checksum: "aaa")], available: files)
        }
        #expect(throws: DatabaseError(.migrationRefused, "")) {
            try MigrationPlan(applied: [Entry(version: 2, name: "more", checksum: "bbb")], available: files)
        }
    }

    @Test(arguments: [
        ("0001_core_schema.sql", 1, "core_schema"),
        ("0042_add_x.sql", 42, "add_x"),
    ])
    func fileNamesParse(fileName: String, version: Int, name: String) throws {
        let parsed = try #require(MigrationFile.parse(fileName: fileName))
        #expect(parsed.0 == version)
        #expect(parsed.1 == name)
    }

    @Test(arguments: [
        "1_core.sql", "0001-core.sql", "0001_Core.sql", "0001_.sql", "0000_zero.sql", "0001_core.txt", "abcd_x.sql",
    ])
    func badFileNamesAreRejected(fileName: String) {
        #expect(MigrationFile.parse(fileName: fileName) == nil)
    }
}
