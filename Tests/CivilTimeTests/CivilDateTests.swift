import CivilTime
import Testing

@Suite struct CivilDateTests {
    @Test(arguments: [
        (0, CivilDate(year: 1970, month: 1, day: 1)),
        (-1, CivilDate(year: 1969, month: 12, day: 31)),
        (9_075, CivilDate(year: 1994, month: 11, day: 6)),
        (11_016, CivilDate(year: 2000, month: 2, day: 29)),
        (19_782, CivilDate(year: 2024, month: 2, day: 29)),
        (2_932_896, CivilDate(year: 9999, month: 12, day: 31)),
        (-719_528, CivilDate(year: 0, month: 1, day: 1)),
    ])
    func knownDays(days: Int, date: CivilDate) {
        #expect(CivilDate(daysSince1970: days) == date)
        #expect(date.daysSince1970 == days)
    }

    @Test func everyDayOfFourCenturiesRoundTripsAndFollowsTheLastOne() {
        var previous = CivilDate(daysSince1970: -146_098)
        for days in -146_097...146_097 {
            let date = CivilDate(daysSince1970: days)
            #expect(date.daysSince1970 == days)
            let continues = date.day == previous.day + 1 && date.month == previous.month
            let newMonth = date.day == 1 && (date.month == previous.month % 12 + 1)
            if !(continues || newMonth) { Issue.record("\(previous) is followed by \(date)") }
            previous = date
        }
    }

    @Test func splitsUnixTimesIntoDateAndSecondOfDay() {
        let (date, second) = CivilDate.split(epochSeconds: 784_111_777)
        #expect(date == CivilDate(year: 1994, month: 11, day: 6) && second == 8 * 3600 + 49 * 60 + 37)
        let (before, secondBefore) = CivilDate.split(epochSeconds: -1)
        #expect(before == CivilDate(year: 1969, month: 12, day: 31) && secondBefore == 86_399)
        #expect(date.epochSeconds(secondOfDay: second) == 784_111_777)
    }

    @Test func weekdays() {
        #expect(CivilDate(year: 1994, month: 11, day: 6).weekday == 0)  // Sunday
        #expect(CivilDate(year: 1970, month: 1, day: 1).weekday == 4)  // Thursday
        #expect(CivilDate(year: 1969, month: 12, day: 31).weekday == 3)
    }
}
