import Foundation

/// One `Scripts/smtp_fixture.py` process (aiosmtpd from the repository's `.venv`) serving one or more fixture SMTP
/// servers on loopback ports, with what they received.
///
/// A missing virtualenv or aiosmtpd is a failure naming the command that installs it, never a skip. The process
/// is terminated by ``stop()`` or `deinit`, and exits by itself when the test runner is gone.
///
/// ```swift
/// let server = try SMTPFixtureServer(fixtures: [.init(name: "valid", certificate: pki.valid)], directory: dir)
/// defer { server.stop() }
/// let port = server.port("valid")
/// ```
package final class SMTPFixtureServer: Sendable {
    /// One server's behaviour; see the script's docstring for each field.
    package struct Fixture: Encodable, Sendable {
        package var name: String
        package var hostname = "mx.probe.test"
        package var certificate: String?
        package var key: String?
        package var legacyTLSOnly = false
        package var requireSTARTTLS = false
        package var user: String?
        package var password: String?
        package var authRequired = false
        package var excludeMechanisms: [String] = []
        package var recipientReplies: [String: String] = [:]
        package var dataReply: String?
        package var stallEHLO = false
        package var greeting: String?

        package init(name: String, credential: SMTPTestPKI.Credential? = nil) {
            self.name = name
            self.certificate = credential?.certificatePath
            self.key = credential?.keyPath
        }

        package enum CodingKeys: String, CodingKey {
            case name, hostname, certificate, key, user, password, greeting
            case legacyTLSOnly = "legacy_tls_only"
            case requireSTARTTLS = "require_starttls"
            case authRequired = "auth_required"
            case excludeMechanisms = "exclude_mechanisms"
            case recipientReplies = "recipient_replies"
            case dataReply = "data_reply"
            case stallEHLO = "stall_ehlo"
        }
    }

    /// What a fixture server accepted.
    package struct ReceivedMessage: Decodable, Sendable {
        package let mailFrom: String
        package let mailOptions: [String]
        package let recipients: [String]
        package let isTLS: Bool
        package let authenticationMechanism: String?
        package let authenticationLogin: String?
        package let content: String

        /// The content as text (the client sends UTF-8 or ASCII).
        package var text: String {
            String(decoding: Data(base64Encoded: content) ?? Data(), as: UTF8.self)
        }

        package enum CodingKeys: String, CodingKey {
            case content
            case mailFrom = "mail_from"
            case mailOptions = "mail_options"
            case recipients = "rcpt_tos"
            case isTLS = "tls"
            case authenticationMechanism = "auth_mechanism"
            case authenticationLogin = "auth_login"
        }
    }

    /// The command that installs aiosmtpd where the tests look for it.
    package static let installCommand =
        "make deps  (or: python3 -m venv .venv && .venv/bin/pip install -q aiosmtpd==1.4.6)"

    /// The package root, found from this file's location (`Tests/TestSupport/SMTPFixtureServer.swift`).
    package static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    private let process: ManagedProcess
    private let ports: [String: UInt16]
    private let recordDirectory: String

    /// Starts the fixtures and waits (up to 20 s) until all of them listen.
    /// - Throws: ``TestSupportError`` when the virtualenv or aiosmtpd is missing or the servers do not start.
    package init(fixtures: [Fixture], directory: TemporaryDirectory) throws {
        let python = Self.packageRoot + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSupportError("\(python) is missing; create the virtualenv with: \(Self.installCommand)")
        }
        let name = "smtp-fixture-\(UInt32.random(in: .min ... .max))"
        let check = try ManagedProcess.run(
            name: name + "-version",
            executable: python,
            arguments: ["-c", "import importlib.metadata as m; print(m.version('aiosmtpd'))"],
            logDirectory: directory.path
        )
        let version = check.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard check.termination == .exited(0), version == "1.4.6" else {
            throw TestSupportError(
                "aiosmtpd 1.4.6 is not installed in .venv (\(check.termination): \(version)); "
                    + "install it with: \(Self.installCommand)"
            )
        }
        recordDirectory = directory.path(name + "-records")
        try FileManager.default.createDirectory(atPath: recordDirectory, withIntermediateDirectories: true)
        let readyFile = directory.path(name + "-ready.json")
        struct Configuration: Encodable {
            let parent_pid: Int32
            let ready_file: String
            let record_directory: String
            let servers: [Fixture]
        }
        let configuration = Configuration(
            parent_pid: getpid(),
            ready_file: readyFile,
            record_directory: recordDirectory,
            servers: fixtures
        )
        let configurationFile = directory.path(name + ".json")
        try JSONEncoder().encode(configuration).write(to: URL(fileURLWithPath: configurationFile))
        let process = try ManagedProcess.launch(
            name: name,
            executable: python,
            arguments: [Self.packageRoot + "/Tests/TestSupport/Scripts/smtp_fixture.py", configurationFile],
            logDirectory: directory.path
        )
        var ports: [String: UInt16]?
        do {
            try Poll.until(deadline: 20, interval: .milliseconds(20), "SMTP fixtures listening") {
                guard process.isRunning else { throw TestSupportError("smtp_fixture.py exited") }
                guard let data = FileManager.default.contents(atPath: readyFile) else { return false }
                ports = try JSONDecoder().decode([String: UInt16].self, from: data)
                return true
            }
        } catch {
            process.terminate()
            throw TestSupportError("\(error)\n--- smtp_fixture.py ---\n\(process.logTail())")
        }
        self.process = process
        self.ports = ports ?? [:]
    }

    /// The port of the fixture called `name`.
    package func port(_ name: String) throws -> UInt16 {
        guard let port = ports[name] else { throw TestSupportError("no SMTP fixture named \(name)") }
        return port
    }

    /// The messages the fixture `name` accepted, in order.
    package func messages(_ name: String) throws -> [ReceivedMessage] {
        let files = try FileManager.default.contentsOfDirectory(atPath: recordDirectory)
            .filter { $0.hasPrefix(name + "-") && $0.hasSuffix(".json") }
            .sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }
        return try files.map { file in
            let data = try Data(contentsOf: URL(fileURLWithPath: recordDirectory + "/" + file))
            return try JSONDecoder().decode(ReceivedMessage.self, from: data)
        }
    }

    /// What the fixture `name` saw, one line each: the TLS server name (`SNI <name>`, `SNI None` without SNI),
    /// MAIL FROM and AUTH attempts (`MAIL <address> tls|plaintext`, `AUTH <mechanism> <login>`), and for a
    /// refusing fixture every command line (`COMMAND <line>`).
    package func events(_ name: String) -> [String] {
        let text = (try? String(contentsOfFile: recordDirectory + "/" + name + "-events.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// The server's log, for failure messages.
    package var log: String {
        process.logTail(lines: 40)
    }

    /// Terminates the process; safe to call twice.
    package func stop() {
        process.terminate()
    }

    deinit {
        process.terminate()
    }
}
