import Crypto
import Foundation
import TestSupport
import Testing

@testable import ACME

@Suite struct RenewalScheduleTests {
    static let day: TimeInterval = 86_400
    static let issued = Date(timeIntervalSince1970: 1_764_000_000)

    @Test(arguments: [6.0, 45.0, 90.0])
    func withoutARIRenewsWhenOneThirdOfTheLifetimeRemains(days: Double) {
        var random = SplitMix64(seed: 1)
        let notAfter = Self.issued.addingTimeInterval(days * Self.day)
        let at = RenewalSchedule.renewalTime(
            notBefore: Self.issued,
            notAfter: notAfter,
            ari: nil,
            now: Self.issued,
            random: &random
        )
        #expect(at == Self.issued.addingTimeInterval(days * Self.day * 2 / 3))
        // 6 days → renew after 4; 45 → after 30; 90 → after 60.
        #expect((at.timeIntervalSince(Self.issued) / Self.day).rounded() == (days * 2 / 3).rounded())
        // Past the point (a worker that was down): renew now.
        let late = notAfter.addingTimeInterval(-1)
        #expect(
            RenewalSchedule.renewalTime(
                notBefore: Self.issued,
                notAfter: notAfter,
                ari: nil,
                now: late,
                random: &random
            ) == late
        )
    }

    @Test(arguments: [6.0, 45.0, 90.0])
    func withARIPicksUniformlyInsideTheWindow(days: Double) throws {
        let notAfter = Self.issued.addingTimeInterval(days * Self.day)
        let window = try #require(
            ARIWindow(
                start: Self.issued.addingTimeInterval(days * Self.day / 2),
                end: Self.issued.addingTimeInterval(days * Self.day * 0.6)
            )
        )
        var random = SplitMix64(seed: 42)
        var times: [Date] = []
        for _ in 0..<200 {
            times.append(
                RenewalSchedule.renewalTime(
                    notBefore: Self.issued,
                    notAfter: notAfter,
                    ari: window,
                    now: Self.issued,
                    random: &random
                )
            )
        }
        #expect(times.allSatisfy { $0 >= window.start && $0 < window.end })
        // Spread over the window, not clumped at one end.
        let span = window.end.timeIntervalSince(window.start)
        let lowerHalf = times.filter { $0.timeIntervalSince(window.start) < span / 2 }.count
        #expect((60...140).contains(lowerHalf))
    }

    @Test func windowInThePastMeansNow() throws {
        let window = try #require(
            ARIWindow(
                start: Self.issued.addingTimeInterval(Self.day),
                end: Self.issued.addingTimeInterval(2 * Self.day)
            )
        )
        let now = Self.issued.addingTimeInterval(3 * Self.day)
        var random = SplitMix64(seed: 7)
        let at = RenewalSchedule.renewalTime(
            notBefore: Self.issued,
            notAfter: Self.issued.addingTimeInterval(90 * Self.day),
            ari: window,
            now: now,
            random: &random
        )
        #expect(at == now)
    }

    @Test func windowEndingAfterExpiryIsIgnored() throws {
        let notAfter = Self.issued.addingTimeInterval(6 * Self.day)
        let window = try #require(
            ARIWindow(
                start: Self.issued.addingTimeInterval(5 * Self.day),
                end: Self.issued.addingTimeInterval(9 * Self.day)
            )
        )
        var random = SplitMix64(seed: 3)
        let at = RenewalSchedule.renewalTime(
            notBefore: Self.issued,
            notAfter: notAfter,
            ari: window,
            now: Self.issued,
            random: &random
        )
        #expect(at == Self.issued.addingTimeInterval(4 * Self.day))
    }

    @Test func parsesRenewalInfoResponse() throws {
        let now = Date(timeIntervalSince1970: 1_736_000_000)
        let body =
            #"{"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00Z"},"explanationURL":"https://acme.example.com/docs/ari"}"#
        let info = try #require(ACMERenewalInfo(json: Array(body.utf8), retryAfterHeader: "21600", now: now))
        #expect(info.window.start == Date(timeIntervalSince1970: 1_735_790_400))
        #expect(info.window.end == Date(timeIntervalSince1970: 1_735_876_800))
        #expect(info.explanationURL == "https://acme.example.com/docs/ari")
        #expect(info.nextCheck == now.addingTimeInterval(21_600))
    }

    @Test func invalidRenewalInfoIsNil() {
        let now = Date(timeIntervalSince1970: 1_736_000_000)
        let inverted = #"{"suggestedWindow":{"start":"2025-01-03T04:00:00Z","end":"2025-01-02T04:00:00Z"}}"#
        let empty = #"{"suggestedWindow":{"start":"2025-01-03T04:00:00Z","end":"2025-01-03T04:00:00Z"}}"#
        let badDate = #"{"suggestedWindow":{"start":"2025-01-03 04:00","end":"2025-01-04T04:00:00Z"}}"#
        for body in [inverted, empty, badDate, #"{"window":{}}"#, "not json"] {
            #expect(ACMERenewalInfo(json: Array(body.utf8), retryAfterHeader: nil, now: now) == nil)
        }
    }

    @Test func retryAfterIsClampedBetweenAMinuteAndADay() {
        let now = Date(timeIntervalSince1970: 1_736_000_000)
        #expect(ACMERenewalInfo.clampedRetryAfter("5", now: now) == 60)
        #expect(ACMERenewalInfo.clampedRetryAfter("3600", now: now) == 3600)
        #expect(ACMERenewalInfo.clampedRetryAfter("604800", now: now) == 86_400)
        #expect(ACMERenewalInfo.clampedRetryAfter(nil, now: now) == 21_600)
        #expect(ACMERenewalInfo.clampedRetryAfter("soon", now: now) == 21_600)
        // An HTTP-date in the past clamps up to a minute.
        #expect(ACMERenewalInfo.clampedRetryAfter("Wed, 01 Jan 2020 00:00:00 GMT", now: now) == 60)
    }
}

@Suite struct RenewalScheduleCertificateTests {
    @Test(arguments: [6, 45, 90])
    func usesTheCertificatesOwnValidity(days: Int64) throws {
        let now: Int64 = 1_764_000_000
        let ca = try CertificateBuilder.makeAuthority(commonName: "Renewal CA", now: now)
        let leaf = try CertificateBuilder.makeLeaf(
            dnsNames: ["mta-sts.example.com"],
            issuer: ca,
            now: now,
            lifetime: days * 86_400
        )
        var random = SplitMix64(seed: 9)
        let at = RenewalSchedule.renewalTime(
            for: leaf.certificate,
            ari: nil,
            now: Date(timeIntervalSince1970: TimeInterval(now)),
            random: &random
        )
        // makeLeaf starts validity an hour before `now`: lifetime = days + 1 h; renew with a third of it left.
        let lifetime = TimeInterval(days * 86_400 + 3_600)
        #expect(at == leaf.certificate.notAfter.addingTimeInterval(-lifetime / 3))
    }
}
