import HTTPCore

/// Everything the response parser produced for an input.
struct ResponseOutcome: Equatable {
    /// The status code of the final response, 0 when no head arrived.
    var status = 0
    /// The head, when it arrived.
    var head: HTTPResponseHead?
    /// The field lines as `Name: value`.
    var fields: [String] = []
    /// The body bytes as text.
    var body = ""
    /// Whether `.end` was seen.
    var isComplete = false
    /// The error, if the parser threw.
    var error: HTTPParseError.Code?
    /// Bytes left unread in the buffer at the end.
    var leftover = 0
}

/// Feeds `bytes` to a fresh response parser, collecting events; after the last byte, `close` tells the parser
/// the connection closed (when the response is not complete yet). Stops at the first error.
func parseResponse(
    _ bytes: [UInt8],
    method: HTTPMethod = .get,
    limits: HTTPParserLimits = .default,
    feeding: Feeding = .whole,
    close: Bool = true
) -> ResponseOutcome {
    var parser = HTTPResponseParser(limits: limits, requestMethod: method)
    var buffer = ByteBuffer()
    var outcome = ResponseOutcome()
    var body: [UInt8] = []
    func record(_ event: HTTPResponseParser.Event) {
        switch event {
        case .head(let head):
            outcome.head = head
            outcome.status = head.status.code
            outcome.fields = head.fields.map(\.description)
        case .body(let chunk):
            body += chunk
        case .end:
            outcome.isComplete = true
        }
    }
    do {
        for piece in feeding.pieces(of: bytes) {
            buffer.append(contentsOf: piece)
            while let event = try parser.next(from: &buffer) { record(event) }
            buffer.discardReadBytes()
        }
        if close, let event = try parser.endOfStream() { record(event) }
    } catch {
        outcome.error = error.code
    }
    outcome.body = String(decoding: body, as: UTF8.self)
    outcome.leftover = buffer.readableBytes
    return outcome
}

/// Parses a response given in test notation (`\r\n` written out).
func parseResponse(
    _ text: String,
    method: HTTPMethod = .get,
    limits: HTTPParserLimits = .default,
    feeding: Feeding = .whole,
    close: Bool = true
) -> ResponseOutcome {
    parseResponse(Array(text.utf8), method: method, limits: limits, feeding: feeding, close: close)
}
