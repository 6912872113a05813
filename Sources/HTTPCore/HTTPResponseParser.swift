/// An incremental, strict HTTP/1.1 response parser (RFC 9112) that works on a ``ByteBuffer``; the client-side
/// twin of ``HTTPRequestParser``, sharing its line reader, field-line rules, chunked decoder, limits and
/// errors.
///
/// Call ``next(from:)`` whenever bytes arrive and until it returns `nil` (more bytes needed), and
/// ``endOfStream()`` when the connection closes: a body delimited by the close ends there, any other
/// message is then incomplete. Interim 1xx responses are validated and skipped. A response yields one `.head`,
/// zero or more `.body` slices and one `.end`; the parser reads one response (the client sends
/// `Connection: close`), and bytes after it are left in the buffer. The body rules depend on the request, so
/// the caller names the request's method. After a throw the parser stays failed.
///
/// ```swift
/// var parser = HTTPResponseParser(limits: HTTPParserLimits(bodyBytes: 1 << 20), requestMethod: .get)
/// buffer.append(contentsOf: received)
/// while let event = try parser.next(from: &buffer) {
///     switch event {
///     case .head(let head): status = head.status
///     case .body(let bytes): body += bytes
///     case .end: return
///     }
/// }
/// buffer.discardReadBytes()
/// ```
package struct HTTPResponseParser: Sendable {
    /// One step of the response.
    package enum Event: Sendable, Hashable {
        /// The status line and header section of the final response; the body framing is already validated.
        case head(HTTPResponseHead)
        /// Body bytes in order, with the chunked coding removed. The slice shares the buffer's storage: drop it
        /// before appending to the buffer again, or the append copies the storage.
        case body(ArraySlice<UInt8>)
        /// The response is complete.
        case end
    }

    /// Where the parser is inside the response.
    enum State: Sendable {
        case statusLine(interimCount: Int)
        case fieldLines(interimCount: Int)
        case contentBody(remaining: Int)
        case chunkedBody
        case untilClose(received: Int)
        case endOfMessage
        case complete
        case failed(HTTPParseError)
    }

    /// The caps this parser enforces (``HTTPParserLimits/statusLineBytes`` instead of the request line's).
    package let limits: HTTPParserLimits
    /// The method of the request this response answers: a response to HEAD has no body whatever its fields
    /// say, and a 2xx to CONNECT starts a tunnel (RFC 9112 §6.3).
    package let requestMethod: HTTPMethod
    /// The current state.
    var state = State.statusLine(interimCount: 0)
    /// The status line of the response being parsed.
    var head = HTTPResponseHead(status: .ok)
    /// The header section of the response being parsed.
    var section = HTTPHeaderSection()
    /// Reads the status line and the field lines.
    private var lines = HTTPLineReader()
    /// Decodes a chunked body.
    var chunked: HTTPChunkedDecoder

    /// Creates a parser for the response to a `requestMethod` request.
    package init(limits: HTTPParserLimits = .default, requestMethod: HTTPMethod) {
        self.limits = limits
        self.requestMethod = requestMethod
        self.chunked = HTTPChunkedDecoder(limits: limits)
    }

    /// Whether the final response has been fully parsed.
    package var isComplete: Bool {
        if case .complete = state { return true }
        return false
    }

    /// Parses as far as the buffer allows and returns the next event.
    ///
    /// - Parameter buffer: Received bytes; consumed bytes are skipped by moving its reader index.
    /// - Returns: The next event, or `nil` when more bytes are needed or the response is complete.
    /// - Throws: ``HTTPParseError`` when the response violates RFC 9112 or a limit; every later call throws it
    ///   too.
    package mutating func next(from buffer: inout ByteBuffer) throws(HTTPParseError) -> Event? {
        do {
            return try step(&buffer)
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// Tells the parser that the server closed the connection; call it once ``next(from:)`` has returned `nil`
    /// for everything received.
    ///
    /// - Returns: `.end` when the body was delimited by the close (RFC 9112 §6.3, item 8); `nil` when the
    ///   response was already complete.
    /// - Throws: ``HTTPParseError/Code/missingResponse`` when nothing arrived,
    ///   ``HTTPParseError/Code/truncatedMessage`` when the response was cut short (RFC 9112 §8).
    package mutating func endOfStream() throws(HTTPParseError) -> Event? {
        switch state {
        case .untilClose, .endOfMessage:
            state = .complete
            return .end
        case .complete:
            return nil
        case .failed(let error):
            throw error
        case .statusLine(interimCount: 0) where !lines.hasPartialLine:
            let error = HTTPParseError(.missingResponse)
            state = .failed(error)
            throw error
        case .statusLine, .fieldLines, .contentBody, .chunkedBody:
            // RFC 9112 §8: a message whose framing says it continues is incomplete when the connection closes.
            let error = HTTPParseError(.truncatedMessage)
            state = .failed(error)
            throw error
        }
    }

    private mutating func step(_ buffer: inout ByteBuffer) throws(HTTPParseError) -> Event? {
        while true {
            switch state {
            case .failed(let error):
                throw error

            case .complete:
                return nil

            case .statusLine(let interimCount):
                let maxLength = limits.statusLineBytes
                guard let line = try lines.next(from: &buffer, maxLength: maxLength, overLimit: .statusLineTooLong)
                else { return nil }
                head = try Self.parseStatusLine(line)
                section = HTTPHeaderSection()
                state = .fieldLines(interimCount: interimCount)

            case .fieldLines(let interimCount):
                let maxLength = section.remainingLineBytes(limits)
                guard let line = try lines.next(from: &buffer, maxLength: maxLength, overLimit: .headerSectionTooLarge)
                else { return nil }
                if !line.isEmpty {
                    _ = try section.append(fieldLine: line, limits: limits)
                    continue
                }
                if head.status.kind == 1 {
                    // RFC 9110 §15.2: interim responses precede the final one and have no body (RFC 9112 §6.3,
                    // item 1); 101 would switch protocols, which the parser's caller never asks for.
                    guard head.status.code != 101, interimCount < HTTPParserLimits.interimResponses else {
                        throw HTTPParseError(.unexpectedInterimResponse)
                    }
                    state = .statusLine(interimCount: interimCount + 1)
                    continue
                }
                state = try bodyState()
                head.fields = section.fields
                section = HTTPHeaderSection()
                return .head(head)

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
                    state = .complete
                    return .end
                case nil:
                    return nil
                }

            case .untilClose(let received):
                guard !buffer.isEmpty else { return nil }
                // RFC 9110 §15.5.14: the body limit holds for a body delimited by the close, too. Bytes up to the
                // limit are delivered and the first byte over it is refused, so the events before the error do
                // not depend on how the bytes were split.
                guard received < limits.bodyBytes else { throw HTTPParseError(.contentTooLarge) }
                let chunk = buffer.readBytes(upTo: limits.bodyBytes - received)
                state = .untilClose(received: received + chunk.count)
                return .body(chunk)

            case .endOfMessage:
                state = .complete
                return .end
            }
        }
    }
}
