import CivilTime

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
        let (date, secondOfDay) = CivilDate.split(epochSeconds: min(max(epochSeconds, 0), latestEpochSeconds))
        let (year, month, day) = (date.year, date.month, date.day)
        appendName(dayNames[date.weekday], to: &buffer)
        buffer.append(.comma)
        buffer.append(.space)
        DecimalDigits.append(day, width: 2, to: &buffer)
        buffer.append(.space)
        appendName(monthNames[month - 1], to: &buffer)
        buffer.append(.space)
        DecimalDigits.append(year, width: 4, to: &buffer)
        buffer.append(.space)
        DecimalDigits.append(secondOfDay / 3600, width: 2, to: &buffer)
        buffer.append(.colon)
        DecimalDigits.append(secondOfDay / 60 % 60, width: 2, to: &buffer)
        buffer.append(.colon)
        DecimalDigits.append(secondOfDay % 60, width: 2, to: &buffer)
        buffer.append(contentsOf: " GMT".utf8)
    }

    private static func appendName(_ name: StaticString, to buffer: inout [UInt8]) {
        name.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }
}
