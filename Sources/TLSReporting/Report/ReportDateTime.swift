import CivilTime
package import Foundation

/// RFC 3339 date-times as TLS reports carry them (RFC 8460 §4.4 `date-range`), read leniently.
///
/// Accepts `2016-04-01T00:00:00Z`, fractions of any length, `+hh:mm`/`-hh:mm` offsets, a lower-case `t`/`z`
/// or a space as separator, and, as Microsoft writes them, no zone at all (read as UTC).
///
/// ```swift
/// ReportDateTime.parse("2021-01-01T00:00:00")   // 2021-01-01 00:00:00 UTC
/// ```
package enum ReportDateTime {
    /// The instant `text` names, or nil when it is not a date-time.
    package static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0

        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }

        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2),
            expect("Tt "), let hour = digits(2), expect(":"), let minute = digits(2), expect(":"),
            let second = digits(2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24,
            minute < 60, second <= 60
        else { return nil }
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offsetSeconds = 0
        if index < bytes.count {
            if expect("Zz") {
                // UTC
            } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                guard let offsetHours = digits(2), expect(":"), let offsetMinutes = digits(2), offsetHours < 24,
                    offsetMinutes < 60
                else { return nil }
                offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            }
        }
        guard index == bytes.count else { return nil }
        let seconds = CivilDate(year: year, month: month, day: day).epochSeconds(
            secondOfDay: hour * 3600 + minute * 60 + min(second, 59)
        )
        return Date(timeIntervalSince1970: Double(seconds - Int64(offsetSeconds)) + fraction)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
