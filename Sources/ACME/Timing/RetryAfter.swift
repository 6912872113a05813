package import Foundation

/// Parses `Retry-After` (RFC 9110 §10.2.3): delta-seconds or an HTTP-date, as ACME servers send it with
/// `rateLimited` errors and on polled resources (RFC 8555 §6.6, §7.4).
///
/// ```swift
/// RetryAfter.date(from: "120", now: now)                             // now + 120 s
/// RetryAfter.date(from: "Wed, 21 Oct 2015 07:28:00 GMT", now: now)   // that instant
/// ```
package enum RetryAfter {
    /// The instant `value` names, relative to `now` for delta-seconds; `nil` when it is malformed.
    package static func date(from value: String?, now: Date) -> Date? {
        guard let value = value?.trimmingASCIIWhitespace(), !value.isEmpty else { return nil }
        if value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            // Saturate absurd values rather than failing: more than ten years is "much later".
            let seconds = value.utf8.count > 9 ? 315_360_000 : min(Double(value) ?? 0, 315_360_000)
            return now.addingTimeInterval(seconds)
        }
        return HTTPDateParser.date(from: value)
    }

    /// The delay until the instant `value` names, never negative; `nil` when absent or malformed.
    package static func delay(from value: String?, now: Date) -> TimeInterval? {
        date(from: value, now: now).map { max(0, $0.timeIntervalSince(now)) }
    }
}
