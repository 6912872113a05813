/// A growable byte buffer: `[UInt8]` storage plus a reader index.
///
/// Bytes are appended at the end and consumed from the front by moving `readerIndex`; the consumed prefix
/// is reclaimed only when ``discardReadBytes()`` is called, so parsers can work on stable indices.
///
/// ```swift
/// var buffer = ByteBuffer()
/// buffer.append(contentsOf: Array("GET / HTTP/1.1\r\n".utf8))
/// let end = buffer.firstCRLF()            // index of the CR, relative to the storage
/// buffer.moveReaderIndex(forwardBy: 16)
/// buffer.discardReadBytes()
/// ```
package struct ByteBuffer: Sendable, Equatable {
    /// The backing storage, including bytes already read.
    package private(set) var storage: [UInt8]
    /// Index into ``storage`` of the first unread byte.
    package private(set) var readerIndex: Int

    /// Creates an empty buffer, optionally reserving capacity.
    package init(capacity: Int = 0) {
        storage = []
        storage.reserveCapacity(capacity)
        readerIndex = 0
    }

    /// Creates a buffer whose readable bytes are `bytes`.
    package init(bytes: some Sequence<UInt8>) {
        storage = Array(bytes)
        readerIndex = 0
    }

    /// The number of unread bytes.
    package var readableBytes: Int { storage.count - readerIndex }

    /// Whether there is nothing left to read.
    package var isEmpty: Bool { readerIndex == storage.count }

    /// A view of the unread bytes; its indices are storage indices.
    package var readableBytesView: ArraySlice<UInt8> { storage[readerIndex...] }

    /// Index into ``storage`` one past the last byte.
    package var writerIndex: Int { storage.count }

    // MARK: - Writing

    /// Appends bytes at the end of the buffer.
    package mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        storage.append(contentsOf: bytes)
    }

    /// Appends `bytes` with one copy. Other modules would otherwise reach the generic overload unspecialised,
    /// which copies byte by byte: this one runs for every read on every connection.
    package mutating func append(contentsOf bytes: ArraySlice<UInt8>) {
        storage.append(contentsOf: bytes)
    }

    /// Appends one byte at the end of the buffer.
    package mutating func append(_ byte: UInt8) {
        storage.append(byte)
    }

    /// Appends the UTF-8 bytes of a string.
    package mutating func append(string: String) {
        storage.append(contentsOf: string.utf8)
    }

    // MARK: - Reading

    /// Marks `count` bytes as read.
    ///
    /// - Parameter count: Clamped to `0...readableBytes`.
    package mutating func moveReaderIndex(forwardBy count: Int) {
        readerIndex += min(max(count, 0), readableBytes)
    }

    /// Moves the reader index to `index` (a storage index between the reader and writer index).
    package mutating func moveReaderIndex(to index: Int) {
        readerIndex = min(max(index, readerIndex), storage.count)
    }

    /// Reads up to `count` bytes and advances the reader index.
    ///
    /// - Returns: A slice of at most `count` bytes; empty when nothing is readable.
    package mutating func readBytes(upTo count: Int) -> ArraySlice<UInt8> {
        let end = readerIndex + min(max(count, 0), readableBytes)
        let slice = storage[readerIndex..<end]
        readerIndex = end
        return slice
    }

    /// Reads exactly `count` bytes, or returns `nil` (reading nothing) when fewer are available.
    package mutating func readBytes(exactly count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, count <= readableBytes else { return nil }
        return readBytes(upTo: count)
    }

    /// Reads everything that is readable.
    package mutating func readAll() -> ArraySlice<UInt8> {
        readBytes(upTo: readableBytes)
    }

    /// Drops the bytes before ``readerIndex`` so the storage can be reused.
    ///
    /// Invalidates storage indices previously obtained from this buffer.
    package mutating func discardReadBytes() {
        guard readerIndex > 0 else { return }
        if readerIndex == storage.count {
            storage.removeAll(keepingCapacity: true)
        } else {
            storage.removeSubrange(0..<readerIndex)
        }
        readerIndex = 0
    }

    /// Removes every byte, keeping capacity.
    package mutating func clear() {
        storage.removeAll(keepingCapacity: true)
        readerIndex = 0
    }

    // MARK: - Searching

    /// The storage index of the first `byte` at or after `start` (default: the reader index).
    package func firstIndex(of byte: UInt8, from start: Int? = nil) -> Int? {
        let from = max(start ?? readerIndex, readerIndex)
        guard from < storage.count else { return nil }
        return storage.withUnsafeBufferPointer { pointer -> Int? in
            var index = from
            while index < pointer.count {
                if pointer[index] == byte { return index }
                index += 1
            }
            return nil
        }
    }

    /// The storage index of the CR of the first CR LF pair at or after `start` (default: the reader index).
    package func firstCRLF(from start: Int? = nil) -> Int? {
        var from = max(start ?? readerIndex, readerIndex) + 1
        while let lineFeed = firstIndex(of: .lineFeed, from: from) {
            if lineFeed > readerIndex, storage[lineFeed - 1] == .carriageReturn { return lineFeed - 1 }
            from = lineFeed + 1
        }
        return nil
    }

    /// The byte at a storage index, or `nil` outside the readable range.
    package func byte(at index: Int) -> UInt8? {
        guard index >= readerIndex, index < storage.count else { return nil }
        return storage[index]
    }
}

extension ByteBuffer: ExpressibleByStringLiteral {
    /// Creates a buffer holding the UTF-8 bytes of a literal (handy in tests).
    package init(stringLiteral value: String) {
        self.init(bytes: value.utf8)
    }
}

extension UInt8 {
    /// ASCII horizontal tab.
    static let tab: UInt8 = 0x09
    /// ASCII line feed.
    static let lineFeed: UInt8 = 0x0A
    /// ASCII carriage return.
    static let carriageReturn: UInt8 = 0x0D
    /// ASCII space.
    static let space: UInt8 = 0x20
    /// ASCII colon.
    static let colon: UInt8 = 0x3A
    /// ASCII semicolon.
    static let semicolon: UInt8 = 0x3B
    /// ASCII comma.
    static let comma: UInt8 = 0x2C
    /// ASCII double quote.
    static let quote: UInt8 = 0x22
    /// ASCII question mark.
    static let questionMark: UInt8 = 0x3F
    /// ASCII slash.
    static let slash: UInt8 = 0x2F
    /// ASCII asterisk.
    static let asterisk: UInt8 = 0x2A
    /// ASCII period.
    static let period: UInt8 = 0x2E
}
