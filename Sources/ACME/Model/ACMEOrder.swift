/// An order object (RFC 8555 §7.1.3).
package struct ACMEOrder: Codable, Sendable, Equatable {
    /// pending → ready → processing → valid, or invalid.
    package var status: ACMEStatus
    /// When the order expires (RFC 3339), if the server says.
    package var expires: String?
    /// The identifiers the certificate will cover.
    package var identifiers: [ACMEIdentifier]
    /// URLs of the authorizations to satisfy.
    package var authorizations: [String]
    /// The URL to POST the CSR to once the order is ready.
    package var finalize: String
    /// The certificate URL once the order is valid.
    package var certificate: String?
    /// Why the order became invalid.
    package var error: ACMEProblem?
    /// The ARI certificate ID this order replaces (RFC 9773 §5), echoed by the server.
    package var replaces: String?

    /// Creates an order.
    package init(
        status: ACMEStatus,
        expires: String? = nil,
        identifiers: [ACMEIdentifier],
        authorizations: [String],
        finalize: String,
        certificate: String? = nil,
        error: ACMEProblem? = nil,
        replaces: String? = nil
    ) {
        self.status = status
        self.expires = expires
        self.identifiers = identifiers
        self.authorizations = authorizations
        self.finalize = finalize
        self.certificate = certificate
        self.error = error
        self.replaces = replaces
    }
}
