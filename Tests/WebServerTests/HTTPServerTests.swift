import Foundation
import HTTPCore
import SystemIO
import TLS
import TestSupport
import Testing
import WebServer

@Suite struct HTTPServerTests {
    private func plainServer(
        timeouts: HTTPConnectionStateMachine.Configuration = .init(),
        maxConnections: Int = 100,
        pooled: Bool = false,
        limits: HTTPParserLimits = HTTPParserLimits()
    ) throws -> RunningServer {
        try RunningServer(
            configuration: HTTPServerConfiguration(
                address: try SocketAddress(parsing: "127.0.0.1:0"),
                limits: limits,
                timeouts: timeouts,
                maxConnections: maxConnections
            ),
            pooled: pooled
        )
    }

    @Test func answersAndKeepsTheConnectionAlive() throws {
        let server = try plainServer()
        defer { server.stop() }
        let client = try RawClient.connect(try server.address)
        for index in 0..<3 {
            try client.send("GET /r\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
            let (text, closed) = client.receive { $0.contains("sni=-") }
            #expect(!closed)
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(text.contains("GET /r\(index) body=0"))
            #expect(text.contains("Date: "))
            #expect(!text.contains("Connection: close"))
        }
    }

    /// Every loop accepts from one listener: while one loop is busy, new connections go to the other (with a
    /// listener per loop, the kernel would have queued about half of them on the busy loop until it was free).
    @Test func aBusyLoopLeavesNewConnectionsToTheOthers() throws {
        let server = try plainServer()
        defer { server.stop() }
        let busy = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        server.group.loops[0].execute {
            busy.signal()
            release.wait()
        }
        defer { release.signal() }
        #expect(busy.wait(timeout: .now() + 5) == .success)
        for index in 0..<8 {
            let client = try RawClient.connect(try server.address)
            try client.send("GET /n\(index) HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            let (text, closed) = client.receive()
            #expect(closed)
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(text.contains("GET /n\(index) body=0"))
        }
    }

    /// The loops share the listener; the last to stop watching it closes it.
    @Test func shutdownClosesTheListenerEveryLoopWatched() throws {
        let server = try plainServer()
        let address = try server.address
        let client = try RawClient.connect(address)
        try client.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        #expect(client.receive().text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        server.stop()
        #expect(throws: SystemError.self) { try Socket.connect(to: address, timeout: .seconds(2)) }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let server = try plainServer()
        defer { server.stop() }
        let client = try RawClient.connect(try server.address)
        try client.send(
            "GET /one HTTP/1.1\r\nHost: a\r\n\r\nPOST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /three HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        )
        let (text, closed) = client.receive()
        #expect(closed)
        #expect(responseCount(text) == 3)
        let one = try #require(text.range(of: "GET /one")).lowerBound
        let two = try #require(text.range(of: "POST /two body=5")).lowerBound
        let three = try #require(text.range(of: "GET /three")).lowerBound
        #expect(one < two && two < three)
        #expect(text.contains("Connection: close"))
    }

    @Test func headResponsesHaveNoBody() throws {
        let server = try plainServer()
        defer { server.stop() }
        let client = try RawClient.connect(try server.address)
        try client.send("HEAD /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        let (text, closed) = client.receive()
        #expect(closed)
        #expect(text.contains("Content-Length: 20"))
        #expect(text.hasSuffix("\r\n\r\n"))
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("GET / HTTP/1.1\nHost: a\n\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400),
        ("GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 999999999\r\n\r\n", 413),
        ("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: a\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "b", count: 17000))\r\n\r\n", 431),
    ])
    func malformedRequestsGetAnErrorAndAClose(request: String, status: Int) throws {
        let server = try plainServer()
        defer { server.stop() }
        let client = try RawClient.connect(try server.address)
        try client.send(request)
        let (text, closed) = client.receive()
        #expect(text.hasPrefix("HTTP/1.1 \(status) "))
        #expect(text.contains("Connection: close"))
        #expect(closed)
    }

    @Test func slowlorisHeadersAreCutOffWithA408() throws {
        let server = try plainServer(timeouts: .init(headerTimeout: 300_000_000))
        defer { server.stop() }
        let client = try RawClient.connect(try server.address)
        let started = ContinuousClock.now
        try client.send("GET / HTTP/1.1\r\nHost: a\r\n")
        let (text, closed) = client.receive()
        #expect(text.hasPrefix("HTTP/1.1 408 "))
        #expect(closed)
        #expect(ContinuousClock.now - started < .seconds(4))
    }

    @Test func aBodyDribbledByteByByteGetsA408BeforeTheRequestDeadline() throws {
        // Scaled down: 100 bytes/s after 0.3 s of grace, 5 s per request; the client sends a byte every 50 ms.
        let server = try plainServer(
            timeouts: .init(requestTimeout: 5_000_000_000, minimumBodyRate: 100, bodyRateGracePeriod: 300_000_000)
        )
        defer { server.stop() }
        let client = try RawClient.connect(try server.address)
        let started = ContinuousClock.now
        try client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1024\r\n\r\n")
        var sent = 0
        // Paced by waiting up to 50 ms for the server's answer after each byte.
        while sent < 1024, try !client.socket.waitUntilReady(for: .readable, timeout: .milliseconds(50)) {
            try client.send("x")
            sent += 1
        }
        let (text, closed) = client.receive()
        #expect(text.hasPrefix("HTTP/1.1 408 "))
        #expect(closed)
        #expect(sent < 1024)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func idleKeepAliveConnectionsAreClosed() throws {
        let server = try plainServer(timeouts: .init(idleTimeout: 300_000_000))
        defer { server.stop() }
        let client = try RawClient.connect(try server.address)
        try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = client.receive { $0.contains("sni=-") }
        let (rest, closed) = client.receive()
        #expect(closed)
        #expect(rest.isEmpty)
    }

    @Test func connectionsOverTheCapAreRefused() throws {
        let server = try plainServer(maxConnections: 2)
        defer { server.stop() }
        let first = try RawClient.connect(try server.address)
        let second = try RawClient.connect(try server.address)
        try first.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = first.receive { $0.contains("sni=-") }
        try second.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = second.receive { $0.contains("sni=-") }
        let third = try RawClient.connect(try server.address)
        try? third.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        let (text, closed) = third.receive()
        #expect(closed)
        #expect(text.isEmpty)
        #expect(server.server.metrics.totalRejected >= 1)
    }

    @Test func pooledRespondersAnswerOffTheLoop() throws {
        let server = try plainServer(pooled: true)
        defer { server.stop() }
        let client = try RawClient.connect(try server.address)
        try client.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        let (text, closed) = client.receive()
        #expect(closed)
        #expect(responseCount(text) == 2)
        #expect(text.contains("GET /a") && text.contains("GET /b"))
    }

    @Test func largeResponsesAreWrittenCompletely() throws {
        let server = try plainServer()
        defer { server.stop() }
        let client = try RawClient.connect(try server.address)
        try client.send("GET /big HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        let (text, closed) = client.receive()
        #expect(closed)
        #expect(text.utf8.count > 3_000_000)
        #expect(text.contains("Content-Length: 3000000"))
    }

    @Test func metricsCountResponsesByStatus() throws {
        let server = try plainServer()
        defer { server.stop() }
        let client = try RawClient.connect(try server.address)
        try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\nBAD\r\n\r\n")
        _ = client.receive()
        #expect(server.server.metrics.responses[200] == 1)
        #expect(server.server.metrics.responses[400] == 1)
    }
}

@Suite struct HTTPSServerTests {
    @Test func certificatesAreChosenBySNIAndUnknownNamesAreRefused() throws {
        let certificates = try TLSCertificates.shared
        let defaultContext = try TLSContext.makeServer(configuration: .server)
        let hostA = try certificates.context(for: "mta-sts.a.test")
        let hostB = try certificates.context(for: "mta-sts.b.test")
        defaultContext.setServerNameResolver(
            DictionaryServerNameResolver(["mta-sts.a.test": hostA, "mta-sts.b.test": hostB])
        )
        let server = try RunningServer(
            configuration: HTTPServerConfiguration(
                address: try SocketAddress(parsing: "127.0.0.1:0"),
                tls: defaultContext
            )
        )
        defer { server.stop() }
        let clientContext = try certificates.clientContext()
        for host in ["mta-sts.a.test", "MTA-STS.B.TEST"] {
            let client = try RawClient.connect(try server.address, tls: clientContext, serverName: host)
            #expect(client.tls?.peerCertificate?.matches(hostname: host.lowercased()) == true)
            try client.send("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
            let (text, _) = client.receive()
            #expect(text.hasPrefix("HTTP/1.1 200 OK"))
            #expect(text.contains("sni=\(host.lowercased())"))
        }
        #expect(throws: TLSError.self) {
            _ = try RawClient.connect(try server.address, tls: clientContext, serverName: "mta-sts.unknown.test")
        }
        try Poll.until(deadline: 5) { server.server.metrics.handshakeFailuresByReason.values.reduce(0, +) >= 1 }
    }

    /// TLS writes are buffered until the response is complete: a 3 MB answer still arrives whole (the buffer
    /// drains through a full socket), and on a kept-alive connection the answer is flushed before the server waits
    /// for the next request, which the same connection then gets answered.
    @Test func bufferedTLSWritesAreFlushedForLargeAndKeptAliveResponses() throws {
        let certificates = try TLSCertificates.shared
        let server = try RunningServer(
            configuration: HTTPServerConfiguration(
                address: try SocketAddress(parsing: "127.0.0.1:0"),
                tls: try certificates.context(for: "mta-sts.a.test")
            )
        )
        defer { server.stop() }
        let client = try RawClient.connect(
            try server.address,
            tls: try certificates.clientContext(),
            serverName: "mta-sts.a.test"
        )
        try client.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n")
        let (big, closedEarly) = client.receive { text in
            guard let end = text.range(of: "\r\n\r\n") else { return false }
            return text.utf8.count - text[..<end.upperBound].utf8.count >= 3_000_000
        }
        #expect(!closedEarly)
        #expect(big.hasPrefix("HTTP/1.1 200 OK") && big.contains("Content-Length: 3000000"))
        try client.send("GET /second HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        let (second, closed) = client.receive()
        #expect(closed, "close_notify and the close follow the last answer")
        #expect(second.hasPrefix("HTTP/1.1 200 OK") && second.contains("GET /second"))
    }

    /// Connections for a virtual host's server name take its larger body limit and its responder (on its pool);
    /// the others keep the server's small limit and responder.
    @Test func aVirtualHostGetsItsOwnLimitsAndResponderBySNI() throws {
        struct ReportsResponder: HTTPResponder {
            func respond(to request: HTTPRequest) -> HTTPResponse {
                HTTPResponse(status: .ok, body: Array("reports body=\(request.body.count)".utf8))
            }
        }
        let certificates = try TLSCertificates.shared
        let context = try TLSContext.makeServer(configuration: .server)
        context.setServerNameResolver(
            DictionaryServerNameResolver([
                "mta-sts.a.test": try certificates.context(for: "mta-sts.a.test"),
                "reports.a.test": try certificates.context(for: "reports.a.test"),
            ])
        )
        let pool = BlockingPool(numberOfThreads: 1, maximumQueued: 4)
        defer { pool.shutdown() }
        let server = try RunningServer(
            configuration: HTTPServerConfiguration(
                address: try SocketAddress(parsing: "127.0.0.1:0"),
                tls: context,
                limits: HTTPParserLimits(bodyBytes: 1024),
                virtualHost: HTTPVirtualHost(
                    serverNames: ["REPORTS.a.test"],
                    limits: HTTPParserLimits(bodyBytes: 100_000),
                    responder: ReportsResponder(),
                    pool: pool
                )
            )
        )
        defer { server.stop() }
        let clientContext = try certificates.clientContext()
        func post(_ host: String, bodyBytes: Int) throws -> String {
            let body = String(repeating: "x", count: bodyBytes)
            let client = try RawClient.connect(try server.address, tls: clientContext, serverName: host)
            try client.send(
                "POST /v1/tlsrpt/t HTTP/1.1\r\nHost: \(host)\r\nContent-Length: \(body.utf8.count)\r\n"
                    + "Connection: close\r\n\r\n\(body)"
            )
            return client.receive().text
        }
        let reports = try post("reports.a.test", bodyBytes: 50_000)
        #expect(reports.hasPrefix("HTTP/1.1 200 OK"))
        #expect(reports.hasSuffix("reports body=50000"))
        // Small enough to be written before the server answers and closes.
        #expect(try post("mta-sts.a.test", bodyBytes: 2_000).hasPrefix("HTTP/1.1 413"))
    }

    @Test func stalledHandshakesTimeOut() throws {
        let certificates = try TLSCertificates.shared
        let context = try certificates.context(for: "mta-sts.a.test")
        let server = try RunningServer(
            configuration: HTTPServerConfiguration(
                address: try SocketAddress(parsing: "127.0.0.1:0"),
                tls: context,
                handshakeTimeout: .milliseconds(300)
            )
        )
        defer { server.stop() }
        let client = try RawClient.connect(try server.address)
        try client.send("\u{16}\u{03}\u{01}")
        let (_, closed) = client.receive()
        #expect(closed)
        try Poll.until(deadline: 5) { server.server.metrics.handshakeFailuresByReason["timeout"] == 1 }
    }
}

enum TLSCertificates {
    private static let result: Result<TestCertificates, any Error> = Result {
        let certificates = try TestCertificates()
        // A static is never deinitialised: remove the CA file when the test process exits.
        atexit { (try? TLSCertificates.shared)?.directory.remove() }
        return certificates
    }
    static var shared: TestCertificates {
        get throws { try result.get() }
    }
}
