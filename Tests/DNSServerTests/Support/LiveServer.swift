import DNS
import DNSServer
import Glibc
import Logging
import Synchronization
import SystemIO
import TestSupport

/// A real ``AuthoritativeDNSServer`` on loopback with free ports, on its own event loop group, stopped by
/// ``stop()``.
final class LiveServer: Sendable {
    let group: EventLoopGroup
    let server: AuthoritativeDNSServer
    /// The rate limiter's clock: frozen unless a test moves it.
    let clock = ManualClock()

    init(
        addresses: [String] = ["127.0.0.1:0"],
        loops: Int = 1,
        rateLimit: ResponseRateLimiter.Configuration = .init(responsesPerSecond: 0),
        tcpLimits: DNSTCPConnectionLimits = .init(),
        maximumTCPConnections: Int = 256,
        content: FixedZoneContent = TestZone.content
    ) throws {
        group = try EventLoopGroup(numberOfLoops: loops, name: "dns-test")
        let configuration = AuthoritativeDNSServerConfiguration(
            zone: try TestZone.configuration(),
            listenAddresses: try addresses.map { try SocketAddress(parsing: $0) },
            rateLimit: rateLimit,
            tcpLimits: tcpLimits,
            maximumTCPConnections: maximumTCPConnections
        )
        let clock = self.clock
        server = try AuthoritativeDNSServer(
            configuration: configuration,
            content: content,
            group: group,
            logger: Logger(label: "dns-test", level: .warning),
            now: { clock.now }
        )
        do {
            try server.start()
        } catch {
            try? group.shutdownGracefully()
            throw error
        }
    }

    /// The first bound address.
    var address: SocketAddress { server.localAddresses[0] }

    /// A stub client for `address` (default: the first bound one), one attempt, EDNS `udpPayloadSize`.
    func client(
        _ address: SocketAddress? = nil,
        udpPayloadSize: UInt16 = 1232,
        transport: any DNSTransport = SocketDNSTransport()
    ) throws -> DNSClient {
        let target = address ?? self.address
        let server = try DNSServerAddress(target.family == .ipv6 ? "[\(target.ipAddress)]:\(target.port)" : "\(target)")
        return DNSClient(
            resolvers: [server],
            timeout: .seconds(3),
            attempts: 1,
            udpPayloadSize: udpPayloadSize,
            transport: transport
        )
    }

    /// Shuts the server down, then its loops.
    func stop() {
        server.shutdown(gracePeriod: .seconds(2))
        try? group.shutdownGracefully()
    }
}

/// Raw exchanges with the server, for what ``DNSClient`` does not expose (flags, several queries per connection).
enum RawDNS {
    /// Sends one datagram and returns the first reply, or nil when none comes within `timeout` or the port is
    /// closed (an ICMP port unreachable, reported as `ECONNREFUSED`).
    static func udp(_ query: [UInt8], to address: SocketAddress, timeout: Duration = .seconds(3)) throws -> [UInt8]? {
        let socket = try DatagramSocket(family: address.family)
        defer { try? socket.close() }
        try socket.connect(to: address)
        _ = try socket.send(query)
        guard try socket.waitUntilReady(for: .readable, until: .after(timeout)) else { return nil }
        do {
            return try socket.receive(maximumCount: 65535).value?.bytes
        } catch let error as SystemError where error.errno == ECONNREFUSED {
            return nil
        }
    }

    /// Connects over TCP with a deadline.
    static func connect(to address: SocketAddress) throws -> Socket {
        try Socket.connect(to: address, until: .after(.seconds(3)))
    }

    /// Writes `queries`, each with its two-byte length, in one write.
    static func send(_ queries: [[UInt8]], on socket: Socket) throws {
        let framed = queries.flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xFF)] + $0 }
        try socket.writeAll(framed, until: .after(.seconds(3)))
    }

    /// Reads one length-prefixed message; nil when the server closes the connection first.
    static func receive(on socket: Socket, timeout: Duration = .seconds(3)) throws -> [UInt8]? {
        let deadline = Deadline.after(timeout)
        guard let prefix = try read(exactly: 2, on: socket, until: deadline) else { return nil }
        return try read(exactly: Int(prefix[0]) << 8 | Int(prefix[1]), on: socket, until: deadline)
    }

    /// Waits until the server closes the connection (end of stream or reset); false when it is still open at
    /// the deadline.
    static func waitForClose(of socket: Socket, timeout: Duration = .seconds(5)) throws -> Bool {
        let deadline = Deadline.after(timeout)
        while true {
            do {
                if try socket.read(maximumCount: 512, until: deadline).isEmpty { return true }
            } catch let error as SystemError where error.isTimeout {
                return false
            } catch is SystemError {
                return true
            }
        }
    }

    private static func read(exactly count: Int, on socket: Socket, until deadline: Deadline) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let chunk = try socket.read(maximumCount: count - bytes.count, until: deadline)
            guard !chunk.isEmpty else { return nil }
            bytes += chunk
        }
        return bytes
    }

    /// Whether `[::1]` can be bound here.
    static var isIPv6LoopbackAvailable: Bool {
        guard let address = try? SocketAddress(parsing: "[::1]:0") else { return false }
        return (try? DatagramSocket(bindingTo: address)) != nil
    }
}

/// A monotonic clock that moves only when told to, for the rate limiter.
final class ManualClock: Sendable {
    private let nanoseconds = Atomic<UInt64>(1_000_000_000_000)

    /// The current reading.
    var now: UInt64 { nanoseconds.load(ordering: .relaxed) }

    /// Moves the clock forward.
    func advance(by duration: UInt64) {
        nanoseconds.add(duration, ordering: .relaxed)
    }
}
