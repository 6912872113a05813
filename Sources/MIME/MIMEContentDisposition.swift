/// A Content-Disposition (RFC 2183): the disposition type, lower-cased, and parameters such as `filename`.
///
/// ```swift
/// let disposition = MIMEContentDisposition(parsing: "attachment; filename*=utf-8''r%C3%A9port.json.gz")
/// disposition?.filename   // "réport.json.gz"
/// ```
package struct MIMEContentDisposition: Sendable, Hashable {
    /// The disposition type, lower-cased: `inline`, `attachment` or an extension.
    package let type: String
    /// The parameters, e.g. `filename`, `size`, `creation-date`.
    package let parameters: MIMEParameters

    /// Creates a disposition; `type` is lower-cased.
    package init(type: String, parameters: MIMEParameters = [:]) {
        self.type = MIMEText.lowercasedASCII(type)
        self.parameters = parameters
    }

    /// Parses a Content-Disposition field value: `type *(";" parameter)`.
    ///
    /// - Returns: `nil` when the value does not start with a token; parameters that do not parse are skipped.
    package init?(parsing value: String) {
        var scanner = MIMEHeaderValueScanner(value)
        guard let type = scanner.token() else { return nil }
        self.init(type: type, parameters: MIMEParameters(scanning: &scanner))
    }

    /// The `filename` parameter, RFC 2231 encoding undone; untrusted (it may contain `/` or `..`).
    package var filename: String? { parameters["filename"] }

    /// Whether the type is `attachment`.
    package var isAttachment: Bool { type == "attachment" }
}
