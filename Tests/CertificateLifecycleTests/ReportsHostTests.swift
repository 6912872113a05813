import API
import DNS
import Foundation
import Logging
import PolicyEdge
import ReportIntake
import Store
import SystemIO
import TLSReporting
import TestSupport
import Testing

/// The TLS-RPT intake's HTTPS door on the edge's listener: the worker orders the reports host's certificate
/// from Pebble like the API's, and the edge answers for that name with the intake on the same port as policies.
@Suite struct ReportsHostTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../TLSReportingTests/Fixtures/\(name)")
        return Array(try Data(contentsOf: url))
    }

    @Test func theEdgeTakesReportsForTheReportsHostWithItsOwnCertificate() throws {
        let host = LifecycleEnvironment.reportsHostname
        let environment = try LifecycleEnvironment(platformHost: host, reportsHost: true)
        defer { environment.stop() }
        let reception = try #require(environment.reception)
        let certificate = try #require(environment.reportsCertificate)
        environment.startWorkers()
        let store = DataStore(pool: environment.pool)
        try Poll.until(deadline: 60, interval: .milliseconds(200), "the reports host's certificate is issued") {
            try store.platformCertificates.current(host: host) != nil
        }
        certificate.refresh()
        let domain = try environment.addVerifiedDomain("reports.tenant.test")
        let token = try #require(try store.reports.token(domainID: domain))
        reception.tokens.refresh()
        let edge = try #require(environment.edge.httpsAddress)

        let body = try Self.fixture("google.json.gz")
        let answer = try environment.httpsPost(
            edge,
            host: host,
            path: "/v1/tlsrpt/\(token)",
            contentType: "application/tlsrpt+gzip",
            body: body
        )
        #expect(answer.hasPrefix("HTTP/1.1 200 "), "\(answer.prefix(300))")
        let unknown = try environment.httpsPost(
            edge,
            host: host,
            path: "/v1/tlsrpt/ffffffffffffffffffffffff",
            contentType: "application/tlsrpt+gzip",
            body: body
        )
        #expect(unknown.hasPrefix("HTTP/1.1 404 "))
        #expect(unknown.contains("https://api.platform.test/problems/unknown-reporting-address"))
        // The policy path of the same listener keeps its own small body limit.
        let policyHost = try environment.httpsGet(edge, host: host, path: "/.well-known/mta-sts.txt")
        #expect(policyHost.hasPrefix("HTTP/1.1 404 "))

        let importer = ReportImporter(
            spool: reception.spool,
            store: store,
            logger: .init(label: "import", level: .error)
        )
        #expect(importer.importPending().imported == 1)
        let reports = try store.reports.list(
            domainID: domain,
            from: Date(timeIntervalSince1970: 0),
            to: Date(timeIntervalSince1970: 4_000_000_000),
            limit: 10
        )
        #expect(reports.map(\.organizationName) == ["Google Inc."])
        #expect(reports.first?.channel == .https)
        #expect(reports.first?.successfulSessions == 117)
    }

    /// A real generator end to end: sys4's tlsrpt-reporter finds the platform's address in `_smtp._tls` through the
    /// test DNS, posts its report to the edge's reports host over HTTPS (Pebble's certificate), and the report is
    /// stored with its counts and the policy version the reporter applied.
    @Test func sys4sReporterDeliversThroughTheEdgeAndTheReportShowsTheAppliedPolicy() throws {
        let host = LifecycleEnvironment.reportsHostname
        let environment = try LifecycleEnvironment(platformHost: host, reportsHost: true)
        defer { environment.stop() }
        let reception = try #require(environment.reception)
        environment.startWorkers()
        let store = DataStore(pool: environment.pool)
        try Poll.until(deadline: 60, interval: .milliseconds(200), "the reports host's certificate is issued") {
            try store.platformCertificates.current(host: host) != nil
        }
        try #require(environment.reportsCertificate).refresh()
        let name = "sender.tenant.test"
        let domain = try environment.addVerifiedDomain(name)
        let token = try #require(try store.reports.token(domainID: domain))
        reception.tokens.refresh()
        let policy = try #require(try store.policies.current(domainID: domain))
        let edgePort = try #require(environment.edge.httpsAddress?.port)
        // The platform publishes https://<reports host>/v1/tlsrpt/<token> (port 443); the test's edge listens
        // elsewhere, so the record the reporter finds names that port.
        try environment.dns.set(
            zone: "tenant.test",
            owner: "_smtp._tls.\(name)",
            type: .txt,
            value: DNSTestEnvironment.quotedTXT(["v=TLSRPTv1; rua=https://\(host):\(edgePort)/v1/tlsrpt/\(token)"])
        )

        let directory = try TemporaryDirectory(prefix: "sys4-reporter")
        // Knot itself answers the reporter: the worker's check of the new domain may have left the record's
        // absence in Unbound's negative cache.
        let reporter = try TLSRPTReporterFixture(
            directory: directory,
            resolver: environment.dns.authoritativeClient(),
            caBundlePath: environment.rootCAFile,
            organizationName: "sys4 Test Sender",
            contactInfo: "tlsrpt@sender.example"
        )
        defer { reporter.stop() }
        try reporter.record(
            policyDomain: name,
            policy: .sts(AppliedPolicyMatcher.lines(of: policy.text), mxHosts: ["mx.\(name)"]),
            successful: 7,
            failures: [.init(resultType: "certificate-expired", count: 2, receivingMXHostname: "mx.\(name)")]
        )
        let deliveries = try reporter.deliver()
        #expect(deliveries.count == 1 && deliveries.allSatisfy(\.isAccepted), "\(deliveries)\n\(reporter.log)")

        let importer = ReportImporter(
            spool: reception.spool,
            store: store,
            logger: .init(label: "import", level: .error)
        )
        #expect(importer.importPending().imported == 1)
        let reports = try store.reports.list(
            domainID: domain,
            from: Date(timeIntervalSince1970: 0),
            to: Date(timeIntervalSince1970: 4_000_000_000),
            limit: 10
        )
        let report = try #require(reports.first)
        #expect(reports.count == 1)
        #expect(report.organizationName == "sys4 Test Sender")
        #expect(report.successfulSessions == 7)
        #expect(report.failedSessions == 2)
        #expect(report.appliedPolicyIDs == [policy.policyID])
        let detail = try #require(try store.reports.report(domainID: domain, id: report.id))
        #expect(detail.policies.first?.failures.map(\.resultType) == ["certificate-expired"])
    }
}
