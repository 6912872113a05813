/// Why a body is not an SMTP TLS report, in words a reporter's operator can act on.
///
/// Equality compares the code only; `message` names the field and is safe to log (it never quotes report content
/// beyond a field name).
package struct TLSReportError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case tooLarge
        case notJSON
        case invalidReport
        case tooManyElements
        case undecodable
    }

    private let code: Code
    /// What was wrong, naming the field (`policies[0].summary`).
    package let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The document or its decompressed form is larger than the limits allow.
    package static let tooLarge = TLSReportError(.tooLarge, "The report is too large.")
    /// The body is not JSON (or not valid UTF-8).
    package static let notJSON = TLSReportError(.notJSON, "The report is not valid JSON.")
    /// The JSON does not have the shape of RFC 8460 §4.4.
    package static let invalidReport = TLSReportError(.invalidReport, "The report does not follow RFC 8460 §4.4.")
    /// An array is longer than the limits allow.
    package static let tooManyElements = TLSReportError(.tooManyElements, "The report has too many elements.")
    /// The body could not be decompressed or unpacked (gzip, zip, MIME).
    package static let undecodable = TLSReportError(.undecodable, "The report could not be decoded.")

    /// The same kind of error with a specific message.
    package func with(message: String) -> TLSReportError { TLSReportError(code, message) }

    package var description: String { message }

    package static func == (lhs: TLSReportError, rhs: TLSReportError) -> Bool { lhs.code == rhs.code }
}
