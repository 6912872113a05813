/// Decompressed bytes under a hard cap, grown in steps that never allocate past the cap.
///
/// ``bytes`` holds ``count`` bytes of output followed by zeroed room for more, so the inflater writes by index
/// (bounds-checked, no per-byte capacity test). ``reserve(_:)`` makes room or throws
/// ``DecompressionError/outputTooLarge`` before anything past ``limit`` is written or allocated.
struct OutputBuffer {
    /// The output so far (the first ``count`` bytes), then room for more.
    var bytes: [UInt8]
    /// The number of output bytes written.
    var count = 0
    /// The most output bytes allowed.
    let limit: Int

    /// An empty buffer for at most `limit` bytes, with room for `expected` bytes to start with.
    init(limit: Int, expected: Int) {
        self.limit = limit
        bytes = [UInt8](repeating: 0, count: min(limit, max(expected, 0)))
    }

    /// Makes room for `needed` more bytes.
    /// - Throws: ``DecompressionError/outputTooLarge`` when `count + needed` passes ``limit``.
    @inline(__always)
    mutating func reserve(_ needed: Int) throws(DecompressionError) {
        if count + needed > bytes.count {
            try grow(needed)
        }
    }

    private mutating func grow(_ needed: Int) throws(DecompressionError) {
        guard needed <= limit - count else {
            throw .outputTooLarge("decompressed size exceeds \(limit) bytes")
        }
        let size = min(limit, max(bytes.count * 2, count + needed, 4096))
        bytes.reserveCapacity(size)
        bytes.append(contentsOf: repeatElement(0, count: size - bytes.count))
    }

    /// The output, with the spare room removed.
    consuming func finish() -> [UInt8] {
        bytes.removeSubrange(count...)
        return bytes
    }
}
