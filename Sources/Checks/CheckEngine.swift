package import DNS
import Dispatch
package import Foundation
package import Logging
package import MTASTS
import SMTPClient
import Synchronization
import SystemIO
import WebClient

/// The MTA-STS check: looks at any domain from the outside as a sending server does (DNS records, the policy over
/// HTTPS, the MX hosts over SMTP) and reports every deviation from RFC 8461 and RFC 8460 as a ``CheckFinding``.
///
/// One engine behind three doors: `mtasts check`, `POST /v1/checks` and the worker's scheduled checks of every
/// hosted domain. For a hosted domain it also compares what is published with what the platform serves.
/// Blocking (DNS, HTTPS and SMTP run on the calling thread and two helpers); never call it on an event loop.
///
/// ```swift
/// let engine = try CheckEngine(dns: dns, settings: CheckSettings(edgeHostname: "edge.example.net"), logger: log)
/// let report = engine.check(try DomainName("example.com"), hosted: nil)
/// if report.worstSeverity == .error { … }
/// ```
package struct CheckEngine: Sendable {
    /// Largest policy body senders are expected to accept (RFC 8461 §3.3 leaves it to them; 64 KiB is common).
    package static let maximumPolicyBytes = 65_536

    let dns: DNSClient
    let settings: CheckSettings
    let policyClient: HTTPClient
    let smtpProbe: SMTPProbe
    let logger: Logger

    /// Creates an engine; loads the trust roots once.
    /// - Parameter dns: the resolvers senders would use (`MTASTS_DNS_RESOLVERS`), with their own timeouts.
    /// - Throws: `HTTPClientError` or `SMTPClientError` when the trust roots cannot be loaded.
    package init(dns: DNSClient, settings: CheckSettings, logger: Logger) throws {
        self.dns = dns
        self.settings = settings
        self.logger = logger
        var configuration = HTTPClientConfiguration(trustRoots: settings.trustRoots)
        configuration.connectTimeout = min(.seconds(5), settings.timeout)
        configuration.requestTimeout = min(.seconds(10), settings.timeout)
        configuration.maximumBodyBytes = Self.maximumPolicyBytes
        configuration.userAgent = "mtasts-check"
        configuration.resolver = HostResolver { name in
            ((try? dns.addresses(name)) ?? []).compactMap { try? SocketAddress(ipAddress: "\($0)", port: 0) }
        }
        policyClient = try HTTPClient(configuration: configuration, logger: logger)
        var probe = SMTPProbeConfiguration(localHostName: settings.edgeHostname)
        probe.port = settings.smtpPort
        probe.trustRoots = settings.trustRoots
        probe.resolver = .dns(dns)
        probe.timeouts.connect = min(.seconds(5), settings.timeout)
        probe.timeouts.greeting = min(.seconds(10), settings.timeout)
        probe.timeouts.command = min(.seconds(10), settings.timeout)
        probe.timeouts.tlsHandshake = min(.seconds(10), settings.timeout)
        probe.timeouts.total = min(.seconds(25), settings.timeout)
        smtpProbe = try SMTPProbe(configuration: probe, logger: logger)
    }

    /// Checks `domain`.
    /// - Parameters:
    ///   - hosted: what the platform serves, for a hosted domain; `nil` for any other domain.
    ///   - now: the time certificate and age verdicts are judged against.
    package func check(_ domain: DomainName, hosted: HostedDomainExpectation?, now: Date = Date()) -> CheckReport {
        let sections = Mutex<[Int: SectionResult]>([:])
        DispatchQueue.concurrentPerform(iterations: 3) { index in
            let result: SectionResult
            switch index {
            case 0: result = dnsSection(domain, hosted: hosted)
            case 1: result = policySection(domain, hosted: hosted, now: now)
            default: result = mailSection(domain)
            }
            sections.withLock { $0[index] = result }
        }
        let results = sections.withLock { $0 }
        let dnsResult = results[0] ?? SectionResult()
        let policyResult = results[1] ?? SectionResult()
        let mailResult = results[2] ?? SectionResult()
        let policy = policyResult.policy ?? hosted.flatMap { try? Policy(parsing: $0.policyText) }
        let coverage = coverageFindings(policy: policy, mxHosts: mailResult.mxHosts)
        let observed = CheckObservations(
            stsRecord: dnsResult.stsRecord
                ?? TXTObservation(cnameTarget: nil, txtRecords: nil, failure: "not looked up"),
            tlsrptRecord: dnsResult.tlsrptRecord
                ?? TXTObservation(cnameTarget: nil, txtRecords: nil, failure: "not looked up"),
            policyFetch: policyResult.fetch ?? .failed("not fetched"),
            policy: policyResult.policy,
            policyHostAliases: dnsResult.policyHostAliases,
            mxHosts: mailResult.mxHosts
        )
        return CheckReport(
            domain: domain.name,
            checkedAt: now,
            hosted: hosted != nil,
            observed: observed,
            findings: dnsResult.findings + policyResult.findings + coverage + mailResult.findings
        )
    }

    /// What one part of the check found.
    struct SectionResult: Sendable {
        var findings: [CheckFinding] = []
        var stsRecord: TXTObservation?
        var tlsrptRecord: TXTObservation?
        var policyHostAliases: [String] = []
        var fetch: PolicyFetchObservation?
        var policy: Policy?
        var mxHosts: [String]?
    }

    // MARK: - Lookups shared by the sections

    /// TXT records at `name`, following aliases, with the smallest TTL and the alias target if any.
    ///
    /// The alias is asked for on its own: a CNAME whose target does not resolve (yet) still counts, as it does
    /// for a name delegated into the platform's zone before the zone serves it.
    func observeTXT(_ name: String) -> TXTObservation {
        guard let queryName = try? DNSName(name) else {
            return TXTObservation(cnameTarget: nil, txtRecords: nil, failure: "\(name) is not a valid name")
        }
        var alias: String?
        if case .answer(let records, _) = dns.query(queryName, type: .cname) {
            alias =
                records.lazy.compactMap { record -> String? in
                    if case .cname(let target) = record.data { return target.description }
                    return nil
                }.first
        }
        switch dns.query(queryName, type: .txt) {
        case .answer(let records, _):
            let texts = records.compactMap { record -> [String]? in
                if case .txt(let txt) = record.data { return txt.texts }
                return nil
            }
            return TXTObservation(cnameTarget: alias, txtRecords: texts, ttl: records.map(\.ttl).min())
        case .nxdomain, .noData:
            return TXTObservation(cnameTarget: alias, txtRecords: [])
        case let failure:
            return TXTObservation(cnameTarget: alias, txtRecords: nil, failure: Self.describe(failure))
        }
    }

    /// A failed lookup in words.
    static func describe(_ result: DNSLookupResult) -> String {
        switch result {
        case .serverFailure(let code): "the resolver answered \(code)"
        case .timeout: "the resolver did not answer in time"
        case .networkError(let message): "the resolver could not be reached (\(message))"
        case .answer, .nxdomain, .noData: "the lookup answered"
        }
    }

    /// A `dns-lookup-failed` finding for `name`.
    static func lookupFailed(_ name: String, type: String, reason: String, affects: String) -> CheckFinding {
        CheckFinding(
            .dnsLookupFailed,
            .error,
            "The \(type) lookup of \(name) failed: \(reason). \(affects)",
            fix: lookupFix(name, reason: reason),
            details: [.string("name", name), .string("type", type), .string("reason", reason)]
        )
    }

    /// What to do about a failed lookup of `name`, by its `reason` (from ``describe(_:)``).
    static func lookupFix(_ name: String, reason: String) -> String {
        reason.hasPrefix("the resolver answered")
            ? "Make sure the domain's name servers answer for \(name) (a SERVFAIL often means broken DNSSEC or "
                + "unreachable name servers); run the check again."
            : "The check's resolvers (MTASTS_DNS_RESOLVERS) did not answer: run the check again."
    }
}
