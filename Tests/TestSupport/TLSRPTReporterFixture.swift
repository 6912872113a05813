package import DNS
import Foundation
import MTASTS
import Synchronization

/// sys4's TLS-RPT reporter (`tlsrpt-reporter` from the repository's `.venv`: `tlsrpt-collectd`, `tlsrpt-fetcher`,
/// `tlsrpt-reportd`) run in a temporary directory, fed sessions the way Postfix feeds it, and made to build and
/// deliver its report of them within seconds.
///
/// The fixture plays the sending MTA: for each policy domain it looks up `_smtp._tls.<domain>` through the test's
/// resolver (RFC 8460 §3, as Postfix does before calling libtlsrpt) and sends tlsrpt-collectd one datagram per
/// session, in libtlsrpt's format, carrying that TXT record (`Scripts/tlsrpt_feed.py`). The reporter itself does no
/// DNS lookup: tlsrpt-reportd takes the rua URIs from the record in the datagrams. ``deliver(timeout:)`` then makes
/// the reporter report "yesterday" at once: SIGUSR2 makes the collectd roll its day over (its development hook for
/// UTC midnight), and tlsrpt-reportd, started only then, fetches the day, builds one report per domain and delivers
/// it in its first loop. HTTPS delivery is curl as reportd's default `http_script` runs it, trusting only the test
/// CA, with each rua host pinned to the loopback address the test DNS gives for it; a rua host that does not
/// resolve to loopback is refused. `mailto:` reports are kept as files, never sent. Nothing listens on the network.
///
/// A missing virtualenv or package is a failure naming the command that installs it, never a skip. Every process
/// is terminated by ``stop()`` or `deinit`; a test run that crashed has them killed by the next run
/// (``ProcessRegistry``).
///
/// ```swift
/// let reporter = try TLSRPTReporterFixture(directory: dir, resolver: dns.resolverClient(), caBundlePath: ca)
/// defer { reporter.stop() }
/// try reporter.record(policyDomain: "example.test", policy: .sts(lines, mxHosts: ["mx.example.test"]),
///                     successful: 5, failures: [.init(resultType: "certificate-expired", count: 2)])
/// let deliveries = try reporter.deliver()   // [https://reports.example.test:4443/v1/tlsrpt/… → 200]
/// ```
package final class TLSRPTReporterFixture: Sendable {
    /// The version pinned in the Makefile's PYTHON_PACKAGES.
    package static let version = "0.6.0"
    /// The command that installs the reporter where the fixture looks for it.
    package static let installCommand =
        "make deps  (or: python3 -m venv .venv && .venv/bin/pip install -q tlsrpt-reporter==\(version))"

    /// Where the configuration, databases, logs and kept mail are.
    package let directory: TemporaryDirectory
    private let configuration: Configuration
    private let resolver: DNSClient
    private let python: String
    private let collectd: ManagedProcess
    private let state = Mutex(State())

    private struct State {
        var sessions = 0
        /// Every rua of every recorded domain, in order.
        var destinations: [String] = []
        /// `host:port:address` for curl's `--resolve`.
        var pins: [String] = []
        var reportd: ManagedProcess?
    }

    /// Starts tlsrpt-collectd and waits (up to 20 s) until it listens and has its databases.
    /// - Parameters:
    ///   - directory: a directory of the test's; the fixture's files go into it (no spaces in its path).
    ///   - resolver: the test's resolver (``DNSTestEnvironment/resolverClient(timeout:attempts:)``).
    ///   - caBundlePath: PEM file of the CA(s) that HTTPS delivery trusts.
    ///   - organizationName: the report's `organization-name`.
    ///   - contactInfo: the report's `contact-info`; its domain is the submitter.
    /// - Throws: ``TestSupportError`` when the reporter is missing (with ``installCommand``) or does not start.
    package init(
        directory: TemporaryDirectory,
        resolver: DNSClient,
        caBundlePath: String,
        organizationName: String = "Reporter Test Sender",
        contactInfo: String = "tlsrpt@reporter.test"
    ) throws {
        let virtualenv = SMTPFixtureServer.packageRoot + "/.venv"
        python = virtualenv + "/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSupportError("\(python) is missing; create the virtualenv with: \(Self.installCommand)")
        }
        let check = try ManagedProcess.run(
            name: "tlsrpt-version-\(UInt32.random(in: .min ... .max))",
            executable: python,
            arguments: ["-c", "import importlib.metadata as m; print(m.version('tlsrpt-reporter'))"],
            logDirectory: directory.path
        )
        let installed = check.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard check.termination == .exited(0), installed == Self.version else {
            throw TestSupportError(
                "tlsrpt-reporter \(Self.version) is not installed in .venv (\(check.termination): \(installed)); "
                    + "install it with: \(Self.installCommand)"
            )
        }
        guard !directory.path.contains(" ") else {
            throw TestSupportError("TLSRPTReporterFixture needs a directory without spaces, not \(directory.path)")
        }
        let configuration = Configuration(
            directory: directory.path,
            virtualenv: virtualenv,
            organizationName: organizationName.replacingOccurrences(of: "%", with: "%%"),
            contactInfo: contactInfo.replacingOccurrences(of: "%", with: "%%"),
            caBundlePath: caBundlePath
        )
        try configuration.write()
        let collectd = try ManagedProcess.launch(
            name: "tlsrpt-collectd",
            executable: virtualenv + "/bin/tlsrpt-collectd",
            arguments: ["--config_file", configuration.configPath],
            logDirectory: directory.path
        )
        do {
            // The socket is bound first; the database then exists with yesterday's (empty) copy beside it.
            try Poll.until(deadline: 20, interval: .milliseconds(20), "tlsrpt-collectd listening") {
                guard collectd.isRunning else { throw TestSupportError("tlsrpt-collectd exited") }
                let files = [configuration.socketPath, configuration.collectdDatabase + ".yesterday"]
                return files.allSatisfy { FileManager.default.fileExists(atPath: $0) }
            }
        } catch {
            collectd.terminate()
            throw TestSupportError("\(error)\n--- tlsrpt-collectd ---\n\(collectd.logTail())")
        }
        self.directory = directory
        self.configuration = configuration
        self.resolver = resolver
        self.collectd = collectd
    }

    /// Feeds the sessions an MTA made to `policyDomain` today: `successful` sessions that negotiated TLS as the
    /// policy required and, for each failure, `count` sessions that failed that way. Waits until the collectd has
    /// stored them.
    ///
    /// Looks up `_smtp._tls.<policyDomain>` first; every rua of the record must be `https:` with a host that
    /// resolves to loopback, or `mailto:`.
    /// - Returns: the TXT record the datagrams carry.
    /// - Throws: ``TestSupportError`` when the domain has no single TLSRPT record, a rua is not allowed, or the
    ///   collectd does not store the sessions within 15 s.
    @discardableResult
    package func record(
        policyDomain: String,
        policy: AppliedPolicy,
        successful: Int,
        failures: [Failure] = []
    ) throws -> String {
        guard successful >= 0, failures.allSatisfy({ $0.count >= 0 }) else {
            throw TestSupportError("session counts must not be negative")
        }
        let (record, destinations) = try discoverRecord(policyDomain)
        var pins: [String] = []
        for destination in destinations where destination.lowercased().hasPrefix("https:") {
            if let pin = try loopbackPin(for: destination) { pins.append(pin) }
        }
        struct Session: Encodable { var failure: Failure? }
        struct Specification: Encodable {
            var socket: String
            var database: String
            var expected_total: Int
            var domain: String
            var record: String
            var policy: PolicyEntry
            var sessions: [Session]
        }
        struct PolicyEntry: Encodable {
            var type: String
            var domain: String
            var strings: [String]
            var mx_hosts: [String]
        }
        let sessions =
            Array(repeating: Session(failure: nil), count: successful)
            + failures.flatMap { failure in Array(repeating: Session(failure: failure), count: failure.count) }
        let total = state.withLock { state in
            state.sessions += sessions.count
            return state.sessions
        }
        let specification = Specification(
            socket: configuration.socketPath,
            database: configuration.collectdDatabase,
            expected_total: total,
            domain: policyDomain,
            record: record,
            policy: PolicyEntry(
                type: policy.type,
                domain: policyDomain,
                strings: policy.strings,
                mx_hosts: policy.mxHosts
            ),
            sessions: sessions
        )
        let file = directory.path("sessions-\(total).json")
        try JSONEncoder().encode(specification).write(to: URL(fileURLWithPath: file))
        try runHelper(["send", file], what: "feeding \(sessions.count) sessions for \(policyDomain)")
        state.withLock { state in
            state.destinations += destinations.filter { !state.destinations.contains($0) }
            state.pins += pins.filter { !state.pins.contains($0) }
        }
        return record
    }

    /// Makes the reporter report the recorded sessions now and waits until every rua has the report or has used
    /// its three attempts (a refusal is retried after 1–2 s). Call it once, after the last ``record(…)``.
    /// - Returns: every delivery attempt, in order.
    /// - Throws: ``TestSupportError`` with the reporter's logs when the deadline passes first.
    @discardableResult
    package func deliver(timeout: Double = 20) throws -> [Delivery] {
        let (sessions, destinations, pins, started) = state.withLock {
            ($0.sessions, $0.destinations, $0.pins, $0.reportd != nil)
        }
        guard sessions > 0 else { throw TestSupportError("deliver() needs sessions: call record(…) first") }
        // The reportd reports a day once; a second day would need a second rollover and another day's date.
        guard !started else { throw TestSupportError("deliver() runs once per TLSRPTReporterFixture") }
        try configuration.httpScript(resolve: pins).write(
            toFile: configuration.httpScriptPath,
            atomically: true,
            encoding: .utf8
        )
        kill(collectd.pid, SIGUSR2)
        try runHelper(
            ["await-rollover", configuration.collectdDatabase, String(sessions), "15"],
            what: "the collectd's day rollover"
        )
        // curl honours *_proxy variables; a proxy in the test runner's environment must not see the reports.
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
        let reportd = try ManagedProcess.launch(
            name: "tlsrpt-reportd",
            executable: configuration.virtualenv + "/bin/tlsrpt-reportd",
            arguments: ["--config_file", configuration.configPath],
            environment: environment,
            logDirectory: directory.path
        )
        state.withLock { $0.reportd = reportd }
        var deliveries: [Delivery] = []
        do {
            try Poll.until(deadline: timeout, interval: .milliseconds(50), "reports delivered to \(destinations)") {
                guard reportd.isRunning else { throw TestSupportError("tlsrpt-reportd exited") }
                deliveries = configuration.deliveries()
                return destinations.allSatisfy { destination in
                    let attempts = deliveries.filter { $0.destination == destination }
                    return attempts.contains(where: \.isAccepted) || attempts.count >= Configuration.deliveryAttempts
                }
            }
        } catch {
            throw TestSupportError("\(error)\nattempts: \(deliveries)\n\(log)")
        }
        return deliveries
    }

    /// The tails of the daemons' logs, for failure messages.
    package var log: String {
        let reportd = state.withLock { $0.reportd }
        return "--- tlsrpt-collectd ---\n\(collectd.logTail(lines: 30))\n--- tlsrpt-reportd ---\n"
            + (reportd?.logTail(lines: 40) ?? "(not started)")
    }

    /// Terminates the daemons; safe to call twice.
    package func stop() {
        state.withLock { $0.reportd }?.terminate()
        collectd.terminate()
    }

    deinit {
        stop()
    }

    // MARK: - The MTA's side

    /// The one `v=TLSRPTv1` TXT record at `_smtp._tls.<domain>` (RRs' strings concatenated, RFC 8460 §3) and its
    /// ruas as tlsrpt-reportd will read them.
    private func discoverRecord(_ domain: String) throws -> (record: String, destinations: [String]) {
        let name = "_smtp._tls." + domain
        let texts = try resolver.txt(name)
        guard case .found(let parsed) = TLSRPTRecord.discover(txtRecords: texts),
            let record = texts.map({ $0.joined() }).first(where: { $0.hasPrefix("v=TLSRPTv1;") })
        else {
            throw TestSupportError("\(name) has no single valid TLSRPT record (TXT: \(texts)); an MTA reports nothing")
        }
        for destination in parsed.rua {
            let scheme = destination.lowercased()
            guard scheme.hasPrefix("https:") || scheme.hasPrefix("mailto:") else {
                throw TestSupportError("rua \(destination) of \(name) is neither https: nor mailto:")
            }
        }
        return (record, parsed.rua)
    }

    /// curl's `--resolve host:port:address` for an https rua, from the test DNS; nil for a loopback IP literal.
    private func loopbackPin(for destination: String) throws -> String? {
        guard let url = URL(string: destination), let host = url.host, !host.isEmpty else {
            throw TestSupportError("rua \(destination) is not a URL")
        }
        let port = url.port ?? 443
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if let literal = IPAddress(bare) {
            guard Self.isLoopback(literal) else { throw TestSupportError("rua \(destination) is not on loopback") }
            return nil
        }
        let addresses = try resolver.addresses(host)
        guard let address = addresses.first, addresses.allSatisfy(Self.isLoopback) else {
            throw TestSupportError("rua host \(host) resolves to \(addresses), not only to loopback; refusing to post")
        }
        let text: String
        if case .v6 = address { text = "[\(address)]" } else { text = "\(address)" }
        return "\(host):\(port):\(text)"
    }

    private static func isLoopback(_ address: IPAddress) -> Bool {
        switch address {
        case .v4: address.description.hasPrefix("127.")
        case .v6: address.description == "::1"
        }
    }

    private func runHelper(_ arguments: [String], what: String) throws {
        let script = SMTPFixtureServer.packageRoot + "/Tests/TestSupport/Scripts/tlsrpt_feed.py"
        let result = try ManagedProcess.run(
            name: "tlsrpt-feed-\(UInt32.random(in: .min ... .max))",
            executable: python,
            arguments: [script] + arguments,
            logDirectory: directory.path
        )
        guard result.termination == .exited(0) else {
            throw TestSupportError("\(what) failed (\(result.termination)): \(result.output)\n\(log)")
        }
    }
}
