internal import CLinux
import Glibc

/// A connected TCP socket: non-blocking when accepted from a ``ServerSocket``.
///
/// ```swift
/// let client = try Socket.connect(to: address, timeout: .seconds(5))  // blocking, for tests and tools
/// try client.writeAll(Array("ping".utf8))
/// ```
package struct Socket: Sendable {
    /// The owned descriptor.
    package let descriptor: FileDescriptor

    /// Wraps an already connected descriptor.
    package init(descriptor: FileDescriptor) {
        self.descriptor = descriptor
    }

    /// The raw descriptor number (for `SSL_set_fd` and loop registration).
    package var fileDescriptor: CInt {
        descriptor.rawValue
    }

    /// Starts a non-blocking connect.
    /// - Parameters:
    ///   - address: The server.
    ///   - source: The local address to connect from (port 0 for any), e.g. `127.0.0.2` to appear as another
    ///     loopback client; nil lets the kernel choose.
    /// - Returns: The socket and whether it is already connected; if not, wait for writability and call
    ///   ``finishConnect()``.
    package static func startConnecting(
        to address: SocketAddress,
        from source: SocketAddress? = nil
    ) throws -> (socket: Socket, isConnected: Bool) {
        let socket = Socket(
            descriptor: FileDescriptor(
                rawValue: try Posix.socket(family: address.addressFamily, type: SOCK_STREAM, nonBlocking: true)
            )
        )
        if let source { try Posix.bind(socket.fileDescriptor, to: source) }
        let isConnected = try Posix.connect(socket.fileDescriptor, to: address)
        return (socket, isConnected)
    }

    /// Completes a non-blocking connect once the socket became writable.
    /// - Throws: ``SystemError`` with the connect error (`SO_ERROR`), e.g. `ECONNREFUSED`.
    package func finishConnect() throws {
        let pending = try Posix.intOption(fileDescriptor, level: SOL_SOCKET, name: SO_ERROR)
        if pending != 0 {
            throw SystemError(errno: pending, function: "connect")
        }
    }

    /// Connects in blocking mode, failing after `timeout`; reads and writes then also time out after `timeout`
    /// (`SO_RCVTIMEO`/`SO_SNDTIMEO`) and report ``IOResult/wouldBlock`` when they do.
    ///
    /// `source`, when given, is bound first: the local address to connect from.
    package static func connect(
        to address: SocketAddress,
        from source: SocketAddress? = nil,
        timeout: Duration
    ) throws -> Socket {
        let (socket, isConnected) = try startConnecting(to: address, from: source)
        if !isConnected {
            let ready = try Posix.poll(
                socket.fileDescriptor,
                events: Int16(POLLOUT),
                timeoutMilliseconds: timeout.milliseconds
            )
            if ready == 0 {
                throw SystemError(errno: ETIMEDOUT, function: "connect")
            }
            try socket.finishConnect()
        }
        try Posix.setNonBlocking(socket.fileDescriptor, false)
        let limit = timeval(
            tv_sec: Int(timeout.components.seconds),
            tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000)
        )
        try Posix.setOption(socket.fileDescriptor, level: SOL_SOCKET, name: SO_RCVTIMEO, value: limit)
        try Posix.setOption(socket.fileDescriptor, level: SOL_SOCKET, name: SO_SNDTIMEO, value: limit)
        return socket
    }

    // MARK: - I/O

    /// Reads into `buffer`; `.processed(0)` means the peer closed its write side.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> IOResult<Int> {
        try Posix.read(fileDescriptor, into: buffer)
    }

    /// Reads up to `maximumCount` bytes into a new array (empty array: end of stream).
    package func read(maximumCount: Int) throws -> IOResult<[UInt8]> {
        var bytes = [UInt8](repeating: 0, count: maximumCount)
        let result = try bytes.withUnsafeMutableBytes { try read(into: $0) }
        return result.map { count in
            bytes.removeSubrange(count...)
            return bytes
        }
    }

    /// Writes as much of `buffer` as the kernel accepts (never raises `SIGPIPE`).
    package func write(_ buffer: UnsafeRawBufferPointer) throws -> IOResult<Int> {
        try Posix.send(fileDescriptor, from: buffer)
    }

    /// Writes as much of `bytes` as the kernel accepts.
    package func write(_ bytes: [UInt8]) throws -> IOResult<Int> {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Gathers `buffers` into one `sendmsg` (at most 1024, Linux's `IOV_MAX`, are used per call).
    package func writev(_ buffers: [UnsafeRawBufferPointer]) throws -> IOResult<Int> {
        // IOV_MAX is defined through a macro chain that does not import; Linux fixes it at 1024 (UIO_MAXIOV).
        let count = min(buffers.count, 1024)
        return try withUnsafeTemporaryAllocation(of: iovec.self, capacity: count) { vectors in
            for index in 0..<count {
                vectors[index] = iovec(
                    iov_base: UnsafeMutableRawPointer(mutating: buffers[index].baseAddress),
                    iov_len: buffers[index].count
                )
            }
            return try Posix.sendVectors(fileDescriptor, vectors)
        }
    }

    /// Writes all of `bytes` on a blocking socket.
    /// - Throws: ``SystemError`` (`ETIMEDOUT` when the send timeout of ``connect(to:timeout:)`` expires).
    package func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let result = try bytes.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            guard case .processed(let written) = result else {
                throw SystemError(errno: ETIMEDOUT, function: "send")
            }
            offset += written
        }
    }

    // MARK: - Options and addresses

    /// Enables or disables Nagle's algorithm (`TCP_NODELAY`).
    package func setNoDelay(_ isEnabled: Bool) throws {
        try Posix.setOption(fileDescriptor, level: CInt(IPPROTO_TCP), name: TCP_NODELAY, value: CInt(isEnabled ? 1 : 0))
    }

    /// Whether `TCP_NODELAY` is set.
    package func isNoDelay() throws -> Bool {
        try Posix.intOption(fileDescriptor, level: CInt(IPPROTO_TCP), name: TCP_NODELAY) != 0
    }

    /// The remote address (`getpeername`).
    package func peerAddress() throws -> SocketAddress {
        try Posix.peerAddress(fileDescriptor)
    }

    /// The local address (`getsockname`).
    package func localAddress() throws -> SocketAddress {
        try Posix.localAddress(fileDescriptor)
    }

    /// Half-closes the socket: the peer reads end of stream.
    package func shutdownWrite() throws {
        try Posix.shutdownWrite(fileDescriptor)
    }

    /// Closes the descriptor (once).
    package func close() throws {
        try descriptor.close()
    }
}

extension Duration {
    /// Whole milliseconds, rounded up, clamped to `CInt` (for `poll` and `epoll_wait`).
    var milliseconds: CInt {
        let (seconds, attoseconds) = components
        if seconds < 0 || attoseconds < 0 { return 0 }
        let total = seconds.multipliedReportingOverflow(by: 1000)
        if total.overflow { return CInt.max }
        let value = total.partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return CInt(clamping: value)
    }
}
