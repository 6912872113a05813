import Crypto
import Foundation
import Glibc
import Logging
import SystemIO
import TLS
import TestSupport

@testable import SMTPServer

/// A receiver that accepts the recipients of one domain and records what it is given; its deliveries can be held
/// at a gate until the test opens it.
///
/// `@unchecked Sendable`: every stored variable is guarded by `condition`'s lock.
final class TestReceiver: SMTPMessageReceiver, @unchecked Sendable {
    private let condition = NSCondition()
    private var delivered: [SMTPReceivedMessage] = []
    private var isGateOpen: Bool
    private var waiting = 0
    /// The domain whose recipients are accepted.
    let domain: String

    init(domain: String = "mx.test", holdsDeliveries: Bool = false) {
        self.domain = domain
        isGateOpen = !holdsDeliveries
    }

    func verdict(forRecipient recipient: SMTPPath, session: SMTPSessionInfo) -> SMTPRecipientVerdict {
        recipient.normalizedDomain == domain ? .accept : .refuse(.unknownRecipient)
    }

    func deliver(_ message: SMTPReceivedMessage) -> SMTPDeliveryVerdict {
        condition.lock()
        defer { condition.unlock() }
        waiting += 1
        while !isGateOpen { condition.wait() }
        waiting -= 1
        delivered.append(message)
        return .accepted(id: "T\(delivered.count)")
    }

    /// Lets held deliveries finish.
    func openGate() {
        locked { isGateOpen = true }
        condition.broadcast()
    }

    /// The messages delivered so far.
    var messages: [SMTPReceivedMessage] { locked { delivered } }
    /// Deliveries waiting at the gate.
    var waitingDeliveries: Int { locked { waiting } }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}

/// A listener on 127.0.0.1 port 0 with its own loops and delivery pool, torn down by `stop()`.
final class RunningListener {
    let group: EventLoopGroup
    let pool: BlockingPool
    let listener: SMTPListener
    let receiver: TestReceiver

    init(
        session: SMTPSessionConfiguration = SMTPSessionConfiguration(hostname: "mx.test"),
        tls: TLSContext? = nil,
        receiver: TestReceiver = TestReceiver(),
        maxConnectionsPerAddress: Int? = 10,
        poolQueue: Int = 16
    ) throws {
        group = try EventLoopGroup(numberOfLoops: 2)
        pool = BlockingPool(numberOfThreads: 2, name: "smtp-test-delivery", maximumQueued: poolQueue)
        self.receiver = receiver
        listener = SMTPListener(
            configuration: SMTPListenerConfiguration(
                address: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
                session: session,
                tls: tls,
                handshakeTimeout: .seconds(5),
                maxConnectionsPerAddress: maxConnectionsPerAddress
            ),
            group: group,
            receiver: receiver,
            deliveryPool: pool,
            logger: Logger(label: "smtp-test", level: .warning)
        )
        try listener.start()
    }

    var address: SocketAddress {
        get throws {
            guard let address = listener.localAddress else { throw TestSupportError("listener not started") }
            return address
        }
    }

    var port: UInt16 {
        get throws { try address.port }
    }

    func stop() {
        receiver.openGate()
        listener.shutdown(gracePeriod: .seconds(2))
        try? group.shutdownGracefully()
        pool.shutdown()
    }
}

/// One reply as a client reads it.
struct ReadReply: CustomStringConvertible {
    let code: Int
    let lines: [String]

    /// The first line: `250 2.1.0 Sender OK`.
    var description: String { lines.first ?? "" }
}

/// A blocking SMTP client for tests: raw lines out, replies in, reads bounded by a deadline.
final class SMTPTestClient {
    let socket: Socket
    private var tls: TLSConnection?
    private var received: [UInt8] = []

    private init(socket: Socket) {
        self.socket = socket
    }

    /// Connects to `address`, from the local address `source` when given (`127.0.0.2` is another client).
    static func connect(_ address: SocketAddress, from source: String? = nil) throws -> SMTPTestClient {
        let local = try source.map { try SocketAddress(ipAddress: $0, port: 0) }
        let socket = try Socket.connect(to: address, from: local, timeout: .seconds(5))
        try socket.setNonBlocking(true)
        return SMTPTestClient(socket: socket)
    }

    /// Sends `text` as it is.
    func send(_ text: String, until deadline: Deadline = .after(.seconds(10))) throws {
        try send(Array(text.utf8), until: deadline)
    }

    /// Sends `bytes` as they are.
    func send(_ bytes: [UInt8], until deadline: Deadline = .after(.seconds(10))) throws {
        guard let tls else { return try socket.writeAll(bytes, until: deadline) }
        var offset = 0
        while offset < bytes.count {
            switch bytes[offset...].withUnsafeBytes({ tls.write($0) }) {
            case .complete(let count): offset += count
            case .incomplete(let want): try wait(for: want == .read ? .readable : .writable, until: deadline)
            case .failed(let error): throw error
            }
        }
    }

    /// Reads the next complete reply.
    /// - Throws: when the server closes first or the deadline passes.
    func readReply(until deadline: Deadline = .after(.seconds(10))) throws -> ReadReply {
        var lines: [String] = []
        while true {
            let line = try readLine(until: deadline)
            lines.append(line)
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(line.prefix(3))) else {
                throw TestSupportError("not a reply line: \(line)")
            }
            if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return ReadReply(code: code, lines: lines) }
        }
    }

    /// Reads `count` replies.
    func readReplies(_ count: Int, until deadline: Deadline = .after(.seconds(10))) throws -> [ReadReply] {
        try (0..<count).map { _ in try readReply(until: deadline) }
    }

    /// Whether the server closed the connection (end of stream or reset) before the deadline, having sent nothing
    /// more.
    func isClosedByServer(until deadline: Deadline = .after(.seconds(10))) throws -> Bool {
        while true {
            switch try readSome() {
            case .processed(let bytes) where bytes.isEmpty: return true
            case .processed(let bytes): received += bytes
            case .wouldBlock: try waitForInput(until: deadline)
            }
            if !received.isEmpty { return false }
        }
    }

    /// Runs the client side of a TLS handshake on the connection.
    func startTLS(context: TLSContext, serverName: String, until deadline: Deadline = .after(.seconds(10))) throws {
        let connection = try TLSConnection(context: context, fd: socket.fileDescriptor, serverName: serverName)
        while true {
            switch connection.handshake() {
            case .complete:
                tls = connection
                return
            case .incomplete(let want): try wait(for: want == .read ? .readable : .writable, until: deadline)
            case .failed(let error): throw error
            }
        }
    }

    func close() {
        try? socket.close()
    }

    // MARK: - Reading

    private func readLine(until deadline: Deadline) throws -> String {
        while true {
            if let lineFeed = received.firstIndex(of: 0x0A) {
                var line = Array(received[..<lineFeed])
                received.removeSubrange(...lineFeed)
                if line.last == 0x0D { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            switch try readSome() {
            case .processed(let bytes) where bytes.isEmpty: throw TestSupportError("server closed the connection")
            case .processed(let bytes): received += bytes
            case .wouldBlock: try waitForInput(until: deadline)
            }
        }
    }

    private func readSome() throws -> IOResult<[UInt8]> {
        guard let tls else {
            do {
                return try socket.read(maximumCount: 65_536)
            } catch let error as SystemError where error.errno == ECONNRESET {
                return .processed([])
            }
        }
        switch tls.read(maximumCount: 65_536) {
        case .complete(let bytes): return .processed(bytes)
        case .incomplete: return .wouldBlock
        case .failed(let error) where error == .unexpectedEOF: return .processed([])
        case .failed(let error): throw error
        }
    }

    private func waitForInput(until deadline: Deadline) throws {
        try wait(for: .readable, until: deadline)
    }

    private func wait(for events: EventSet, until deadline: Deadline) throws {
        guard try socket.waitUntilReady(for: events, until: deadline) else {
            throw TestSupportError("timed out waiting for the server")
        }
    }
}

/// A throwaway CA and a certificate for `mx.test` and 127.0.0.1, as PEM files and as contexts.
struct TestCertificates {
    let directory: TemporaryDirectory
    let caFile: String
    let serverContext: TLSContext
    let clientContext: TLSContext

    init(directory: TemporaryDirectory) throws {
        self.directory = directory
        let now = Int64(Date().timeIntervalSince1970)
        let authority = try CertificateBuilder.makeAuthority(commonName: "SMTPServer Test CA", now: now)
        caFile = try directory.write(authority.certificate.pemRepresentation, to: "ca.pem")
        let leaf = try CertificateBuilder.makeLeaf(
            dnsNames: ["mx.test"],
            ipAddresses: ["127.0.0.1"],
            issuer: authority,
            now: now
        )
        let pair = try CertificateKeyPair(
            chainPEM: leaf.certificate.pemRepresentation + authority.certificate.pemRepresentation,
            privateKeyPEM: try leaf.key.pemRepresentation
        )
        var configuration = TLSConfiguration.server
        configuration.alpnProtocols = []
        serverContext = try TLSContext.makeServer(certificate: pair, configuration: configuration)
        var client = TLSConfiguration.client(trustRoots: .file(caFile))
        client.alpnProtocols = []
        clientContext = try TLSContext.makeClient(configuration: client)
    }
}

/// Runs `Scripts`-free Python with the standard library's smtplib from the repository's virtualenv.
enum PythonSMTPClient {
    /// The virtualenv's interpreter, or a failure naming the command that creates it.
    static func python() throws -> String {
        let python = SMTPFixtureServer.packageRoot + "/.venv/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSupportError("\(python) is missing; create the virtualenv with: make deps")
        }
        return python
    }

    /// The client: EHLO, optionally STARTTLS (verifying the server against `cafile`), MAIL, RCPT, DATA, QUIT;
    /// prints the DATA reply and whether TLS was used.
    static let script = """
        import smtplib, ssl, sys
        host, port, mode, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
        client = smtplib.SMTP(host, port, local_hostname="sender.test", timeout=10)
        client.ehlo()
        if mode == "starttls":
            context = ssl.create_default_context(cafile=cafile)
            client.starttls(context=context)
            client.ehlo()
        message = (b"From: reporter@sender.test\\r\\nTo: tlsrpt@mx.test\\r\\n"
                   b"Subject: Report Domain: mx.test Submitter: sender.test\\r\\n\\r\\n"
                   b".starts with a dot\\r\\nbody line\\r\\n")
        client.mail("reporter@sender.test", ["SIZE=%d" % len(message)])
        code, text = client.rcpt("tlsrpt@mx.test")
        assert code == 250, (code, text)
        code, text = client.data(message)
        print("DATA", code, text.decode())
        print("TLS", hasattr(client.sock, "cipher"))
        client.quit()
        """

    /// Runs the client against `port`.
    static func run(port: UInt16, startTLS: Bool, caFile: String, directory: TemporaryDirectory) throws -> String {
        let scriptPath = try directory.write(script, to: "smtp-client.py")
        let (termination, output) = try ManagedProcess.run(
            name: "smtplib-\(startTLS ? "tls" : "plain")",
            executable: try python(),
            arguments: [scriptPath, "127.0.0.1", String(port), startTLS ? "starttls" : "plain", caFile],
            logDirectory: directory.path
        )
        guard termination == .exited(0) else { throw TestSupportError("smtplib client failed: \(output)") }
        return output
    }
}
