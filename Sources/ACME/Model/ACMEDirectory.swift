/// The directory object (RFC 8555 §7.1.1): the only URL a client is configured with leads here, and every
/// other URL comes from it; nothing is hard-coded (Pebble randomises its paths on purpose).
///
/// ```swift
/// let directory = try ACMEDirectory(json: response.body)
/// directory.meta?.externalAccountRequired   // true for ZeroSSL
/// ```
package struct ACMEDirectory: Codable, Sendable, Equatable {
    /// The `meta` object (§7.1.1, RFC 9773, ACME profiles draft).
    package struct Meta: Codable, Sendable, Equatable {
        /// URL of the current terms of service.
        package var termsOfService: String?
        /// The CA's website.
        package var website: String?
        /// Names the CA recognises in CAA `issue` records (RFC 8659), for the worker's CAA check.
        package var caaIdentities: [String]?
        /// Whether newAccount needs External Account Binding (§7.3.4).
        package var externalAccountRequired: Bool?
        /// Certificate profiles by name with a description (Let's Encrypt `classic`, `tlsserver`, `shortlived`).
        package var profiles: [String: String]?

        /// Creates a meta object.
        package init(
            termsOfService: String? = nil,
            website: String? = nil,
            caaIdentities: [String]? = nil,
            externalAccountRequired: Bool? = nil,
            profiles: [String: String]? = nil
        ) {
            self.termsOfService = termsOfService
            self.website = website
            self.caaIdentities = caaIdentities
            self.externalAccountRequired = externalAccountRequired
            self.profiles = profiles
        }
    }

    /// HEAD here for a fresh nonce.
    package var newNonce: String
    /// POST here to create or find an account.
    package var newAccount: String
    /// POST here to create an order.
    package var newOrder: String
    /// Pre-authorization, rarely offered.
    package var newAuthz: String?
    /// POST here to revoke a certificate.
    package var revokeCert: String
    /// POST here to roll the account key.
    package var keyChange: String
    /// ACME Renewal Information base URL (RFC 9773 §3); its presence means ARI is supported.
    package var renewalInfo: String?
    /// Server metadata.
    package var meta: Meta?

    /// Creates a directory.
    package init(
        newNonce: String,
        newAccount: String,
        newOrder: String,
        newAuthz: String? = nil,
        revokeCert: String,
        keyChange: String,
        renewalInfo: String? = nil,
        meta: Meta? = nil
    ) {
        self.newNonce = newNonce
        self.newAccount = newAccount
        self.newOrder = newOrder
        self.newAuthz = newAuthz
        self.revokeCert = revokeCert
        self.keyChange = keyChange
        self.renewalInfo = renewalInfo
        self.meta = meta
    }

    /// Decodes a directory document.
    ///
    /// - Throws: ``ACMEError/Code/invalidResponse`` when it is not JSON or lacks a required URL.
    package init(json: [UInt8]) throws {
        self = try ACMEJSON.decode(ACMEDirectory.self, from: json, what: "directory")
    }

    /// Whether newAccount needs External Account Binding.
    package var requiresExternalAccountBinding: Bool {
        meta?.externalAccountRequired ?? false
    }

    /// The unauthenticated ARI URL for `certID` (RFC 9773 §4.2), or `nil` when the server offers no ARI.
    package func renewalInfoURL(for certID: String) -> String? {
        guard let base = renewalInfo else { return nil }
        return base.hasSuffix("/") ? base + certID : base + "/" + certID
    }
}
