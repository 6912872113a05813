import Database
import Foundation
import Testing

@Suite struct PostgresQueryTests {
    @Test func byteaHexTextDecodesAndAnythingElseIsRefused() {
        #expect(PostgresBytes(postgresText: "\\x00abFF")?.bytes == [0x00, 0xAB, 0xFF])
        #expect(PostgresBytes(postgresText: "\\x")?.bytes == [])
        for invalid in ["\\x0g", "\\x0", "00ab", "\\", "", "\\xab\u{e9}"] {
            #expect(PostgresBytes(postgresText: invalid) == nil, "\(invalid)")
        }
    }

    @Test func uuidTextDecodesAndAnythingElseIsRefused() {
        let text = "6f3a1a44-7b63-4db3-9c1e-2b8d0b2b7a10"
        #expect(UUID(postgresText: text) == UUID(uuidString: text))
        #expect(UUID(postgresText: text.uppercased()) == UUID(uuidString: text))
        for invalid in [
            "", "6f3a1a44-7b63-4db3-9c1e-2b8d0b2b7a1", "6f3a1a44-7b63-4db3-9c1e-2b8d0b2b7a100",
            "6f3a1a447b63-4db3-9c1e-2b8d0b2b7a10-", "6f3a1a44-7b63-4db3-9c1e-2b8d0b2b7a1g",
            "6f3a1a44+7b63-4db3-9c1e-2b8d0b2b7a10",
        ] {
            #expect(UUID(postgresText: invalid) == nil, "\(invalid)")
        }
    }

    @Test func interpolatedValuesBecomeNumberedBinds() {
        let email = "a@example.com'; DROP TABLE accounts; --"
        let limit = 5
        let query: PostgresQuery = "SELECT id FROM accounts WHERE email = \(email) LIMIT \(limit)"
        #expect(query.sql == "SELECT id FROM accounts WHERE email = $1::text LIMIT $2::int8")
        #expect(query.binds == [PostgresBind(email), PostgresBind("5")])
    }

    @Test func nilOptionalBindsNull() {
        let value: String? = nil
        let query: PostgresQuery = "SELECT \(value)"
        #expect(query.binds == [PostgresBind(nil)])
    }

    @Test func unsafeSQLIsVerbatimAndExplicit() {
        let query: PostgresQuery =
            "SELECT * FROM \(unsafeSQL: "domains") WHERE id = \(UUID(uuidString: "6F3A1A44-7B63-4DB3-9C1E-2B8D0B2B7A10")!)"
        #expect(query.sql == "SELECT * FROM domains WHERE id = $1::uuid")
        #expect(query.binds == [PostgresBind("6f3a1a44-7b63-4db3-9c1e-2b8d0b2b7a10")])
    }

    @Test func bytesAndArraysUseTextFormats() {
        #expect(PostgresBytes([0x00, 0xab, 0xff]).postgresBind == PostgresBind("\\x00abff"))
        #expect(
            PostgresTextArray(["a", "b c", "q\"u", "back\\slash"]).postgresBind
                == PostgresBind("{\"a\",\"b c\",\"q\\\"u\",\"back\\\\slash\"}")
        )
    }

    @Test(arguments: [
        ("{}", [String]()),
        ("{a,b}", ["a", "b"]),
        ("{\"a,b\",c}", ["a,b", "c"]),
        ("{\"NULL\"}", ["NULL"]),
        ("{\"q\\\"u\"}", ["q\"u"]),
    ])
    func textArraysParse(text: String, expected: [String]) {
        #expect(PostgresTextArray(postgresText: text)?.elements == expected)
    }

    @Test(arguments: ["", "{", "a,b", "{NULL}", "{a,NULL}", "{\"unterminated}"])
    func malformedTextArraysAreRejected(text: String) {
        #expect(PostgresTextArray(postgresText: text) == nil)
    }
}

@Suite struct PostgresTimestampTests {
    @Test(arguments: [0.0, 1.5, 1_764_063_206.123456, -86_400.25, 253_402_300_799.0])
    func formatThenParseRoundTrips(seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let parsed = try #require(PostgresTimestamp.parse(PostgresTimestamp.format(date)))
        #expect(abs(parsed.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test func formatsInUTCWithMicroseconds() {
        #expect(
            PostgresTimestamp.format(Date(timeIntervalSince1970: 1_764_063_206.5)) == "2025-11-25 09:33:26.500000+00"
        )
    }

    @Test(arguments: [
        ("2026-11-25 09:33:26+00", 1_795_599_206.0),
        ("2026-11-25 09:33:26.25+00", 1_795_599_206.25),
        ("2026-11-25 11:33:26+02", 1_795_599_206.0),
        ("2026-11-25 04:03:26-05:30", 1_795_599_206.0),
    ])
    func parsesServerOutput(text: String, seconds: Double) throws {
        let date = try #require(PostgresTimestamp.parse(text))
        #expect(date.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: ["infinity", "2026-13-01 00:00:00+00", "2026-11-25T09:33:26Z", "2026-11-25 09:33:26+00 junk", ""])
    func rejectsOtherText(text: String) {
        #expect(PostgresTimestamp.parse(text) == nil)
    }
}
