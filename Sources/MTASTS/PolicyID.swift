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
        let seconds = Int(clamped.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSince1970: days)
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + "T"
            + pad(secondOfDay / 3600, 2) + pad(secondOfDay / 60 % 60, 2) + pad(secondOfDay % 60, 2)
    }

    /// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to a proleptic Gregorian date.
    static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    package var description: String { string }

    package static func < (lhs: PolicyID, rhs: PolicyID) -> Bool { lhs.string < rhs.string }
}
