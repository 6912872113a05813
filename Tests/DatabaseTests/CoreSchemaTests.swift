import Database
import Foundation
import TestSupport
import Testing

/// The first migration's constraints mirror the model's rules; these tests write rows the model would reject.
@Suite struct CoreSchemaTests {
    let connection: PostgresConnection

    init() throws {
        connection = try PostgresConnection(connectionString: try PostgresTestCluster.shared.makeDatabase())
    }

    private func account(_ email: String) throws -> UUID {
        try #require(
            try connection.query(
                "INSERT INTO accounts (email, password_hash) VALUES (\(email), \(String(repeating: "h", count: 40))) RETURNING id"
            ).first?.decode(UUID.self, at: 0)
        )
    }

    private func domain(_ account: UUID, _ name: String) throws -> UUID {
        try #require(
            try connection.query(
                """
                INSERT INTO domains (account_id, name, verification_token)
                VALUES (\(account), \(name), \("tok_0123456789abcdef")) RETURNING id
                """
            ).first?.decode(UUID.self, at: 0)
        )
    }

    private func verify(_ domain: UUID) throws {
        try connection.execute("UPDATE domains SET status = 'verified', verified_at = now() WHERE id = \(domain)")
    }

    @Test func emailsAreUniqueIgnoringCase() throws {
        _ = try account("Alice@Example.com")
        #expect(throws: DatabaseError(.uniqueViolation, "")) { try account("alice@example.COM") }
    }

    @Test func severalAccountsMayClaimButOnlyOneMayVerify() throws {
        let first = try domain(try account("a@example.com"), "example.org")
        let second = try domain(try account("b@example.com"), "example.org")
        try verify(first)
        #expect {
            try verify(second)
        } throws: { error in
            (error as? DatabaseError)?.constraint == "domains_verified_name_key"
        }
    }

    @Test func domainNamesMustBeNormalisedALabels() throws {
        let owner = try account("c@example.com")
        for bad in [
            "Example.org", "example.org.", "localhost", "-bad.example", "under_score.example", "bücher.example",
            "1.2.3.4 ",
        ] {
            #expect(throws: DatabaseError(.checkViolation, "")) { try domain(owner, bad) }
        }
        _ = try domain(owner, "xn--bcher-kva.example")
    }

    @Test func statusAndTimestampsMustAgree() throws {
        let id = try domain(try account("d@example.com"), "example.net")
        #expect(throws: DatabaseError(.checkViolation, "")) {
            try connection.execute("UPDATE domains SET status = 'verified' WHERE id = \(id)")
        }
        #expect(throws: DatabaseError(.checkViolation, "")) {
            try connection.execute(
                "UPDATE domains SET status = 'offboarding', verified_at = now(), deleted_at = now() WHERE id = \(id)"
            )
        }
    }

    private func insertPolicy(
        _ domain: UUID,
        id: String,
        mode: String = "enforce",
        mx: [String] = ["mx.example.net"],
        maxAge: Int = 86400,
        current: Bool = true
    ) throws {
        try connection.execute(
            """
            INSERT INTO policies (domain_id, policy_id, mode, mx, max_age, text, superseded_at)
            VALUES (\(domain), \(id), \(mode), \(PostgresTextArray(mx)), \(maxAge), 'version: STSv1\r\n',
                    \(unsafeSQL: current ? "NULL" : "now()"))
            """
        )
    }

    @Test func policyRowsFollowTheModelsRules() throws {
        let id = try domain(try account("e@example.com"), "example.com")
        try insertPolicy(id, id: String(repeating: "a", count: 32), current: false)
        #expect(throws: DatabaseError(.checkViolation, "")) {
            try insertPolicy(id, id: String(repeating: "b", count: 33))
        }
        #expect(throws: DatabaseError(.checkViolation, "")) { try insertPolicy(id, id: "2026-11-25") }
        #expect(throws: DatabaseError(.checkViolation, "")) { try insertPolicy(id, id: "x1", maxAge: 31_557_601) }
        #expect(throws: DatabaseError(.checkViolation, "")) { try insertPolicy(id, id: "x2", mx: []) }
        try insertPolicy(id, id: "x3", mode: "none", mx: [], maxAge: 31_557_600, current: false)
        #expect(throws: DatabaseError(.checkViolation, "")) { try insertPolicy(id, id: "x4", mode: "strict") }
    }

    @Test func policyIDsAreNeverReusedAndOnlyOneIsCurrent() throws {
        let id = try domain(try account("f@example.com"), "example.info")
        try insertPolicy(id, id: "20261125T093000", current: false)
        #expect(throws: DatabaseError(.uniqueViolation, "")) { try insertPolicy(id, id: "20261125T093000") }
        try insertPolicy(id, id: "20261125T093001")
        #expect {
            try insertPolicy(id, id: "20261125T093002")
        } throws: { error in
            (error as? DatabaseError)?.constraint == "policies_current_key"
        }
    }

    @Test func oneCurrentCertificatePerHostAndOnePendingJobPerKind() throws {
        let id = try domain(try account("g@example.com"), "example.biz")
        let insertJob: PostgresQuery = "INSERT INTO jobs (kind, domain_id) VALUES ('issue_certificate', \(id))"
        try connection.execute(insertJob)
        #expect(throws: DatabaseError(.uniqueViolation, "")) { try connection.execute(insertJob) }
        #expect(throws: DatabaseError(.checkViolation, "")) {
            try connection.execute("INSERT INTO jobs (kind, locked_by) VALUES ('x', 'worker-1')")
        }
    }
}
