/// What a checker reports about the certificate an MX host presented (the leaf).
///
/// ```swift
/// if let certificate = result.tls?.certificate, certificate.notAfter < now + 14 * 86_400 { warn() }
/// ```
package struct SMTPCertificateSummary: Sendable, Hashable {
    /// The subject distinguished name in OpenSSL's one-line form, e.g. `"/CN=mx1.example.com"`.
    package let subject: String
    /// The issuer distinguished name in the same form.
    package let issuer: String
    /// The subjectAltName dNSName entries (the DNS-IDs RFC 8461 §4.1 matches against), in order.
    package let dnsNames: [String]
    /// Start of validity, Unix seconds; `nil` when the field is unreadable.
    package let notBefore: Int64?
    /// End of validity, Unix seconds; `nil` when the field is unreadable.
    package let notAfter: Int64?
    /// The serial number in lower-case hex.
    package let serialNumber: String

    /// Creates a summary.
    package init(
        subject: String,
        issuer: String,
        dnsNames: [String],
        notBefore: Int64?,
        notAfter: Int64?,
        serialNumber: String
    ) {
        self.subject = subject
        self.issuer = issuer
        self.dnsNames = dnsNames
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.serialNumber = serialNumber
    }
}
