package import Foundation

/// When to renew a certificate (pure): inside the ARI window when the CA offers one (RFC 9773 §4.2), otherwise
/// when one third of the lifetime remains, which works for 6-, 45- and 90-day certificates alike (Let's Encrypt's
/// guidance; certmagic's and certbot's default ratio).
///
/// ```swift
/// var rng = SystemRandomNumberGenerator()
/// let at = RenewalSchedule.renewalTime(notBefore: nb, notAfter: na, ari: info?.window, now: Date(), random: &rng)
/// ```
package enum RenewalSchedule {
    /// The fraction of the lifetime left when renewing without ARI.
    package static let remainingLifetimeFraction = 1.0 / 3.0

    /// The renewal time.
    ///
    /// With an ARI window: a uniformly random instant in `start..<end` (§4.2's recommended algorithm); if that
    /// is in the past, `now`. A window ending after `notAfter` is ignored (a CA would never suggest renewing
    /// after expiry; treat it as bogus). Without a window: `notAfter − lifetime/3`, or `now` when that has passed.
    ///
    /// - Parameters:
    ///   - notBefore: The certificate's notBefore.
    ///   - notAfter: The certificate's notAfter.
    ///   - ari: The suggested window, when the CA offers ARI and answered.
    ///   - now: The current time.
    ///   - random: The source of the random choice inside the window (seeded in tests).
    package static func renewalTime(
        notBefore: Date,
        notAfter: Date,
        ari: ARIWindow?,
        now: Date,
        random: inout some RandomNumberGenerator
    ) -> Date {
        let candidate: Date
        if let ari, ari.end <= notAfter {
            let span = ari.end.timeIntervalSince(ari.start)
            candidate = ari.start.addingTimeInterval(Double.random(in: 0..<span, using: &random))
        } else {
            let lifetime = max(0, notAfter.timeIntervalSince(notBefore))
            candidate = notAfter.addingTimeInterval(-lifetime * remainingLifetimeFraction)
        }
        return max(candidate, now)
    }
}
