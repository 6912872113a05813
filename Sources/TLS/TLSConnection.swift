internal import COpenSSL
internal import COpenSSLShims
import Glibc

/// One TLS connection (owns an `SSL*`), driven without blocking: every operation returns
/// ``TLSOperationResult`` and `.incomplete(.read/.write)` means "retry when the transport is ready".
///
/// ```swift
/// let tls = try TLSConnection(context: defaultContext, fd: socket.fileDescriptor)
/// switch tls.handshake() {
/// case .complete: break                      // then read(into:) / write(_:)
/// case .incomplete(let want): break          // register .readable or .writable and call again
/// case .failed(let error): break             // close the socket
/// }
/// ```
///
/// Not `Sendable`: confined to the event loop thread that drives it. It keeps strong references to its
/// original context and to the one SNI selected, so OpenSSL callbacks can reach them.
package final class TLSConnection {
    let ssl: OpaquePointer
    /// The context the connection was created from (for a server: the SNI-dispatching default).
    package let context: TLSContext
    /// The context the servername callback switched to, if it switched.
    package internal(set) var selectedContext: TLSContext?
    /// The network side of the BIO pair in memory mode; `nil` over a file descriptor.
    let memoryBIO: OpaquePointer?
    /// Where records wait for ``flush()`` with ``init(context:fd:serverName:buffersWrites:)``; OpenSSL's own flushes
    /// do not send them. The SSL's write BIO keeps it alive too.
    private let deferredOutput: DeferredWriteBuffer?

    /// Creates a connection that reads and writes `fd` directly (the caller keeps ownership of `fd`).
    ///
    /// OpenSSL's socket BIO writes with `write(2)`, so the process must ignore `SIGPIPE`
    /// (`Signals.ignoreSIGPIPE()` in SystemIO) or a peer that resets mid-write kills it.
    /// - Parameter serverName: Client only: sent as SNI and checked against the peer certificate.
    /// - Throws: ``TLSError/configuration``.
    /// - Parameter buffersWrites: collect outgoing records until ``flush()``, whatever OpenSSL flushes: the session
    ///   ticket, a response and close_notify then leave in one `write(2)` (and reach the peer in one read) rather
    ///   than one each. The caller must flush before it waits for the peer, also during the handshake.
    package init(context: TLSContext, fd: CInt, serverName: String? = nil, buffersWrites: Bool = false) throws {
        let ssl = try Self.makeSSL(context)
        self.ssl = ssl
        self.context = context
        self.memoryBIO = nil
        ERR_clear_error()
        if buffersWrites {
            let output = DeferredWriteBuffer(descriptor: fd)
            guard let socketBIO = BIO_new_socket(fd, BIO_NOCLOSE) else {
                SSL_free(ssl)
                throw TLSError.configuration.draining(message: "BIO_new_socket")
            }
            guard let writeBIO = DeferredWriteBIOMethod.shared.makeBIO(output) else {
                BIO_free(socketBIO)
                SSL_free(ssl)
                throw TLSError.configuration.draining(message: "BIO_new(deferred socket write)")
            }
            SSL_set_bio(ssl, socketBIO, writeBIO)
            deferredOutput = output
        } else {
            deferredOutput = nil
            guard SSL_set_fd(ssl, fd) == 1 else {
                SSL_free(ssl)
                throw TLSError.configuration.draining(message: "SSL_set_fd")
            }
        }
        try configure(serverName: serverName)
    }

    /// Creates a connection over an in-memory BIO pair: feed received bytes with ``writeInbound(_:)`` and send
    /// what ``readOutbound()`` returns (tests, or transports other than a socket).
    /// - Throws: ``TLSError/configuration``.
    package init(memoryWithContext context: TLSContext, serverName: String? = nil) throws {
        self.ssl = try Self.makeSSL(context)
        self.context = context
        var internalBIO: OpaquePointer?
        var networkBIO: OpaquePointer?
        ERR_clear_error()
        guard BIO_new_bio_pair(&internalBIO, 0, &networkBIO, 0) == 1, let internalBIO, let networkBIO else {
            SSL_free(ssl)
            throw TLSError.configuration.draining(message: "BIO_new_bio_pair")
        }
        self.memoryBIO = networkBIO
        self.deferredOutput = nil
        SSL_set_bio(ssl, internalBIO, internalBIO)  // The SSL owns the internal half.
        try configure(serverName: serverName)
    }

    deinit {
        SSL_free(ssl)
        if let memoryBIO {
            BIO_free(memoryBIO)
        }
    }

    /// Recovers the Swift owner of an `SSL` created by this type.
    static func owner(of ssl: OpaquePointer) -> TLSConnection {
        guard let raw = SSL_get_ex_data(ssl, 0) else {
            preconditionFailure("SSL without its TLSConnection owner in ex_data slot 0")
        }
        return Unmanaged<TLSConnection>.fromOpaque(raw).takeUnretainedValue()
    }

    private static func makeSSL(_ context: TLSContext) throws -> OpaquePointer {
        ERR_clear_error()
        guard let ssl = SSL_new(context.context) else {
            throw TLSError.configuration.draining(message: "SSL_new")
        }
        return ssl
    }

    private func configure(serverName: String?) throws {
        // Slot 0 is SSL_set_app_data's slot; unretained because `self` owns the SSL.
        SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(self).toOpaque())
        switch context.role {
        case .server:
            SSL_set_accept_state(ssl)
        case .client:
            SSL_set_connect_state(ssl)
            guard let serverName else { return }
            ERR_clear_error()
            guard COpenSSLShims_SSL_set_tlsext_host_name(ssl, serverName) == 1 else {
                throw TLSError.configuration.draining(message: "SSL_set_tlsext_host_name")
            }
            if context.configuration.verifiesPeer {
                let parameters = SSL_get0_param(ssl)
                X509_VERIFY_PARAM_set_hostflags(parameters, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
                guard X509_VERIFY_PARAM_set1_host(parameters, serverName, serverName.utf8.count) == 1 else {
                    throw TLSError.configuration.draining(message: "X509_VERIFY_PARAM_set1_host")
                }
            }
        }
    }

    // MARK: - Operations

    /// Advances the handshake.
    package func handshake() -> TLSOperationResult<Void> {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            return .complete(())
        }
        return failure(result, kind: .handshakeFailed, function: "SSL_do_handshake")
    }

    /// Decrypts application data into `buffer`. `.complete(0)` means the peer sent close_notify.
    package func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSOperationResult<Int> {
        guard buffer.count > 0 else { return .complete(0) }
        ERR_clear_error()
        var count = 0
        let result = SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count)
        if result == 1 {
            return .complete(count)
        }
        if SSL_get_error(ssl, result) == SSL_ERROR_ZERO_RETURN {
            return .complete(0)
        }
        return failure(result, kind: .readFailed, function: "SSL_read_ex")
    }

    /// Encrypts and sends a prefix of `buffer`; the count may be short (partial writes are enabled). After
    /// `.incomplete`, call again with the same (possibly moved) bytes.
    package func write(_ buffer: UnsafeRawBufferPointer) -> TLSOperationResult<Int> {
        guard buffer.count > 0 else { return .complete(0) }
        ERR_clear_error()
        var count = 0
        let result = SSL_write_ex(ssl, buffer.baseAddress, buffer.count, &count)
        if result == 1 {
            return .complete(count)
        }
        return failure(result, kind: .writeFailed, function: "SSL_write_ex")
    }

    /// Sends close_notify. `.complete` once it is written (with buffered writes: handed to the socket); the
    /// peer's close_notify is not awaited. Safe to call again after `.incomplete`.
    package func shutdown() -> TLSOperationResult<Void> {
        if SSL_get_shutdown(ssl) & SSL_SENT_SHUTDOWN == 0 {
            ERR_clear_error()
            let result = SSL_shutdown(ssl)
            if result < 0 {
                return failure(result, kind: .shutdownFailed, function: "SSL_shutdown")
            }
        }
        // With buffered writes the alert is only held so far: it goes out here.
        return flush()
    }

    /// Whether buffered writes hold bytes the socket has not taken yet.
    package var hasUnflushedOutput: Bool {
        (deferredOutput?.pending ?? 0) > 0
    }

    /// Hands what buffered writes hold to the socket; `.incomplete(.write)` when the socket is full (call again
    /// once it is writable). Nothing to do without buffered writes.
    package func flush() -> TLSOperationResult<Void> {
        switch deferredOutput?.drain() ?? .drained {
        case .drained: .complete(())
        case .blocked: .incomplete(.write)
        case .failed(let code): .failed(TLSError.writeFailed.draining(message: "write", systemErrno: code))
        }
    }

    /// Maps a failed `SSL_*` return value; drains the error queue (STYLE rule 4).
    private func failure<T>(_ result: Int32, kind: TLSError, function: String) -> TLSOperationResult<T> {
        let savedErrno = Glibc.errno
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ:
            return .incomplete(.read)
        case SSL_ERROR_WANT_WRITE:
            return .incomplete(.write)
        case SSL_ERROR_SYSCALL where ERR_peek_error() == 0:
            if savedErrno == 0 {
                return .failed(TLSError.unexpectedEOF.draining(message: function))
            }
            return .failed(kind.draining(message: function, systemErrno: savedErrno))
        case SSL_ERROR_SSL where ERR_GET_REASON(ERR_peek_last_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING:
            return .failed(TLSError.unexpectedEOF.draining(message: function))
        default:
            return .failed(kind.draining(message: function))
        }
    }
}
