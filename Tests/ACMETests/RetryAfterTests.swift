import Foundation
import Testing

@testable import ACME

@Suite struct RetryAfterTests {
    static let now = Date(timeIntervalSince1970: 1_764_000_000)

    @Test func deltaSeconds() {
        #expect(RetryAfter.date(from: "120", now: Self.now) == Self.now.addingTimeInterval(120))
        #expect(RetryAfter.date(from: " 0 ", now: Self.now) == Self.now)
        #expect(RetryAfter.delay(from: "99999999999999999999", now: Self.now) == 315_360_000)
    }

    @Test func httpDateForms() {
        let expected = Date(timeIntervalSince1970: 784_111_777)
        #expect(RetryAfter.date(from: "Sun, 06 Nov 1994 08:49:37 GMT", now: Self.now) == expected)
        #expect(RetryAfter.date(from: "Sunday, 06-Nov-94 08:49:37 GMT", now: Self.now) == expected)
        #expect(RetryAfter.date(from: "Sun Nov  6 08:49:37 1994", now: Self.now) == expected)
        // A date in the past is a zero delay.
        #expect(RetryAfter.delay(from: "Sun, 06 Nov 1994 08:49:37 GMT", now: Self.now) == 0)
    }

    @Test func malformedValuesAreIgnored() {
        for value in [nil, "", "-5", "1.5", "soon", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT"] {
            #expect(RetryAfter.date(from: value, now: Self.now) == nil)
        }
    }
}
