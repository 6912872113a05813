/// The real ``DNSTransport``: blocking calls over non-blocking Glibc sockets with `poll(2)` deadlines.
///
/// Each exchange opens a fresh socket, so every UDP query gets a new kernel-chosen random source port.
package struct SocketDNSTransport: DNSTransport {
    /// Largest UDP datagram accepted.
    private static let maxDatagram = 65535

    /// Creates the transport.
    package init() {}

    /// Sends one datagram over a connected UDP socket and waits for an acceptable reply.
    package func exchangeUDP(
        _ query: [UInt8],
        with server: DNSServerAddress,
        timeout: Duration,
        isExpectedResponse: ([UInt8]) -> Bool
    ) -> DNSTransportResult {
        let deadline = ContinuousClock.now + timeout
        do throws(DNSError) {
            let socket = try DNSSocket(for: server, kind: .datagram)
            try socket.connect(to: server, until: deadline)
            try socket.sendAll(query, until: deadline)
            var buffer = [UInt8](repeating: 0, count: Self.maxDatagram)
            while true {
                let count = try socket.receive(into: &buffer, until: deadline)
                let datagram = Array(buffer[0..<count])
                if isExpectedResponse(datagram) {
                    return .response(datagram)
                }
            }
        } catch {
            return Self.result(for: error)
        }
    }

    /// Sends the length-prefixed query over a new TCP connection and reads one length-prefixed response.
    package func exchangeTCP(_ query: [UInt8], with server: DNSServerAddress, timeout: Duration) -> DNSTransportResult {
        let deadline = ContinuousClock.now + timeout
        guard query.count <= Int(UInt16.max) else {
            return .failure("query of \(query.count) bytes is too long for TCP framing")
        }
        do throws(DNSError) {
            let socket = try DNSSocket(for: server, kind: .stream)
            try socket.connect(to: server, until: deadline)
            try socket.sendAll([UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query, until: deadline)
            let prefix = try socket.receiveExactly(2, until: deadline)
            let length = Int(prefix[0]) << 8 | Int(prefix[1])
            return .response(try socket.receiveExactly(length, until: deadline))
        } catch {
            return Self.result(for: error)
        }
    }

    private static func result(for error: DNSError) -> DNSTransportResult {
        error.code == .timeout ? .timeout : .failure(error.message)
    }
}
