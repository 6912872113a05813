/// Reads CRLF-terminated lines (RFC 9112 §2.2) from a ``ByteBuffer`` for the request parser, the response
/// parser and the chunked decoder.
///
/// A line is handed out without its CRLF, as a slice of the buffer's storage, and only once its LF has
/// arrived. The reader remembers how far it has already searched a partial line, so a line that arrives a byte
/// at a time is not rescanned from its start on every call. A line over its cap is refused as soon as the
/// buffer holds more bytes than the cap allows, whether or not its LF has arrived, so the verdict does not
/// depend on how the bytes were split.
///
/// ```swift
/// var lines = HTTPLineReader()
/// while let line = try lines.next(from: &buffer, maxLength: 8192, overLimit: .requestLineTooLong) {
///     handle(line)
/// }
/// ```
struct HTTPLineReader: Sendable {
    /// Bytes after the reader index already searched for LF without success.
    private var scannedBytes = 0

    /// Creates a reader positioned at the start of a line.
    init() {}

    /// Whether bytes of an unfinished line have been seen: `false` between lines.
    var hasPartialLine: Bool { scannedBytes > 0 }

    /// Reads the next line, without its CRLF, and moves the buffer's reader index past the LF.
    ///
    /// The buffer must not be consumed by anyone else between calls while a line is partial;
    /// `discardReadBytes()` is fine.
    /// - Parameters:
    ///   - buffer: Received bytes.
    ///   - maxLength: The longest line accepted, CRLF excluded.
    ///   - overLimit: The error thrown for a longer line.
    /// - Returns: The line (a slice of `buffer.storage`), or `nil` when its LF has not arrived yet.
    /// - Throws: ``HTTPParseError`` with `overLimit`, or with ``HTTPParseError/Code/bareLineFeed`` for a line
    ///   that ends in LF without CR.
    mutating func next(
        from buffer: inout ByteBuffer,
        maxLength: Int,
        overLimit: HTTPParseError.Code
    ) throws(HTTPParseError) -> ArraySlice<UInt8>? {
        let start = buffer.readerIndex
        guard let lineFeed = buffer.firstIndex(of: .lineFeed, from: start + scannedBytes) else {
            scannedBytes = buffer.readableBytes
            // Even if the last byte is the CR, the line is already longer than allowed.
            if buffer.readableBytes > maxLength + 1 { throw HTTPParseError(overLimit) }
            return nil
        }
        scannedBytes = 0
        let rawLength = lineFeed - start
        if rawLength > maxLength + 1 { throw HTTPParseError(overLimit) }
        // RFC 9112 §2.2: a bare LF is not accepted as a line terminator (it enables request smuggling and
        // response splitting through parsers that disagree on where a line ends).
        guard rawLength > 0, buffer.storage[lineFeed - 1] == .carriageReturn else {
            throw HTTPParseError(.bareLineFeed)
        }
        let line = buffer.storage[start..<(lineFeed - 1)]
        buffer.moveReaderIndex(to: lineFeed + 1)
        return line
    }
}
