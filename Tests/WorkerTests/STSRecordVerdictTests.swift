import Checks
import Foundation
import Store
import Testing
import Worker

@Suite struct STSRecordVerdictTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let target = "abcdefghij0123456789._mta-sts.sts.platform.test"

    private func verdict(
        cname: String? = nil,
        txt: [[String]]?,
        current: String = "20261129T120000",
        zone: Bool = true
    ) -> STSRecordVerdict.Result {
        STSRecordVerdict.evaluate(
            .init(cnameTarget: cname, txtRecords: txt, failure: txt == nil ? "timeout" : nil),
            domain: "example.test",
            currentID: current,
            delegationTarget: zone ? Self.target : nil
        )
    }

    @Test func eachPublicationGetsItsVerdictAndTheRecordToPublish() {
        #expect(verdict(txt: [["v=STSv1; id=20261129T120000"]]).status == .current)
        let stale = verdict(txt: [["v=STSv1; id=20261101T000000"]])
        #expect(stale.status == .stale && stale.publishedID == "20261101T000000")
        #expect(stale.detail.contains("publish _mta-sts.example.test. TXT \"v=STSv1; id=20261129T120000\""))
        #expect(stale.detail.contains("CNAME _mta-sts.example.test. to \(Self.target)."))
        #expect(verdict(txt: [["v=spf1 -all"]]).status == .missing)
        #expect(verdict(txt: []).status == .missing)
        #expect(verdict(txt: [["v=STSv1; id=a"], ["v=STSv1; id=b"]]).status == .multiple)
        #expect(verdict(txt: [["v=STSv1; id=not-alnum!"]]).status == .invalid)
        #expect(verdict(txt: nil).status == .unknown)
        // A CNAME into the platform's zone (any case) is delegated, whatever the TXT it leads to says now.
        #expect(verdict(cname: Self.target.uppercased(), txt: [["v=STSv1; id=old"]]).status == .delegated)
        // A CNAME elsewhere is judged by the record it leads to; without a zone there is no delegation.
        #expect(verdict(cname: "other.example.net", txt: [["v=STSv1; id=20261129T120000"]]).status == .current)
        #expect(verdict(cname: Self.target, txt: [], zone: false).status == .missing)
        #expect(!verdict(txt: [], zone: false).detail.contains("CNAME"))
    }

    @Test func wrongThingsAreCheckedAgainSoonerThanRightOnes() {
        func next(_ sts: STSRecordStatus, _ fetch: PolicyFetchStatus, errors: Int = 0) -> TimeInterval {
            DomainChecker.nextCheck(sts: sts, fetch: fetch, errors: errors, at: Self.now, interval: 6 * 3600)
                .timeIntervalSince(Self.now)
        }
        #expect(next(.current, .served) == 6 * 3600)
        #expect(next(.delegated, .served) == 6 * 3600)
        // Served and current, but the full check finds errors (an MX not covered, say): within the hour.
        #expect(next(.current, .served, errors: 1) == 3600)
        #expect(next(.current, .unreachable) == 600)
        #expect(next(.stale, .served) == 600)
        #expect(next(.unknown, .served) == 60)
    }

    @Test func tlsrptAndPolicyFetchVerdicts() {
        let target = "abcdefghij0123456789._smtp._tls.sts.platform.test"
        func tlsrpt(cname: String? = nil, _ txt: [[String]]?) -> TLSRPTRecordStatus {
            TLSRPTRecordVerdict.evaluate(
                .init(cnameTarget: cname, txtRecords: txt),
                domain: "example.test",
                delegationTarget: target
            ).status
        }
        #expect(tlsrpt([["v=TLSRPTv1; rua=mailto:r@example.test"]]) == .found)
        #expect(tlsrpt(cname: target, []) == .delegated)
        #expect(tlsrpt([]) == .missing)
        #expect(tlsrpt([["v=TLSRPTv1; rua=ftp://x"]]) == .invalid)
        #expect(tlsrpt([["v=TLSRPTv1; rua=mailto:a@x.test"], ["v=TLSRPTv1; rua=mailto:b@x.test"]]) == .invalid)
        #expect(tlsrpt(nil) == .unknown)

        let text = "version: STSv1\r\nmode: testing\r\nmx: mx.example.test\r\nmax_age: 86400\r\n"
        func fetch(_ observation: PolicyFetchObservation) -> PolicyFetchStatus {
            PolicyFetchVerdict.evaluate(observation, host: "mta-sts.example.test", currentText: text).status
        }
        #expect(fetch(.response(status: 200, body: text)) == .served)
        #expect(
            fetch(.response(status: 200, body: text.replacingOccurrences(of: "testing", with: "enforce"))) == .mismatch
        )
        #expect(fetch(.response(status: 404, body: "404 Not Found\n")) == .unreachable)
        #expect(fetch(.failed("certificate verify failed")) == .unreachable)
    }
}
