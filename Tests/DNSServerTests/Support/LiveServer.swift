import DNS
import DNSServer
import Logging
import SystemIO

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
