import Glibc

/// Collects small writes to a blocking file descriptor into few large `write(2)` calls.
///
/// Handed out by ``DurableFile/write(to:temporaryPath:permissions:_:)``, which owns the descriptor and
/// flushes at the end. A reference type so that an encoder can hold it while the caller writes; used by one
/// thread at a time, never from an event loop.
package final class BufferedFileWriter {
    private let descriptor: CInt
    private let capacity: Int
    private var buffer: [UInt8]

    /// - Parameters:
    ///   - descriptor: an open, blocking descriptor the caller keeps owning.
    ///   - capacity: bytes collected before a `write(2)`; larger single writes go straight through.
    init(descriptor: CInt, capacity: Int = 64 * 1024) {
        self.descriptor = descriptor
        self.capacity = capacity
        buffer = []
        buffer.reserveCapacity(capacity)
    }

    /// Appends `bytes`; contiguous storage (Array, Data) larger than the buffer is written in place.
    /// - Throws: ``SystemError`` from `write(2)`.
    package func write(_ bytes: some Sequence<UInt8>) throws {
        let wrote: Void? = try bytes.withContiguousStorageIfAvailable { try write(UnsafeRawBufferPointer($0)) }
        if wrote == nil { try Array(bytes).withUnsafeBytes { try write($0) } }
    }

    /// Appends `bytes`.
    /// - Throws: ``SystemError`` from `write(2)`.
    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try Self.writeAll(bytes, to: descriptor)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Writes what is buffered.
    /// - Throws: ``SystemError`` from `write(2)`.
    package func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try Self.writeAll($0, to: descriptor) }
        buffer.removeAll(keepingCapacity: true)
    }

    private static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: CInt) throws {
        var offset = 0
        while offset < buffer.count {
            let written = try syscallValue("write") {
                Glibc.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            offset += written
        }
    }
}
