import Glibc

/// A non-blocking, close-on-exec UDP socket, connected to one peer or addressing each datagram.
///
/// A connected socket (``connect(to:)``) only receives datagrams whose source address and port are that peer's:
/// the kernel drops everything else, so a reply cannot be forged from another port or host, and an ICMP port
/// unreachable comes back as `ECONNREFUSED` from the next receive. An unconnected socket names the peer in
/// ``send(_:to:)`` and learns it from each ``receive(maximumCount:)``, as a server does. Unbound sockets get a
/// random ephemeral port from the kernel on first use.
///
/// ```swift
/// let socket = try DatagramSocket(family: server.family)
/// try socket.connect(to: server)
/// _ = try socket.send(query)
/// if try socket.waitUntilReady(for: .readable, until: .after(.seconds(2))),
///     case .processed(let reply) = try socket.receive(maximumCount: 65535)
/// {
///     handle(reply.bytes, from: reply.peer)
/// }
/// ```
package struct DatagramSocket: Sendable {
    /// One received datagram and the address it came from.
    package struct Datagram: Sendable, Hashable {
        /// The payload, cut to the `maximumCount` it was received with.
        package var bytes: [UInt8]
        /// The sender's address and port.
        package var peer: SocketAddress

        /// Creates a datagram.
        package init(bytes: [UInt8], peer: SocketAddress) {
            self.bytes = bytes
            self.peer = peer
        }
    }

    /// The owned descriptor.
    package let descriptor: FileDescriptor

    /// Opens an unbound socket for `family`; the kernel picks a random source port on first send or connect.
    /// - Throws: ``SystemError`` from `socket(2)`.
    package init(family: SocketAddress.Family) throws {
        let addressFamily =
            switch family {
            case .ipv4: AF_INET
            case .ipv6: AF_INET6
            }
        self.descriptor = FileDescriptor(
            rawValue: try Posix.socket(family: addressFamily, type: SOCK_DGRAM, nonBlocking: true)
        )
    }

    /// Opens a socket bound to `address` (port 0 lets the kernel choose; see ``localAddress()``).
    ///
    /// An IPv6 socket is bound IPv6-only, so `[::]:53` and `0.0.0.0:53` can be bound side by side.
    /// - Parameters:
    ///   - address: Where to receive; port 0 lets the kernel choose.
    ///   - reusePort: Sets `SO_REUSEPORT`, so that several event loops can each own a socket on one address and
    ///     the kernel spreads datagrams across them by source address and port.
    /// - Throws: ``SystemError`` from any step (`EADDRINUSE`, `EADDRNOTAVAIL`, ...).
    package init(bindingTo address: SocketAddress, reusePort: Bool = false) throws {
        try self.init(family: address.family)
        if reusePort {
            try Posix.setOption(fileDescriptor, level: SOL_SOCKET, name: SO_REUSEPORT, value: CInt(1))
        }
        if address.family == .ipv6 {
            try Posix.setOption(fileDescriptor, level: CInt(IPPROTO_IPV6), name: IPV6_V6ONLY, value: CInt(1))
        }
        try Posix.bind(fileDescriptor, to: address)
    }

    /// The raw descriptor number, for loop registration.
    package var fileDescriptor: CInt {
        descriptor.rawValue
    }

    /// Fixes the peer: sends without an address go there, and only its datagrams are received.
    /// - Throws: ``SystemError`` from `connect(2)` (`ENETUNREACH`, ...); nothing is sent.
    package func connect(to address: SocketAddress) throws {
        // A UDP connect only records the peer and never reports EINPROGRESS.
        _ = try Posix.connect(fileDescriptor, to: address)
    }

    // MARK: - I/O

    /// Sends `bytes` as one datagram to the connected peer.
    /// - Returns: ``IOResult/processed(_:)`` with the byte count (all of them), or ``IOResult/wouldBlock`` when the
    ///   send buffer is full.
    /// - Throws: ``SystemError`` (`ECONNREFUSED` after an ICMP port unreachable, `EMSGSIZE`, ...).
    package func send(_ bytes: [UInt8]) throws -> IOResult<Int> {
        try bytes.withUnsafeBytes { try Posix.send(fileDescriptor, from: $0) }
    }

    /// Sends `bytes` as one datagram to `address` (an unconnected socket).
    /// - Returns: ``IOResult/processed(_:)`` with the byte count, or ``IOResult/wouldBlock``.
    /// - Throws: ``SystemError`` (`EMSGSIZE`, `EAFNOSUPPORT` for the other family, ...).
    package func send(_ bytes: [UInt8], to address: SocketAddress) throws -> IOResult<Int> {
        try bytes.withUnsafeBytes { try Posix.sendTo(fileDescriptor, from: $0, to: address) }
    }

    /// Receives one queued datagram with its sender; a longer datagram is cut to `maximumCount` bytes.
    /// - Returns: ``IOResult/wouldBlock`` when none is queued.
    /// - Throws: ``SystemError`` (`ECONNREFUSED` on a connected socket whose peer's port is closed, ...).
    package func receive(maximumCount: Int) throws -> IOResult<Datagram> {
        var bytes = [UInt8](repeating: 0, count: maximumCount)
        let result = try bytes.withUnsafeMutableBytes { try Posix.receiveFrom(fileDescriptor, into: $0) }
        return result.map { received in
            bytes.removeSubrange(received.count...)
            return Datagram(bytes: bytes, peer: received.peer)
        }
    }

    /// Receives one queued datagram into `buffer` without allocating, for servers that reuse one buffer.
    ///
    /// A datagram longer than `buffer` is cut to fit; a buffer of 65536 bytes holds any UDP payload.
    /// - Returns: The byte count and the sender, or ``IOResult/wouldBlock`` when none is queued.
    /// - Throws: ``SystemError`` (`ECONNREFUSED` on a connected socket whose peer's port is closed, ...).
    package func receive(
        into buffer: UnsafeMutableRawBufferPointer
    ) throws -> IOResult<(count: Int, peer: SocketAddress)> {
        try Posix.receiveFrom(fileDescriptor, into: buffer)
    }

    // MARK: - Readiness, addresses and closing

    /// Waits with `poll(2)` until the socket is readable or writable as asked, or `deadline` passes.
    ///
    /// Error conditions count as ready: the next receive then reports them.
    /// - Returns: `false` when the deadline passed first; once it has passed, `false` without polling.
    /// - Throws: ``SystemError`` from `poll(2)`.
    package func waitUntilReady(for events: EventSet, until deadline: Deadline) throws -> Bool {
        try descriptor.waitUntilReady(for: events, until: deadline)
    }

    /// The local address (`getsockname`): the bound or kernel-chosen port.
    package func localAddress() throws -> SocketAddress {
        try Posix.localAddress(fileDescriptor)
    }

    /// The connected peer (`getpeername`).
    /// - Throws: ``SystemError`` with `ENOTCONN` when the socket is not connected.
    package func peerAddress() throws -> SocketAddress {
        try Posix.peerAddress(fileDescriptor)
    }

    /// Closes the descriptor (once).
    package func close() throws {
        try descriptor.close()
    }
}
