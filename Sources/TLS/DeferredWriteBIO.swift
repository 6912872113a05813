internal import COpenSSL
import Glibc

/// The write side of a server connection's socket: TLS records collect in memory and leave in one `write(2)` when
/// the connection's owner flushes, not when OpenSSL does.
///
/// OpenSSL flushes its write BIO after every handshake flight and after each TLS 1.3 session ticket, so over
/// `BIO_f_buffer` the ticket leaves in a segment of its own and every client wakes once more to read it. Here
/// `BIO_flush` does nothing; ``TLSConnection/flush()`` writes what is held, and the owner flushes before it waits
/// for the peer (a flight must reach the client before its answer can come back). The ticket then leaves with the
/// first response and its close_notify, as nginx sends them. Reads go through OpenSSL's own socket BIO.
///
/// Loop-confined like its ``TLSConnection``.
final class DeferredWriteBuffer {
    /// Room for a handshake flight, a ticket and a full record with its overhead; larger writes go straight out.
    static let capacity = 32 * 1024

    /// The connected socket (not owned).
    let descriptor: CInt
    /// Allocated at the first write and released once drained, so idle connections hold no buffer.
    private var storage: UnsafeMutableRawPointer?
    private var start = 0
    private var end = 0

    init(descriptor: CInt) {
        self.descriptor = descriptor
    }

    deinit {
        free(storage)
    }

    /// Bytes written by OpenSSL that the socket has not taken yet.
    var pending: Int { end - start }

    /// The outcome of handing the held bytes to the socket.
    enum DrainResult {
        /// Nothing is held any more.
        case drained
        /// The socket is full; some bytes are still held.
        case blocked
        /// `write(2)` failed with this errno.
        case failed(CInt)
    }

    /// Writes what is held until it is gone or the socket is full.
    func drain() -> DrainResult {
        guard let storage else { return .drained }
        while start < end {
            let written = Glibc.write(descriptor, storage + start, end - start)
            if written >= 0 {
                start += written
                continue
            }
            let code = errno
            if code == EINTR { continue }
            return code == EAGAIN || code == EWOULDBLOCK ? .blocked : .failed(code)
        }
        free(storage)
        self.storage = nil
        start = 0
        end = 0
        return .drained
    }

    /// `BIO_write_ex`: holds `count` bytes, or writes them directly when they are larger than the buffer. Returns the
    /// number taken, or why none were: retry once the socket is writable, or `write(2)`'s errno.
    fileprivate func write(_ bytes: UnsafeRawPointer, count: Int) -> Result<Int, WriteFailure> {
        if count > Self.capacity - end {
            switch drain() {
            case .drained: break
            case .blocked: return .failure(.wouldBlock)
            case .failed(let code): return .failure(.system(code))
            }
        }
        if count > Self.capacity {
            let written = Glibc.write(descriptor, bytes, count)
            if written >= 0 { return .success(written) }
            let code = errno
            return .failure(code == EAGAIN || code == EWOULDBLOCK || code == EINTR ? .wouldBlock : .system(code))
        }
        let buffer: UnsafeMutableRawPointer
        if let storage {
            buffer = storage
        } else {
            guard let allocated = malloc(Self.capacity) else { return .failure(.system(ENOMEM)) }
            storage = allocated
            buffer = allocated
        }
        (buffer + end).copyMemory(from: bytes, byteCount: count)
        end += count
        return .success(count)
    }

    fileprivate enum WriteFailure: Error {
        case wouldBlock
        case system(CInt)
    }
}

// MARK: - The BIO method

/// The `BIO_METHOD` behind ``DeferredWriteBuffer``, created once per process.
///
/// `@unchecked Sendable`: the method table is filled in `init` and never changed after; OpenSSL only reads it.
final class DeferredWriteBIOMethod: @unchecked Sendable {
    static let shared = DeferredWriteBIOMethod()

    /// Nil only if OpenSSL could not allocate the table; connections then fail to start with a configuration error.
    let method: OpaquePointer?

    private init() {
        let type = BIO_get_new_index() | BIO_TYPE_SOURCE_SINK
        guard let method = BIO_meth_new(type, "deferred socket write") else {
            self.method = nil
            return
        }
        BIO_meth_set_write_ex(method) { bio, data, count, written in
            guard let bio, let data, let raw = BIO_get_data(bio) else { return 0 }
            // BIO_clear_retry_flags, a macro.
            BIO_clear_flags(bio, BIO_FLAGS_READ | BIO_FLAGS_WRITE | BIO_FLAGS_IO_SPECIAL | BIO_FLAGS_SHOULD_RETRY)
            let result = Unmanaged<DeferredWriteBuffer>.fromOpaque(raw)._withUnsafeGuaranteedRef { buffer in
                buffer.write(UnsafeRawPointer(data), count: count)
            }
            switch result {
            case .success(let taken):
                written?.pointee = taken
                return 1
            case .failure(.wouldBlock):
                BIO_set_flags(bio, BIO_FLAGS_WRITE | BIO_FLAGS_SHOULD_RETRY)
                return 0
            case .failure(.system(let code)):
                // OpenSSL reports SSL_ERROR_SYSCALL and the caller reads errno.
                errno = code
                return 0
            }
        }
        // OpenSSL asks about a hundred controls per handshake (most answered by `default`): the buffer is borrowed,
        // not retained, since the BIO holds a reference for as long as it exists (190 reference-count operations
        // per connection before).
        BIO_meth_set_ctrl(method) { bio, command, _, pointer in
            guard let bio, let raw = BIO_get_data(bio) else { return 0 }
            let buffer = Unmanaged<DeferredWriteBuffer>.fromOpaque(raw)
            switch command {
            case BIO_CTRL_FLUSH:
                // Deferred: the connection flushes before it waits for the peer.
                return 1
            case BIO_CTRL_WPENDING:
                return buffer._withUnsafeGuaranteedRef { $0.pending }
            case BIO_C_GET_FD:
                let descriptor = buffer._withUnsafeGuaranteedRef { $0.descriptor }
                pointer?.assumingMemoryBound(to: CInt.self).pointee = descriptor
                return Int(descriptor)
            default:
                return 0
            }
        }
        BIO_meth_set_destroy(method) { bio in
            guard let bio, let raw = BIO_get_data(bio) else { return 1 }
            Unmanaged<DeferredWriteBuffer>.fromOpaque(raw).release()
            BIO_set_data(bio, nil)
            return 1
        }
        self.method = method
    }

    /// A BIO writing through `buffer`, which it keeps alive until it is freed.
    func makeBIO(_ buffer: DeferredWriteBuffer) -> OpaquePointer? {
        guard let method, let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, Unmanaged.passRetained(buffer).toOpaque())
        BIO_set_init(bio, 1)
        return bio
    }
}
