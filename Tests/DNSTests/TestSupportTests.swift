import DNS
import Foundation
import Glibc
import Testing

@testable import TestSupport

@Suite struct TestSupportTests {
    @Test func temporaryDirectoryIsCreatedAndRemoved() throws {
        let directory = try TemporaryDirectory(prefix: "ts-test")
        let file = try directory.write("hello", to: "a.txt")
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "hello")
        directory.remove()
        directory.remove()
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }

    /// Binds 127.0.0.1:`port` with `type`; true on success.
    private func canBind(_ port: UInt16, _ type: __socket_type) -> Bool {
        let descriptor = socket(AF_INET, Int32(type.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }

    @Test func freePortCanBeBoundForTCPAndUDP() throws {
        // Other tests open sockets in parallel, so a port can be taken between the check and the bind;
        // what must hold is that allocation normally yields bindable ports from the preferred range.
        var bindable = 0
        for _ in 0..<5 {
            let port = try FreePort.allocate()
            #expect(FreePort.preferredRange.contains(port))
            if canBind(port, SOCK_STREAM), canBind(port, SOCK_DGRAM) {
                bindable += 1
            }
        }
        #expect(bindable >= 4)
    }

    @Test func occupiedPortIsNotReturned() throws {
        let server = try FakeUDPServer { _ in [] }
        defer { server.stop() }
        for _ in 0..<20 {
            #expect(try FreePort.allocate(udp: true, tcp: false) != server.address.port)
        }
        #expect(!canBind(server.address.port, SOCK_DGRAM))
    }

    @Test func pollReturnsOnceTheConditionHolds() throws {
        var calls = 0
        try Poll.until(deadline: 5, interval: .milliseconds(1), "third call") {
            calls += 1
            return calls == 3
        }
        #expect(calls == 3)
    }

    @Test func pollThrowsWithDescriptionAndLastError() {
        do {
            try Poll.until(deadline: 0.05, interval: .milliseconds(5), "the impossible") {
                throw TestSupportError("still broken")
            }
            Issue.record("expected a timeout")
        } catch {
            #expect("\(error)".contains("the impossible"))
            #expect("\(error)".contains("still broken"))
        }
    }

    @Test func missingExecutableFailsWithInstallHint() {
        do {
            try Requirement.executable("definitely-not-installed-xyz", installHint: "apt-get install -y xyz")
            Issue.record("expected a failure")
        } catch {
            #expect("\(error)".contains("apt-get install -y xyz"))
        }
        #expect((try? Requirement.executable("sh", installHint: "")) != nil)
    }

    @Test func managedProcessCapturesOutputAndStopsWithSIGTERM() throws {
        let directory = try TemporaryDirectory(prefix: "ts-proc")
        let process = try ManagedProcess.launch(
            name: "sleeper",
            executable: "/bin/sh",
            arguments: ["-c", "echo out; echo err >&2; exec sleep 30"],
            environment: ["PATH": "/usr/bin:/bin"],
            logDirectory: directory.path
        )
        try Poll.until(deadline: 5, "output written") {
            process.standardOutput() == "out\n" && process.standardError() == "err\n"
        }
        #expect(process.isRunning)
        #expect(FileManager.default.fileExists(atPath: ProcessRegistry.directory + "/\(process.pid).pid"))
        #expect(process.terminate() == .signaled(SIGTERM))
        #expect(!process.isRunning)
        #expect(!FileManager.default.fileExists(atPath: ProcessRegistry.directory + "/\(process.pid).pid"))
        #expect(kill(process.pid, 0) != 0)
    }

    @Test func managedProcessKillsWhatIgnoresSIGTERM() throws {
        let directory = try TemporaryDirectory(prefix: "ts-proc")
        let process = try ManagedProcess.launch(
            name: "stubborn",
            executable: "/bin/sh",
            arguments: ["-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"],
            logDirectory: directory.path
        )
        try Poll.until(deadline: 5, "trap installed") { process.standardOutput() == "ready\n" }
        #expect(process.terminate(gracePeriod: 0.2) == .signaled(SIGKILL))
    }

    @Test func runReportsExitStatusAndOutput() throws {
        let directory = try TemporaryDirectory(prefix: "ts-run")
        let result = try ManagedProcess.run(
            name: "exit3",
            executable: "/bin/sh",
            arguments: ["-c", "echo hi; exit 3"],
            logDirectory: directory.path
        )
        #expect(result.termination == .exited(3))
        #expect(result.output == "hi\n")
    }

    @Test func orphanReaperKillsProcessesOfDeadOwners() throws {
        let directory = try TemporaryDirectory(prefix: "ts-reap")
        let finished = try ManagedProcess.run(
            name: "true",
            executable: "/bin/sh",
            arguments: ["-c", "exit 0"],
            logDirectory: directory.path
        )
        #expect(finished.termination == .exited(0))
        let orphan = try ManagedProcess.launch(
            name: "orphan",
            executable: "/bin/sleep",
            arguments: ["30"],
            logDirectory: directory.path
        )
        // Pretend an earlier, crashed test run (a pid that no longer exists) started it.
        let deadOwner = try ManagedProcess.launch(
            name: "gone",
            executable: "/bin/sh",
            arguments: ["-c", "exit 0"],
            logDirectory: directory.path
        )
        try Poll.until(deadline: 5, "owner exits") { !deadOwner.isRunning }
        try "\(orphan.pid) \(deadOwner.pid) /bin/sleep\n".write(
            toFile: ProcessRegistry.directory + "/\(orphan.pid).pid",
            atomically: true,
            encoding: .utf8
        )
        ProcessRegistry.reapOrphans()
        try Poll.until(deadline: 5, "orphan killed") { !orphan.isRunning }
        #expect(orphan.poll() == .signaled(SIGKILL))
    }

    @Test func quotesTXTForKnot() {
        #expect(DNSTestEnvironment.quotedTXT(["a b", #"say "hi" \ ok"#]) == #""a b" "say \"hi\" \\ ok""#)
        #expect(DNSTestEnvironment.quotedTXT(["é"]) == #""\195\169""#)
        let long = DNSTestEnvironment.quotedTXT([String(repeating: "x", count: 300)])
        #expect(long == "\"" + String(repeating: "x", count: 255) + "\" \"" + String(repeating: "x", count: 45) + "\"")
        #expect(DNSTestEnvironment.quotedTXT([""]) == #""""#)
    }

    @Test func ownersAreMadeAbsolute() {
        #expect(DNSTestRecord.absolute("@", in: "example.test") == "example.test.")
        #expect(DNSTestRecord.absolute("www", in: "example.test") == "www.example.test.")
        #expect(DNSTestRecord.absolute("www.example.test", in: "example.test.") == "www.example.test.")
        #expect(DNSTestRecord.absolute("Example.Test.", in: "example.test") == "Example.Test.")
    }
}

@Suite struct SplitMix64Tests {
    @Test func sameSeedSameSequence() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        #expect((0..<5).map { _ in first.next() } == (0..<5).map { _ in second.next() })
    }

    @Test func knownFirstOutput() {
        // Reference value of SplitMix64 seeded with 0 (first output of the Java/C reference implementation).
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    }
}
