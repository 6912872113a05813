import Checks
import Configuration
import DNS
import Foundation
import JSON
import Logging
import MTASTS
import TLS

/// `mtasts check <domain> [--json]`: the MTA-STS check of any domain, from this machine, without the database.
enum CheckCommand {
    static let help = """
        usage: mtasts check <domain> [--json] [--skip-smtp]

        Looks at <domain> as a sending mail server does and lists every problem with its fix: the _mta-sts
        and _smtp._tls records, where mta-sts.<domain> points, CAA, the policy over HTTPS (certificate, TLS
        version, redirects, status, media type, size, syntax, max_age) and each MX host over SMTP (EHLO,
        STARTTLS, certificate; never a message). The codes are documented in docs/checks.md.

        Uses MTASTS_DNS_RESOLVERS, MTASTS_CHECK_CA_BUNDLE, MTASTS_CHECK_HTTPS_PORT, MTASTS_CHECK_SMTP_PORT,
        MTASTS_CHECK_TIMEOUT, MTASTS_EDGE_HOSTNAME and MTASTS_ACME_CAA_IDENTITIES.

        options:
          --json        print the report as JSON (the same document as POST /v1/checks)
          --skip-smtp   do not probe the MX hosts over SMTP (from a host whose outbound port 25 is blocked)
          --help        show this help

        exit status: 0 no errors, 1 errors found, 2 the check could not run (bad domain, no resolver answered)

        """

    static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        let positional = arguments.filter { !$0.hasPrefix("--") }
        let options = try OptionParser(
            arguments.filter { $0.hasPrefix("--") },
            knownFlags: ["json", "skip-smtp", "help"],
            knownValues: []
        )
        if options.flags.contains("help") {
            CommandRunner.writeOut(help)
            return 0
        }
        guard positional.count == 1 else {
            CommandRunner.writeError("mtasts check: name exactly one domain\n\n" + help)
            return 2
        }
        let domain: DomainName
        do {
            domain = try DomainName(parsing: positional[0])
        } catch {
            CommandRunner.writeError("mtasts check: \(positional[0]) is not a domain name: \(error.message)\n")
            return 2
        }
        let configuration = try PlatformConfiguration(environment: environment)
        let logger = Logger(label: "check", level: configuration.logLevel)
        var settings = checkSettings(configuration)
        if options.flags.contains("skip-smtp") { settings.maximumProbedMXHosts = 0 }
        let engine = try CheckEngine(dns: try ServeCommand.dnsClient(configuration), settings: settings, logger: logger)
        let report = engine.check(domain, hosted: nil)
        if options.flags.contains("json") {
            CommandRunner.writeOut(report.json.text + "\n")
        } else {
            CommandRunner.writeOut(render(report))
        }
        if report.observed.stsRecord.txtRecords == nil && report.observed.mxHosts == nil {
            return 2
        }
        return report.count(.error) > 0 ? 1 : 0
    }

    /// The check settings every role uses, from the configuration.
    static func checkSettings(_ configuration: PlatformConfiguration) -> CheckSettings {
        CheckSettings(
            edgeHostname: configuration.edgeHostname,
            caaIdentities: configuration.acmeCAAIdentities,
            trustRoots: configuration.checkCABundle.map { .file($0) } ?? .systemDefault,
            httpsPort: UInt16(configuration.checkHTTPSPort),
            smtpPort: UInt16(configuration.checkSMTPPort),
            timeout: .seconds(configuration.checkTimeout)
        )
    }

    /// The report for a terminal: a summary line, then each finding with its fix.
    static func render(_ report: CheckReport) -> String {
        func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        var text =
            "\(report.domain): \(plural(report.count(.error), "error")), \(plural(report.count(.warning), "warning")), "
            + "\(report.count(.info)) info (checked \(report.checkedAt.formatted(.iso8601)))\n"
        for finding in report.findings {
            let label = finding.severity.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)
            text += "\n\(label)\(finding.code.rawValue)\n        \(finding.message)\n        fix: \(finding.fix)\n"
        }
        if report.findings.isEmpty {
            text += "\nNo problems found: senders can fetch and apply the policy.\n"
        }
        return text
    }
}
