import Testing

@testable import TLS

@Suite struct TLSConnectionTests {
    @Test func applicationDataBothWays() throws {
        let fixture = try Fixture()
        var pair = try fixture.pair(serverName: "mta-sts.a.test")
        #expect(pair.handshake().client.isComplete)
        let request = Array("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: mta-sts.a.test\r\n\r\n".utf8)
        #expect(pair.send(request, fromClient: true) == request)
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)
        #expect(pair.send(response, fromClient: false) == response)
    }

    @Test func largeWriteIsPartialAndCompletesAfterDraining() throws {
        let fixture = try Fixture()
        var pair = try fixture.pair(serverName: "mta-sts.b.test")
        #expect(pair.handshake().server.isComplete)
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        // The BIO pair holds ~17 KB, so a single write cannot take everything (partial writes are on).
        let first = pair.server.write(payload)
        if case .complete(let count) = first {
            #expect(count < payload.count)
        } else {
            #expect(first.isComplete, "expected a partial write, got \(first)")
        }
        var fresh = try fixture.pair(serverName: "mta-sts.b.test")
        #expect(fresh.handshake().server.isComplete)
        #expect(fresh.send(payload, fromClient: false) == payload)
    }

    @Test func readBeforeDataIsIncompleteWantRead() throws {
        let fixture = try Fixture()
        var pair = try fixture.pair(serverName: "mta-sts.a.test")
        #expect(pair.handshake().client.isComplete)
        pair.deliverTickets()
        guard case .incomplete(let want) = pair.server.read(maximumCount: 16) else {
            Issue.record("expected incomplete")
            return
        }
        #expect(want == .read)
    }

    @Test func closeNotifyReadsAsEndOfStream() throws {
        let fixture = try Fixture()
        var pair = try fixture.pair(serverName: "mta-sts.a.test")
        #expect(pair.handshake().client.isComplete)
        #expect(pair.client.shutdown().isComplete)
        _ = pair.transfer()
        guard case .complete(let bytes) = pair.server.read(maximumCount: 16) else {
            Issue.record("expected end of stream")
            return
        }
        #expect(bytes.isEmpty)
    }

    @Test func handshakeBeforeAnyBytesWantsRead() throws {
        let fixture = try Fixture()
        let server = try TLSConnection(memoryWithContext: fixture.server)
        guard case .incomplete(let want) = server.handshake() else {
            Issue.record("expected incomplete")
            return
        }
        #expect(want == .read)
        #expect(!server.isHandshakeComplete)
        #expect(server.readOutbound().isEmpty)
    }

    @Test func garbageFromPeerFailsHandshakeWithDrainedQueue() throws {
        let fixture = try Fixture()
        let server = try TLSConnection(memoryWithContext: fixture.server)
        _ = server.writeInbound(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        let error = try #require(server.handshake().error)
        #expect(error == .handshakeFailed)
        #expect(error.queue.isEmpty == false)
        #expect(error.description.contains("http request") || error.description.contains("wrong version"))
    }

    @Test func serverNameNormalization() {
        #expect(HostName.normalized("MTA-STS.Example.COM") == "mta-sts.example.com")
        #expect(HostName.normalized("xn--bcher-kva.example") == "xn--bcher-kva.example")
    }
}
