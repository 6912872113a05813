import Foundation
import MTASTS
import Store
import TLSReporting
import Testing

/// The TLS reports the reports journey looks at, stored through the store as the importer stores them, and what
/// the page must show for them (``Expectations``, handed to the browser script as JSON).
///
/// The domain's history: a `testing` policy since 35 days ago, replaced 10 days ago by another `testing` version
/// (a longer max_age). Two reporters:
/// - "Example Mail Inc." reports every UTC day of the last 28, applying the version current at the time; one day
///   has 3 sessions failing with `certificate-expired` (a type that blocks enforce), another 2 with a type no
///   registry has, and one report applies a policy the platform never served (unmatched).
/// - "Quiet Sender <Ltd> & Co." reported five times, last 6 days ago (silent), always with the old version (its
///   two newest reports began after that version was replaced: outdated). Its name tests that text stays text.
///
/// ```swift
/// let expected = try ReportSeed(domain: "example.test", domainID: id, store: store, now: Date()).seed()
/// ```
struct ReportSeed {
    /// What the browser script checks on the page.
    struct Expectations: Encodable {
        struct Totals: Encodable {
            var reports: Int
            var successfulSessions: Int
            var failedSessions: Int
        }
        struct Reporter: Encodable {
            var name: String
            var silent: Bool
            var appliesCurrentPolicy: Bool
            var lastAppliedPolicyID: String
        }
        struct Failure: Encodable {
            var resultType: String
            var receivingMX: String
            var receivingIP: String
            var sendingIP: String
            var sessions: Int
        }
        struct Detail: Encodable {
            var id: String
            var fileName: String
            var failures: [Failure]
            /// The report's JSON as the sender wrote it.
            var raw: String
        }

        var domain: String
        var oldPolicyID: String
        var currentPolicyID: String
        var totals: Totals
        var knownType: String
        var knownMeaning: String
        var knownAdvice: String
        var unknownType: String
        var blockingSentence: String
        var reporters: [Reporter]
        var outdatedReportIDs: [String]
        var unmatchedReportIDs: [String]
        var detail: Detail
    }

    static let busyReporter = "Example Mail Inc."
    static let quietReporter = "Quiet Sender <Ltd> & Co."
    static let knownType = "certificate-expired"
    static let unknownType = "x-mystery-failure"
    private static let day: TimeInterval = 86_400

    let domain: String
    let domainID: UUID
    let store: DataStore
    let now: Date

    /// Verifies the domain 35 days back, replaces its policy 10 days back, stores the reports, and says what the
    /// page must show.
    func seed() throws -> Expectations {
        let mx = [try MXPattern(parsing: "mx1.\(domain)")]
        let verified = try store.domains.markVerified(
            domainID: domainID,
            initialPolicy: try Policy(mode: .testing, mx: mx, maxAge: 86_400),
            at: now.addingTimeInterval(-35 * Self.day)
        )
        let old = try #require(verified.policy)
        let current = try store.policies.publish(
            domainID: domainID,
            policy: try Policy(mode: .testing, mx: mx, maxAge: 604_800),
            at: now.addingTimeInterval(-10 * Self.day)
        ).policy
        let today = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / Self.day).rounded(.down) * Self.day)
        func start(daysAgo: Int) -> Date { today.addingTimeInterval(-Double(daysAgo) * Self.day) }

        var outdated: [String] = []
        var unmatched: [String] = []
        var detail: Expectations.Detail?
        var successful = 0
        var failed = 0
        var count = 0
        for daysAgo in 1...28 {
            let applied = start(daysAgo: daysAgo) >= current.createdAt ? current : old
            var failures: [TLSReportFailure] = []
            if daysAgo == 2 {
                failures.append(
                    TLSReportFailure(
                        resultType: Self.knownType,
                        sendingMTAIP: "192.0.2.10",
                        receivingMXHostname: "mx1.\(domain)",
                        receivingIP: "127.0.0.1",
                        failedSessionCount: 3,
                        failureReasonCode: "X509_V_ERR_CERT_HAS_EXPIRED"
                    )
                )
            }
            if daysAgo == 5 {
                failures.append(
                    TLSReportFailure(
                        resultType: Self.unknownType,
                        sendingMTAIP: "192.0.2.11",
                        receivingMXHostname: "mx2.\(domain)",
                        receivingIP: "127.0.0.2",
                        failedSessionCount: 2
                    )
                )
            }
            // One report applies a policy the platform never served.
            let lines =
                daysAgo == 7 ? ["version: STSv1", "mode: enforce", "mx: mx.elsewhere.example", "max_age: 1"] : nil
            let report = makeReport(
                reporter: Self.busyReporter,
                contact: "tlsrpt@mail.example.net",
                daysAgo: daysAgo,
                start: start(daysAgo: daysAgo),
                policyLines: lines ?? policyLines(applied),
                successful: 100 + daysAgo,
                failures: failures
            )
            let (id, raw) = try save(report, applied: lines == nil ? applied.policyID : nil)
            if lines != nil { unmatched.append(id) }
            if daysAgo == 2 {
                detail = Expectations.Detail(
                    id: id,
                    fileName: "mail.example.net!\(domain)!\(Int(report.start.timeIntervalSince1970))!"
                        + "\(Int(report.end.timeIntervalSince1970)).json",
                    failures: failures.map {
                        Expectations.Failure(
                            resultType: $0.resultType,
                            receivingMX: $0.receivingMXHostname ?? "",
                            receivingIP: $0.receivingIP ?? "",
                            sendingIP: $0.sendingMTAIP ?? "",
                            sessions: $0.failedSessionCount
                        )
                    },
                    raw: raw
                )
            }
            successful += report.totalSuccessfulSessions
            failed += report.totalFailedSessions
            count += 1
        }
        for daysAgo in [6, 8, 12, 16, 20] {
            let report = makeReport(
                reporter: Self.quietReporter,
                contact: "mailto:postmaster@quiet.example",
                daysAgo: daysAgo,
                start: start(daysAgo: daysAgo),
                policyLines: policyLines(old),
                successful: 40,
                failures: []
            )
            let (id, _) = try save(report, applied: old.policyID)
            // The old version was replaced when the current one was published.
            if current.createdAt < report.start { outdated.append(id) }
            successful += report.totalSuccessfulSessions
            count += 1
        }
        return Expectations(
            domain: domain,
            oldPolicyID: old.policyID,
            currentPolicyID: current.policyID,
            totals: .init(reports: count, successfulSessions: successful, failedSessions: failed),
            knownType: Self.knownType,
            knownMeaning: try #require(ResultTypeGuide.entry(for: Self.knownType)).meaning,
            knownAdvice: try #require(ResultTypeGuide.entry(for: Self.knownType)).advice,
            unknownType: Self.unknownType,
            blockingSentence: "Reports show 3 sessions failing with \(Self.knownType).",
            reporters: [
                .init(
                    name: Self.busyReporter,
                    silent: false,
                    appliesCurrentPolicy: true,
                    lastAppliedPolicyID: current.policyID
                ),
                .init(
                    name: Self.quietReporter,
                    silent: true,
                    appliesCurrentPolicy: false,
                    lastAppliedPolicyID: old.policyID
                ),
            ],
            outdatedReportIDs: outdated,
            unmatchedReportIDs: unmatched,
            detail: try #require(detail)
        )
    }

    /// A daily report of one UTC day with one `sts` policy.
    private func makeReport(
        reporter: String,
        contact: String,
        daysAgo: Int,
        start: Date,
        policyLines: [String],
        successful: Int,
        failures: [TLSReportFailure]
    ) -> TLSReport {
        TLSReport(
            organizationName: reporter,
            start: start,
            end: start.addingTimeInterval(Self.day),
            contactInfo: contact,
            reportID: "\(ReportJSON.day(start))-\(reporter.count)-\(daysAgo)@reports.example",
            policies: [
                TLSReportPolicy(
                    policyType: "sts",
                    policyString: policyLines,
                    policyDomain: domain,
                    mxHosts: ["mx1.\(domain)"],
                    successfulSessions: successful,
                    failedSessions: failures.reduce(0) { $0 + $1.failedSessionCount },
                    failureDetails: failures
                )
            ]
        )
    }

    private func policyLines(_ policy: PolicyRecord) -> [String] {
        policy.text.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// Stores `report` with the JSON a sender would have written for it (checked to parse back to the same report).
    private func save(_ report: TLSReport, applied: String?) throws -> (id: String, raw: String) {
        let raw = try ReportJSON.text(of: report)
        #expect(try TLSReportParser.parse(Array(raw.utf8)) == report, "the raw JSON says what the report says")
        let id = try store.reports.store(
            report,
            rawJSON: raw,
            domainID: domainID,
            channel: .https,
            receivedAt: report.end.addingTimeInterval(3_600),
            appliedPolicyIDs: [applied]
        )
        return (try #require(id).uuidString.lowercased(), raw)
    }
}
