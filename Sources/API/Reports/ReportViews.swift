import CivilTime
import Foundation
import JSON
import MTASTS
import Store
import TLSReporting

/// The JSON of the reports views, and the enforce readiness the summary and the policy route share.
enum ReportViews {
    /// A reporter is silent when its newest report ended longer ago than this (senders report daily).
    static let silentAfter: TimeInterval = 3 * 86_400

    /// The domain's policy versions by id, to tell whether a sender applied an outdated one.
    struct History {
        private var supersededAt: [String: Date] = [:]
        /// The current version's id.
        private(set) var currentID: String?

        init(_ records: [PolicyRecord]) {
            for record in records {
                if let superseded = record.supersededAt {
                    supersededAt[record.policyID] = superseded
                } else {
                    currentID = record.policyID
                }
            }
        }

        /// Whether the version `id` had already been replaced when `start` began.
        func isOutdated(_ id: String, at start: Date) -> Bool {
            guard let superseded = supersededAt[id] else { return false }
            return superseded < start
        }
    }

    static func listing(_ listing: StoredReportListing, history: History) -> JSONValue {
        [
            "id": .string(listing.id.uuidString.lowercased()),
            "organization_name": .string(listing.organizationName),
            "contact_info": .string(listing.contactInfo),
            "report_id": .string(listing.reportID),
            "start": .date(listing.start),
            "end": .date(listing.end),
            "received_at": .date(listing.receivedAt),
            "channel": .string(listing.channel.rawValue),
            "successful_sessions": .int(listing.successfulSessions),
            "failed_sessions": .int(listing.failedSessions),
            "applied_policy_ids": .array(listing.appliedPolicyIDs.map(JSONValue.string)),
            "unmatched_policy": .bool(listing.hasUnmatchedPolicy),
            "outdated_policy": .bool(listing.appliedPolicyIDs.contains { history.isOutdated($0, at: listing.start) }),
        ]
    }

    static func detail(_ report: StoredReport, history: History) throws -> JSONValue {
        let policies: [JSONValue] = report.policies.map { policy in
            [
                "policy_type": .string(policy.policyType),
                "policy_domain": .string(policy.policyDomain),
                "mx_hosts": .array(policy.mxHosts.map(JSONValue.string)),
                "policy_string": .array(policy.policyString.map(JSONValue.string)),
                "applied_policy_id": .string(policy.appliedPolicyID),
                "successful_sessions": .int(policy.successfulSessions),
                "failed_sessions": .int(policy.failedSessions),
                "failure_details": .array(
                    policy.failures.map { failure in
                        [
                            "result_type": .string(failure.resultType),
                            "sending_mta_ip": .string(failure.sendingMTAIP),
                            "receiving_mx_hostname": .string(failure.receivingMXHostname),
                            "receiving_mx_helo": .string(failure.receivingMXHelo),
                            "receiving_ip": .string(failure.receivingIP),
                            "failed_session_count": .int(failure.failedSessionCount),
                            "additional_information": .string(failure.additionalInformation),
                            "failure_reason_code": .string(failure.failureReasonCode),
                        ]
                    }
                ),
            ]
        }
        // The stored text was parsed when the report arrived.
        let raw = try JSONParser.parse(Array(report.rawJSON.utf8))
        return listing(report.listing, history: history).adding(["policies": .array(policies), "raw": raw])
    }

    static func summary(_ domain: DomainRecord, days: Int, _ context: RequestContext) throws -> JSONValue {
        let now = context.now
        let today = CivilDate.split(epochSeconds: Int64(now.timeIntervalSince1970.rounded(.down))).date
        let firstDay = CivilDate(daysSince1970: today.daysSince1970 - days + 1)
        let since = Date(timeIntervalSince1970: Double(firstDay.epochSeconds()))
        let summary = try context.store.reports.summary(domainID: domain.id, since: since)
        let history = try context.store.policies.history(domainID: domain.id)
        let current = history.last { $0.supersededAt == nil }
        var byDay: [Int: ReportSummary.Day] = [:]
        for day in summary.days {
            byDay[CivilDate.split(epochSeconds: Int64(day.date.timeIntervalSince1970)).date.daysSince1970] = day
        }
        let daily: [JSONValue] = (firstDay.daysSince1970...today.daysSince1970).map { number in
            let day = byDay[number]
            return [
                "date": .string(CivilDate(daysSince1970: number).description),
                "successful_sessions": .int(day?.successfulSessions ?? 0),
                "failed_sessions": .int(day?.failedSessions ?? 0),
                "reports": .int(day?.reports ?? 0),
            ]
        }
        let byType: [JSONValue] = summary.failuresByResultType.map { count in
            let guide = ResultTypeGuide.entry(for: count.key)
            return [
                "result_type": .string(count.key),
                "failed_sessions": .int(count.failedSessions),
                "meaning": .string(guide?.meaning),
                "advice": .string(guide?.advice),
            ]
        }
        let byMX: [JSONValue] = summary.failuresByReceivingMX.map { count in
            [
                "receiving_mx_hostname": .string(count.key.isEmpty ? nil : count.key),
                "failed_sessions": .int(count.failedSessions),
            ]
        }
        let reporters: [JSONValue] = summary.reporters.map { reporter in
            [
                "organization_name": .string(reporter.organizationName),
                "reports": .int(reporter.reports),
                "successful_sessions": .int(reporter.successfulSessions),
                "failed_sessions": .int(reporter.failedSessions),
                "last_report_end": .date(reporter.lastReportEnd),
                "last_applied_policy_id": .string(reporter.lastAppliedPolicyID),
                "applies_current_policy": reporter.lastAppliedPolicyID.map { .bool($0 == current?.policyID) } ?? .null,
                "silent": .bool(now.timeIntervalSince(reporter.lastReportEnd) > silentAfter),
            ]
        }
        let readiness = try self.readiness(domain, context).map(json) ?? .null
        return [
            "domain": .string(domain.name),
            "days": .int(days),
            "since": .date(since),
            "current_policy_id": .string(current?.policyID),
            "mode": .string(current?.mode.rawValue),
            "totals": [
                "reports": .int(summary.days.reduce(0) { $0 + $1.reports }),
                "successful_sessions": .int(summary.days.reduce(0) { $0 + $1.successfulSessions }),
                "failed_sessions": .int(summary.days.reduce(0) { $0 + $1.failedSessions }),
            ],
            "daily": .array(daily),
            "failures_by_result_type": .array(byType),
            "failures_by_receiving_mx": .array(byMX),
            "reporters": .array(reporters),
            "enforce_readiness": readiness,
        ]
    }

    /// Whether the domain's `testing` policy may go to `enforce`; nil when the current policy is not `testing`.
    static func readiness(_ domain: DomainRecord, _ context: RequestContext) throws -> EnforceReadiness? {
        guard let since = try context.store.policies.testingSince(domainID: domain.id) else { return nil }
        let coverage = try context.store.reports.coverage(domainID: domain.id, since: since)
        let check = try context.store.domainChecks.find(domainIDs: [domain.id])[domain.id]
        return EnforceReadiness(
            requiredDays: context.environment.enforceReadyDays,
            reportDays: coverage.reportDays,
            failures: coverage.failures,
            latestCheckHasErrors: check.map { $0.worstSeverity == "error" }
        )
    }

    static func json(_ readiness: EnforceReadiness) -> JSONValue {
        [
            "ready": .bool(readiness.isReady),
            "required_days": .int(readiness.requiredDays),
            "report_days": .int(readiness.reportDays),
            "blocking_failures": .object(
                readiness.blockingFailures.sorted { $0.key < $1.key }.map {
                    JSONMember(key: $0.key, value: .int($0.value))
                }
            ),
            "latest_check_has_errors": readiness.latestCheckHasErrors.map(JSONValue.bool) ?? .null,
            "missing": .array(readiness.missing.map(JSONValue.string)),
        ]
    }
}
