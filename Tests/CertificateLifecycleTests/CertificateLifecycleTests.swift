import DNS
import Database
import Foundation
import Logging
import Store
import TestSupport
import Testing
import Worker

/// The whole certificate lifecycle against Pebble, with real DNS and the real edge.
@Suite(.serialized) struct CertificateLifecycleTests {
    @Test func cnamePublishedToPolicyServedWithACertificate() throws {
        // Pebble rejects 5 % of nonces by default: the client's badNonce retry is exercised too.
        let environment = try LifecycleEnvironment(workerCount: 2)
        defer { environment.stop() }
        environment.startWorkers()
        let domain = try environment.addVerifiedDomain("alpha.tenant.test")

        // No CNAME yet: the tenant is told exactly what to add.
        try Poll.until(deadline: 20, "waiting for CNAME") {
            try environment.state(domain)?.status == "waiting_for_cname"
        }
        let waiting = try #require(try environment.state(domain))
        #expect(waiting.error?.contains("mta-sts.alpha.tenant.test. CNAME edge.platform.test.") == true)

        try environment.dns.set(
            zone: "tenant.test",
            owner: "mta-sts.alpha.tenant.test",
            type: .cname,
            value: "edge.platform.test."
        )
        let published = ContinuousClock.now
        var body = ""
        try Poll.until(deadline: 60, interval: .milliseconds(20), "policy served with a Pebble certificate") {
            body = try environment.fetchPolicy("alpha.tenant.test")
            return true
        }
        let elapsed = ContinuousClock.now - published
        print("MEASURE cname_to_https_served_seconds=\(elapsed)")
        #expect(body == LifecycleEnvironment.policyText("alpha.tenant.test"))
        #expect(try environment.state(domain)?.status == "issued")
        // Two workers raced for the job: one certificate, one order.
        #expect(try environment.certificateCount(domain) == 1)
    }

    @Test func caaForbiddingTheCAIsReportedAndNothingIsOrdered() throws {
        let environment = try LifecycleEnvironment()
        defer { environment.stop() }
        try environment.dns.set(
            zone: "tenant.test",
            owner: "beta.tenant.test",
            type: .caa,
            value: "0 issue \"other-ca.example\""
        )
        try environment.dns.set(
            zone: "tenant.test",
            owner: "mta-sts.beta.tenant.test",
            type: .cname,
            value: "edge.platform.test."
        )
        environment.startWorkers()
        let domain = try environment.addVerifiedDomain("beta.tenant.test")
        try Poll.until(deadline: 30, "CAA verdict") { try environment.state(domain)?.status == "caa_forbidden" }
        let state = try #require(try environment.state(domain))
        #expect(state.error?.contains("other-ca.example") == true)
        #expect(state.error?.contains("pebble.test") == true)
        #expect(try environment.certificateCount(domain) == 0)
    }

    @Test func aCAALookupThatFailsIsRetriedWithinASecond() throws {
        let environment = try LifecycleEnvironment()
        defer { environment.stop() }
        // A resolver that answers for the host (its CNAME, Unbound's own record, to the edge's address in Knot) and
        // fails the CAA lookup of its parent, a zone delegated to a port where nothing answers.
        let dns = try DNSTestEnvironment.start(
            zones: ["platform.test"],
            records: [DNSTestRecord(owner: LifecycleEnvironment.edgeHostname, type: .a, value: "127.0.0.1")],
            delegatedZones: ["delta.tenant.test": try FreePort.allocate()],
            resolverRecords: ["mta-sts.delta.tenant.test. CNAME edge.platform.test."]
        )
        defer { dns.stop() }
        let domain = try environment.addVerifiedDomain("delta.tenant.test")
        let store = DataStore(pool: environment.pool)
        let issuer = CertificateIssuer(
            store: store,
            keyring: environment.keyring,
            dns: dns.resolverClient(),
            settings: .init(edgeHostname: LifecycleEnvironment.edgeHostname, caaIdentities: ["pebble.test"]),
            publisher: EdgeChallengePublisher(store: store, selfCheckClient: nil),
            makeClient: { try environment.acmeClient() },
            logger: Logger(label: "caa-lookup", level: .critical)
        )
        let now = Date()
        let outcome = issuer.handle(domainID: domain, attempts: 0, now: now)
        guard case .retry(let at, let error, let countsAsAttempt) = outcome else {
            Issue.record("expected a retry, got \(outcome)")
            return
        }
        // As a failed CNAME lookup is (RFC 8659 §3: no CA issues meanwhile), not after a minute.
        #expect(error.contains("CAA for mta-sts.delta.tenant.test"), "\(error)")
        #expect(at.timeIntervalSince(now) <= 1, "retry in \(at.timeIntervalSince(now)) s")
        #expect(countsAsAttempt)
        #expect(try environment.certificateCount(domain) == 0)
    }

    @Test func certificatesAreRenewedAndStopWhenTheDomainGoesAway() throws {
        let environment = try LifecycleEnvironment(validitySeconds: 24)
        defer { environment.stop() }
        try environment.dns.set(
            zone: "tenant.test",
            owner: "mta-sts.gamma.tenant.test",
            type: .cname,
            value: "edge.platform.test."
        )
        environment.startWorkers()
        let domain = try environment.addVerifiedDomain("gamma.tenant.test")
        try Poll.until(deadline: 60, "first certificate") { try environment.certificateCount(domain) == 1 }
        // A 24 s certificate is renewed when a third of its life remains (after about 16 s).
        try Poll.until(deadline: 60, "renewal") { try environment.certificateCount(domain) >= 2 }
        _ = try environment.fetchPolicy("gamma.tenant.test")
        // The tenant's audit log has the worker's issuance and renewal, written with the certificates.
        let store = DataStore(pool: environment.pool)
        let accountID = try #require(try store.domains.find(id: domain)?.accountID)
        let issued = try store.auditLog.list(accountID: accountID, limit: 100).reversed().map { $0 }
        #expect(issued.first?.action == "certificate.issue")
        #expect(issued.dropFirst().first?.action == "certificate.renew")
        #expect(issued.allSatisfy { $0.actor == .worker && $0.target == "gamma.tenant.test" })
        #expect(issued.first?.details["host"] == "mta-sts.gamma.tenant.test")
        #expect(issued.first?.details["serial"]?.isEmpty == false)

        // The tenant deletes the domain: the edge stops serving it and the worker stops renewing it.
        // Offboarding as `DELETE /v1/domains/{name}` starts it, then completed as if its window had passed.
        _ = try store.domains.offboard(domainID: domain, at: Date())
        _ = try store.domains.completeOffboarding(at: Date().addingTimeInterval(2 * 86_400))
        #expect(try store.auditLog.list(accountID: accountID, limit: 1).first?.action == "domain.offboarded")
        try Poll.until(deadline: 10, "edge stops serving") {
            (try? environment.fetchPolicy("gamma.tenant.test")) == nil
        }
        try Poll.until(deadline: 10, "worker stops") { try environment.state(domain)?.status == "stopped" }
    }

    @Test func aRemovedCNAMEStopsRenewalWithTheReasonShown() throws {
        let environment = try LifecycleEnvironment(validitySeconds: 24)
        defer { environment.stop() }
        try environment.dns.set(
            zone: "tenant.test",
            owner: "mta-sts.epsilon.tenant.test",
            type: .cname,
            value: "edge.platform.test."
        )
        environment.startWorkers()
        let domain = try environment.addVerifiedDomain("epsilon.tenant.test")
        try Poll.until(deadline: 60, "first certificate") { try environment.certificateCount(domain) == 1 }
        try environment.dns.unset(zone: "tenant.test", owner: "mta-sts.epsilon.tenant.test", type: .cname)
        // At renewal time the worker finds no CNAME: it orders nothing and tells the tenant what to add.
        try Poll.until(deadline: 60, "renewal held back") {
            try environment.state(domain)?.status == "waiting_for_cname"
        }
        #expect(try environment.state(domain)?.error?.contains("CNAME edge.platform.test.") == true)
        #expect(try environment.certificateCount(domain) == 1)
    }
}
