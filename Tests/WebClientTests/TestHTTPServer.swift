import Foundation
import Synchronization
import SystemIO
import TLS

/// A loopback HTTP or HTTPS server on its own thread, answering each connection with bytes chosen by the test.
///
/// Connections are served one at a time: read the request head (and a Content-Length body), write the
/// canned response, close. Requests are recorded for assertions.
final class TestHTTPServer: Sendable {
    /// One received request.
    struct Received: Sendable {
        /// The request line and header lines, CRLF-separated, without the final empty line.
        var head: String
        /// The body (Content-Length bytes).
        var body: [UInt8]

        /// The header lines after the request line.
        var headerLines: [String] {
            Array(head.components(separatedBy: "\r\n").dropFirst())
        }
    }

    let address: SocketAddress
    private let listener: ServerSocket
    private let context: TLSContext?
    private let respond: @Sendable (Received) -> [UInt8]
    private let isStopped = Atomic(false)
    private let finished = Atomic(false)
    private let received = Mutex<[Received]>([])

    /// Binds `host`:0 and starts serving; `certificate` makes it HTTPS.
    init(
        host: String = "127.0.0.1",
        certificate: CertificateKeyPair? = nil,
        respond: @escaping @Sendable (Received) -> [UInt8]
    ) throws {
        listener = try ServerSocket(bindingTo: try SocketAddress(ipAddress: host, port: 0))
        address = listener.localAddress
        context = try certificate.map { try TLSContext.makeServer(certificate: $0) }
        self.respond = respond
        Thread.detachNewThread { [self] in
            serve()
        }
    }

    /// A fixed response.
    convenience init(host: String = "127.0.0.1", certificate: CertificateKeyPair? = nil, response: String) throws {
        let bytes = Array(response.utf8)
        try self.init(host: host, certificate: certificate) { _ in bytes }
    }

    /// Everything received so far.
    var requests: [Received] {
        received.withLock { $0 }
    }

    /// Stops accepting and closes the listener once the serving thread has noticed.
    func stop() {
        isStopped.store(true, ordering: .releasing)
        for _ in 0..<200 where !finished.load(ordering: .acquiring) {
            usleep(5_000)
        }
    }

    deinit {
        stop()
        try? listener.close()
    }

    private func serve() {
        defer { finished.store(true, ordering: .releasing) }
        let listening = Socket(descriptor: listener.descriptor)
        while !isStopped.load(ordering: .acquiring) {
            guard (try? listening.waitUntilReady(for: .readable, timeout: .milliseconds(20))) == true,
                case .processed(let socket)? = try? listener.accept()
            else { continue }
            handle(socket)
            try? socket.close()
        }
    }

    private func handle(_ socket: Socket) {
        let deadline = Deadline.after(.seconds(5))
        let stream: any TestStream
        if let context {
            guard let tls = try? TLSConnection(context: context, fd: socket.fileDescriptor),
                let secured = TLSTestStream(socket: socket, tls: tls, deadline: deadline)
            else { return }
            stream = secured
        } else {
            stream = PlainTestStream(socket: socket, deadline: deadline)
        }
        guard let request = readRequest(from: stream) else { return }
        received.withLock { $0.append(request) }
        stream.write(respond(request))
        stream.finish()
    }

    private func readRequest(from stream: any TestStream) -> Received? {
        var bytes: [UInt8] = []
        let separator = Array("\r\n\r\n".utf8)
        while true {
            if let end = bytes.firstRange(of: separator) {
                let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
                var body = Array(bytes[end.upperBound...])
                let length =
                    Received(head: head, body: []).headerLines
                    .first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                while body.count < length {
                    guard let more = stream.read(), !more.isEmpty else { return nil }
                    body += more
                }
                return Received(head: head, body: body)
            }
            guard let more = stream.read(), !more.isEmpty else { return nil }
            bytes += more
        }
    }
}

/// The server's view of one connection.
protocol TestStream {
    /// Some bytes; empty at end of stream, nil on error or timeout.
    func read() -> [UInt8]?
    /// Writes everything (best effort).
    func write(_ bytes: [UInt8])
    /// Ends the connection politely.
    func finish()
}

/// A plain TCP connection with poll-based waits.
struct PlainTestStream: TestStream {
    let socket: Socket
    let deadline: Deadline

    func read() -> [UInt8]? {
        while true {
            switch try? socket.read(maximumCount: 16_384) {
            case .processed(let bytes)?: return bytes
            case .wouldBlock?: guard wait(.readable) else { return nil }
            case nil: return nil
            }
        }
    }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            switch try? socket.write(Array(bytes[offset...])) {
            case .processed(let count)?: offset += count
            case .wouldBlock?: guard wait(.writable) else { return }
            case nil: return
            }
        }
    }

    func finish() {
        try? socket.shutdownWrite()
    }

    private func wait(_ events: EventSet) -> Bool {
        (try? socket.waitUntilReady(for: events, timeout: deadline - Deadline.now())) == true
    }
}

/// A TLS connection (server side) with poll-based waits.
struct TLSTestStream: TestStream {
    let socket: Socket
    let tls: TLSConnection
    let deadline: Deadline

    /// Runs the handshake; nil when it fails (e.g. the client rejected the certificate).
    init?(socket: Socket, tls: TLSConnection, deadline: Deadline) {
        self.socket = socket
        self.tls = tls
        self.deadline = deadline
        while true {
            switch tls.handshake() {
            case .complete: return
            case .incomplete(let want): guard wait(want) else { return nil }
            case .failed: return nil
            }
        }
    }

    func read() -> [UInt8]? {
        while true {
            switch tls.read(maximumCount: 16_384) {
            case .complete(let bytes): return bytes
            case .incomplete(let want): guard wait(want) else { return nil }
            case .failed: return nil
            }
        }
    }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            switch tls.write(Array(bytes[offset...])) {
            case .complete(let count): offset += count
            case .incomplete(let want): guard wait(want) else { return }
            case .failed: return
            }
        }
    }

    func finish() {
        _ = tls.shutdown()
    }

    private func wait(_ want: TLSWant) -> Bool {
        let events: EventSet = want == .read ? .readable : .writable
        return (try? socket.waitUntilReady(for: events, timeout: deadline - Deadline.now())) == true
    }
}
