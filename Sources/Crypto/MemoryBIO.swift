internal import COpenSSL

/// Owns an in-memory OpenSSL `BIO` (`BIO_s_mem`), used to feed PEM text in and read printed output back.
final class MemoryBIO {
    /// The owned `BIO *`; freed in `deinit`.
    let pointer: OpaquePointer

    /// Creates an empty memory BIO.
    init() throws {
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw CryptoError.openSSL("BIO_new failed")
        }
        self.pointer = bio
    }

    /// Creates a memory BIO holding a copy of `bytes`.
    convenience init(bytes: [UInt8]) throws {
        try self.init()
        guard !bytes.isEmpty else {
            return
        }
        guard bytes.count <= Int(Int32.max) else {
            throw CryptoError(.invalidInput, "input too large for a BIO")
        }
        let written = BIO_write(pointer, bytes, Int32(bytes.count))
        guard written == Int32(bytes.count) else {
            throw CryptoError.openSSL("BIO_write failed")
        }
    }

    deinit {
        BIO_free(pointer)
    }

    /// Reads and removes everything currently buffered.
    func readAll() -> [UInt8] {
        let pending = Int(BIO_ctrl_pending(pointer))
        guard pending > 0, pending <= Int(Int32.max) else {
            return []
        }
        var output = [UInt8](repeating: 0, count: pending)
        let read = BIO_read(pointer, &output, Int32(pending))
        return read > 0 ? Array(output.prefix(Int(read))) : []
    }
}
