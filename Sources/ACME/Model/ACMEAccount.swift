/// An ACME account as the client knows it: its URL (the `kid` of every later request) and its status.
package struct ACMEAccount: Sendable, Equatable {
    /// The account URL from the `Location` header of newAccount (§7.3).
    package var url: String
    /// `valid`, `deactivated` or `revoked`.
    package var status: ACMEStatus
    /// Contact URIs the server has on file.
    package var contact: [String]
    /// Whether newAccount created it (201) rather than finding it (200).
    package var isNew: Bool

    /// Creates an account value.
    package init(url: String, status: ACMEStatus, contact: [String] = [], isNew: Bool = false) {
        self.url = url
        self.status = status
        self.contact = contact
        self.isNew = isNew
    }
}

/// The JSON body of an account object (§7.1.2).
struct ACMEAccountBody: Codable, Sendable {
    var status: ACMEStatus
    var contact: [String]?
}
