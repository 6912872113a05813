/// Parses a received Internet message (RFC 5322) and its MIME structure (RFC 2045, RFC 2046) into a tree of
/// ``MIMEEntity``; pure, on bytes, bounded by ``MIMELimits``.
///
/// Made for what arrives at an SMTP intake, TLS-RPT reports in particular (RFC 8460 §5.3): lines may end with CRLF
/// or a bare LF (pipe transports hand over LF), a leading mbox `From ` line is skipped, header fields are unfolded
/// and decoded leniently, and a structure that is merely untidy (missing close delimiter, parameters that do not
/// parse, a header section without a body) is accepted. What the limits refuse, and a multipart whose parts
/// cannot be found, throws. Bodies are not decoded here: ``MIMEEntity/decodedBody()`` does that on demand.
///
/// ```swift
/// let message = try MIMEParser.parse(bytes, limits: .reports)
/// if message.contentType.mediaType == "multipart/report",
///     message.contentType.parameters["report-type"] == "tlsrpt"
/// {
///     let report = message.leaves().first { $0.contentType.subtype.hasPrefix("tlsrpt+") }
/// }
/// ```
package struct MIMEParser {
    /// The bytes the entities are slices of: the message, or a decoded encapsulated message.
    let bytes: [UInt8]
    /// The caps of this parse.
    let limits: MIMELimits
    /// Entities created so far below the top-level one, against ``MIMELimits/partCount``.
    var partCount: Int

    private init(bytes: [UInt8], limits: MIMELimits, partCount: Int) {
        self.bytes = bytes
        self.limits = limits
        self.partCount = partCount
    }

    /// Parses a whole message.
    ///
    /// - Parameters:
    ///   - message: The message as received, header section first (the SMTP DATA content, dot-unstuffed).
    ///   - limits: The caps on size, header sections, nesting and parts.
    /// - Returns: The top-level entity.
    /// - Throws: ``MIMEError`` with ``MIMEError/Code/tooLarge``, ``MIMEError/Code/tooManyFields``,
    ///   ``MIMEError/Code/tooDeep`` or ``MIMEError/Code/tooManyParts`` when a limit is passed, and
    ///   ``MIMEError/Code/malformed`` for a multipart without a usable boundary or without any delimiter line.
    package static func parse(_ message: [UInt8], limits: MIMELimits = .reports) throws(MIMEError) -> MIMEEntity {
        guard message.count <= limits.messageBytes else {
            throw MIMEError(
                .tooLarge,
                "message of \(message.count) bytes exceeds the limit of \(limits.messageBytes) bytes"
            )
        }
        var parser = MIMEParser(bytes: message, limits: limits, partCount: 0)
        return try parser.entity(in: message.indices, depth: 0, defaultType: .default, isTopLevel: true)
    }

    /// Parses the entity in `range`: its header section, then its parts or encapsulated message.
    private mutating func entity(
        in range: Range<Int>,
        depth: Int,
        defaultType: MIMEContentType,
        isTopLevel: Bool
    ) throws(MIMEError) -> MIMEEntity {
        let (headers, bodyStart) = try headerSection(in: range, skippingEnvelopeLine: isTopLevel)
        let contentType = headers.first("Content-Type").flatMap(MIMEContentType.init(parsing:)) ?? defaultType
        let transferEncoding =
            headers.first("Content-Transfer-Encoding").map(MIMETransferEncoding.init(parsing:)) ?? .sevenBit
        let disposition = headers.first("Content-Disposition").flatMap(MIMEContentDisposition.init(parsing:))
        let bodyRange = bodyStart..<range.upperBound
        var parts: [MIMEEntity] = []
        var message: MIMEEntity?
        if contentType.isMultipart {
            try checkDepth(depth + 1)
            let boundary = try Self.boundary(of: contentType)
            // RFC 2046 §5.1.5: in a digest, a part without Content-Type is a message.
            let partType: MIMEContentType = contentType.subtype == "digest" ? .messageRFC822 : .default
            for partRange in try bodyPartRanges(in: bodyRange, boundary: boundary) {
                parts.append(try entity(in: partRange, depth: depth + 1, defaultType: partType, isTopLevel: false))
            }
        } else if contentType.isEncapsulatedMessage {
            try checkDepth(depth + 1)
            try countPart()
            message = try encapsulatedMessage(in: bodyRange, encoding: transferEncoding, depth: depth + 1)
        }
        return MIMEEntity(
            headers: headers,
            contentType: contentType,
            transferEncoding: transferEncoding,
            contentDisposition: disposition,
            body: bytes[bodyRange],
            parts: parts,
            message: message,
            decodedByteLimit: limits.decodedBytesPerPart
        )
    }

    /// The message in a message/rfc822 body. RFC 2046 §5.2.1 allows only 7bit, 8bit and binary there; a body
    /// encoded anyway (some clients do) is decoded first, within the per-part limit.
    private mutating func encapsulatedMessage(
        in range: Range<Int>,
        encoding: MIMETransferEncoding,
        depth: Int
    ) throws(MIMEError) -> MIMEEntity {
        if encoding.isIdentity {
            return try entity(in: range, depth: depth, defaultType: .default, isTopLevel: false)
        }
        let decoded = try encoding.decode(bytes[range], limit: limits.decodedBytesPerPart)
        var inner = MIMEParser(bytes: decoded, limits: limits, partCount: partCount)
        let message = try inner.entity(in: decoded.indices, depth: depth, defaultType: .default, isTopLevel: false)
        partCount = inner.partCount
        return message
    }

    private func checkDepth(_ depth: Int) throws(MIMEError) {
        guard depth <= limits.nestingDepth else {
            throw MIMEError(.tooDeep, "entities nest deeper than \(limits.nestingDepth) levels")
        }
    }

    /// Counts one more entity below the top level.
    mutating func countPart() throws(MIMEError) {
        partCount += 1
        guard partCount <= limits.partCount else {
            throw MIMEError(.tooManyParts, "message has more than \(limits.partCount) parts")
        }
    }

    /// The boundary of a multipart type as bytes: 1 to 70 characters (RFC 2046 §5.1.1).
    private static func boundary(of contentType: MIMEContentType) throws(MIMEError) -> [UInt8] {
        guard let boundary = contentType.boundary else {
            throw MIMEError(.malformed, "multipart entity without a boundary parameter")
        }
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count) else {
            throw MIMEError(.malformed, "multipart boundary of \(bytes.count) bytes (RFC 2046 allows 1 to 70)")
        }
        return bytes
    }
}
