import Foundation
import Synchronization
import SystemIO
import Testing

@testable import TLS

@Suite struct LiveTLSTests {
    @Test func opensslSClientVerifiesAgainstTestCA() throws {
        let fixture = try Fixture()
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let loop = group.next()
        let address = try start(on: loop, context: fixture.server)
        let output = try TestPKI.run(
            "/usr/bin/openssl",
            [
                "s_client", "-connect", "127.0.0.1:\(address.port)", "-servername", "mta-sts.a.test",
                "-CAfile", fixture.pki.rootFile, "-verify_hostname", "mta-sts.a.test", "-alpn", "http/1.1",
            ],
            input: "ping\n"
        )
        #expect(output.text.contains("Verify return code: 0 (ok)"), "\(output.text)")
        #expect(output.text.contains("subject=CN = mta-sts.a.test"))
        #expect(output.text.contains("Protocol  : TLSv1.3") || output.text.contains("New, TLSv1.3"))
        #expect(output.text.contains("ALPN protocol: http/1.1"))
        #expect(output.text.contains("Server Temp Key: X25519"))
    }

    @Test func opensslSClientUnknownNameGetsAlert() throws {
        let fixture = try Fixture()
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let address = try start(on: group.next(), context: fixture.server)
        let output = try TestPKI.run(
            "/usr/bin/openssl",
            [
                "s_client", "-connect", "127.0.0.1:\(address.port)", "-servername", "unknown.test",
                "-CAfile", fixture.pki.rootFile,
            ],
            input: ""
        )
        #expect(output.status != 0)
        #expect(output.text.contains("unrecognized name"), "\(output.text)")
        #expect(!output.text.contains("mta-sts.a.test"))
    }

    @Test func swiftClientsEchoOverLoopback() throws {
        let fixture = try Fixture()
        let group = try EventLoopGroup(numberOfLoops: 2)
        defer { try? group.shutdownGracefully() }
        let address = try start(on: group.next(), context: fixture.server)
        let failures = Recorder()
        DispatchQueue.concurrentPerform(iterations: 20) { index in
            let host = index.isMultiple(of: 2) ? "mta-sts.a.test" : "mta-sts.b.test"
            do {
                // Blocking socket with timeouts: the SSL calls simply block (no .incomplete) on the client side.
                let socket = try Socket.connect(to: address, timeout: .seconds(10))
                let tls = try TLSConnection(context: fixture.client, fd: socket.fileDescriptor, serverName: host)
                guard tls.handshake().isComplete, tls.peerCertificate?.matches(hostname: host) == true else {
                    return failures.add("\(index): handshake")
                }
                let message = Array("hello \(index) ".utf8) + [UInt8](repeating: UInt8(index), count: 20_000)
                var sent = 0
                while sent < message.count {
                    guard case .complete(let count) = tls.write(Array(message[sent...])) else {
                        return failures.add("\(index): write")
                    }
                    sent += count
                }
                var echoed: [UInt8] = []
                while echoed.count < message.count {
                    guard case .complete(let chunk) = tls.read(maximumCount: 65_536), !chunk.isEmpty else {
                        return failures.add("\(index): read")
                    }
                    echoed += chunk
                }
                if echoed != message { failures.add("\(index): mismatch") }
                _ = tls.shutdown()
                try socket.close()
            } catch {
                failures.add("\(index): \(error)")
            }
        }
        #expect(failures.values.isEmpty)
    }

    @Test func silentClientIsDisconnectedAtHandshakeDeadline() throws {
        let fixture = try Fixture()
        let group = try EventLoopGroup(numberOfLoops: 1)
        defer { try? group.shutdownGracefully() }
        let address = try start(on: group.next(), context: fixture.server, handshakeTimeout: .milliseconds(300))
        let started = Deadline.now()
        // A slowloris client: connects and sends half a ClientHello header, then nothing.
        let socket = try Socket.connect(to: address, timeout: .seconds(10))
        try socket.writeAll([0x16, 0x03, 0x01])
        #expect(try socket.read(maximumCount: 64) == .processed([]))  // the server closed on us
        let elapsed = Deadline.now() - started
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < .seconds(5))
    }

    private func start(
        on loop: EventLoop,
        context: TLSContext,
        handshakeTimeout: Duration = .seconds(10)
    ) throws -> SocketAddress {
        Signals.ignoreSIGPIPE()  // a client that goes away mid-write must not kill the test process
        let result = Mutex<Result<SocketAddress, any Error>?>(nil)
        let latch = DispatchSemaphore(value: 0)
        loop.execute {
            let started = Result {
                try TLSAcceptor.start(on: loop, context: context, handshakeTimeout: handshakeTimeout)
            }
            result.withLock { $0 = started }
            latch.signal()
        }
        #expect(latch.wait(timeout: .now() + 10) == .success)
        return try #require(result.withLock { $0 }).get()
    }
}

/// A thread-safe list of failure descriptions.
final class Recorder: Sendable {
    private let items = Mutex<[String]>([])

    func add(_ item: String) {
        items.withLock { $0.append(item) }
    }

    var values: [String] {
        items.withLock { $0 }
    }
}
