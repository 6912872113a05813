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
        case chunkedBody
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
        /// The header section so far.
        var section = HTTPHeaderSection()
        /// How many Host lines were seen.
        var hostCount = 0
    }

    /// The caps this parser enforces.
    package let limits: HTTPParserLimits
    /// The current state.
    var state = State.requestLine(emptyLines: 0)
    /// The head being parsed.
    var pending = PendingHead()
    /// Reads the request line and the field lines.
    private var lines = HTTPLineReader()
    /// Decodes the current chunked body.
    var chunked: HTTPChunkedDecoder

    /// Creates a parser enforcing `limits`.
    package init(limits: HTTPParserLimits = .default) {
        self.limits = limits
        self.chunked = HTTPChunkedDecoder(limits: limits)
    }

    /// Whether the parser is between requests and has not seen any byte of the next one: a peer that closes
    /// now closes cleanly.
    package var isBetweenMessages: Bool {
        if case .requestLine(emptyLines: 0) = state { return !lines.hasPartialLine }
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
                guard let line = try lines.next(from: &buffer, maxLength: maxLength, overLimit: .requestLineTooLong)
                else { return nil }
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
                let maxLength = pending.section.remainingLineBytes(limits)
                guard let line = try lines.next(from: &buffer, maxLength: maxLength, overLimit: .headerSectionTooLarge)
                else { return nil }
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

            case .chunkedBody:
                switch try chunked.next(from: &buffer) {
                case .data(let chunk):
                    return .body(chunk)
                case .end:
                    state = .requestLine(emptyLines: 0)
                    return .end
                case nil:
                    return nil
                }

            case .endOfMessage:
                state = .requestLine(emptyLines: 0)
                return .end
            }
        }
    }
}
