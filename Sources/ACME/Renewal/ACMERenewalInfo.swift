import CivilTime
package import Foundation

/// A parsed renewalInfo response (RFC 9773 §4.2) with the time to ask again (§4.3).
///
/// ```swift
/// let info = ACMERenewalInfo(json: body, retryAfterHeader: response.headers["Retry-After"], now: now)
/// let renewAt = RenewalSchedule.renewalTime(notBefore: nb, notAfter: na, ari: info?.window, now: now, random: &rng)
/// ```
package struct ACMERenewalInfo: Sendable, Equatable {
    /// Shortest re-check interval: a smaller `Retry-After` is raised to one minute (§4.3).
    package static let minimumRetryAfter: TimeInterval = 60
    /// Longest re-check interval: a larger `Retry-After` is lowered to one day (§4.3).
    package static let maximumRetryAfter: TimeInterval = 86_400
    /// The re-check interval when `Retry-After` is missing or malformed: a long-term error, about six hours (§4.3).
    package static let defaultRetryAfter: TimeInterval = 21_600

    /// The suggested window.
    package var window: ARIWindow
    /// A page explaining the window (e.g. a mass-revocation notice), for operators.
    package var explanationURL: String?
    /// When to fetch renewal information again.
    package var nextCheck: Date

    /// Creates a value.
    package init(window: ARIWindow, explanationURL: String? = nil, nextCheck: Date) {
        self.window = window
        self.explanationURL = explanationURL
        self.nextCheck = nextCheck
    }

    private struct Body: Decodable {
        struct SuggestedWindow: Decodable {
            var start: String
            var end: String
        }
        var suggestedWindow: SuggestedWindow
        var explanationURL: String?
    }

    /// Parses a renewalInfo body; `nil` when it is malformed, its times are not RFC 3339 or `end <= start`.
    ///
    /// - Parameters:
    ///   - json: The response body.
    ///   - retryAfterHeader: The response's `Retry-After`, clamped with ``clampedRetryAfter(_:now:)``.
    ///   - now: The current time.
    package init?(json: [UInt8], retryAfterHeader: String?, now: Date) {
        guard let body = try? ACMEJSON.decode(Body.self, from: json, what: "renewalInfo"),
            let start = RFC3339Timestamp.secondsSince1970(body.suggestedWindow.start).map(
                Date.init(timeIntervalSince1970:)
            ),
            let end = RFC3339Timestamp.secondsSince1970(body.suggestedWindow.end).map(
                Date.init(timeIntervalSince1970:)
            ),
            let window = ARIWindow(start: start, end: end)
        else {
            return nil
        }
        self.init(
            window: window,
            explanationURL: body.explanationURL,
            nextCheck: now.addingTimeInterval(Self.clampedRetryAfter(retryAfterHeader, now: now))
        )
    }

    /// The re-check interval from a `Retry-After` value: clamped to one minute … one day, six hours when absent
    /// or malformed (RFC 9773 §4.3).
    package static func clampedRetryAfter(_ header: String?, now: Date) -> TimeInterval {
        guard let delay = RetryAfter.delay(from: header, now: now) else {
            return defaultRetryAfter
        }
        return min(max(delay, minimumRetryAfter), maximumRetryAfter)
    }
}
