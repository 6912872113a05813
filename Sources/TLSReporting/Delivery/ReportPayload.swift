import Decompression
import MIME

/// Gets the report JSON out of what a sender delivered: an HTTPS body (RFC 8460 §5.4) or a mail message
/// (§5.3), gzip-compressed or not, and the `.zip` and `.gz` attachments some reporters send instead.
///
/// The format is recognised by content (gzip and zip by their magic numbers), not by the labels senders put on
/// it. Decompression is capped at ``TLSReportLimits/maximumBytes`` and a 200:1 ratio, so a gzip bomb ends as
/// ``TLSReportError/tooLarge`` without the memory it asks for.
///
/// ```swift
/// let json = try ReportPayload.decodeHTTPBody(body)
/// let reports = try ReportPayload.decodeMessage(messageBytes)   // one JSON document per report part
/// ```
package enum ReportPayload {
    /// The report of an HTTPS POST body.
    /// - Throws: ``TLSReportError/tooLarge`` or ``TLSReportError/undecodable``; the JSON itself is checked by
    ///   ``TLSReportParser``.
    package static func decodeHTTPBody(
        _ body: [UInt8],
        limits: TLSReportLimits = .standard
    ) throws(TLSReportError)
        -> [UInt8]
    {
        try decodeDocument(body, limits: limits, nested: false)
    }

    /// The reports of a mail message: every part labelled `application/tlsrpt+gzip` or `application/tlsrpt+json`
    /// (RFC 8460 §5.3), else every attachment named `*.json`, `*.json.gz`, `*.gz` or `*.zip`.
    /// - Throws: ``TLSReportError/undecodable`` when the message is not MIME or holds no report part.
    package static func decodeMessage(
        _ message: [UInt8],
        limits: TLSReportLimits = .standard
    ) throws(TLSReportError)
        -> [[UInt8]]
    {
        let entity: MIMEEntity
        do {
            entity = try MIMEParser.parse(message, limits: .reports)
        } catch {
            throw TLSReportError.undecodable.with(message: "The message cannot be read as MIME: \(error.message)")
        }
        let leaves = entity.leaves()
        var parts = leaves.filter { reportMediaTypes.contains($0.contentType.mediaType) }
        if parts.isEmpty {
            parts = leaves.filter { leaf in
                guard leaf.contentType.type != "text", let name = leaf.filename?.lowercased() else { return false }
                return reportFileSuffixes.contains { name.hasSuffix($0) }
            }
        }
        guard !parts.isEmpty else {
            throw TLSReportError.undecodable.with(
                message: "The message has no application/tlsrpt+gzip or application/tlsrpt+json part (RFC 8460 §5.3)."
            )
        }
        var documents: [[UInt8]] = []
        for part in parts.prefix(10) {
            let body: [UInt8]
            do {
                body = try part.decodedBody()
            } catch {
                throw TLSReportError.undecodable.with(message: "A report part cannot be decoded: \(error.message)")
            }
            documents.append(try decodeDocument(body, limits: limits, nested: false))
        }
        return documents
    }

    private static let reportMediaTypes: Set<String> = ["application/tlsrpt+gzip", "application/tlsrpt+json"]
    private static let reportFileSuffixes = [".json", ".json.gz", ".gz", ".zip"]

    /// JSON as is, gzip decompressed, or the report inside a zip archive (one level of nesting at most).
    private static func decodeDocument(
        _ bytes: [UInt8],
        limits: TLSReportLimits,
        nested: Bool
    ) throws(TLSReportError)
        -> [UInt8]
    {
        let decompression = DecompressionLimits(maximumOutputBytes: limits.maximumBytes, maximumRatio: 200)
        do {
            if Gzip.isGzip(bytes) {
                return try Gzip.decompress(bytes, limits: decompression)
            }
            if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) && !nested {
                let archive = try ZipArchive(bytes, maximumEntryCount: 8)
                let candidates = archive.entries.filter { entry in
                    let name = entry.name.lowercased()
                    return !name.hasSuffix("/") && (name.hasSuffix(".json") || name.hasSuffix(".gz"))
                }
                guard let entry = candidates.first ?? (archive.entries.count == 1 ? archive.entries.first : nil) else {
                    throw TLSReportError.undecodable.with(message: "The zip archive holds no .json or .json.gz report.")
                }
                return try decodeDocument(
                    try archive.contents(of: entry, limits: decompression),
                    limits: limits,
                    nested: true
                )
            }
        } catch let error as DecompressionError {
            if error == .outputTooLarge {
                throw TLSReportError.tooLarge.with(
                    message: "The report decompresses to more than \(limits.maximumBytes) bytes or 200 times its size."
                )
            }
            throw TLSReportError.undecodable.with(message: "The report cannot be decompressed: \(error.message).")
        } catch let error as TLSReportError {
            throw error
        } catch {
            throw TLSReportError.undecodable.with(message: "The report cannot be decompressed.")
        }
        return bytes
    }
}
