import Foundation

/// Pid files for every ``ManagedProcess`` still running, so a test run that crashed before cleaning up
/// can have its daemons killed by the next run.
///
/// Files live in `$TMPDIR/swift-test-processes/<pid>.pid` and hold `"<pid> <owner pid> <executable>"`.
package enum ProcessRegistry {
    /// The registry directory.
    package static var directory: String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return base + "/swift-test-processes"
    }

    /// Records a child of this process.
    static func record(pid: pid_t, executable: String) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let line = "\(pid) \(getpid()) \(executable)\n"
        try? line.write(toFile: file(for: pid), atomically: true, encoding: .utf8)
    }

    /// Forgets a child that has been reaped.
    static func remove(pid: pid_t) {
        try? FileManager.default.removeItem(atPath: file(for: pid))
    }

    /// SIGKILLs recorded processes whose owning test process is gone, if they still run the recorded
    /// executable (a reused pid is left alone), and removes their files.
    package static func reapOrphans() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasSuffix(".pid") {
            let path = directory + "/" + name
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let fields = text.split(separator: " ", maxSplits: 2).map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard fields.count == 3, let pid = pid_t(fields[0]), let owner = pid_t(fields[1]) else {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            guard !isAlive(owner) else { continue }
            if isAlive(pid), runs(pid: pid, executable: fields[2]) {
                kill(pid, SIGKILL)
            }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    private static func file(for pid: pid_t) -> String {
        directory + "/\(pid).pid"
    }

    private static func isAlive(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    private static func runs(pid: pid_t, executable: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let argv0 = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
        return argv0 == executable
    }
}
