import Checks
import DNS
import Foundation
import Logging
import MTASTS
import TLS
import TestSupport
import Testing

/// The check's mail path over SMTP: the domain's MX host `mx.probe.test` (real Knot behind real Unbound, A
/// 127.0.0.1) answered by aiosmtpd fixtures, one per condition, each on its own port, so the engine that probes
/// that port sees exactly one way of being wrong. The probe never sends a message.
@Suite(.serialized) struct MailPathProbeTests {
    private static let domain = "shop.probe.test"

    private struct Environment {
        let dns: DNSTestEnvironment
        let server: SMTPFixtureServer
        let pki: SMTPTestPKI

        func report(_ fixture: String?, port: UInt16? = nil) throws -> CheckReport {
            let engine = try CheckEngine(
                dns: dns.resolverClient(),
                settings: CheckSettings(
                    edgeHostname: "edge.platform.test",
                    trustRoots: .file(pki.rootsPath),
                    httpsPort: 9,
                    smtpPort: try port ?? server.port(fixture ?? ""),
                    timeout: .seconds(10)
                ),
                logger: Logger(label: "probe-check", level: .critical)
            )
            return engine.check(try DomainName(parsing: MailPathProbeTests.domain), hosted: nil)
        }
    }

    private func environment(_ body: (Environment) throws -> Void) throws {
        let directory = try TemporaryDirectory(prefix: "mail-path")
        let pki = try SMTPTestPKI(directory: directory)
        var legacy = SMTPFixtureServer.Fixture(name: "legacy", credential: pki.valid)
        legacy.legacyTLSOnly = true
        let server = try SMTPFixtureServer(
            fixtures: [
                .init(name: "valid", credential: pki.valid), .init(name: "plain"),
                .init(name: "other-name", credential: pki.otherName),
                .init(name: "cn-only", credential: pki.commonNameOnly),
                .init(name: "expired", credential: pki.expired), legacy,
            ],
            directory: directory
        )
        defer { server.stop() }
        let dns = try DNSTestEnvironment.start(
            zones: ["probe.test"],
            records: [
                DNSTestRecord(owner: Self.domain, type: .mx, value: "10 mx.probe.test."),
                DNSTestRecord(owner: "mx.probe.test", type: .a, value: "127.0.0.1"),
                DNSTestRecord(
                    owner: "_25._tcp.mx.probe.test",
                    type: .tlsa,
                    value: "3 1 1 " + String(repeating: "ab", count: 32)
                ),
            ]
        )
        defer { dns.stop() }
        try body(Environment(dns: dns, server: server, pki: pki))
    }

    private func mailCodes(_ report: CheckReport) -> [String] {
        report.findings.map(\.code.rawValue).filter { $0.hasPrefix("mx-") && $0 != "mx-dane-present" }
    }

    @Test func eachWayAnMXHostCanFailIsItsOwnFinding() throws {
        try environment { env in
            // A host with a valid certificate for its name over STARTTLS: nothing on the mail path but DANE's note.
            let clean = try env.report("valid")
            #expect(mailCodes(clean).isEmpty, "\(clean.findings.map(\.message))")
            let dane = try #require(clean.findings.first { $0.code == .mxDANEPresent })
            #expect(dane.severity == .info && dane[detail: "mx_host"] == .string("mx.probe.test"))

            let plain = try env.report("plain")
            #expect(mailCodes(plain) == ["mx-starttls-missing"])
            #expect(plain.findings.first { $0.code == .mxStartTLSMissing }?.severity == .error)

            let other = try env.report("other-name")
            #expect(mailCodes(other) == ["mx-cert-name-mismatch"])
            let mismatch = try #require(other.findings.first { $0.code == .mxCertNameMismatch })
            #expect(mismatch[detail: "certificate_names"] == .strings(["mail.elsewhere.test"]))

            // The CN names the host, the SAN does not: senders do not fall back to the CN (RFC 8461 §4.1).
            #expect(mailCodes(try env.report("cn-only")) == ["mx-cert-name-mismatch"])

            let expired = try env.report("expired")
            #expect(mailCodes(expired) == ["mx-cert-invalid"])
            let invalid = try #require(expired.findings.first { $0.code == .mxCertInvalid })
            #expect(invalid.fix.contains("Renew the certificate of mx.probe.test"))

            let legacy = try env.report("legacy")
            #expect(mailCodes(legacy) == ["mx-tls-version"])
            #expect(legacy.findings.first { $0.code == .mxTLSVersion }?[detail: "negotiated"] != nil)

            // Nothing listening on the port.
            let closed = try env.report(nil, port: try FreePort.allocate(udp: false))
            #expect(mailCodes(closed) == ["mx-unreachable"])
            let unreachable = try #require(closed.findings.first { $0.code == .mxUnreachable })
            #expect(unreachable[detail: "reason"] == .string("connection refused"))
        }
    }
}
