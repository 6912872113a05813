import ACME
import DNS
import Database
import Foundation
import Logging
import Store
import Synchronization
import TestSupport
import Testing

/// Lines written by the workers, for assertions on what they decided.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])
    var sink: LogSink { LogSink { [self] line in append(line) } }
    var all: [String] { lines.withLock { $0 } }

    private func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }
}

@Suite(.serialized) struct InterruptedOrderTests {
    @Test func aWorkerKilledMidOrderIsRecoveredWithoutANewOrder() throws {
        let log = CapturedLog()
        // Pebble rejects no nonces here: the resume path treats any failure of the old order as a reason to place
        // a new one, so a rejected nonce (retried once) would turn this test into a coin toss about nonces.
        let environment = try LifecycleEnvironment(nonceRejectPercent: 0, workerLog: log.sink)
        defer { environment.stop() }
        try environment.dns.set(
            zone: "tenant.test",
            owner: "mta-sts.delta.tenant.test",
            type: .cname,
            value: "edge.platform.test."
        )
        let domain = try environment.addVerifiedDomain("delta.tenant.test")

        // A worker placed an order, saved its URL, held the job's lease and died.
        let order = try environment.acmeClient().newOrder(for: ["mta-sts.delta.tenant.test"])
        let store = DataStore(pool: environment.pool)
        try store.certificates.setState(domainID: domain, status: .ordering, error: nil, orderURL: order.url)
        let killed = store.jobs(workerID: "killed-worker")
        try killed.enqueue(kind: .issueCertificate, domainID: domain)
        #expect(try killed.take(kinds: [.issueCertificate], lease: .seconds(2))?.domainID == domain)
        environment.startWorkers()
        try Poll.until(deadline: 60, "certificate issued after the lease expired") {
            try environment.state(domain)?.status == "issued"
        }
        #expect(
            log.all.contains { $0.contains("resumed an interrupted order") && $0.contains(order.url) },
            "worker log: \(log.all.suffix(20).joined(separator: "\n"))"
        )
        #expect(try environment.certificateCount(domain) == 1)
        // The edge applies the stored certificate from the change log a moment after the worker marked it issued.
        var served: String?
        try Poll.until(deadline: 10, "the edge serves delta.tenant.test over TLS") {
            served = try? environment.fetchPolicy("delta.tenant.test")
            return served != nil
        }
        #expect(served == LifecycleEnvironment.policyText("delta.tenant.test"))
    }

    @Test func aHundredDomainsAreIssuedConcurrently() throws {
        // A budget above the hundred orders: this measures throughput, not the budget (OrderBudgetTests does).
        let environment = try LifecycleEnvironment(
            workerCount: 2,
            concurrency: 8,
            orderBudget: .init(ordersPerHour: 1000)
        )
        defer { environment.stop() }
        let names = (0..<100).map { "d\($0).tenant.test" }
        for name in names {
            try environment.dns.set(
                zone: "tenant.test",
                owner: "mta-sts.\(name)",
                type: .cname,
                value: "edge.platform.test."
            )
        }
        var domains: [UUID] = []
        for name in names { domains.append(try environment.addVerifiedDomain(name)) }
        let started = ContinuousClock.now
        environment.startWorkers()
        try Poll.until(deadline: 240, interval: .milliseconds(200), "100 certificates issued") {
            try environment.pool.withConnection { connection in
                try connection.query("SELECT count(*) FROM certificate_states WHERE status = 'issued'").first?.decode(
                    Int.self,
                    at: 0
                )
            } == 100
        }
        print("MEASURE hundred_domains_issued_seconds=\(ContinuousClock.now - started)")
        let certificates = try environment.pool.withConnection { connection in
            try connection.query("SELECT count(*) FROM certificates").first?.decode(Int.self, at: 0)
        }
        #expect(certificates == 100)
        for name in names.prefix(5) {
            #expect(try environment.fetchPolicy(name) == LifecycleEnvironment.policyText(name))
        }
    }
}
