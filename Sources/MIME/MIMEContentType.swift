/// A Content-Type (RFC 2045 §5.1): type and subtype lower-cased, and parameters.
///
/// Parsing never throws: an absent or syntactically invalid field means `text/plain; charset=us-ascii`
/// (RFC 2045 §5.2), which ``MIMEEntity`` applies.
///
/// ```swift
/// let type = MIMEContentType(parsing: #"multipart/report; report-type="tlsrpt"; boundary="b1""#)
/// type?.mediaType                     // "multipart/report"
/// type?.parameters["report-type"]     // "tlsrpt"
/// ```
package struct MIMEContentType: Sendable, Hashable, CustomStringConvertible {
    /// The top-level type, lower-cased, e.g. `application`.
    package let type: String
    /// The subtype, lower-cased, e.g. `tlsrpt+gzip`.
    package let subtype: String
    /// The parameters, e.g. `charset`, `boundary`, `name`.
    package let parameters: MIMEParameters

    /// Creates a content type; `type` and `subtype` are lower-cased.
    package init(type: String, subtype: String, parameters: MIMEParameters = [:]) {
        self.type = MIMEText.lowercasedASCII(type)
        self.subtype = MIMEText.lowercasedASCII(subtype)
        self.parameters = parameters
    }

    /// Parses a Content-Type field value: `type "/" subtype *(";" parameter)`, with comments and whitespace
    /// allowed between the parts.
    ///
    /// - Returns: `nil` when the value does not start with `type/subtype` tokens; parameters that do not parse are
    ///   skipped.
    package init?(parsing value: String) {
        var scanner = MIMEHeaderValueScanner(value)
        guard let type = scanner.token(), scanner.consume(UInt8(ascii: "/")), let subtype = scanner.token() else {
            return nil
        }
        self.init(type: type, subtype: subtype, parameters: MIMEParameters(scanning: &scanner))
    }

    /// `text/plain; charset=us-ascii`, the type of an entity without a valid Content-Type (RFC 2045 §5.2).
    package static let `default` = MIMEContentType(type: "text", subtype: "plain", parameters: ["charset": "us-ascii"])

    /// `message/rfc822`, the default type of a part of multipart/digest (RFC 2046 §5.1.5).
    package static let messageRFC822 = MIMEContentType(type: "message", subtype: "rfc822")

    /// `type/subtype`, e.g. `application/tlsrpt+gzip`.
    package var mediaType: String { "\(type)/\(subtype)" }

    /// Whether this is a multipart type, whose body is split into parts (RFC 2046 §5.1).
    package var isMultipart: Bool { type == "multipart" }

    /// Whether the body is itself a message: `message/rfc822` (RFC 2046 §5.2.1) or `message/global` (RFC 6532 §3.7).
    package var isEncapsulatedMessage: Bool { type == "message" && (subtype == "rfc822" || subtype == "global") }

    /// The `boundary` parameter of a multipart type.
    package var boundary: String? { parameters["boundary"] }

    /// The `charset` parameter.
    package var charset: String? { parameters["charset"] }

    /// The media type followed by the parameter names, never their values (a filename may be anything).
    package var description: String {
        ([mediaType] + parameters.names).joined(separator: "; ")
    }
}
