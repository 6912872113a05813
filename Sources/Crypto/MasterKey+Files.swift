#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The only file of the Crypto module that touches the disk (STYLE.md rule 14).

extension MasterKey {
    /// Largest key file accepted; anything bigger is certainly not a key.
    private static let maximumFileSize = 1024

    /// Loads a key file.
    ///
    /// Accepted contents: exactly 32 raw bytes (what ``generate(toFile:)`` writes), or 64 hex characters optionally
    /// followed by whitespace/newline (e.g. `openssl rand -hex 32 > master.key`). Anything else is rejected.
    ///
    /// - Throws: ``CryptoError/Code/fileSystem`` when the file cannot be read,
    ///   ``CryptoError/Code/invalidKey`` when its contents are neither form.
    package static func load(fromFile path: String) throws -> MasterKey {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw fileError("cannot open master key file \(path)")
        }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count < 0 {
                if errno == EINTR {
                    continue
                }
                throw fileError("cannot read master key file \(path)")
            }
            if count == 0 {
                break
            }
            contents.append(contentsOf: chunk.prefix(count))
            guard contents.count <= maximumFileSize else {
                throw CryptoError(.invalidKey, "master key file \(path) is too large")
            }
        }
        return try parse(fileContents: contents, path: path)
    }

    /// Interprets key file contents (see ``load(fromFile:)``).
    static func parse(fileContents contents: [UInt8], path: String) throws -> MasterKey {
        if contents.count == byteCount {
            return try MasterKey(bytes: contents)
        }
        var text = contents
        while let last = text.last, last == 0x0a || last == 0x0d || last == 0x20 || last == 0x09 {
            text.removeLast()
        }
        guard text.count == byteCount * 2, let bytes = Hex.decode(String(decoding: text, as: UTF8.self)) else {
            throw CryptoError(.invalidKey, "master key file \(path) must hold 32 raw bytes or 64 hex characters")
        }
        return try MasterKey(bytes: bytes)
    }

    /// Creates a new random key and writes it to `path` as 32 raw bytes with mode 0600.
    ///
    /// The key is written to a temporary file in the same directory, flushed with `fsync`, then hard-linked to
    /// `path`, so the key file appears complete or not at all. An existing file at `path` is never replaced:
    /// overwriting a master key would make every secret encrypted with it unreadable.
    ///
    /// - Throws: ``CryptoError/Code/fileSystem`` (including when `path` already exists).
    @discardableResult
    package static func generate(toFile path: String) throws -> MasterKey {
        let key = try generate()
        let temporaryPath = path + ".tmp-" + Hex.encode(try SecureRandom.bytes(count: 6))
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw fileError("cannot create \(temporaryPath)")
        }
        // After a successful link the temporary name is a second link to the same inode: always remove it.
        defer { unlink(temporaryPath) }
        do {
            defer { close(descriptor) }
            // The umask can only clear bits; fchmod makes the mode exactly 0600 whatever it is.
            guard fchmod(descriptor, 0o600) == 0 else {
                throw fileError("cannot set mode 0600 on \(temporaryPath)")
            }
            try writeAll(key.bytes, to: descriptor, path: temporaryPath)
            guard fsync(descriptor) == 0 else {
                throw fileError("cannot fsync \(temporaryPath)")
            }
        }
        guard link(temporaryPath, path) == 0 else {
            throw fileError("cannot create master key file \(path)")
        }
        syncDirectory(containing: path)
        return key
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR {
                    continue
                }
                throw fileError("cannot write \(path)")
            }
            offset += written
        }
    }

    /// Makes the new directory entry durable; failure only weakens crash safety, so it is not reported.
    private static func syncDirectory(containing path: String) {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor >= 0 {
            _ = fsync(descriptor)
            close(descriptor)
        }
    }

    private static func fileError(_ message: String, file: String = #fileID, line: Int = #line) -> CryptoError {
        let code = errno
        let reason = String(cString: strerror(code))
        return CryptoError(.fileSystem, "\(message): \(reason) (errno \(code))", file: file, line: line)
    }
}
