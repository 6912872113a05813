import Glibc
import Synchronization

/// Bytes a snapshot keeps for its whole life (a certificate, a policy body, a sealed key), packed with many others
/// into large blocks mapped outside the heap rather than one heap allocation each.
///
/// A million hosts otherwise mean millions of small allocations interleaved with the rows and strings a bulk load
/// frees a moment later: glibc cannot return a page while one live object sits on it, so the process stayed about
/// twice the size of what it held. Packed, the heap keeps only the index, and a block is unmapped once no snapshot
/// refers to any of its bytes.
///
/// ```swift
/// let body = PackedBytes(Array("version: STSv1\r\n".utf8))
/// body.bytes    // a fresh [UInt8] copy
/// body == PackedBytes(Array("version: STSv1\r\n".utf8))  // compares the bytes
/// ```
package struct PackedBytes: Sendable, Equatable, Hashable {
    private let block: PackedByteBlock
    private let offset: UInt32
    private let length: UInt32

    /// Copies `bytes` into the current block.
    package init(_ bytes: [UInt8]) {
        (block, offset) = bytes.withUnsafeBytes(PackedByteBlock.pack)
        length = UInt32(bytes.count)
    }

    /// Copies `bytes` into the current block.
    package init(_ bytes: ArraySlice<UInt8>) {
        (block, offset) = bytes.withUnsafeBytes(PackedByteBlock.pack)
        length = UInt32(bytes.count)
    }

    /// Copies the UTF-8 of `string` into the current block.
    package init(utf8 string: String) {
        var string = string
        let count = string.utf8.count
        (block, offset) = string.withUTF8 { PackedByteBlock.pack(UnsafeRawBufferPointer($0)) }
        length = UInt32(count)
    }

    /// The number of bytes.
    package var count: Int { Int(length) }

    /// Whether there are none.
    package var isEmpty: Bool { length == 0 }

    /// Calls `body` with the bytes; valid only inside `body`.
    package func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: block.base + Int(offset), count: Int(length)))
    }

    /// The bytes as a new array.
    package var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The bytes decoded as UTF-8 (invalid sequences replaced).
    package var string: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    package static func == (lhs: PackedBytes, rhs: PackedBytes) -> Bool {
        guard lhs.length == rhs.length else { return false }
        if lhs.block === rhs.block && lhs.offset == rhs.offset { return true }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                guard let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return true }
                return memcmp(leftBase, rightBase, left.count) == 0
            }
        }
    }

    package func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// One mapped block of packed bytes; unmapped when the last ``PackedBytes`` in it goes.
///
/// `@unchecked Sendable`: bytes are written once, below the fill mark, while `current`'s lock is held, and never
/// again; readers only see them through a ``PackedBytes`` published after that write.
private final class PackedByteBlock: @unchecked Sendable {
    /// Blocks are this large (or larger, for one big value), mapped anonymously so they never mix with the heap.
    static let size = 1 << 20

    let base: UnsafeMutableRawPointer
    let capacity: Int
    /// How much is written; only changed under `current`'s lock.
    var used = 0

    /// The block being filled.
    private static let current = Mutex<PackedByteBlock?>(nil)

    private init(capacity: Int) {
        self.capacity = capacity
        let mapped = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mapped, mapped != MAP_FAILED else {
            // The process is out of address space; nothing sensible can continue (as a failed malloc traps).
            preconditionFailure("mmap of \(capacity) bytes for packed snapshot bytes failed: errno \(errno)")
        }
        base = mapped
    }

    deinit {
        munmap(base, capacity)
    }

    /// Copies `bytes` into the current block (a new one when they do not fit) and says where.
    static func pack(_ bytes: UnsafeRawBufferPointer) -> (PackedByteBlock, UInt32) {
        current.withLock { current in
            let block: PackedByteBlock
            if let filling = current, filling.capacity - filling.used >= bytes.count {
                block = filling
            } else if bytes.count > size / 4 {
                // A large value gets a block of its own and leaves the current one filling.
                block = PackedByteBlock(capacity: (bytes.count + 4095) & ~4095)
            } else {
                block = PackedByteBlock(capacity: size)
                current = block
            }
            let offset = block.used
            if let source = bytes.baseAddress, bytes.count > 0 {
                (block.base + offset).copyMemory(from: source, byteCount: bytes.count)
            }
            block.used += bytes.count
            return (block, UInt32(offset))
        }
    }
}
