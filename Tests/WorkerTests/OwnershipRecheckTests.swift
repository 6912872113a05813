import Checks
import DNS
import Database
import Foundation
import Logging
import MTASTS
import Store
import TestSupport
import Testing
import WebClient
import Worker

/// The worker's daily look at whether tenants still control their domains, through real Knot behind Unbound.
@Suite struct OwnershipRecheckTests {
    @Test func aDomainWhoseProofVanishesIsLostAfterTheGraceAndAnotherAccountTakesItOver() throws {
        let name = "a.owned.test"
        let token = "token_0123456789abcdef"
        let edge = "edge.platform.test"
        let dns = try DNSTestEnvironment.start(
            zones: ["owned.test"],
            records: [DNSTestRecord(owner: "_mtasts-verify.\(name)", type: .txt, value: token)]
        )
        defer { dns.stop() }
        let url = try PostgresTestCluster.shared.makeDatabase()
        let fixtures = try ServedDomainFixtures(url: url, directory: try TemporaryDirectory(prefix: "owned"))
        let store = fixtures.store
        let (domainID, _) = try fixtures.addDomain(
            name,
            policy: try Policy(parsing: ServedDomainFixtures.policy(mode: "enforce", mx: "mx.\(name)")),
            certificate: true
        )
        let grace: TimeInterval = 7 * 86_400
        let checker = DomainChecker(
            store: store,
            dns: dns.resolverClient(),
            engine: try CheckEngine(
                dns: dns.resolverClient(),
                settings: CheckSettings(edgeHostname: edge, httpsPort: 9, smtpPort: 9, timeout: .seconds(2)),
                logger: Logger(label: "check", level: .critical)
            ),
            settings: .init(zone: nil, edgeHostname: edge, ownershipGrace: grace),
            logger: Logger(label: "ownership-test", level: .critical)
        )
        func domain() throws -> DomainRecord {
            try #require(try store.domains.find(id: domainID))
        }
        let start = Date()
        #expect(checker.handle(domainID: domainID, now: start) == .done)
        #expect(try domain().controlMissingSince == nil)

        // The TXT goes, but the policy host still points at the edge: that is control too.
        try dns.set(zone: "owned.test", owner: "mta-sts.\(name)", type: .cname, value: edge + ".")
        try dns.unset(zone: "owned.test", owner: "_mtasts-verify.\(name)", type: .txt)
        try Poll.until(deadline: 10, "the TXT record is gone from the resolver") {
            if case .nxdomain = dns.resolverClient().query(try DNSName("_mtasts-verify.\(name)"), type: .txt) {
                return true
            }
            return false
        }
        #expect(checker.handle(domainID: domainID, now: start.addingTimeInterval(60)) == .done)
        #expect(try domain().controlMissingSince == nil)

        // Then the CNAME goes too: the grace period starts.
        try dns.unset(zone: "owned.test", owner: "mta-sts.\(name)", type: .cname)
        let missing = start.addingTimeInterval(120)
        try Poll.until(deadline: 10, "control is found missing") {
            #expect(checker.handle(domainID: domainID, now: missing) == .done)
            return try domain().controlMissingSince != nil
        }
        let since = try #require(try domain().controlMissingSince)
        #expect(abs(since.timeIntervalSince(missing)) < 1)
        let check = try #require(try store.domainChecks.find(domainIDs: [domainID])[domainID])
        #expect(check.nextCheckAt <= since.addingTimeInterval(grace))

        // Another account cannot prove the name during the grace period …
        let rival = try store.accounts.create(
            email: "new-owner@owned.test",
            passwordHash: String(repeating: "y", count: 40),
            at: missing
        )
        let claim = try store.domains.create(
            accountID: rival.id,
            name: try DomainName(parsing: name),
            verificationToken: "token_fedcba9876543210",
            defaultLimit: 5,
            at: missing
        )
        let firstPolicy = try Policy(parsing: ServedDomainFixtures.policy(mode: "testing", mx: "mx.new.\(name)"))
        #expect(throws: StoreError(.verifiedByAnotherAccount, "")) {
            try store.domains.markVerified(domainID: claim.id, initialPolicy: firstPolicy, at: missing)
        }
        #expect(checker.handle(domainID: domainID, now: since.addingTimeInterval(grace - 60)) == .done)
        #expect(try domain().status == .verified)

        // … after it, the domain is offboarded as lost (mode none, served until the old policy has expired) …
        let lostAt = since.addingTimeInterval(grace)
        #expect(checker.handle(domainID: domainID, now: lostAt) == .done)
        let lost = try domain()
        #expect(lost.status == .offboarding)
        #expect(lost.lostAt == lostAt)
        #expect(try store.policies.current(domainID: domainID)?.mode == PolicyMode.none)
        // The tenant's audit log says so, acted by the worker; the rival's says nothing of it.
        let entries = try store.auditLog.list(accountID: lost.accountID, limit: 10)
        #expect(entries.map(\.action) == ["domain.ownership_lost"])
        #expect(entries.first?.actor == .worker && entries.first?.target == name)
        #expect(entries.first?.details["control_missing_since"] == since.formatted(.iso8601))
        #expect(entries.first?.requestID == nil && entries.first?.sourceAddress == nil)
        #expect(try store.auditLog.list(accountID: rival.id, limit: 10).isEmpty)

        // … and the new owner's proof takes it over, the old row and its keys going in the same transaction.
        let (verified, policy) = try store.domains.markVerified(
            domainID: claim.id,
            initialPolicy: firstPolicy,
            at: lostAt.addingTimeInterval(60)
        )
        #expect(verified.status == .verified && policy?.mode == .testing)
        #expect(try domain().status == .deleted)
        let keys = try PostgresConnection(connectionString: url).query(
            "SELECT count(*) FROM certificates WHERE domain_id = \(domainID)"
        )
        #expect(try keys.first?.decode(Int.self, at: 0) == 0)
    }
}
