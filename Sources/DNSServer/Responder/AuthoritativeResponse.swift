package import DNS

/// One response the responder built: the message, its wire bytes, and the query type for metrics.
package struct AuthoritativeResponse: Sendable, Hashable {
    /// The response as a message (for truncating it again and for tests).
    package let message: DNSMessage
    /// The encoded response, within the transport's size limit.
    package let bytes: [UInt8]
    /// The QTYPE of the question answered, nil when the query had no readable question.
    package let queryType: DNSRecordType?

    /// Creates a response from a message, encoding it.
    package init(message: DNSMessage, queryType: DNSRecordType?) {
        self.message = message
        self.bytes = message.encoded()
        self.queryType = queryType
    }

    /// The full 12-bit response code (BADVERS needs the OPT record's extension).
    package var responseCode: DNSResponseCode { message.responseCode }

    /// Whether TC is set.
    package var isTruncated: Bool { message.header.isTruncated }
}
