import Checks
import DNS
import Foundation
import Logging
import MTASTS
import Store
import TestSupport
import Testing
import WebClient
import Worker

/// The domain check through real Knot behind real Unbound, writing through the store. (No edge runs here, so
/// the policy fetch is unreachable; the lifecycle journey covers a served one.)
@Suite struct DomainCheckerTests {
    @Test func driftIsFoundAfterAPolicyChangeAndClearsOnceTheRecordFollows() throws {
        let dns = try DNSTestEnvironment.start(zones: ["drift.test"], records: [])
        defer { dns.stop() }
        let url = try PostgresTestCluster.shared.makeDatabase()
        let fixtures = try ServedDomainFixtures(url: url, directory: try TemporaryDirectory(prefix: "drift"))
        let name = "a.drift.test"
        let (domainID, firstID) = try fixtures.addDomain(
            name,
            policy: try Policy(parsing: ServedDomainFixtures.policy(mode: "testing", mx: "mx.a.drift.test")),
            certificate: false
        )
        let store = fixtures.store
        let zone = "sts.platform.test"
        let checker = DomainChecker(
            store: store,
            dns: dns.resolverClient(),
            engine: try CheckEngine(
                dns: dns.resolverClient(),
                settings: CheckSettings(
                    edgeHostname: "edge.platform.test",
                    httpsPort: 9,
                    smtpPort: 9,
                    timeout: .seconds(2)
                ),
                logger: Logger(label: "check", level: .critical)
            ),
            settings: .init(zone: zone, edgeHostname: "edge.platform.test"),
            logger: Logger(label: "drift-test", level: .critical)
        )
        func status() throws -> DomainCheckRecord? {
            try store.domainChecks.find(domainIDs: [domainID])[domainID]
        }
        /// Completes the queued checks, as a worker would after running them.
        func drainJobs() throws {
            let queue = store.jobs(workerID: "drift-test")
            while let job = try queue.take(kinds: [.checkDomain], lease: .seconds(30)) { try queue.complete(job) }
        }
        func check(until expected: STSRecordStatus) throws {
            try Poll.until(deadline: 10, "status \(expected)") {
                #expect(checker.handle(domainID: domainID) == .done)
                return try status()?.stsRecord == expected
            }
        }

        // Never checked: a check is due; nothing published yet.
        #expect(try store.domainChecks.enqueueDue() == 1)
        try check(until: .missing)
        #expect(try status()?.stsRecordDetail.contains("TXT \"v=STSv1; id=\(firstID)\"") == true)
        #expect(try status()?.tlsrptRecord == .missing)
        #expect(try status()?.policyFetch == .unreachable)

        try dns.set(zone: "drift.test", owner: "_mta-sts.\(name)", type: .txt, value: "\"v=STSv1; id=\(firstID)\"")
        try check(until: .current)
        #expect(try status()?.publishedID == firstID.string)

        // The policy changes: a check is due at once and finds the old id.
        let secondID = try fixtures.setPolicy(
            domain: domainID,
            name: name,
            policy: try Policy(parsing: ServedDomainFixtures.policy(mode: "enforce", mx: "mx.a.drift.test"))
        )
        try drainJobs()
        #expect(try store.domainChecks.enqueueDue() == 1)
        try check(until: .stale)
        #expect(try status()?.publishedID == firstID.string)
        #expect(try status()?.stsRecordDetail.contains("id=\(secondID)") == true)

        // Two records: senders ignore both.
        try dns.replace(
            zone: "drift.test",
            owner: "_mta-sts.\(name)",
            type: .txt,
            values: ["\"v=STSv1; id=\(firstID)\"", "\"v=STSv1; id=\(secondID)\""]
        )
        try check(until: .multiple)

        // The CNAME into the platform's zone: delegated.
        let label = try #require(
            try store.accounts.find(email: "owner@\(name)").flatMap {
                try store.domains.find(accountID: $0.id, name: name)?.dnsLabel
            }
        )
        try dns.unset(zone: "drift.test", owner: "_mta-sts.\(name)", type: .txt)
        try dns.set(zone: "drift.test", owner: "_mta-sts.\(name)", type: .cname, value: "\(label)._mta-sts.\(zone).")
        try check(until: .delegated)
        // Nothing is due right after a check.
        try drainJobs()
        #expect(try store.domainChecks.enqueueDue() == 0)
    }
}
