import Glibc
import Testing

@testable import SystemIO

@Suite struct SignalTests {
    @Test func sigpipeIsIgnored() {
        Signals.ignoreSIGPIPE()
        #expect(Signals.isIgnored(SIGPIPE))
        #expect(!Signals.isIgnored(SIGUSR2))
    }

    @Test func signalSourceDeliversOnLoop() throws {
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        let received = Recorder<String>()
        let latch = Latch()
        try onLoop(loop) {
            let source = try SignalSource(signals: [SIGUSR1, SIGTERM], on: loop) { signal in
                received.append("\(signal == SIGUSR1 ? "USR1" : "TERM") onLoop=\(loop.inEventLoop)")
                if signal == SIGTERM { latch.signal() }
            }
            _ = source
            // Thread-directed: the loop thread blocks both, so they wait on the signalfd instead of killing us.
            raise(SIGUSR1)
            raise(SIGTERM)
        }
        #expect(latch.wait())
        #expect(received.all == ["USR1 onLoop=true", "TERM onLoop=true"])
    }
}
