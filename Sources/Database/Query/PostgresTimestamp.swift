import CivilTime
package import Foundation

/// Formats and parses `timestamptz` text as PostgreSQL prints it with `DateStyle=ISO` and `TimeZone=UTC`.
///
/// Connections set both on connect, so the text is always `YYYY-MM-DD HH:MM:SS[.ffffff]+00`.
package enum PostgresTimestamp {
    /// Formats a date with microsecond precision in UTC.
    package static func format(_ date: Date) -> String {
        let totalMicroseconds = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let epochSeconds = Int64((totalMicroseconds / 1_000_000).rounded(.down))
        let micros = Int64(totalMicroseconds) - epochSeconds * 1_000_000
        let (civil, secondOfDay) = CivilDate.split(epochSeconds: epochSeconds)
        let (year, month, day) = (Int64(civil.year), Int64(civil.month), Int64(civil.day))
        let seconds = Int64(secondOfDay)
        return String(
            format: "%04lld-%02lld-%02lld %02lld:%02lld:%02lld.%06lld+00",
            year,
            month,
            day,
            seconds / 3600,
            (seconds % 3600) / 60,
            seconds % 60,
            micros
        )
    }

    /// Parses PostgreSQL's ISO output; returns nil for anything else (including `infinity`).
    package static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + width] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            index += width
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect(" "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2)
        else { return nil }
        var micros: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 6 { micros = micros * 10 + Int64(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            for _ in digits..<6 where digits < 6 { micros *= 10 }
        }
        var offsetSeconds: Int64 = 0
        if index < bytes.count {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return nil }
            index += 1
            guard let hours = number(2) else { return nil }
            var minutes: Int64 = 0
            if expect(":") { minutes = number(2) ?? 0 }
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }
        guard index == bytes.count, (1...12).contains(month), (1...31).contains(day) else { return nil }
        let days = Int64(CivilDate(year: Int(year), month: Int(month), day: Int(day)).daysSince1970)
        let epochSeconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(epochSeconds) + Double(micros) / 1_000_000)
    }
}
