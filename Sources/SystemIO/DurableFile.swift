import Glibc

/// Files that survive a crash or power loss once written: a temp file in the same directory, `fsync`, `rename`
/// over the target, then `fsync` of the directory (so the rename itself is on disk).
///
/// For state a role must find again after a restart: the snapshot file, the TLS-RPT spool.
///
/// ```swift
/// try DurableFile.write(bytes, to: "/var/lib/mtasts/edge-snapshot.bin")
/// ```
package enum DurableFile {
    /// Writes `bytes` to `path` atomically and durably, creating the directory if needed.
    /// - Parameters:
    ///   - temporaryPath: where to write first (same file system as `path`); `path` plus a suffix by default.
    ///   - permissions: the file's mode (owner read and write only by default).
    /// - Throws: ``SystemError`` naming the call that failed; the temp file is removed.
    package static func write(
        _ bytes: some Sequence<UInt8>,
        to path: String,
        temporaryPath: String? = nil,
        permissions: Int = 0o600
    ) throws {
        try write(to: path, temporaryPath: temporaryPath, permissions: permissions) { try $0.write(bytes) }
    }

    /// Streams a file to `path` atomically and durably: `body` writes the content through a
    /// ``BufferedFileWriter`` into the temp file, which is then flushed, `fsync`ed and renamed over `path`.
    ///
    /// For files too large to build in memory first (the snapshot file of 100,000 domains). When `body`
    /// throws, the temp file is removed and `path` keeps its previous content.
    ///
    /// ```swift
    /// try DurableFile.write(to: path) { writer in
    ///     for record in records { try writer.write(record) }
    /// }
    /// ```
    /// - Parameters:
    ///   - temporaryPath: where to write first (same file system as `path`); `path` plus a suffix by default.
    ///   - permissions: the file's mode (owner read and write only by default).
    ///   - body: writes the content.
    /// - Throws: ``SystemError`` naming the call that failed, or what `body` threw; the temp file is removed.
    package static func write(
        to path: String,
        temporaryPath: String? = nil,
        permissions: Int = 0o600,
        _ body: (BufferedFileWriter) throws -> Void
    ) throws {
        let directory = self.directory(of: path)
        try createDirectory(directory)
        let temporary = temporaryPath ?? "\(path).tmp-\(getpid())"
        let descriptor = try syscallValue("open") {
            Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(permissions))
        }
        do {
            let writer = BufferedFileWriter(descriptor: descriptor)
            try body(writer)
            try writer.flush()
            _ = try syscallValue("fsync") { Glibc.fsync(descriptor) }
            Glibc.close(descriptor)
        } catch {
            Glibc.close(descriptor)
            Glibc.unlink(temporary)
            throw error
        }
        do {
            _ = try syscallValue("rename") { Glibc.rename(temporary, path) }
        } catch {
            Glibc.unlink(temporary)
            throw error
        }
        try synchronizeDirectory(directory)
    }

    /// Creates `directory` and its parents (mode 0700) when missing.
    package static func createDirectory(_ directory: String) throws {
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            prefix += component
            if Glibc.mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw SystemError(errno: errno, function: "mkdir")
            }
            prefix += "/"
        }
    }

    /// `fsync` of a directory, so renames and unlinks in it are durable.
    package static func synchronizeDirectory(_ directory: String) throws {
        let descriptor = try syscallValue("open") { Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { Glibc.close(descriptor) }
        _ = try syscallValue("fsync") { Glibc.fsync(descriptor) }
    }

    /// The directory part of `path` (`.` when there is none).
    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
