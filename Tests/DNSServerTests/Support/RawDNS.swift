import Glibc
import SystemIO

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
