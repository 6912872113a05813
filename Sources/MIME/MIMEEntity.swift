/// One entity of a received message (RFC 2045 §2.4): the message itself, a body part of a multipart, or a message
/// encapsulated in a `message/rfc822` body.
///
/// Built by ``MIMEParser``; the body stays as received (a slice of the message's bytes) until
/// ``decodedBody()`` undoes the transfer encoding.
///
/// ```swift
/// let message = try MIMEParser.parse(bytes, limits: .reports)
/// for leaf in message.leaves() where leaf.contentType.mediaType == "application/tlsrpt+gzip" {
///     let gzip = try leaf.decodedBody()
/// }
/// ```
package struct MIMEEntity: Sendable {
    /// The header fields, in order.
    package let headers: MIMEHeaderFields
    /// The Content-Type; `text/plain; charset=us-ascii` when it is absent or invalid (RFC 2045 §5.2), and
    /// `message/rfc822` for such a part of a multipart/digest (RFC 2046 §5.1.5).
    package let contentType: MIMEContentType
    /// The Content-Transfer-Encoding; `7bit` when absent (RFC 2045 §6.1).
    package let transferEncoding: MIMETransferEncoding
    /// The Content-Disposition, when present and valid.
    package let contentDisposition: MIMEContentDisposition?
    /// The body as received, still transfer-encoded; for a multipart, everything after the header section,
    /// preamble and epilogue included.
    package let body: ArraySlice<UInt8>
    /// The body parts of a multipart entity (RFC 2046 §5.1), in order; empty for any other entity.
    package let parts: [MIMEEntity]
    /// The encapsulated message of a `message/rfc822` entity, as its only element; empty otherwise. (An array
    /// because a struct cannot hold an optional of itself.)
    private let encapsulated: [MIMEEntity]
    /// ``MIMELimits/decodedBytesPerPart`` of the parse that built this entity.
    private let decodedByteLimit: Int

    /// Creates an entity; only ``MIMEParser`` builds them.
    init(
        headers: MIMEHeaderFields,
        contentType: MIMEContentType,
        transferEncoding: MIMETransferEncoding,
        contentDisposition: MIMEContentDisposition?,
        body: ArraySlice<UInt8>,
        parts: [MIMEEntity],
        message: MIMEEntity?,
        decodedByteLimit: Int
    ) {
        self.headers = headers
        self.contentType = contentType
        self.transferEncoding = transferEncoding
        self.contentDisposition = contentDisposition
        self.body = body
        self.parts = parts
        self.encapsulated = message.map { [$0] } ?? []
        self.decodedByteLimit = decodedByteLimit
    }

    /// The message in the body of a `message/rfc822` or `message/global` entity; `nil` for any other entity.
    package var message: MIMEEntity? { encapsulated.first }

    /// The file name the sender gave: Content-Disposition's `filename`, else Content-Type's `name` (RFC 2231
    /// encoding undone). Untrusted: it may contain `/`, `..` or anything else.
    package var filename: String? {
        contentDisposition?.filename ?? contentType.parameters["name"]
    }

    /// The body with its Content-Transfer-Encoding undone.
    ///
    /// - Returns: The content; for a multipart or message entity, its raw body.
    /// - Throws: ``MIMEError/Code/invalidEncoding`` for an invalid base64 body, ``MIMEError/Code/unsupportedEncoding``
    ///   for an unknown encoding, ``MIMEError/Code/tooLarge`` past ``MIMELimits/decodedBytesPerPart``.
    package func decodedBody() throws(MIMEError) -> [UInt8] {
        try transferEncoding.decode(body, limit: decodedByteLimit)
    }

    /// Every entity below this one that has no parts and encapsulates no message, depth first in message order;
    /// `[self]` for such an entity. This is where a report's attachment is found, however the sender nested it.
    package func leaves() -> [MIMEEntity] {
        var leaves: [MIMEEntity] = []
        collectLeaves(into: &leaves)
        return leaves
    }

    private func collectLeaves(into leaves: inout [MIMEEntity]) {
        if contentType.isMultipart {
            for part in parts { part.collectLeaves(into: &leaves) }
        } else if let message {
            message.collectLeaves(into: &leaves)
        } else {
            leaves.append(self)
        }
    }
}
