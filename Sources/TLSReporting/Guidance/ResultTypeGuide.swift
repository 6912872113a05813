/// What each RFC 8460 §4.3 result type means for a tenant, and what to do about it.
///
/// ```swift
/// ResultTypeGuide.entry(for: "certificate-expired")?.advice
/// ```
package enum ResultTypeGuide {
    /// One result type's explanation.
    package struct Entry: Sendable, Equatable {
        /// What the sender saw.
        package var meaning: String
        /// What the tenant should do.
        package var advice: String
        /// Whether sessions failing this way would not deliver once the policy is `enforce`.
        package var blocksEnforce: Bool
    }

    /// The explanation of `resultType`, or nil for a type the registry did not have when this was written.
    package static func entry(for resultType: String) -> Entry? { entries[resultType.lowercased()] }

    /// Whether `resultType` would stop delivery under `enforce`: MTA-STS failures and failed TLS negotiation.
    package static func blocksEnforce(_ resultType: String) -> Bool {
        let type = resultType.lowercased()
        return entries[type]?.blocksEnforce ?? (type.hasPrefix("sts-") || type.hasPrefix("certificate-"))
    }

    private static let entries: [String: Entry] = [
        "starttls-not-supported": Entry(
            meaning: "The receiving MX did not offer STARTTLS.",
            advice: "Enable STARTTLS on the MX named in the failure (or ask your mail provider to).",
            blocksEnforce: true
        ),
        "certificate-host-mismatch": Entry(
            meaning: "The MX presented a certificate that does not name the MX host.",
            advice: "Install a certificate whose names include the MX host name senders connect to.",
            blocksEnforce: true
        ),
        "certificate-expired": Entry(
            meaning: "The MX presented an expired certificate.",
            advice: "Renew the MX's certificate and make sure renewals reload the mail server.",
            blocksEnforce: true
        ),
        "certificate-not-trusted": Entry(
            meaning: "The MX's certificate does not chain to a CA senders trust (self-signed or missing intermediate).",
            advice: "Use a certificate from a public CA and send the full chain, intermediates included.",
            blocksEnforce: true
        ),
        "validation-failure": Entry(
            meaning: "TLS negotiation or certificate validation failed for another reason (see the reason code).",
            advice: "Check the MX's TLS configuration (protocols, ciphers, chain) against the failure reason code.",
            blocksEnforce: true
        ),
        "tlsa-invalid": Entry(
            meaning: "A DANE TLSA record for the MX is invalid (DANE, not MTA-STS).",
            advice: "Fix or remove the MX's TLSA records.",
            blocksEnforce: false
        ),
        "dnssec-invalid": Entry(
            meaning: "DNSSEC validation of the MX's records failed (DANE, not MTA-STS).",
            advice: "Fix the DNSSEC chain of the MX's zone.",
            blocksEnforce: false
        ),
        "dane-required": Entry(
            meaning: "The sender requires DANE and the MX has no usable TLSA records.",
            advice: "Publish TLSA records for the MX, or ignore if you do not use DANE.",
            blocksEnforce: false
        ),
        "sts-policy-fetch-error": Entry(
            meaning: "The sender could not fetch the policy from https://mta-sts.<domain>/.well-known/mta-sts.txt.",
            advice: "Check that mta-sts.<domain> is a CNAME to the edge and that its certificate is valid.",
            blocksEnforce: true
        ),
        "sts-policy-invalid": Entry(
            meaning: "The sender fetched the policy but found it invalid.",
            advice: "Compare the served policy with RFC 8461 §3.2; the platform renders it, so report this.",
            blocksEnforce: true
        ),
        "sts-webpki-invalid": Entry(
            meaning: "The policy host's HTTPS certificate did not validate.",
            advice: "Check the certificate of mta-sts.<domain> (the platform issues it: see the domain's checklist).",
            blocksEnforce: true
        ),
    ]
}
