package import Crypto
package import Foundation

extension RenewalSchedule {
    /// The renewal time of `certificate` (see ``renewalTime(notBefore:notAfter:ari:now:random:)``), from its own
    /// notBefore/notAfter: never from an assumed lifetime, so 6-, 45- and 90-day certificates all work.
    ///
    /// ```swift
    /// var rng = SystemRandomNumberGenerator()
    /// let info = try client.renewalInfo(for: certID)
    /// let at = RenewalSchedule.renewalTime(for: leaf, ari: info?.window, now: Date(), random: &rng)
    /// ```
    package static func renewalTime(
        for certificate: X509Certificate,
        ari: ARIWindow?,
        now: Date,
        random: inout some RandomNumberGenerator
    ) -> Date {
        renewalTime(
            notBefore: certificate.notBefore,
            notAfter: certificate.notAfter,
            ari: ari,
            now: now,
            random: &random
        )
    }
}
