import Database
import Foundation
import TestSupport
import Testing

@Suite struct PostgresConnectionTests {
    let url: String

    init() throws {
        url = try PostgresTestCluster.shared.makeDatabase()
    }

    @Test func valuesRoundTripThroughTheServer() throws {
        let connection = try PostgresConnection(connectionString: url)
        let id = UUID()
        let date = Date(timeIntervalSince1970: 1_795_599_206.123456)
        let tricky = "it's \"quoted\"; DROP TABLE accounts; -- ümlaut 🚀"
        let row = try #require(
            try connection.query(
                """
                SELECT \(tricky), \(42), \(true), \(id), \(date), \(PostgresBytes([0, 1, 254, 255])),
                       \(PostgresTextArray(["mx1.example.com", "*.mail.example.net", "a,b", "q\"u"])), \(Double(2.5))
                """
            ).first
        )
        let decoded = try row.decode((String, Int, Bool, UUID, Date, PostgresBytes, PostgresTextArray, Double).self)
        #expect(decoded.0 == tricky)
        #expect(decoded.1 == 42)
        #expect(decoded.2 == true)
        #expect(decoded.3 == id)
        #expect(abs(decoded.4.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001)
        #expect(decoded.5.bytes == [0, 1, 254, 255])
        #expect(decoded.6.elements == ["mx1.example.com", "*.mail.example.net", "a,b", "q\"u"])
        #expect(decoded.7 == 2.5)
    }

    @Test func nullDecodesOnlyIntoOptionals() throws {
        let connection = try PostgresConnection(connectionString: url)
        let row = try #require(try connection.query("SELECT NULL::text AS note, 1 AS n").first)
        let (note, number) = try row.decode((String?, Int).self)
        #expect(note == nil)
        #expect(number == 1)
        #expect {
            try row.decode(String.self, at: 0)
        } throws: { error in
            (error as? DatabaseError)?.message.contains("'note' is NULL") == true
        }
    }

    @Test func typeMismatchNamesTheColumn() throws {
        let connection = try PostgresConnection(connectionString: url)
        let row = try #require(try connection.query("SELECT 'x'::text AS label").first)
        #expect {
            try row.decode(Int.self, at: 0)
        } throws: { error in
            let error = error as? DatabaseError
            return error?.code == .decodingFailed && error?.message.contains("'label'") == true
        }
        #expect(throws: DatabaseError(.decodingFailed, "")) { try row.decode((String, Int).self) }
    }

    @Test func injectionAttemptsAreStoredAsData() throws {
        let connection = try PostgresConnection(connectionString: url)
        try connection.execute("CREATE TEMP TABLE notes (body text)")
        let hostile = "x'); DROP TABLE schema_migrations; --"
        try connection.execute("INSERT INTO notes (body) VALUES (\(hostile))")
        let stored = try connection.query("SELECT body FROM notes").first?.decode(String.self, at: 0)
        #expect(stored == hostile)
        let migrations = try MigrationFile.load(directory: RepositoryPaths.migrations).count
        #expect(
            try connection.query("SELECT count(*) FROM schema_migrations").first?.decode(Int.self, at: 0) == migrations
        )
    }

    @Test func transactionCommitsOrRollsBack() throws {
        let connection = try PostgresConnection(connectionString: url)
        try connection.execute("CREATE TEMP TABLE items (n int PRIMARY KEY)")
        try connection.withTransaction { try $0.execute("INSERT INTO items VALUES (1)") }
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try connection.withTransaction { connection in
                try connection.execute("INSERT INTO items VALUES (2)")
                throw Abort()
            }
        }
        // A failing inner block rolls back to its savepoint only.
        try connection.withTransaction { connection in
            try connection.execute("INSERT INTO items VALUES (3)")
            _ = try? connection.withTransaction { try $0.execute("INSERT INTO items VALUES (1)") }
        }
        let values = try connection.query("SELECT n FROM items ORDER BY n").map { try $0.decode(Int.self, at: 0) }
        #expect(values == [1, 3])
        #expect(!connection.isInTransaction)
    }

    @Test func constraintViolationsAreClassified() throws {
        let connection = try PostgresConnection(connectionString: url)
        try connection.execute("CREATE TEMP TABLE uniq (n int CONSTRAINT uniq_n UNIQUE CHECK (n > 0))")
        try connection.execute("INSERT INTO uniq VALUES (1)")
        #expect {
            try connection.execute("INSERT INTO uniq VALUES (1)")
        } throws: { error in
            let error = error as? DatabaseError
            return error?.code == .uniqueViolation && error?.constraint == "uniq_n" && error?.sqlState == "23505"
        }
        #expect(throws: DatabaseError(.checkViolation, "")) { try connection.execute("INSERT INTO uniq VALUES (-1)") }
        #expect(throws: DatabaseError(.queryFailed, "")) { try connection.execute("SELECT * FROM no_such_table") }
        // The connection stays usable after errors.
        #expect(try connection.query("SELECT 1").count == 1)
    }

    @Test func rowsStreamOneAtATimeAndAnyFailureLeavesTheConnectionUsable() throws {
        let connection = try PostgresConnection(connectionString: url)
        var seen: [Int] = []
        try connection.forEachRow("SELECT n, repeat('x', n::int) FROM generate_series(1, \(1000)) n") { row in
            let (number, text) = try row.decode((Int, String).self)
            #expect(text.count == number)
            seen.append(number)
        }
        #expect(seen == Array(1...1000))
        try connection.forEachRow("SELECT 1 WHERE false") { _ in Issue.record("an empty result has no rows") }

        // A server error after some rows arrived ends the stream with that error.
        var before = 0
        #expect {
            try connection.forEachRow("SELECT 10 / (5 - n) FROM generate_series(1, 10) n") { _ in before += 1 }
        } throws: { error in
            (error as? DatabaseError)?.sqlState == "22012"
        }
        #expect(before == 4)

        // The body's own error stops the calls; the rest of the result is read and dropped.
        struct Stop: Error {}
        var calls = 0
        #expect(throws: Stop.self) {
            try connection.forEachRow("SELECT n FROM generate_series(1, 1000) n") { _ in
                calls += 1
                if calls == 3 { throw Stop() }
            }
        }
        #expect(calls == 3)
        #expect(try connection.query("SELECT 7").first?.decode(Int.self, at: 0) == 7)
        #expect(!connection.isInTransaction)
    }

    @Test func statementTimeoutCancelsSlowQueries() throws {
        let connection = try PostgresConnection(connectionString: url, statementTimeout: .milliseconds(200))
        let started = ContinuousClock.now
        #expect(throws: DatabaseError(.statementTimeout, "")) { try connection.execute("SELECT pg_sleep(5)") }
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(connection.isOpen)
    }

    @Test func badConnectionStringsFailClearly() {
        #expect {
            try PostgresConnection(connectionString: "host=/nonexistent/socket/dir user=postgres dbname=x")
        } throws: { error in
            (error as? DatabaseError)?.code == .connectionFailed
        }
    }

    @Test func urlFormAndSSLModeAreAccepted() throws {
        let cluster = try PostgresTestCluster.shared.cluster
        let database = url.split(separator: " ").first { $0.hasPrefix("dbname=") }?.dropFirst(7) ?? ""
        let encodedSocket =
            cluster.socketDirectory.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let connection = try PostgresConnection(
            connectionString: "postgresql://postgres@\(encodedSocket)/\(database)?sslmode=disable"
        )
        #expect(try connection.query("SELECT current_database()").first?.decode(String.self, at: 0) == String(database))
        // sslmode=require cannot be met on a unix socket without TLS: libpq must refuse, not silently downgrade.
        #expect(throws: DatabaseError(.connectionFailed, "")) {
            try PostgresConnection(
                connectionString:
                    "postgresql://postgres@\(encodedSocket)/\(database)?sslmode=require&host=127.0.0.1&port=1"
            )
        }
    }
}
