import Dispatch
import Foundation
import Synchronization
import SystemIO

@testable import DNS

/// A DNS server on a loopback UDP port that answers each query with whatever datagrams `respond` returns,
/// in order (an empty list means stay silent). Used to feed the real socket transport spoofed replies.
///
/// `respondFromOtherPort` replies come first and from a second socket on another port of the same address,
/// as an off-path attacker who guesses the ID would send them.
final class FakeUDPServer: Sendable {
    let address: DNSServerAddress
    private let socket: DatagramSocket
    private let otherPortSocket: DatagramSocket
    private let isStopping = Mutex(false)
    private let exited = DispatchSemaphore(value: 0)
    private let received = Mutex(0)

    init(
        ipv6: Bool = false,
        respondFromOtherPort: @escaping @Sendable (DNSMessage) -> [[UInt8]] = { _ in [] },
        respond: @escaping @Sendable (DNSMessage) -> [[UInt8]]
    ) throws {
        let loopback = try SocketAddress(parsing: ipv6 ? "[::1]:0" : "127.0.0.1:0")
        socket = try DatagramSocket(bindingTo: loopback)
        otherPortSocket = try DatagramSocket(bindingTo: loopback)
        let port = try socket.localAddress().port
        address = DNSServerAddress(host: ipv6 ? .v6(.loopback) : .v4(IPv4Address(127, 0, 0, 1)), port: port)
        Thread.detachNewThread { [self] in
            serve(respondFromOtherPort: respondFromOtherPort, respond: respond)
            exited.signal()
        }
    }

    /// Number of queries received so far.
    var queryCount: Int { received.withLock { $0 } }

    private func serve(
        respondFromOtherPort: @Sendable (DNSMessage) -> [[UInt8]],
        respond: @Sendable (DNSMessage) -> [[UInt8]]
    ) {
        while !isStopping.withLock({ $0 }) {
            guard (try? socket.waitUntilReady(for: .readable, until: .after(.milliseconds(20)))) == true,
                case .processed(let datagram)? = try? socket.receive(maximumCount: 65535),
                let query = try? DNSMessage(decoding: datagram.bytes)
            else { continue }
            received.withLock { $0 += 1 }
            for reply in respondFromOtherPort(query) {
                _ = try? otherPortSocket.send(reply, to: datagram.peer)
            }
            for reply in respond(query) {
                _ = try? socket.send(reply, to: datagram.peer)
            }
        }
    }

    /// Stops the serving thread and closes the sockets.
    func stop() {
        let wasStopping = isStopping.withLock { stopping in
            defer { stopping = true }
            return stopping
        }
        guard !wasStopping else { return }
        exited.wait()
        try? socket.close()
        try? otherPortSocket.close()
    }

    deinit {
        stop()
    }
}
