import DNS
import Database
import Foundation
import Store
import TestSupport
import Testing

/// The ACME order budget and the stop after refused orders, against Pebble with real workers.
@Suite struct OrderBudgetTests {
    private func count(_ environment: LifecycleEnvironment, _ sql: String) throws -> Int {
        try environment.pool.withConnection { connection in
            try connection.query("\(unsafeSQL: sql)").first?.decode(Int.self, at: 0)
        } ?? -1
    }

    @Test func noMoreOrdersThanTheBudgetAndTheRestWaitWithTheReasonShown() throws {
        let budget = ACMEOrderBudgetRepository.Budget(ordersPerHour: 10, renewalReserve: 2, ordersPerAccount: 100)
        let environment = try LifecycleEnvironment(orderBudget: budget)
        defer { environment.stop() }
        let names = (0..<12).map { "b\($0).tenant.test" }
        var domains: [UUID] = []
        for name in names {
            try environment.dns.set(
                zone: "tenant.test",
                owner: "mta-sts.\(name)",
                type: .cname,
                value: "edge.platform.test."
            )
            domains.append(try environment.addVerifiedDomain(name))
        }
        environment.startWorkers()
        // Eight orders fit (the other two of the hour are kept for renewals); every other domain waits with the
        // reason. An order that failed on the way (a nonce race under load) still counted, so its domain waits too.
        try Poll.until(deadline: 120, interval: .milliseconds(200), "8 orders placed and every other domain waiting") {
            let states = try domains.compactMap { try environment.state($0) }
            let issued = states.filter { $0.status == "issued" }.count
            let waiting = states.filter { $0.status == "ordering" && $0.error?.contains("order budget") == true }
            return try count(environment, "SELECT count(*) FROM acme_orders") == 8 && issued + waiting.count == 12
        }
        let issued = try domains.compactMap { try environment.state($0) }.filter { $0.status == "issued" }.count
        #expect(issued >= 4 && issued <= 8)
        #expect(try count(environment, "SELECT count(*) FROM certificates") == issued)
        let waiting = try #require(
            try domains.compactMap { try environment.state($0) }.first { $0.status == "ordering" }
        )
        #expect(waiting.error?.contains("kept for renewals") == true)
    }

    @Test func refusedOrdersStopUntilTheTenantAsksAgain() throws {
        let environment = try LifecycleEnvironment(maximumFailedOrders: 1, blockedDomains: ["refused.tenant.test"])
        defer { environment.stop() }
        let name = "refused.tenant.test"
        try environment.dns.set(
            zone: "tenant.test",
            owner: "mta-sts.\(name)",
            type: .cname,
            value: "edge.platform.test."
        )
        let domain = try environment.addVerifiedDomain(name)
        environment.startWorkers()
        try Poll.until(deadline: 60, interval: .milliseconds(200), "the worker waits for the tenant") {
            try environment.state(domain)?.status == "waiting_for_tenant"
        }
        #expect(try environment.state(domain)?.error?.contains("rejectedIdentifier") == true)
        #expect(try count(environment, "SELECT count(*) FROM acme_orders") == 1)
        // Scans go on, but nothing is queued for the domain any more.
        let store = DataStore(pool: environment.pool)
        // The tenant's audit log says the worker gave up and waits for them (written just after the state).
        let accountID = try #require(try store.domains.find(id: domain)?.accountID)
        try Poll.until(deadline: 10, "the failure in the audit log") {
            try !store.auditLog.list(accountID: accountID, limit: 10).isEmpty
        }
        let failed = try #require(try store.auditLog.list(accountID: accountID, limit: 10).first)
        #expect(failed.action == "certificate.fail" && failed.actor == .worker && failed.target == name)
        #expect(failed.details["waiting_for_tenant"] == "true")
        #expect(failed.details["error"]?.contains("rejectedIdentifier") == true)
        #expect(try store.certificates.enqueueDueWork() == 0)

        #expect(try store.certificates.resumeOrdering(domainID: domain))
        try store.jobs(workerID: "test").enqueue(kind: .issueCertificate, domainID: domain)
        try Poll.until(deadline: 60, interval: .milliseconds(200), "one more order, refused again") {
            try count(environment, "SELECT count(*) FROM acme_orders") == 2
                && environment.state(domain)?.status == "waiting_for_tenant"
        }
    }
}
