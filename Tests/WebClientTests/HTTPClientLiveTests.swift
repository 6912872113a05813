import HTTPCore
import SystemIO
import TLS
import TestSupport
import Testing

@testable import WebClient

/// The client against real loopback servers: HTTPS with a test CA, framing variants, limits and failures.
@Suite struct HTTPClientLiveTests {
    let pki: WebClientTestPKI

    init() throws {
        pki = try WebClientTestPKI.load()
    }

    private func client(
        trusting path: String? = nil,
        requestTimeout: Duration = .seconds(5),
        maximumBodyBytes: Int = 1 << 20,
        resolver: HostResolver = .system
    ) throws -> HTTPClient {
        var configuration = HTTPClientConfiguration(trustRoots: .file(path ?? pki.trustedCAPath))
        configuration.requestTimeout = requestTimeout
        configuration.connectTimeout = .seconds(2)
        configuration.maximumBodyBytes = maximumBodyBytes
        configuration.userAgent = "webclient-tests/1"
        configuration.resolver = resolver
        return try HTTPClient(configuration: configuration)
    }

    private func sendExpectingError(_ client: HTTPClient, _ url: String) throws -> HTTPClientError {
        do {
            let response = try client.send(try ClientRequest(url: url))
            Issue.record("expected a failure, got \(response.status)")
            return HTTPClientError(.connectionFailed, "no error")
        } catch let error as HTTPClientError {
            return error
        }
    }

    // MARK: - HTTPS

    @Test func httpsWithTrustedCAReturnsContentLengthBody() throws {
        let server = try TestHTTPServer(certificate: pki.localhost) { request in
            let body = "hello \(request.body.count)"
            return Array(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8
            )
        }
        defer { server.stop() }
        var request = try ClientRequest(
            method: .post,
            url: "https://localhost:\(server.address.port)/acme/new-order?x=1",
            body: Array("12345".utf8)
        )
        request.headers[.contentType] = "application/jose+json"
        let response = try client().send(request)
        #expect(response.status == .ok)
        #expect(response.bodyText == "hello 5")
        #expect(response.headers[.contentType] == "text/plain")

        let received = try #require(server.requests.first)
        #expect(received.head.hasPrefix("POST /acme/new-order?x=1 HTTP/1.1\r\n"))
        #expect(received.headerLines.contains("Host: localhost:\(server.address.port)"))
        #expect(received.headerLines.contains("Content-Length: 5"))
        #expect(received.headerLines.contains("Connection: close"))
        #expect(received.headerLines.contains("User-Agent: webclient-tests/1"))
        #expect(received.headerLines.contains("Content-Type: application/jose+json"))
        #expect(received.body == Array("12345".utf8))
    }

    @Test func httpsToIPLiteralVerifiesTheIPAddressSAN() throws {
        let server = try TestHTTPServer(certificate: pki.localhost, response: "HTTP/1.1 204 No Content\r\n\r\n")
        defer { server.stop() }
        let response = try client().send(try ClientRequest(url: "https://127.0.0.1:\(server.address.port)/"))
        #expect(response.status == .noContent)
        #expect(response.body.isEmpty)
    }

    @Test func httpsToIPv6LiteralInBrackets() throws {
        let server = try TestHTTPServer(
            host: "::1",
            certificate: pki.localhost,
            response: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nv6"
        )
        defer { server.stop() }
        let response = try client().send(try ClientRequest(url: "https://[::1]:\(server.address.port)/"))
        #expect(response.bodyText == "v6")
        #expect(server.requests.first?.headerLines.contains("Host: [::1]:\(server.address.port)") == true)
    }

    @Test func untrustedCAIsRejected() throws {
        let server = try TestHTTPServer(
            certificate: pki.localhost,
            response: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        )
        defer { server.stop() }
        let error = try sendExpectingError(
            try client(trusting: pki.untrustedCAPath),
            "https://localhost:\(server.address.port)/"
        )
        #expect(error.code == .tlsFailed)
        #expect(error.verificationFailure == "unable to get local issuer certificate")
        #expect(error.description.contains("certificate verification failed"))
        #expect(server.requests.isEmpty)
    }

    @Test func hostnameMismatchIsRejected() throws {
        let server = try TestHTTPServer(
            certificate: pki.elsewhere,
            response: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        )
        defer { server.stop() }
        let error = try sendExpectingError(try client(), "https://localhost:\(server.address.port)/")
        #expect(error.code == .tlsFailed)
        #expect(error.verificationFailure == "hostname mismatch")
        #expect(server.requests.isEmpty)
    }

    @Test func ipAddressMismatchIsRejected() throws {
        // The leaf names elsewhere.test only: an IP literal URL must not be accepted on a DNS SAN.
        let server = try TestHTTPServer(
            certificate: pki.elsewhere,
            response: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        )
        defer { server.stop() }
        let error = try sendExpectingError(try client(), "https://127.0.0.1:\(server.address.port)/")
        #expect(error.code == .tlsFailed)
        #expect(error.verificationFailure == "IP address mismatch")
    }

    @Test func injectedResolverIsUsedAndNameIsVerified() throws {
        let server = try TestHTTPServer(
            certificate: pki.elsewhere,
            response: "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes"
        )
        defer { server.stop() }
        let loopback = try SocketAddress(ipAddress: "127.0.0.1", port: 0)
        let resolver = HostResolver { name in name == "elsewhere.test" ? [loopback] : [] }
        let client = try client(resolver: resolver)
        let response = try client.send(try ClientRequest(url: "https://elsewhere.test:\(server.address.port)/"))
        #expect(response.bodyText == "yes")
        #expect(server.requests.first?.headerLines.contains("Host: elsewhere.test:\(server.address.port)") == true)

        let error = try sendExpectingError(client, "https://unknown.test:\(server.address.port)/")
        #expect(error.code == .resolutionFailed)
    }

    // MARK: - Framing

    @Test func chunkedResponseIsDecoded() throws {
        let server = try TestHTTPServer(
            certificate: pki.localhost,
            response:
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"
        )
        defer { server.stop() }
        let response = try client().send(try ClientRequest(url: "https://localhost:\(server.address.port)/"))
        #expect(response.status == .ok)
        #expect(response.bodyText == "hello, world")
    }

    @Test func plainHTTPBodyDelimitedByClose() throws {
        let server = try TestHTTPServer(response: "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
        defer { server.stop() }
        let response = try client().send(try ClientRequest(url: "http://127.0.0.1:\(server.address.port)/x"))
        #expect(response.bodyText == "until the end")
        #expect(server.requests.first?.head.hasPrefix("GET /x HTTP/1.1\r\n") == true)
        #expect(server.requests.first?.headerLines.contains { $0.hasPrefix("Content-Length") } == false)
    }

    @Test func largeContentLengthBodyArrivesWhole() throws {
        let body = String(repeating: "0123456789abcdef", count: 40_000)
        let server = try TestHTTPServer(
            certificate: pki.localhost,
            response: "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        )
        defer { server.stop() }
        let response = try client().send(try ClientRequest(url: "https://localhost:\(server.address.port)/big"))
        #expect(response.body.count == 640_000)
        #expect(response.bodyText == body)
    }

    @Test func redirectIsReturnedNotFollowed() throws {
        let server = try TestHTTPServer(
            response: "HTTP/1.1 301 Moved Permanently\r\nLocation: http://elsewhere.test/\r\nContent-Length: 0\r\n\r\n"
        )
        defer { server.stop() }
        let response = try client().send(try ClientRequest(url: "http://127.0.0.1:\(server.address.port)/"))
        #expect(response.status == .movedPermanently)
        #expect(response.headers[.location] == "http://elsewhere.test/")
        #expect(server.requests.count == 1)
    }

    @Test func headResponseHasNoBody() throws {
        let server = try TestHTTPServer(
            response: "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nReplay-Nonce: abc\r\n\r\n"
        )
        defer { server.stop() }
        let response = try client().send(
            try ClientRequest(method: .head, url: "http://127.0.0.1:\(server.address.port)/nonce")
        )
        #expect(response.status == .ok)
        #expect(response.body.isEmpty)
        let replayNonce = try #require(HTTPField.Name("Replay-Nonce"))
        #expect(response.headers[replayNonce] == "abc")
    }

    // MARK: - Limits and failures

    @Test func bodyOverTheLimitIsRejected() throws {
        let body = String(repeating: "x", count: 2_000)
        let declared = try TestHTTPServer(response: "HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n\(body)")
        defer { declared.stop() }
        let small = try client(maximumBodyBytes: 1_000)
        let error = try sendExpectingError(small, "http://127.0.0.1:\(declared.address.port)/")
        #expect(error.code == .bodyTooLarge)

        let chunked = try TestHTTPServer(
            certificate: pki.localhost,
            response:
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n\(body.prefix(1000))\r\n3e8\r\n\(body.prefix(1000))\r\n0\r\n\r\n"
        )
        defer { chunked.stop() }
        #expect(try sendExpectingError(small, "https://localhost:\(chunked.address.port)/").code == .bodyTooLarge)

        let untilClose = try TestHTTPServer(response: "HTTP/1.1 200 OK\r\n\r\n\(body)")
        defer { untilClose.stop() }
        #expect(try sendExpectingError(small, "http://127.0.0.1:\(untilClose.address.port)/").code == .bodyTooLarge)
    }

    @Test func truncatedResponseIsMalformed() throws {
        let server = try TestHTTPServer(response: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
        defer { server.stop() }
        let error = try sendExpectingError(try client(), "http://127.0.0.1:\(server.address.port)/")
        #expect(error.code == .malformedResponse)
    }

    @Test func silentServerTimesOut() throws {
        // Listening but never accepting: the kernel completes the TCP handshake, nobody ever answers.
        let listener = try ServerSocket(bindingTo: try SocketAddress(parsing: "127.0.0.1:0"))
        defer { try? listener.close() }
        let client = try client(requestTimeout: .milliseconds(400))
        let start = Deadline.now()
        let plain = try sendExpectingError(client, "http://127.0.0.1:\(listener.localAddress.port)/")
        #expect(plain.code == .timeout)
        let tls = try sendExpectingError(client, "https://localhost:\(listener.localAddress.port)/")
        #expect(tls.code == .timeout)
        #expect(tls.description.contains("TLS handshake"))
        let elapsed = Deadline.now() - start
        #expect(elapsed >= .milliseconds(800))
        #expect(elapsed < .seconds(4))
    }

    @Test func connectionRefusedIsConnectFailed() throws {
        let port = try FreePort.allocate(udp: false, tcp: true)
        let error = try sendExpectingError(try client(), "http://127.0.0.1:\(port)/")
        #expect(error.code == .connectFailed)
        #expect(error.description.contains("Connection refused"))
    }

    @Test func headerInjectionIsRefusedBeforeConnecting() throws {
        var request = try ClientRequest(url: "http://127.0.0.1:9/")
        request.headers[.accept] = "text/plain\r\nX-Evil: 1"
        #expect(throws: HTTPClientError(.invalidRequest, "")) { try client().send(request) }
    }

    @Test func missingTrustRootFileFailsAtCreation() throws {
        #expect(throws: HTTPClientError(.tlsFailed, "")) {
            try HTTPClient(configuration: HTTPClientConfiguration(trustRoots: .file("/nonexistent/ca.pem")))
        }
    }
}
