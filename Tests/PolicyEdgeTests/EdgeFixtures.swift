import Crypto
import Database
import Foundation
import Logging
import PolicyEdge
import SnapshotSync
import Synchronization
import SystemIO
import TLS
import TestSupport

/// The shared SQL fixtures (TestSupport), named for these tests.
typealias EdgeFixtures = ServedDomainFixtures

extension ServedDomainFixtures {
    /// Fixtures with a throwaway CA in a fresh temporary directory.
    convenience init(url: String) throws {
        try self.init(url: url, directory: try TemporaryDirectory(prefix: "edge-fixtures"))
    }
}

/// An edge with its own loops on free loopback ports. Its members are Sendable and immutable.
final class RunningEdge: Sendable {
    let group: EventLoopGroup
    let service: EdgeService

    init(
        url: String,
        keyring: Keyring,
        snapshotFile: String? = nil,
        reconcile: Duration = .seconds(60),
        maxConnectionsPerAddress: Int? = 256,
        logger: Logger = .init(label: "edge-test", level: .error)
    ) throws {
        group = try EventLoopGroup(numberOfLoops: 2)
        let loopback = try SocketAddress(parsing: "127.0.0.1:0")
        service = try EdgeService(
            configuration: .init(
                httpsAddress: loopback,
                httpAddress: loopback,
                adminAddress: loopback,
                snapshotFile: snapshotFile,
                accessLog: false,
                follower: .init(reconcileInterval: reconcile, persistInterval: .zero),
                maxConnectionsPerAddress: maxConnectionsPerAddress
            ),
            source: try StoreSnapshotSource(connectionString: url),
            keyring: keyring,
            group: group,
            logger: logger
        )
        try service.start()
    }

    func stop() {
        service.stop(gracePeriod: .seconds(1))
        try? group.shutdownGracefully()
    }

    /// GET (or another method) over HTTPS with SNI; returns status line + headers + body as text.
    func fetch(
        host: String,
        path: String = "/.well-known/mta-sts.txt",
        method: String = "GET",
        hostHeader: String? = nil,
        client: TLSContext
    ) throws -> String {
        guard let address = service.httpsAddress else { throw TestSupportError("edge not listening") }
        let socket = try Socket.connect(to: address, timeout: .seconds(5))
        defer { try? socket.close() }
        let tls = try TLSConnection(context: client, fd: socket.fileDescriptor, serverName: host)
        if case .failed(let error) = tls.handshake() { throw error }
        let request = Array(
            "\(method) \(path) HTTP/1.1\r\nHost: \(hostHeader ?? host)\r\nConnection: close\r\n\r\n".utf8
        )
        _ = request.withUnsafeBytes { tls.write($0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while case .complete(let count) = buffer.withUnsafeMutableBytes({ tls.read(into: $0) }), count > 0 {
            received.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// GET over plain HTTP.
    func fetchPlain(address: SocketAddress?, host: String, path: String) throws -> String {
        guard let address else { throw TestSupportError("no address") }
        let socket = try Socket.connect(to: address, timeout: .seconds(5))
        defer { try? socket.close() }
        try socket.writeAll(Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8))
        var received: [UInt8] = []
        while case .processed(let bytes)? = try? socket.read(maximumCount: 16_384), !bytes.isEmpty {
            received.append(contentsOf: bytes)
        }
        return String(decoding: received, as: UTF8.self)
    }
}

/// Log lines collected from any thread.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    /// Every line so far.
    var all: [String] { lines.withLock { $0 } }

    /// A sink appending here.
    var sink: LogSink { LogSink { line in self.lines.withLock { $0.append(line) } } }
}
