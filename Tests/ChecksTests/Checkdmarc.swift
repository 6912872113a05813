import Foundation
import TestSupport

/// Runs `Scripts/checkdmarc_check.py`, which calls checkdmarc 6.0.4's MTA-STS, TLS-RPT and MX-coverage checks
/// against the test DNS and nginx, and decodes one verdict per domain.
///
/// The package lives in the repository's `.venv` (created by `make deps`). A missing virtualenv or package is a
/// failure naming the command that installs it, never a skip.
///
/// ```swift
/// let checkdmarc = try Checkdmarc(nameserver: "127.0.0.1:5354", httpsPort: 4443, zones: ["example.test"],
///                                 caFile: ca, logDirectory: dir.path)
/// let verdicts = try checkdmarc.check(["clean.example.test"])   // verdicts[0].mtaSTS.valid
/// ```
struct Checkdmarc: Sendable {
    /// What checkdmarc said about one domain.
    struct Verdict: Decodable, Sendable {
        /// One of checkdmarc's `check_*` results.
        struct Result: Decodable, Sendable {
            /// Whether checkdmarc considers the record (and for MTA-STS the policy) valid.
            let valid: Bool
            /// Why not, when not.
            let error: String?
            /// What it warns about either way.
            let warnings: [String]
        }

        let domain: String
        /// `check_mta_sts`: the `_mta-sts` record, the policy download and the policy text.
        let mtaSTS: Result
        /// `check_smtp_tls_reporting`: the `_smtp._tls` record.
        let tlsrpt: Result
        /// The MX hosts, by preference.
        let mxHosts: [String]
        /// How many MX records there are (a null MX counts).
        let mxRecordCount: Int
        /// Whether the MX record is a null MX (RFC 7505).
        let nullMX: Bool
        /// The MX hosts `mx_in_mta_sts_patterns` finds no pattern for; nil without a valid policy.
        let uncoveredMXHosts: [String]?

        enum CodingKeys: String, CodingKey {
            case domain, tlsrpt
            case mtaSTS = "mta_sts"
            case mxHosts = "mx_hosts"
            case mxRecordCount = "mx_record_count"
            case nullMX = "null_mx"
            case uncoveredMXHosts = "uncovered_mx_hosts"
        }
    }

    /// The pinned version, as in the Makefile's PYTHON_PACKAGES.
    static let version = "6.0.4"
    /// The command that installs it; quoted in every failure about it.
    static let installCommand = "make deps  (or: python3 -m venv .venv && .venv/bin/pip install -q checkdmarc==6.0.4)"

    /// The package root, found from this file's location (`Tests/ChecksTests/Checkdmarc.swift`).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    let python: String
    let script: String
    let nameserver: String
    let httpsPort: UInt16
    let zones: [String]
    let caFile: String
    let logDirectory: String

    /// Checks that `.venv/bin/python` exists and has checkdmarc at ``version``.
    /// - Throws: ``TestSupportError`` with ``installCommand`` when either is missing.
    init(nameserver: String, httpsPort: UInt16, zones: [String], caFile: String, logDirectory: String) throws {
        python = Self.packageRoot + "/.venv/bin/python"
        script = Self.packageRoot + "/Tests/ChecksTests/Scripts/checkdmarc_check.py"
        self.nameserver = nameserver
        self.httpsPort = httpsPort
        self.zones = zones
        self.caFile = caFile
        self.logDirectory = logDirectory
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSupportError("\(python) is missing; create the virtualenv with: \(Self.installCommand)")
        }
        let check = try ManagedProcess.run(
            name: "checkdmarc-version-\(UInt32.random(in: .min ... .max))",
            executable: python,
            arguments: ["-c", "import importlib.metadata as m; print(m.version('checkdmarc'))"],
            logDirectory: logDirectory
        )
        let installed = check.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard check.termination == .exited(0), installed == Self.version else {
            throw TestSupportError(
                "checkdmarc \(Self.version) is not installed in .venv (\(check.termination): \(installed)); "
                    + "install it with: \(Self.installCommand)"
            )
        }
    }

    /// Checks `domains` in one Python process.
    /// - Throws: ``TestSupportError`` when the driver fails, hangs past `timeout` seconds, or prints no verdicts.
    func check(_ domains: [String], timeout: Double = 60) throws -> [Verdict] {
        var arguments = [script, "--nameserver", nameserver, "--https-port", String(httpsPort), "--ca-file", caFile]
        arguments += zones.flatMap { ["--zone", $0] }
        arguments += domains
        // requests honours *_proxy variables; a proxy in the test runner's environment must not intercept it.
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
        let process = try ManagedProcess.launch(
            name: "checkdmarc-\(UInt32.random(in: .min ... .max))",
            executable: python,
            arguments: arguments,
            environment: environment,
            logDirectory: logDirectory
        )
        defer { process.terminate() }
        var termination: ManagedProcess.Termination?
        try Poll.until(deadline: timeout, interval: .milliseconds(10), "checkdmarc_check.py exits") {
            termination = process.poll()
            return termination != nil
        }
        let lines = process.standardOutput().split(separator: "\n")
        guard termination == .exited(0), lines.count == domains.count else {
            throw TestSupportError(
                "\(python) \(arguments.joined(separator: " ")) ended with \(termination.map { "\($0)" } ?? "?") "
                    + "after \(lines.count) of \(domains.count) verdicts:\n" + process.logTail(lines: 40)
            )
        }
        return try lines.map { try JSONDecoder().decode(Verdict.self, from: Data($0.utf8)) }
    }
}
