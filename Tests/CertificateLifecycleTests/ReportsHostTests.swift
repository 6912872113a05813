import API
import Foundation
import Logging
import PolicyEdge
import ReportIntake
import Store
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
}
