import Foundation
import Synchronization

/// A child process started for a test, with its output in log files and guaranteed termination.
///
/// The child is spawned with `posix_spawn(3)`, stdin from `/dev/null` (or a file), stdout and stderr appended to
/// `<logDirectory>/<name>.stdout.log` and `.stderr.log`. A pid file in ``ProcessRegistry`` records it
/// until it is reaped, so a crashed test run's leftovers are killed by the next run.
///
/// ```swift
/// let knot = try ManagedProcess.launch(name: "knotd", executable: knotd, arguments: ["-c", conf],
///                                      logDirectory: directory.path)
/// defer { knot.terminate() }
/// ```
package final class ManagedProcess: Sendable {
    /// How a child ended.
    package enum Termination: Sendable, Hashable, CustomStringConvertible {
        /// Normal exit with this status.
        case exited(Int32)
        /// Killed by this signal.
        case signaled(Int32)

        /// `exit 1` or `signal 9`.
        package var description: String {
            switch self {
            case .exited(let status): "exit \(status)"
            case .signaled(let signal): "signal \(signal)"
            }
        }
    }

    /// Label used in file names and messages.
    package let name: String
    /// The child's process ID.
    package let pid: Int32
    /// Where the child's stdout goes.
    package let standardOutputPath: String
    /// Where the child's stderr goes.
    package let standardErrorPath: String
    private let termination = Mutex<Termination?>(nil)

    private init(name: String, pid: Int32, standardOutputPath: String, standardErrorPath: String) {
        self.name = name
        self.pid = pid
        self.standardOutputPath = standardOutputPath
        self.standardErrorPath = standardErrorPath
    }

    /// Starts `executable` with `arguments`.
    /// - Parameters:
    ///   - environment: the child's whole environment; nil inherits this process's.
    ///   - standardInputPath: a file the child reads as stdin (as an MTA's pipe transport hands over a message);
    ///     nil is `/dev/null`.
    /// - Throws: ``TestSupportError`` when spawning fails.
    package static func launch(
        name: String,
        executable: String,
        arguments: [String],
        environment: [String: String]? = nil,
        standardInputPath: String? = nil,
        logDirectory: String
    ) throws -> ManagedProcess {
        ProcessRegistry.reapOrphans()
        let stdoutPath = logDirectory + "/" + name + ".stdout.log"
        let stderrPath = logDirectory + "/" + name + ".stderr.log"
        let pid = try spawn(
            executable: executable,
            arguments: arguments,
            environment: environment,
            stdinPath: standardInputPath ?? "/dev/null",
            stdoutPath: stdoutPath,
            stderrPath: stderrPath
        )
        ProcessRegistry.record(pid: pid, executable: executable)
        return ManagedProcess(name: name, pid: pid, standardOutputPath: stdoutPath, standardErrorPath: stderrPath)
    }

    /// Runs a short command to completion and returns its status and output.
    /// - Throws: ``TestSupportError`` when it cannot start or runs longer than `timeout` seconds (it is killed).
    package static func run(
        name: String,
        executable: String,
        arguments: [String],
        logDirectory: String,
        timeout: Double = 30
    ) throws -> (termination: Termination, output: String) {
        let process = try launch(name: name, executable: executable, arguments: arguments, logDirectory: logDirectory)
        var finished: Termination?
        try? Poll.until(deadline: timeout, interval: .milliseconds(2), "\(name) exits") {
            finished = process.poll()
            return finished != nil
        }
        let termination = finished ?? process.terminate()
        guard finished != nil else {
            throw TestSupportError("\(name) \(arguments.joined(separator: " ")) did not finish in \(timeout) s")
        }
        return (termination, process.standardOutput() + process.standardError())
    }

    /// The termination if the child has ended, reaping it; nil while it runs.
    package func poll() -> Termination? {
        termination.withLock { state in
            if state == nil {
                var status: Int32 = 0
                let result = waitpid(pid, &status, WNOHANG)
                if result == pid {
                    state = Self.decode(status)
                    ProcessRegistry.remove(pid: pid)
                } else if result < 0, errno == ECHILD {
                    state = .exited(-1)
                    ProcessRegistry.remove(pid: pid)
                }
            }
            return state
        }
    }

    /// Whether the child is still running.
    package var isRunning: Bool { poll() == nil }

    /// Sends SIGTERM, waits up to `gracePeriod` seconds, then SIGKILLs and waits. Safe to call repeatedly.
    @discardableResult
    package func terminate(gracePeriod: Double = 5) -> Termination {
        if let ended = poll() {
            return ended
        }
        kill(pid, SIGTERM)
        var ended: Termination?
        try? Poll.until(deadline: gracePeriod, interval: .milliseconds(10), "\(name) exits after SIGTERM") {
            ended = poll()
            return ended != nil
        }
        if let ended {
            return ended
        }
        kill(pid, SIGKILL)
        return termination.withLock { state in
            if let state { return state }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            let ended = Self.decode(status)
            state = ended
            ProcessRegistry.remove(pid: pid)
            return ended
        }
    }

    /// Everything the child wrote to stdout so far.
    package func standardOutput() -> String {
        (try? String(contentsOfFile: standardOutputPath, encoding: .utf8)) ?? ""
    }

    /// Everything the child wrote to stderr so far.
    package func standardError() -> String {
        (try? String(contentsOfFile: standardErrorPath, encoding: .utf8)) ?? ""
    }

    /// The last `lines` lines of stderr and stdout, for failure messages.
    package func logTail(lines: Int = 20) -> String {
        let text = standardError() + standardOutput()
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    deinit {
        terminate()
    }

    /// Decodes a `waitpid` status (the `WIFEXITED` family are macros Swift cannot import).
    private static func decode(_ status: Int32) -> Termination {
        status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
    }
}
