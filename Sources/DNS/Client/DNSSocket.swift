import Glibc

/// The single owner of a non-blocking socket file descriptor, closed exactly once in `deinit`.
///
/// All waits use `poll(2)` against a deadline; `EINTR` is retried and every other failure becomes a
/// ``DNSError`` with code `network` (or `timeout` when the deadline passes).
final class DNSSocket {
    /// The socket type.
    enum Kind {
        /// UDP.
        case datagram
        /// TCP.
        case stream
    }

    private let descriptor: Int32

    /// Opens a non-blocking, close-on-exec socket for `server`'s address family.
    init(for server: DNSServerAddress, kind: Kind) throws(DNSError) {
        let type = kind == .datagram ? SOCK_DGRAM : SOCK_STREAM
        let family =
            switch server.host {
            case .v4: AF_INET
            case .v6: AF_INET6
            }
        let flags = Int32(type.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = Glibc.socket(family, flags, 0)
        guard descriptor >= 0 else {
            throw Self.error("socket")
        }
        self.descriptor = descriptor
    }

    deinit {
        _ = Glibc.close(descriptor)
    }

    /// Connects, waiting for a TCP handshake until `deadline`. For UDP this only fixes the peer, so the
    /// kernel drops datagrams from any other address and picks a random ephemeral source port.
    func connect(to server: DNSServerAddress, until deadline: ContinuousClock.Instant) throws(DNSError) {
        let result = Self.withSocketAddress(server) { address, length in
            Glibc.connect(descriptor, address, length)
        }
        if result == 0 { return }
        guard errno == EINPROGRESS || errno == EINTR else {
            throw Self.error("connect to \(server)")
        }
        try wait(for: Int16(POLLOUT), until: deadline)
        var status: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &status, &length) == 0 else {
            throw Self.error("getsockopt")
        }
        guard status == 0 else {
            throw DNSError(.network, "connect to \(server): \(Self.describe(status))")
        }
    }

    /// Writes all of `bytes`, waiting for buffer space until `deadline`.
    func sendAll(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(DNSError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { buffer in
                Glibc.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            }
            if sent >= 0 {
                offset += sent
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                try wait(for: Int16(POLLOUT), until: deadline)
            } else {
                throw Self.error("send")
            }
        }
    }

    /// Waits until readable, then reads what is there: a whole datagram for UDP. Returns 0 at end of stream.
    func receive(into buffer: inout [UInt8], until deadline: ContinuousClock.Instant) throws(DNSError) -> Int {
        while true {
            try wait(for: Int16(POLLIN), until: deadline)
            let count = buffer.withUnsafeMutableBytes { raw in
                Glibc.recv(descriptor, raw.baseAddress, raw.count, 0)
            }
            if count >= 0 {
                return count
            }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw Self.error("receive")
            }
        }
    }

    /// Reads exactly `count` bytes from a stream.
    func receiveExactly(_ count: Int, until deadline: ContinuousClock.Instant) throws(DNSError) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: count)
        while result.count < count {
            let received = try receive(into: &buffer, until: deadline)
            guard received > 0 else {
                throw DNSError(.network, "connection closed after \(result.count) of \(count) bytes")
            }
            result.append(contentsOf: buffer[0..<min(received, count - result.count)])
            buffer = [UInt8](repeating: 0, count: count - result.count)
        }
        return result
    }

    /// Polls for `events` until `deadline`.
    /// - Throws: ``DNSError`` with code `timeout` when the deadline passes first.
    private func wait(for events: Int16, until deadline: ContinuousClock.Instant) throws(DNSError) {
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                throw DNSError(.timeout, "deadline passed")
            }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(
                clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
            )
            var descriptorEvents = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = Glibc.poll(&descriptorEvents, 1, milliseconds)
            if ready > 0 {
                return
            }
            if ready < 0, errno != EINTR {
                throw Self.error("poll")
            }
        }
    }

    private static func withSocketAddress<R>(
        _ server: DNSServerAddress,
        _ body: (UnsafePointer<sockaddr>, socklen_t) -> R
    ) -> R {
        switch server.host {
        case .v4(let address):
            var storage = sockaddr_in()
            storage.sin_family = sa_family_t(AF_INET)
            storage.sin_port = server.port.bigEndian
            withUnsafeMutableBytes(of: &storage.sin_addr) { $0.copyBytes(from: address.bytes) }
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6(let address):
            var storage = sockaddr_in6()
            storage.sin6_family = sa_family_t(AF_INET6)
            storage.sin6_port = server.port.bigEndian
            withUnsafeMutableBytes(of: &storage.sin6_addr) { $0.copyBytes(from: address.bytes) }
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    private static func error(_ function: String) -> DNSError {
        DNSError(.network, "\(function): \(describe(errno))")
    }

    private static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
