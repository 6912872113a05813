/// A header section while it is parsed (RFC 9112 §5): the field lines so far, their size, and what the
/// framing fields among them say about the body (RFC 9112 §6).
///
/// The request and the response parser both read their field lines through it; the chunked decoder
/// validates trailer lines with ``splitFieldLine(_:isFirstLine:)``.
///
/// ```swift
/// var section = HTTPHeaderSection()
/// while let line = try lines.next(from: &buffer, maxLength: section.remainingLineBytes(limits), …) {
///     if line.isEmpty { break }
///     _ = try section.append(fieldLine: line, limits: limits)
/// }
/// let framing = try section.bodyFraming(version: version, limits: limits)
/// ```
struct HTTPHeaderSection: Sendable {
    /// The field lines so far.
    var fields = HTTPFields()
    /// Bytes of the section consumed so far, CRLFs included.
    var bytes = 0
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

    /// Creates an empty section.
    init() {}

    /// The longest next line, CRLF excluded, that keeps the section within ``HTTPParserLimits/headerBytes``.
    func remainingLineBytes(_ limits: HTTPParserLimits) -> Int {
        limits.headerBytes - bytes - 2
    }

    /// Validates one field line, records it if it is a framing field, and appends it to ``fields``.
    ///
    /// - Parameters:
    ///   - line: The line without its CRLF; not empty.
    ///   - limits: The caps to enforce (``HTTPParserLimits/headerCount``).
    /// - Returns: The name and value bytes, for checks of the caller's own (Host in requests).
    /// - Throws: ``HTTPParseError`` when the line or a framing value is invalid, or one line too many.
    mutating func append(
        fieldLine line: ArraySlice<UInt8>,
        limits: HTTPParserLimits
    ) throws(HTTPParseError) -> (name: ArraySlice<UInt8>, value: ArraySlice<UInt8>) {
        bytes += line.count + 2
        let (name, value) = try Self.splitFieldLine(line, isFirstLine: fields.isEmpty)
        guard fields.count < limits.headerCount else { throw HTTPParseError(.tooManyFields) }
        try recordFramingField(name: name, value: value)
        fields.append(
            HTTPField(name: HTTPField.Name(validatedToken: name), value: String(decoding: value, as: UTF8.self))
        )
        return (name, value)
    }

    /// Splits `field-name ":" OWS field-value OWS` (RFC 9112 §5) and validates both parts.
    ///
    /// - Parameters:
    ///   - line: The line without its CRLF.
    ///   - isFirstLine: Whether this line directly follows the start line.
    /// - Returns: The name and the value without surrounding whitespace.
    /// - Throws: ``HTTPParseError`` naming the rule the line breaks.
    static func splitFieldLine(
        _ line: ArraySlice<UInt8>,
        isFirstLine: Bool
    ) throws(HTTPParseError) -> (name: ArraySlice<UInt8>, value: ArraySlice<UInt8>) {
        guard let first = line.first else { throw HTTPParseError(.invalidFieldLine) }
        if HTTPSyntax.isWhitespace(first) {
            // RFC 9112 §2.2: whitespace between the start-line and the first field line is rejected;
            // RFC 9112 §5.2: obs-fold elsewhere is rejected with 400 (and refused in responses too).
            throw HTTPParseError(isFirstLine ? .whitespaceAfterStartLine : .obsoleteLineFolding)
        }
        guard let colon = line.firstIndex(of: .colon) else { throw HTTPParseError(.invalidFieldLine) }
        let name = line[line.startIndex..<colon]
        guard let last = name.last else { throw HTTPParseError(.invalidFieldName) }
        // RFC 9112 §5.1: no whitespace is allowed between the field name and the colon; 400.
        if HTTPSyntax.isWhitespace(last) { throw HTTPParseError(.whitespaceBeforeColon) }
        // RFC 9110 §5.1: field-name = token.
        guard HTTPSyntax.isToken(name) else { throw HTTPParseError(.invalidFieldName) }
        let value = HTTPSyntax.trimmingWhitespace(line[(colon + 1)...])
        // RFC 9110 §5.5: CR, LF, NUL and other CTLs except HTAB are invalid in a field value.
        for byte in value where !HTTPSyntax.isFieldValueByte(byte) {
            throw HTTPParseError(.invalidFieldValue)
        }
        return (name, value)
    }
}
