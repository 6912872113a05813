extension MIMETransferEncoding {
    /// Undoes this encoding on `body`.
    ///
    /// - Parameters:
    ///   - body: The body as received.
    ///   - limit: The largest result accepted; the decoders stop as soon as it is passed.
    /// - Returns: The content.
    /// - Throws: ``MIMEError/Code/tooLarge`` past `limit`, ``MIMEError/Code/invalidEncoding`` for a base64 body
    ///   that is not base64, ``MIMEError/Code/unsupportedEncoding`` for an encoding other than the five of RFC 2045.
    package func decode(_ body: ArraySlice<UInt8>, limit: Int) throws(MIMEError) -> [UInt8] {
        if isIdentity {
            guard body.count <= limit else {
                throw MIMEError(.tooLarge, "body of \(body.count) bytes exceeds the limit of \(limit) bytes")
            }
            return Array(body)
        }
        if self == .base64 { return try MIMEBase64.decode(body, limit: limit) }
        if self == .quotedPrintable { return try MIMEQuotedPrintable.decode(body, limit: limit) }
        throw MIMEError(.unsupportedEncoding, "unsupported Content-Transfer-Encoding (\(name.utf8.count) bytes)")
    }
}
