import HTTPCore
import TestSupport

/// How bytes are handed to the parser.
enum Feeding: Sendable {
    case whole
    case byteByByte
    case randomSplits(seed: UInt64)

    /// `bytes` cut into the pieces the parser is given, in order (one empty piece for empty input).
    func pieces(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var generator = SplitMix64(seed: 0)
        if case .randomSplits(let seed) = self { generator = SplitMix64(seed: seed) }
        var pieces: [ArraySlice<UInt8>] = []
        var offset = 0
        repeat {
            let size: Int
            switch self {
            case .whole: size = bytes.count
            case .byteByByte: size = 1
            case .randomSplits: size = Int.random(in: 1...23, using: &generator)
            }
            let end = min(offset + size, bytes.count)
            pieces.append(bytes[offset..<end])
            offset = end
        } while offset < bytes.count
        return pieces
    }
}

/// One request as seen through the parser's events.
struct ParsedRequest: Equatable {
    var head: HTTPRequestHead
    var body: [UInt8]
    var isComplete: Bool
}

/// Everything the parser produced for an input.
struct ParseOutcome: Equatable {
    var requests: [ParsedRequest] = []
    var error: HTTPParseError.Code?
    /// Bytes left unread in the buffer at the end.
    var leftover = 0
}

/// Feeds `bytes` to a fresh parser, collecting events, and stops at the first error.
func parseRequests(
    _ bytes: [UInt8],
    limits: HTTPParserLimits = .default,
    feeding: Feeding = .whole
) -> ParseOutcome {
    var parser = HTTPRequestParser(limits: limits)
    var buffer = ByteBuffer()
    var outcome = ParseOutcome()
    for piece in feeding.pieces(of: bytes) {
        buffer.append(contentsOf: piece)
        do {
            while let event = try parser.next(from: &buffer) {
                switch event {
                case .head(let head):
                    outcome.requests.append(ParsedRequest(head: head, body: [], isComplete: false))
                case .body(let chunk):
                    outcome.requests[outcome.requests.count - 1].body.append(contentsOf: chunk)
                case .end:
                    outcome.requests[outcome.requests.count - 1].isComplete = true
                }
            }
        } catch {
            outcome.error = error.code
            break
        }
        buffer.discardReadBytes()
    }
    outcome.leftover = buffer.readableBytes
    return outcome
}

/// Parses a string given in test notation (`\r\n` written out) as a byte sequence.
func parseRequests(_ text: String, limits: HTTPParserLimits = .default, feeding: Feeding = .whole) -> ParseOutcome {
    parseRequests(Array(text.utf8), limits: limits, feeding: feeding)
}

/// The error a parser throws for `bytes`, if any.
func parseError(_ text: String, limits: HTTPParserLimits = .default) -> HTTPParseError.Code? {
    parseRequests(text, limits: limits).error
}
