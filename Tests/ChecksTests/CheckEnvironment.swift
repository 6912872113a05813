import Checks
import Crypto
import DNS
import Foundation
import Logging
import MTASTS
import TLS
import TestSupport

/// Knot + Unbound serving every ``CheckFixtures/domains`` record and nginx serving every policy host, shared by the
/// check suites (each test only reads), plus the engine that looks at them as a sender does.
final class CheckEnvironment: Sendable {
    let dns: DNSTestEnvironment
    let nginx: NginxTestServer
    let authorities: CheckFixtures.Authorities
    /// Holds `ca.pem`, the trusted test CA.
    let files: TemporaryDirectory
    /// The trusted test CA's certificate.
    let caPath: String
    /// The engine as the platform configures it: the test resolver, the edge, the CAA identity, the test CA and
    /// nginx's port for HTTPS; it probes no MX host over SMTP (the fixtures' MX hosts have no addresses, and the
    /// probe has its own tests in SMTPClientTests).
    let engine: CheckEngine

    private init(
        dns: DNSTestEnvironment,
        nginx: NginxTestServer,
        authorities: CheckFixtures.Authorities,
        files: TemporaryDirectory,
        caPath: String
    ) throws {
        self.dns = dns
        self.nginx = nginx
        self.authorities = authorities
        self.files = files
        self.caPath = caPath
        engine = try CheckEngine(
            dns: dns.resolverClient(),
            settings: CheckSettings(
                edgeHostname: CheckFixtures.edgeHostname,
                caaIdentities: [CheckFixtures.caaIdentity],
                trustRoots: .file(caPath),
                httpsPort: nginx.port,
                timeout: .seconds(10),
                maximumProbedMXHosts: 0
            ),
            logger: Self.logger
        )
    }

    /// Quiet: the findings are what the tests read.
    static let logger = Logger(label: "checks-tests", level: .critical)

    /// Starts DNS and nginx with every fixture.
    static func start() throws -> CheckEnvironment {
        let authorities = try CheckFixtures.Authorities.make()
        let hosts = try CheckFixtures.domains.compactMap { try $0.host(authorities) }
        let dns = try DNSTestEnvironment.start(
            zones: ["example.test", "platform.test"],
            records: CheckFixtures.sharedRecords + CheckFixtures.domains.flatMap(\.records)
        )
        do {
            let nginx = try NginxTestServer.start(hosts: hosts)
            let files = try TemporaryDirectory(prefix: "checks")
            let caPath = try files.write(authorities.trusted.certificate.pemRepresentation, to: "ca.pem")
            return try CheckEnvironment(
                dns: dns,
                nginx: nginx,
                authorities: authorities,
                files: files,
                caPath: caPath
            )
        } catch {
            dns.stop()
            throw error
        }
    }

    /// Another engine like ``engine`` with some settings changed.
    func makeEngine(
        dns client: DNSClient? = nil,
        edgeHostname: String = CheckFixtures.edgeHostname,
        httpsPort: UInt16? = nil,
        timeout: Duration = .seconds(10)
    ) throws -> CheckEngine {
        try CheckEngine(
            dns: client ?? dns.resolverClient(),
            settings: CheckSettings(
                edgeHostname: edgeHostname,
                caaIdentities: [CheckFixtures.caaIdentity],
                trustRoots: .file(caPath),
                httpsPort: httpsPort ?? nginx.port,
                timeout: timeout,
                maximumProbedMXHosts: 0
            ),
            logger: Self.logger
        )
    }

    /// Checks the fixture `label` with `engine` (default: ``engine``).
    func check(
        _ label: String,
        hosted: HostedDomainExpectation? = nil,
        engine: CheckEngine? = nil,
        now: Date = Date()
    ) throws -> CheckReport {
        let domain = try CheckFixtures.domain(label)
        return (engine ?? self.engine).check(try DomainName(parsing: domain.name), hosted: hosted, now: now)
    }

    /// Stops nginx and DNS.
    func stop() {
        nginx.stop()
        dns.stop()
        files.remove()
    }
}

extension FixtureDomain {
    /// What the platform would serve for this domain: its policy, with `policyID` (default: the published one).
    func hosted(policyID: String? = nil, testingSince: Date? = nil) -> HostedDomainExpectation {
        HostedDomainExpectation(policyID: policyID ?? self.policyID, policyText: policyText, testingSince: testingSince)
    }
}

extension CheckReport {
    /// The codes, in report order (most severe first).
    var codes: [CheckCode] { findings.map(\.code) }

    /// Every finding on one line each, for failure messages.
    var summary: String {
        findings.isEmpty
            ? "no findings"
            : findings.map { "\($0.code.rawValue) (\($0.severity.rawValue)): \($0.message)" }.joined(separator: "\n")
    }

    /// The findings with `code`.
    func findings(_ code: CheckCode) -> [CheckFinding] {
        findings.filter { $0.code == code }
    }
}
