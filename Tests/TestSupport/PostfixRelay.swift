import Foundation
import Synchronization

/// A private Postfix instance (Debian package `postfix`) that relays mail for one domain, as a sender's MTA on the
/// internet delivers to an MX: to an SMTP server on a loopback port over verified STARTTLS, or, as an operator's
/// own MTA would hand reports to the platform, into a pipe transport.
///
/// Everything lives in a ``TemporaryDirectory``: its own `config_directory` (main.cf, master.cf, the CA file),
/// `queue_directory`, `data_directory` and `maillog_file`. Postfix listens on 127.0.0.1 only (an smtpd on
/// ``port``), looks nothing up in DNS and delivers nothing locally; mail for the relay domain goes to its
/// ``Destination`` (SMTP: `relayhost = [127.0.0.1]:<port>` with `smtp_tls_security_level = secure`), and anything
/// else (the bounce a refused recipient causes) is discarded. `PostfixRelay+Configuration.swift` lists the quirks.
///
/// Start and stop: `postfix -c DIR check` creates the queue with the ownership Postfix wants (root-owned
/// directories, `postfix`-owned queues), then the `master` daemon runs in the foreground (`master -c DIR -s`) as a
/// ``ManagedProcess``. It makes itself a process-group leader and its daemons (smtpd, qmgr, smtp, …) join its
/// group: ``stop()`` sends it SIGTERM (what `postfix stop` does), on which it terminates its daemons, then waits
/// until no live process is left in that group (SIGKILLing the group as a last resort) and returns any that
/// survived. A test run that crashed leaves a master that ``ProcessRegistry`` kills on the next run; its daemons
/// exit by themselves when their master is gone. Needs root (master starts its daemons as the `postfix` user).
///
/// ```swift
/// let relay = try PostfixRelay.start(.init(relayDomain: "reports.example.net",
///     destination: .smtp(port: door, trustAnchorsPEM: caPEM, certificateName: "reports.example.net")))
/// defer { relay.stop() }
/// let id = try relay.submit(from: "a@sender.test", to: "x@reports.example.net", messageFile: path)
/// let delivery = try relay.waitForDelivery(queueID: id)   // delivery.status == "sent"
/// ```
package final class PostfixRelay: Sendable {
    /// What became of one recipient of one message, from the relay's log.
    package struct Delivery: Sendable {
        /// The message's queue ID.
        package let queueID: String
        /// Postfix's verdict: `sent`, `bounced` or `deferred`.
        package let status: String
        /// The whole log line (relay, delay, DSN, and the next hop's reply).
        package let line: String
    }

    /// The command that installs Postfix without configuring (or starting) the system's instance.
    package static let installCommand =
        "make deps  (or: echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections"
        + " && DEBIAN_FRONTEND=noninteractive apt-get install -y postfix)"

    /// The smtpd port on 127.0.0.1 that takes mail to relay.
    package let port: UInt16
    /// Configuration, queue and log.
    package let directory: TemporaryDirectory
    private let layout: Layout
    private let master: ManagedProcess
    private let stopped = Mutex<[Int32]?>(nil)

    private init(port: UInt16, directory: TemporaryDirectory, master: ManagedProcess) {
        self.port = port
        self.directory = directory
        self.layout = Layout(directory: directory.path)
        self.master = master
    }

    /// Configures and starts an instance, and waits until its master daemon has started its services.
    /// - Throws: ``TestSupportError`` when not root, when Postfix is missing (with the install command), or when it
    ///   does not come up (with its log); the smtpd port is re-picked and the start retried twice first.
    package static func start(_ configuration: Configuration, startupTimeout: Double = 15) throws -> PostfixRelay {
        guard geteuid() == 0 else {
            throw TestSupportError(
                "PostfixRelay needs root: Postfix's master runs as root and starts its daemons as the postfix user"
            )
        }
        let postfix = try Requirement.executable("postfix", installHint: installCommand)
        let postconf = try Requirement.executable("postconf", installHint: installCommand)
        var failures: [String] = []
        for _ in 0..<3 {
            do {
                return try launch(
                    configuration,
                    postfix: postfix,
                    postconf: postconf,
                    startupTimeout: startupTimeout
                )
            } catch {
                failures.append("\(error)")
            }
        }
        throw TestSupportError("postfix did not start:\n" + failures.joined(separator: "\n---\n"))
    }

    private static func launch(
        _ configuration: Configuration,
        postfix: String,
        postconf: String,
        startupTimeout: Double
    ) throws -> PostfixRelay {
        let directory = try TemporaryDirectory(prefix: "postfix-relay")
        let layout = Layout(directory: directory.path)
        let port = try FreePort.allocate(udp: false, tcp: true)
        try layout.write(configuration, smtpdPort: port)
        let daemonDirectory = try ManagedProcess.run(
            name: "postconf",
            executable: postconf,
            arguments: ["-c", layout.configDirectory, "-h", "daemon_directory"],
            logDirectory: directory.path
        )
        let check = try ManagedProcess.run(
            name: "postfix-check",
            executable: postfix,
            arguments: ["-c", layout.configDirectory, "check"],
            logDirectory: directory.path
        )
        guard check.termination == .exited(0), daemonDirectory.termination == .exited(0) else {
            throw TestSupportError(
                "postfix -c \(layout.configDirectory) check: \(check.termination)\n\(check.output)"
                    + "\(daemonDirectory.output)\n--- maillog ---\n\(layout.readLog())"
            )
        }
        let master = try ManagedProcess.launch(
            name: "postfix-master",
            executable: daemonDirectory.output.trimmingCharacters(in: .whitespacesAndNewlines) + "/master",
            arguments: ["-c", layout.configDirectory, "-s"],
            logDirectory: directory.path
        )
        let relay = PostfixRelay(port: port, directory: directory, master: master)
        do {
            try relay.waitUntilReady(timeout: startupTimeout)
        } catch {
            relay.stop()
            throw error
        }
        return relay
    }

    /// Polls the log for the master's "daemon started" (logged once every listener is open).
    private func waitUntilReady(timeout: Double) throws {
        do {
            try Poll.until(deadline: timeout, interval: .milliseconds(20), "postfix master started") {
                guard master.isRunning else {
                    throw TestSupportError("master exited: \(master.poll().map(\.description) ?? "?")")
                }
                return layout.readLog().contains("daemon started")
            }
            // The sweep in stop() relies on this: the daemons share the master's process group.
            guard Self.members(ofProcessGroup: master.pid).contains(master.pid) else {
                throw TestSupportError("postfix master \(master.pid) is not a process-group leader")
            }
        } catch {
            throw TestSupportError("\(error)\n--- maillog ---\n\(logTail())\n--- master ---\n\(master.logTail())")
        }
    }

    // MARK: - Mail

    /// Submits one message by SMTP to the relay's smtpd (Scripts/smtp_submit.py with the system's python3).
    /// - Returns: the queue ID Postfix gave it.
    /// - Throws: ``TestSupportError`` with the client's transcript and the log when Postfix does not queue it.
    package func submit(from sender: String, to recipient: String, messageFile: String) throws -> String {
        let python = try Requirement.executable("python3", installHint: "apt-get install -y python3")
        let script = RepositoryPaths.root.appendingPathComponent("Tests/TestSupport/Scripts/smtp_submit.py").path
        let (termination, output) = try ManagedProcess.run(
            name: "smtp-submit-\(UInt32.random(in: .min ... .max))",
            executable: python,
            arguments: [script, String(port), sender, recipient, messageFile],
            logDirectory: directory.path,
            timeout: 20
        )
        let queued = output.split(separator: "\n").first { $0.hasPrefix("QUEUED ") }
        guard termination == .exited(0), let queued else {
            throw TestSupportError(
                "postfix did not queue the message (\(termination)):\n\(output)\n--- maillog ---\n\(logTail())"
            )
        }
        return String(queued.dropFirst("QUEUED ".count))
    }

    /// Waits until the log says what became of the message: sent, bounced, or deferred (a deferral is returned at
    /// once, not retried: the next attempt would come minutes later).
    /// - Throws: ``TestSupportError`` with the log when nothing is logged within `timeout` seconds.
    package func waitForDelivery(queueID: String, timeout: Double = 15) throws -> Delivery {
        var delivery: Delivery?
        do {
            try Poll.until(deadline: timeout, interval: .milliseconds(20), "postfix delivers \(queueID)") {
                delivery = Self.delivery(of: queueID, in: layout.readLog())
                return delivery != nil
            }
        } catch {
            throw TestSupportError("\(error)\n--- maillog ---\n\(logTail())")
        }
        guard let delivery else { throw TestSupportError("no delivery of \(queueID)") }
        return delivery
    }

    /// The first `status=` line of `queueID` in `log`.
    static func delivery(of queueID: String, in log: String) -> Delivery? {
        for line in log.split(separator: "\n") where line.contains(" \(queueID): to=<") {
            guard let range = line.range(of: ", status=") else { continue }
            let status = line[range.upperBound...].prefix { $0.isLetter }
            return Delivery(queueID: queueID, status: String(status), line: String(line))
        }
        return nil
    }

    // MARK: - Log

    /// Everything Postfix has logged (`maillog_file`).
    package func log() -> String {
        layout.readLog()
    }

    /// The last lines of the log, for failure messages.
    package func logTail(lines: Int = 40) -> String {
        layout.readLog().split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    // MARK: - Stopping

    /// Stops Postfix and deletes the directory; later calls do nothing and return the first call's answer.
    /// - Returns: the IDs of Postfix processes still alive afterwards (none when it stopped cleanly).
    @discardableResult
    package func stop() -> [Int32] {
        stopped.withLock { state in
            if let state { return state }
            master.terminate()
            let group = master.pid
            var survivors: [Int32] = []
            do {
                try Poll.until(deadline: 5, interval: .milliseconds(20), "postfix daemons exit") {
                    Self.members(ofProcessGroup: group).isEmpty
                }
            } catch {
                kill(-group, SIGKILL)
                try? Poll.until(deadline: 2, interval: .milliseconds(20), "postfix daemons die") {
                    Self.members(ofProcessGroup: group).isEmpty
                }
                survivors = Self.members(ofProcessGroup: group)
            }
            directory.remove()
            state = survivors
            return survivors
        }
    }

    /// Live (not zombie) processes whose process group is `group`, from /proc. An exited daemon whose master is gone
    /// is a zombie until init reaps it, which may take a moment: it is not running and is not counted.
    static func members(ofProcessGroup group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let end = stat.lastIndex(of: ")")
            else { return false }
            // After "pid (comm)": state, ppid, pgrp, … (proc(5)); comm may itself hold spaces and parentheses.
            let fields = stat[stat.index(after: end)...].split(separator: " ")
            guard fields.count > 2, let processGroup = Int32(fields[2]) else { return false }
            return processGroup == group && fields[0] != "Z" && fields[0] != "X"
        }
    }

    deinit {
        stop()
    }
}
