/// A date in the proleptic Gregorian calendar, converted to and from a day count since 1970-01-01 with
/// Howard Hinnant's `days_from_civil` and `civil_from_days` (exact for every day of `Int`'s range of years,
/// no Foundation, no time zones: every caller here works in UTC).
///
/// ```swift
/// CivilDate(daysSince1970: 19_782)                        // 2024-02-29
/// CivilDate(year: 1994, month: 11, day: 6).daysSince1970  // 9_075
/// let (date, second) = CivilDate.split(epochSeconds: 784_111_777)  // 1994-11-06, 31_777 (08:49:37)
/// ```
package struct CivilDate: Hashable, Sendable, CustomStringConvertible {
    package var year: Int
    /// 1…12.
    package var month: Int
    /// 1…31.
    package var day: Int

    /// A date from its parts; no validation (callers check ranges where input is untrusted).
    package init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days after 1970-01-01 (before it when negative): `civil_from_days`.
    package init(daysSince1970 days: Int) {
        let shifted = days + 719_468
        let era = Self.floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days from 1970-01-01 to this date (negative before it): `days_from_civil`.
    package var daysSince1970: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = Self.floorDivide(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// 0 for Sunday … 6 for Saturday (1970-01-01 was a Thursday).
    package var weekday: Int {
        let remainder = (daysSince1970 + 4) % 7
        return remainder < 0 ? remainder + 7 : remainder
    }

    /// The UTC date and second of the day (0…86 399) of a Unix time; times before 1970 round down.
    package static func split(epochSeconds: Int64) -> (date: CivilDate, secondOfDay: Int) {
        let days = floorDivide(epochSeconds, 86_400)
        return (CivilDate(daysSince1970: Int(days)), Int(epochSeconds - days * 86_400))
    }

    /// Unix seconds of `secondOfDay` on this date, UTC.
    package func epochSeconds(secondOfDay: Int = 0) -> Int64 {
        Int64(daysSince1970) * 86_400 + Int64(secondOfDay)
    }

    /// `YYYY-MM-DD`.
    package var description: String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    private static func floorDivide<Value: BinaryInteger>(_ value: Value, _ divisor: Value) -> Value {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
