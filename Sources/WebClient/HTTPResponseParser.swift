package import HTTPCore

/// An incremental, strict HTTP/1.1 response parser (RFC 9112) working on a ``ByteBuffer``.
///
/// Call ``next(from:)`` whenever bytes arrive until it returns `nil` (more bytes needed), and
/// ``endOfStream()`` when the connection closes: a read-until-close body ends there, any other framing
/// is then incomplete. Interim 1xx responses are skipped. A response yields one `.head`, zero or more
/// `.body` slices and one `.end`; the parser serves one response per connection (`Connection: close`).
///
/// ```swift
/// var parser = HTTPResponseParser(limits: HTTPResponseParserLimits(), requestMethod: .get)
/// buffer.append(contentsOf: received)
/// while let event = try parser.next(from: &buffer) {
///     switch event {
///     case .head(let head): status = head.status
///     case .body(let bytes): body += bytes
///     case .end: return
///     }
/// }
/// ```
package struct HTTPResponseParser: Sendable {
    /// One step of the response.
    package enum Event: Sendable, Hashable {
        /// The status line and header fields; the body framing is already validated.
        case head(HTTPResponseHead)
        /// Body bytes in order, with the chunked coding removed. The slice shares the buffer's storage.
        case body(ArraySlice<UInt8>)
        /// The response is complete.
        case end
    }

    /// Where the parser is in the response.
    enum State: Sendable {
        case statusLine(interimCount: Int)
        case fieldLines(head: HTTPResponseHead, bytes: Int, interimCount: Int)
        case contentBody(remaining: Int)
        case chunkSizeLine
        case chunkData(remaining: Int)
        case chunkDataTerminator
        case trailerLines(bytes: Int, count: Int)
        case untilClose
        case endOfMessage
        case complete
        case failed(HTTPClientError)
    }

    /// The caps this parser enforces.
    package let limits: HTTPResponseParserLimits
    /// The request's method: a response to HEAD has no body whatever its fields say (RFC 9112 §6.3).
    package let requestMethod: HTTPMethod
    var state = State.statusLine(interimCount: 0)
    /// Body bytes delivered so far (checked against ``HTTPResponseParserLimits/bodyBytes``).
    var bodyBytes = 0

    /// Creates a parser for the response to a `requestMethod` request.
    package init(limits: HTTPResponseParserLimits = HTTPResponseParserLimits(), requestMethod: HTTPMethod) {
        self.limits = limits
        self.requestMethod = requestMethod
    }

    /// Whether the final response has been fully parsed.
    package var isComplete: Bool {
        if case .complete = state { return true }
        return false
    }

    /// Parses as far as the buffer allows.
    /// - Returns: The next event, or `nil` when more bytes are needed (or the response is complete).
    /// - Throws: ``HTTPClientError`` (``HTTPClientError/Code/malformedResponse`` or
    ///   ``HTTPClientError/Code/bodyTooLarge``); every later call throws it again.
    package mutating func next(from buffer: inout ByteBuffer) throws(HTTPClientError) -> Event? {
        do {
            return try step(&buffer)
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// The connection was closed by the server.
    /// - Returns: `.end` when the body was delimited by the close; `nil` when the response was already complete.
    /// - Throws: ``HTTPClientError/Code/malformedResponse`` when the response was cut short.
    package mutating func endOfStream() throws(HTTPClientError) -> Event? {
        switch state {
        case .untilClose, .endOfMessage:
            state = .complete
            return .end
        case .complete:
            return nil
        case .failed(let error):
            throw error
        case .statusLine(interimCount: 0):
            return try fail(HTTPClientError(.malformedResponse, "connection closed before a response arrived"))
        default:
            return try fail(HTTPClientError(.malformedResponse, "connection closed before the response was complete"))
        }
    }

    private mutating func fail(_ error: HTTPClientError) throws(HTTPClientError) -> Event? {
        state = .failed(error)
        throw error
    }

    private mutating func step(_ buffer: inout ByteBuffer) throws(HTTPClientError) -> Event? {
        while true {
            switch state {
            case .failed(let error):
                throw error

            case .complete:
                return nil

            case .statusLine(let interimCount):
                guard let line = try Self.readLine(&buffer, maxLength: limits.statusLineBytes, what: "status line")
                else { return nil }
                let head = try Self.parseStatusLine(line)
                state = .fieldLines(head: head, bytes: 0, interimCount: interimCount)

            case .fieldLines(var head, let bytes, let interimCount):
                let maxLength = limits.headerBytes - bytes - 2
                guard let line = try Self.readLine(&buffer, maxLength: maxLength, what: "header section") else {
                    return nil
                }
                if !line.isEmpty {
                    guard head.fields.count < limits.headerCount else {
                        throw HTTPClientError(.malformedResponse, "more than \(limits.headerCount) header fields")
                    }
                    head.fields.append(try Self.parseFieldLine(line, isFirstLine: head.fields.isEmpty))
                    state = .fieldLines(head: head, bytes: bytes + line.count + 2, interimCount: interimCount)
                    continue
                }
                if head.status.kind == 1 {
                    // RFC 9110 §15.2: interim responses precede the final one; 101 would switch protocols,
                    // which this client never asks for.
                    guard head.status.code != 101, interimCount < HTTPResponseParserLimits.interimResponses else {
                        throw HTTPClientError(.malformedResponse, "unexpected interim response \(head.status.code)")
                    }
                    state = .statusLine(interimCount: interimCount + 1)
                    continue
                }
                state = try framing(for: head)
                return .head(head)

            case .contentBody(let remaining):
                guard !buffer.isEmpty else { return nil }
                let chunk = buffer.readBytes(upTo: remaining)
                let left = remaining - chunk.count
                state = left == 0 ? .endOfMessage : .contentBody(remaining: left)
                return .body(chunk)

            case .chunkSizeLine:
                let maxLength = HTTPResponseParserLimits.chunkLineBytes
                guard let line = try Self.readLine(&buffer, maxLength: maxLength, what: "chunk size line") else {
                    return nil
                }
                let size = try parseChunkSize(line)
                state = size == 0 ? .trailerLines(bytes: 0, count: 0) : .chunkData(remaining: size)

            case .chunkData(let remaining):
                guard !buffer.isEmpty else { return nil }
                let chunk = buffer.readBytes(upTo: remaining)
                let left = remaining - chunk.count
                state = left == 0 ? .chunkDataTerminator : .chunkData(remaining: left)
                return .body(chunk)

            case .chunkDataTerminator:
                guard try Self.readChunkTerminator(&buffer) else { return nil }
                state = .chunkSizeLine

            case .trailerLines(let bytes, let count):
                let maxLength = limits.headerBytes - bytes - 2
                guard let line = try Self.readLine(&buffer, maxLength: maxLength, what: "trailer section") else {
                    return nil
                }
                if line.isEmpty {
                    state = .endOfMessage
                    continue
                }
                // RFC 9112 §7.1.2: trailer fields are parsed like header fields, then discarded.
                guard count < limits.headerCount else {
                    throw HTTPClientError(.malformedResponse, "more than \(limits.headerCount) trailer fields")
                }
                _ = try Self.parseFieldLine(line, isFirstLine: false)
                state = .trailerLines(bytes: bytes + line.count + 2, count: count + 1)

            case .endOfMessage:
                state = .complete
                return .end

            case .untilClose:
                guard !buffer.isEmpty else { return nil }
                let chunk = buffer.readAll()
                try charge(chunk.count)
                return .body(chunk)
            }
        }
    }

    /// Counts delivered body bytes against the limit.
    mutating func charge(_ count: Int) throws(HTTPClientError) {
        bodyBytes += count
        if bodyBytes > limits.bodyBytes {
            throw HTTPClientError(.bodyTooLarge, "response body exceeds \(limits.bodyBytes) bytes")
        }
    }
}
