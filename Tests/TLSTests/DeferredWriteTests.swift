import Glibc
import Testing

@testable import TLS

/// A server connection with buffered writes over a real socket pair, against an in-memory client: nothing reaches the
/// socket until ``TLSConnection/flush()``, whatever OpenSSL flushes on its own (the end of a flight, the session
/// ticket, close_notify).
@Suite struct DeferredWriteTests {
    /// One end of a non-blocking socket pair for the server, the other read and written by the test for the client.
    final class SocketPair {
        let server: CInt
        let peer: CInt

        init(sendBufferBytes: CInt? = nil) throws {
            var fds: [CInt] = [0, 0]
            let created = socketpair(AF_UNIX, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue), 0, &fds)
            try #require(created == 0)
            server = fds[0]
            peer = fds[1]
            if var size = sendBufferBytes {
                setsockopt(server, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<CInt>.size))
                setsockopt(peer, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<CInt>.size))
            }
        }

        deinit {
            Glibc.close(server)
            Glibc.close(peer)
        }

        /// Everything the server has written so far (empty when it wrote nothing).
        func receive() -> [UInt8] {
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(peer, $0.baseAddress, $0.count) }
                guard count > 0 else { return received }
                received += chunk[0..<count]
            }
        }

        /// Writes what the client sent to the server's socket.
        func send(_ bytes: [UInt8]) {
            let written = bytes.withUnsafeBytes { Glibc.write(peer, $0.baseAddress, $0.count) }
            #expect(written == bytes.count)
        }
    }

    /// Runs the handshake up to the server's completion, checking that each flight waits for a flush.
    private func handshake(
        _ server: TLSConnection,
        _ client: TLSConnection,
        over sockets: SocketPair
    ) throws {
        #expect(client.handshake().isIncomplete)
        sockets.send(client.readOutbound())
        #expect(server.handshake().isIncomplete)
        #expect(sockets.receive().isEmpty, "the server's flight waits in the buffer")
        #expect(server.hasUnflushedOutput)
        #expect(server.flush().isComplete)
        #expect(!server.hasUnflushedOutput)
        let flight = sockets.receive()
        #expect(flight.count > 500)
        #expect(client.writeInbound(flight) == flight.count)
        #expect(client.handshake().isComplete)
        sockets.send(client.readOutbound())
        #expect(server.handshake().isComplete)
    }

    @Test func theTicketLeavesWithTheResponseAndCloseNotify() throws {
        let fixture = try Fixture()
        let sockets = try SocketPair()
        let server = try TLSConnection(context: fixture.server, fd: sockets.server, buffersWrites: true)
        let client = try TLSConnection(memoryWithContext: fixture.client, serverName: "mta-sts.a.test")
        try handshake(server, client, over: sockets)
        #expect(sockets.receive().isEmpty, "OpenSSL's flush after the session ticket is deferred")
        #expect(server.hasUnflushedOutput)

        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)
        #expect(server.write(response).value == response.count)
        #expect(server.shutdown().isComplete)
        #expect(!server.hasUnflushedOutput)
        let together = sockets.receive()
        #expect(client.writeInbound(together) == together.count)
        #expect(client.read(maximumCount: 4096).value == response)
        #expect(client.session != nil, "the ticket arrived in the same bytes")
        #expect(client.read(maximumCount: 4096).value == [], "and close_notify too")
    }

    @Test func aFullSocketBlocksTheFlushUntilThePeerReads() throws {
        let fixture = try Fixture()
        let sockets = try SocketPair(sendBufferBytes: 4096)
        let server = try TLSConnection(context: fixture.server, fd: sockets.server, buffersWrites: true)
        let client = try TLSConnection(memoryWithContext: fixture.client, serverName: "mta-sts.b.test")
        try handshake(server, client, over: sockets)

        // Larger than the buffer and the socket together: some writes go straight out, and one must wait.
        let payload = (0..<400_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        var offset = 0
        var received: [UInt8] = []
        var sawBlocked = false
        var pending: [UInt8] = []
        func deliver() {
            pending += sockets.receive()
            let accepted = client.writeInbound(pending)
            pending.removeFirst(accepted)
            while case .complete(let chunk) = client.read(maximumCount: 65_536), !chunk.isEmpty { received += chunk }
        }
        for _ in 0..<100_000 where received.count < payload.count {
            if offset < payload.count {
                switch payload[offset...].withUnsafeBytes({ server.write($0) }) {
                case .complete(let count): offset += count
                case .incomplete(let want):
                    #expect(want == .write)
                    sawBlocked = true
                case .failed(let error): Issue.record("write failed: \(error)")
                }
            } else if case .incomplete(let want) = server.flush() {
                #expect(want == .write)
                sawBlocked = true
            }
            deliver()
        }
        #expect(sawBlocked)
        #expect(received == payload)
        #expect(!server.hasUnflushedOutput)
    }
}

extension TLSOperationResult {
    fileprivate var isIncomplete: Bool {
        if case .incomplete = self { return true }
        return false
    }
}
