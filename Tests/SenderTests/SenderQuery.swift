import Foundation
import TestSupport

/// Runs `Scripts/sts_query.py`, which drives postfix-mta-sts-resolver 1.5.1 (a real sender-side MTA-STS
/// implementation, the one Postfix uses) against the test DNS and the edge, and decodes its verdict.
///
/// The package lives in the repository's `.venv` (created by `make deps`). A missing virtualenv or package is a
/// failure naming the command that installs it, never a skip.
///
/// ```swift
/// let sender = try SenderQuery(nameserver: "127.0.0.1:5354", edgePort: 4443, zones: ["sender.test"],
///                              caFile: ca, logDirectory: dir.path)
/// let result = try sender.resolve("acme.sender.test")   // .status == "VALID"
/// ```
struct SenderQuery: Sendable {
    /// What `STSResolver.resolve` returned.
    struct Result: Decodable, Sendable, CustomStringConvertible {
        /// The `STSFetchResult` name: `VALID`, `NONE`, `FETCH_ERROR` or `NOT_CHANGED`.
        let status: String
        /// The TXT record's id; nil unless VALID.
        let policyID: String?
        /// The parsed policy as the resolver sees it; nil unless VALID.
        let policy: Policy?
        /// The driver's stderr (the resolver's debug log), for failure messages.
        var log = ""

        /// The policy fields the resolver keeps; `mx` is always a list (the package collects repeated keys).
        struct Policy: Decodable, Sendable, Equatable {
            let version: String
            let mode: String
            let mx: [String]
            let maxAge: Int

            enum CodingKeys: String, CodingKey {
                case version, mode, mx
                case maxAge = "max_age"
            }
        }

        enum CodingKeys: String, CodingKey {
            case status, policy
            case policyID = "policy_id"
        }

        var description: String {
            "\(status) id=\(policyID ?? "-") policy=\(policy.map { "\($0)" } ?? "-")\n--- resolver log ---\n\(log)"
        }
    }

    /// The command that installs the sender implementation; quoted in every failure about it.
    static let installCommand =
        "make deps  (or: python3 -m venv .venv && .venv/bin/pip install -q postfix-mta-sts-resolver==1.5.1)"

    /// The package root, found from this file's location (`Tests/SenderTests/SenderQuery.swift`).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    let python: String
    let script: String
    let nameserver: String
    let edgePort: UInt16
    let zones: [String]
    /// The CA bundle the sender trusts (`SSL_CERT_FILE`); change it on a copy to test a stranger's trust.
    var caFile: String
    let logDirectory: String

    /// Checks that `.venv/bin/python` exists and has postfix-mta-sts-resolver 1.5.1.
    /// - Throws: ``TestSupportError`` with ``installCommand`` when either is missing.
    init(nameserver: String, edgePort: UInt16, zones: [String], caFile: String, logDirectory: String) throws {
        python = Self.packageRoot + "/.venv/bin/python"
        script = Self.packageRoot + "/Tests/SenderTests/Scripts/sts_query.py"
        self.nameserver = nameserver
        self.edgePort = edgePort
        self.zones = zones
        self.caFile = caFile
        self.logDirectory = logDirectory
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSupportError("\(python) is missing; create the virtualenv with: \(Self.installCommand)")
        }
        let check = try ManagedProcess.run(
            name: "sts-version-\(UInt32.random(in: .min ... .max))",
            executable: python,
            arguments: ["-c", "import importlib.metadata as m; print(m.version('postfix-mta-sts-resolver'))"],
            logDirectory: logDirectory
        )
        let version = check.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard check.termination == .exited(0), version == "1.5.1" else {
            throw TestSupportError(
                "postfix-mta-sts-resolver 1.5.1 is not installed in .venv (\(check.termination): \(version)); "
                    + "install it with: \(Self.installCommand)"
            )
        }
    }

    /// Runs one `STSResolver.resolve(domain, knownVersion)` in a fresh Python process.
    /// - Throws: ``TestSupportError`` when the driver fails, hangs past `timeout` seconds, or prints no verdict.
    func resolve(_ domain: String, knownVersion: String? = nil, timeout: Double = 30) throws -> Result {
        var arguments = [
            script, "--nameserver", nameserver, "--edge-port", String(edgePort), "--ca-file", caFile,
            "--timeout", "4",
        ]
        arguments += zones.flatMap { ["--zone", $0] }
        arguments += [domain] + (knownVersion.map { [$0] } ?? [])
        // The resolver honours https_proxy; a proxy in the test runner's environment must not intercept it.
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
        let process = try ManagedProcess.launch(
            name: "sts-query-\(UInt32.random(in: .min ... .max))",
            executable: python,
            arguments: arguments,
            environment: environment,
            logDirectory: logDirectory
        )
        defer { process.terminate() }
        var termination: ManagedProcess.Termination?
        try Poll.until(deadline: timeout, interval: .milliseconds(10), "sts_query.py \(domain) exits") {
            termination = process.poll()
            return termination != nil
        }
        let output = process.standardOutput()
        guard termination == .exited(0), let line = output.split(separator: "\n").last else {
            throw TestSupportError(
                "\(python) \(arguments.joined(separator: " ")) ended with \(termination.map { "\($0)" } ?? "?"):\n"
                    + process.logTail(lines: 40)
            )
        }
        var result = try JSONDecoder().decode(Result.self, from: Data(line.utf8))
        result.log = process.logTail(lines: 40)
        return result
    }
}
