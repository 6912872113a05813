import Foundation
import Glibc
import HTTPCore
import Logging
import SystemIO
import TestSupport
import Testing
import WebServer

/// A server whose process runs out of descriptors stops watching its listener instead of spinning on `EMFILE`,
/// says so once, and accepts again once descriptors are free.
///
/// Real: the soft `RLIMIT_NOFILE` is lowered in a child process (an exit test), so the other tests running in
/// this process keep their descriptors.
@Suite struct AcceptBackoffTests {
    @Test func outOfDescriptorsPausesTheListenerAndResumes() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            func fail(_ code: Int32, _ message: String) -> Never {
                FileHandle.standardError.write(Data("child failed: \(message)\n".utf8))
                exit(code)
            }
            func cpuSeconds() -> Double {
                var usage = rusage()
                getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
                return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                    + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
            }
            let group = try EventLoopGroup(numberOfLoops: 1)
            // Short pauses (10 ms, then 20 ms) keep the time without descriptors short (see DescriptorExhaustion).
            let server = HTTPServer(
                configuration: HTTPServerConfiguration(
                    address: try SocketAddress(parsing: "127.0.0.1:0"),
                    acceptBackoff: AcceptBackoffStateMachine.Configuration(
                        initialPause: 10_000_000,
                        maximumPause: 100_000_000
                    )
                ),
                group: group,
                responder: EchoResponder(),
                logger: Logger(label: "accept-test", level: .info)
            )
            try server.start()
            guard let address = server.localAddress else { fail(2, "no address") }
            let metrics = server.metrics

            // This child died with SIGILL and no output when libdispatch could not open a descriptor.
            DescriptorExhaustion.prepare()

            // Leave one descriptor number free: the client's socket takes it, and accept4 finds none.
            let lowestFree = dup(0)
            close(lowestFree)
            var original = rlimit()
            getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &original)
            var lowered = original
            lowered.rlim_cur = rlim_t(lowestFree + 1)
            guard setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &lowered) == 0 else { fail(3, "setrlimit") }
            let client = try RawClient.connect(address)

            try Poll.until(deadline: 5, interval: .milliseconds(2), "first pause") { metrics.totalAcceptPauses >= 1 }
            let firstPause = ContinuousClock.now
            let firstCPU = cpuSeconds()
            try Poll.until(deadline: 5, interval: .milliseconds(2), "third pause") { metrics.totalAcceptPauses >= 3 }
            let elapsed = ContinuousClock.now - firstPause
            let cpu = cpuSeconds() - firstCPU
            // 10 ms, then 20 ms: a spinning loop would fail thousands of times and burn a core meanwhile.
            guard elapsed >= .milliseconds(25) else { fail(4, "three pauses within \(elapsed)") }
            guard cpu < 0.5 * Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 2e18
            else { fail(5, "\(cpu) s of CPU in \(elapsed)") }
            guard metrics.totalAcceptPauseEpisodes == 1 else { fail(6, "\(metrics.totalAcceptPauseEpisodes) episodes") }

            // Descriptors are available again: the queued connection is accepted after the current pause.
            guard setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &original) == 0 else { fail(7, "restore") }
            try client.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            let (text, _) = client.receive()
            guard text.hasPrefix("HTTP/1.1 200 ") else { fail(8, "answer: \(text)") }
            guard metrics.totalAcceptPauseEpisodes == 1 else { fail(9, "a second episode") }
            server.shutdown(gracePeriod: .seconds(1))
            try group.shutdownGracefully()
            exit(0)
        }
        let log = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(!log.contains("child failed"), "\(log)")
        // One line when the listener pauses and one when it accepts again, however many attempts failed.
        #expect(log.components(separatedBy: "accept failed; pausing the listener").count == 2)
        #expect(log.contains("errno 24"))
        #expect(log.components(separatedBy: "accepting connections again").count == 2)
    }
}
