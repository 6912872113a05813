/// Removes the chunked transfer coding (RFC 9112 §7.1) from a body, for requests and responses alike.
///
/// Call ``next(from:)`` with the bytes that follow the header section until it returns `nil` (more bytes
/// needed) or ``Event/end``. Chunk extensions are validated and ignored; trailer fields are validated like
/// header fields and discarded (RFC 9112 §7.1.1, §7.1.2). The sum of the chunk sizes is held to
/// ``HTTPParserLimits/bodyBytes``, and the trailer section to ``HTTPParserLimits/headerBytes`` and
/// ``HTTPParserLimits/headerCount``. After ``Event/end`` the decoder consumes nothing and keeps returning
/// ``Event/end``; after a throw it must not be used again (the parsers that own one stay failed).
///
/// ```swift
/// var decoder = HTTPChunkedDecoder(limits: limits)
/// while let event = try decoder.next(from: &buffer) {
///     switch event {
///     case .data(let bytes): consume(bytes)
///     case .end: finish()
///     }
/// }
/// ```
struct HTTPChunkedDecoder: Sendable {
    /// One step of a chunked body.
    enum Event: Sendable, Hashable {
        /// Chunk data, in order; the slice shares the buffer's storage.
        case data(ArraySlice<UInt8>)
        /// The last chunk and the trailer section have been read.
        case end
    }

    /// Where the decoder is inside the body.
    private enum State: Sendable {
        case sizeLine
        case data(remaining: Int)
        case dataTerminator
        case trailerLines(bytes: Int, count: Int)
        case finished
    }

    /// The caps this decoder enforces.
    let limits: HTTPParserLimits
    /// The current state.
    private var state = State.sizeLine
    /// Reads the size lines and the trailer lines.
    private var lines = HTTPLineReader()
    /// Sum of the chunk sizes announced so far.
    private(set) var bodyBytes = 0

    /// Creates a decoder positioned before the first chunk-size line.
    init(limits: HTTPParserLimits) {
        self.limits = limits
    }

    /// Decodes as far as the buffer allows and returns the next event.
    ///
    /// - Parameter buffer: Received bytes; consumed bytes are skipped by moving its reader index.
    /// - Returns: The next event, or `nil` when more bytes are needed.
    /// - Throws: ``HTTPParseError`` when the coding violates RFC 9112 §7.1 or a limit.
    mutating func next(from buffer: inout ByteBuffer) throws(HTTPParseError) -> Event? {
        while true {
            switch state {
            case .sizeLine:
                let maxLength = HTTPParserLimits.chunkLineBytes
                guard let line = try lines.next(from: &buffer, maxLength: maxLength, overLimit: .chunkLineTooLong)
                else { return nil }
                let size = try parseSizeLine(line)
                state = size == 0 ? .trailerLines(bytes: 0, count: 0) : .data(remaining: size)

            case .data(let remaining):
                guard !buffer.isEmpty else { return nil }
                let chunk = buffer.readBytes(upTo: remaining)
                let left = remaining - chunk.count
                state = left == 0 ? .dataTerminator : .data(remaining: left)
                return .data(chunk)

            case .dataTerminator:
                guard try Self.readDataTerminator(&buffer) else { return nil }
                state = .sizeLine

            case .trailerLines(let bytes, let count):
                let maxLength = limits.headerBytes - bytes - 2
                guard let line = try lines.next(from: &buffer, maxLength: maxLength, overLimit: .headerSectionTooLarge)
                else { return nil }
                if line.isEmpty {
                    state = .finished
                    return .end
                }
                // RFC 9112 §7.1.2: trailer fields are parsed like header fields, then discarded here.
                guard count < limits.headerCount else { throw HTTPParseError(.tooManyFields) }
                _ = try HTTPHeaderSection.splitFieldLine(line, isFirstLine: false)
                state = .trailerLines(bytes: bytes + line.count + 2, count: count + 1)

            case .finished:
                return .end
            }
        }
    }

    /// Parses `chunk-size [ chunk-ext ]` and charges the size against the body limit.
    ///
    /// - Returns: The chunk size; 0 marks the last chunk.
    private mutating func parseSizeLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        var size: UInt64 = 0
        var index = line.startIndex
        // RFC 9112 §7.1: chunk-size = 1*HEXDIG, leading zeros included. Recipients must anticipate large
        // numerals and prevent integer overflow: the size accumulates in 64 bits with overflow checks, and a
        // numeral that does not fit is an invalid chunk size (400).
        while index < line.endIndex, let digit = HTTPSyntax.hexValue(line[index]) {
            let (shifted, overflowA) = size.multipliedReportingOverflow(by: 16)
            let (sum, overflowB) = shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { throw HTTPParseError(.invalidChunkSize) }
            size = sum
            index += 1
        }
        guard index > line.startIndex else { throw HTTPParseError(.invalidChunkSize) }
        // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ).
        // Extensions are ignored, but they must start with ";" and hold no CTLs.
        while index < line.endIndex, HTTPSyntax.isWhitespace(line[index]) { index += 1 }
        if index < line.endIndex {
            guard line[index] == .semicolon else { throw HTTPParseError(.invalidChunkSize) }
            for byte in line[index...] where !HTTPSyntax.isFieldValueByte(byte) {
                throw HTTPParseError(.invalidChunkExtension)
            }
        }
        // RFC 9110 §15.5.14: a size that fits in 64 bits but not in what is left of the body limit is
        // refused before any of its data (413).
        let budget = UInt64(max(limits.bodyBytes - bodyBytes, 0))
        guard size <= budget else { throw HTTPParseError(.contentTooLarge) }
        // The guard above bounds size by an Int, so the conversion cannot trap.
        let chunkSize = Int(size)
        bodyBytes += chunkSize
        return chunkSize
    }

    /// Consumes the CRLF that must follow chunk data (RFC 9112 §7.1).
    ///
    /// - Returns: `false` when the CRLF has not fully arrived yet.
    private static func readDataTerminator(_ buffer: inout ByteBuffer) throws(HTTPParseError) -> Bool {
        guard let first = buffer.byte(at: buffer.readerIndex) else { return false }
        // RFC 9112 §2.2: a bare LF is not a line terminator.
        if first == .lineFeed { throw HTTPParseError(.bareLineFeed) }
        // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF.
        guard first == .carriageReturn else { throw HTTPParseError(.invalidChunkTerminator) }
        guard let second = buffer.byte(at: buffer.readerIndex + 1) else { return false }
        guard second == .lineFeed else { throw HTTPParseError(.invalidChunkTerminator) }
        buffer.moveReaderIndex(forwardBy: 2)
        return true
    }
}
