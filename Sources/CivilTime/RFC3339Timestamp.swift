/// RFC 3339 `date-time` values (`2025-01-02T04:00:00Z`, `…T04:00:00.123+02:00`) as seconds since 1970, UTC.
///
/// Strict by default: a `T` (or `t`) between date and time and a zone (`Z`, `z` or `±hh:mm`), as ACME and the
/// API's query parameters need. `lenient` also takes what TLS reporters write (RFC 8460 §4.4 in the wild): a space
/// for the `T`, and no zone at all, read as UTC (Microsoft). Days are checked against their month; a leap second
/// counts as the second before it.
///
/// ```swift
/// RFC3339Timestamp.secondsSince1970("2025-01-02T06:00:00+02:00")          // 1_735_790_400
/// RFC3339Timestamp.secondsSince1970("2021-01-01T00:00:00", lenient: true)  // 1_609_459_200
/// ```
package enum RFC3339Timestamp {
    /// The instant `text` names, or nil when it is not a date-time of the accepted form.
    package static func secondsSince1970(_ text: String, lenient: Bool = false) -> Double? {
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
            expect(lenient ? "Tt " : "Tt"), let hour = digits(2), expect(":"), let minute = digits(2), expect(":"),
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
        if index == bytes.count {
            guard lenient else { return nil }
        } else if expect("Zz") {
            // UTC
        } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = digits(2), expect(":"), let offsetMinutes = digits(2), offsetHours < 24,
                offsetMinutes < 60
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard index == bytes.count else { return nil }
        let seconds = CivilDate(year: year, month: month, day: day).epochSeconds(
            secondOfDay: hour * 3600 + minute * 60 + min(second, 59)
        )
        return Double(seconds - Int64(offsetSeconds)) + fraction
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
