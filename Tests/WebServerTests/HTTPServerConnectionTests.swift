import Foundation
import HTTPCore
import Logging
import Synchronization
import SystemIO
import TLS
import Testing

@testable import WebServer

/// Answers with the request's path (and SNI) as the body; `/close` answers with `Connection: close`. Records the
/// requests it saw.
final class RecordingResponder: HTTPResponder {
    private let requests = Mutex<[HTTPRequest]>([])

    /// The paths of the requests answered so far.
    var paths: [String] { requests.withLock { $0.map { String($0.head.path) } } }
    /// The server names of the requests answered so far.
    var serverNames: [String?] { requests.withLock { $0.map(\.serverName) } }
    /// The TCP peer and the client of each request answered so far.
    var addresses: [(remote: String, client: String)] {
        requests.withLock { $0.map { ($0.remoteAddress, $0.clientAddress) } }
    }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        requests.withLock { $0.append(request) }
        var response = HTTPResponse(status: .ok, body: Array("path=\(request.head.path)".utf8))
        if request.head.path == "/close" { response.fields.set(.connection, "close") }
        return response
    }
}

/// Collects access log entries.
final class AccessLogRecorder: Sendable {
    private let recorded = Mutex<[AccessLogEntry]>([])

    var entries: [AccessLogEntry] { recorded.withLock { $0 } }

    func record(_ entry: AccessLogEntry) {
        recorded.withLock { $0.append(entry) }
    }
}

/// The real connection shell, driven with a scripted transport and a manual loop (no socket, a fake clock).
@Suite struct HTTPServerConnectionTests {
    typealias Connection = HTTPServerConnection<ScriptedTransport, ManualEventLoop>

    /// One shell and everything around it.
    struct Harness {
        let transport: ScriptedTransport
        let loop: ManualEventLoop
        let shared: HTTPServerShared
        let registry: ConnectionRegistry
        let responder: RecordingResponder
        let accessLog: AccessLogRecorder
        let connection: Connection

        /// Whether the connection closed: transport closed, deregistered, out of the registry, timer cancelled.
        var isClosed: Bool {
            transport.isClosed && loop.isDeregistered && registry.count == 0 && loop.timerCount == 0
                && shared.metrics.currentConnections == 0
        }
    }

    static let second: UInt64 = 1_000_000_000

    func makeHarness(
        tls: Bool = false,
        serverName: String? = nil,
        pool: BlockingPool? = nil,
        serverHeader: String? = nil,
        peer: ConnectionPeer = ConnectionPeer(text: "192.0.2.1", address: ClientAddress(ipv4: 0xC000_0201)),
        trustedProxies: TrustedProxies = TrustedProxies(),
        maxConnectionsPerAddress: Int? = nil
    ) throws -> Harness {
        let configuration = HTTPServerConfiguration(
            address: try SocketAddress(parsing: "127.0.0.1:0"),
            timeouts: .init(
                headerTimeout: 10 * Self.second,
                bodyProgressTimeout: 5 * Self.second,
                idleTimeout: 60 * Self.second,
                sendProgressTimeout: 30 * Self.second
            ),
            handshakeTimeout: .seconds(3),
            maxConnectionsPerAddress: maxConnectionsPerAddress,
            trustedProxies: trustedProxies,
            serverName: serverHeader
        )
        let responder = RecordingResponder()
        let accessLog = AccessLogRecorder()
        let shared = HTTPServerShared(
            configuration: configuration,
            responder: responder,
            execution: pool.map { .pool($0) } ?? .inline,
            accessLog: AccessLog(buffer: LogBuffer()) { entry, _ in accessLog.record(entry) },
            loops: []
        )
        let transport = ScriptedTransport(usesTLS: tls, serverName: serverName)
        let loop = ManualEventLoop()
        let registry = ConnectionRegistry()
        let connection = Connection(
            loop: loop,
            transport: transport,
            shared: shared,
            scratch: ScratchBuffer(accessLog: shared.accessLog),
            peer: peer,
            registry: registry
        )
        // What the acceptor does once the descriptor is registered.
        _ = shared.metrics.connectionOpened()
        if peer.holdsAddressSlot { _ = shared.connectionsPerAddress?.acquire(peer.address.limitPrefix) }
        registry.insert(connection)
        connection.start()
        return Harness(
            transport: transport,
            loop: loop,
            shared: shared,
            registry: registry,
            responder: responder,
            accessLog: accessLog,
            connection: connection
        )
    }

    /// A TLS harness whose handshake completed on the first readable event, with nothing read yet.
    func makeOpenTLSHarness(pool: BlockingPool? = nil) throws -> Harness {
        let harness = try makeHarness(tls: true, serverName: "MTA-STS.A.Test", pool: pool)
        harness.transport.handshakes = [.complete(())]
        harness.connection.readable()
        return harness
    }

    // MARK: - Requests and responses

    @Test func pipelinedRequestsAreAnsweredInOrderEachAfterThePreviousIsWritten() throws {
        let harness = try makeHarness()
        harness.transport.reads = [.bytes("GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n")]
        harness.transport.writes = [.accept(upTo: 20), .wouldBlock()]
        harness.connection.readable()
        #expect(harness.responder.paths == ["/one"])
        #expect(harness.loop.interestChanges == [.writable])
        harness.connection.writable()
        #expect(harness.responder.paths == ["/one", "/two"])
        #expect(harness.loop.interestChanges == [.writable, .readable])
        let text = harness.transport.text
        #expect(responseCount(text) == 2)
        let one = try #require(text.range(of: "path=/one")).lowerBound
        let two = try #require(text.range(of: "path=/two")).lowerBound
        #expect(one < two)
        #expect(!text.contains("Connection: close"))
        // A short read drained the socket: no read that could only return EAGAIN, before or after.
        #expect(harness.transport.readCount == 1)
        #expect(!harness.isClosed)
    }

    @Test func aReadThatDidNotDrainTheTransportIsFollowedByAnother() throws {
        let harness = try makeHarness(tls: true)
        harness.transport.handshakes = [.complete(())]
        // TLS holding read-ahead bytes reports a short read that did not drain the transport.
        harness.transport.reads = [.bytes("GET /split HTTP/1.1\r\n", isDrained: false), .bytes("Host: a\r\n\r\n")]
        harness.connection.readable()
        #expect(harness.transport.readCount == 2)
        #expect(harness.responder.paths == ["/split"])
        #expect(harness.responder.serverNames == [nil])
    }

    @Test func partialWritesAreRetriedWithinOneEvent() throws {
        let harness = try makeHarness()
        harness.transport.reads = [.bytes("GET /p HTTP/1.1\r\nHost: a\r\n\r\n")]
        harness.transport.writes = Array(repeating: .accept(upTo: 7), count: 5)
        harness.connection.readable()
        #expect(harness.transport.text.hasSuffix("path=/p"))
        #expect(harness.loop.interestChanges.isEmpty)
    }

    @Test func tlsWantingTheOtherDirectionSwitchesTheInterest() throws {
        let harness = try makeOpenTLSHarness()
        #expect(harness.transport.readCount == 1)
        harness.transport.reads = [.wouldBlock(wantsWrite: true)]
        harness.connection.readable()
        #expect(harness.loop.interestChanges == [.writable])
        harness.transport.reads = [.bytes("GET /sni HTTP/1.1\r\nHost: a\r\n\r\n")]
        harness.transport.writes = [.wouldBlock(wantsRead: true)]
        harness.connection.writable()
        #expect(harness.loop.interestChanges == [.writable, .readable])
        #expect(harness.transport.written.isEmpty)
        // Readable now means "retry the write", not "read".
        harness.connection.readable()
        #expect(harness.transport.readCount == 3)
        #expect(harness.transport.text.hasSuffix("path=/sni"))
        #expect(harness.responder.serverNames == ["mta-sts.a.test"])
        #expect(harness.loop.interestChanges == [.writable, .readable])
    }

    /// A handshake flight held by the transport is flushed before the connection waits; when the socket does not take
    /// it all, the connection also waits for writable, and goes back to readable alone once a flush drains it.
    @Test func heldOutputIsFlushedBeforeWaitingAndABlockedFlushWaitsForWritable() throws {
        let harness = try makeHarness(tls: true, serverName: "mta-sts.a.test")
        harness.transport.unflushedBytes = 3000
        harness.transport.flushes = [.wouldBlock(wantsRead: false)]
        harness.connection.readable()
        #expect(harness.transport.flushCount == 1)
        #expect(harness.loop.interestChanges == [[.readable, .writable]])
        harness.connection.writable()
        #expect(harness.transport.flushCount == 2)
        #expect(!harness.transport.hasUnflushedOutput)
        #expect(harness.loop.interestChanges == [[.readable, .writable], .readable])
        // Nothing held: no flush.
        harness.connection.readable()
        #expect(harness.transport.flushCount == 2)

        harness.transport.unflushedBytes = 100
        harness.transport.flushes = [.failed]
        harness.connection.readable()
        #expect(harness.isClosed)
    }

    /// The fatal alert OpenSSL holds for a failed handshake is sent before the socket closes.
    @Test func aFailedHandshakeSendsItsHeldAlertBeforeClosing() throws {
        let harness = try makeHarness(tls: true, serverName: "unknown.test")
        harness.transport.handshakes = [.failed(.handshakeFailed)]
        harness.transport.unflushedBytes = 7
        harness.connection.readable()
        #expect(harness.transport.flushCount == 1)
        #expect(!harness.transport.hasUnflushedOutput)
        #expect(harness.isClosed)
    }

    @Test func parseErrorsAreAnsweredThenTheConnectionCloses() throws {
        let harness = try makeHarness()
        harness.transport.reads = [.bytes("GET / HTTP/1.1\nHost: a\n\n")]
        harness.connection.readable()
        let text = harness.transport.text
        #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(text.contains("Connection: close\r\n"))
        #expect(text.hasSuffix("\r\n\r\n400 Bad Request\n"))
        #expect(harness.isClosed)
        #expect(harness.shared.metrics.responses == [400: 1])
        let entry = try #require(harness.accessLog.entries.first)
        #expect((entry.method, entry.path, entry.host, entry.status) == ("-", "-", "-", 400))
    }

    @Test func responderConnectionCloseEndsTheConnection() throws {
        let harness = try makeOpenTLSHarness()
        harness.transport.reads = [.bytes("GET /close HTTP/1.1\r\nHost: a\r\n\r\n")]
        harness.connection.readable()
        #expect(harness.transport.text.contains("Connection: close\r\n"))
        #expect(harness.transport.closeNotifyCount == 1)
        #expect(harness.isClosed)
        #expect(harness.accessLog.entries.first?.tlsVersion == "TLSv1.3")
    }

    @Test func responsesCarryDateAndServerAndTheAccessLogTimesThem() throws {
        let pool = BlockingPool(numberOfThreads: 1)
        defer { pool.shutdown() }
        let harness = try makeHarness(pool: pool, serverHeader: "mtasts-test")
        harness.loop.advance(seconds: 1)
        harness.transport.reads = [.bytes("GET /x HTTP/1.1\r\nHost: a.test\r\n\r\n")]
        harness.connection.readable()
        harness.loop.advance(seconds: 0.25)
        #expect(harness.loop.runPostedWork() == 1)
        let text = harness.transport.text
        #expect(text.contains("\r\nDate: "))
        #expect(text.contains("\r\nServer: mtasts-test\r\n"))
        let entry = try #require(harness.accessLog.entries.first)
        #expect((entry.host, entry.method, entry.path, entry.status) == ("a.test", "GET", "/x", 200))
        #expect(entry.microseconds == 250_000)
        #expect(entry.bytes == harness.transport.written.count)
        #expect(entry.tlsVersion == nil)
        #expect(entry.clientAddress == "192.0.2.1")
    }

    // MARK: - The peer closing

    @Test func endOfStreamInTheSameBatchAsARequestStillGetsTheResponse() throws {
        let harness = try makeHarness()
        harness.transport.reads = [.bytes("GET /last HTTP/1.1\r\nHost: a\r\n\r\n", isDrained: false), .endOfStream]
        harness.connection.readable()
        #expect(harness.transport.text.contains("path=/last"))
        #expect(harness.transport.text.contains("Connection: close\r\n"))
        #expect(harness.isClosed)
    }

    @Test func halfCloseWhileThePooledResponderWorksWritesTheResponseThenCloses() throws {
        let pool = BlockingPool(numberOfThreads: 1)
        defer { pool.shutdown() }
        let harness = try makeHarness(pool: pool)
        harness.transport.reads = [.bytes("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")]
        harness.connection.readable()
        // Still readable while the responder works.
        #expect(harness.loop.interestChanges.isEmpty)
        harness.transport.reads = [.endOfStream]
        harness.connection.readable()
        #expect(harness.loop.interestChanges == [[]])
        #expect(!harness.isClosed)
        #expect(harness.loop.runPostedWork() == 1)
        #expect(harness.transport.text.contains("path=/slow"))
        #expect(harness.transport.text.contains("Connection: close\r\n"))
        #expect(harness.transport.closeNotifyCount == 0)
        #expect(harness.isClosed)
    }

    @Test func hangUpWhileThePooledResponderWorksCloses() throws {
        let pool = BlockingPool(numberOfThreads: 1)
        defer { pool.shutdown() }
        let harness = try makeHarness(pool: pool)
        harness.transport.reads = [.bytes("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"), .endOfStream]
        harness.connection.readable()
        harness.connection.readable()
        harness.connection.hangup()
        #expect(harness.isClosed)
        #expect(harness.loop.runPostedWork() == 1)
        #expect(harness.transport.written.isEmpty)
    }

    @Test func peerCloseNotifyIsAnsweredWithOurs() throws {
        let harness = try makeOpenTLSHarness()
        harness.transport.reads = [.bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")]
        harness.connection.readable()
        #expect(responseCount(harness.transport.text) == 1)
        harness.transport.reads = [.endOfStream]
        harness.connection.readable()
        #expect(harness.transport.closeNotifyCount == 1)
        #expect(harness.isClosed)
    }

    @Test func readFailureCloses() throws {
        let harness = try makeHarness()
        harness.transport.reads = [.failed]
        harness.connection.readable()
        #expect(harness.isClosed)
        #expect(harness.transport.written.isEmpty)
    }

    // MARK: - Shutdown

    @Test func drainWhileThePooledResponderWorksEndsWithItsResponse() throws {
        let pool = BlockingPool(numberOfThreads: 1)
        defer { pool.shutdown() }
        let harness = try makeOpenTLSHarness(pool: pool)
        harness.transport.reads = [.bytes("GET /busy HTTP/1.1\r\nHost: a\r\n\r\n")]
        harness.connection.readable()
        harness.connection.drain()
        #expect(!harness.isClosed)
        #expect(harness.loop.runPostedWork() == 1)
        #expect(harness.transport.text.contains("path=/busy"))
        #expect(harness.transport.text.contains("Connection: close\r\n"))
        #expect(harness.transport.closeNotifyCount == 1)
        #expect(harness.isClosed)
    }

    @Test func drainClosesIdleConnectionsAtOnce() throws {
        let fresh = try makeHarness()
        fresh.connection.drain()
        #expect(fresh.isClosed)

        let keptAlive = try makeOpenTLSHarness()
        keptAlive.transport.reads = [.bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")]
        keptAlive.connection.readable()
        keptAlive.connection.drain()
        #expect(keptAlive.transport.closeNotifyCount == 1)
        #expect(keptAlive.isClosed)
    }

    @Test func forceCloseClosesWithoutCloseNotify() throws {
        let harness = try makeOpenTLSHarness()
        harness.connection.forceClose()
        #expect(harness.transport.closeNotifyCount == 0)
        #expect(harness.isClosed)
    }

    // MARK: - Timeouts

    @Test func handshakeTimeoutClosesAndIsCounted() throws {
        let harness = try makeHarness(tls: true)
        harness.connection.readable()
        #expect(harness.loop.timerDeadline == harness.loop.now + 3 * Self.second)
        harness.loop.advance(seconds: 2.9)
        #expect(!harness.isClosed)
        harness.loop.advance(seconds: 0.1)
        #expect(harness.isClosed)
        #expect(harness.shared.metrics.handshakeFailuresByReason == ["timeout": 1])
    }

    @Test func handshakeFailuresAreCountedByReason() throws {
        let withoutName = try makeHarness(tls: true)
        withoutName.transport.handshakes = [.failed(.handshakeFailed)]
        withoutName.connection.readable()
        #expect(withoutName.isClosed)
        #expect(withoutName.shared.metrics.handshakeFailuresByReason == ["no_sni_or_protocol": 1])

        let named = try makeHarness(tls: true, serverName: "mta-sts.a.test")
        named.transport.handshakes = [.incomplete(.write), .failed(.handshakeFailed)]
        named.connection.readable()
        #expect(named.loop.interestChanges == [.writable])
        named.connection.writable()
        #expect(named.isClosed)
        #expect(named.shared.metrics.handshakeFailuresByReason == ["handshake_failed": 1])
    }

    @Test func slowlorisHeadGetsA408() throws {
        let harness = try makeHarness()
        harness.transport.reads = [.bytes("GET / HTTP/1.1\r\nHost: a\r\n")]
        harness.connection.readable()
        harness.loop.advance(seconds: 9.9)
        #expect(harness.transport.written.isEmpty)
        harness.loop.advance(seconds: 0.1)
        let text = harness.transport.text
        #expect(text.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(text.contains("Connection: close\r\n"))
        #expect(text.hasSuffix("\r\n\r\n408 Request Timeout\n"))
        #expect(harness.isClosed)
    }

    @Test func silentConnectionIsClosedWithoutAResponse() throws {
        let harness = try makeHarness()
        harness.loop.advance(seconds: 10)
        #expect(harness.transport.written.isEmpty)
        #expect(harness.isClosed)
    }

    @Test func stalledBodyGetsA408() throws {
        let harness = try makeHarness()
        harness.transport.reads = [.bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nabc")]
        harness.connection.readable()
        harness.loop.advance(seconds: 4)
        harness.transport.reads = [.bytes("def")]
        harness.connection.readable()
        harness.loop.advance(seconds: 4.9)
        #expect(harness.transport.written.isEmpty)
        harness.loop.advance(seconds: 0.1)
        #expect(harness.transport.text.hasPrefix("HTTP/1.1 408 "))
        #expect(harness.isClosed)
        #expect(harness.responder.paths.isEmpty)
    }

    @Test func idleKeepAliveConnectionIsClosed() throws {
        let harness = try makeHarness()
        harness.transport.reads = [.bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")]
        harness.connection.readable()
        let written = harness.transport.written.count
        harness.loop.advance(seconds: 59.9)
        #expect(!harness.isClosed)
        harness.loop.advance(seconds: 0.1)
        #expect(harness.isClosed)
        #expect(harness.transport.written.count == written)
    }

    @Test func peerThatStopsReadingIsClosedAtTheSendDeadline() throws {
        let harness = try makeHarness()
        harness.transport.reads = [.bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")]
        harness.transport.writes = [.accept(upTo: 10), .wouldBlock()]
        harness.connection.readable()
        #expect(harness.loop.interestChanges == [.writable])
        harness.loop.advance(seconds: 29.9)
        #expect(!harness.isClosed)
        harness.loop.advance(seconds: 0.1)
        #expect(harness.isClosed)
        #expect(harness.transport.written.count == 10)
    }
}
