package import Checks
package import DNS
package import Foundation
import JSON
package import Logging
import MTASTS
package import Store

/// Handles `check_domain` jobs: runs the full MTA-STS check (``CheckEngine``) on a served domain, compared with
/// what the platform serves, and stores its report (`check_reports`). From the same lookups it derives the
/// verdicts the API's setup checklist reads (`domain_checks`): `_mta-sts.<domain>` against the current id (drift
/// for tenants who keep the TXT), `_smtp._tls.<domain>`, and the policy fetched over HTTPS against the current text.
///
/// It also re-checks that the tenant still controls the domain: the ownership TXT record, the `mta-sts` CNAME
/// to the edge, or the current policy served through us all count. When none has been seen for the grace period,
/// the domain is offboarded as lost and its name can be proven by someone else (an old owner cannot keep a
/// domain, and block its real owner, for the life of the account).
package struct DomainChecker: Sendable {
    /// How the checker reaches the outside world.
    package struct Settings: Sendable {
        /// The platform's zone, when it runs one (`MTASTS_DNS_ZONE`).
        package var zone: String?
        /// How long after a check that found nothing wrong the next one runs (`MTASTS_CHECK_INTERVAL`), ±10 %.
        package var interval: TimeInterval

        /// The name tenants CNAME `mta-sts.<domain>` to.
        package var edgeHostname: String
        /// How long control may stay missing before the domain is offboarded as lost.
        package var ownershipGrace: TimeInterval

        /// Seven days.
        package static let defaultOwnershipGrace: TimeInterval = 7 * 86_400
        /// Six hours.
        package static let defaultInterval: TimeInterval = 6 * 3600

        package init(
            zone: String?,
            interval: TimeInterval = defaultInterval,
            edgeHostname: String,
            ownershipGrace: TimeInterval = defaultOwnershipGrace
        ) {
            self.zone = zone
            self.interval = interval
            self.edgeHostname = edgeHostname
            self.ownershipGrace = ownershipGrace
        }
    }

    private let store: DataStore
    private let dns: DNSClient
    private let engine: CheckEngine
    private let settings: Settings
    private let logger: Logger

    /// - Parameters:
    ///   - dns: the resolvers of the ownership re-check (the same the engine uses).
    ///   - engine: the check, resolving through the same resolvers and trusting the roots senders trust
    ///     (`MTASTS_CHECK_CA_BUNDLE`, else the system's).
    package init(store: DataStore, dns: DNSClient, engine: CheckEngine, settings: Settings, logger: Logger) {
        self.store = store
        self.dns = dns
        self.engine = engine
        self.settings = settings
        self.logger = logger
    }

    package func handle(domainID: UUID, now: Date = Date()) -> JobOutcome {
        do {
            guard let domain = try store.certificates.servedDomain(id: domainID, at: now),
                let policy = try store.policies.current(domainID: domainID)
            else { return .done }
            let name = domain.domainName
            let stsTarget = settings.zone.map { DelegatedNames.sts(label: domain.dnsLabel, zone: $0) }
            let tlsrptTarget = settings.zone.map { DelegatedNames.tlsrpt(label: domain.dnsLabel, zone: $0) }
            let report = engine.check(
                name,
                hosted: HostedDomainExpectation(
                    policyID: policy.policyID,
                    policyText: policy.text,
                    testingSince: policy.mode == .testing ? try store.policies.testingSince(domainID: domainID) : nil,
                    stsDelegationTarget: stsTarget,
                    tlsrptDelegationTarget: tlsrptTarget
                ),
                now: now
            )
            let sts = STSRecordVerdict.evaluate(
                report.observed.stsRecord,
                domain: domain.name,
                currentID: policy.policyID,
                delegationTarget: stsTarget
            )
            let tlsrpt = TLSRPTRecordVerdict.evaluate(
                report.observed.tlsrptRecord,
                domain: domain.name,
                delegationTarget: tlsrptTarget
            )
            let fetch = PolicyFetchVerdict.evaluate(
                report.observed.policyFetch,
                host: name.policyHost,
                currentText: policy.text
            )
            let control = try store.domains.recordControl(
                domainID: domainID,
                found: controlFound(domain, fetch: fetch.status),
                at: now,
                grace: settings.ownershipGrace
            )
            switch control {
            case .lost:
                logger.warning(
                    "no sign of the tenant's control through the grace period; the domain is offboarded as lost",
                    ["domain": domain.name]
                )
                return .done
            case .missing(let since):
                logger.info(
                    "no sign of the tenant's control",
                    ["domain": domain.name, "since": since.formatted(.iso8601)]
                )
            case .unchanged:
                break
            }
            var next = Self.nextCheck(
                sts: sts.status,
                fetch: fetch.status,
                errors: report.count(.error),
                at: now,
                interval: settings.interval * Double.random(in: 0.9...1.1)
            )
            if case .missing(let since) = control {
                next = min(next, max(now.addingTimeInterval(60), since.addingTimeInterval(settings.ownershipGrace)))
            }
            let check = DomainCheckRecord(
                stsRecord: sts.status,
                publishedID: sts.publishedID,
                stsRecordDetail: sts.detail,
                tlsrptRecord: tlsrpt.status,
                tlsrptRecordDetail: tlsrpt.detail,
                policyFetch: fetch.status,
                policyFetchDetail: fetch.detail,
                checkedAt: now,
                nextCheckAt: next,
                worstSeverity: report.worstSeverity?.rawValue,
                errorCount: report.count(.error),
                warningCount: report.count(.warning)
            )
            let previousMX = try previousMXHosts(domainID: domainID)
            try store.domainChecks.record(domainID: domainID, check, reportJSON: report.json.text)
            try reconcileAlerts(domain, report: report, previousMX: previousMX, now: now)
            if report.count(.error) > 0 {
                logger.info(
                    "domain check found errors",
                    [
                        "domain": domain.name,
                        "codes": Set(report.findings.filter { $0.severity == .error }.map(\.code.rawValue)).sorted()
                            .joined(separator: ","),
                    ]
                )
            }
            return .done
        } catch {
            return .retry(
                at: now.addingTimeInterval(30),
                error: "\(error)",
                countsAsAttempt: !DataStore.isUnavailable(error)
            )
        }
    }

    /// When to look again: soon while something is wrong or unknown, every `interval` while all is well, and
    /// within the hour while the full check finds errors (so a fix shows, and alerts clear, soon).
    package static func nextCheck(
        sts: STSRecordStatus,
        fetch: PolicyFetchStatus,
        errors: Int,
        at now: Date,
        interval: TimeInterval
    ) -> Date {
        switch (sts, fetch) {
        case (.current, .served), (.delegated, .served):
            now.addingTimeInterval(errors > 0 ? min(interval, 3600) : interval)
        case (.unknown, _): now.addingTimeInterval(60)
        default: now.addingTimeInterval(600)
        }
    }

    /// The live MX hosts the previous stored report saw, if it saw them.
    private func previousMXHosts(domainID: UUID) throws -> [String]? {
        guard let stored = try store.domainChecks.reports(domainID: domainID, limit: 1).first,
            let json = try? JSONParser.parse(Array(stored.json.utf8)),
            let hosts = json["observed"]?["mx_hosts"]?.arrayValue
        else { return nil }
        return hosts.compactMap(\.stringValue)
    }

    /// Opens and clears the domain's alert conditions, once the domain has been live (a check without errors).
    private func reconcileAlerts(_ domain: DomainRecord, report: CheckReport, previousMX: [String]?, now: Date) throws {
        guard try store.domainChecks.firstCleanAt(domainID: domain.id) != nil else { return }
        var conditions = AlertConditions.evaluate(
            report: report,
            certificate: try store.certificates.state(domainID: domain.id, host: domain.domainName.policyHost),
            previousMX: previousMX,
            now: now
        )
        conditions += ReportAlertConditions.evaluate(
            domain: domain.name,
            recent: try store.reports.summary(
                domainID: domain.id,
                since: now.addingTimeInterval(-Double(ReportAlertConditions.recentDays) * 86_400)
            ),
            month: try store.reports.summary(domainID: domain.id, since: now.addingTimeInterval(-30 * 86_400)),
            now: now
        )
        for transition in try store.alerts.reconcile(domainID: domain.id, current: conditions, at: now) {
            store.recordWorkerAction(
                transition.opened ? "alert.open" : "alert.clear",
                domain: domain,
                at: now,
                details: ["condition": transition.condition.code],
                logger: logger
            )
            logger.info(
                transition.opened ? "alert condition appeared" : "alert condition cleared",
                ["domain": domain.name, "condition": transition.condition.code]
            )
        }
    }

    /// Whether the tenant still controls `domain`: true when the ownership TXT record holds its token, the
    /// `mta-sts` host is a CNAME to the edge, or the edge serves the current policy there; false when the lookups
    /// answered and none holds; nil when a lookup failed.
    private func controlFound(_ domain: DomainRecord, fetch: PolicyFetchStatus) -> Bool? {
        if fetch == .served { return true }
        guard let txtName = try? DNSName(domain.verificationRecordName),
            let host = try? DNSName(domain.domainName.policyHost), let edge = try? DNSName(settings.edgeHostname)
        else { return nil }
        var definitive = true
        switch dns.query(txtName, type: .txt) {
        case .answer(let records, _):
            let texts = records.compactMap { record -> String? in
                if case .txt(let txt) = record.data { return txt.joinedText }
                return nil
            }
            if texts.contains(domain.verificationToken) { return true }
        case .nxdomain, .noData: break
        case .serverFailure, .timeout, .networkError: definitive = false
        }
        switch dns.query(host, type: .cname) {
        case .answer(let records, _):
            for record in records {
                if case .cname(let target) = record.data, target == edge { return true }
            }
        case .nxdomain, .noData: break
        case .serverFailure, .timeout, .networkError: definitive = false
        }
        return definitive ? false : nil
    }
}
