import Foundation
import Synchronization
import Testing

@testable import TLS

@Suite struct ResolverSwapTests {
    @Test func swappingResolverChangesAnswersForNewHandshakes() throws {
        let fixture = try Fixture()
        var before = try fixture.pair(serverName: "mta-sts.a.test")
        #expect(before.handshake().client.isComplete)

        fixture.server.setServerNameResolver(DictionaryServerNameResolver(["mta-sts.b.test": fixture.hostB]))
        var removed = try fixture.pair(serverName: "mta-sts.a.test")
        #expect(removed.handshake().client.error?.receivedAlert == TLSAlert.unrecognizedName)
        var kept = try fixture.pair(serverName: "mta-sts.b.test")
        #expect(kept.handshake().client.isComplete)

        // The connection established before the swap keeps working.
        #expect(before.send(Array("still here".utf8), fromClient: true) == Array("still here".utf8))
    }

    @Test func swapDuringHandshakeKeepsSelectedContext() throws {
        let fixture = try Fixture()
        var pair = try fixture.pair(serverName: "mta-sts.a.test")
        _ = pair.client.handshake()
        _ = pair.transfer()
        _ = pair.server.handshake()  // ClientHello processed: context a selected.
        fixture.server.setServerNameResolver(nil)
        #expect(pair.handshake().client.isComplete)
        #expect(pair.server.selectedContext === fixture.hostA)
    }

    @Test func concurrentSwapsNeverBreakHandshakes() throws {
        let fixture = try Fixture()
        let stop = Atomic<Bool>(false)
        let swaps = Atomic<Int>(0)
        let swapper = Thread { [fixture] in
            while !stop.load(ordering: .relaxed) {
                // Every version of the snapshot knows both hosts.
                fixture.server.setServerNameResolver(
                    DictionaryServerNameResolver(["mta-sts.a.test": fixture.hostA, "mta-sts.b.test": fixture.hostB])
                )
                swaps.wrappingAdd(1, ordering: .relaxed)
            }
        }
        swapper.start()
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 40) { index in
            let host = index.isMultiple(of: 2) ? "mta-sts.a.test" : "mta-sts.b.test"
            do {
                var pair = try fixture.pair(serverName: host)
                if !pair.handshake().client.isComplete || pair.client.peerCertificate?.matches(hostname: host) != true {
                    failures.withLock { $0.append(host) }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        stop.store(true, ordering: .relaxed)
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(swaps.load(ordering: .relaxed) > 0)
    }
}
