import Glibc

/// Reads a file front to back through a fixed buffer, so a large file is parsed without holding it whole.
///
/// Blocking reads, for start-up paths such as the snapshot file, never from an event loop. Used by one
/// thread at a time; the descriptor closes with the reader.
///
/// ```swift
/// let reader = try BufferedFileReader(path: path)
/// let header = try reader.read(upTo: 8)
/// ```
package final class BufferedFileReader {
    private let descriptor: FileDescriptor
    private let capacity: Int
    private var buffer: [UInt8] = []
    /// The first unread byte of ``buffer``.
    private var index = 0
    private var isAtEndOfFile = false

    /// Opens `path` read-only.
    /// - Parameter capacity: bytes read per `read(2)`.
    /// - Throws: ``SystemError`` from `open(2)` (`ENOENT` when there is no file).
    package init(path: String, capacity: Int = 64 * 1024) throws {
        descriptor = try FileDescriptor.openForReading(path)
        self.capacity = capacity
    }

    /// Reads the next `count` bytes.
    /// - Returns: `count` bytes, or fewer only when the file ends first.
    /// - Throws: ``SystemError`` from `read(2)`.
    package func read(upTo count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            if index == buffer.count {
                guard try refill() else { break }
            }
            let end = min(buffer.count, index + count - bytes.count)
            bytes.append(contentsOf: buffer[index..<end])
            index = end
        }
        return bytes
    }

    /// Whether every byte of the file has been read.
    /// - Throws: ``SystemError`` from `read(2)`.
    package func isAtEnd() throws -> Bool {
        if index < buffer.count { return false }
        return try !refill()
    }

    /// Replaces the consumed buffer with the next chunk; false at end of file.
    private func refill() throws -> Bool {
        guard !isAtEndOfFile else { return false }
        buffer = try [UInt8](unsafeUninitializedCapacity: capacity) { chunk, initialized in
            initialized = 0
            // A descriptor from `openForReading` is blocking; `.wouldBlock` would be a caller's bug.
            guard
                case .processed(let count) = try Posix.read(
                    descriptor.rawValue,
                    into: UnsafeMutableRawBufferPointer(chunk)
                )
            else { throw SystemError(errno: EAGAIN, function: "read") }
            initialized = count
        }
        index = 0
        isAtEndOfFile = buffer.isEmpty
        return !isAtEndOfFile
    }
}
