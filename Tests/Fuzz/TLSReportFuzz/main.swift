// libFuzzer entry point for the TLS report parser; built by Fuzz/run-tlsrpt-fuzz.sh against Sources/TLSReporting
// compiled as a module (not a SwiftPM target). An input is what a reporter posts (RFC 8460 §5.4): one that starts
// with the gzip or zip magic goes through ReportPayload.decodeHTTPBody under small limits first, anything else is
// taken as the JSON document itself. The document is parsed twice, under the standard limits and under tight ones
// that reach every tooManyElements and string-length refusal with short inputs. The seeds in TLSReportFuzz/corpus
// are the report fixtures of Tests/TLSReportingTests and the variants real senders write (make-corpus.py).
// Beyond "no crash, no ASan report, no hang" it checks these oracles and traps on a mismatch:
// 1. a parsed report respects the limits it was parsed with: element counts, string lengths (in Unicode scalars)
//    and session counts between 0 and the cap; required strings are non-empty, optional ones absent or non-empty;
//    no string holds a NUL; the date range does not end before it starts;
// 2. the totals are the sums of the per-policy counts (and non-negative), the policy domains are distinct, sorted
//    and lower-case, and the fingerprint is 64 lower-case hex digits, the same each time it is computed;
// 3. limits are monotone: what parses under the tight limits parses under the standard ones to an equal report;
// 4. a report written out again as JSON (its dates as whole seconds) parses back to an equal report;
// 5. decodeHTTPBody never returns more than its cap or 200 times its input, and errors carry a message free of
//    control characters (C0, DEL, C1: messages reach logs and the 400 answer) and of bounded length.

import CivilTime
import Foundation
import JSON
import TLSReporting

/// What HTTPS bodies are decoded with: small, so gzip inputs reach the output cap quickly.
let bodyLimits = TLSReportLimits(maximumBytes: 64 << 10)

/// Small limits reach every element-count and length refusal with short inputs.
let tightLimits = TLSReportLimits(
    maximumBytes: 4096,
    maximumPolicies: 2,
    maximumFailureDetails: 3,
    maximumListElements: 3,
    maximumStringLength: 24,
    maximumSessionCount: 1000
)

func checkMessage(_ error: TLSReportError) {
    precondition(!error.message.isEmpty && error.message.utf8.count <= 512, "empty or long error message")
    for scalar in error.message.unicodeScalars {
        let value = scalar.value
        precondition(value >= 0x20 && !(0x7F..<0xA0).contains(value), "control character in an error message")
    }
}

func checkString(_ text: String, limits: TLSReportLimits, required: Bool = false) {
    precondition(!text.utf8.contains(0), "NUL in a report string")
    precondition(text.unicodeScalars.count <= limits.maximumStringLength, "string longer than the limit")
    if required { precondition(!text.isEmpty, "empty required string") }
}

func checkOptional(_ text: String?, limits: TLSReportLimits) {
    guard let text else { return }
    precondition(!text.isEmpty, "optional string present but empty")
    checkString(text, limits: limits)
}

func checkCount(_ count: Int, limits: TLSReportLimits) {
    precondition(count >= 0 && count <= limits.maximumSessionCount, "session count \(count) outside the limits")
}

func checkReport(_ report: TLSReport, limits: TLSReportLimits) {
    checkString(report.organizationName, limits: limits, required: true)
    checkString(report.reportID, limits: limits, required: true)
    checkOptional(report.contactInfo, limits: limits)
    precondition(report.end >= report.start, "date range ends before it starts")
    precondition(report.policies.count <= limits.maximumPolicies, "more policies than the limit")
    var details = 0
    var successful = 0
    var failed = 0
    for policy in report.policies {
        checkString(policy.policyType, limits: limits, required: true)
        checkString(policy.policyDomain, limits: limits, required: true)
        precondition(policy.policyString.count <= limits.maximumListElements, "policy-string longer than the limit")
        precondition(policy.mxHosts.count <= limits.maximumListElements, "mx-host longer than the limit")
        for line in policy.policyString + policy.mxHosts { checkString(line, limits: limits) }
        checkCount(policy.successfulSessions, limits: limits)
        checkCount(policy.failedSessions, limits: limits)
        successful += policy.successfulSessions
        failed += policy.failedSessions
        details += policy.failureDetails.count
        for failure in policy.failureDetails {
            checkString(failure.resultType, limits: limits, required: true)
            for optional in [
                failure.sendingMTAIP, failure.receivingMXHostname, failure.receivingMXHelo, failure.receivingIP,
                failure.additionalInformation, failure.failureReasonCode,
            ] {
                checkOptional(optional, limits: limits)
            }
            checkCount(failure.failedSessionCount, limits: limits)
        }
    }
    precondition(details <= limits.maximumFailureDetails, "more failure details than the limit")
    precondition(report.totalSuccessfulSessions == successful && successful >= 0, "successful total is not the sum")
    precondition(report.totalFailedSessions == failed && failed >= 0, "failed total is not the sum")

    let domains = report.policyDomains
    precondition(domains == Array(Set(domains)).sorted(), "policy domains not distinct and sorted")
    precondition(domains.allSatisfy { $0 == $0.lowercased() }, "policy domain not lower-cased")

    let fingerprint = report.fingerprint
    precondition(fingerprint.utf8.count == 64, "fingerprint is not 64 characters")
    precondition(
        fingerprint.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) },
        "fingerprint is not lower-case hex"
    )
    precondition(report.fingerprint == fingerprint, "fingerprint differs between two computations")
}

/// RFC 3339 in UTC for whole seconds; nil outside the years 0000-9999 that RFC 3339 can write (a zone offset can
/// move a date just outside them).
func rendered(_ date: Date) -> String? {
    let (civil, second) = CivilDate.split(epochSeconds: Int64(date.timeIntervalSince1970.rounded(.down)))
    guard (0...9999).contains(civil.year) else { return nil }
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let year = String(repeating: "0", count: 4 - String(civil.year).count) + String(civil.year)
    let time = "\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60))"
    return "\(year)-\(two(civil.month))-\(two(civil.day))T\(time)Z"
}

/// The report as JSON in RFC 8460 §4.4 shape, with the dates rounded down to whole seconds.
func serialized(_ report: TLSReport) -> [UInt8]? {
    guard let start = rendered(report.start), let end = rendered(report.end) else { return nil }
    func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
    let policies: [JSONValue] = report.policies.map { policy in
        [
            "policy": [
                "policy-type": .string(policy.policyType),
                "policy-string": strings(policy.policyString),
                "policy-domain": .string(policy.policyDomain),
                "mx-host": strings(policy.mxHosts),
            ],
            "summary": [
                "total-successful-session-count": .int(policy.successfulSessions),
                "total-failure-session-count": .int(policy.failedSessions),
            ],
            "failure-details": .array(
                policy.failureDetails.map { failure in
                    [
                        "result-type": .string(failure.resultType),
                        "sending-mta-ip": .string(failure.sendingMTAIP),
                        "receiving-mx-hostname": .string(failure.receivingMXHostname),
                        "receiving-mx-helo": .string(failure.receivingMXHelo),
                        "receiving-ip": .string(failure.receivingIP),
                        "failed-session-count": .int(failure.failedSessionCount),
                        "additional-information": .string(failure.additionalInformation),
                        "failure-reason-code": .string(failure.failureReasonCode),
                    ]
                }
            ),
        ]
    }
    let document: JSONValue = [
        "organization-name": .string(report.organizationName),
        "date-range": [
            "start-datetime": .string(start),
            "end-datetime": .string(end),
        ],
        "contact-info": .string(report.contactInfo),
        "report-id": .string(report.reportID),
        "policies": .array(policies),
    ]
    return document.serialized()
}

func checkRoundTrip(_ report: TLSReport, limits: TLSReportLimits) {
    var roomy = limits
    roomy.maximumBytes = Int.max
    guard let json = serialized(report) else { return }
    let again: TLSReport
    do {
        again = try TLSReportParser.parse(json, limits: roomy)
    } catch {
        preconditionFailure("a report written out again is refused: \(error.message)")
    }
    var expected = report
    expected.start = Date(timeIntervalSince1970: report.start.timeIntervalSince1970.rounded(.down))
    expected.end = Date(timeIntervalSince1970: report.end.timeIntervalSince1970.rounded(.down))
    precondition(again == expected, "a report written out again parses differently")
}

func parse(_ json: [UInt8], limits: TLSReportLimits) -> TLSReport? {
    do {
        let report = try TLSReportParser.parse(json, limits: limits)
        checkReport(report, limits: limits)
        checkRoundTrip(report, limits: limits)
        return report
    } catch {
        checkMessage(error)
        return nil
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzTLSReports(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    var json = input
    if input.starts(with: [0x1F, 0x8B]) || input.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
        do {
            json = try ReportPayload.decodeHTTPBody(input, limits: bodyLimits)
            precondition(json.count <= bodyLimits.maximumBytes, "decoded body larger than the cap")
            precondition(json.count <= 200 * input.count, "decoded body beyond the 200:1 ratio")
        } catch {
            checkMessage(error)
            return 0
        }
    }
    let standard = parse(json, limits: .standard)
    if let tight = parse(json, limits: tightLimits) {
        precondition(standard == tight, "accepted under tight limits but not equally under the standard ones")
    }
    return 0
}
