import CivilTime
import Crypto
import DNS
import Foundation
import TLSReporting
import TestSupport
import Testing

/// sys4's TLS-RPT reporter, a real sender-side implementation (the one Postfix feeds through libtlsrpt), against a
/// loopback HTTPS receiver: what it posts must read back as exactly the sessions it was fed.
@Suite struct TLSRPTReporterTests {
    static let policyLines = ["version: STSv1", "mode: testing", "mx: mx.example.test", "max_age: 86400"]
    static let token = "0123456789abcdef01234567"

    @Test func theReportPostedToTheRuaInDNSHoldsTheFedSessions() throws {
        let directory = try TemporaryDirectory(prefix: "reporter")
        let now = Int64(Date().timeIntervalSince1970)
        let authority = try CertificateBuilder.makeAuthority(commonName: "Reporter Test CA", now: now)
        let leaf = try CertificateBuilder.makeLeaf(dnsNames: ["reports.platform.test"], issuer: authority, now: now)
        let caPath = try directory.write(authority.certificate.pemRepresentation, to: "ca.pem")
        let receiver = try HTTPSReportReceiver(
            certificatePath: try directory.write(leaf.certificate.pemRepresentation, to: "receiver.pem"),
            keyPath: try directory.write(leaf.key.pemRepresentation, to: "receiver.key"),
            directory: directory
        )
        defer { receiver.stop() }
        let rua = "https://reports.platform.test:\(receiver.port)/v1/tlsrpt/\(Self.token)"
        let dns = try DNSTestEnvironment.start(
            zones: ["example.test", "platform.test"],
            records: [
                .txt("_smtp._tls.example.test", "v=TLSRPTv1; rua=\(rua)"),
                DNSTestRecord(owner: "reports.platform.test", type: .a, value: "127.0.0.1"),
            ]
        )
        defer { dns.stop() }
        let reporter = try TLSRPTReporterFixture(
            directory: directory,
            resolver: dns.resolverClient(),
            caBundlePath: caPath
        )
        defer { reporter.stop() }

        let failure = TLSRPTReporterFixture.Failure(
            resultType: "certificate-expired",
            count: 3,
            sendingMTAIP: "192.0.2.1",
            receivingMXHostname: "mx.example.test",
            receivingIP: "192.0.2.25"
        )
        let record = try reporter.record(
            policyDomain: "example.test",
            policy: .sts(Self.policyLines, mxHosts: ["mx.example.test"]),
            successful: 7,
            failures: [failure]
        )
        #expect(record == "v=TLSRPTv1; rua=\(rua)")
        let deliveries = try reporter.deliver()
        #expect(deliveries.map(\.description) == ["\(rua) → 200"], "\(reporter.log)")

        let posts = try receiver.posts()
        try #require(posts.count == 1, "\(receiver.log)")
        #expect(posts[0].path == "/v1/tlsrpt/\(Self.token)")
        #expect(posts[0].contentType == "application/tlsrpt+gzip")
        #expect(posts[0].body.starts(with: [0x1F, 0x8B]))
        let report = try TLSReportParser.parse(try ReportPayload.decodeHTTPBody(posts[0].body))

        #expect(report.organizationName == "Reporter Test Sender")
        #expect(report.contactInfo == "tlsrpt@reporter.test")
        #expect(report.reportID.hasSuffix("_example.test"))
        // The reporter reports the previous UTC day (RFC 8460 §4.1), whole.
        let today = CivilDate.split(epochSeconds: Int64(Date().timeIntervalSince1970)).date
        let yesterday = CivilDate(daysSince1970: today.daysSince1970 - 1)
        #expect(report.start == Date(timeIntervalSince1970: Double(yesterday.epochSeconds())))
        #expect(report.end == Date(timeIntervalSince1970: Double(yesterday.epochSeconds(secondOfDay: 86_399))))
        #expect(report.totalSuccessfulSessions == 7)
        #expect(report.totalFailedSessions == 3)
        #expect(report.policyDomains == ["example.test"])
        let policy = try #require(report.policies.first)
        #expect(report.policies.count == 1)
        #expect(policy.policyType == "sts")
        #expect(policy.policyString == Self.policyLines)
        #expect(policy.mxHosts == ["mx.example.test"])
        #expect(
            policy.failureDetails == [
                TLSReportFailure(
                    resultType: "certificate-expired",
                    sendingMTAIP: "192.0.2.1",
                    receivingMXHostname: "mx.example.test",
                    receivingIP: "192.0.2.25",
                    failedSessionCount: 3
                )
            ]
        )
    }

    /// A `mailto:` rua gets an RFC 8460 §5.3 message (kept by the fixture, never sent) beside the HTTPS post; a
    /// fetch error that the MTA could not attribute to a host reads back without details.
    @Test func aMailtoRuaGetsAReportMessageWithTheSameSessions() throws {
        let directory = try TemporaryDirectory(prefix: "reporter")
        let now = Int64(Date().timeIntervalSince1970)
        let authority = try CertificateBuilder.makeAuthority(commonName: "Reporter Test CA", now: now)
        let leaf = try CertificateBuilder.makeLeaf(dnsNames: ["reports.platform.test"], issuer: authority, now: now)
        let receiver = try HTTPSReportReceiver(
            certificatePath: try directory.write(leaf.certificate.pemRepresentation, to: "receiver.pem"),
            keyPath: try directory.write(leaf.key.pemRepresentation, to: "receiver.key"),
            directory: directory
        )
        defer { receiver.stop() }
        let https = "https://reports.platform.test:\(receiver.port)/v1/tlsrpt/\(Self.token)"
        let mailto = "mailto:\(Self.token)@reports.platform.test"
        let dns = try DNSTestEnvironment.start(
            zones: ["example.test", "platform.test"],
            records: [
                .txt("_smtp._tls.example.test", "v=TLSRPTv1; rua=\(mailto),\(https)"),
                DNSTestRecord(owner: "reports.platform.test", type: .a, value: "127.0.0.1"),
            ]
        )
        defer { dns.stop() }
        let reporter = try TLSRPTReporterFixture(
            directory: directory,
            resolver: dns.resolverClient(),
            caBundlePath: try directory.write(authority.certificate.pemRepresentation, to: "ca.pem")
        )
        defer { reporter.stop() }
        try reporter.record(
            policyDomain: "example.test",
            policy: .sts(Self.policyLines, mxHosts: ["mx.example.test"]),
            successful: 2,
            failures: [.init(resultType: "sts-policy-fetch-error", count: 4)]
        )

        let deliveries = try reporter.deliver()
        #expect(Set(deliveries.map(\.description)) == ["\(mailto) → 250", "\(https) → 200"], "\(reporter.log)")
        let message = try #require(deliveries.first { $0.destination == mailto }?.messagePath)
        let text = try String(contentsOfFile: message, encoding: .utf8)
        #expect(text.contains("TLS-Report-Domain: example.test"))
        #expect(text.contains("TLS-Report-Submitter: reporter.test"))
        let documents = try ReportPayload.decodeMessage(Array(text.utf8))
        try #require(documents.count == 1)
        let mailed = try TLSReportParser.parse(documents[0])
        let posted = try TLSReportParser.parse(
            try ReportPayload.decodeHTTPBody(try #require(receiver.posts().first).body)
        )
        #expect(mailed == posted)
        #expect(mailed.totalSuccessfulSessions == 2)
        #expect(mailed.totalFailedSessions == 4)
        #expect(
            mailed.policies.first?.failureDetails
                == [TLSReportFailure(resultType: "sts-policy-fetch-error", failedSessionCount: 4)]
        )
    }

    /// A receiver that refuses (RFC 8460 §5.4 lets senders treat anything but a success as failure) gets the report
    /// again after 1–2 s, three times in all; the fixture then reports every attempt, none accepted.
    @Test func aRefusedReportIsRetriedUntilTheAttemptsRunOut() throws {
        let directory = try TemporaryDirectory(prefix: "reporter")
        let now = Int64(Date().timeIntervalSince1970)
        let authority = try CertificateBuilder.makeAuthority(commonName: "Reporter Test CA", now: now)
        let leaf = try CertificateBuilder.makeLeaf(dnsNames: ["reports.platform.test"], issuer: authority, now: now)
        let receiver = try HTTPSReportReceiver(
            certificatePath: try directory.write(leaf.certificate.pemRepresentation, to: "receiver.pem"),
            keyPath: try directory.write(leaf.key.pemRepresentation, to: "receiver.key"),
            directory: directory,
            status: 503
        )
        defer { receiver.stop() }
        let rua = "https://reports.platform.test:\(receiver.port)/v1/tlsrpt/\(Self.token)"
        let dns = try DNSTestEnvironment.start(
            zones: ["example.test", "platform.test"],
            records: [
                .txt("_smtp._tls.example.test", "v=TLSRPTv1; rua=\(rua)"),
                DNSTestRecord(owner: "reports.platform.test", type: .a, value: "127.0.0.1"),
            ]
        )
        defer { dns.stop() }
        let reporter = try TLSRPTReporterFixture(
            directory: directory,
            resolver: dns.resolverClient(),
            caBundlePath: try directory.write(authority.certificate.pemRepresentation, to: "ca.pem")
        )
        defer { reporter.stop() }
        try reporter.record(policyDomain: "example.test", policy: .init(), successful: 1)

        let deliveries = try reporter.deliver()
        #expect(deliveries.map(\.description) == Array(repeating: "\(rua) → 503", count: 3), "\(reporter.log)")
        #expect(deliveries.allSatisfy { !$0.isAccepted })
        // The same report each time (the gzip header's timestamp differs).
        let documents = try receiver.posts().map { try ReportPayload.decodeHTTPBody($0.body) }
        #expect(documents.count == 3)
        #expect(Set(documents).count == 1)
    }
}
