import CivilTime

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The `id` of an MTA-STS TXT record: 1–32 ASCII letters and digits (RFC 8461 §3.1 `sts-id`).
///
/// Ids are opaque to senders; the platform makes them from the UTC time plus a counter so that a domain never
/// sees the same id twice.
///
/// ```swift
/// let id = PolicyID.generate(at: now, avoiding: usedIDs)  // e.g. 20261125T093000
/// ```
package struct PolicyID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The id text.
    package let string: String

    /// Validates an id.
    /// - Throws: `PolicyError` with code `.invalidPolicyID` and field `"id"` unless 1–32 ASCII letters/digits.
    package init(_ string: String) throws(PolicyError) {
        guard RecordGrammar.isPolicyID(string) else {
            throw PolicyError(
                .invalidPolicyID,
                field: "id",
                message: "A policy id must be 1 to 32 ASCII letters and digits, not \"\(string)\"."
            )
        }
        self.string = string
    }

    /// For text already known to satisfy `RecordGrammar.isPolicyID`.
    private init(unchecked string: String) {
        self.string = string
    }

    /// Makes a fresh id from a UTC timestamp `yyyyMMdd'T'HHmmss`, adding a counter (`2`, `3`, …) if taken.
    ///
    /// Dates outside the years 0000–9999 are clamped so the timestamp keeps its 15 characters.
    /// - Parameters:
    ///   - date: The moment of publication.
    ///   - used: Every id this domain has ever published.
    /// - Returns: An id not in `used`.
    package static func generate(at date: Date, avoiding used: Set<PolicyID>) -> PolicyID {
        let base = timestamp(date)
        var candidate = PolicyID(unchecked: base)
        var counter = 2
        // 15 characters plus a counter: `used` would need 10^17 entries before the id passed 32 characters.
        while used.contains(candidate) {
            candidate = PolicyID(unchecked: base + String(counter))
            counter += 1
        }
        return candidate
    }

    /// `yyyyMMdd'T'HHmmss` in UTC, computed from the Unix time with the proleptic Gregorian calendar.
    static func timestamp(_ date: Date) -> String {
        // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
        let lowest = -62_167_219_200.0
        let highest = 253_402_300_799.0
        let interval = date.timeIntervalSince1970
        let clamped = interval.isNaN ? 0 : min(max(interval, lowest), highest)
        let (date, secondOfDay) = CivilDate.split(epochSeconds: Int64(clamped.rounded(.down)))
        return pad(date.year, 4) + pad(date.month, 2) + pad(date.day, 2) + "T"
            + pad(secondOfDay / 3600, 2) + pad(secondOfDay / 60 % 60, 2) + pad(secondOfDay % 60, 2)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    package var description: String { string }

    package static func < (lhs: PolicyID, rhs: PolicyID) -> Bool { lhs.string < rhs.string }
}
