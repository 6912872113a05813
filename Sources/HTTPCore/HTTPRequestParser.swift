/// An incremental, strict HTTP/1.1 request parser (RFC 9112) that works on a ``ByteBuffer``.
///
/// Call ``next(from:)`` whenever bytes arrive and until it returns `nil` (more bytes needed). Each request
/// yields one `.head`, zero or more `.body` chunks and one `.end`; pipelined requests follow one another in
/// the same buffer. Between calls the parser owns the buffer's readable bytes: do not consume them yourself,
/// but do call `discardReadBytes()` when convenient. After a throw the parser stays failed: answer with
/// ``HTTPParseError/status`` and close the connection.
///
/// ```swift
/// var parser = HTTPRequestParser()
/// buffer.append(contentsOf: received)
/// while let event = try parser.next(from: &buffer) {
///     switch event {
///     case .head(let head): start(head)
///     case .body(let bytes): consume(bytes)
///     case .end: finish()
///     }
/// }
/// buffer.discardReadBytes()
/// ```
package struct HTTPRequestParser: Sendable {
    /// One step of a request.
    package enum Event: Sendable, Hashable {
        /// The request line and header section; framing is already validated.
        case head(HTTPRequestHead)
        /// Body bytes, in order. The slice shares the buffer's storage: drop it before appending to the buffer
        /// again, or the append copies the storage.
        case body(ArraySlice<UInt8>)
        /// The request is complete (after the body and any trailers).
        case end
    }

    /// Where the parser is inside the current message.
    enum State: Sendable {
        case requestLine(emptyLines: Int)
        case fieldLines
        case contentBody(remaining: Int)
        case chunkSizeLine
        case chunkData(remaining: Int)
        case chunkDataTerminator
        case trailerLines(bytes: Int, count: Int)
        case endOfMessage
        case failed(HTTPParseError)
    }

    /// What has been parsed of the head so far.
    struct PendingHead: Sendable {
        /// The request method.
        var method = HTTPMethod.get
        /// The raw request-target.
        var target = ""
        /// The target's form and parts.
        var split = HTTPRequestTarget(form: .origin, authority: nil, path: 0..<0, query: nil)
        /// The request's version.
        var version = HTTPVersion.http1_1
        /// The field lines so far.
        var fields = HTTPFields()
        /// Bytes of the header section consumed so far, CRLFs included.
        var sectionBytes = 0
        /// How many Host lines were seen.
        var hostCount = 0
        /// The Content-Length value, once seen.
        var contentLength: Int?
        /// Whether a Transfer-Encoding line was seen.
        var hasTransferEncoding = false
        /// How many times chunked was listed.
        var chunkedCount = 0
        /// Whether the last coding listed so far is chunked.
        var isChunkedFinal = false
        /// Whether a coding other than chunked was listed.
        var hasUnknownCoding = false
    }

    /// The caps this parser enforces.
    package let limits: HTTPParserLimits
    /// The current state.
    var state = State.requestLine(emptyLines: 0)
    /// The head being parsed.
    var pending = PendingHead()
    /// Bytes after the reader index already searched for LF without success, so partial lines are not rescanned.
    private var scannedBytes = 0
    /// Sum of the chunk sizes of the current chunked body.
    var chunkedBodyBytes = 0

    /// Creates a parser enforcing `limits`.
    package init(limits: HTTPParserLimits = .default) {
        self.limits = limits
    }

    /// Whether the parser is between requests and has not seen any byte of the next one: a peer that closes
    /// now closes cleanly.
    package var isBetweenMessages: Bool {
        if case .requestLine(emptyLines: 0) = state { return scannedBytes == 0 }
        return false
    }

    /// Parses as far as the buffer allows and returns the next event.
    ///
    /// - Parameter buffer: Received bytes; consumed bytes are skipped by moving its reader index.
    /// - Returns: The next event, or `nil` when more bytes are needed.
    /// - Throws: ``HTTPParseError`` when the request violates RFC 9112 or a limit; every later call throws it too.
    package mutating func next(from buffer: inout ByteBuffer) throws(HTTPParseError) -> Event? {
        do {
            return try step(&buffer)
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step(_ buffer: inout ByteBuffer) throws(HTTPParseError) -> Event? {
        while true {
            switch state {
            case .failed(let error):
                throw error

            case .requestLine(let emptyLines):
                let maxLength = limits.requestLineBytes
                guard let line = try readLine(&buffer, maxLength: maxLength, overLimit: .requestLineTooLong) else {
                    return nil
                }
                if line.isEmpty {
                    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line received before the
                    // request line; a few are skipped, an endless stream is not.
                    guard emptyLines < HTTPParserLimits.leadingEmptyLines else {
                        throw HTTPParseError(.tooManyLeadingEmptyLines)
                    }
                    state = .requestLine(emptyLines: emptyLines + 1)
                    continue
                }
                try parseRequestLine(line)
                state = .fieldLines

            case .fieldLines:
                let maxLength = limits.headerBytes - pending.sectionBytes - 2
                guard let line = try readLine(&buffer, maxLength: maxLength, overLimit: .headerSectionTooLarge) else {
                    return nil
                }
                pending.sectionBytes += line.count + 2
                if line.isEmpty {
                    return .head(try finishHead())
                }
                try parseFieldLine(line)

            case .contentBody(let remaining):
                guard !buffer.isEmpty else { return nil }
                let chunk = buffer.readBytes(upTo: remaining)
                let left = remaining - chunk.count
                state = left == 0 ? .endOfMessage : .contentBody(remaining: left)
                return .body(chunk)

            case .chunkSizeLine:
                let maxLength = HTTPParserLimits.chunkLineBytes
                guard let line = try readLine(&buffer, maxLength: maxLength, overLimit: .chunkLineTooLong) else {
                    return nil
                }
                let size = try parseChunkSizeLine(line)
                state = size == 0 ? .trailerLines(bytes: 0, count: 0) : .chunkData(remaining: size)

            case .chunkData(let remaining):
                guard !buffer.isEmpty else { return nil }
                let chunk = buffer.readBytes(upTo: remaining)
                let left = remaining - chunk.count
                state = left == 0 ? .chunkDataTerminator : .chunkData(remaining: left)
                return .body(chunk)

            case .chunkDataTerminator:
                guard try readChunkDataTerminator(&buffer) else { return nil }
                state = .chunkSizeLine

            case .trailerLines(let bytes, let count):
                let maxLength = limits.headerBytes - bytes - 2
                guard let line = try readLine(&buffer, maxLength: maxLength, overLimit: .headerSectionTooLarge) else {
                    return nil
                }
                if line.isEmpty {
                    state = .requestLine(emptyLines: 0)
                    return .end
                }
                // RFC 9112 §7.1.2: trailer fields are parsed like header fields, then discarded here.
                guard count < limits.headerCount else { throw HTTPParseError(.tooManyFields) }
                _ = try Self.splitFieldLine(line, isFirstLine: false)
                state = .trailerLines(bytes: bytes + line.count + 2, count: count + 1)

            case .endOfMessage:
                state = .requestLine(emptyLines: 0)
                return .end
            }
        }
    }

    /// Reads one CRLF-terminated line, without its CRLF, advancing the reader index past it.
    ///
    /// The limit check gives the same answer whether the line arrives whole or a byte at a time.
    /// - Returns: The line, or `nil` when its LF has not arrived yet.
    private mutating func readLine(
        _ buffer: inout ByteBuffer,
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
        // RFC 9112 §2.2: a bare LF is not accepted as a line terminator (it enables request smuggling
        // through parsers that disagree on where a line ends).
        guard rawLength > 0, buffer.storage[lineFeed - 1] == .carriageReturn else {
            throw HTTPParseError(.bareLineFeed)
        }
        let line = buffer.storage[start..<(lineFeed - 1)]
        buffer.moveReaderIndex(to: lineFeed + 1)
        return line
    }
}
