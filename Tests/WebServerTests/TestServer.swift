import Crypto
import Foundation
import Glibc
import HTTPCore
import SystemIO
import TLS
import TestSupport
import WebServer

/// Echoes the request line and the SNI, or answers by path: `/big` is large, `/client` names the TCP peer and the
/// client.
struct EchoResponder: HTTPResponder {
    func respond(to request: HTTPRequest) -> HTTPResponse {
        var fields = HTTPFields()
        fields.set(.contentType, "text/plain")
        if request.head.path == "/big" {
            return HTTPResponse(status: .ok, fields: fields, body: [UInt8](repeating: 65, count: 3_000_000))
        }
        if request.head.path == "/client" {
            let text = "remote=\(request.remoteAddress) client=\(request.clientAddress);"
            return HTTPResponse(status: .ok, fields: fields, body: Array(text.utf8))
        }
        let text =
            "\(request.head.method.rawValue) \(request.head.path) body=\(request.body.count) sni=\(request.serverName ?? "-")"
        return HTTPResponse(status: .ok, fields: fields, body: Array(text.utf8))
    }
}

/// A server on a fresh loop group, torn down by `stop()`.
final class RunningServer {
    let group: EventLoopGroup
    let server: HTTPServer
    let pool: BlockingPool?

    init(configuration: HTTPServerConfiguration, loops: Int = 2, pooled: Bool = false) throws {
        group = try EventLoopGroup(numberOfLoops: loops)
        pool = pooled ? BlockingPool(numberOfThreads: 2) : nil
        server = HTTPServer(
            configuration: configuration,
            group: group,
            responder: EchoResponder(),
            execution: pool.map { .pool($0) } ?? .inline
        )
        try server.start()
    }

    var address: SocketAddress {
        get throws {
            guard let address = server.localAddress else { throw TestError("server not started") }
            return address
        }
    }

    func stop() {
        server.shutdown(gracePeriod: .seconds(2))
        try? group.shutdownGracefully()
        pool?.shutdown()
    }
}

struct TestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A blocking client for tests: raw bytes in, raw bytes out, with a read deadline.
struct RawClient {
    let socket: Socket
    let tls: TLSConnection?

    /// Connects to `address`, from the local address `source` when given (`127.0.0.2` is another loopback client).
    static func connect(
        _ address: SocketAddress,
        from source: String? = nil,
        tls context: TLSContext? = nil,
        serverName: String? = nil
    ) throws -> RawClient {
        let local = try source.map { try SocketAddress(ipAddress: $0, port: 0) }
        let socket = try Socket.connect(to: address, from: local, timeout: .seconds(5))
        guard let context else { return RawClient(socket: socket, tls: nil) }
        let tls = try TLSConnection(context: context, fd: socket.fileDescriptor, serverName: serverName)
        switch tls.handshake() {
        case .complete: return RawClient(socket: socket, tls: tls)
        case .failed(let error): throw error
        case .incomplete: throw TestError("handshake incomplete on a blocking socket")
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        if let tls {
            var offset = 0
            while offset < bytes.count {
                guard case .complete(let count) = bytes[offset...].withUnsafeBytes({ tls.write($0) }) else {
                    throw TestError("TLS write failed")
                }
                offset += count
            }
        } else {
            try socket.writeAll(bytes)
        }
    }

    /// Reads until `complete` says the bytes so far are a full answer, the peer closes, or the socket times out.
    func receive(until complete: (String) -> Bool = { _ in false }) -> (text: String, closed: Bool) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count: Int
            if let tls {
                switch buffer.withUnsafeMutableBytes({ tls.read(into: $0) }) {
                case .complete(let read): count = read
                case .incomplete: return (String(decoding: received, as: UTF8.self), false)
                case .failed: count = 0
                }
            } else {
                switch try? buffer.withUnsafeMutableBytes({ try socket.read(into: $0) }) {
                case .processed(let read)?: count = read
                case .wouldBlock?: return (String(decoding: received, as: UTF8.self), false)
                case nil: count = 0
                }
            }
            if count == 0 { return (String(decoding: received, as: UTF8.self), true) }
            received.append(contentsOf: buffer[0..<count])
            if complete(String(decoding: received, as: UTF8.self)) {
                return (String(decoding: received, as: UTF8.self), false)
            }
        }
    }
}

/// Counts complete responses in `text` (by their status lines).
func responseCount(_ text: String) -> Int {
    text.components(separatedBy: "HTTP/1.1 ").count - 1
}

/// A throwaway CA and leaves for TLS tests.
struct TestCertificates {
    let authority: CertificateBuilder.Issued
    /// Holds ``caFile``.
    let directory: TemporaryDirectory
    let caFile: String

    init() throws {
        authority = try CertificateBuilder.makeAuthority(
            commonName: "WebServer Test CA",
            now: Int64(Date().timeIntervalSince1970)
        )
        directory = try TemporaryDirectory(prefix: "webserver-ca")
        caFile = try directory.write(authority.certificate.pemRepresentation, to: "ca.pem")
    }

    func context(for host: String) throws -> TLSContext {
        let leaf = try CertificateBuilder.makeLeaf(
            dnsNames: [host],
            issuer: authority,
            now: Int64(Date().timeIntervalSince1970)
        )
        let pair = try CertificateKeyPair(
            chainPEM: leaf.certificate.pemRepresentation + authority.certificate.pemRepresentation,
            privateKeyPEM: try leaf.key.pemRepresentation
        )
        return try TLSContext.makeServer(certificate: pair, configuration: .server)
    }

    func clientContext() throws -> TLSContext {
        try TLSContext.makeClient(configuration: .client(trustRoots: .file(caFile)))
    }
}
