/// Caps that bound the memory and work one received message can cost; part of the parser's API.
///
/// Every cap is checked before the work it bounds: the message size before parsing, the header budget while
/// scanning (a header line that never ends costs at most ``headerBytes``), the part count as delimiter lines are
/// found, and the decoded size while decoding. Exceeding one throws ``MIMEError`` (``MIMEError/Code/tooLarge``,
/// ``MIMEError/Code/tooManyFields``, ``MIMEError/Code/tooDeep`` or ``MIMEError/Code/tooManyParts``).
///
/// ```swift
/// let entity = try MIMEParser.parse(bytes, limits: .reports)
/// let tight = MIMELimits(messageBytes: 1 << 20, partCount: 10)
/// ```
package struct MIMELimits: Sendable, Hashable {
    /// Maximum size of the whole message, as received.
    package var messageBytes: Int
    /// Maximum size of one entity's header section, every field line with its line break (the message's own
    /// header section and each body part's).
    package var headerBytes: Int
    /// Maximum number of header fields in one entity's header section.
    package var headerFieldCount: Int
    /// How many multipart or message/rfc822 levels may nest below the top-level entity.
    package var nestingDepth: Int
    /// Maximum number of entities below the top-level one: every body part, at any depth, and every
    /// encapsulated message.
    package var partCount: Int
    /// Maximum size of one entity's body after its Content-Transfer-Encoding is undone.
    package var decodedBytesPerPart: Int

    /// Creates limits; the defaults are those of ``reports``.
    package init(
        messageBytes: Int = 16 << 20,
        headerBytes: Int = 64 << 10,
        headerFieldCount: Int = 200,
        nestingDepth: Int = 8,
        partCount: Int = 100,
        decodedBytesPerPart: Int = 16 << 20
    ) {
        self.messageBytes = messageBytes
        self.headerBytes = headerBytes
        self.headerFieldCount = headerFieldCount
        self.nestingDepth = nestingDepth
        self.partCount = partCount
        self.decodedBytesPerPart = decodedBytesPerPart
    }

    /// Limits for TLS-RPT report mail (RFC 8460 §5.3): 16 MiB per message and per decoded part, 64 KiB and
    /// 200 fields per header section, 8 levels of nesting and 100 parts.
    package static let reports = MIMELimits()
}
