import Foundation
import Testing

@testable import TLSReporting

@Suite struct TLSReportParserTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return Array(try Data(contentsOf: url))
    }

    @Test func googleShapedReportParsesToItsTotals() throws {
        let report = try TLSReportParser.parse(try Self.fixture("google.json"))
        #expect(report.organizationName == "Google Inc.")
        #expect(report.contactInfo == "smtp-tls-reporting@google.com")
        #expect(report.reportID == "2026-11-01T00:00:00Z_example.com")
        #expect(report.start == Date(timeIntervalSince1970: 1_793_491_200))
        #expect(report.end == Date(timeIntervalSince1970: 1_793_491_200 + 86_399))
        #expect(report.totalSuccessfulSessions == 117)
        #expect(report.totalFailedSessions == 3)
        let policy = try #require(report.policies.first)
        #expect(policy.mxHosts == ["mx1.example.com", "mx2.example.com"])
        #expect(policy.policyString.count == 5)
        #expect(policy.failureDetails.map(\.resultType) == ["certificate-expired", "validation-failure"])
        #expect(policy.failureDetails.map(\.failedSessionCount) == [2, 1])
        #expect(policy.failureDetails[1].failureReasonCode == "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT")
        #expect(report.policyDomains == ["example.com"])
    }

    @Test func microsoftShapedReportWithZonelessDatesAndFetchErrors() throws {
        let report = try TLSReportParser.parse(try Self.fixture("microsoft.json"))
        #expect(report.start == Date(timeIntervalSince1970: 1_793_491_200))
        #expect(report.policies.count == 2)
        #expect(report.policies[0].mxHosts == ["mx1.example.com"])
        #expect(report.policies[1].policyString.isEmpty)
        #expect(report.policies[1].mxHosts.isEmpty)
        let failure = try #require(report.policies[1].failureDetails.first)
        #expect(failure.resultType == "sts-policy-fetch-error")
        #expect(failure.sendingMTAIP == nil)
        #expect(failure.receivingMXHostname == nil)
        #expect(report.totalSuccessfulSessions == 40)
        #expect(report.totalFailedSessions == 5)
    }

    @Test func tolerantVariants() throws {
        let json = """
            {"organization-name":"Example Sender","date-range":{"start-datetime":"2026-11-01t00:00:00.000+01:00",
             "end-datetime":"2026-11-01 23:59:59.5z"},"contact-info":null,"report-id":12345,
             "policies":{"policy":{"policy-type":"future-type","policy-domain":"Example.COM"},
                         "failure-details":[{"result-type":"some-new-result","failed-session-count":7}]}}
            """
        let report = try TLSReportParser.parse(Array(json.utf8))
        #expect(report.contactInfo == nil)
        #expect(report.reportID == "12345")
        #expect(report.start == Date(timeIntervalSince1970: 1_793_491_200 - 3600))
        #expect(report.end == Date(timeIntervalSince1970: 1_793_491_200 + 86_399.5))
        #expect(report.policies.first?.policyType == "future-type")
        #expect(report.policies.first?.failureDetails.first?.resultType == "some-new-result")
        #expect(report.policies.first?.successfulSessions == 0)
        #expect(report.policyDomains == ["example.com"])
    }

    @Test(arguments: [
        (#"[]"#, "must be a JSON object"),
        (#"{"date-range":{}}"#, "organization-name"),
        (#"{"organization-name":"x","report-id":"r","policies":[]}"#, "date-range"),
        (
            #"{"organization-name":"x","report-id":"r","date-range":{"start-datetime":"2026-11-02T00:00:00Z","end-datetime":"2026-11-01T00:00:00Z"},"policies":[]}"#,
            "ends before it starts"
        ),
        (
            #"{"organization-name":"x","report-id":"r","date-range":{"start-datetime":"yesterday","end-datetime":"2026-11-01T00:00:00Z"},"policies":[]}"#,
            "start-datetime"
        ),
        (
            #"{"organization-name":"x","report-id":"r","date-range":{"start-datetime":"2026-11-01T00:00:00Z","end-datetime":"2026-11-01T00:00:00Z"}}"#,
            "policies"
        ),
        (
            #"{"organization-name":"x","report-id":"r","date-range":{"start-datetime":"2026-11-01T00:00:00Z","end-datetime":"2026-11-01T00:00:00Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"a.example"},"summary":{"total-successful-session-count":-1}}]}"#,
            "policies[0].summary.total-successful-session-count"
        ),
        (
            #"{"organization-name":"x","report-id":"r","date-range":{"start-datetime":"2026-11-01T00:00:00Z","end-datetime":"2026-11-01T00:00:00Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"a.example"},"summary":{"total-successful-session-count":1.5}}]}"#,
            "non-negative integer"
        ),
    ])
    func refusesWhatCanNeverBeAReport(json: String, naming: String) {
        #expect {
            try TLSReportParser.parse(Array(json.utf8))
        } throws: { error in
            (error as? TLSReportError)?.message.contains(naming) == true
        }
    }

    @Test func hostileInputsAreRefusedByTheirLimits() throws {
        let deep = String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        #expect(throws: TLSReportError.notJSON) { try TLSReportParser.parse(Array(deep.utf8)) }
        #expect(throws: TLSReportError.notJSON) { try TLSReportParser.parse([0x7B, 0xFF, 0xFE, 0x7D]) }
        let big = [UInt8](repeating: 0x20, count: TLSReportLimits.standard.maximumBytes + 1)
        #expect(throws: TLSReportError.tooLarge) { try TLSReportParser.parse(big) }
        let details = Array(repeating: #"{"result-type":"x","failed-session-count":1}"#, count: 100_000)
        let flood = """
            {"organization-name":"x","report-id":"r","date-range":{"start-datetime":"2026-11-01T00:00:00Z",
             "end-datetime":"2026-11-01T00:00:00Z"},"policies":[{"policy":{"policy-type":"sts",
             "policy-domain":"a.example"},"failure-details":[\(details.joined(separator: ","))]}]}
            """
        var limits = TLSReportLimits.standard
        limits.maximumBytes = 8 << 20
        #expect(throws: TLSReportError.tooManyElements) { try TLSReportParser.parse(Array(flood.utf8), limits: limits) }
        let longName = String(repeating: "a", count: 5_000)
        let long = """
            {"organization-name":"\(longName)","report-id":"r","date-range":{"start-datetime":"2026-11-01T00:00:00Z",
             "end-datetime":"2026-11-01T00:00:00Z"},"policies":[]}
            """
        #expect(throws: TLSReportError.invalidReport) { try TLSReportParser.parse(Array(long.utf8)) }
    }

    /// Found by Tests/Fuzz/TLSReportFuzz: a duplicate key was quoted verbatim in the error, so a report could put
    /// line breaks and terminal escapes (JSON `\n`, `\u001b`) into the 400 answer and the logs, and have a 4 MiB
    /// key echoed whole.
    @Test func aDuplicateKeyIsNamedWithoutControlCharactersAndShortened() throws {
        let forged = #"x\u001b[31m\nERROR forged line\u0085"#
        let json = #"{"organization-name":"x",""# + forged + #"":1,""# + forged + #"":2}"#
        #expect {
            try TLSReportParser.parse(Array(json.utf8))
        } throws: { error in
            guard let message = (error as? TLSReportError)?.message else { return false }
            return message.contains(#"duplicate key "x\u001B[31m\u000AERROR forged line\u0085""#)
                && message.unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F..<0xA0).contains($0.value) }
        }
        let long = String(repeating: "k", count: 100_000)
        let flood = #"{""# + long + #"":1,""# + long + #"":2}"#
        #expect {
            try TLSReportParser.parse(Array(flood.utf8))
        } throws: { error in
            guard let message = (error as? TLSReportError)?.message else { return false }
            return message.count < 200 && message.contains(String(repeating: "k", count: 64) + "…")
        }
    }

    @Test func nulCharactersAreReplacedSoTheValueFitsInText() throws {
        let json = #"""
            {"organization-name":"a\u0000b","report-id":"r","date-range":{"start-datetime":"2026-11-01T00:00:00Z",
             "end-datetime":"2026-11-01T00:00:00Z"},"policies":[]}
            """#
        #expect(try TLSReportParser.parse(Array(json.utf8)).organizationName == "a\u{FFFD}b")
    }

    @Test func theSameReportHasTheSameFingerprint() throws {
        let first = try TLSReportParser.parse(try Self.fixture("google.json"))
        var second = first
        second.policies[0].successfulSessions = 1
        #expect(first.fingerprint == second.fingerprint)
        second.reportID = "other"
        #expect(first.fingerprint != second.fingerprint)
        #expect(first.fingerprint.count == 64)
    }
}
