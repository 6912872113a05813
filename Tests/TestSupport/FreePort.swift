import Glibc

/// Finds loopback ports nobody is listening on.
package enum FreePort {
    /// Ports tried first: below Linux's default ephemeral range (32768–60999), where the kernel places the
    /// source ports of every outgoing socket, so a picked port is much less likely to be taken by a
    /// client socket before the server binds it.
    package static let preferredRange: Range<UInt16> = 20000..<32000

    /// Returns a port on 127.0.0.1 that could be bound just now for each requested protocol.
    ///
    /// Random ports from ``preferredRange`` are tried first, then kernel-chosen ones (bind to port 0). The
    /// sockets are closed before returning, so another process could still take the port: callers retry
    /// when their server fails to bind.
    /// - Throws: ``TestSupportError`` when no port is free.
    package static func allocate(udp: Bool = true, tcp: Bool = true) throws -> UInt16 {
        for attempt in 0..<250 {
            let candidate = attempt < 200 ? UInt16.random(in: preferredRange) : 0
            if let port = try probe(candidate, udp: udp, tcp: tcp) {
                return port
            }
        }
        throw TestSupportError("no port free for both TCP and UDP on 127.0.0.1 after 250 tries")
    }

    /// Binds `candidate` (0 lets the kernel choose) for each requested protocol; nil when any bind fails.
    private static func probe(_ candidate: UInt16, udp: Bool, tcp: Bool) throws -> UInt16? {
        var sockets: [Int32] = []
        defer { for socket in sockets { _ = close(socket) } }
        var port = candidate
        for (wanted, type) in [(tcp, SOCK_STREAM), (udp, SOCK_DGRAM)] where wanted {
            let descriptor = socket(AF_INET, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else {
                throw TestSupportError("socket() failed: errno \(errno)")
            }
            sockets.append(descriptor)
            guard let bound = bind(descriptor, port: port) else {
                return nil
            }
            port = bound
        }
        return port == 0 ? nil : port
    }

    /// Binds to 127.0.0.1:`port` and returns the bound port, or nil when the port is taken.
    private static func bind(_ descriptor: Int32, port: UInt16) -> UInt16? {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Int32 in
                guard Glibc.bind(descriptor, raw, length) == 0 else { return -1 }
                return getsockname(descriptor, raw, &length)
            }
        }
        guard result == 0 else { return nil }
        return UInt16(bigEndian: address.sin_port)
    }
}
