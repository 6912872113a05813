import Foundation
import Testing

@testable import TLSReporting

@Suite struct AppliedPolicyMatcherTests {
    let day = 86_400.0
    var history: [PolicyVersion] {
        [
            PolicyVersion(
                policyID: "v1",
                text: "version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n",
                servedFrom: Date(timeIntervalSince1970: 0),
                servedUntil: Date(timeIntervalSince1970: 10 * day)
            ),
            PolicyVersion(
                policyID: "v2",
                text: "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 604800\r\n",
                servedFrom: Date(timeIntervalSince1970: 10 * day),
                servedUntil: Date(timeIntervalSince1970: 20 * day)
            ),
            PolicyVersion(
                policyID: "v3",
                text: "version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n",
                servedFrom: Date(timeIntervalSince1970: 20 * day),
                servedUntil: nil
            ),
        ]
    }

    @Test func matchesTheVersionWithTheSameLinesInAnyOrderAndCase() {
        let lines = ["max_age:604800", "MX: MX1.example.com", "version: STSv1", "mode:   enforce"]
        let id = AppliedPolicyMatcher.match(
            lines,
            reportStart: Date(timeIntervalSince1970: 12 * day),
            reportEnd: Date(timeIntervalSince1970: 13 * day),
            among: history
        )
        #expect(id == "v2")
    }

    @Test func theSameTextServedTwiceIsResolvedByTheReportPeriod() {
        let lines = ["version: STSv1", "mode: testing", "mx: mx1.example.com", "max_age: 86400"]
        let early = AppliedPolicyMatcher.match(
            lines,
            reportStart: Date(timeIntervalSince1970: 2 * day),
            reportEnd: Date(timeIntervalSince1970: 3 * day),
            among: history
        )
        #expect(early == "v1")
        // A sender still applying the old text during v2's time: the latest version with that text.
        let stale = AppliedPolicyMatcher.match(
            lines,
            reportStart: Date(timeIntervalSince1970: 12 * day),
            reportEnd: Date(timeIntervalSince1970: 13 * day),
            among: history
        )
        #expect(stale == "v3")
    }

    @Test func unknownOrMissingTextMatchesNothing() {
        #expect(
            AppliedPolicyMatcher.match(
                ["version: STSv1", "mode: none", "max_age: 1"],
                reportStart: Date(),
                reportEnd: Date(),
                among: history
            ) == nil
        )
        #expect(AppliedPolicyMatcher.match([], reportStart: Date(), reportEnd: Date(), among: history) == nil)
    }
}
