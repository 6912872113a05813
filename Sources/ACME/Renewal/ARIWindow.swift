package import Foundation

/// The suggested renewal window of ACME Renewal Information (RFC 9773 §4.2): renew at some time in
/// `start..<end`. A window whose end is not after its start is invalid and never constructed.
package struct ARIWindow: Sendable, Equatable {
    /// The earliest suggested renewal time.
    package let start: Date
    /// The latest suggested renewal time.
    package let end: Date

    /// Creates a window, or `nil` when `end <= start` (RFC 9773 §4.2: treat as if no response arrived).
    package init?(start: Date, end: Date) {
        guard end > start else { return nil }
        self.start = start
        self.end = end
    }
}
