import Glibc
import HTTPCore
package import Logging
import SystemIO
import TLS

/// A small blocking HTTP/1.1 client for outbound requests from worker threads: the ACME CA, policy checks,
/// plain HTTP in tests.
///
/// One request per connection (`Connection: close`), everything bounded by the request timeout and the
/// body limit, certificates verified against the configured roots and the URL's host. Redirects are not
/// followed: a 3xx comes back as the response. Safe to share between threads; each ``send(_:)`` uses its own
/// socket. Never call it on an event loop thread.
///
/// ```swift
/// let client = try HTTPClient(configuration: HTTPClientConfiguration(trustRoots: .file(caPath)))
/// let response = try client.send(try ClientRequest(url: "https://127.0.0.1:14000/dir"))
/// if response.status == .ok { parse(response.body) }
/// ```
package final class HTTPClient: Sendable {
    /// The settings this client was created with.
    package let configuration: HTTPClientConfiguration
    private let tlsContext: TLSContext
    private let logger: Logger

    /// Creates a client; loads the trust roots once.
    ///
    /// Also sets `SIGPIPE` to ignored for the process: OpenSSL writes to the socket with `write(2)`, and a
    /// server that resets the connection would otherwise kill the process.
    /// - Throws: ``HTTPClientError/Code/tlsFailed`` when the trust roots cannot be loaded.
    package init(
        configuration: HTTPClientConfiguration = HTTPClientConfiguration(),
        logger: Logger = Logger(label: "http-client", level: .warning)
    ) throws {
        Signals.ignoreSIGPIPE()
        self.configuration = configuration
        self.logger = logger
        do {
            self.tlsContext = try TLSContext.makeClient(configuration: .client(trustRoots: configuration.trustRoots))
        } catch {
            throw HTTPClientError(.tlsFailed, "cannot load the TLS trust roots", underlying: error)
        }
    }

    /// Sends `request` on a new connection and reads the whole response.
    /// - Returns: The final response (interim 1xx responses are skipped), whatever its status.
    /// - Throws: ``HTTPClientError``.
    package func send(_ request: ClientRequest) throws -> ClientResponse {
        let start = Deadline.now()
        let deadline = start + configuration.requestTimeout
        do {
            let bytes = try request.serialized(userAgent: configuration.userAgent)
            let connection = try connect(to: request.url, deadline: deadline)
            defer { connection.close() }
            try connection.write(bytes, deadline: deadline)
            var response = try readResponse(from: connection, method: request.method, deadline: deadline)
            response.tls = connection.tlsDetails
            logger.debug(
                "request finished",
                [
                    "method": request.method.rawValue, "origin": request.url.origin,
                    "status": String(response.status.code), "bytes": String(response.body.count),
                    "milliseconds": String(Int((Deadline.now() - start) / .milliseconds(1))),
                ]
            )
            return response
        } catch let error as HTTPClientError {
            logger.debug(
                "request failed",
                ["method": request.method.rawValue, "origin": request.url.origin, "error": error.description]
            )
            throw error
        }
    }

    // MARK: - Connecting

    /// Resolves the host and connects to each address in turn, then runs the TLS handshake for `https`.
    private func connect(to url: ClientURL, deadline: Deadline) throws -> any ClientConnection {
        let addresses = try addresses(for: url)
        var lastError = HTTPClientError(.connectFailed, "no address to connect to for \(url.origin)")
        for address in addresses {
            let remaining = deadline - Deadline.now()
            guard remaining > .zero else {
                throw HTTPClientError(.timeout, "request timed out connecting to \(url.origin)")
            }
            let socket: Socket
            do {
                socket = try Socket.connect(to: address, timeout: min(configuration.connectTimeout, remaining))
                try socket.setNonBlocking(true)
            } catch let error as SystemError {
                lastError =
                    error.errno == ETIMEDOUT
                    ? HTTPClientError(.timeout, "connect to \(address) timed out", underlying: error)
                    : HTTPClientError(
                        .connectFailed,
                        "connect to \(address) failed: \(error.message)",
                        underlying: error
                    )
                continue
            }
            try? socket.setNoDelay(true)
            switch url.scheme {
            case .http:
                return PlainConnection(socket: socket)
            case .https:
                do {
                    return try TLSClientConnection.establish(
                        over: socket,
                        context: tlsContext,
                        url: url,
                        deadline: deadline
                    )
                } catch {
                    try? socket.close()
                    throw error
                }
            }
        }
        throw lastError
    }

    /// The addresses to connect to, each one checked against ``HTTPClientConfiguration/publicAddressesOnly``.
    private func addresses(for url: ClientURL) throws -> [SocketAddress] {
        let addresses: [SocketAddress]
        if url.isIPLiteral {
            do {
                addresses = [try SocketAddress(ipAddress: url.host, port: url.port)]
            } catch {
                throw HTTPClientError(.invalidURL, "URL host is not a valid IP literal", underlying: error)
            }
        } else {
            addresses = configuration.resolver.addresses(for: url.host).map { $0.withPort(url.port) }
            guard !addresses.isEmpty else {
                throw HTTPClientError(.resolutionFailed, "\(url.host) did not resolve to any address")
            }
        }
        if configuration.publicAddressesOnly {
            for address in addresses {
                guard let block = address.specialPurposeBlock else { continue }
                let subject =
                    url.isIPLiteral ? address.ipAddress : "\(url.host) resolves to \(address.ipAddress), which"
                throw HTTPClientError(
                    .destinationRefused,
                    "\(subject) is \(block.phrase); only public addresses may be reached"
                )
            }
        }
        return addresses
    }

    // MARK: - Reading

    private func readResponse(
        from connection: any ClientConnection,
        method: HTTPMethod,
        deadline: Deadline
    ) throws -> ClientResponse {
        var parser = HTTPResponseParser(limits: configuration.responseLimits, requestMethod: method)
        var buffer = ByteBuffer(capacity: 16 * 1024)
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var response = ClientResponse(status: .ok)
        while true {
            do {
                while let event = try parser.next(from: &buffer) {
                    switch event {
                    case .head(let head):
                        response.status = head.status
                        response.headers = head.fields
                    case .body(let bytes):
                        response.body.append(contentsOf: bytes)
                    case .end:
                        return response
                    }
                }
            } catch {
                throw HTTPClientError(parsing: error, maximumBodyBytes: configuration.maximumBodyBytes)
            }
            buffer.discardReadBytes()
            let count = try chunk.withUnsafeMutableBytes { try connection.read(into: $0, deadline: deadline) }
            if count == 0 {
                do {
                    // Returns .end for a body delimited by the close, throws for a truncated response.
                    _ = try parser.endOfStream()
                } catch {
                    throw HTTPClientError(parsing: error, maximumBodyBytes: configuration.maximumBodyBytes)
                }
                return response
            }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
