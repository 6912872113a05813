import Foundation
import TestSupport
import Testing

/// `make demo` run non-interactively (`DEMO_EXIT_AFTER_READY=1`): the whole platform on loopback comes up, the demo
/// tenant's domain gets its certificate, curl fetches the policy and a real sender finds it valid, and everything
/// stops afterwards.
@Suite struct DemoTests {
    @Test func theDemoComesUpServesItsPolicyToARealSenderAndStops() throws {
        let binary = RepositoryPaths.root.appendingPathComponent(".build/debug/mtasts-demo").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSupportError("\(binary) is missing: run `swift build` before `swift test` (make test does)")
        }
        let directory = try TemporaryDirectory(prefix: "demo-test")
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
        environment["DEMO_EXIT_AFTER_READY"] = "1"
        let demo = try ManagedProcess.launch(
            name: "mtasts-demo",
            executable: binary,
            arguments: [],
            environment: environment,
            logDirectory: directory.path
        )
        defer { demo.terminate(gracePeriod: 30) }
        var termination: ManagedProcess.Termination?
        try Poll.until(deadline: 240, interval: .milliseconds(200), "the demo finishes (\(demo.logTail()))") {
            termination = demo.poll()
            return termination != nil
        }
        let output = demo.standardOutput()
        #expect(termination == .exited(0), "\(output)\n\(demo.standardError())")
        #expect(output.contains("DEMO READY"), "\(output)")
        #expect(output.contains("POLICY FETCH: ok"), "\(output)")
        #expect(
            output.contains("  | version: STSv1\n  | mode: testing\n  | mx: mx.demo.test\n  | max_age: "),
            "\(output)"
        )
        #expect(output.contains("SENDER RESULT: VALID (id "), "\(output)")
        #expect(output.contains(", mode testing, mx mx.demo.test)"), "\(output)")
        #expect(output.contains("sign in as demo@demo.test / mta-sts demo password"))
        #expect(output.hasSuffix("demo: stopped\n"), "\(output)")

        // Everything it started is gone: the web form's address no longer answers.
        let webForm = try #require(
            output.split(separator: "\n").first { $0.hasPrefix("Web form:") }?.split(separator: " ").last
        )
        let port = try #require(webForm.split(separator: ":").last.flatMap { UInt16($0.trimmingCharacters(in: ["/"])) })
        #expect(!Self.accepts(port: port), "the demo's API still listens on \(port)")
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    private static func accepts(port: UInt16) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}
