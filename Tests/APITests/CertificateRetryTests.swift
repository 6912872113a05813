import API
import Database
import Foundation
import HTTPCore
import JSON
import Store
import TestSupport
import Testing

/// A tenant resumes certificate orders the worker stopped after repeated refusals.
@Suite struct CertificateRetryTests {
    @Test func retryResumesOnlyWhenTheWorkerWaitsForTheTenant() throws {
        let api = try APIHarness()
        let token = try api.signUp("cert@example.com")
        #expect(api.send(.post, "/v1/domains", json: ["name": "refused.example.test"], token: token).status == 201)
        let store = DataStore(pool: api.pool)
        let owner = try #require(try store.accounts.find(email: "cert@example.com"))
        let domain = try #require(try store.domains.find(accountID: owner.id, name: "refused.example.test"))
        let early = api.send(.post, "/v1/domains/refused.example.test/certificate/retry", token: token)
        #expect(early.status == 409)
        #expect(early.json?["type"]?.stringValue?.hasSuffix("/certificate-not-stopped") == true)

        #expect(
            try store.certificates.recordFailedOrder(domainID: domain.id, error: "ACME: rejectedIdentifier", limit: 1)
        )
        let stopped = api.send(.get, "/v1/domains/refused.example.test", token: token)
        let step = stopped.json?["setup"]?["steps"]?.arrayValue?.first { $0["step"] == "certificate" }
        #expect(step?["status"] == "action_needed")
        #expect(step?["detail"]?.stringValue?.contains("certificate/retry") == true)

        let resumed = api.send(.post, "/v1/domains/refused.example.test/certificate/retry", token: token)
        #expect(resumed.status == 200 && resumed.json?["status"] == "failed")
        let job = try api.pool.withConnection { connection in
            try connection.query(
                "SELECT count(*) FROM jobs WHERE kind = 'issue_certificate' AND domain_id = \(domain.id)"
            )
            .first?.decode(Int.self, at: 0)
        }
        #expect(job == 1)
        let stranger = try api.signUp("other@example.com", remoteAddress: "198.51.100.8")
        #expect(api.send(.post, "/v1/domains/refused.example.test/certificate/retry", token: stranger).status == 404)
    }
}
