import SystemIO

/// The real ``DNSTransport``: blocking calls over SystemIO's non-blocking sockets, every wait bounded by one
/// deadline per exchange (`poll(2)`).
///
/// Each exchange opens a fresh socket, so every UDP query gets a new kernel-chosen random source port. UDP
/// replies are accepted only from the queried server's address and port: the socket is connected, so the
/// kernel drops datagrams from anywhere else, and each datagram's source is checked again here.
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
        let deadline = Deadline.after(timeout)
        let address = server.socketAddress
        do {
            let socket = try DatagramSocket(family: address.family)
            try socket.connect(to: address)
            while case .wouldBlock = try socket.send(query) {
                guard try socket.waitUntilReady(for: .writable, until: deadline) else { return .timeout }
            }
            while try socket.waitUntilReady(for: .readable, until: deadline) {
                guard case .processed(let datagram) = try socket.receive(maximumCount: Self.maxDatagram) else {
                    continue
                }
                if datagram.peer == address, isExpectedResponse(datagram.bytes) {
                    return .response(datagram.bytes)
                }
            }
            return .timeout
        } catch {
            return Self.result(for: error, with: server)
        }
    }

    /// Sends the length-prefixed query over a new TCP connection and reads one length-prefixed response.
    package func exchangeTCP(_ query: [UInt8], with server: DNSServerAddress, timeout: Duration) -> DNSTransportResult {
        let deadline = Deadline.after(timeout)
        guard query.count <= Int(UInt16.max) else {
            return .failure("query of \(query.count) bytes is too long for TCP framing")
        }
        do {
            let socket = try Socket.connect(to: server.socketAddress, until: deadline)
            try socket.writeAll([UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query, until: deadline)
            guard let prefix = try Self.read(exactly: 2, from: socket, until: deadline) else {
                return .failure("\(server) closed the connection before the response length")
            }
            let length = Int(prefix[0]) << 8 | Int(prefix[1])
            guard let response = try Self.read(exactly: length, from: socket, until: deadline) else {
                return .failure("\(server) closed the connection within a \(length)-byte response")
            }
            return .response(response)
        } catch {
            return Self.result(for: error, with: server)
        }
    }

    /// Reads exactly `count` bytes; `nil` when the server closes the connection first.
    private static func read(exactly count: Int, from socket: Socket, until deadline: Deadline) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let chunk = try socket.read(maximumCount: count - bytes.count, until: deadline)
            guard !chunk.isEmpty else { return nil }
            bytes += chunk
        }
        return bytes
    }

    /// A passed deadline (`ETIMEDOUT`) is a timeout; any other failure is reported with the server's address.
    private static func result(for error: any Error, with server: DNSServerAddress) -> DNSTransportResult {
        if let error = error as? SystemError, error.isTimeout {
            return .timeout
        }
        return .failure("\(server): \(error)")
    }
}
