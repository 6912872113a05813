import Database
import Foundation
import TestSupport
import Testing

@Suite struct LocalPostgresClusterTests {
    @Test func startIsIdempotentAndDatabasesAreCreatedOnce() throws {
        let cluster = try PostgresTestCluster.start()
        defer { cluster.destroy() }
        #expect(cluster.cluster.isRunning())
        try cluster.cluster.start()
        let first = try cluster.cluster.createDatabase(named: "mtasts")
        let second = try cluster.cluster.createDatabase(named: "mtasts")
        #expect(first == second)
        let connection = try PostgresConnection(connectionString: first)
        #expect(
            try connection.query("SELECT current_setting('listen_addresses')").first?.decode(String.self, at: 0) == ""
        )
        try cluster.cluster.stop()
        #expect(!cluster.cluster.isRunning())
        try cluster.cluster.stop()
    }

    @Test func databaseNamesAreValidated() throws {
        let cluster = try PostgresTestCluster.shared
        #expect(throws: DatabaseError(.invalidConfiguration, "")) {
            try cluster.cluster.createDatabase(named: "x; DROP DATABASE postgres")
        }
    }
}
