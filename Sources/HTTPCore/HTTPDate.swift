/// Formats IMF-fixdate timestamps for the Date header (RFC 9110 §5.6.7) without Foundation.
///
/// ```swift
/// HTTPDate.format(epochSeconds: 784_111_777)   // "Sun, 06 Nov 1994 08:49:37 GMT"
/// ```
package enum HTTPDate {
    private static let dayNames: [StaticString] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthNames: [StaticString] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    /// 9999-12-31T23:59:59Z, the last instant with a four-digit year.
    private static let latestEpochSeconds: Int64 = 253_402_300_799

    /// The IMF-fixdate for a Unix time; times outside 1970…9999 are clamped.
    package static func format(epochSeconds: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(29)
        write(epochSeconds: epochSeconds, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the 29-byte IMF-fixdate for a Unix time; times outside 1970…9999 are clamped.
    package static func write(epochSeconds: Int64, into buffer: inout [UInt8]) {
        let seconds = min(max(epochSeconds, 0), latestEpochSeconds)
        let days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        // 1970-01-01 was a Thursday.
        let weekday = Int((days + 4) % 7)
        appendName(dayNames[weekday], to: &buffer)
        buffer.append(.comma)
        buffer.append(.space)
        appendDigits(day, count: 2, to: &buffer)
        buffer.append(.space)
        appendName(monthNames[month - 1], to: &buffer)
        buffer.append(.space)
        appendDigits(year, count: 4, to: &buffer)
        buffer.append(.space)
        appendDigits(Int(secondOfDay / 3600), count: 2, to: &buffer)
        buffer.append(.colon)
        appendDigits(Int(secondOfDay / 60 % 60), count: 2, to: &buffer)
        buffer.append(.colon)
        appendDigits(Int(secondOfDay % 60), count: 2, to: &buffer)
        buffer.append(contentsOf: " GMT".utf8)
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch days: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private static func appendName(_ name: StaticString, to buffer: inout [UInt8]) {
        name.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    private static func appendDigits(_ value: Int, count: Int, to buffer: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / divisor % 10))
            divisor /= 10
        }
    }
}
