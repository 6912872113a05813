package import Foundation

/// How long a failed job waits before its next attempt.
package enum RetryBackoff {
    /// Exponential backoff: `base · 2^attempts`, capped, with ±10 % jitter so workers don't retry in lockstep.
    package static func delay(
        attempts: Int,
        base: Duration = .seconds(30),
        cap: Duration = .seconds(6 * 3600)
    ) -> TimeInterval {
        let baseSeconds = Double(base.components.seconds)
        let capSeconds = Double(cap.components.seconds)
        let raw = min(capSeconds, baseSeconds * pow(2, Double(min(attempts, 30))))
        return raw * Double.random(in: 0.9...1.1)
    }
}
