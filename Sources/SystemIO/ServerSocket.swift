internal import CLinux
import Glibc

/// A non-blocking listening TCP socket.
///
/// ```swift
/// let server = try ServerSocket(bindingTo: SocketAddress(parsing: "127.0.0.1:0"))
/// server.localAddress.port  // the kernel-chosen port
/// ```
package struct ServerSocket: Sendable {
    /// The owned listening descriptor.
    package let descriptor: FileDescriptor
    /// The bound address; its port is the real one when port 0 was requested.
    package let localAddress: SocketAddress

    /// Creates, configures, binds and listens.
    /// - Parameters:
    ///   - address: Where to listen; port 0 lets the kernel choose.
    ///   - backlog: `listen(2)` backlog (the kernel caps it at `net.core.somaxconn`).
    ///   - reusePort: Sets `SO_REUSEPORT` so several loops can each own a listener on one port.
    /// - Throws: ``SystemError`` from any step (`EADDRINUSE`, ...).
    package init(bindingTo address: SocketAddress, backlog: CInt = 1024, reusePort: Bool = false) throws {
        let descriptor = FileDescriptor(
            rawValue: try Posix.socket(family: address.addressFamily, type: SOCK_STREAM, nonBlocking: true)
        )
        let fd = descriptor.rawValue
        try Posix.setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: CInt(1))
        if reusePort {
            try Posix.setOption(fd, level: SOL_SOCKET, name: SO_REUSEPORT, value: CInt(1))
        }
        if address.family == .ipv6 {
            // Listen on IPv6 only, so "[::]:443" and "0.0.0.0:443" can be bound side by side.
            try Posix.setOption(fd, level: CInt(IPPROTO_IPV6), name: IPV6_V6ONLY, value: CInt(1))
        }
        try Posix.bind(fd, to: address)
        try Posix.listen(fd, backlog: backlog)
        self.descriptor = descriptor
        self.localAddress = try Posix.localAddress(fd)
    }

    /// The raw descriptor number, for loop registration.
    package var fileDescriptor: CInt {
        descriptor.rawValue
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec ``Socket``.
    /// - Returns: ``IOResult/wouldBlock`` when no connection is pending.
    /// - Throws: ``SystemError`` (`EMFILE`, `ECONNABORTED`, ...); with level-triggered readiness the caller must
    ///   back off on `EMFILE`, or the loop spins.
    package func accept() throws -> IOResult<Socket> {
        try Linux.accept(fileDescriptor).map { Socket(descriptor: FileDescriptor(rawValue: $0)) }
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec ``Socket``, with the peer's address as the
    /// kernel reported it in the same call.
    /// - Returns: ``IOResult/wouldBlock`` when no connection is pending.
    /// - Throws: ``SystemError`` as ``accept()`` does; ``AcceptBackoffStateMachine`` says what each one means.
    package func acceptWithPeerAddress() throws -> IOResult<(socket: Socket, peer: SocketAddress)> {
        var raw = sockaddr_storage()
        guard case .processed(let fd) = try Linux.accept(fileDescriptor, peer: &raw) else { return .wouldBlock }
        let socket = Socket(descriptor: FileDescriptor(rawValue: fd))
        do {
            return .processed((socket, try SocketAddress.decoding(raw, function: "accept4")))
        } catch {
            // Not an IP peer (a listener is bound to an IP address, so this does not happen): drop the connection.
            try? socket.close()
            throw error
        }
    }

    /// Closes the listener (once).
    package func close() throws {
        try descriptor.close()
    }
}
