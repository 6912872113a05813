import Foundation
import Store
import Testing
import Worker

@Suite struct ReportAlertConditionsTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func day(_ offset: Double, ok: Int, failed: Int) -> ReportSummary.Day {
        ReportSummary.Day(
            date: now.addingTimeInterval(offset * 86_400),
            successfulSessions: ok,
            failedSessions: failed,
            reports: 1
        )
    }

    func reporter(_ name: String, daysAgo: Double) -> ReportSummary.Reporter {
        ReportSummary.Reporter(
            organizationName: name,
            reports: 5,
            successfulSessions: 100,
            failedSessions: 0,
            lastReportEnd: now.addingTimeInterval(-daysAgo * 86_400),
            lastAppliedPolicyID: nil
        )
    }

    @Test func aFailureRateAboveFivePercentWithEnoughSessionsIsAlerted() {
        let recent = ReportSummary(
            days: [day(-2, ok: 90, failed: 4), day(-1, ok: 90, failed: 6)],
            failuresByResultType: [.init(key: "certificate-expired", failedSessions: 10)],
            failuresByReceivingMX: [.init(key: "mx2.example.com", failedSessions: 10)],
            reporters: []
        )
        let conditions = ReportAlertConditions.evaluate(domain: "example.com", recent: recent, month: recent, now: now)
        #expect(conditions.map(\.code) == ["tlsrpt-failure-rate"])
        #expect(conditions.first?.message.contains("10 of 190 sessions") == true)
        #expect(conditions.first?.message.contains("certificate-expired (most at mx2.example.com)") == true)
    }

    @Test func aLowRateOrTooFewSessionsIsNot() {
        let low = ReportSummary(
            days: [day(-1, ok: 990, failed: 10)],
            failuresByResultType: [],
            failuresByReceivingMX: [],
            reporters: []
        )
        let few = ReportSummary(
            days: [day(-1, ok: 5, failed: 5)],
            failuresByResultType: [],
            failuresByReceivingMX: [],
            reporters: []
        )
        #expect(ReportAlertConditions.evaluate(domain: "example.com", recent: low, month: low, now: now).isEmpty)
        #expect(ReportAlertConditions.evaluate(domain: "example.com", recent: few, month: few, now: now).isEmpty)
    }

    @Test func aReporterGoneSilentWhileOthersReportIsAlerted() {
        let empty = ReportSummary(days: [], failuresByResultType: [], failuresByReceivingMX: [], reporters: [])
        let month = ReportSummary(
            days: [],
            failuresByResultType: [],
            failuresByReceivingMX: [],
            reporters: [reporter("Google Inc.", daysAgo: 0.5), reporter("Microsoft Corporation", daysAgo: 5)]
        )
        let conditions = ReportAlertConditions.evaluate(domain: "example.com", recent: empty, month: month, now: now)
        #expect(conditions.map(\.code) == ["tlsrpt-reporter-silent"])
        #expect(conditions.first?.message.hasPrefix("Microsoft Corporation stopped") == true)
        // Everyone silent (the intake itself, or no mail at all): no reporter stands out.
        let allSilent = ReportSummary(
            days: [],
            failuresByResultType: [],
            failuresByReceivingMX: [],
            reporters: [reporter("Google Inc.", daysAgo: 4), reporter("Microsoft Corporation", daysAgo: 5)]
        )
        #expect(
            ReportAlertConditions.evaluate(domain: "example.com", recent: empty, month: allSilent, now: now).isEmpty
        )
    }
}
