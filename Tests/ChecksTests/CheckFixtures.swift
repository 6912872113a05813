import Crypto
import DNS
import Foundation
import TestSupport

/// The domains every check test looks at, one per condition, each a ``FixtureDomain`` that differs from the clean
/// deployment in one way; ``CheckEnvironment`` publishes them all in one DNS environment and one nginx.
enum CheckFixtures {
    /// The platform's edge, which hosted domains' `mta-sts` names are aliases of.
    static let edgeHostname = "edge.platform.test"
    /// The CA the engine's CAA check stands for.
    static let caaIdentity = "pebble.test"

    /// The trusted test CA, a CA nobody trusts, and the time their certificates were issued at.
    struct Authorities: Sendable {
        let trusted: CertificateBuilder.Issued
        let untrusted: CertificateBuilder.Issued
        let now: Int64

        static func make() throws -> Authorities {
            let now = Int64(Date().timeIntervalSince1970)
            return Authorities(
                trusted: try CertificateBuilder.makeAuthority(commonName: "Checks Test CA", now: now),
                untrusted: try CertificateBuilder.makeAuthority(commonName: "Untrusted Test CA", now: now),
                now: now
            )
        }
    }

    /// A policy for `<label>.example.test` with the clean deployment's patterns (or `mx`).
    static func policy(
        _ label: String,
        mode: String = "enforce",
        mx: [String]? = nil,
        maxAge: Int = 604_800
    )
        -> String
    {
        let name = "\(label).example.test"
        return FixtureDomain.policy(mode: mode, mx: mx ?? ["mx1.\(name)", "*.mail.\(name)"], maxAge: maxAge)
    }

    /// Every fixture domain.
    static let domains: [FixtureDomain] = [
        FixtureDomain("clean") { $0.caa = [#"0 issue "pebble.test""#] },
        // DNS
        FixtureDomain("sts-missing") { $0.stsRecords = [] },
        FixtureDomain("sts-multiple") { $0.stsRecords = ["v=STSv1; id=first1", "v=STSv1; id=second2"] },
        FixtureDomain("sts-syntax") { $0.stsRecords = ["v=STSv1; id=not_valid!"] },
        FixtureDomain("sts-apex") {
            $0.stsRecords = []
            $0.apexRecords = ["v=spf1 -all", "v=STSv1; id=apex1"]
        },
        // Checked through Knot (the published TTL) by an engine whose edge is edge.example.test, in Knot's zone.
        FixtureDomain("id-mismatch") {
            $0.stsTTL = 300
            $0.policyHost = .alias("edge.example.test")
        },
        FixtureDomain("elsewhere") { $0.policyHost = .alias("policy.provider.example.test") },
        FixtureDomain("address") { $0.policyHost = .address("127.0.0.1") },
        FixtureDomain("tlsrpt-missing") { $0.tlsrptRecords = [] },
        FixtureDomain("tlsrpt-invalid") { $0.tlsrptRecords = ["v=TLSRPTv1; rua=ftp://reports.example.test/"] },
        FixtureDomain("tlsrpt-multiple") {
            $0.tlsrptRecords = [
                "v=TLSRPTv1; rua=mailto:a@tlsrpt-multiple.example.test",
                "v=TLSRPTv1; rua=mailto:b@tlsrpt-multiple.example.test",
            ]
        },
        FixtureDomain("tlsrpt-legacy") {
            $0.legacyTLSRPTRecords = $0.tlsrptRecords
            $0.tlsrptRecords = []
        },
        FixtureDomain("caa") { $0.caa = [#"0 issue "other-ca.test""#] },
        // HTTPS
        FixtureDomain("no-policy-host") {
            $0.policyHost = .none
            $0.listener = .none
        },
        FixtureDomain("expired") { $0.certificate = .expired },
        FixtureDomain("wrong-name") { $0.certificate = .wrongName },
        FixtureDomain("untrusted") { $0.certificate = .untrustedIssuer },
        FixtureDomain("expiring") { $0.certificate = .expiresIn(seconds: 5 * 86_400 + 3_600) },
        FixtureDomain("old-tls") {
            $0.policyHost = .alias("legacy-tls.platform.test")
            $0.listener = .legacyTLSOnly(address: "127.0.0.2")
        },
        FixtureDomain("plain-http") {
            $0.policyHost = .alias("plain-http.platform.test")
            $0.listener = .plainHTTP(address: "127.0.0.3")
        },
        FixtureDomain("redirect") {
            $0.answer = .redirect(status: 301, location: "https://policies.example.net/redirect.txt")
        },
        FixtureDomain("not-found") { $0.answer = .status(404) },
        FixtureDomain("html") { $0.answer = .policy(contentType: "text/html") },
        FixtureDomain("too-large") {
            $0.policyText += String(repeating: "x-padding: " + String(repeating: "p", count: 50) + "\r\n", count: 1_400)
        },
        FixtureDomain("lenient") {
            $0.policyText =
                "version: STSv1\r\nmode: enforce\r\n\r\n  mx: mx1.lenient.example.test\r\n"
                + "  mx: *.mail.lenient.example.test\r\nmax_age: 604800\r\n"
        },
        FixtureDomain("invalid-policy") {
            $0.policyText = policy("invalid-policy").replacingOccurrences(of: "mode: enforce", with: "mode: always")
        },
        FixtureDomain("short-testing") { $0.policyText = policy("short-testing", mode: "testing", maxAge: 3_600) },
        FixtureDomain("short-enforce") { $0.policyText = policy("short-enforce", maxAge: 86_400) },
        FixtureDomain("testing-long") { $0.policyText = policy("testing-long", mode: "testing") },
        // Mail path
        FixtureDomain("uncovered") { $0.mx.append("30 backup.elsewhere.example.net.") },
        FixtureDomain("uncovered-testing") {
            $0.mx.append("30 backup.elsewhere.example.net.")
            $0.policyText = policy("uncovered-testing", mode: "testing")
        },
        FixtureDomain("stale") {
            $0.policyText = policy(
                "stale",
                mx: ["mx1.stale.example.test", "*.mail.stale.example.test", "mx.retired.example.net"]
            )
        },
        FixtureDomain("no-mx") { $0.mx = [] },
        FixtureDomain("null-mx") { $0.mx = ["0 ."] },
        FixtureDomain("wildcard") {
            $0.mx = ["10 a.mx.wildcard.example.test.", "20 b.a.mx.wildcard.example.test."]
            $0.policyText = policy("wildcard", mx: ["*.mx.wildcard.example.test"])
        },
    ]

    /// Names the fixtures point at besides their own.
    static let sharedRecords: [DNSTestRecord] = [
        DNSTestRecord(owner: edgeHostname, type: .a, value: "127.0.0.1"),
        DNSTestRecord(owner: "edge.example.test", type: .a, value: "127.0.0.1"),
        DNSTestRecord(owner: "policy.provider.example.test", type: .a, value: "127.0.0.1"),
        DNSTestRecord(owner: "legacy-tls.platform.test", type: .a, value: "127.0.0.2"),
        DNSTestRecord(owner: "plain-http.platform.test", type: .a, value: "127.0.0.3"),
    ]

    /// The fixture named `label`.
    static func domain(_ label: String) throws -> FixtureDomain {
        guard let domain = domains.first(where: { $0.label == label }) else {
            throw TestSupportError("no fixture domain \(label)")
        }
        return domain
    }

    /// Started on first use and stopped when the test process exits.
    static let shared: Result<CheckEnvironment, TestSupportError> = {
        do {
            let environment = try CheckEnvironment.start()
            atexit {
                if case .success(let environment) = CheckFixtures.shared {
                    environment.stop()
                }
            }
            return .success(environment)
        } catch {
            return .failure(TestSupportError("\(error)"))
        }
    }()

    /// The shared environment.
    static func environment() throws -> CheckEnvironment {
        try shared.get()
    }
}
