import Glibc

// MARK: - Whole small files (blocking reads)

extension FileDescriptor {
    /// Opens `path` read-only and close-on-exec, in blocking mode.
    ///
    /// For small configuration files read at start-up (`/etc/resolv.conf`), never from an event loop.
    /// - Throws: ``SystemError`` from `open(2)` (`ENOENT`, `EACCES`, ...).
    package static func openForReading(_ path: String) throws -> FileDescriptor {
        FileDescriptor(rawValue: try Posix.openForReading(path))
    }

    /// Reads from the current position to end of file on a blocking descriptor.
    /// - Parameter maximumCount: The most bytes accepted; a longer file is an error, not a silent cut.
    /// - Returns: All the bytes read.
    /// - Throws: ``SystemError`` from `read(2)`, `EFBIG` (function `read`) when the file is longer than
    ///   `maximumCount`, or `EAGAIN` when the descriptor turns out to be non-blocking.
    package func readToEnd(maximumCount: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let result = try chunk.withUnsafeMutableBytes { try Posix.read(rawValue, into: $0) }
            guard case .processed(let count) = result else {
                throw SystemError(errno: EAGAIN, function: "read")
            }
            if count == 0 {
                return bytes
            }
            guard bytes.count + count <= maximumCount else {
                throw SystemError(errno: EFBIG, function: "read")
            }
            bytes.append(contentsOf: chunk[..<count])
        }
    }
}
