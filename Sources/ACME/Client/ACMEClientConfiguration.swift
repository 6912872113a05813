/// Settings of an ``ACMEClient``: where the CA is and who the account belongs to.
///
/// ```swift
/// var configuration = ACMEClientConfiguration(directoryURL: ACMEClientConfiguration.letsEncryptStaging)
/// configuration.contactEmails = ["hostmaster@example.com"]
/// ```
package struct ACMEClientConfiguration: Sendable {
    /// Let's Encrypt's staging directory (the default: untrusted certificates, generous rate limits).
    package static let letsEncryptStaging = "https://acme-staging-v02.api.letsencrypt.org/directory"
    /// Let's Encrypt's production directory.
    package static let letsEncryptProduction = "https://acme-v02.api.letsencrypt.org/directory"

    /// The directory URL, the only URL configured (§7.1.1).
    package var directoryURL: String
    /// Account contacts; each becomes a `mailto:` URI.
    package var contactEmails: [String]
    /// EAB credentials for CAs that require them (ZeroSSL); `nil` when none are configured.
    package var externalAccountBinding: ExternalAccountBinding?
    /// The `User-Agent` sent with every request (§6.1 requires one).
    package var userAgent: String
    /// Polling delays and the per-order deadline.
    package var polling: ACMEPollingPolicy
    /// Nonces kept for reuse at most (extra ones are dropped; nonces expire server-side anyway).
    package var maximumPooledNonces: Int

    /// Creates a configuration.
    package init(
        directoryURL: String = ACMEClientConfiguration.letsEncryptStaging,
        contactEmails: [String] = [],
        externalAccountBinding: ExternalAccountBinding? = nil,
        userAgent: String = "mtasts-acme/1.0",
        polling: ACMEPollingPolicy = ACMEPollingPolicy(),
        maximumPooledNonces: Int = 16
    ) {
        self.directoryURL = directoryURL
        self.contactEmails = contactEmails
        self.externalAccountBinding = externalAccountBinding
        self.userAgent = userAgent
        self.polling = polling
        self.maximumPooledNonces = maximumPooledNonces
    }
}
